/** Keyboard shortcuts, pure: which key (or two-key sequence) does what. The window (App.svelte) feeds every
 * key press here; page actions go to the page that registered them (lib/shortcuts.svelte.ts). */
import type { Key } from "../i18n/catalogues";
import type { PageName } from "./route";

export type PageAction = "next" | "previous" | "open" | "star" | "toggleRead" | "nextMatch" | "previousMatch";
export type KeyAction = { kind: "page"; action: PageAction } | { kind: "go"; page: PageName } | { kind: "search" } | { kind: "help" };

/** Each shortcut with its catalogue message (the help dialog translates it). */
export const SHORTCUTS: { keys: string; label: Key }[] = [
  { keys: "j / k", label: "app.shortcuts.next" },
  { keys: "o or Enter", label: "app.shortcuts.open" },
  { keys: "s", label: "app.shortcuts.star" },
  { keys: "m", label: "app.shortcuts.read" },
  { keys: "n / p", label: "app.shortcuts.match" },
  { keys: "/", label: "app.shortcuts.search" },
  { keys: "g o", label: "app.shortcuts.goOverview" },
  { keys: "g m", label: "app.shortcuts.goMentions" },
  { keys: "g a", label: "app.shortcuts.goAnalysis" },
  { keys: "g t", label: "app.shortcuts.goTopics" },
  { keys: "g s", label: "app.shortcuts.goSources" },
  { keys: "?", label: "app.shortcuts.help" },
];

const SINGLE: Record<string, PageAction> = {
  j: "next",
  k: "previous",
  o: "open",
  Enter: "open",
  s: "star",
  m: "toggleRead",
  n: "nextMatch",
  p: "previousMatch",
};

const GO: Record<string, PageName> = { o: "overview", m: "mentions", a: "analysis", t: "topics", s: "sources" };

/** How long the second key of "g x" may wait. */
export const SEQUENCE_MS = 1500;

export interface KeyState {
  /** "g" was pressed at this time (ms), waiting for the page's letter. */
  pendingSince: number | null;
}

export interface KeyPress {
  key: string;
  ctrl?: boolean;
  alt?: boolean;
  meta?: boolean;
  /** The focus is in a text field, a select or an editable element: keys are typing, not shortcuts. */
  typing?: boolean;
  /** The focus is on a button or link, where Enter already acts. */
  onControl?: boolean;
}

/** The action of a key press, and the state for the next one. */
export function press(state: KeyState, k: KeyPress, now: number): { state: KeyState; action: KeyAction | null } {
  const idle: KeyState = { pendingSince: null };
  if (k.ctrl || k.alt || k.meta || k.typing) return { state: idle, action: null };
  if (state.pendingSince !== null && now - state.pendingSince <= SEQUENCE_MS) {
    const page = GO[k.key];
    return { state: idle, action: page ? { kind: "go", page } : null };
  }
  if (k.key === "g") return { state: { pendingSince: now }, action: null };
  if (k.key === "/") return { state: idle, action: { kind: "search" } };
  if (k.key === "?") return { state: idle, action: { kind: "help" } };
  if (k.key === "Enter" && k.onControl) return { state: idle, action: null };
  const action = SINGLE[k.key];
  return { state: idle, action: action ? { kind: "page", action } : null };
}

/** The index after `current` in a list of `length` for next/previous (none selected: the first, or the last). */
export function step(current: number, length: number, direction: 1 | -1): number {
  if (length === 0) return -1;
  if (current < 0) return direction === 1 ? 0 : length - 1;
  return Math.min(length - 1, Math.max(0, current + direction));
}

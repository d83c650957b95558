import { describe, expect, it } from "vitest";
import { press, SEQUENCE_MS, step, type KeyState } from "./keys";

const idle: KeyState = { pendingSince: null };

function run(keys: string[], opts: { gap?: number } = {}) {
  let state = idle;
  let t = 1000;
  const actions = [];
  for (const key of keys) {
    const r = press(state, { key }, t);
    state = r.state;
    if (r.action) actions.push(r.action);
    t += opts.gap ?? 100;
  }
  return actions;
}

describe("shortcuts", () => {
  it("maps the single keys to the page's actions", () => {
    expect(run(["j", "k", "o", "Enter", "s", "m", "n", "p"]).map((a) => (a.kind === "page" ? a.action : a.kind))).toEqual([
      "next",
      "previous",
      "open",
      "open",
      "star",
      "toggleRead",
      "nextMatch",
      "previousMatch",
    ]);
    expect(run(["/", "?"])).toEqual([{ kind: "search" }, { kind: "help" }]);
  });

  it("goes to a page with g and its letter, within the wait", () => {
    expect(run(["g", "a"])).toEqual([{ kind: "go", page: "analysis" }]);
    expect(run(["g", "m", "g", "s"])).toEqual([
      { kind: "go", page: "mentions" },
      { kind: "go", page: "sources" },
    ]);
    // "g s" is Sources, not a star; a late letter is an ordinary key again.
    expect(run(["g", "s"], { gap: SEQUENCE_MS + 1 })).toEqual([{ kind: "page", action: "star" }]);
    expect(run(["g", "x", "j"])).toEqual([{ kind: "page", action: "next" }]);
  });

  it("leaves typing, modified keys and Enter on a button alone", () => {
    expect(press(idle, { key: "j", typing: true }, 0).action).toBeNull();
    expect(press(idle, { key: "s", ctrl: true }, 0).action).toBeNull();
    expect(press(idle, { key: "Enter", onControl: true }, 0).action).toBeNull();
    expect(press(idle, { key: "x" }, 0).action).toBeNull();
  });

  it("steps through a list and stops at its ends", () => {
    expect(step(-1, 3, 1)).toBe(0);
    expect(step(-1, 3, -1)).toBe(2);
    expect(step(2, 3, 1)).toBe(2);
    expect(step(0, 3, -1)).toBe(0);
    expect(step(1, 3, 1)).toBe(2);
    expect(step(0, 0, 1)).toBe(-1);
  });
});

// The query editor as the analyst uses it: typing colours the query language in the layer under the
// textarea, and the character the backend's parser blames is marked. The parser is the Rust one; its
// messages below were printed by `mediawatch topics check` and are read as the Search page reads them
// (lib/query.ts `problemFromMessage`), the Topics page passing the same column from the live check.
import { fireEvent, render } from "@testing-library/svelte";
import { tick } from "svelte";
import { SvelteMap } from "svelte/reactivity";
import { describe, expect, it } from "vitest";
import { problemFromMessage } from "../lib/query";
import QueryEditor from "./QueryEditor.svelte";

/** The highlighting layer's pieces: each span's text and its `q-…` classes. */
function layer(container: HTMLElement): { text: string; classes: string[] }[] {
  const pre = container.querySelector("pre.query-layer");
  if (!pre) throw new Error("no highlighting layer");
  return [...pre.querySelectorAll("span")].map((s) => ({ text: s.textContent ?? "", classes: [...s.classList].filter((c) => c.startsWith("q-")) }));
}

/** The class the layer gives the first piece with exactly this text. */
function kindOf(container: HTMLElement, text: string): string[] | undefined {
  return layer(container).find((p) => p.text === text)?.classes;
}

/**
 * Renders the editor as the Topics page does, its value bound (`bind:value`) to the page's state and its
 * error column set from the live check, and types `query` into it. (A `SvelteMap` is reactive state a plain
 * module can hold.)
 */
async function typed(query: string) {
  const page = new SvelteMap<string, string | number | null>([
    ["query", ""],
    ["errorColumn", null],
  ]);
  const view = render(QueryEditor, {
    props: {
      get value() {
        return page.get("query") as string;
      },
      set value(v: string) {
        page.set("query", v);
      },
      get errorColumn() {
        return page.get("errorColumn") as number | null;
      },
    },
  });
  const area = view.getByTestId("topic-query") as HTMLTextAreaElement;
  await fireEvent.input(area, { target: { value: query } });
  /** The live check's answer: the column its error names, or null for a valid query. */
  const checked = async (message: string | null) => {
    page.set("errorColumn", message === null ? null : column(message));
    await tick();
  };
  return { ...view, area, page, checked };
}

/** The column the parser's message names. */
function column(message: string): number {
  const p = problemFromMessage(message);
  if (!p) throw new Error(`no column in ${message}`);
  return p.column;
}

describe("QueryEditor", () => {
  it("colours operators, phrases, fields and the rest as the query is typed", async () => {
    const query = 'title:BRICS AND ("central bank" OR -sport) NEAR/5 sanction* {SCO} <<<note>>>';
    const { container, area, page } = await typed(query);
    expect(area.value).toBe(query);
    expect(page.get("query")).toBe(query);
    // Lossless: the layer reads as the query, and screen readers skip it (the textarea is the field).
    const pre = container.querySelector("pre.query-layer")!;
    expect(pre.getAttribute("aria-hidden")).toBe("true");
    expect(layer(container).map((p) => p.text).join("")).toBe(query);

    expect(kindOf(container, "title:")).toEqual(["q-field"]);
    expect(kindOf(container, "BRICS")).toEqual(["q-term"]);
    expect(kindOf(container, "AND")).toEqual(["q-operator"]);
    expect(kindOf(container, "OR")).toEqual(["q-operator"]);
    expect(kindOf(container, "NEAR/5")).toEqual(["q-operator"]);
    expect(kindOf(container, '"central bank"')).toEqual(["q-phrase"]);
    expect(kindOf(container, "(")).toEqual(["q-paren"]);
    expect(kindOf(container, "-")).toEqual(["q-negation"]);
    expect(kindOf(container, "sanction*")).toEqual(["q-wildcard"]);
    expect(kindOf(container, "{SCO}")).toEqual(["q-exact"]);
    expect(kindOf(container, "<<<note>>>")).toEqual(["q-comment"]);
    // Nothing is marked as an error while the check has not blamed a column.
    expect(layer(container).some((p) => p.classes.includes("q-error"))).toBe(false);
  });

  it("reads lower-case operators and unknown fields as words, and follows each keystroke", async () => {
    const { container, area } = await typed("brics and sco");
    expect(kindOf(container, "and")).toEqual(["q-term"]);
    expect(kindOf(container, " ")).toEqual(["q-space"]);
    await fireEvent.input(area, { target: { value: "brics AND nofield:sco" } });
    expect(kindOf(container, "AND")).toEqual(["q-operator"]);
    expect(kindOf(container, "nofield:sco")).toEqual(["q-term"]);
  });

  it("marks the character the parser's error points at", async () => {
    const query = "BRICS AND AND SCO";
    const { container, checked } = await typed(query);
    await checked("invalid query: expected a word, a phrase or '(' before this operator at column 11");
    const parts = layer(container);
    const marked = parts.filter((p) => p.classes.includes("q-error"));
    // Column 11 is the second AND's first letter: marked, and still coloured as an operator.
    expect(marked).toEqual([{ text: "A", classes: ["q-operator", "q-error"] }]);
    const before = parts.slice(0, parts.indexOf(parts.find((p) => p.classes.includes("q-error"))!));
    expect(before.map((p) => p.text).join("")).toBe("BRICS AND ");
    expect(parts.map((p) => p.text).join("")).toBe(query);

    // Fixed: the check clears the column and the mark goes.
    await checked(null);
    expect(layer(container).some((p) => p.classes.includes("q-error"))).toBe(false);
  });

  it("marks a wildcard at the start of a word inside its own token", async () => {
    const { container, checked } = await typed("title:BRICS x *abc");
    await checked("invalid query: a wildcard cannot start a word: write at least one letter before it at column 15");
    expect(layer(container).filter((p) => p.classes.includes("q-error"))).toEqual([{ text: "*", classes: ["q-wildcard", "q-error"] }]);
  });

  it("marks a space past the end when the query stops too early", async () => {
    const query = "BRICS AND (SCO";
    const { container, checked } = await typed(query);
    await checked("invalid query: expected ')' at column 15");
    const parts = layer(container);
    expect(parts.at(-1)).toEqual({ text: " ", classes: ["q-space", "q-error"] });
    expect(parts.slice(0, -1).map((p) => p.text).join("")).toBe(query);
  });

  it("keeps the field's attributes for the form", () => {
    const { getByTestId } = render(QueryEditor, { props: { value: "x", testid: "search-query", required: true, rows: 2, placeholder: "BRICS" } });
    const area = getByTestId("search-query") as HTMLTextAreaElement;
    expect(area.required).toBe(true);
    expect(area.rows).toBe(2);
    expect(area.placeholder).toBe("BRICS");
    expect(area.getAttribute("spellcheck")).toBe("false");
  });
});

import { describe, expect, it } from "vitest";
import { caretLine, problemFromMessage } from "./query";

/** What the analyst sees: the line, then the caret line. */
const render = (q: string, col: number) => {
  const c = caretLine(q, col);
  return `${c.text}\n${c.pad}^`;
};

describe("caretLine", () => {
  it("puts the caret under a 1-based column", () => {
    expect(render("tariff AND (", 12)).toBe("tariff AND (\n           ^");
    expect(render("tariff AND (", 1)).toBe("tariff AND (\n^");
  });

  it("points just past the end for errors at the end of input", () => {
    expect(render("a AND", 6)).toBe("a AND\n     ^");
    expect(render("a AND", 99)).toBe("a AND\n     ^");
  });

  it("clamps columns below 1", () => {
    expect(render("abc", 0)).toBe("abc\n^");
    expect(render("abc", -5)).toBe("abc\n^");
  });

  it("counts code points, so Cyrillic and astral characters take one column each", () => {
    expect(render("санкции OR )", 12)).toBe("санкции OR )\n           ^");
    expect(render("𝐀 AND )", 7)).toBe("𝐀 AND )\n      ^");
    // An emoji is one code point but two cells wide in a monospace font.
    expect(render("😀 AND )", 7)).toBe("😀 AND )\n       ^");
  });

  it("pads wide CJK characters with two cells", () => {
    expect(caretLine("央行 AND )", 8).pad).toBe("    " + "     ");
  });

  it("finds the line of a column in a multi-line query and keeps tabs", () => {
    const q = "tariff OR\n\tsanctions AND )";
    const c = caretLine(q, 26);
    expect(c.line).toBe(2);
    expect(c.text).toBe("\tsanctions AND )");
    expect(c.pad).toBe("\t" + " ".repeat(14));
  });
});

describe("problemFromMessage", () => {
  it("splits the message and the column", () => {
    expect(problemFromMessage("expected ')' at column 11")).toEqual({ message: "expected ')'", column: 11 });
    expect(problemFromMessage("  'x*' needs 3 letters before '*' at column 3.  ")).toEqual({
      message: "'x*' needs 3 letters before '*'",
      column: 3,
    });
  });

  it("is null when no column is named", () => {
    expect(problemFromMessage("the query is empty")).toBeNull();
    expect(problemFromMessage("")).toBeNull();
  });
});

/// <reference types="node" />
// Every string the analyst reads comes from the catalogues. This test reads every component and module of
// the interface and fails on words written straight into them: text in markup, the attributes people read
// (title, aria-label, placeholder, alt, label), and sentence-like string literals in scripts. A line that
// must keep its text (a developer's error, a sample query) says why with `// i18n-ignore: reason`.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "svelte/compiler";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "i18n" ? [] : files(p);
    if (/\.test\.ts$|bindings\.ts$/.test(e.name)) return [];
    return /\.(svelte|ts)$/.test(e.name) ? [p] : [];
  });
}

/** Words that are the same in every language: the product, formats, protocols. */
const NAMES = new Set(["Mediawatch", "RSS", "Atom", "JSON", "OPML", "CSV", "PDF", "XLSX", "HTML", "SMTP", "URL", "ntfy", "TLS", "STARTTLS", "Esc", "Enter", "Tab"]);

/** Text that needs translating: a word (two letters or more) that is not a name and not a key on the keyboard. */
function needsWords(text: string): boolean {
  const trimmed = text.trim();
  // An address is data: a URL, an e-mail address, a host name.
  if (/^(\w+:\/\/\S+|[\w.+-]+@[\w.-]+|[\w-]+(\.[\w-]+)+)$/.test(trimmed)) return false;
  const words = text.match(/\p{L}{2,}/gu) ?? [];
  return words.some((w) => !NAMES.has(w));
}

const READ_ATTRIBUTES = new Set(["title", "aria-label", "placeholder", "alt", "label", "aria-description", "aria-valuetext"]);
/** Elements whose text is data, not interface: code samples and keys. */
const DATA_ELEMENTS = new Set(["kbd", "code", "style", "script"]);

type Node = { type: string; name?: string; data?: string; start: number; value?: unknown; attributes?: Node[]; [k: string]: unknown };

function markupLiterals(source: string): { line: number; text: string }[] {
  const ast = parse(source, { modern: true }) as unknown as { fragment: Node };
  const found: { line: number; text: string }[] = [];
  const lineOf = (pos: number) => source.slice(0, pos).split("\n").length;
  const ignored = (pos: number) => /i18n-ignore/.test(source.split("\n")[lineOf(pos) - 1] ?? "");
  const visit = (node: unknown, inData: boolean) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, inData);
      return;
    }
    const n = node as Node;
    if (n.type === "Text" && !inData && n.data && needsWords(n.data) && !ignored(n.start)) {
      found.push({ line: lineOf(n.start), text: n.data.trim() });
    }
    if (n.type === "Attribute" && n.name && READ_ATTRIBUTES.has(n.name) && Array.isArray(n.value)) {
      for (const part of n.value as Node[]) {
        if (part.type === "Text" && part.data && needsWords(part.data) && !ignored(part.start)) {
          found.push({ line: lineOf(part.start), text: `${n.name}="${part.data.trim()}"` });
        }
      }
      return;
    }
    const data = inData || (n.type === "RegularElement" && DATA_ELEMENTS.has(n.name ?? ""));
    for (const [k, v] of Object.entries(n)) {
      if (k === "attributes" || k === "fragment" || k === "children" || k === "body" || k === "consequent" || k === "alternate" || k === "nodes" || k === "fallback" || k === "pending" || k === "then" || k === "catch") {
        visit(v, data);
      }
    }
    if (Array.isArray(n.attributes)) return;
  };
  visit(ast.fragment, false);
  return found;
}

/** A string literal that reads as a sentence or a label: a capital, then two words or more. */
const SENTENCE = /(["'`])((?:[A-Z][a-z]+|[A-Z]{2,}) (?:[^"'`\n]*\s)?[a-z]{2,}[^"'`\n]*)\1/g;

function scriptLiterals(code: string): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  code.split("\n").forEach((raw, i) => {
    if (/i18n-ignore/.test(raw)) return;
    const line = raw.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "").replace(/\/\*.*?\*\//g, "");
    for (const m of line.matchAll(SENTENCE)) found.push({ line: i + 1, text: m[2] });
  });
  return found;
}

describe("strings the analyst reads", () => {
  const all = files(SRC);
  it("reads the interface's files", () => {
    expect(all.length).toBeGreaterThan(20);
  });

  for (const file of all) {
    it(`come from the catalogues in ${relative(SRC, file)}`, () => {
      const source = readFileSync(file, "utf8");
      const found: string[] = [];
      if (file.endsWith(".svelte")) {
        for (const f of markupLiterals(source)) found.push(`${f.line}: ${f.text}`);
        const offset = (pos: number) => source.slice(0, pos).split("\n").length - 1;
        for (const m of source.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) {
          const base = offset(m.index ?? 0);
          for (const f of scriptLiterals(m[1])) found.push(`${f.line + base}: ${f.text}`);
        }
      } else {
        for (const f of scriptLiterals(source)) found.push(`${f.line}: ${f.text}`);
      }
      expect(found).toEqual([]);
    });
  }
});

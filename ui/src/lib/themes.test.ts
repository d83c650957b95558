/// <reference types="node" />
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contrast, resolveTheme } from "./themes";

/** The custom properties of a rule of app.css (`:root {` or `:root[data-theme="dark"] {`). */
function palette(selector: string): Record<string, string> {
  const css = readFileSync(new URL("../app.css", import.meta.url), "utf8");
  const start = css.indexOf(`${selector} {`);
  expect(start, `${selector} in app.css`).toBeGreaterThanOrEqual(0);
  const body = css.slice(start, css.indexOf("}", start));
  const vars: Record<string, string> = {};
  for (const m of body.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-f]{6})\s*;/gi)) vars[m[1]] = m[2];
  return vars;
}

const light = palette(":root");
const dark = { ...light, ...palette(':root[data-theme="dark"]') };

/** Text colours and the surfaces each is drawn on. */
const PAIRS: [string, string[]][] = [
  ["text", ["bg", "surface", "sidebar", "surface-alt", "surface-sunken", "accent-soft", "danger-soft", "warning-soft", "success-soft"]],
  ["text-soft", ["bg", "surface", "surface-alt"]],
  ["muted", ["bg", "surface", "sidebar", "surface-alt", "surface-sunken"]],
  ["accent", ["bg", "surface", "sidebar", "accent-soft", "surface-alt"]],
  ["danger", ["surface", "danger-soft", "bg"]],
  ["warning", ["surface", "warning-soft", "bg"]],
  ["success", ["surface", "success-soft", "bg"]],
  ["on-accent", ["accent", "accent-hover", "danger", "danger-hover"]],
  ["text", [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `topic-${i}`)],
];

describe.each([
  ["light", light],
  ["dark", dark],
])("the %s theme", (_name, p) => {
  it.each(PAIRS)("has %s at 4.5:1 or more on its surfaces", (fg, bgs) => {
    for (const bg of bgs) {
      expect(p[fg], `--${fg}`).toBeDefined();
      expect(p[bg], `--${bg}`).toBeDefined();
      const ratio = contrast(p[fg], p[bg]);
      expect(ratio, `--${fg} ${p[fg]} on --${bg} ${p[bg]}: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe("contrast and choice", () => {
  it("measures as WCAG does", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it("follows the desktop for system only", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
  });
});

// axe-core (the suite's one npm dependency), injected into the window.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { E2E_DIR } from './util.mjs';

const AXE_SOURCE = fs.readFileSync(path.join(E2E_DIR, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core on the page shown: how many rules applied, and the serious and critical violations. */
export async function axe(wd) {
  const loaded = await wd.executeScript(`${AXE_SOURCE}\n;return typeof window.axe === 'object';`);
  assert.ok(loaded, 'axe-core loads into the window');
  const json = await wd.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     window.axe.run(document)
       .then((r) => done(JSON.stringify({
         rules: r.passes.length + r.violations.length + r.incomplete.length,
         violations: r.violations
           .filter((v) => v.impact === 'serious' || v.impact === 'critical')
           .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })),
       })))
       .catch((e) => done(JSON.stringify({ error: String(e) })));`,
  );
  const out = JSON.parse(json);
  assert.ok(Array.isArray(out.violations) && out.rules > 20, `axe-core ran its rules: ${json}`);
  return out;
}

// Assertions the workflows share (beside node:assert/strict).

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { WAIT_MS, log } from './util.mjs';

/** Retry an assertion block until it passes; on timeout rethrow its last failure. */
export async function eventually(fn, { timeout = WAIT_MS, interval = 250 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
    await sleep(interval);
  }
}

export const lower = (s) => String(s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

/** Does a {text, raw} pair read `expected` (whitespace-normalised, case-insensitive: CSS may transform)? */
export function reads(t, expected) {
  if (!t) return false;
  return lower(t.raw) === lower(expected) || lower(t.text) === lower(expected);
}

/** Every query term is highlighted: as one mark, or (for a phrase) word by word. */
export function assertHitsCover(hits, terms, where) {
  const marks = hits.map(lower);
  for (const term of terms) {
    const t = lower(term);
    const whole = marks.some((m) => m === t || m.includes(t));
    const words = t.split(' ').every((w) => marks.some((m) => m.split(' ').includes(w)));
    assert.ok(whole || words, `${where}: expected a highlighted "${term}" among marks ${JSON.stringify(hits)}`);
  }
}

/**
 * A query error shown like a compiler's: `caret` is the query's line, a line break, then spaces and a
 * "^" under the column the error's text names ("column N").
 */
export function assertCaret(error, caret, query, where) {
  const text = `${error.raw || ''} ${error.text || ''}`;
  const column = Number((text.match(/column (\d+)/) || [])[1]);
  assert.ok(column >= 1, `${where}: the error names a column: ${JSON.stringify(text)}`);
  const [line, marker, ...rest] = caret.split('\n');
  assert.equal(line, query, `${where}: the caret block shows the query`);
  assert.deepEqual(rest, [], `${where}: two lines in the caret block`);
  assert.equal(marker.trimEnd(), `${' '.repeat(column - 1)}^`, `${where}: the caret sits under column ${column}`);
  log(`${where}: error at column ${column}:\n  ${line}\n  ${marker}`);
}

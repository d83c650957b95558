// Topics: an invalid query is shown like a compiler error (a caret under the column); a valid one previews live
// what it would flag among the stored articles before it is saved; saving lists it with its mention count.
// Hands on: ctx.topic.

import assert from 'node:assert/strict';
import { waitFor } from '../webdriver.mjs';
import { assertCaret, assertHitsCover, eventually, lower, reads } from '../lib/assertions.mjs';
import { SEED_TITLE } from '../lib/fixture.mjs';
import { WAIT_MS, log } from '../lib/util.mjs';

export const name = 'topic-preview';
export const needs = ['add-source-and-fetch'];

const TOPIC_NAME = 'SCO summitry';
const TOPIC_QUERY = '"Shanghai Cooperation Organisation" OR BRICS';
const TOPIC_TERMS = ['Shanghai Cooperation Organisation', 'BRICS'];
const INVALID_QUERY = '(BRICS AND';

export async function run(ctx) {
  const { wd, page } = ctx;

  // Topics: an invalid query is reported, a valid one is saved.
  log('topics');
  await page.goTo('topics');
  await page.setValue('topic-query', INVALID_QUERY);
  let invalid = await waitFor(async () => (await page.topics()).error, {
    timeout: 8_000,
    message: 'topic-error',
  }).catch(() => null);
  if (!invalid) {
    // the check may run on blur rather than while typing: move the focus as a user would
    log('note: no topic-error while typing; moving focus to topic-name');
    await wd.click(await page.waitVisible('topic-name'));
    invalid = await waitFor(async () => (await page.topics()).error, { message: 'topic-error for an invalid query' });
  }
  log(`topic-error: ${JSON.stringify(invalid.text || invalid.raw)}`);
  // Like a compiler: the query, and under it a caret at the column the message names.
  const invalidShown = await eventually(async () => {
    const t = await page.topics();
    assert.ok(t.error && t.caret, `topic-error with a topic-caret, got ${JSON.stringify(t)}`);
    return t;
  });
  assertCaret(invalidShown.error, invalidShown.caret, INVALID_QUERY, 'topic editor');
  await page.shot('topic-invalid-query');

  await page.setValue('topic-name', TOPIC_NAME);
  await page.setValue('topic-query', TOPIC_QUERY);
  await eventually(async () => {
    const t = await page.topics();
    assert.equal(t.error, null, `topic-error should go away for a valid query, got ${JSON.stringify(t.error)}`);
  });
  const reading = (await page.topics()).reading;
  if (reading) log(`topic-reading: ${JSON.stringify(reading.text || reading.raw)}`);
  // The live preview: what the query would flag among the stored articles, before it is saved.
  const preview = await eventually(
    async () => {
      const t = await page.topics();
      const p = t.preview;
      assert.ok(p && p.count && !p.stale, `a fresh topic-preview-count, got ${JSON.stringify(p)}`);
      assert.match(p.count, /^Would flag 1 stored article \(\d+ checked\)$/, `topic-preview-count, got ${JSON.stringify(p.count)}`);
      assert.deepEqual(p.hits.map((h) => lower(h.title)), [lower(SEED_TITLE)], 'the preview lists the seed article');
      assertHitsCover(p.hits[0].marks, TOPIC_TERMS, 'preview hit');
      return p;
    },
    { timeout: Math.max(WAIT_MS, 30_000) },
  );
  log(`topic-preview: ${JSON.stringify(preview.count)}`);
  await page.shot('topic-preview');
  await page.clickWhenEnabled('topic-add');
  await eventually(
    async () => {
      const t = await page.topics();
      const row = t.rows.find((r) => reads(r.name, TOPIC_NAME));
      assert.ok(row, `a topic-row named ${TOPIC_NAME} should appear; rows: ${JSON.stringify(t.rows.map((r) => r.name && r.name.raw))}`);
      assert.ok(reads(row.mentions, '1 mention'), `topic-row-mentions should read "1 mention", got ${JSON.stringify(row.mentions)}`);
      assert.equal(t.note, `Added “${TOPIC_NAME}”: it flags 1 stored article.`, 'topic-note after saving');
      assert.equal(t.backfill, false, 'the backfill progress is gone once saved');
      assert.deepEqual([t.form.name, t.form.query], ['', ''], 'the editor is cleared for the next topic');
    },
    { timeout: Math.max(WAIT_MS, 30_000) },
  );
  await page.assertNoErrorBanner('after adding the topic');
  await page.shot('topic-added');

  ctx.topic = { name: TOPIC_NAME, query: TOPIC_QUERY, terms: TOPIC_TERMS };
}

// Search over every stored article in the topics' query language: an unbalanced query (caret under the
// column), a proximity query that finds the port story, newest and relevance order, the hit in the reader,
// and "Save as topic", which opens the Topics form with the query.

import assert from 'node:assert/strict';
import { assertCaret, assertHitsCover, eventually, reads } from '../lib/assertions.mjs';
import { PORT_TITLE } from '../lib/fixture.mjs';
import { log } from '../lib/util.mjs';

export const name = 'search-save-topic';
export const needs = ['add-source-and-fetch'];

// An unbalanced query first, then one that finds the port story.
const SEARCH_INVALID = '(conveyor NEAR/3';
const SEARCH_QUERY = 'conveyor NEAR/3 repair';

export async function run(ctx) {
  const { wd, page } = ctx;

  // Search over every stored article, in the same query language.
  log('search');
  await page.goTo('search');
  await page.waitVisible('search-intro');
  await page.setValue('search-query', SEARCH_INVALID);
  await page.clickWhenEnabled('search-submit');
  const badSearch = await eventually(async () => {
    const s = await page.search();
    assert.ok(s.error && s.caret, `search-error with a search-caret, got ${JSON.stringify(s)}`);
    return s;
  });
  assertCaret(badSearch.error, badSearch.caret, SEARCH_INVALID, 'search');
  await page.shot('search-invalid-query');

  await page.setValue('search-query', SEARCH_QUERY);
  await page.clickWhenEnabled('search-submit');
  await eventually(async () => {
    const s = await page.search();
    assert.equal(s.error, null, `no search-error, got ${JSON.stringify(s.error)}`);
    assert.equal(s.summary, '1 article, newest first', `search-summary, got ${JSON.stringify(s)}`);
    assert.equal(s.hits.length, 1, `one search-hit, got ${JSON.stringify(s.hits)}`);
    assert.ok(reads(s.hits[0].title, PORT_TITLE), `the hit is the port story, got ${JSON.stringify(s.hits[0].title)}`);
    assertHitsCover(s.hits[0].marks, ['conveyor', 'repair'], 'search hit');
    assert.equal(s.loadMore, false, 'no "Load more" for a single hit');
  });
  await page.clickWhenEnabled('search-order-relevance');
  await eventually(async () => {
    const s = await page.search();
    assert.deepEqual(s.order, { newest: false, relevance: true }, 'Relevance is pressed');
    assert.equal(s.hits.length, 1, 'the same hit by relevance');
    assert.match(s.summary ?? '', /^1 article, (most relevant|newest) first$/, `search-summary, got ${JSON.stringify(s.summary)}`);
    if (/newest/.test(s.summary)) assert.ok(s.note, 'search-note says why relevance was not used');
  });
  log(`search: ${JSON.stringify((await page.search()).summary)}`);
  const hitEl = await page.searchHitWithTitle(PORT_TITLE);
  assert.ok(hitEl, 'the search-hit element');
  await wd.click(hitEl);
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.ok(d && reads(d.title, PORT_TITLE), `the reader opens the hit, got ${JSON.stringify(d && d.title)}`);
  });
  await page.assertNoErrorBanner('on the search page');
  await page.shot('search');
  // "Save as topic": the Topics form opens with the query, waiting for a name.
  await page.clickWhenEnabled('search-save-topic');
  await page.waitVisible('page-topics');
  await eventually(async () =>
    assert.equal(await wd.getProperty(await page.waitVisible('topic-query'), 'value'), SEARCH_QUERY, 'the query is handed over'),
  );
  assert.equal(
    await wd.executeScript(`return document.activeElement && document.activeElement.getAttribute('data-testid')`),
    'topic-name',
    'the topic name has the focus',
  );
  log('search: "Save as topic" opens the Topics form with the query');
}

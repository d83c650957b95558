// First run, then the analyst adds the agency (by its web page's URL: the feed is discovered) and a broken feed,
// and fetches: every item arrives, every teaser's article page is read, the broken feed fails with HTTP 500.
// Hands on: ctx.sources.agency, ctx.sources.broken.

import assert from 'node:assert/strict';
import { waitFor } from '../webdriver.mjs';
import { eventually } from '../lib/assertions.mjs';
import { SEED_IMAGE } from '../lib/fixture.mjs';
import { WAIT_MS, log } from '../lib/util.mjs';

export const name = 'add-source-and-fetch';
export const needs = [];

const AGENCY_NAME = 'ENA world wire (e2e)';
const BROKEN_NAME = 'Broken feed (e2e)';

export async function run(ctx) {
  const { page, feed, items } = ctx;
  const itemCount = items.length;

  // First run: the Overview shows the empty state.
  log('first run shows the empty state');
  await page.waitVisible('empty-state', { timeout: Math.max(WAIT_MS, 30_000) });
  assert.ok(await page.visible('page-overview'), 'the app should start on the Overview page');
  await page.assertNoErrorBanner('on first run');
  await page.shot('first-run');

  // Add the agency feed and a broken one.
  log('add sources');
  await page.goTo('sources');
  // The agency is added by its web page's URL: the app discovers the feed the page advertises.
  await page.addSource(feed.pageUrl, AGENCY_NAME, feed.agencyUrl);
  assert.ok(feed.hits['/news/'] >= 1, 'the app fetched the page to discover its feed');
  await page.addSource(feed.brokenUrl, BROKEN_NAME);
  assert.equal((await page.sources()).length, 2, 'exactly two source rows');
  await page.assertNoErrorBanner('after adding sources');
  await page.shot('sources-added');

  // Fetch now: the agency feed brings every item, the broken one fails with HTTP 500.
  log('fetch now');
  await page.clickWhenEnabled('fetch-now');
  // The broken feed is retried with backoff (about 1.5 s), so the progress panel is on screen meanwhile.
  let progressSeen = null;
  const fetched = await waitFor(
    async () => {
      const s = await page.fetchState();
      if (s.progress && !progressSeen) progressSeen = s.progress.text || s.progress.raw;
      return s.result && (s.result.raw || s.result.text) ? s : null;
    },
    { timeout: Math.max(WAIT_MS, 60_000), interval: 100, message: 'fetch-result' },
  );
  assert.ok(progressSeen, 'the fetch-progress panel was shown while fetching');
  assert.match(progressSeen, /Fetching \d of 2|Starting fetch|Finishing/, `progress text, got ${JSON.stringify(progressSeen)}`);
  log(`fetch-progress: ${JSON.stringify(progressSeen)}`);
  const resultText = fetched.result.text || fetched.result.raw;
  log(`fetch-result: ${JSON.stringify(resultText)}`);
  assert.match(resultText, new RegExp(`\\b${itemCount}\\b`), `fetch-result should mention ${itemCount} new articles`);
  assert.match(resultText, /new/i, 'fetch-result should speak of new articles');
  assert.ok(feed.hits['/feeds/agency.xml'] >= 1, 'the app requested the agency feed');
  assert.ok(feed.hits['/feeds/broken.xml'] >= 1, 'the app requested the broken feed');
  // Every agency item is a teaser, so its article page was requested (full-text mode "auto", the default) —
  // the missing one and the one without an article too, which changes nothing in the counts below.
  for (const item of items) {
    assert.ok(feed.hitCount(item.link) >= 1, `the app requested the article page ${item.link}`);
  }
  assert.equal(feed.hitCount(SEED_IMAGE), 0, 'fetching never loads an article picture');
  await eventually(async () => {
    const rows = await page.sources();
    const agency = rows.find((r) => (r.raw || '').includes(feed.agencyUrl) || r.html.includes(feed.agencyUrl));
    const broken = rows.find((r) => (r.raw || '').includes(feed.brokenUrl) || r.html.includes(feed.brokenUrl));
    assert.ok(agency && broken, 'both source rows are listed');
    const st = (t) => (t ? t.raw || t.text || '' : '');
    assert.ok(agency.status, 'the agency row has a source-status');
    assert.match(st(agency.status), /^OK/i, `agency source-status should start with OK, got ${JSON.stringify(st(agency.status))}`);
    assert.ok(agency.articles, 'the agency row has a source-articles count');
    assert.equal(st(agency.articles), String(itemCount), 'agency source-articles equals the fixture item count');
    assert.ok(broken.status, 'the broken row has a source-status');
    assert.match(st(broken.status), /^Error/i, `broken source-status should start with Error, got ${JSON.stringify(st(broken.status))}`);
    const brokenDetail = `${st(broken.status)} ${broken.status.text || ''} ${broken.status.title || ''} ${broken.raw || ''}`;
    assert.match(brokenDetail, /\b500\b/, `the broken source should mention HTTP 500, got ${JSON.stringify(brokenDetail)}`);
  });
  await page.shot('fetched');

  ctx.sources.agency = { name: AGENCY_NAME, url: feed.agencyUrl };
  ctx.sources.broken = { name: BROKEN_NAME, url: feed.brokenUrl };
}

// Another outlet republishes the seed story: a new source fetched on its own row; Mentions counts the other
// outlet on both rows; the reader lists the copy and opens it.
// Hands on: ctx.sources.republisher, ctx.copy.

import assert from 'node:assert/strict';
import { tid } from '../webdriver.mjs';
import { eventually, reads } from '../lib/assertions.mjs';
import { COPY_TITLE, SEED_PAGE_ONLY, SEED_TITLE } from '../lib/fixture.mjs';
import { fixtureItems } from '../lib/server.mjs';
import { WAIT_MS, log } from '../lib/util.mjs';

export const name = 'reader-copies';
export const needs = ['topic-preview'];

const REPUBLISHER_NAME = 'Harbour Courier (e2e)';

export async function run(ctx) {
  const { wd, page, feed } = ctx;
  const agencyName = ctx.sources.agency.name;

  // Another outlet republishes the story: a new source; the copy is grouped with the agency's article.
  log('a republisher and the story\'s copies');
  await page.goTo('sources');
  await page.addSource(feed.republisherUrl, REPUBLISHER_NAME);
  const courierRow = await page.sourceRowNamed(REPUBLISHER_NAME);
  assert.ok(courierRow, `a source-row named ${REPUBLISHER_NAME}`);
  await wd.click(await wd.findElement(tid('source-fetch'), courierRow));
  await eventually(
    async () => {
      const row = (await page.sources()).find(
        (r) => (r.raw || '').includes(feed.republisherUrl) || r.html.includes(feed.republisherUrl),
      );
      const st = (t) => (t ? t.raw || t.text || '' : '');
      assert.ok(row, 'the republisher row is listed');
      assert.match(st(row.status), /^OK/i, `republisher source-status, got ${JSON.stringify(st(row.status))}`);
      assert.equal(st(row.articles), '1', 'the republisher brought its one article');
      const s = await page.fetchState();
      assert.equal(s.progress, null, 'the fetch has finished');
    },
    { timeout: Math.max(WAIT_MS, 30_000) },
  );
  const copyItem = fixtureItems(feed.republisherXml)[0];
  assert.equal(feed.hitCount(copyItem.link), 0, "the republisher's item carries its full text: its page is not fetched");
  await page.assertNoErrorBanner('after fetching the republisher');

  await page.goTo('mentions');
  await eventually(async () => {
    const rows = await page.mentions();
    const titles = rows.map((r) => r.title && (r.title.raw || r.title.text));
    assert.equal(rows.length, 2, `the seed and its copy are flagged, got ${JSON.stringify(titles)}`);
    for (const title of [SEED_TITLE, COPY_TITLE]) {
      const row = rows.find((r) => reads(r.title, title));
      assert.ok(row, `a mention-row titled ${JSON.stringify(title)}; rows: ${JSON.stringify(titles)}`);
      assert.ok(
        reads(row.outlets, '+1 outlet'),
        `${title}: mention-outlets should read "+1 outlet", got ${JSON.stringify(row.outlets)}`,
      );
    }
  });
  await page.shot('mentions-outlets');

  await page.openMention(SEED_TITLE);
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.ok(d.copies, 'reader-copies is shown');
    assert.match(d.copies.heading, /^Also published by 1 outlet$/i, `copies heading, got ${JSON.stringify(d.copies.heading)}`);
    assert.equal(d.copies.items.length, 1, `one reader-copy, got ${JSON.stringify(d.copies.items)}`);
    assert.ok(d.copies.items[0].includes(REPUBLISHER_NAME), `the copy names the other outlet: ${d.copies.items[0]}`);
    assert.ok(d.copies.items[0].includes(COPY_TITLE), `the copy shows its headline: ${d.copies.items[0]}`);
  });
  await page.scrollTo('reader-copies');
  await page.shot('reader-copies');

  await wd.click(await page.waitVisible('reader-copy', { within: 'reader' }));
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.ok(d && reads(d.title, COPY_TITLE), `the reader switched to the copy, got ${JSON.stringify(d && d.title)}`);
    assert.equal(d.link, copyItem.link, "reader-link points at the copy's own address");
    assert.match(d.origin ?? '', /^Text from the feed$/i, `the copy's text is the feed's, got ${JSON.stringify(d.origin)}`);
    assert.ok(d.meta.includes(REPUBLISHER_NAME), `the metadata names the republisher: ${d.meta}`);
    assert.ok(d.body && d.body.text.includes(SEED_PAGE_ONLY[2]), 'the copy carries the same body');
    assert.ok(
      d.copies && d.copies.items.length === 1 && d.copies.items[0].includes(agencyName),
      `the copy lists the agency's original: ${JSON.stringify(d.copies)}`,
    );
  });
  await page.assertNoErrorBanner('after opening the copy');
  await page.shot('reader-copy-opened');

  ctx.sources.republisher = { name: REPUBLISHER_NAME, url: feed.republisherUrl };
  ctx.copy = copyItem;
}

// Mentions and the reader: the one flagged article with its topic chip and marked terms; the reader shows the
// article extracted from its page (no furniture, terms marked, where the text came from), the plain-text view,
// and the picture only once it is asked for.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../webdriver.mjs';
import { assertHitsCover, eventually, reads } from '../lib/assertions.mjs';
import { PAGE_FURNITURE, SEED_IMAGE, SEED_PAGE_ONLY, SEED_SITE_NAME, SEED_TITLE } from '../lib/fixture.mjs';
import { SETTLE_MS, WAIT_MS, log } from '../lib/util.mjs';

export const name = 'reader-article';
export const needs = ['topic-preview'];

export async function run(ctx) {
  const { page, feed, seed, topic } = ctx;
  const agencyName = ctx.sources.agency.name;

  // Mentions: only the seed-like article, with the topic chip and highlighted terms.
  log('mentions');
  await page.goTo('mentions');
  await waitFor(async () => (await page.mentions()).length > 0, {
    timeout: Math.max(WAIT_MS, 30_000),
    message: 'mention-row',
  });
  await sleep(SETTLE_MS); // let a still-running backfill add any further (wrong) rows before counting
  await eventually(async () => {
    const rows = await page.mentions();
    const titles = rows.map((r) => r.title && (r.title.raw || r.title.text));
    assert.equal(rows.length, 1, `exactly one mention-row expected (only the seed-like article matches), got ${JSON.stringify(titles)}`);
    const row = rows[0];
    assert.ok(reads(row.title, SEED_TITLE), `mention-title should be the seed article, got ${JSON.stringify(titles[0])}`);
    assert.ok(
      row.topics.some((t) => reads(t, topic.name)),
      `the row should carry a mention-topic chip "${topic.name}", got ${JSON.stringify(row.topics.map((t) => t && t.raw))}`,
    );
    assertHitsCover(row.hits, topic.terms, 'mentions list');
  });
  await page.assertNoErrorBanner('on the mentions page');
  await page.shot('mentions');

  // Reader: the article opens with its title and highlighted terms.
  log('reader');
  await page.openMention(SEED_TITLE);
  await eventually(async () => {
    const r = await page.reader();
    assert.ok(r, 'the reader pane is visible');
    assert.ok(reads(r.title, SEED_TITLE), `reader-title should be the seed title, got ${JSON.stringify(r.title)}`);
    assert.ok(r.body && /Wang Yi/.test(r.body) && /Xi Jinping/.test(r.body), 'reader-body shows the article text');
    assertHitsCover(r.hits, topic.terms, 'reader-body');
  });

  // The article as extracted from its page: sanitised HTML without the page's furniture, marked terms,
  // where the text came from, the original's address; the picture stays a placeholder until it is asked for.
  log('the extracted article in the reader');
  const article = await eventually(async () => {
    const d = await page.readerDetail();
    assert.ok(d, 'the reader shows an article');
    assert.match(d.origin ?? '', /^Full text from the article page$/i, `reader-origin, got ${JSON.stringify(d.origin)}`);
    assert.equal(d.extractError, null, 'no reader-extract-error for a page that was read');
    assert.equal(d.link, seed.link, "reader-link points at the article's page");
    assert.ok(d.meta.includes(agencyName), `the metadata names the source: ${d.meta}`);
    assert.ok(d.meta.includes(SEED_SITE_NAME), `the metadata names the site (from the page): ${d.meta}`);
    assert.deepEqual(d.view, { article: true, text: false }, 'the Article view is the default');
    assert.ok(d.html, 'reader-html shows the extracted article');
    for (const para of SEED_PAGE_ONLY) {
      assert.ok(d.html.text.includes(para), `reader-html holds the page's paragraph "${para}": ${d.html.text}`);
    }
    assert.ok(d.html.paragraphs >= SEED_PAGE_ONLY.length, `reader-html keeps the paragraphs (${d.html.paragraphs} <p>)`);
    for (const bit of PAGE_FURNITURE) {
      assert.ok(!d.html.inner.includes(bit), `reader-html must not carry the page furniture "${bit}": ${d.html.inner}`);
    }
    for (const tag of ['script', 'nav', 'aside', 'footer', 'form', 'button', 'style']) {
      assert.ok(!d.html.tags.includes(tag), `reader-html must not contain <${tag}>: ${d.html.tags.join(', ')}`);
    }
    assert.ok(d.html.hits.length >= 1, 'at least one hit mark inside reader-html');
    assertHitsCover(d.html.hits, topic.terms, 'reader-html');
    assert.equal(d.html.imgs.length, 0, `no <img> in reader-html before pictures are allowed: ${JSON.stringify(d.html.imgs)}`);
    assert.equal(d.html.placeholders, 1, 'the picture is a reader-image-placeholder');
    assert.ok(d.loadImages, 'reader-load-images is offered');
    return d;
  });
  log(`reader-html: ${article.html.paragraphs} paragraphs, marks ${JSON.stringify(article.html.hits)}; meta: ${article.meta}`);
  assert.equal(feed.hitCount(SEED_IMAGE), 0, 'the picture was not requested before the analyst asked for it');
  await page.shot('reader-article');

  // The plain-text view marks the same terms in the stored text; and back.
  await page.clickWhenEnabled('reader-view-text');
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.deepEqual(d.view, { article: false, text: true }, 'the Plain text view is pressed');
    assert.equal(d.html, null, 'reader-html is gone in the plain-text view');
    assert.ok(d.body && d.body.paragraphs >= SEED_PAGE_ONLY.length, 'reader-body shows the text as paragraphs');
    for (const para of SEED_PAGE_ONLY) assert.ok(d.body.text.includes(para), `plain text holds "${para}"`);
    assert.ok(!/Related|cookie/.test(d.body.text), 'no furniture in the plain text either');
    assertHitsCover(d.body.hits, topic.terms, 'plain-text view');
  });
  await page.clickWhenEnabled('reader-view-article');
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.deepEqual(d.view, { article: true, text: false }, 'back in the Article view');
    assert.ok(d.html && d.html.hits.length >= 1 && d.html.placeholders === 1, 'reader-html again, marked, picture not loaded');
  });

  // Pictures for this article, on request: the <img> gets its src, and the server sees one request for it.
  await page.clickWhenEnabled('reader-load-images');
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.ok(d.html, 'reader-html is still shown');
    assert.equal(d.html.placeholders, 0, 'the placeholder gave way to the picture');
    assert.deepEqual(d.html.imgs.map((i) => i.src), [feed.imageUrl], 'one <img> with its src on the fixture server');
    assert.ok(!d.loadImages, 'reader-load-images is gone once the pictures are loaded');
  });
  await page.scrollTo('reader-html', { inner: 'img', block: 'nearest' }); // it loads lazily: have it in view
  await eventually(async () => {
    const img = (await page.readerDetail()).html.imgs[0];
    assert.ok(img.complete && img.width > 0, `the picture has loaded: ${JSON.stringify(img)}`);
    assert.equal(feed.hitCount(SEED_IMAGE), 1, 'exactly one request for the picture');
  });
  await page.assertNoErrorBanner('in the reader');
  await page.shot('reader-pictures');
}

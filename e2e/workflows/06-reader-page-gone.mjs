// The failure path of extraction: a topic finds the story whose article page is gone (a 404); the reader shows
// the feed's text and says why the page could not be read.
// Hands on: ctx.portTopic.

import assert from 'node:assert/strict';
import { eventually, lower, reads } from '../lib/assertions.mjs';
import { PORT_TITLE } from '../lib/fixture.mjs';
import { log } from '../lib/util.mjs';

export const name = 'reader-page-gone';
// three mention rows: the seed, its copy, the port story
export const needs = ['reader-copies'];

const PORT_TOPIC_NAME = 'Port of Kelmar';
const PORT_TOPIC_QUERY = 'Kelmar';

export async function run(ctx) {
  const { page } = ctx;

  // An article whose page could not be read (a 404): a topic on it, and the reader says so.
  log('an article whose page is gone');
  await page.goTo('topics');
  await page.setValue('topic-name', PORT_TOPIC_NAME);
  await page.setValue('topic-query', PORT_TOPIC_QUERY);
  await page.clickWhenEnabled('topic-add');
  await eventually(async () => {
    const t = await page.topics();
    assert.ok(t.rows.some((r) => reads(r.name, PORT_TOPIC_NAME)), `a topic-row named ${PORT_TOPIC_NAME}`);
  });
  await page.goTo('mentions');
  await eventually(async () => {
    const titles = (await page.mentions()).map((r) => r.title && (r.title.raw || r.title.text));
    assert.ok(
      titles.some((t) => lower(t) === lower(PORT_TITLE)),
      `the port story is flagged now; rows: ${JSON.stringify(titles)}`,
    );
    assert.equal(titles.length, 3, `three mention-rows: ${JSON.stringify(titles)}`);
  });
  await page.openMention(PORT_TITLE);
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.match(d.origin ?? '', /^Text from the feed$/i, `reader-origin, got ${JSON.stringify(d.origin)}`);
    assert.ok(d.extractError, 'reader-extract-error is shown');
    assert.match(d.extractError, /could not be read/i, `reader-extract-error, got ${JSON.stringify(d.extractError)}`);
    assert.match(d.extractError, /404/, `reader-extract-error names the HTTP status, got ${JSON.stringify(d.extractError)}`);
    assert.ok(d.body && d.body.text.includes('KELMAR (ENA)'), "the reader shows the feed's text");
    assert.equal(d.copies, null, 'no copies of the port story');
  });
  log(`reader-extract-error: ${JSON.stringify((await page.readerDetail()).extractError)}`);
  await page.assertNoErrorBanner('on the port story');
  await page.shot('reader-extract-error');

  ctx.portTopic = { name: PORT_TOPIC_NAME, query: PORT_TOPIC_QUERY };
}

// Analysis: the summary, share of voice and top sources; by hour over 7 days (the period in the URL); a click on
// the chart opens the mentions of the nearest point's topic in that hour.
// Hands on: ctx.analysis.hash (the Analysis view the click left, for 13-filter-url's Back).

import assert from 'node:assert/strict';
import { log } from '../lib/util.mjs';
import { eventually } from '../lib/assertions.mjs';

export const name = 'analysis-point';
export const needs = ['topic-preview'];

export async function run(ctx) {
  const { wd, page, topic } = ctx;
  const agencyName = ctx.sources.agency.name;

  // Analysis: the charts, and a point that opens the mentions behind it.
  log('analysis');
  await page.goTo('analysis');
  await page.waitVisible('volume-chart');
  await page.waitVisible('volume-plot');
  await page.assertNoErrorBanner('on Analysis');
  const analysisText = (id) =>
    wd.executeScript(`const e = document.querySelector('[data-testid="' + arguments[0] + '"]'); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null;`, [id]);
  const summary = await analysisText('analysis-summary');
  assert.match(summary || '', /Last 30 days: [1-9]\d* flagged articles?/, `the summary counts the flagged articles: ${summary}`);
  assert.ok((await analysisText('share-of-voice')).includes(topic.name), 'share of voice names the topic');
  assert.ok((await analysisText('top-sources')).includes(agencyName), 'top sources names the agency');
  await page.shot('analysis');
  // By hour over 7 days: the view is in the URL.
  await page.selectValue('analysis-period', '7d');
  await eventually(async () => assert.match(await wd.executeScript('return location.hash'), /period=7d/));
  await page.waitVisible('volume-plot');
  // A click on the chart opens the mentions of the nearest point's topic in that hour.
  const beforeClick = await wd.executeScript('return location.hash');
  await wd.click(await page.waitVisible('volume-plot'));
  await page.waitVisible('page-mentions');
  const pointHash = decodeURIComponent(await wd.executeScript('return location.hash'));
  assert.match(pointHash, /^#\/mentions\?topic=.+&since=.+&until=.+/, `a chart click opens a topic's mentions in a period: ${pointHash}`);
  await page.waitVisible('mentions-filter-chips');
  await page.assertNoErrorBanner('after a chart click');
  await page.shot('analysis-point-mentions');

  ctx.analysis = { hash: beforeClick };
}

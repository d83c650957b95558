// The view lives in the URL: Back from the mentions a chart point opened returns to the same Analysis view; a
// point of the chart's table opens the mentions behind it (a filter in the URL), and that filter and its rows
// survive a reload. Runs right after 12-analysis-point (it goes Back through the history that left).

import assert from 'node:assert/strict';
import { eventually } from '../lib/assertions.mjs';
import { log } from '../lib/util.mjs';

export const name = 'filter-url';
export const needs = ['analysis-point'];

export async function run(ctx) {
  const { wd, page, analysis } = ctx;
  log('filter and back through the URL');

  // Back returns to the same view of Analysis.
  await wd.back();
  await page.waitVisible('page-analysis');
  assert.equal(await wd.executeScript('return location.hash'), analysis.hash, 'back returns to the chart it came from');
  // A point with mentions, through the chart's table of links: the mentions behind it, each of that topic.
  await wd.executeScript(`document.querySelector('.volume-table').open = true;`);
  const cell = await page.waitVisible('volume-cell');
  const cellCount = Number(await wd.getProperty(cell, 'textContent'));
  await wd.click(cell);
  await page.waitVisible('page-mentions');
  await eventually(async () => assert.equal((await page.mentions()).length, cellCount, `the ${cellCount} mentions behind the point`));
  log(`a point of ${cellCount} opened ${cellCount} mentions`);

  // The filter survives a reload (a restart reads the same URL).
  const filteredHash = await wd.executeScript('return location.hash');
  await wd.refresh();
  await page.waitVisible('mentions-filter-chips');
  assert.equal(await wd.executeScript('return location.hash'), filteredHash, 'the filter is still in the URL after a reload');
  await eventually(async () => assert.equal((await page.mentions()).length, cellCount, 'the same mentions after a reload'));
}

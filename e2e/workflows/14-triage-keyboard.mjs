// Triage with the keyboard on Mentions: j/k move, o opens (and marks read), m toggles read, s stars, ? lists the
// keys, Escape closes the list, g a goes to Analysis.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebDriverClient, waitFor } from '../webdriver.mjs';
import { eventually } from '../lib/assertions.mjs';
import { log } from '../lib/util.mjs';

export const name = 'triage-keyboard';
// two mention rows at least: the seed and its copy
export const needs = ['reader-copies'];

export async function run(ctx) {
  const { wd, page } = ctx;

  // Triage with the keyboard: j/k move, o opens (and marks read), m toggles read, s stars, ? lists the keys.
  log('triage mentions with the keyboard');
  await page.goTo('mentions');
  await waitFor(async () => (await page.mentions()).length > 1, { message: 'two mention rows' });
  const active = async () => WebDriverClient.ref(await wd.executeScript('return document.activeElement'));
  const typeKey = async (key) => {
    await wd.sendKeys(await active(), key);
    await sleep(150);
  };
  const rowState = () =>
    wd.executeScript(`
      const row = document.querySelector('li.mention-item.cursor');
      if (!row) return null;
      const read = row.querySelector('[data-testid^="read-"]');
      const star = row.querySelector('[data-testid^="star-"]');
      const id = Number(row.querySelector('[data-testid="mention-row"]').getAttribute('data-row'));
      return { id, unread: read.getAttribute('aria-pressed') === 'true',
               starred: star.getAttribute('aria-pressed') === 'true' };`);
  await wd.executeScript(`document.querySelector('[data-testid="mention-row"]').focus();`);
  await typeKey('j');
  await typeKey('j');
  const second = await rowState();
  const rowCount = (await page.mentions()).length;
  assert.ok(second && second.id, `j moves the focus onto a row: ${JSON.stringify(second)}`);
  await typeKey('k');
  const first = await rowState();
  assert.notEqual(first.id, second.id, 'k moves back a row');
  await typeKey('j');
  assert.equal((await rowState()).id, second.id, 'j moves forward again');
  await typeKey('o');
  await page.waitVisible('reader');
  await eventually(async () => assert.equal((await rowState()).unread, false, 'opening marks the mention read'));
  await typeKey('m');
  await eventually(async () => assert.equal((await rowState()).unread, true, 'm marks it unread'));
  await typeKey('m');
  await eventually(async () => assert.equal((await rowState()).unread, false, 'm marks it read again'));
  const starredBefore = (await rowState()).starred;
  await typeKey('s');
  await eventually(async () => assert.equal((await rowState()).starred, !starredBefore, 's toggles the star'));
  await typeKey('s');
  await eventually(async () => assert.equal((await rowState()).starred, starredBefore, 's toggles it back'));
  await typeKey('?');
  await page.waitVisible('shortcuts-help');
  await page.shot('keyboard-shortcuts');
  await typeKey('\uE00C'); // Escape
  await eventually(async () => assert.equal(await page.visible('shortcuts-help'), null, 'Escape closes the list'));
  await wd.executeScript(`document.querySelector('[data-testid="mention-row"]').focus();`);
  await typeKey('g');
  await typeKey('a');
  await page.waitVisible('page-analysis');
  log(`keyboard: ${rowCount} rows; j/k/o/m/s, ? and g a work`);
}

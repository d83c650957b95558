// A star on a mention is stored: it is still pressed after the window reloads (what a restart reads again).

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../webdriver.mjs';
import { eventually } from '../lib/assertions.mjs';
import { SETTLE_MS, log } from '../lib/util.mjs';

export const name = 'star-survives-reload';
export const needs = ['topic-preview'];

export async function run(ctx) {
  const { wd, page } = ctx;

  // A star sticks across a reload of the window.
  log('stars across a reload');
  await page.goTo('mentions');
  await waitFor(async () => (await page.mentions()).length > 0, { message: 'mention-row' });
  const starId = await wd.executeScript(
    `const b = document.querySelector('[data-testid^="star-"]'); return b ? b.getAttribute('data-testid') : null;`,
  );
  assert.ok(starId, 'each mention row has a star toggle');
  const pressed = () =>
    wd.executeScript(
      `const b = document.querySelector('[data-testid="' + arguments[0] + '"]'); return b ? b.getAttribute('aria-pressed') : null;`,
      [starId],
    );
  assert.equal(await pressed(), 'false', `${starId} starts unstarred`);
  await page.clickWhenEnabled(starId);
  await eventually(async () => assert.equal(await pressed(), 'true', `${starId} is pressed after the click`));
  await sleep(SETTLE_MS); // the star is stored in the background (optimistic update)
  await page.assertNoErrorBanner('after starring a mention');
  await wd.refresh();
  await page.waitVisible('page-mentions');
  await eventually(async () => assert.equal(await pressed(), 'true', `${starId} is still starred after a reload`));
  log(`${starId} stays starred after a reload`);
}

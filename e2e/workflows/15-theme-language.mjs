// Appearance, switched at run time in Settings: every page in the light and the dark theme (a screenshot each,
// axe-core on each); then the interface in Russian without a reload (the navigation, <html lang>, the Settings
// heading, the relative times on Mentions; axe-core on Mentions and Settings; ru-mentions.png, ru-settings.png);
// then English again. It leaves the theme on "system" and the language on English.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../webdriver.mjs';
import { eventually } from '../lib/assertions.mjs';
import { axe } from '../lib/axe.mjs';
import { PAGES, SETTLE_MS, log } from '../lib/util.mjs';

export const name = 'theme-language';
// the relative times of the Mentions list
export const needs = ['topic-preview'];

/** Where the webview keeps the analyst's language. */
const LANGUAGE_KEY = 'mediawatch.language';
/** The navigation's labels in English (none may be left in Russian). */
const ENGLISH_NAV = ['Overview', 'Mentions', 'Analysis', 'Search', 'Topics', 'Alerts', 'Sources', 'Reports', 'Settings'];
/** What a relative time reads in Russian: "5 мин назад", "только что", or a date with a month abbreviation. */
const RUSSIAN_TIME = /назад|только что|янв|февр?|мар|апр|ма[йя]|июн|июл|авг|сент?|окт|нояб?|дек/i;
const ENGLISH_TIME = /\bago\b|just now|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/;

export async function run(ctx) {
  const { wd, page } = ctx;

  // Every page in both themes: a screenshot, and axe-core finds no serious or critical violation.
  log('every page in the light and the dark theme, with axe-core');
  const violations = [];
  for (const themeName of ['light', 'dark']) {
    await page.goTo('settings');
    await page.clickWhenEnabled(`theme-${themeName}`);
    await eventually(async () =>
      assert.equal(await wd.executeScript('return document.documentElement.dataset.theme'), themeName),
    );
    for (const pageName of PAGES) {
      await page.goTo(pageName);
      await sleep(SETTLE_MS);
      await page.assertNoErrorBanner(`on ${pageName} (${themeName})`);
      await page.shot(`${themeName}-${pageName}`);
      const found = await axe(wd);
      for (const v of found.violations) {
        violations.push(`${themeName} ${pageName}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
      }
      log(`axe ${themeName} ${pageName}: ${found.rules} rules applied, ${found.violations.length} serious or critical`);
    }
  }
  await page.goTo('settings');
  await page.clickWhenEnabled('theme-system');
  assert.deepEqual(violations, [], 'axe-core: no serious or critical accessibility violations');

  // The interface in Russian, switched in Settings: everything drawn follows at once, without a reload.
  log('the interface in Russian');
  /** What the window says about its language: <html lang>, the stored choice, the nav labels, Settings' h1. */
  const language = () =>
    page.script(
      `const nav = {};
       for (const a of document.querySelectorAll('[data-testid^="nav-"]')) {
         const id = a.getAttribute('data-testid');
         if (vis(a) && a.tagName === 'A') nav[id.slice(4)] = norm(a.innerText);
       }
       const h1 = document.querySelector('[data-testid="page-settings"] h1');
       return {
         lang: document.documentElement.getAttribute('lang'),
         stored: localStorage.getItem(arguments[0]),
         nav,
         heading: h1 && vis(h1) ? norm(h1.textContent) : null,
         sameDocument: window.__mwE2eSameDocument === true,
       };`,
      [LANGUAGE_KEY],
    );
  const noEnglishNav = (nav, where) => {
    const left = Object.entries(nav).filter(([, text]) => ENGLISH_NAV.some((en) => (text || '').toLowerCase().includes(en.toLowerCase())));
    assert.deepEqual(left, [], `${where}: no navigation link reads English, got ${JSON.stringify(nav)}`);
  };
  await page.goTo('settings');
  await wd.executeScript('window.__mwE2eSameDocument = true;'); // gone if the window reloads
  await page.clickWhenEnabled('language-ru');
  const ru = await eventually(async () => {
    const l = await language();
    assert.equal(l.lang, 'ru', `<html lang> follows the choice, got ${JSON.stringify(l.lang)}`);
    assert.equal(l.stored, 'ru', `the choice is kept in localStorage ${LANGUAGE_KEY}`);
    assert.equal(l.nav.overview, 'Обзор', `nav-overview in Russian, got ${JSON.stringify(l.nav)}`);
    assert.equal(l.nav.mentions, 'Упоминания', `nav-mentions in Russian, got ${JSON.stringify(l.nav)}`);
    assert.equal(l.nav.settings, 'Настройки', `nav-settings in Russian, got ${JSON.stringify(l.nav)}`);
    assert.equal(l.heading, 'Настройки', `the Settings heading in Russian, got ${JSON.stringify(l.heading)}`);
    assert.ok(l.sameDocument, 'the language switched without a reload');
    return l;
  });
  noEnglishNav(ru.nav, 'Settings in Russian');
  log(`navigation in Russian: ${PAGES.map((p) => ru.nav[p]).join(', ')}`);

  const ruViolations = [];
  const ruAxe = async (pageName) => {
    const found = await axe(wd);
    for (const v of found.violations) ruViolations.push(`ru ${pageName}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
    log(`axe ru ${pageName}: ${found.rules} rules applied, ${found.violations.length} serious or critical`);
  };
  await page.goTo('mentions');
  await waitFor(async () => (await page.mentions()).length > 0, { message: 'mention-row' });
  const times = await eventually(async () => {
    const shown = await page.script(
      `return q(document, 'mention-row').filter(vis).flatMap((r) => [...r.querySelectorAll('time')]).filter(vis).map((t) => norm(t.textContent));`,
    );
    assert.ok(shown.length > 0, 'the mention rows show their times');
    assert.ok(shown.some((t) => RUSSIAN_TIME.test(t)), `a relative time reads Russian, got ${JSON.stringify(shown)}`);
    assert.deepEqual(shown.filter((t) => ENGLISH_TIME.test(t)), [], `no time reads English, got ${JSON.stringify(shown)}`);
    return shown;
  });
  log(`times in Russian: ${JSON.stringify([...new Set(times)])}`);
  noEnglishNav((await language()).nav, 'Mentions in Russian');
  await page.assertNoErrorBanner('on Mentions in Russian');
  await page.shot('ru-mentions', { file: 'ru-mentions.png' });
  await ruAxe('mentions');
  await page.goTo('settings');
  await sleep(SETTLE_MS);
  await page.assertNoErrorBanner('on Settings in Russian');
  await page.shot('ru-settings', { file: 'ru-settings.png' });
  await ruAxe('settings');
  assert.deepEqual(ruViolations, [], 'axe-core in Russian: no serious or critical accessibility violations');

  // And back to English.
  await page.clickWhenEnabled('language-en');
  await eventually(async () => {
    const l = await language();
    assert.equal(l.lang, 'en', `<html lang> is English again, got ${JSON.stringify(l.lang)}`);
    assert.equal(l.stored, 'en', `localStorage ${LANGUAGE_KEY} holds the new choice`);
    assert.equal(l.nav.overview, 'Overview', `nav-overview reads "Overview" again, got ${JSON.stringify(l.nav)}`);
    assert.equal(l.heading, 'Settings', `the Settings heading is English again, got ${JSON.stringify(l.heading)}`);
    assert.ok(l.sameDocument, 'switched back without a reload');
  });
  log('the interface is English again');
}

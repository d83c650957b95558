// The timing mode: the window against a large database instead of the workflows (MW_E2E_SCALE_DB; README).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../webdriver.mjs';
import { log } from './util.mjs';

/** A large database (e.g. `mediawatch-bench desktop --db …`): time the window against it instead of the workflows. */
export const SCALE_DB = process.env.MW_E2E_SCALE_DB || null;
/** Its topics: the commonest first, then a rare one (the bench prints their names). */
const SCALE_TOPICS = (process.env.MW_E2E_SCALE_TOPICS || '').split(',').filter(Boolean);
const SCALE_RUNS = Number(process.env.MW_E2E_SCALE_RUNS || 7);


/**
 * The window against a large database, timed from the driver: each view is opened by its URL (a fresh mount
 * of the page, so every call is made again) and timed inside the window until what the analyst waits for is
 * drawn (two animation frames after it appears), SCALE_RUNS times after a warm-up. The cold start runs from
 * the session request (WebKit and the app starting, the database opening) to the first Mentions page drawn.
 */
export async function scaleScenario(wd, page, launchedAt, artifactsDir) {
  const [common, rare] = SCALE_TOPICS;
  await waitFor(() => page.visible('nav-mentions'), { timeout: 60_000, message: 'the window' });
  await wd.executeScript(`location.hash = '#/mentions'`);
  await waitFor(() => page.visible('mention-row'), { timeout: 60_000, message: 'the first Mentions page' });
  const coldStart = Date.now() - launchedAt;
  log(`cold start to the first Mentions page: ${coldStart} ms`);
  const views = [
    ['Overview (cards)', '#/overview', '[data-testid="topic-card"]'],
    ['Mentions, all topics', '#/mentions', '[data-testid="mention-row"]'],
    ...(common ? [[`Mentions, ${common} (commonest)`, `#/mentions?topic=${encodeURIComponent(common)}`, '[data-testid="mention-row"]']] : []),
    ...(rare ? [[`Mentions, ${rare} (rare)`, `#/mentions?topic=${encodeURIComponent(rare)}`, '[data-testid="mention-row"]']] : []),
    ['Mentions, unread only', '#/mentions?unread=1', '[data-testid="mention-row"]'],
    ['Analysis, every topic, 30 days', '#/analysis?period=30d', '[data-testid="volume-plot"]'],
    ['Analysis, every topic, 7 days by hour', '#/analysis?period=7d', '[data-testid="volume-plot"]'],
    ...(common ? [[`Analysis, ${common}, 12 months`, `#/analysis?period=365d&topic=${encodeURIComponent(common)}`, '[data-testid="volume-plot"]']] : []),
    ['Topics (list, sparklines)', '#/topics', '[data-testid="topic-row"]'],
    ['Sources (health, sparklines)', '#/sources', '[data-testid="source-row"]'],
    ['Search, a common word (summit)', '#/search?q=summit', '[data-testid="search-summary"]'],
  ];
  const timeView = (hash, ready) =>
    wd.executeAsyncScript(
      `const [hash, ready, done] = arguments;
       location.hash = '#/settings';
       requestAnimationFrame(() => {
         const t0 = performance.now();
         location.hash = hash;
         const poll = () => {
           if (document.querySelector(ready) && !document.querySelector('[data-testid="error"]')) {
             requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
           } else if (document.querySelector('[data-testid="error"]')) {
             done('error: ' + document.querySelector('[data-testid="error"]').textContent);
           } else if (performance.now() - t0 > 30000) {
             done('timeout');
           } else {
             requestAnimationFrame(poll);
           }
         };
         poll();
       });`,
      [hash, ready],
    );
  const rows = [];
  for (const [label, hash, ready] of views) {
    const times = [];
    for (let i = 0; i <= SCALE_RUNS; i++) {
      const t = await timeView(hash, ready);
      assert.equal(typeof t, 'number', `${label}: ${t}`);
      if (i > 0) times.push(t);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
    rows.push(`| ${label} | ${at(0.5).toFixed(0)} ms | ${at(0.95).toFixed(0)} ms | ${times[times.length - 1].toFixed(0)} ms |`);
    log(`${label}: median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms`);
    await page.shot(`scale-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
  }
  const table = [
    `Database: ${SCALE_DB}; ${SCALE_RUNS} runs after a warm-up; from the e2e driver, in the window (hash change to drawn).`,
    '',
    `Cold start (session request to the first Mentions page drawn): ${coldStart} ms`,
    '',
    '| view | median | p95 | max |',
    '|---|---:|---:|---:|',
    ...rows,
  ].join('\n');
  fs.writeFileSync(path.join(artifactsDir, 'scale.md'), table + '\n');
  console.log(table);
}

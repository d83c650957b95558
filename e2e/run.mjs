// Mediawatch end-to-end suite: drives the real app window through tauri-driver (WebDriver) under X, one workflow
// after another against one app session.
//
//   MW_APP=/abs/path/to/mediawatch-app DISPLAY=:99 node e2e/run.mjs               every workflow, in order
//   MW_APP=... DISPLAY=:99 node e2e/run.mjs triage search                         those, and what they need
//   node e2e/run.mjs --list                                                       the workflows and their needs
//
// A workflow is named by its name (`topic-preview`), its file's stem (`03-topic-preview`), its number (`03`) or
// a part of its name that no other workflow's name holds (`triage`). See e2e/README.md. Each workflow prints
// `✓ NN-name 4.1 s`; the run stops at the first failure, named; the last line printed is "N passed, M failed"
// (N, M: workflows) and the exit code is 0 or 1.
//
// A workflow is a module workflows/NN-name.mjs exporting
//   name    its name (the file is NN-<name>.mjs)
//   needs   names of earlier workflows whose state it starts from (run first when it is asked for alone)
//   run(ctx)
// and `ctx`, the one object every workflow gets, holds:
//   wd           the WebDriver session (webdriver.mjs), one app launch for the whole run
//   page         the page helpers bound to it (lib/page.mjs: waitVisible, goTo, setValue, shot, snapshots…)
//   feed         the fixture server (lib/server.mjs: its URLs, hits/hitCount, addAgencyItem)
//   items        the agency feed's items as served: [{ title, link }] (links on the fixture server)
//   seed         the item every topic and reader check starts from (fixture.mjs SEED_TITLE)
//   tmpDir       this run's temp dir (the app's home and database; OPML files and reports are written here)
//   artifactsDir where screenshots, driver.log and failure.html go
// and what earlier workflows hand on (each set by the workflow named, undefined until it has run):
//   sources.agency, sources.broken   { name, url }   01-add-source-and-fetch
//   topic          { name, query, terms }            03-topic-preview ("SCO summitry")
//   sources.republisher { name, url }; copy { title, link } (the republished copy of the seed)   05-reader-copies
//   portTopic      { name, query }                   06-reader-page-gone; 07-topic-edit adds the new query,
//                                                     description and stem
//   analysis       { hash }: the Analysis view a chart click left    12-analysis-point (13-filter-url goes Back to it)
//
// MW_E2E_SCALE_DB=PATH runs the timing mode (lib/scale.mjs) instead of the workflows.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURE, REPUBLISHER_FIXTURE, SEED_TITLE } from './lib/fixture.mjs';
import { makePage } from './lib/page.mjs';
import {
  appEnvironment,
  driverClient,
  openSession,
  pidsWithEnv,
  preflight,
  startDriver,
  stopProcessGroup,
} from './lib/processes.mjs';
import { SCALE_DB, scaleScenario } from './lib/scale.mjs';
import { fixtureItems, startFeedServer } from './lib/server.mjs';
import { E2E_DIR, TOTAL_MS, log, stamp } from './lib/util.mjs';

const WORKFLOWS_DIR = path.join(E2E_DIR, 'workflows');

// ---- the workflows -----------------------------------------------------------------------------------

/** Every workflow module, in file order, checked: [{ label: 'NN-name', name, needs, run }]. */
async function loadWorkflows() {
  const files = fs.readdirSync(WORKFLOWS_DIR).filter((f) => /^\d\d-.+\.mjs$/.test(f)).sort();
  const all = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(WORKFLOWS_DIR, file)).href);
    const label = file.replace(/\.mjs$/, '');
    if (typeof mod.name !== 'string' || !Array.isArray(mod.needs) || typeof mod.run !== 'function')
      throw new Error(`workflows/${file} must export name, needs and run(ctx)`);
    if (label !== `${file.slice(0, 2)}-${mod.name}`) throw new Error(`workflows/${file} exports the name ${JSON.stringify(mod.name)}`);
    for (const need of mod.needs) {
      if (!all.some((w) => w.name === need))
        throw new Error(`workflows/${file} needs ${JSON.stringify(need)}, which is not an earlier workflow`);
    }
    all.push({ label, name: mod.name, needs: mod.needs, run: mod.run });
  }
  if (!all.length) throw new Error(`no workflows in ${WORKFLOWS_DIR}`);
  return all;
}

/** The workflows `args` name, with everything they need, in file order (every workflow for no args). */
function selectWorkflows(all, args) {
  if (!args.length) return all;
  const chosen = new Set();
  const add = (name) => {
    if (chosen.has(name)) return;
    chosen.add(name);
    for (const need of all.find((w) => w.name === name).needs) add(need);
  };
  for (const arg of args) {
    const exact = all.filter((w) => w.name === arg || w.label === arg || w.label.slice(0, 2) === arg);
    const matches = exact.length ? exact : all.filter((w) => w.name.includes(arg));
    if (matches.length !== 1) {
      const why = matches.length ? `is ambiguous (${matches.map((w) => w.label).join(', ')})` : 'names no workflow';
      throw new Error(`"${arg}" ${why}; the workflows: ${all.map((w) => w.label).join(', ')}`);
    }
    add(matches[0].name);
  }
  return all.filter((w) => chosen.has(w.name));
}

// ---- main --------------------------------------------------------------------------------------------

async function main() {
  const args = process.argv.slice(2);
  let selected;
  try {
    const all = await loadWorkflows();
    if (args.includes('--list')) {
      for (const w of all) console.log(`${w.label}${w.needs.length ? `  (needs ${w.needs.join(', ')})` : ''}`);
      return;
    }
    selected = SCALE_DB ? [] : selectWorkflows(all, args);
  } catch (err) {
    console.error(`FAILED: ${err.message}`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
    return;
  }

  const artifactsDir = path.join(E2E_DIR, 'artifacts', stamp());
  fs.mkdirSync(artifactsDir, { recursive: true });
  console.log(`artifacts: ${artifactsDir}`);
  if (!SCALE_DB) log(`workflows: ${selected.map((w) => w.label).join(', ')}`);

  const state = { ok: false, tmp: null, feed: null, driver: null, driverLog: null, wd: null, page: null };
  // What has run: the last line counts them. `current` is the workflow running (or 'setup' before the first).
  const results = { passed: 0, failed: 0, current: 'setup', started: 0, timings: [] };
  let cleaned = false;

  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (state.wd) {
      if (state.wd.sessionId) {
        try {
          await state.wd.deleteSession();
        } catch (err) {
          log(`cleanup: delete session failed: ${err.message}`);
        }
      }
      state.wd.close();
    }
    await stopProcessGroup(state.driver, 'tauri-driver');
    if (state.tmp) {
      // anything still running with our private database in its environment was started by this run
      const marker = `MEDIAWATCH_DB=${path.join(state.tmp, 'mediawatch.db')}`;
      for (const pid of pidsWithEnv(marker)) {
        log(`cleanup: killing leftover process ${pid}`);
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    if (state.feed) await state.feed.close();
    if (state.driverLog !== null) fs.closeSync(state.driverLog);
    if (state.tmp) {
      if (state.ok && !process.env.MW_E2E_KEEP_TMP) fs.rmSync(state.tmp, { recursive: true, force: true });
      else log(`kept temp dir ${state.tmp}`);
    }
  };

  const onSignal = (sig) => {
    log(`${sig}: cleaning up (interrupted in ${results.current})`);
    cleanup().finally(() => {
      console.log(`${results.passed} passed, ${results.failed + 1} failed`);
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let failure = null;
  try {
    const pre = preflight();
    if (pre.problems.length) throw new Error(`cannot run:\n  - ${pre.problems.join('\n  - ')}`);

    // 1. a private home and database for the app
    state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mediawatch-e2e-'));
    const env = appEnvironment(state.tmp, SCALE_DB);
    log(`app: ${pre.app}`);
    log(`database: ${env.MEDIAWATCH_DB}`);

    // 2. the fixture feed
    state.feed = await startFeedServer(fs.readFileSync(FIXTURE, 'utf8'), fs.readFileSync(REPUBLISHER_FIXTURE, 'utf8'));
    const items = fixtureItems(state.feed.agencyXml); // as served: the links point at this server's pages
    log(
      `feed server: ${state.feed.agencyUrl} (${items.length} items, pages under ${state.feed.base}/articles/), ` +
        `${state.feed.republisherUrl}, ${state.feed.brokenUrl} (500)`,
    );
    const seed = items.find((i) => i.title === SEED_TITLE);
    assert.ok(seed, `the fixture has no item titled ${JSON.stringify(SEED_TITLE)}`);

    // 3. tauri-driver
    const driverLogPath = path.join(artifactsDir, 'driver.log');
    state.driverLog = fs.openSync(driverLogPath, 'a');
    state.driver = await startDriver(pre, env, state.tmp, state.driverLog, driverLogPath);

    // 4. the session (this launches the app)
    state.wd = driverClient();
    const launchedAt = Date.now();
    await openSession(state.wd, pre.app);
    state.page = makePage(state.wd, artifactsDir);

    // 5. the workflows in order (or the timing mode), within an overall time limit
    const deadline = Date.now() + TOTAL_MS;
    const withinLimit = async (promise, what) => {
      let timer;
      const limit = new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the run exceeded MW_E2E_TIMEOUT_MS=${TOTAL_MS} ms in ${what}`)),
          Math.max(0, deadline - Date.now()),
        );
      });
      try {
        return await Promise.race([promise, limit]);
      } finally {
        clearTimeout(timer);
      }
    };
    if (SCALE_DB) {
      results.current = 'the timing mode';
      await withinLimit(scaleScenario(state.wd, state.page, launchedAt, artifactsDir), results.current);
      results.passed += 1;
    } else {
      const ctx = {
        wd: state.wd,
        page: state.page,
        feed: state.feed,
        items,
        seed,
        tmpDir: state.tmp,
        artifactsDir,
        sources: {},
      };
      for (const w of selected) {
        results.current = w.label;
        results.started += 1;
        log(`--- ${w.label}`);
        const t0 = Date.now();
        try {
          await withinLimit(w.run(ctx), w.label);
        } catch (err) {
          const s = ((Date.now() - t0) / 1000).toFixed(1);
          results.timings.push(`✗ ${w.label} ${s} s`);
          console.log(`✗ ${w.label} ${s} s`);
          throw err;
        }
        const s = ((Date.now() - t0) / 1000).toFixed(1);
        results.timings.push(`✓ ${w.label} ${s} s`);
        console.log(`✓ ${w.label} ${s} s`);
        results.passed += 1;
      }
    }
    results.current = null;
    state.ok = true;
  } catch (err) {
    failure = err;
    results.failed += 1;
    console.error(`\nFAILED in ${results.current}: ${err && err.stack ? err.stack : err}\n`);
    if (state.wd && state.wd.sessionId && state.page) {
      try {
        const errs = await state.page.errors();
        if (errs.length) console.error(`error banner: ${JSON.stringify(errs)}`);
        await state.page.shot('failure');
        fs.writeFileSync(path.join(artifactsDir, 'failure.html'), String(await state.wd.getPageSource()));
        log(`page source saved to ${path.join(artifactsDir, 'failure.html')}`);
        // A window that never mounted: the UI's module threw. A fresh instance of it (a new URL) throws the
        // same error, and names it.
        const moduleError = await state.wd.executeAsyncScript(
          `const done = arguments[arguments.length - 1];
           if (document.querySelector('#app > *')) return done(null);
           const s = document.querySelector('script[type="module"]');
           import(s.src + '?again').then(() => done('the module loads on a second try'), (e) => done(String(e && e.stack ? e + ' ' + e.stack : e)));`,
        );
        if (moduleError) console.error(`the UI did not mount: ${moduleError}`);
      } catch (e) {
        log(`could not capture the failure state: ${e.message}`);
      }
    }
    const driverLogPath = path.join(artifactsDir, 'driver.log');
    if (fs.existsSync(driverLogPath)) {
      const tail = fs.readFileSync(driverLogPath, 'utf8').trimEnd().split('\n').slice(-40).join('\n');
      if (tail) console.error(`--- last lines of ${driverLogPath} ---\n${tail}\n---`);
    }
  } finally {
    await cleanup();
  }
  if (state.wd && state.wd.retries) log(`webdriver requests retried after a dropped connection: ${state.wd.retries}`);
  console.log(`artifacts: ${artifactsDir}`);
  if (results.timings.length) console.log(results.timings.join('\n'));
  const notRun = selected.slice(results.started).map((w) => w.label);
  if (failure && notRun.length) console.log(`not run: ${notRun.join(', ')}`);
  console.log(`${results.passed} passed, ${results.failed} failed`);
  process.exitCode = failure ? 1 : 0;
}

await main();

// Processes: the preflight, tauri-driver (its own process group, which holds WebKitWebDriver and the app), the
// WebDriver session that launches the app, and the cleanup of anything this run started.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebDriverClient, waitFor } from '../webdriver.mjs';
import { ARTICLES_DIR, FIXTURE, LATE_ITEM_FIXTURE, REPUBLISHER_FIXTURE } from './fixture.mjs';
import { log } from './util.mjs';

export const DRIVER_PORT = Number(process.env.TAURI_DRIVER_PORT || 4444);
export const NATIVE_PORT = DRIVER_PORT + 1;
const NATIVE_DRIVER = process.env.WEBKIT_WEBDRIVER || '/usr/bin/WebKitWebDriver';

function findOnPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return null;
}

export function preflight() {
  const problems = [];
  const app = process.env.MW_APP ? path.resolve(process.env.MW_APP) : null;
  if (!app) problems.push('MW_APP is not set (absolute path of the built mediawatch-app binary)');
  else {
    try {
      fs.accessSync(app, fs.constants.X_OK);
    } catch {
      problems.push(`MW_APP=${app} does not exist or is not executable (build the app first)`);
    }
  }
  let driver = process.env.TAURI_DRIVER || findOnPath('tauri-driver');
  if (!driver) {
    const cargoBin = path.join(os.homedir(), '.cargo', 'bin', 'tauri-driver');
    if (fs.existsSync(cargoBin)) driver = cargoBin;
  }
  if (!driver) problems.push('tauri-driver not found: set TAURI_DRIVER or `cargo install tauri-driver --locked`');
  else if (!fs.existsSync(driver) && driver.includes('/')) problems.push(`TAURI_DRIVER=${driver} does not exist`);
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    problems.push('DISPLAY is not set: start Xvfb (e.g. `Xvfb :99 &` and DISPLAY=:99)');
  for (const f of [FIXTURE, REPUBLISHER_FIXTURE, LATE_ITEM_FIXTURE, ARTICLES_DIR]) if (!fs.existsSync(f)) problems.push(`fixture missing: ${f}`);
  const native = fs.existsSync(NATIVE_DRIVER) ? NATIVE_DRIVER : null;
  if (!native && !findOnPath('WebKitWebDriver'))
    problems.push('WebKitWebDriver not found: `apt-get install webkit2gtk-driver`');
  if (!findOnPath('xdotool')) problems.push('xdotool not found (it answers the native file dialogs): `apt-get install xdotool`');
  return { app, driver, native, problems };
}

export function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

function processGone(pid) {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/** Pids of processes whose environment carries our unique database path (the app, the native driver). */
export function pidsWithEnv(marker) {
  const found = [];
  let entries = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return found;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${e}/environ`, 'utf8');
      if (env.split('\0').includes(marker)) found.push(Number(e));
    } catch {
      // gone or not ours
    }
  }
  return found;
}

export async function stopProcessGroup(child, label) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const pid = child.pid;
  const signal = (sig) => {
    try {
      process.kill(-pid, sig); // the whole group: tauri-driver, WebKitWebDriver, the app
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !processGone(pid)) await sleep(100);
  if (!processGone(pid)) {
    log(`${label} did not stop on SIGTERM; sending SIGKILL`);
    signal('SIGKILL');
  }
}

/**
 * A private home and database for the app under `tmp`, and the environment it runs with. `db` overrides the
 * database (the timing mode's large one).
 */
export function appEnvironment(tmp, db = null) {
  const dirs = {};
  for (const d of ['home', 'data', 'config', 'cache', 'runtime']) {
    dirs[d] = path.join(tmp, d);
    fs.mkdirSync(dirs[d], { recursive: true, mode: 0o700 });
  }
  const env = {
    ...process.env,
    // MW_E2E_SCALE_DB: the timing run against a large database (lib/scale.mjs) instead of the workflows.
    MEDIAWATCH_DB: db || path.join(tmp, 'mediawatch.db'),
    // The workflows fetch with "Fetch now" and count what that fetch brings: the background scheduler
    // must not fetch the new sources first.
    MEDIAWATCH_AUTO_FETCH: '0',
    HOME: dirs.home,
    XDG_DATA_HOME: dirs.data,
    XDG_CONFIG_HOME: dirs.config,
    XDG_CACHE_HOME: dirs.cache,
    XDG_RUNTIME_DIR: dirs.runtime,
    NO_AT_BRIDGE: '1',
    // Deliberately NOT setting WEBKIT_DISABLE_DMABUF_RENDERER=1 (a common tip for Tauri on Linux): with
    // WebKitGTK 2.50 under Xvfb it made every WebDriver screenshot hang. A caller's value passes through.
  };
  if (process.env.DISPLAY && !process.env.GDK_BACKEND) env.GDK_BACKEND = 'x11';
  return env;
}

/**
 * Starts tauri-driver (`pre` from preflight()) in its own process group, its output and the app's appended to
 * the file `logFd`, and waits for its port. Returns the child.
 */
export async function startDriver(pre, env, cwd, logFd, logPath) {
  for (const p of [DRIVER_PORT, NATIVE_PORT]) {
    if (await portOpen(p)) throw new Error(`port ${p} is already in use (a leftover tauri-driver or WebKitWebDriver?)`);
  }
  const args = ['--port', String(DRIVER_PORT), '--native-port', String(NATIVE_PORT)];
  if (pre.native) args.push('--native-driver', pre.native);
  log(`starting ${pre.driver} ${args.join(' ')} (log: ${logPath})`);
  const child = spawn(pre.driver, args, {
    env,
    cwd,
    detached: true, // its own process group, so cleanup reaches the native driver and the app
    stdio: ['ignore', logFd, logFd],
  });
  let driverExit = null;
  child.on('exit', (code, sig) => {
    driverExit = `exited with ${sig || code}`;
  });
  child.on('error', (err) => {
    driverExit = `failed to start: ${err.message}`;
  });
  await waitFor(
    async () => driverExit !== null || portOpen(DRIVER_PORT), // stop waiting if it died
    { timeout: 20_000, interval: 100, message: `tauri-driver on port ${DRIVER_PORT}` },
  );
  if (driverExit) throw new Error(`tauri-driver ${driverExit}`);
  return child;
}

/** The WebDriver client for the driver started above (made before the session, so cleanup can close it). */
export function driverClient() {
  return new WebDriverClient({ port: DRIVER_PORT, log });
}

/** A session on the driver: this launches the app (`app`, an absolute path). */
export async function openSession(wd, app) {
  await wd.newSession(
    { alwaysMatch: { 'tauri:options': { application: app } }, firstMatch: [{}] },
    { attempts: 4, timeout: 90_000, delay: 1_000 },
  );
  log(`session ${wd.sessionId}`);
}

// Mediawatch end-to-end test: drives the real app window through tauri-driver (WebDriver) under X.
//
//   MW_APP=/abs/path/to/mediawatch-app DISPLAY=:99 node e2e/run.mjs
//
// See e2e/README.md. The last line printed is "1 passed, 0 failed" or "0 passed, 1 failed".

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { WebDriverClient, waitFor, tid } from './webdriver.mjs';

const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
/** axe-core, run inside the window on every page (in both themes) by step 13. */
const AXE_SOURCE = fs.readFileSync(path.join(E2E_DIR, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
/** A large database (e.g. `mediawatch-bench desktop --db …`): time the window against it instead of the workflows. */
const SCALE_DB = process.env.MW_E2E_SCALE_DB || null;
/** Its topics: the commonest first, then a rare one (the bench prints their names). */
const SCALE_TOPICS = (process.env.MW_E2E_SCALE_TOPICS || '').split(',').filter(Boolean);
const SCALE_RUNS = Number(process.env.MW_E2E_SCALE_RUNS || 7);
const PAGES = ['overview', 'mentions', 'analysis', 'search', 'topics', 'alerts', 'sources', 'reports', 'settings'];
const FIXTURES = path.join(E2E_DIR, 'fixtures');
const FIXTURE = path.join(FIXTURES, 'agency-feed.xml');
const REPUBLISHER_FIXTURE = path.join(FIXTURES, 'republisher-feed.xml');
const LATE_ITEM_FIXTURE = path.join(FIXTURES, 'agency-late-item.xml'); // added to the agency feed in step 10
const ARTICLES_DIR = path.join(FIXTURES, 'articles'); // article pages, served at /articles/<file name without .html>
const T0 = Date.now();

// ---- what the scenario expects from the fixture -----------------------------------------------------

const SEED_TITLE =
  "Putin and Wang Yi prepare Xi's May visit, discuss UN, Shanghai Cooperation Organisation and BRICS";
const TOPIC_NAME = 'SCO summitry';
const TOPIC_QUERY = '"Shanghai Cooperation Organisation" OR BRICS';
const TOPIC_TERMS = ['Shanghai Cooperation Organisation', 'BRICS'];
const INVALID_QUERY = '(BRICS AND';
const AGENCY_NAME = 'ENA world wire (e2e)';
const BROKEN_NAME = 'Broken feed (e2e)';
// The seed's article page (fixtures/articles/putin-wang-yi-moscow-talks.html): paragraphs only the page has (the
// feed gives the opening paragraph), the site name in its <head>, its picture, and its furniture, none of which
// may reach the reader.
const SEED_PAGE_ONLY = [
  'Most of the meeting was spent getting ready for a visit to Russia by Chinese President Xi Jinping',
  'There is even talk of doing away with visa requirements between Russia and China altogether',
  'Diplomats in both capitals expect the summit season to continue into the summer',
  'Neither ministry issued a written statement on the talks by Tuesday evening.',
];
const SEED_SITE_NAME = 'ENA World Wire';
const SEED_IMAGE = '/img/moscow-talks.png';
const PAGE_FURNITURE = [
  'Related', // the related-stories box: "Related coverage"
  'Foreign minister begins a tour',
  'cookie', // the cookie banner
  'Accept all cookies',
  'dataLayer', // the scripts
  'trackPageview',
  'Front page', // the navigation
  'World desk',
  'Markets and money',
  'Subscribe for unlimited access',
  'morning briefing', // the newsletter box
  'All rights reserved', // the footer
];
// The republisher: a second feed whose one item is a syndicated copy of the seed story.
const REPUBLISHER_NAME = 'Harbour Courier (e2e)';
const COPY_TITLE = "Xi's visit to Russia pencilled in for May as Putin receives Wang Yi";
// Agency item 4, whose article page is gone (404): found through a second topic, it shows the extraction error.
const PORT_TITLE = 'Port of Kelmar clears container backlog after conveyor belt repair';
const PORT_TOPIC_NAME = 'Port of Kelmar';
const PORT_TOPIC_QUERY = 'Kelmar';
// Step 8b edits that topic: a broader query, word forms on, a description.
const PORT_EDITED_QUERY = 'Kelmar OR "conveyor belt"';
const PORT_DESCRIPTION = 'The port of Kelmar and its terminals';
// Step 9 searches every stored article: an unbalanced query first, then one that finds the port story.
const SEARCH_INVALID = '(conveyor NEAR/3';
const SEARCH_QUERY = 'conveyor NEAR/3 repair';
// Step 10 alerts: "Alert me" on the port topic (an instant rule, shown on its row), then an instant rule on the
// first topic made in the Alerts page's form; a story that breaks after that (fixtures/agency-late-item.xml)
// makes the next fetch fire that rule once.
const PORT_RULE_NAME = `${PORT_TOPIC_NAME}: new mentions`;
const RULE_NAME = `${TOPIC_NAME}: new mentions`;
const LATE_TITLE = 'BRICS finance ministers set up a working group on cross-border payments';
const ALERT_SUMMARY = `1 new mention of ${TOPIC_NAME}: ${LATE_TITLE}`;

// ---- settings ----------------------------------------------------------------------------------------

const DRIVER_PORT = Number(process.env.TAURI_DRIVER_PORT || 4444);
const NATIVE_PORT = DRIVER_PORT + 1;
const NATIVE_DRIVER = process.env.WEBKIT_WEBDRIVER || '/usr/bin/WebKitWebDriver';
const WAIT_MS = Number(process.env.MW_E2E_WAIT_MS || 20_000); // default wait for UI conditions
const TOTAL_MS = Number(process.env.MW_E2E_TIMEOUT_MS || 300_000); // the whole scenario
const SETTLE_MS = 500; // after a UI change, before a screenshot

function log(msg) {
  const t = ((Date.now() - T0) / 1000).toFixed(1).padStart(6);
  console.log(`[e2e ${t}s] ${msg}`);
}

function stamp() {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

// ---- preflight ---------------------------------------------------------------------------------------

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

function preflight() {
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

// ---- the fixture feed server -------------------------------------------------------------------------

function fixtureItems(xml) {
  const items = [...xml.matchAll(/<item>([\s\S]*?)<\/item>/g)].map((m) => m[1]);
  return items.map((it) => ({
    title: (it.match(/<title>([\s\S]*?)<\/title>/) || [])[1],
    link: (it.match(/<link>([\s\S]*?)<\/link>/) || [])[1],
  }));
}

/** Shift every pubDate by the same amount so the newest item is about an hour old (order kept). */
function freshenDates(xml) {
  const dates = [...xml.matchAll(/<pubDate>([^<]+)<\/pubDate>/g)].map((m) => Date.parse(m[1]));
  if (!dates.length || dates.some(Number.isNaN)) return xml;
  const shift = Date.now() - 3600_000 - Math.max(...dates);
  const fix = (s) => new Date(Date.parse(s) + shift).toUTCString();
  return xml
    .replace(/<pubDate>([^<]+)<\/pubDate>/g, (_, d) => `<pubDate>${fix(d)}</pubDate>`)
    .replace(/<lastBuildDate>([^<]+)<\/lastBuildDate>/g, (_, d) => `<lastBuildDate>${fix(d)}</lastBuildDate>`);
}

/** Point the items' links (https://news.example/.../SLUG) at this server's article pages (`base`/articles/SLUG). */
function localLinks(xml, base) {
  return xml.replace(
    /<link>https:\/\/[a-z.]+\.example\/[^<]*\/([a-z0-9-]+)<\/link>/g,
    (_, slug) => `<link>${base}/articles/${slug}</link>`,
  );
}

/** A small PNG (RGB, no dependencies): the "photo" an article page shows. */
function makePng(width, height, rgbAt) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw.set(rgbAt(x, y), y * (width * 3 + 1) + 1 + x * 3);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A dusk sky over a row of buildings, 320x180. */
function photoPng() {
  const w = 320;
  const h = 180;
  const skyline = (x) => 110 - (Math.floor(x / 40) % 3) * 18 - (x % 40 < 6 ? 10 : 0);
  return makePng(w, h, (x, y) => {
    if (y >= skyline(x)) return (x + y) % 11 === 0 && y < 160 ? [250, 214, 120] : [38, 44, 66];
    const t = y / h;
    return [Math.round(70 + 150 * t), Math.round(110 + 60 * t), Math.round(190 - 40 * t)];
  });
}

async function startFeedServer(xml, republisherXml) {
  // Requests by path (every path, including the 404s); `other` counts the paths nobody serves.
  const hits = { other: 0 };
  const hit = (key) => (hits[key] = (hits[key] || 0) + 1);
  // The agency's front page: it advertises its feed the way news sites do.
  const page = Buffer.from(
    '<!doctype html><html><head><title>ENA world wire</title>' +
      '<link rel="alternate" type="application/rss+xml" title="ENA: all news" href="/feeds/agency.xml">' +
      '</head><body><h1>ENA world wire</h1></body></html>',
    'utf8',
  );
  const articles = new Map(
    fs
      .readdirSync(ARTICLES_DIR)
      .filter((f) => f.endsWith('.html'))
      .map((f) => [f.replace(/\.html$/, ''), fs.readFileSync(path.join(ARTICLES_DIR, f))]),
  );
  const notFound = Buffer.from(
    '<!doctype html><html><head><title>Page not found | ENA World Wire</title></head>' +
      '<body><h1>Page not found</h1><p>The page you asked for has moved or no longer exists.</p></body></html>',
    'utf8',
  );
  const photo = photoPng();
  let feeds = null; // the served feed bodies, made once the port is known
  const send = (req, res, status, type, body) => {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const p = url.pathname;
    hit(p);
    const slug = (p.match(/^\/articles\/([a-z0-9-]+)$/) || [])[1];
    if (p === '/feeds/agency.xml' || p === '/feeds/republisher.xml') {
      send(req, res, 200, 'application/rss+xml; charset=utf-8', feeds[p]);
    } else if (p === '/news/') {
      send(req, res, 200, 'text/html; charset=utf-8', page);
    } else if (p === '/feeds/broken.xml') {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('internal server error (on purpose: the e2e test exercises a failing source)\n');
    } else if (slug && articles.has(slug)) {
      send(req, res, 200, 'text/html; charset=utf-8', articles.get(slug));
    } else if (slug) {
      send(req, res, 404, 'text/html; charset=utf-8', notFound); // a page that is gone
    } else if (p === SEED_IMAGE) {
      send(req, res, 200, 'image/png', photo);
    } else {
      hits.other += 1;
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  const serve = (x) => localLinks(process.env.MW_E2E_KEEP_DATES ? x : freshenDates(x), base);
  const agencyXml = serve(xml);
  const republisherServed = serve(republisherXml);
  feeds = {
    '/feeds/agency.xml': Buffer.from(agencyXml, 'utf8'),
    '/feeds/republisher.xml': Buffer.from(republisherServed, 'utf8'),
  };
  let agencyNow = agencyXml;
  return {
    /**
     * A story breaks: `itemXml` (one <item>) goes on top of the agency feed from the next request on, published
     * `minutesAgo` minutes ago, its link pointed at this server like the others.
     */
    addAgencyItem(itemXml, minutesAgo = 10) {
      const published = new Date(Date.now() - minutesAgo * 60_000).toUTCString();
      const item = localLinks(
        itemXml.replace(/<!--[\s\S]*?-->/g, '').trim().replace(/<pubDate>[^<]*<\/pubDate>/, `<pubDate>${published}</pubDate>`),
        base,
      );
      agencyNow = agencyNow.replace(/(<channel>[\s\S]*?)<item>/, (_, head) => `${head}${item}\n\n    <item>`);
      feeds['/feeds/agency.xml'] = Buffer.from(agencyNow, 'utf8');
      return fixtureItems(item)[0];
    },
    base,
    hits,
    /** Requests so far for a path or a URL on this server. */
    hitCount: (pathOrUrl) => hits[new URL(pathOrUrl, base).pathname] || 0,
    /** The agency feed as served (local links, shifted dates). */
    agencyXml,
    republisherXml: republisherServed,
    agencyUrl: `${base}/feeds/agency.xml`,
    pageUrl: `${base}/news/`,
    brokenUrl: `${base}/feeds/broken.xml`,
    republisherUrl: `${base}/feeds/republisher.xml`,
    imageUrl: `${base}${SEED_IMAGE}`,
    // Listed in the OPML file the analyst imports; never fetched in this scenario.
    asiaUrl: `${base}/feeds/asia.xml`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

// ---- processes ---------------------------------------------------------------------------------------

function portOpen(port, host = '127.0.0.1') {
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
function pidsWithEnv(marker) {
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

async function stopProcessGroup(child, label) {
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

// ---- page helpers (bound to a session) ---------------------------------------------------------------

// Shared prelude for the read-only scripts: visibility and text helpers.
const PRELUDE = `
const vis = (e) => {
  if (!e || !e.isConnected) return false;
  const s = getComputedStyle(e);
  if (s.display === 'none' || s.visibility === 'hidden') return false;
  return [...e.getClientRects()].some((r) => r.width > 0 || r.height > 0);
};
const q = (root, id) => root ? [...root.querySelectorAll('[data-testid="' + id + '"]')] : [];
const norm = (s) => (s == null ? null : String(s).replace(/\\s+/g, ' ').trim());
const txt = (e) => e ? { text: norm(e.innerText), raw: norm(e.textContent), title: e.getAttribute('title') } : null;
`;

// ---- native file dialogs ---------------------------------------------------------------------------

function xdotool(args) {
  return new Promise((resolve) => {
    const child = spawn('xdotool', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => resolve({ code: -1, out: '', err: e.message }));
    child.on('exit', (code) => resolve({ code, out: out.trim(), err: err.trim() }));
  });
}

/**
 * Answers the app's native GTK file dialog (the one the dialog plugin opens) the way an analyst does with
 * the keyboard: the window titled `title` gets the focus, the path is typed into its location field, Enter.
 * Real X input through XTEST, on the Xvfb display the app runs on.
 */
async function answerFileDialog(title, filePath, { save = false } = {}) {
  const id = await waitFor(
    async () => {
      const r = await xdotool(['search', '--onlyvisible', '--name', `^${title}$`]);
      return r.code === 0 && r.out ? r.out.split('\n').pop() : null;
    },
    { timeout: 20_000, interval: 250, message: `the native "${title}" dialog` },
  );
  log(`native dialog "${title}" is window ${id}`);
  await xdotool(['windowfocus', '--sync', id]);
  await sleep(400);
  // Open dialog: Ctrl+L shows the location entry. Save dialog: the name entry has the focus already.
  await xdotool(save ? ['key', '--clearmodifiers', 'ctrl+a'] : ['key', '--clearmodifiers', 'ctrl+l']);
  await sleep(200);
  await xdotool(['type', '--delay', '15', filePath]);
  await sleep(300);
  await xdotool(['key', 'Return']);
  await waitFor(
    async () => {
      const r = await xdotool(['search', '--onlyvisible', '--name', `^${title}$`]);
      return r.code !== 0 || !r.out;
    },
    { timeout: 10_000, interval: 200, message: `the "${title}" dialog to close` },
  );
}

function makePage(wd, artifactsDir) {
  let shotNo = 0;

  const script = (body, args = []) => wd.executeScript(`${PRELUDE}\n${body}`, args);

  const page = {
    /** Save NN-name.png after letting the UI settle. */
    async shot(name) {
      await sleep(SETTLE_MS);
      // Let the webview paint what the DOM now holds: WebKit under Xvfb can otherwise hand back the
      // previous frame (seen on the very first screenshot).
      await wd.executeAsyncScript(
        'const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));',
      );
      await sleep(100);
      shotNo += 1;
      const file = path.join(artifactsDir, `${String(shotNo).padStart(2, '0')}-${name}.png`);
      fs.writeFileSync(file, await wd.screenshot());
      log(`screenshot ${path.relative(process.cwd(), file)}`);
      return file;
    },

    /** The first visible element with that data-testid (a reference), or null. */
    visible(id, within = null) {
      return script(
        `const root = arguments[1] ? document.querySelector('[data-testid="' + arguments[1] + '"]') : document;
         return q(root, arguments[0]).find(vis) || null;`,
        [id, within],
      ).then((el) => (el ? WebDriverClient.ref(el) : null));
    },

    async waitVisible(id, { timeout = WAIT_MS, within = null } = {}) {
      return waitFor(() => page.visible(id, within), { timeout, message: `visible ${tid(id)}` });
    },

    /** Texts of the visible error banners. */
    errors() {
      return script(`return q(document, 'error').filter(vis).map((e) => norm(e.innerText || e.textContent));`);
    },

    async assertNoErrorBanner(when) {
      const errs = await page.errors();
      assert.deepEqual(errs, [], `no error banner expected ${when}, got: ${JSON.stringify(errs)}`);
    },

    /** Click a nav link and wait for the page root. */
    async goTo(name) {
      const link = await page.waitVisible(`nav-${name}`);
      await wd.click(link);
      await page.waitVisible(`page-${name}`);
      log(`on page ${name}`);
    },

    /** Replace an input's value the way a user would (and make sure the framework saw it). */
    async setValue(id, text) {
      const el = await page.waitVisible(id);
      await wd.clear(el);
      await wd.sendKeys(el, text);
      const value = await wd.getProperty(el, 'value');
      if (value !== text) {
        log(`note: ${id} holds ${JSON.stringify(value)} after typing; setting it through an input event`);
        await wd.executeScript(
          `const e = arguments[0];
           const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(e), 'value').set;
           setter.call(e, arguments[1]);
           e.dispatchEvent(new Event('input', { bubbles: true }));
           e.dispatchEvent(new Event('change', { bubbles: true }));`,
          [WebDriverClient.arg(el), text],
        );
      }
      return el;
    },

    /** Choose an option of a <select> as a user would (and let the framework see the change). */
    async selectValue(id, value) {
      const el = await page.waitVisible(id);
      await wd.executeScript(
        `const e = arguments[0];
         e.value = arguments[1];
         e.dispatchEvent(new Event('change', { bubbles: true }));
         e.dispatchEvent(new Event('input', { bubbles: true }));`,
        [WebDriverClient.arg(el), String(value)],
      );
      return el;
    },

    /** Choose the option of a <select> whose text reads `text` (options may carry ids as values). */
    async selectOptionText(id, text) {
      const el = await page.waitVisible(id);
      const value = await wd.executeScript(
        `${PRELUDE}
         const o = [...arguments[0].options].find((o) => norm(o.textContent) === arguments[1]);
         return o ? o.value : null;`,
        [WebDriverClient.arg(el), text],
      );
      assert.ok(value !== null, `${id} has an option ${JSON.stringify(text)}`);
      return page.selectValue(id, value);
    },

    /** The navigation's unread-alerts badge: its text, or null when it is not shown. */
    unreadBadge() {
      return script(`const b = q(document, 'nav-alerts-unread').find(vis); return b ? norm(b.textContent) : null;`);
    },

    /** What the Alerts page shows: the inbox's alerts and the rules. */
    alerts() {
      return script(`
        const one = (root, id) => q(root, id).find(vis) || null;
        const t = (e) => (e ? norm(e.textContent) : null);
        return {
          tab: (q(document, 'alerts-tab-inbox')[0] || {}).getAttribute?.('aria-selected') === 'true' ? 'inbox' : 'rules',
          empty: one(document, 'alerts-empty') !== null,
          items: q(document, 'alert-item').filter(vis).map((a) => ({
            id: Number((a.id || '').replace('alert-', '')),
            summary: t(one(a, 'alert-summary')),
            topic: t(one(a, 'alert-topic')),
            kind: t(one(a, 'alert-kind')),
            unread: one(a, 'alert-unread') !== null,
            open: one(a, 'alert-body') !== null,
            mentions: q(a, 'alert-mention-title').filter(vis).map((m) => ({ title: t(m), href: m.getAttribute('href') })),
            deliveries: q(a, 'alert-delivery').filter(vis).map((d) => norm(d.textContent)),
          })),
          rules: q(document, 'rule-row').filter(vis).map((r) => ({
            name: t(one(r, 'rule-row-name')),
            kind: t(one(r, 'rule-row-kind')),
            paused: one(r, 'rule-row-paused') !== null,
            channels: t(one(r, 'rule-row-channels')),
          })),
          note: t(one(document, 'rules-note')),
          form: one(document, 'rule-form') !== null,
        };`);
    },

    /** Text of the Sources page's status note (OPML import/export, saved settings), or null. */
    sourcesNote() {
      return script(`const n = q(document, 'sources-note').find(vis); return n ? norm(n.innerText || n.textContent) : null;`);
    },

    /** The Sources table by folder: [{ group, rows: [{ name, url, meta, next }] }]. */
    sourceGroups() {
      return script(`
        return q(document, 'source-group-block').filter(vis).map((b) => ({
          group: (q(b, 'source-group-name')[0] || null) && norm(q(b, 'source-group-name')[0].textContent),
          rows: q(b, 'source-row').map((r) => ({
            name: norm(q(r, 'source-row-name')[0].textContent),
            text: norm(r.textContent),
            next: norm(q(r, 'source-next')[0].textContent),
          })),
        }));`);
    },

    /** The row whose name reads `name`: an element reference, or null. */
    sourceRowNamed(name) {
      return script(
        `return q(document, 'source-row').filter(vis).find((r) => norm(q(r, 'source-row-name')[0].textContent) === arguments[0]) || null;`,
        [name],
      ).then((el) => (el ? WebDriverClient.ref(el) : null));
    },

    /** Click a button once it is visible and enabled. */
    async clickWhenEnabled(id) {
      const el = await waitFor(
        async () => {
          const e = await page.visible(id);
          if (!e) return null;
          const disabled = await wd.getProperty(e, 'disabled');
          return disabled ? null : e;
        },
        { message: `enabled ${tid(id)}` },
      );
      await wd.click(el);
      return el;
    },

    sources() {
      return script(`
        return q(document, 'source-row').filter(vis).map((r) => ({
          ...txt(r),
          html: r.innerHTML,
          status: txt(q(r, 'source-status')[0]),
          articles: txt(q(r, 'source-articles')[0]),
        }));`);
    },

    fetchState() {
      return script(`
        const p = q(document, 'fetch-progress').find(vis);
        const r = q(document, 'fetch-result').find(vis);
        return { progress: p ? txt(p) : null, result: r ? txt(r) : null };`);
    },

    topics() {
      return script(`
        const err = q(document, 'topic-error').find(vis);
        const caret = q(document, 'topic-caret').find(vis);
        const reading = q(document, 'topic-reading').find(vis);
        const count = q(document, 'topic-preview-count').find(vis);
        const note = q(document, 'topic-note').find(vis);
        const preview = q(document, 'topic-preview').find(vis);
        return {
          error: err ? txt(err) : null,
          // the caret block keeps its line break: the query, then spaces and "^"
          caret: caret ? caret.textContent : null,
          reading: reading ? txt(reading) : null,
          preview: preview ? {
            count: count ? norm(count.textContent) : null,
            stale: !!preview.querySelector('[aria-busy="true"]'),
            hits: q(preview, 'topic-preview-hit').filter(vis).map((h) => ({
              title: norm((q(h, 'topic-preview-title')[0] || h).textContent),
              marks: [...h.querySelectorAll('mark[data-testid="hit"]')].map((m) => norm(m.textContent)),
            })),
          } : null,
          note: note ? norm(note.textContent) : null,
          backfill: q(document, 'topic-backfill').some(vis),
          form: {
            name: (q(document, 'topic-name')[0] || {}).value ?? null,
            query: (q(document, 'topic-query')[0] || {}).value ?? null,
            description: (q(document, 'topic-description')[0] || {}).value ?? null,
            stem: (q(document, 'topic-stem')[0] || {}).checked ?? null,
            editing: (q(document, 'topic-editing').find(vis) || null) && norm(q(document, 'topic-editing').find(vis).textContent),
          },
          rows: q(document, 'topic-row').filter(vis).map((r) => ({
            ...txt(r),
            name: txt(q(r, 'topic-row-name')[0]),
            mentions: txt(q(r, 'topic-row-mentions')[0]),
          })),
        };`);
    },

    /** The row of the Topics list named `name`: an element reference, or null. */
    topicRowNamed(name) {
      return script(
        `return q(document, 'topic-row').filter(vis).find((r) => norm(q(r, 'topic-row-name')[0].textContent) === arguments[0]) || null;`,
        [name],
      ).then((el) => (el ? WebDriverClient.ref(el) : null));
    },

    /** What the Search page shows. */
    search() {
      return script(`
        const one = (id) => q(document, id).find(vis) || null;
        const err = one('search-error');
        const caret = one('search-caret');
        const summary = one('search-summary');
        const note = one('search-note');
        const pressed = (id) => { const b = one(id); return b ? b.getAttribute('aria-pressed') === 'true' : null; };
        return {
          intro: one('search-intro') !== null,
          empty: one('search-empty') !== null,
          error: err ? txt(err) : null,
          caret: caret ? caret.textContent : null,
          summary: summary ? norm(summary.textContent) : null,
          note: note ? norm(note.textContent) : null,
          order: { newest: pressed('search-order-newest'), relevance: pressed('search-order-relevance') },
          loadMore: one('search-load-more') !== null,
          hits: q(document, 'search-hit').filter(vis).map((h) => ({
            title: txt(q(h, 'search-title')[0]),
            snippet: txt(q(h, 'search-snippet')[0]),
            marks: [...h.querySelectorAll('mark[data-testid="hit"]')].map((m) => norm(m.textContent)),
          })),
        };`);
    },

    /** The search-hit titled `title`: an element reference, or null. */
    searchHitWithTitle(title) {
      return script(
        `const want = arguments[0].toLowerCase();
         return q(document, 'search-hit').filter(vis).find((h) => {
           const t = q(h, 'search-title')[0];
           return t && norm(t.textContent).toLowerCase() === want;
         }) || null;`,
        [title],
      ).then((el) => (el ? WebDriverClient.ref(el) : null));
    },

    mentions() {
      return script(`
        return q(document, 'mention-row').filter(vis).map((r) => ({
          title: txt(q(r, 'mention-title')[0]),
          topics: q(r, 'mention-topic').map(txt),
          snippet: txt(q(r, 'mention-snippet')[0]),
          hits: [...r.querySelectorAll('mark[data-testid="hit"]')].map((m) => norm(m.textContent)),
          outlets: txt(q(r, 'mention-outlets')[0]),
        }));`);
    },

    mentionRowWithTitle(title) {
      return script(
        `const want = arguments[0].toLowerCase();
         return q(document, 'mention-row').filter(vis).find((r) => {
           const t = q(r, 'mention-title')[0];
           return t && norm(t.textContent).toLowerCase() === want;
         }) || null;`,
        [title],
      ).then((el) => (el ? WebDriverClient.ref(el) : null));
    },

    reader() {
      return script(`
        const r = q(document, 'reader').find(vis);
        if (!r) return null;
        const link = q(r, 'reader-link')[0] || q(document, 'reader-link')[0];
        const body = q(r, 'reader-body')[0];
        return {
          title: txt(q(r, 'reader-title')[0]),
          body: body ? norm(body.textContent) : null,
          hits: body ? [...body.querySelectorAll('mark[data-testid="hit"]')].map((m) => norm(m.textContent)) : [],
          link: link ? { href: link.getAttribute('href'), html: link.outerHTML, text: norm(link.textContent) } : null,
        };`);
    },

    /** Everything the reader pane shows about the open article, or null when it is closed or loading. */
    readerDetail() {
      return script(`
        const r = q(document, 'reader').find(vis);
        if (!r || r.getAttribute('aria-busy') === 'true') return null;
        const one = (id) => q(r, id).find(vis) || null;
        const marks = (e) => [...e.querySelectorAll('mark[data-testid="hit"]')].map((m) => norm(m.textContent));
        const pressed = (id) => { const b = one(id); return b ? b.getAttribute('aria-pressed') === 'true' : null; };
        const html = one('reader-html');
        const body = one('reader-body');
        const copies = one('reader-copies');
        const link = one('reader-link');
        const extractError = one('reader-extract-error');
        return {
          title: txt(one('reader-title')),
          meta: [...r.querySelectorAll('.reader-meta')].map((m) => norm(m.textContent)).join(' | '),
          origin: one('reader-origin') ? norm(one('reader-origin').textContent) : null,
          extractError: extractError ? norm(extractError.textContent) : null,
          link: link ? link.getAttribute('href') : null,
          html: html ? {
            text: norm(html.textContent),
            inner: html.innerHTML,
            paragraphs: html.querySelectorAll('p').length,
            hits: marks(html),
            tags: [...new Set([...html.querySelectorAll('*')].map((e) => e.localName))],
            imgs: [...html.querySelectorAll('img')].map((i) => ({
              src: i.getAttribute('src'), complete: i.complete, width: i.naturalWidth,
            })),
            placeholders: q(html, 'reader-image-placeholder').filter(vis).length,
          } : null,
          body: body ? { text: norm(body.textContent), paragraphs: body.querySelectorAll('p').length, hits: marks(body) } : null,
          view: { article: pressed('reader-view-article'), text: pressed('reader-view-text') },
          loadImages: one('reader-load-images') !== null,
          copies: copies ? {
            heading: norm((copies.querySelector('h3') || copies).textContent),
            items: q(copies, 'reader-copy').filter(vis).map((c) => norm(c.textContent)),
          } : null,
        };`);
    },

    /**
     * Scroll the first visible element with that data-testid (or the first `inner` CSS match inside it) into
     * view, as a reader would (the reader pane scrolls on its own). `block: 'nearest'` moves nothing when it
     * is in view already.
     */
    scrollTo(id, { inner = null, block = 'center' } = {}) {
      return script(
        `const box = q(document, arguments[0]).find(vis);
         const e = box && arguments[1] ? box.querySelector(arguments[1]) : box;
         if (e) e.scrollIntoView({ block: arguments[2] });
         return !!e;`,
        [id, inner, block],
      );
    },
  };
  return page;
}

// ---- assertions --------------------------------------------------------------------------------------

/** Retry an assertion block until it passes; on timeout rethrow its last failure. */
async function eventually(fn, { timeout = WAIT_MS, interval = 250 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
    await sleep(interval);
  }
}

const lower = (s) => String(s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

/** Does a {text, raw} pair read `expected` (whitespace-normalised, case-insensitive: CSS may transform)? */
function reads(t, expected) {
  if (!t) return false;
  return lower(t.raw) === lower(expected) || lower(t.text) === lower(expected);
}

/** Every query term is highlighted: as one mark, or (for a phrase) word by word. */
function assertHitsCover(hits, terms, where) {
  const marks = hits.map(lower);
  for (const term of terms) {
    const t = lower(term);
    const whole = marks.some((m) => m === t || m.includes(t));
    const words = t.split(' ').every((w) => marks.some((m) => m.split(' ').includes(w)));
    assert.ok(whole || words, `${where}: expected a highlighted "${term}" among marks ${JSON.stringify(hits)}`);
  }
}

/**
 * A query error shown like a compiler's: `caret` is the query's line, a line break, then spaces and a
 * "^" under the column the error's text names ("column N").
 */
function assertCaret(error, caret, query, where) {
  const text = `${error.raw || ''} ${error.text || ''}`;
  const column = Number((text.match(/column (\d+)/) || [])[1]);
  assert.ok(column >= 1, `${where}: the error names a column: ${JSON.stringify(text)}`);
  const [line, marker, ...rest] = caret.split('\n');
  assert.equal(line, query, `${where}: the caret block shows the query`);
  assert.deepEqual(rest, [], `${where}: two lines in the caret block`);
  assert.equal(marker.trimEnd(), `${' '.repeat(column - 1)}^`, `${where}: the caret sits under column ${column}`);
  log(`${where}: error at column ${column}:\n  ${line}\n  ${marker}`);
}

// ---- the scenario ------------------------------------------------------------------------------------

async function scenario(wd, page, feed, items, tmpDir) {
  const itemCount = items.length;
  const seed = items.find((i) => i.title === SEED_TITLE);
  assert.ok(seed, `the fixture has no item titled ${JSON.stringify(SEED_TITLE)}`);

  // 1. First run: the Overview shows the empty state.
  log('step 1: first run shows the empty state');
  await page.waitVisible('empty-state', { timeout: Math.max(WAIT_MS, 30_000) });
  assert.ok(await page.visible('page-overview'), 'the app should start on the Overview page');
  await page.assertNoErrorBanner('on first run');
  await page.shot('first-run');

  // 2. Add the agency feed and a broken one.
  log('step 2: add sources');
  await page.goTo('sources');
  // `typed` is what the analyst pastes; `url` is the feed the row must end up with (a page URL is
  // replaced by the feed the page advertises).
  const addSource = async (typed, name, url = typed) => {
    await page.setValue('source-url', typed);
    await page.setValue('source-name', name);
    await page.clickWhenEnabled('source-add');
    await eventually(async () => {
      const rows = await page.sources();
      assert.ok(
        rows.some((r) => (r.raw || '').includes(url) || r.html.includes(url)),
        `a source-row containing ${url} should appear; rows: ${JSON.stringify(rows.map((r) => r.text))}`,
      );
    });
    log(`source added: ${typed}${typed === url ? '' : ` -> discovered ${url}`}`);
  };
  // The agency is added by its web page's URL: the app discovers the feed the page advertises.
  await addSource(feed.pageUrl, AGENCY_NAME, feed.agencyUrl);
  assert.ok(feed.hits['/news/'] >= 1, 'the app fetched the page to discover its feed');
  await addSource(feed.brokenUrl, BROKEN_NAME);
  assert.equal((await page.sources()).length, 2, 'exactly two source rows');
  await page.assertNoErrorBanner('after adding sources');
  await page.shot('sources-added');

  // 3. Fetch now: the agency feed brings every item, the broken one fails with HTTP 500.
  log('step 3: fetch now');
  await page.clickWhenEnabled('fetch-now');
  // The broken feed is retried with backoff (about 1.5 s), so the progress panel is on screen meanwhile.
  let progressSeen = null;
  const fetched = await waitFor(
    async () => {
      const s = await page.fetchState();
      if (s.progress && !progressSeen) progressSeen = s.progress.text || s.progress.raw;
      return s.result && (s.result.raw || s.result.text) ? s : null;
    },
    { timeout: Math.max(WAIT_MS, 60_000), interval: 100, message: 'fetch-result' },
  );
  assert.ok(progressSeen, 'the fetch-progress panel was shown while fetching');
  assert.match(progressSeen, /Fetching \d of 2|Starting fetch|Finishing/, `progress text, got ${JSON.stringify(progressSeen)}`);
  log(`fetch-progress: ${JSON.stringify(progressSeen)}`);
  const resultText = fetched.result.text || fetched.result.raw;
  log(`fetch-result: ${JSON.stringify(resultText)}`);
  assert.match(resultText, new RegExp(`\\b${itemCount}\\b`), `fetch-result should mention ${itemCount} new articles`);
  assert.match(resultText, /new/i, 'fetch-result should speak of new articles');
  assert.ok(feed.hits['/feeds/agency.xml'] >= 1, 'the app requested the agency feed');
  assert.ok(feed.hits['/feeds/broken.xml'] >= 1, 'the app requested the broken feed');
  // Every agency item is a teaser, so its article page was requested (full-text mode "auto", the default) —
  // the missing one and the one without an article too, which changes nothing in the counts below.
  for (const item of items) {
    assert.ok(feed.hitCount(item.link) >= 1, `the app requested the article page ${item.link}`);
  }
  assert.equal(feed.hitCount(SEED_IMAGE), 0, 'fetching never loads an article picture');
  await eventually(async () => {
    const rows = await page.sources();
    const agency = rows.find((r) => (r.raw || '').includes(feed.agencyUrl) || r.html.includes(feed.agencyUrl));
    const broken = rows.find((r) => (r.raw || '').includes(feed.brokenUrl) || r.html.includes(feed.brokenUrl));
    assert.ok(agency && broken, 'both source rows are listed');
    const st = (t) => (t ? t.raw || t.text || '' : '');
    assert.ok(agency.status, 'the agency row has a source-status');
    assert.match(st(agency.status), /^OK/i, `agency source-status should start with OK, got ${JSON.stringify(st(agency.status))}`);
    assert.ok(agency.articles, 'the agency row has a source-articles count');
    assert.equal(st(agency.articles), String(itemCount), 'agency source-articles equals the fixture item count');
    assert.ok(broken.status, 'the broken row has a source-status');
    assert.match(st(broken.status), /^Error/i, `broken source-status should start with Error, got ${JSON.stringify(st(broken.status))}`);
    const brokenDetail = `${st(broken.status)} ${broken.status.text || ''} ${broken.status.title || ''} ${broken.raw || ''}`;
    assert.match(brokenDetail, /\b500\b/, `the broken source should mention HTTP 500, got ${JSON.stringify(brokenDetail)}`);
  });
  await page.shot('fetched');

  // 3b. OPML through the native file dialogs; folders become groups; a source's settings are edited.
  log('step 3b: OPML import and export through the native dialogs, groups, editing a source');
  const opmlIn = path.join(tmpDir, 'analyst-subscriptions.opml');
  fs.writeFileSync(
    opmlIn,
    `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Another reader's export</title></head><body>
  <outline text="Asia desk" title="Asia desk">
    <outline type="rss" text="Asia wire (e2e)" xmlUrl="${feed.asiaUrl}"/>
    <outline type="rss" text="ENA again" xmlUrl="${feed.agencyUrl}"/>
  </outline>
</body></opml>
`,
  );
  await page.clickWhenEnabled('opml-import');
  await answerFileDialog('Import OPML', opmlIn);
  await eventually(async () => {
    const note = await page.sourcesNote();
    assert.match(note ?? '', /Imported 1 source, 1 already present/, `OPML import note, got ${JSON.stringify(note)}`);
  });
  await eventually(async () => {
    const groups = await page.sourceGroups();
    const asia = groups.find((g) => g.group && g.group.startsWith('Asia desk'));
    assert.ok(asia, `a group "Asia desk" should be listed, got ${JSON.stringify(groups.map((g) => g.group))}`);
    assert.deepEqual(asia.rows.map((r) => r.name), ['Asia wire (e2e)']);
    assert.equal(asia.rows[0].next, 'due', 'an imported source is due at the next cycle');
    const ungrouped = groups.find((g) => g.group === null);
    const agency = ungrouped && ungrouped.rows.find((r) => r.name === AGENCY_NAME);
    assert.ok(agency, 'the agency is not in a folder yet');
    assert.notEqual(agency.next, 'due', `the fetched agency shows its next fetch time, got ${JSON.stringify(agency.next)}`);
  });
  await page.assertNoErrorBanner('after the OPML import');
  await page.shot('opml-imported');

  const agencyRow = await page.sourceRowNamed(AGENCY_NAME);
  await wd.click(await wd.findElement(tid('source-edit'), agencyRow));
  await page.waitVisible('source-editor');
  await page.setValue('edit-group', 'Agencies');
  await page.selectValue('edit-interval', 60);
  await page.selectValue('edit-full-text', 'always');
  await page.shot('source-editor');
  await page.clickWhenEnabled('edit-save');
  await eventually(async () => {
    assert.equal(await page.visible('source-editor'), null, 'the editor closes after saving');
    const groups = await page.sourceGroups();
    const agencies = groups.find((g) => g.group && g.group.startsWith('Agencies'));
    assert.ok(agencies, `a group "Agencies" should be listed, got ${JSON.stringify(groups.map((g) => g.group))}`);
    assert.deepEqual(agencies.rows.map((r) => r.name), [AGENCY_NAME]);
    assert.match(agencies.rows[0].text, /every hour/, `the row shows the new interval: ${agencies.rows[0].text}`);
  });
  await page.assertNoErrorBanner('after editing a source');
  await page.shot('source-edited');

  const opmlOut = path.join(tmpDir, 'exported.opml');
  await page.clickWhenEnabled('opml-export');
  await answerFileDialog('Export OPML', opmlOut, { save: true });
  await eventually(async () => {
    const note = await page.sourcesNote();
    assert.match(note ?? '', /Exported 3 sources/, `OPML export note, got ${JSON.stringify(note)}`);
  });
  const exported = fs.readFileSync(opmlOut, 'utf8');
  for (const want of [feed.agencyUrl, feed.brokenUrl, feed.asiaUrl, 'text="Agencies"', 'text="Asia desk"']) {
    assert.ok(exported.includes(want), `the exported OPML should contain ${want}:\n${exported}`);
  }
  log(`exported OPML: ${exported.length} bytes, 3 sources in 2 folders`);

  // 4. Topics: an invalid query is reported, a valid one is saved.
  log('step 4: topics');
  await page.goTo('topics');
  await page.setValue('topic-query', INVALID_QUERY);
  let invalid = await waitFor(async () => (await page.topics()).error, {
    timeout: 8_000,
    message: 'topic-error',
  }).catch(() => null);
  if (!invalid) {
    // the check may run on blur rather than while typing: move the focus as a user would
    log('note: no topic-error while typing; moving focus to topic-name');
    await wd.click(await page.waitVisible('topic-name'));
    invalid = await waitFor(async () => (await page.topics()).error, { message: 'topic-error for an invalid query' });
  }
  log(`topic-error: ${JSON.stringify(invalid.text || invalid.raw)}`);
  // Like a compiler: the query, and under it a caret at the column the message names.
  const invalidShown = await eventually(async () => {
    const t = await page.topics();
    assert.ok(t.error && t.caret, `topic-error with a topic-caret, got ${JSON.stringify(t)}`);
    return t;
  });
  assertCaret(invalidShown.error, invalidShown.caret, INVALID_QUERY, 'topic editor');
  await page.shot('topic-invalid-query');

  await page.setValue('topic-name', TOPIC_NAME);
  await page.setValue('topic-query', TOPIC_QUERY);
  await eventually(async () => {
    const t = await page.topics();
    assert.equal(t.error, null, `topic-error should go away for a valid query, got ${JSON.stringify(t.error)}`);
  });
  const reading = (await page.topics()).reading;
  if (reading) log(`topic-reading: ${JSON.stringify(reading.text || reading.raw)}`);
  // The live preview: what the query would flag among the stored articles, before it is saved.
  const preview = await eventually(
    async () => {
      const t = await page.topics();
      const p = t.preview;
      assert.ok(p && p.count && !p.stale, `a fresh topic-preview-count, got ${JSON.stringify(p)}`);
      assert.match(p.count, /^Would flag 1 stored article \(\d+ checked\)$/, `topic-preview-count, got ${JSON.stringify(p.count)}`);
      assert.deepEqual(p.hits.map((h) => lower(h.title)), [lower(SEED_TITLE)], 'the preview lists the seed article');
      assertHitsCover(p.hits[0].marks, TOPIC_TERMS, 'preview hit');
      return p;
    },
    { timeout: Math.max(WAIT_MS, 30_000) },
  );
  log(`topic-preview: ${JSON.stringify(preview.count)}`);
  await page.shot('topic-preview');
  await page.clickWhenEnabled('topic-add');
  await eventually(
    async () => {
      const t = await page.topics();
      const row = t.rows.find((r) => reads(r.name, TOPIC_NAME));
      assert.ok(row, `a topic-row named ${TOPIC_NAME} should appear; rows: ${JSON.stringify(t.rows.map((r) => r.name && r.name.raw))}`);
      assert.ok(reads(row.mentions, '1 mention'), `topic-row-mentions should read "1 mention", got ${JSON.stringify(row.mentions)}`);
      assert.equal(t.note, `Added “${TOPIC_NAME}”: it flags 1 stored article.`, 'topic-note after saving');
      assert.equal(t.backfill, false, 'the backfill progress is gone once saved');
      assert.deepEqual([t.form.name, t.form.query], ['', ''], 'the editor is cleared for the next topic');
    },
    { timeout: Math.max(WAIT_MS, 30_000) },
  );
  await page.assertNoErrorBanner('after adding the topic');
  await page.shot('topic-added');

  // 5. Mentions: only the seed-like article, with the topic chip and highlighted terms.
  log('step 5: mentions');
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
      row.topics.some((t) => reads(t, TOPIC_NAME)),
      `the row should carry a mention-topic chip "${TOPIC_NAME}", got ${JSON.stringify(row.topics.map((t) => t && t.raw))}`,
    );
    assertHitsCover(row.hits, TOPIC_TERMS, 'mentions list');
  });
  await page.assertNoErrorBanner('on the mentions page');
  await page.shot('mentions');

  // 6. Reader: the article opens with its title and highlighted terms.
  log('step 6: reader');
  /** Click the mention-row titled `title` and wait for the reader to show that article. */
  const openMention = async (title) => {
    const rowEl = await page.mentionRowWithTitle(title);
    assert.ok(rowEl, `a mention-row titled ${JSON.stringify(title)} is present`);
    try {
      await wd.click(rowEl);
    } catch (err) {
      // some drivers refuse to click a <tr> itself; a click on the title inside it reaches the row as well
      if (err.error !== 'element not interactable') throw err;
      log('note: the row itself is not clickable for the driver; clicking its mention-title');
      await wd.click(await wd.findElement(tid('mention-title'), rowEl));
    }
    let opened = await waitFor(async () => page.reader(), { timeout: 8_000, message: 'reader' }).catch(() => null);
    if (!opened) {
      log('note: clicking the row did not open the reader; clicking its mention-title');
      const row2 = await page.mentionRowWithTitle(title);
      await wd.click(await wd.findElement(tid('mention-title'), row2));
      opened = await waitFor(async () => page.reader(), { message: 'reader' });
    }
    return eventually(async () => {
      const d = await page.readerDetail();
      assert.ok(d && reads(d.title, title), `reader-title should read ${JSON.stringify(title)}, got ${JSON.stringify(d && d.title)}`);
      return d;
    });
  };
  await openMention(SEED_TITLE);
  await eventually(async () => {
    const r = await page.reader();
    assert.ok(r, 'the reader pane is visible');
    assert.ok(reads(r.title, SEED_TITLE), `reader-title should be the seed title, got ${JSON.stringify(r.title)}`);
    assert.ok(r.body && /Wang Yi/.test(r.body) && /Xi Jinping/.test(r.body), 'reader-body shows the article text');
    assertHitsCover(r.hits, TOPIC_TERMS, 'reader-body');
  });

  // 6b. The article as extracted from its page: sanitised HTML without the page's furniture, marked terms,
  // where the text came from, the original's address; the picture stays a placeholder until it is asked for.
  log('step 6b: the extracted article in the reader');
  const article = await eventually(async () => {
    const d = await page.readerDetail();
    assert.ok(d, 'the reader shows an article');
    assert.match(d.origin ?? '', /^Full text from the article page$/i, `reader-origin, got ${JSON.stringify(d.origin)}`);
    assert.equal(d.extractError, null, 'no reader-extract-error for a page that was read');
    assert.equal(d.link, seed.link, "reader-link points at the article's page");
    assert.ok(d.meta.includes(AGENCY_NAME), `the metadata names the source: ${d.meta}`);
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
    assertHitsCover(d.html.hits, TOPIC_TERMS, 'reader-html');
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
    assertHitsCover(d.body.hits, TOPIC_TERMS, 'plain-text view');
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

  // 7. Another outlet republishes the story: a new source; the copy is grouped with the agency's article.
  log('step 7: a republisher and the story\'s copies');
  await page.goTo('sources');
  await addSource(feed.republisherUrl, REPUBLISHER_NAME);
  const courierRow = await page.sourceRowNamed(REPUBLISHER_NAME);
  assert.ok(courierRow, `a source-row named ${REPUBLISHER_NAME}`);
  await wd.click(await wd.findElement(tid('source-fetch'), courierRow));
  await eventually(
    async () => {
      const row = (await page.sources()).find(
        (r) => (r.raw || '').includes(feed.republisherUrl) || r.html.includes(feed.republisherUrl),
      );
      const st = (t) => (t ? t.raw || t.text || '' : '');
      assert.ok(row, 'the republisher row is listed');
      assert.match(st(row.status), /^OK/i, `republisher source-status, got ${JSON.stringify(st(row.status))}`);
      assert.equal(st(row.articles), '1', 'the republisher brought its one article');
      const s = await page.fetchState();
      assert.equal(s.progress, null, 'the fetch has finished');
    },
    { timeout: Math.max(WAIT_MS, 30_000) },
  );
  const copyItem = fixtureItems(feed.republisherXml)[0];
  assert.equal(feed.hitCount(copyItem.link), 0, "the republisher's item carries its full text: its page is not fetched");
  await page.assertNoErrorBanner('after fetching the republisher');

  await page.goTo('mentions');
  await eventually(async () => {
    const rows = await page.mentions();
    const titles = rows.map((r) => r.title && (r.title.raw || r.title.text));
    assert.equal(rows.length, 2, `the seed and its copy are flagged, got ${JSON.stringify(titles)}`);
    for (const title of [SEED_TITLE, COPY_TITLE]) {
      const row = rows.find((r) => reads(r.title, title));
      assert.ok(row, `a mention-row titled ${JSON.stringify(title)}; rows: ${JSON.stringify(titles)}`);
      assert.ok(
        reads(row.outlets, '+1 outlet'),
        `${title}: mention-outlets should read "+1 outlet", got ${JSON.stringify(row.outlets)}`,
      );
    }
  });
  await page.shot('mentions-outlets');

  await openMention(SEED_TITLE);
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.ok(d.copies, 'reader-copies is shown');
    assert.match(d.copies.heading, /^Also published by 1 outlet$/i, `copies heading, got ${JSON.stringify(d.copies.heading)}`);
    assert.equal(d.copies.items.length, 1, `one reader-copy, got ${JSON.stringify(d.copies.items)}`);
    assert.ok(d.copies.items[0].includes(REPUBLISHER_NAME), `the copy names the other outlet: ${d.copies.items[0]}`);
    assert.ok(d.copies.items[0].includes(COPY_TITLE), `the copy shows its headline: ${d.copies.items[0]}`);
  });
  await page.scrollTo('reader-copies');
  await page.shot('reader-copies');

  await wd.click(await page.waitVisible('reader-copy', { within: 'reader' }));
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.ok(d && reads(d.title, COPY_TITLE), `the reader switched to the copy, got ${JSON.stringify(d && d.title)}`);
    assert.equal(d.link, copyItem.link, "reader-link points at the copy's own address");
    assert.match(d.origin ?? '', /^Text from the feed$/i, `the copy's text is the feed's, got ${JSON.stringify(d.origin)}`);
    assert.ok(d.meta.includes(REPUBLISHER_NAME), `the metadata names the republisher: ${d.meta}`);
    assert.ok(d.body && d.body.text.includes(SEED_PAGE_ONLY[2]), 'the copy carries the same body');
    assert.ok(
      d.copies && d.copies.items.length === 1 && d.copies.items[0].includes(AGENCY_NAME),
      `the copy lists the agency's original: ${JSON.stringify(d.copies)}`,
    );
  });
  await page.assertNoErrorBanner('after opening the copy');
  await page.shot('reader-copy-opened');

  // 8. An article whose page could not be read (a 404): a topic on it, and the reader says so.
  log('step 8: an article whose page is gone');
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
  await openMention(PORT_TITLE);
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

  // 8b. Editing a topic: the form is filled in from the row, and saving re-matches the stored articles.
  log('step 8b: edit a topic');
  await page.goTo('topics');
  const portRow = await page.topicRowNamed(PORT_TOPIC_NAME);
  assert.ok(portRow, `a topic-row named ${PORT_TOPIC_NAME}`);
  await wd.click(await wd.findElement(tid('topic-edit'), portRow));
  await eventually(async () => {
    const t = await page.topics();
    assert.deepEqual(
      [t.form.editing, t.form.name, t.form.query, t.form.stem],
      [PORT_TOPIC_NAME, PORT_TOPIC_NAME, PORT_TOPIC_QUERY, false],
      `the editor holds the topic, got ${JSON.stringify(t.form)}`,
    );
  });
  await page.setValue('topic-query', PORT_EDITED_QUERY);
  await page.setValue('topic-description', PORT_DESCRIPTION);
  // Once in a CI run (1 in 5) the click landed while the form was re-rendering and was lost (the box stayed
  // clear for 30 s): if it is still clear after a few seconds, it is clicked once more. Only a clear box is
  // clicked, so a late first click cannot be undone.
  await wd.click(await page.waitVisible('topic-stem'));
  try {
    await eventually(async () => assert.equal((await page.topics()).form.stem, true), { timeout: 3_000 });
  } catch {
    log('the word-forms box is still clear: clicking it again');
    await wd.click(await page.waitVisible('topic-stem'));
  }
  await eventually(
    async () => {
      const t = await page.topics();
      assert.equal(t.form.stem, true, 'word forms are switched on');
      assert.ok(t.preview && !t.preview.stale, `a fresh preview, got ${JSON.stringify(t.preview)}`);
      assert.match(t.preview.count ?? '', /^Would flag 1 stored article /, `the edited query's preview, got ${JSON.stringify(t.preview)}`);
      assert.deepEqual(t.preview.hits.map((h) => lower(h.title)), [lower(PORT_TITLE)]);
    },
    { timeout: Math.max(WAIT_MS, 30_000) },
  );
  await page.shot('topic-edit');
  await page.clickWhenEnabled('topic-add');
  await eventually(
    async () => {
      const t = await page.topics();
      assert.equal(t.note, `Saved “${PORT_TOPIC_NAME}”: it flags 1 stored article.`, 'topic-note after the edit');
      const row = t.rows.find((r) => reads(r.name, PORT_TOPIC_NAME));
      assert.ok(row, 'the edited topic is still listed');
      assert.ok((row.raw || '').includes(PORT_EDITED_QUERY), `the row shows the new query: ${row.raw}`);
      assert.ok((row.raw || '').includes(PORT_DESCRIPTION), `the row shows the description: ${row.raw}`);
      assert.ok(/word forms/i.test(row.raw || ''), `the row says it matches word forms: ${row.raw}`);
      assert.ok(reads(row.mentions, '1 mention'), `still 1 mention, got ${JSON.stringify(row.mentions)}`);
      assert.equal(t.form.editing, null, 'the editor is back to a new topic');
    },
    { timeout: Math.max(WAIT_MS, 30_000) },
  );
  await page.assertNoErrorBanner('after editing a topic');

  // 9. Search over every stored article, in the same query language.
  log('step 9: search');
  await page.goTo('search');
  await page.waitVisible('search-intro');
  await page.setValue('search-query', SEARCH_INVALID);
  await page.clickWhenEnabled('search-submit');
  const badSearch = await eventually(async () => {
    const s = await page.search();
    assert.ok(s.error && s.caret, `search-error with a search-caret, got ${JSON.stringify(s)}`);
    return s;
  });
  assertCaret(badSearch.error, badSearch.caret, SEARCH_INVALID, 'search');
  await page.shot('search-invalid-query');

  await page.setValue('search-query', SEARCH_QUERY);
  await page.clickWhenEnabled('search-submit');
  await eventually(async () => {
    const s = await page.search();
    assert.equal(s.error, null, `no search-error, got ${JSON.stringify(s.error)}`);
    assert.equal(s.summary, '1 article, newest first', `search-summary, got ${JSON.stringify(s)}`);
    assert.equal(s.hits.length, 1, `one search-hit, got ${JSON.stringify(s.hits)}`);
    assert.ok(reads(s.hits[0].title, PORT_TITLE), `the hit is the port story, got ${JSON.stringify(s.hits[0].title)}`);
    assertHitsCover(s.hits[0].marks, ['conveyor', 'repair'], 'search hit');
    assert.equal(s.loadMore, false, 'no "Load more" for a single hit');
  });
  await page.clickWhenEnabled('search-order-relevance');
  await eventually(async () => {
    const s = await page.search();
    assert.deepEqual(s.order, { newest: false, relevance: true }, 'Relevance is pressed');
    assert.equal(s.hits.length, 1, 'the same hit by relevance');
    assert.match(s.summary ?? '', /^1 article, (most relevant|newest) first$/, `search-summary, got ${JSON.stringify(s.summary)}`);
    if (/newest/.test(s.summary)) assert.ok(s.note, 'search-note says why relevance was not used');
  });
  log(`search: ${JSON.stringify((await page.search()).summary)}`);
  const hitEl = await page.searchHitWithTitle(PORT_TITLE);
  assert.ok(hitEl, 'the search-hit element');
  await wd.click(hitEl);
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.ok(d && reads(d.title, PORT_TITLE), `the reader opens the hit, got ${JSON.stringify(d && d.title)}`);
  });
  await page.assertNoErrorBanner('on the search page');
  await page.shot('search');
  // "Save as topic": the Topics form opens with the query, waiting for a name.
  await page.clickWhenEnabled('search-save-topic');
  await page.waitVisible('page-topics');
  await eventually(async () =>
    assert.equal(await wd.getProperty(await page.waitVisible('topic-query'), 'value'), SEARCH_QUERY, 'the query is handed over'),
  );
  assert.equal(
    await wd.executeScript(`return document.activeElement && document.activeElement.getAttribute('data-testid')`),
    'topic-name',
    'the topic name has the focus',
  );
  log('search: "Save as topic" opens the Topics form with the query');

  // 10. Alerts: "Alert me" on a topic, a rule made in the form, a story that breaks, the inbox and its badge.
  log('step 10: alerts');
  await page.goTo('topics');
  const portRowForAlert = await page.topicRowNamed(PORT_TOPIC_NAME);
  assert.ok(portRowForAlert, `a topic-row named ${PORT_TOPIC_NAME}`);
  await wd.click(await wd.findElement(tid('topic-alert-me'), portRowForAlert));
  await eventually(async () => {
    const rows = await page.topics();
    const row = rows.rows.find((r) => reads(r.name, PORT_TOPIC_NAME));
    assert.ok(row && row.raw.includes(PORT_RULE_NAME), `the port topic's row shows its new rule: ${row && row.raw}`);
    assert.ok(/Instant/.test(row.raw), `the inline rule says its kind: ${row.raw}`);
    assert.ok(!row.raw.includes('Alert me'), `"Alert me" is gone once the topic has an instant rule: ${row.raw}`);
  });
  await page.assertNoErrorBanner('after "Alert me"');

  await page.goTo('alerts');
  await eventually(async () => {
    const a = await page.alerts();
    assert.ok(a.empty, `the inbox starts empty, got ${JSON.stringify(a.items)}`);
  });
  assert.equal(await page.unreadBadge(), null, 'no unread badge before any alert');
  await page.clickWhenEnabled('alerts-tab-rules');
  await eventually(async () => {
    const a = await page.alerts();
    assert.deepEqual(a.rules.map((r) => [r.name, r.kind]), [[PORT_RULE_NAME, 'Instant']], 'the rule made on Topics is listed');
    assert.match(a.rules[0].channels ?? '', /^Desktop, Inbox$/, `its channels, got ${JSON.stringify(a.rules[0].channels)}`);
  });
  await page.clickWhenEnabled('rule-new');
  await page.waitVisible('rule-form');
  await page.selectOptionText('rule-topic', TOPIC_NAME);
  await wd.click(await page.waitVisible('rule-kind-instant'));
  // The form starts with the desktop and the inbox as channels.
  const channelRows = await wd.executeScript(
    `return [...document.querySelectorAll('[data-testid="rule-channel-kind"]')].map((s) => s.value);`,
  );
  assert.deepEqual(channelRows, ['desktop', 'inbox'], 'the new rule goes to the desktop and the inbox');
  await page.shot('alert-rule-form');
  await page.clickWhenEnabled('rule-save');
  await eventually(async () => {
    const a = await page.alerts();
    assert.equal(a.form, false, 'the form closes once the rule is saved');
    assert.ok(a.note && a.note.startsWith(`Created “${RULE_NAME}”.`), `rules-note, got ${JSON.stringify(a.note)}`);
    assert.deepEqual(a.rules.map((r) => r.name).sort(), [PORT_RULE_NAME, RULE_NAME].sort(), 'both rules are listed');
  });
  await page.assertNoErrorBanner('after creating a rule');
  await page.shot('alert-rules');

  // Only what a fetch stores after the rule exists alerts: a new story on the agency's feed, then "Fetch now".
  const late = feed.addAgencyItem(fs.readFileSync(LATE_ITEM_FIXTURE, 'utf8'));
  assert.equal(late.title, LATE_TITLE, 'the late item is the BRICS story');
  await page.goTo('sources');
  const agencyHitsBefore = feed.hitCount('/feeds/agency.xml');
  await page.clickWhenEnabled('fetch-now');
  await eventually(
    async () => {
      const s = await page.fetchState();
      assert.equal(s.progress, null, 'the fetch has finished');
      assert.ok(feed.hitCount('/feeds/agency.xml') > agencyHitsBefore, 'the agency feed was fetched again');
      const text = s.result && (s.result.text || s.result.raw);
      assert.match(text ?? '', /^1 new article from \d+ sources\b.* 1 alert fired; see Alerts\.$/, `fetch-result, got ${JSON.stringify(text)}`);
    },
    { timeout: Math.max(WAIT_MS, 60_000) },
  );
  // The navigation counts the unread alert, whatever page is open.
  await eventually(async () => assert.equal(await page.unreadBadge(), '1', 'the unread badge reads 1'), {
    timeout: Math.max(WAIT_MS, 30_000),
  });

  await page.goTo('alerts');
  const inbox = await eventually(async () => {
    const a = await page.alerts();
    assert.equal(a.tab, 'inbox', 'the Alerts page opens on the inbox');
    assert.equal(a.items.length, 1, `one alert in the inbox, got ${JSON.stringify(a.items)}`);
    const [item] = a.items;
    assert.equal(item.summary, ALERT_SUMMARY, 'alert-summary');
    assert.equal(item.topic, TOPIC_NAME, 'alert-topic');
    assert.equal(item.kind, 'Instant', 'alert-kind');
    assert.ok(item.unread, 'the alert is unread');
    return a;
  });
  log(`inbox: ${JSON.stringify(inbox.items[0].summary)}`);
  await page.assertNoErrorBanner('on the inbox');
  const inboxShot = await page.shot('alerts');
  fs.copyFileSync(inboxShot, path.join(path.dirname(inboxShot), 'alerts.png')); // a stable name for the README

  // Opening it marks it read: the badge goes; its mention and its deliveries are shown.
  await page.clickWhenEnabled('alert-toggle');
  const opened = await eventually(async () => {
    const [item] = (await page.alerts()).items;
    assert.ok(item.open, 'the alert is open');
    assert.equal(item.unread, false, 'the opened alert is read');
    assert.deepEqual(item.mentions.map((m) => m.title), [LATE_TITLE], 'the alert lists the new mention');
    assert.equal(item.deliveries.length, 2, `a delivery for each channel, got ${JSON.stringify(item.deliveries)}`);
    assert.ok(item.deliveries.some((d) => d.startsWith('Inbox')), `the inbox delivery: ${JSON.stringify(item.deliveries)}`);
    assert.ok(item.deliveries.some((d) => d.startsWith('Desktop')), `the desktop delivery: ${JSON.stringify(item.deliveries)}`);
    assert.equal(await page.unreadBadge(), null, 'the unread badge is gone');
    return item;
  });
  log(`deliveries: ${JSON.stringify(opened.deliveries)}`);
  await page.shot('alert-opened');

  // Its mention opens in the reader.
  await wd.click(await page.waitVisible('alert-mention-title'));
  await page.waitVisible('page-mentions');
  await eventually(async () => {
    const d = await page.readerDetail();
    assert.ok(d && reads(d.title, LATE_TITLE), `the reader shows the alert's mention, got ${JSON.stringify(d && d.title)}`);
  });
  await page.assertNoErrorBanner('after opening the mention of an alert');
  await page.shot('alert-mention');

  // A clicked desktop notification: the shell emits open-alert (the click itself, from the notification server
  // over D-Bus, is tested in src-tauri's notify.rs); the window goes to the alert, open, with its mentions.
  await wd.executeScript(
    `return window.__TAURI_INTERNALS__.invoke('plugin:event|emit', { event: 'open-alert', payload: { alert_id: arguments[0] } });`,
    [opened.id],
  );
  await page.waitVisible('page-alerts');
  await eventually(async () => {
    const a = await page.alerts();
    const item = a.items.find((i) => i.id === opened.id);
    assert.ok(item && item.open, `the notification's alert is open, got ${JSON.stringify(a.items)}`);
    assert.deepEqual(item.mentions.map((m) => m.title), [LATE_TITLE], 'with the mention behind it');
  });
  await page.assertNoErrorBanner('after a notification opened its alert');
  await page.shot('alert-from-notification');

  // 11. Stars and reports: a star sticks across a reload; the Reports page counts the scope live and exports a
  // PDF and an XLSX through the native save dialog.
  log('step 11: stars and reports');
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

  await page.goTo('reports');
  await page.clickWhenEnabled('report-period-all');
  /** The live count's sentence once it names a number of mentions above 0. */
  const liveCount = () =>
    eventually(async () => {
      const text = await wd.executeScript(
        `const e = document.querySelector('[data-testid="report-count"]'); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null;`,
      );
      const n = Number(((text || '').match(/^([\d,]+) mentions? in /) || [])[1]?.replace(/,/g, ''));
      assert.ok(n > 0, `report-count names a number of mentions above 0, got ${JSON.stringify(text)}`);
      return text;
    });
  const reportFailures = [];
  for (const [format, file, magic] of [
    ['pdf', 'report.pdf', '%PDF'],
    ['xlsx', 'report.xlsx', 'PK'],
  ]) {
    await page.clickWhenEnabled(`report-format-${format}`);
    const sentence = await liveCount();
    log(`reports (${format}): ${sentence}`);
    if (format === 'pdf') {
      await page.waitVisible('report-preview');
      await page.shot('reports-page');
    }
    const target = path.join(tmpDir, file);
    await page.clickWhenEnabled('report-export');
    await answerFileDialog('Export report', target, { save: true });
    const outcome = await waitFor(
      async () => {
        if (await page.visible('report-result')) return { ok: true };
        const errs = await page.errors();
        return errs.length > 0 ? { ok: false, error: errs.join(' | ') } : null;
      },
      { timeout: Math.max(WAIT_MS, 60_000), message: `report-result for ${file}` },
    );
    if (!outcome.ok) {
      log(`FAIL: exporting ${format} showed an error: ${outcome.error}`);
      reportFailures.push(`${format}: ${outcome.error}`);
      await page.shot(`report-${format}-error`);
      await wd.executeScript(`const b = document.querySelector('[aria-label="Dismiss error"]'); if (b) b.click();`);
      continue;
    }
    assert.ok(fs.existsSync(target), `${target} was written`);
    const bytes = fs.readFileSync(target);
    assert.equal(bytes.subarray(0, magic.length).toString('latin1'), magic, `${file} starts with ${magic}`);
    if (format === 'pdf') assert.ok(bytes.length > 10 * 1024, `${file} is over 10 KB, got ${bytes.length} bytes`);
    const shown = await wd.executeScript(
      `const e = document.querySelector('[data-testid="report-result"]'); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null;`,
    );
    assert.ok(shown && shown.includes(file), `report-result names the file, got ${JSON.stringify(shown)}`);
    assert.ok(await page.visible('report-open'), 'report-result offers "Open"');
    log(`exported ${file}: ${bytes.length} bytes; ${shown}`);
    if (format === 'pdf') await page.shot('report-exported');
  }
  assert.deepEqual(reportFailures, [], 'every report format exports');
  await page.shot('report-xlsx-exported');

  // 12. Analysis: the charts, a point that opens the mentions behind it, the view in the URL.
  log('step 12: analysis');
  await page.goTo('analysis');
  await page.waitVisible('volume-chart');
  await page.waitVisible('volume-plot');
  await page.assertNoErrorBanner('on Analysis');
  const analysisText = (id) =>
    wd.executeScript(`const e = document.querySelector('[data-testid="' + arguments[0] + '"]'); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null;`, [id]);
  const summary = await analysisText('analysis-summary');
  assert.match(summary || '', /Last 30 days: [1-9]\d* flagged articles?/, `the summary counts the flagged articles: ${summary}`);
  assert.ok((await analysisText('share-of-voice')).includes(TOPIC_NAME), 'share of voice names the topic');
  assert.ok((await analysisText('top-sources')).includes(AGENCY_NAME), 'top sources names the agency');
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
  // Back returns to the same view of Analysis.
  await wd.back();
  await page.waitVisible('page-analysis');
  assert.equal(await wd.executeScript('return location.hash'), beforeClick, 'back returns to the chart it came from');
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

  // 12b. Triage with the keyboard: j/k move, o opens (and marks read), m toggles read, s stars, ? lists the keys.
  log('step 12b: triage mentions with the keyboard');
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

  // 13. Every page in both themes: a screenshot, and axe-core finds no serious or critical violation.
  log('step 13: every page in the light and the dark theme, with axe-core');
  const violations = [];
  for (const themeName of ['light', 'dark']) {
    await page.goTo('settings');
    await page.clickWhenEnabled(`theme-${themeName}`);
    await eventually(async () =>
      assert.equal(await wd.executeScript('return document.documentElement.dataset.theme'), themeName),
    );
    for (const name of PAGES) {
      await page.goTo(name);
      await sleep(SETTLE_MS);
      await page.assertNoErrorBanner(`on ${name} (${themeName})`);
      await page.shot(`${themeName}-${name}`);
      const found = await axe(wd);
      for (const v of found.violations) {
        violations.push(`${themeName} ${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
      }
      log(`axe ${themeName} ${name}: ${found.rules} rules applied, ${found.violations.length} serious or critical`);
    }
  }
  await page.goTo('settings');
  await page.clickWhenEnabled('theme-system');
  assert.deepEqual(violations, [], 'axe-core: no serious or critical accessibility violations');
}

/**
 * The window against a large database, timed from the driver: each view is opened by its URL (a fresh mount
 * of the page, so every call is made again) and timed inside the window until what the analyst waits for is
 * drawn (two animation frames after it appears), SCALE_RUNS times after a warm-up. The cold start runs from
 * the session request (WebKit and the app starting, the database opening) to the first Mentions page drawn.
 */
async function scaleScenario(wd, page, launchedAt, artifactsDir) {
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

/** axe-core on the page shown: how many rules applied, and the serious and critical violations. */
async function axe(wd) {
  const loaded = await wd.executeScript(`${AXE_SOURCE}\n;return typeof window.axe === 'object';`);
  assert.ok(loaded, 'axe-core loads into the window');
  const json = await wd.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     window.axe.run(document)
       .then((r) => done(JSON.stringify({
         rules: r.passes.length + r.violations.length + r.incomplete.length,
         violations: r.violations
           .filter((v) => v.impact === 'serious' || v.impact === 'critical')
           .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })),
       })))
       .catch((e) => done(JSON.stringify({ error: String(e) })));`,
  );
  const out = JSON.parse(json);
  assert.ok(Array.isArray(out.violations) && out.rules > 20, `axe-core ran its rules: ${json}`);
  return out;
}

// ---- main --------------------------------------------------------------------------------------------

async function main() {
  const artifactsDir = path.join(E2E_DIR, 'artifacts', stamp());
  fs.mkdirSync(artifactsDir, { recursive: true });
  console.log(`artifacts: ${artifactsDir}`);

  const state = { ok: false, tmp: null, feed: null, driver: null, driverLog: null, wd: null, page: null };
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
    log(`${sig}: cleaning up`);
    cleanup().finally(() => {
      console.log('0 passed, 1 failed');
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
    const dirs = {};
    for (const d of ['home', 'data', 'config', 'cache', 'runtime']) {
      dirs[d] = path.join(state.tmp, d);
      fs.mkdirSync(dirs[d], { recursive: true, mode: 0o700 });
    }
    const env = {
      ...process.env,
      // MW_E2E_SCALE_DB: the timing run against a large database (scaleScenario) instead of the workflows.
      MEDIAWATCH_DB: SCALE_DB || path.join(state.tmp, 'mediawatch.db'),
      // The scenario fetches with "Fetch now" and counts what that fetch brings: the background scheduler
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
    log(`app: ${pre.app}`);
    log(`database: ${env.MEDIAWATCH_DB}`);

    // 2. the fixture feed
    state.feed = await startFeedServer(fs.readFileSync(FIXTURE, 'utf8'), fs.readFileSync(REPUBLISHER_FIXTURE, 'utf8'));
    const items = fixtureItems(state.feed.agencyXml); // as served: the links point at this server's pages
    log(
      `feed server: ${state.feed.agencyUrl} (${items.length} items, pages under ${state.feed.base}/articles/), ` +
        `${state.feed.republisherUrl}, ${state.feed.brokenUrl} (500)`,
    );

    // 3. tauri-driver
    for (const p of [DRIVER_PORT, NATIVE_PORT]) {
      if (await portOpen(p)) throw new Error(`port ${p} is already in use (a leftover tauri-driver or WebKitWebDriver?)`);
    }
    const args = ['--port', String(DRIVER_PORT), '--native-port', String(NATIVE_PORT)];
    if (pre.native) args.push('--native-driver', pre.native);
    const driverLogPath = path.join(artifactsDir, 'driver.log');
    state.driverLog = fs.openSync(driverLogPath, 'a');
    log(`starting ${pre.driver} ${args.join(' ')} (log: ${driverLogPath})`);
    state.driver = spawn(pre.driver, args, {
      env,
      cwd: state.tmp,
      detached: true, // its own process group, so cleanup reaches the native driver and the app
      stdio: ['ignore', state.driverLog, state.driverLog],
    });
    let driverExit = null;
    state.driver.on('exit', (code, sig) => {
      driverExit = `exited with ${sig || code}`;
    });
    state.driver.on('error', (err) => {
      driverExit = `failed to start: ${err.message}`;
    });
    await waitFor(
      async () => driverExit !== null || portOpen(DRIVER_PORT), // stop waiting if it died
      { timeout: 20_000, interval: 100, message: `tauri-driver on port ${DRIVER_PORT}` },
    );
    if (driverExit) throw new Error(`tauri-driver ${driverExit}`);

    // 4. the session (this launches the app)
    state.wd = new WebDriverClient({ port: DRIVER_PORT, log });
    const launchedAt = Date.now();
    await state.wd.newSession(
      { alwaysMatch: { 'tauri:options': { application: pre.app } }, firstMatch: [{}] },
      { attempts: 4, timeout: 90_000, delay: 1_000 },
    );
    log(`session ${state.wd.sessionId}`);
    state.page = makePage(state.wd, artifactsDir);

    // 5. the scenario, within an overall time limit
    let timer;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`scenario exceeded ${TOTAL_MS} ms`)), TOTAL_MS);
    });
    try {
      const run = SCALE_DB
        ? scaleScenario(state.wd, state.page, launchedAt, artifactsDir)
        : scenario(state.wd, state.page, state.feed, items, state.tmp);
      await Promise.race([run, limit]);
    } finally {
      clearTimeout(timer);
    }
    state.ok = true;
  } catch (err) {
    failure = err;
    console.error(`\nFAILED: ${err && err.stack ? err.stack : err}\n`);
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
  console.log(failure ? '0 passed, 1 failed' : '1 passed, 0 failed');
  process.exitCode = failure ? 1 : 0;
}

await main();

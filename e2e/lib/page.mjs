// Page helpers bound to a session: waiting for elements by data-testid, typing, clicking, screenshots, and
// read-only snapshots of what each page shows.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebDriverClient, waitFor, tid } from '../webdriver.mjs';
import { eventually, reads } from './assertions.mjs';
import { SETTLE_MS, WAIT_MS, log } from './util.mjs';

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

export function makePage(wd, artifactsDir) {
  let shotNo = 0;

  const script = (body, args = []) => wd.executeScript(`${PRELUDE}\n${body}`, args);

  const page = {
    /** Run a read-only script in the window with the prelude's helpers (vis, q, norm, txt) in scope. */
    script,

    /** Save NN-name.png after letting the UI settle (`{ file: 'x.png' }`: that name, unnumbered). */
    async shot(name, { file: fileName = null } = {}) {
      await sleep(SETTLE_MS);
      // Let the webview paint what the DOM now holds: WebKit under Xvfb can otherwise hand back the
      // previous frame (seen on the very first screenshot).
      await wd.executeAsyncScript(
        'const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));',
      );
      await sleep(100);
      if (!fileName) shotNo += 1;
      const file = path.join(artifactsDir, fileName ?? `${String(shotNo).padStart(2, '0')}-${name}.png`);
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

    /**
     * Add a source on the Sources page: `typed` is what the analyst pastes; `url` is the feed the row must end
     * up with (a page URL is replaced by the feed the page advertises).
     */
    async addSource(typed, name, url = typed) {
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
    },

    /** Click the mention-row titled `title` and wait for the reader to show that article (its readerDetail). */
    async openMention(title) {
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
    },
  };
  return page;
}

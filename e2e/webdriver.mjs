// A tiny zero-dependency W3C WebDriver client for tauri-driver.
//
// Why not a library: tauri-driver 2.1.0 sometimes drops a request that arrives on a fresh TCP connection.
// Clients that keep ONE connection open and retry once when the socket dies without a response are
// reliable, so this client does exactly that:
//   - every request goes through one keep-alive agent with a single socket (`maxSockets: 1`);
//   - a request whose socket is reset or closed before any response (ECONNRESET, EPIPE, "socket hang up")
//     is sent once more, on a new connection (the dead socket has been dropped from the agent by then);
//   - every request has a timeout; a timed-out request is NOT retried (it may have been carried out);
//   - session creation is retried a few times while the driver is still starting.

import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** The key under which W3C WebDriver returns element references (the "web element identifier"). */
export const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';
// Also accepted when reading answers: the JSON Wire Protocol key, and a mistyped constant that once
// circulated in this project's notes (no driver sends it, but accepting it costs nothing).
const OTHER_ELEMENT_KEYS = ['ELEMENT', 'element-6066-11e4-a021-fd12-6e4bc2a8a4a8'];

/** The id inside an element reference as returned by the remote end, or undefined. */
export function elementId(value) {
  if (!value || typeof value !== 'object') return undefined;
  if (typeof value[ELEMENT_KEY] === 'string') return value[ELEMENT_KEY];
  for (const k of OTHER_ELEMENT_KEYS) if (typeof value[k] === 'string') return value[k];
  return undefined;
}

const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** An error answered by the remote end: `error` is the W3C error code (`no such element`, ...). */
export class WebDriverError extends Error {
  constructor(status, error, message, method, path) {
    super(`${method} ${path} -> HTTP ${status} ${error}: ${message}`);
    this.name = 'WebDriverError';
    this.status = status;
    this.error = error;
  }
}

/** The request got no answer in time. */
export class TimeoutError extends Error {
  constructor(message) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/** True for a socket that died before the remote end answered: safe and useful to retry once. */
export function isDroppedConnection(err) {
  if (!err || err instanceof WebDriverError || err instanceof TimeoutError) return false;
  if (DROPPED_CODES.has(err.code)) return true;
  return /socket hang up/i.test(String(err.message));
}

function isRefused(err) {
  return err && (err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET' || isDroppedConnection(err));
}

/**
 * Poll `fn` until it returns a truthy value, and return that value.
 * Exceptions thrown by `fn` count as "not yet" (the last one is reported on timeout).
 */
export async function waitFor(fn, { timeout = 20_000, interval = 200, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  let lastValue;
  for (;;) {
    try {
      lastValue = await fn();
      if (lastValue) return lastValue;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
  const detail = lastError ? ` (last error: ${lastError.message})` : ` (last value: ${JSON.stringify(lastValue)})`;
  throw new TimeoutError(`timed out after ${timeout} ms waiting for ${message}${detail}`);
}

/** A CSS selector for a data-testid. */
export const tid = (id) => `[data-testid="${id}"]`;

export class WebDriverClient {
  /**
   * @param {object} opts
   * @param {string} [opts.host]
   * @param {number} [opts.port]
   * @param {number} [opts.requestTimeout] ms for one request (default 30 s)
   * @param {(line: string) => void} [opts.log] debug logger (retries are always reported through it)
   */
  constructor({ host = '127.0.0.1', port = 4444, requestTimeout = 30_000, log = () => {} } = {}) {
    this.host = host;
    this.port = port;
    this.requestTimeout = requestTimeout;
    this.log = log;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.sessionId = null;
    this.retries = 0; // how many dropped requests were sent again (for the report and the self-test)
  }

  /** Close the kept-alive socket. The client can still be used afterwards (it opens a new one). */
  close() {
    this.agent.destroy();
  }

  /** One HTTP exchange, no retry. Resolves to `{status, body}` with the body parsed as JSON if possible. */
  _once(method, path, body, timeout) {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
      const headers = { Accept: 'application/json' };
      if (payload) {
        headers['Content-Type'] = 'application/json; charset=utf-8';
        headers['Content-Length'] = payload.length;
      }
      let settled = false;
      const done = (fn, v) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          fn(v);
        }
      };
      const req = http.request(
        { host: this.host, port: this.port, method, path, headers, agent: this.agent },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // not JSON: keep the text
            }
            done(resolve, { status: res.statusCode, body: parsed });
          });
          res.on('error', (err) => done(reject, err));
          res.on('aborted', () => {
            const err = new Error('socket hang up (response aborted)');
            err.code = 'ECONNRESET';
            done(reject, err);
          });
        },
      );
      // Our own timer (not req.setTimeout, which only measures socket idleness).
      const timer = setTimeout(() => {
        done(reject, new TimeoutError(`${method} ${path}: no response within ${timeout} ms`));
        req.destroy();
      }, timeout);
      req.on('error', (err) => done(reject, err));
      if (payload) req.write(payload);
      req.end();
    });
  }

  /**
   * Send a WebDriver command and return its `value`. A request dropped without a response is sent once
   * more on a new connection; an error answer throws WebDriverError.
   */
  async request(method, path, body, { timeout = this.requestTimeout } = {}) {
    let res;
    try {
      res = await this._once(method, path, body, timeout);
    } catch (err) {
      if (!isDroppedConnection(err)) throw err;
      this.retries += 1;
      this.log(`webdriver: ${method} ${path} dropped (${err.code || err.message}); retrying once on a new connection`);
      res = await this._once(method, path, body, timeout);
    }
    const value = res.body && typeof res.body === 'object' && 'value' in res.body ? res.body.value : res.body;
    if (res.status < 200 || res.status >= 300) {
      const code = value && typeof value === 'object' && value.error ? value.error : 'unknown error';
      const msg = value && typeof value === 'object' && value.message ? value.message : JSON.stringify(value);
      throw new WebDriverError(res.status, code, msg, method, path);
    }
    return value;
  }

  _s(suffix = '') {
    if (!this.sessionId) throw new Error('no WebDriver session');
    return `/session/${this.sessionId}${suffix}`;
  }

  // ---- status and sessions ----

  status() {
    return this.request('GET', '/status', undefined, { timeout: 5_000 });
  }

  /**
   * Create a session. Retries while the driver is starting (connection refused/reset) and a few times
   * on "session not created" (the native driver or the app may need a moment under a fresh Xvfb).
   */
  async newSession(capabilities, { attempts = 5, timeout = 90_000, delay = 1_000 } = {}) {
    let lastErr;
    for (let i = 1; i <= attempts; i++) {
      try {
        const value = await this.request('POST', '/session', { capabilities }, { timeout });
        this.sessionId = value.sessionId;
        this.capabilities = value.capabilities;
        if (!this.sessionId) throw new Error(`no sessionId in answer: ${JSON.stringify(value)}`);
        return value;
      } catch (err) {
        lastErr = err;
        const retryable =
          isRefused(err) || (err instanceof WebDriverError && (err.status >= 500 || err.error === 'session not created'));
        if (!retryable || i === attempts) break;
        this.log(`webdriver: new session attempt ${i}/${attempts} failed (${err.message}); retrying`);
        await sleep(delay * i);
      }
    }
    throw lastErr;
  }

  async deleteSession() {
    if (!this.sessionId) return;
    const path = this._s();
    this.sessionId = null;
    await this.request('DELETE', path, undefined, { timeout: 15_000 });
  }

  // ---- elements ----

  static ref(el) {
    if (typeof el === 'string') return el;
    const id = elementId(el);
    if (id) return id;
    throw new Error(`not an element reference: ${JSON.stringify(el)}`);
  }

  /** Find one element by CSS selector (optionally inside `parent`). Throws `no such element`. */
  async findElement(css, parent) {
    const base = parent ? this._s(`/element/${WebDriverClient.ref(parent)}`) : this._s();
    const v = await this.request('POST', `${base}/element`, { using: 'css selector', value: css });
    return WebDriverClient.ref(v);
  }

  /** Find all elements matching a CSS selector (optionally inside `parent`). */
  async findElements(css, parent) {
    const base = parent ? this._s(`/element/${WebDriverClient.ref(parent)}`) : this._s();
    const v = await this.request('POST', `${base}/elements`, { using: 'css selector', value: css });
    return v.map((e) => WebDriverClient.ref(e));
  }

  /** Like findElement, but null instead of `no such element`. */
  async tryFindElement(css, parent) {
    try {
      return await this.findElement(css, parent);
    } catch (err) {
      if (err instanceof WebDriverError && err.error === 'no such element') return null;
      throw err;
    }
  }

  click(el) {
    return this.request('POST', this._s(`/element/${WebDriverClient.ref(el)}/click`), {});
  }

  sendKeys(el, text) {
    return this.request('POST', this._s(`/element/${WebDriverClient.ref(el)}/value`), { text: String(text) });
  }

  clear(el) {
    return this.request('POST', this._s(`/element/${WebDriverClient.ref(el)}/clear`), {});
  }

  getText(el) {
    return this.request('GET', this._s(`/element/${WebDriverClient.ref(el)}/text`));
  }

  getAttribute(el, name) {
    return this.request('GET', this._s(`/element/${WebDriverClient.ref(el)}/attribute/${encodeURIComponent(name)}`));
  }

  getProperty(el, name) {
    return this.request('GET', this._s(`/element/${WebDriverClient.ref(el)}/property/${encodeURIComponent(name)}`));
  }

  isDisplayed(el) {
    return this.request('GET', this._s(`/element/${WebDriverClient.ref(el)}/displayed`));
  }

  // ---- document ----

  /** Run a synchronous script; element arguments are passed as references. */
  executeScript(script, args = []) {
    return this.request('POST', this._s('/execute/sync'), { script, args });
  }

  /** Run an asynchronous script: it finishes by calling its last argument (the W3C callback). */
  executeAsyncScript(script, args = []) {
    return this.request('POST', this._s('/execute/async'), { script, args });
  }

  /** An element reference as a script argument. */
  static arg(el) {
    return { [ELEMENT_KEY]: WebDriverClient.ref(el) };
  }

  /** The viewport as a PNG (Buffer). */
  async screenshot() {
    const b64 = await this.request('GET', this._s('/screenshot'), undefined, { timeout: 30_000 });
    return Buffer.from(b64, 'base64');
  }

  /** The previous entry of the window's history (W3C "Back"). */
  back() {
    return this.request('POST', this._s('/back'), {});
  }

  /** Reload the current page (W3C "Refresh"). */
  refresh() {
    return this.request('POST', this._s('/refresh'), {});
  }

  getPageSource() {
    return this.request('GET', this._s('/source'));
  }

  getTitle() {
    return this.request('GET', this._s('/title'));
  }

  getUrl() {
    return this.request('GET', this._s('/url'));
  }
}

// Self-test of webdriver.mjs against fake local HTTP servers: no app, no driver needed.
//   node e2e/webdriver.selftest.mjs
// Prints "N passed, M failed" as its last line and exits non-zero on any failure.

import assert from 'node:assert/strict';
import http from 'node:http';
import { WebDriverClient, WebDriverError, TimeoutError, ELEMENT_KEY, elementId, waitFor, isDroppedConnection } from './webdriver.mjs';

/**
 * A fake WebDriver remote end. `plan(req, ctx)` decides per request: return 'destroy' to kill the socket
 * without answering, 'hang' to never answer, or `{status, value}` to answer.
 */
async function fakeServer(plan) {
  const ctx = { requests: [], connections: 0, sockets: new Set() };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const entry = { method: req.method, url: req.url, body: text ? JSON.parse(text) : undefined, socket: req.socket.id };
      ctx.requests.push(entry);
      const action = plan(entry, ctx);
      if (action === 'destroy') return req.socket.destroy();
      if (action === 'hang') return;
      const body = JSON.stringify({ value: action.value === undefined ? null : action.value });
      res.writeHead(action.status || 200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    ctx.connections += 1;
    socket.id = ctx.connections;
    ctx.sockets.add(socket);
    socket.on('close', () => ctx.sockets.delete(socket));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  ctx.port = server.address().port;
  ctx.close = () =>
    new Promise((r) => {
      for (const s of ctx.sockets) s.destroy();
      server.close(() => r());
    });
  return ctx;
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('uses the W3C web element identifier and reads legacy keys too', async () => {
  assert.equal(ELEMENT_KEY, 'element-6066-11e4-a52e-4f735466cecf');
  assert.equal(elementId({ [ELEMENT_KEY]: 'n1' }), 'n1');
  assert.equal(elementId({ ELEMENT: 'n2' }), 'n2');
  assert.equal(elementId({ 'element-6066-11e4-a021-fd12-6e4bc2a8a4a8': 'n3' }), 'n3');
  assert.equal(elementId(null), undefined);
  assert.equal(WebDriverClient.ref({ [ELEMENT_KEY]: 'n4' }), 'n4');
  assert.throws(() => WebDriverClient.ref({}));
});

test('keeps one connection open across requests', async () => {
  const srv = await fakeServer(() => ({ value: { ready: true } }));
  const wd = new WebDriverClient({ port: srv.port });
  try {
    for (let i = 0; i < 5; i++) assert.deepEqual(await wd.status(), { ready: true });
    assert.equal(srv.connections, 1, 'all requests on one socket');
    assert.equal(wd.retries, 0);
  } finally {
    wd.close();
    await srv.close();
  }
});

test('retries once on a new connection when the first socket is destroyed', async () => {
  let first = true;
  const srv = await fakeServer(() => {
    if (first) {
      first = false;
      return 'destroy';
    }
    return { value: { ready: true } };
  });
  const wd = new WebDriverClient({ port: srv.port });
  try {
    assert.deepEqual(await wd.status(), { ready: true });
    assert.equal(srv.requests.length, 2, 'the request was sent twice');
    assert.equal(srv.connections, 2, 'the retry used a new connection');
    assert.notEqual(srv.requests[0].socket, srv.requests[1].socket);
    assert.equal(wd.retries, 1);
    // and the new connection is kept for the next request
    await wd.status();
    assert.equal(srv.connections, 2);
  } finally {
    wd.close();
    await srv.close();
  }
});

test('retries a POST with the same body', async () => {
  let n = 0;
  const srv = await fakeServer((req) => (n++ === 0 ? 'destroy' : { value: { [ELEMENT_KEY]: 'el-1', got: req.body } }));
  const wd = new WebDriverClient({ port: srv.port });
  wd.sessionId = 'S';
  try {
    const el = await wd.findElement('[data-testid="x"]');
    assert.equal(el, 'el-1');
    assert.equal(srv.requests.length, 2);
    for (const r of srv.requests) {
      assert.equal(r.method, 'POST');
      assert.equal(r.url, '/session/S/element');
      assert.deepEqual(r.body, { using: 'css selector', value: '[data-testid="x"]' });
    }
  } finally {
    wd.close();
    await srv.close();
  }
});

test('retries only once: a second drop is an error', async () => {
  const srv = await fakeServer(() => 'destroy');
  const wd = new WebDriverClient({ port: srv.port });
  try {
    await assert.rejects(wd.status(), (err) => isDroppedConnection(err));
    assert.equal(srv.requests.length, 2);
  } finally {
    wd.close();
    await srv.close();
  }
});

test('recovers when the server closed the idle kept-alive socket', async () => {
  const srv = await fakeServer(() => ({ value: 'ok' }));
  const wd = new WebDriverClient({ port: srv.port });
  wd.sessionId = 'S';
  try {
    assert.equal(await wd.getTitle(), 'ok');
    for (const s of srv.sockets) s.destroy(); // the remote end drops the idle connection
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await wd.getTitle(), 'ok');
    assert.equal(srv.connections, 2);
  } finally {
    wd.close();
    await srv.close();
  }
});

test('a request that gets no answer times out and is not retried', async () => {
  const srv = await fakeServer(() => 'hang');
  const wd = new WebDriverClient({ port: srv.port, requestTimeout: 300 });
  try {
    const t0 = Date.now();
    await assert.rejects(wd.request('GET', '/x'), TimeoutError); // the client's default timeout
    await assert.rejects(wd.request('POST', '/y', {}, { timeout: 100 }), TimeoutError); // a per-request one
    assert.ok(Date.now() - t0 < 2_000, 'timeouts honoured');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(srv.requests.length, 2, 'one request each, no retry');
  } finally {
    wd.close();
    await srv.close();
  }
});

test('error answers become WebDriverError with the W3C code', async () => {
  const srv = await fakeServer(() => ({ status: 404, value: { error: 'no such element', message: 'nothing here' } }));
  const wd = new WebDriverClient({ port: srv.port });
  wd.sessionId = 'S';
  try {
    await assert.rejects(wd.findElement('.nope'), (err) => err instanceof WebDriverError && err.error === 'no such element' && err.status === 404);
    assert.equal(await wd.tryFindElement('.nope'), null);
    assert.equal(srv.requests.length, 2, 'errors answered by the server are not retried');
  } finally {
    wd.close();
    await srv.close();
  }
});

test('newSession retries while the driver starts, and sends alwaysMatch capabilities', async () => {
  let n = 0;
  const srv = await fakeServer((req) => {
    n += 1;
    if (n <= 2) return 'destroy'; // first attempt: dropped twice (request + its retry)
    if (n === 3) return { status: 500, value: { error: 'session not created', message: 'driver not ready' } };
    return { value: { sessionId: 'abc', capabilities: { browserName: 'wry' }, echo: req.body } };
  });
  const wd = new WebDriverClient({ port: srv.port });
  const caps = { alwaysMatch: { 'tauri:options': { application: '/bin/true' } }, firstMatch: [{}] };
  try {
    const v = await wd.newSession(caps, { attempts: 4, delay: 10 });
    assert.equal(v.sessionId, 'abc');
    assert.equal(wd.sessionId, 'abc');
    assert.deepEqual(v.echo, { capabilities: caps });
    await wd.deleteSession();
    const last = srv.requests.at(-1);
    assert.equal(last.method, 'DELETE');
    assert.equal(last.url, '/session/abc');
    assert.equal(wd.sessionId, null);
  } finally {
    wd.close();
    await srv.close();
  }
});

test('newSession retries on connection refused', async () => {
  // find a free port, then start the server on it only after the first attempt failed
  const probe = http.createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const port = probe.address().port;
  await new Promise((r) => probe.close(r));
  const wd = new WebDriverClient({ port });
  let server;
  const late = setTimeout(() => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ value: { sessionId: 'late', capabilities: {} } }));
      });
    });
    server.listen(port, '127.0.0.1');
  }, 150);
  try {
    const v = await wd.newSession({ alwaysMatch: {} }, { attempts: 5, delay: 100 });
    assert.equal(v.sessionId, 'late');
  } finally {
    clearTimeout(late);
    wd.close();
    if (server) await new Promise((r) => server.close(r));
  }
});

test('element helpers use the W3C endpoints and bodies', async () => {
  const srv = await fakeServer((req) => {
    if (req.url.endsWith('/elements')) return { value: [{ [ELEMENT_KEY]: 'a' }, { [ELEMENT_KEY]: 'b' }] };
    if (req.url.endsWith('/screenshot')) return { value: Buffer.from('PNGDATA').toString('base64') };
    if (req.url.endsWith('/execute/sync')) return { value: req.body };
    return { value: null };
  });
  const wd = new WebDriverClient({ port: srv.port });
  wd.sessionId = 'S';
  try {
    assert.deepEqual(await wd.findElements('li', 'parent-1'), ['a', 'b']);
    await wd.click('a');
    await wd.sendKeys('a', 'hello');
    await wd.clear('a');
    await wd.getText('a');
    await wd.getAttribute('a', 'href');
    await wd.getProperty('a', 'value');
    assert.equal((await wd.screenshot()).toString(), 'PNGDATA');
    const echoed = await wd.executeScript('return 1', [WebDriverClient.arg('a')]);
    assert.deepEqual(echoed, { script: 'return 1', args: [{ [ELEMENT_KEY]: 'a' }] });
    const seen = srv.requests.map((r) => `${r.method} ${r.url} ${r.body === undefined ? '' : JSON.stringify(r.body)}`.trim());
    assert.deepEqual(seen.slice(0, 7), [
      'POST /session/S/element/parent-1/elements {"using":"css selector","value":"li"}',
      'POST /session/S/element/a/click {}',
      'POST /session/S/element/a/value {"text":"hello"}',
      'POST /session/S/element/a/clear {}',
      'GET /session/S/element/a/text',
      'GET /session/S/element/a/attribute/href',
      'GET /session/S/element/a/property/value',
    ]);
    assert.equal(srv.connections, 1);
  } finally {
    wd.close();
    await srv.close();
  }
});

test('waitFor polls until truthy and reports the last error on timeout', async () => {
  let n = 0;
  assert.equal(await waitFor(() => (++n >= 3 ? 'yes' : null), { interval: 5 }), 'yes');
  await assert.rejects(
    waitFor(
      () => {
        throw new Error('boom');
      },
      { timeout: 50, interval: 10, message: 'thing' },
    ),
    (err) => err instanceof TimeoutError && /thing/.test(err.message) && /boom/.test(err.message),
  );
});

let passed = 0;
let failed = 0;
for (const { name, fn } of tests) {
  try {
    await fn();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL ${name}\n     ${err && err.stack ? err.stack.split('\n').join('\n     ') : err}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;

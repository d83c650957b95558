// The fixture feed server: the agency feed, the republisher, a broken feed, the article pages and a picture.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { ARTICLES_DIR, SEED_IMAGE } from './fixture.mjs';

export function fixtureItems(xml) {
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

export async function startFeedServer(xml, republisherXml) {
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
    // Listed in the OPML file the analyst imports (02-import-opml); never fetched.
    asiaUrl: `${base}/feeds/asia.xml`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}


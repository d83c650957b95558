"""The ingest benchmark's peer: the pipeline as a Python analyst writes it.

feedparser reads each feed, every entry's page is fetched and trafilatura extracts the article, rows go to
SQLite. Four threads (one feed each at a time), like the four sources Mediawatch fetches at once. Imports
and interpreter start are not timed. It does less than Mediawatch's cycle: no language detection, no
fingerprints, no topic matching, no full-text index.

usage: python_ingest.py FEEDS.json DB_PATH   ->   {"seconds": S, "articles": N} on stdout
"""

import json
import sqlite3
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import feedparser
import trafilatura


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def one_feed(url):
    parsed = feedparser.parse(get(url))
    rows = []
    for entry in parsed.entries:
        link = entry.get("link")
        html = get(link)
        text = trafilatura.extract(html, url=link, output_format="txt", include_comments=False, include_tables=True)
        rows.append((entry.get("id", link), link, entry.get("title", ""), text or ""))
    return rows


def main():
    feeds = json.load(open(sys.argv[1], encoding="utf-8"))
    start = time.perf_counter()
    conn = sqlite3.connect(sys.argv[2])
    conn.execute("CREATE TABLE IF NOT EXISTS articles (guid TEXT UNIQUE, url TEXT, title TEXT, text TEXT)")
    with ThreadPoolExecutor(4) as pool:
        for rows in pool.map(one_feed, feeds):
            conn.executemany("INSERT OR IGNORE INTO articles VALUES (?, ?, ?, ?)", rows)
            conn.commit()
    seconds = time.perf_counter() - start
    count = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    print(json.dumps({"seconds": seconds, "articles": count}))


if __name__ == "__main__":
    main()

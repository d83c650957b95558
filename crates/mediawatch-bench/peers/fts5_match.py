"""The topic benchmark's peer (b): stored-query matching the naive SQLite way.

For every batch of N documents: a fresh in-memory database with one FTS5 table, the batch inserted, then every
topic run as one `MATCH` query over it. Python 3 standard library only (sqlite3 with FTS5).

Topics: one a line, `ID<TAB>QUERY`, in Mediawatch's query language restricted to what this peer reads: words,
`pre*` prefixes, AND/OR/NOT and parentheses. Each word becomes an FTS5 string `"word"` and each prefix
`"pre"*`, so that words such as `near` or `and` are never read as FTS5 keywords. Documents: JSON lines
`{"id", "title", "text", ...}`.

usage: fts5_match.py TOPICS DOCS [--batch N]   ->   `DOC_ID<TAB>TOPIC_ID` lines on stdout, one per match
"""

import argparse
import json
import sqlite3
import sys

OPERATORS = {"AND", "OR", "NOT"}


def fts5_query(query):
    """`close* AND round*` -> `"close"* AND "round"*`."""
    out = []
    for token in query.replace("(", " ( ").replace(")", " ) ").split():
        if token in OPERATORS or token in ("(", ")"):
            out.append(token)
        elif token.endswith("*"):
            out.append('"' + token[:-1].replace('"', '""') + '"*')
        else:
            out.append('"' + token.replace('"', '""') + '"')
    return " ".join(out)


def read_topics(path):
    topics = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            topic_id, query = line.split("\t", 1)
            topics.append((topic_id, fts5_query(query)))
    return topics


def read_docs(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                yield (str(d["id"]), d.get("title") or "", d.get("text") or "")


def match_batch(batch, topics, out):
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')"
    )
    conn.executemany("INSERT INTO d (id, title, text) VALUES (?, ?, ?)", batch)
    for topic_id, query in topics:
        for (doc_id,) in conn.execute("SELECT id FROM d WHERE d MATCH ?", (query,)):
            out.append(f"{doc_id}\t{topic_id}\n")
    conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topics")
    parser.add_argument("docs")
    parser.add_argument("--batch", type=int, default=50, help="documents per fresh database")
    args = parser.parse_args()
    topics = read_topics(args.topics)
    out = []
    batch = []
    for doc in read_docs(args.docs):
        batch.append(doc)
        if len(batch) >= max(args.batch, 1):
            match_batch(batch, topics, out)
            batch = []
    if batch:
        match_batch(batch, topics, out)
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()

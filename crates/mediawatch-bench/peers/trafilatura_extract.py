"""The peer of `mediawatch-bench extract`: Python trafilatura (pinned: trafilatura==2.3.1) on the same pages.

Usage: python trafilatura_extract.py PAGES_JSON [--runs N | --interleave]

PAGES_JSON is a file holding a JSON list of {"path": ..., "url": ... or null}. All pages' bytes are read
first; then N timed passes over the whole list call, single-threaded in this process,

    trafilatura.extract(page_bytes, url=url, output_format="txt", include_comments=False, include_tables=True)

on the raw bytes (trafilatura decodes them itself, as Mediawatch does: "from their bytes alone"). Interpreter
start, imports and file reading are not timed. Writes one JSON object to stdout: the per-run seconds, the
extracted text of each page from the last run ("" where trafilatura returned None), the errors, and versions.

With --interleave (how `mediawatch-bench extract` drives it, so that its own passes and these alternate under
the same machine load): after loading, writes `{"ready": true}`; then each line `pass` on stdin runs one
timed pass and answers `{"pass": K, "seconds": S}`; `end` (or end of input) writes the JSON object above.
Every message is one line of JSON on stdout.
"""

import argparse
import json
import platform
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages_json")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--interleave", action="store_true")
    args = parser.parse_args()

    # Anything trafilatura or its dependencies print must not mix with the JSON on stdout.
    real_stdout = sys.stdout
    sys.stdout = sys.stderr

    import trafilatura  # not timed

    with open(args.pages_json, encoding="utf-8") as f:
        pages = json.load(f)
    inputs = []
    for page in pages:
        with open(page["path"], "rb") as f:
            inputs.append((f.read(), page.get("url")))

    runs = []
    texts = []
    errors = []

    def one_pass():
        nonlocal texts, errors
        texts = []
        errors = []
        start = time.perf_counter()
        for data, url in inputs:
            try:
                text = trafilatura.extract(
                    data,
                    url=url,
                    output_format="txt",
                    include_comments=False,
                    include_tables=True,
                )
            except Exception as e:  # noqa: BLE001 - a page that fails counts as empty, and is reported
                text = None
                errors.append(f"{type(e).__name__}: {e}")
            texts.append(text)
        runs.append(time.perf_counter() - start)
        print(f"  trafilatura: pass {len(runs)} in {runs[-1]:.3f} s", file=sys.stderr)

    def say(obj):
        real_stdout.write(json.dumps(obj) + "\n")
        real_stdout.flush()

    if args.interleave:
        say({"ready": True})
        for line in sys.stdin:
            command = line.strip()
            if command == "pass":
                one_pass()
                say({"pass": len(runs), "seconds": runs[-1]})
            elif command == "end":
                break
    else:
        for _ in range(max(1, args.runs)):
            one_pass()

    out = {
        "trafilatura": getattr(trafilatura, "__version__", "unknown"),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "runs_seconds": runs,
        # Lone surrogates cannot cross JSON into Rust: replace them.
        "texts": [("" if t is None else t.encode("utf-8", "replace").decode("utf-8")) for t in texts],
        "none": sum(1 for t in texts if t is None),
        "errors": errors,
    }
    say(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

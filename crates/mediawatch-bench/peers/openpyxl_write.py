"""The XLSX peer: Python's openpyxl (write-only mode, its fast path for large sheets) writing the rows of a
Mediawatch NDJSON export as the Mentions sheet Mediawatch writes (a real date, the title as a hyperlink, the
same columns), with a frozen header row and an autofilter. Usage: openpyxl_write.py IN.ndjson OUT.xlsx.
Prints the seconds spent writing (after reading the input) on stdout."""
import datetime
import json
import sys
import time

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
start = time.perf_counter()
wb = Workbook(write_only=True)
ws = wb.create_sheet("Mentions")
ws.freeze_panes = "A2"
headers = ["Published (UTC)", "Title", "Source", "Language", "Topics", "Matched terms", "Snippet",
           "Also published by", "URL", "Story", "Article id", "Starred"]
ws.append(headers)
wrap = Alignment(wrap_text=True, vertical="top")
link_font = Font(color="0563C1", underline="single")
for m in rows:
    a = m["article"]
    published = a["published"]
    when = datetime.datetime.fromisoformat(published.replace("Z", "+00:00")).replace(tzinfo=None) if published else None
    date = WriteOnlyCell(ws, value=when)
    date.number_format = "yyyy-mm-dd hh:mm"
    title = WriteOnlyCell(ws, value=a["title"])
    if a["url"]:
        title.hyperlink = a["url"]
        title.font = link_font
    title.alignment = wrap
    snippet = WriteOnlyCell(ws, value="\n".join(s["text"] for s in m.get("snippets", [])) or a["snippet"])
    snippet.alignment = wrap
    terms = []
    for s in m["spans"]:
        if s["term"] not in terms:
            terms.append(s["term"])
    ws.append([date, title, a["source"], a["lang"] or "", ", ".join(m["topics"]), ", ".join(terms), snippet,
               ", ".join(c["source"] for c in m.get("also_published_by", [])), a["url"] or "", m.get("story"),
               a["id"], "yes" if m.get("starred") else ""])
ws.auto_filter.ref = f"A1:L{len(rows) + 1}"
wb.save(sys.argv[2])
print(f"{time.perf_counter() - start:.6f}")

"""The PDF peer: WeasyPrint printing Mediawatch's own HTML export of the same mentions to PDF (A4).
Usage: weasyprint_pdf.py IN.html OUT.pdf. Prints the seconds spent (after the import) on stdout."""
import sys
import time

from weasyprint import CSS, HTML

start = time.perf_counter()
HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], stylesheets=[CSS(string="@page { size: A4; margin: 18mm }")])
print(f"{time.perf_counter() - start:.6f}")

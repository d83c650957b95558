//! HTML: one self-contained file (inline CSS, inline SVG charts, no script and no remote resource of any
//! kind) that reads well in a browser and works as an e-mail body. Written an article at a time.

use std::fs::File;
use std::io::{BufWriter, Write};

use super::{chart, day, io_error, minute, thousands, Count, Entry, Head, Writer};
use crate::error::Result;
use crate::topics::Kwic;

/// The charts' colours, one a topic in turn.
pub(super) const PALETTE: [&str; 6] = ["#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2"];

/// Top sources shown in the figures.
pub(super) const TOP_SOURCES: usize = 15;

const STYLE: &str = "body{font-family:'Noto Sans','Noto Sans CJK SC','Segoe UI',Arial,sans-serif;color:#1f2937;\
max-width:860px;margin:0 auto;padding:24px;line-height:1.45}h1{font-size:26px;margin:0 0 8px}\
h2{font-size:19px;border-bottom:2px solid #e5e7eb;padding-bottom:4px;margin-top:32px}\
h3{font-size:16px;margin:0 0 2px}a{color:#1d4ed8}.muted{color:#6b7280;font-size:13px}\
.cover{border-bottom:3px solid #1d4ed8;padding-bottom:16px}.counts{font-size:17px;font-weight:600;margin-top:10px}\
table{border-collapse:collapse;margin:8px 0 16px;min-width:50%}td,th{padding:3px 10px;border-bottom:1px solid #e5e7eb;\
text-align:left;font-size:14px}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
.entry{padding:12px 0;border-bottom:1px solid #e5e7eb}.kwic{margin:6px 0 0;padding-left:10px;border-left:3px solid #e5e7eb;\
font-size:14px}mark{background:#fef08a;font-weight:600;padding:0 1px}.also{font-size:13px;color:#4b5563;margin-top:4px}\
.text{font-size:14px;white-space:pre-wrap;margin-top:8px}.chart{margin:4px 0 14px}";

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link only to the web: a `javascript:` or `data:` URL in a feed is shown as text.
fn safe_url(u: &str) -> Option<&str> {
    let lower = u.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(u)
}

/// A keyword-in-context line with its matched words marked.
pub(super) fn kwic_html(k: &Kwic) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(a, b) in &k.highlights {
        if a < at || b > k.text.len() || !k.text.is_char_boundary(a) || !k.text.is_char_boundary(b) {
            continue;
        }
        out.push_str(&escape(&k.text[at..a]));
        out.push_str("<mark>");
        out.push_str(&escape(&k.text[a..b]));
        out.push_str("</mark>");
        at = b;
    }
    out.push_str(&escape(&k.text[at..]));
    out
}

fn table(out: &mut String, title: &str, first: &str, rows: &[Count]) {
    out.push_str(&format!(
        "<h3>{}</h3><table><tr><th>{}</th><th class=n>Stories</th><th class=n>Articles</th></tr>",
        escape(title),
        escape(first)
    ));
    for r in rows {
        out.push_str(&format!(
            "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
            escape(&r.label),
            thousands(r.stories),
            thousands(r.articles)
        ));
    }
    out.push_str("</table>");
}

pub(super) struct HtmlWriter<W: Write> {
    out: W,
    full_text: bool,
    tz: chrono_tz::Tz,
}

impl<W: Write> HtmlWriter<W> {
    /// Writes the head: the cover, the figures, the charts. `preview`: a first page of that many articles.
    pub(super) fn new(head: &Head, mut out: W, preview: Option<usize>) -> Result<HtmlWriter<W>> {
        let s = &head.summary;
        let mut h = String::new();
        h.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
             content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>\n",
            escape(&head.title)
        ));
        h.push_str(&format!("<header class=cover><h1>{}</h1>", escape(&head.title)));
        for line in &head.scope_lines {
            h.push_str(&format!("<div>{}</div>", escape(line)));
        }
        h.push_str(&format!(
            "<div>Period: {}</div><div class=muted>Generated {} by Mediawatch</div><div class=counts>{}</div></header>\n",
            escape(&head.period),
            escape(&minute(head.generated_at, head.tz)),
            escape(&head.counts_line())
        ));
        h.push_str("<section><h2>Summary</h2>");
        table(&mut h, "Mentions per topic", "Topic", &s.per_topic);
        let top: Vec<Count> = s.per_source.iter().take(TOP_SOURCES).cloned().collect();
        let title = if s.per_source.len() > TOP_SOURCES {
            format!("Top {TOP_SOURCES} sources of {}", s.per_source.len())
        } else {
            "Sources".to_string()
        };
        table(&mut h, &title, "Source (stories first published there)", &top);
        table(&mut h, "Languages", "Language", &s.per_lang);
        h.push_str("</section>\n");
        if head.content.charts && !s.buckets.is_empty() {
            let unit = match s.bucket {
                super::Bucket::Day => "day",
                super::Bucket::Week => "week",
                super::Bucket::Month => "month",
            };
            h.push_str(&format!(
                "<section><h2>Volume over time</h2><p class=muted>Stories per {unit} ({}).</p>",
                escape(head.tz.name())
            ));
            for (i, series) in s.series.iter().enumerate() {
                let color = PALETTE[i % PALETTE.len()];
                h.push_str(&format!("<h3>{}</h3><div class=chart>", escape(&series.topic)));
                h.push_str(&chart::svg(
                    &format!("{}: stories per {unit}", series.topic),
                    &s.buckets,
                    &series.counts,
                    color,
                ));
                h.push_str("</div>");
            }
            h.push_str("</section>\n");
        }
        let shown = match preview {
            Some(n) if (n as u64) < s.stories => format!(" (the first {n})"),
            _ => String::new(),
        };
        h.push_str(&format!("<section><h2>Mentions{shown}</h2>\n"));
        out.write_all(h.as_bytes()).map_err(io_error)?;
        Ok(HtmlWriter { out, full_text: head.content.full_text, tz: head.tz })
    }

    pub(super) fn write_entry(&mut self, e: &Entry) -> Result<()> {
        let mut h = String::from("<article class=entry>");
        let title = escape(&e.title);
        match e.url.as_deref().and_then(safe_url) {
            Some(u) => h.push_str(&format!("<h3><a href=\"{}\">{title}</a></h3>", escape(u))),
            None => h.push_str(&format!("<h3>{title}</h3>")),
        }
        let mut meta = vec![escape(&e.source), escape(&day(e.published.unwrap_or(e.sort_at), self.tz))];
        if let Some(l) = &e.lang {
            meta.push(escape(l));
        }
        if !e.topics.is_empty() {
            meta.push(escape(&e.topics.join(", ")));
        }
        if e.starred {
            meta.push("★ starred".into());
        }
        h.push_str(&format!("<div class=muted>{}</div>", meta.join(" · ")));
        for k in &e.kwic {
            h.push_str(&format!("<p class=kwic>{}</p>", kwic_html(k)));
        }
        let outlets = super::csv::outlets(e);
        if !outlets.is_empty() {
            h.push_str(&format!("<div class=also>Also published by: {}</div>", escape(&outlets.join(", "))));
        }
        if self.full_text {
            if let Some(t) = &e.text {
                h.push_str(&format!("<div class=text>{}</div>", escape(t)));
            }
        }
        h.push_str("</article>\n");
        self.out.write_all(h.as_bytes()).map_err(io_error)
    }

    pub(super) fn end(&mut self) -> Result<()> {
        self.out.write_all(b"</section>\n</body></html>\n").map_err(io_error)?;
        self.out.flush().map_err(io_error)
    }
}

impl HtmlWriter<BufWriter<File>> {
    fn into_file(self) -> Result<File> {
        self.out.into_inner().map_err(|e| io_error(e.into_error()))
    }
}

/// The file writer: buffered.
pub(super) fn file_writer(head: &Head, file: File) -> Result<HtmlWriter<BufWriter<File>>> {
    HtmlWriter::new(head, BufWriter::new(file), None)
}

impl Writer for HtmlWriter<BufWriter<File>> {
    fn entry(&mut self, e: &Entry) -> Result<()> {
        self.write_entry(e)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.end()?;
        self.into_file()?.sync_all().map_err(io_error)
    }
}

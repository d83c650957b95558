//! JSON and NDJSON, in the shape of `../shared/design/CLI.md` ("Reports") and `docs/report.schema.json`:
//! `{"report": {...}, "summary": {...}, "mentions": [...]}`, written a mention at a time; NDJSON is one
//! mention a line (no head: the figures are in the JSON export).

use std::fs::File;
use std::io::{BufWriter, Write};

use serde_json::{json, Value};

use super::{io_error, Entry, Head, Writer};
use crate::error::{Error, Result};

pub(super) struct JsonWriter {
    out: BufWriter<File>,
    lines: bool,
    first: bool,
}

/// One mention as JSON exports write it.
pub fn mention_json(e: &Entry) -> Value {
    let mut v = json!({
        "article": {
            "id": e.id,
            "title": e.title,
            "url": e.url,
            "source": e.source,
            "published": e.published,
            "lang": e.lang,
            "snippet": e.snippet,
        },
        "topics": e.topics,
        "spans": e.spans.iter().map(|(topic, s)| json!({
            "topic": topic, "field": s.field, "start": s.start, "end": s.end, "term": s.term,
        })).collect::<Vec<_>>(),
        "snippets": e.kwic.iter().map(|k| json!({"text": k.text, "highlights": k.highlights})).collect::<Vec<_>>(),
        "story": e.story,
        "copy_of": e.copy_of,
        "also_published_by": e.copies.iter().map(|c| json!({"id": c.id, "source": c.source, "url": c.url})).collect::<Vec<_>>(),
        "starred": e.starred,
    });
    if let Some(text) = &e.text {
        v["article"]["text"] = json!(text);
    }
    v
}

/// The report's head as JSON exports write it.
pub fn head_json(head: &Head) -> (Value, Value) {
    let report = json!({
        "title": head.title,
        "generated_at": head.generated_at,
        "timezone": head.tz.name(),
        "scope": head.scope,
        "period": head.period,
    });
    let summary = serde_json::to_value(&head.summary).unwrap_or(Value::Null);
    (report, summary)
}

fn json_error(e: serde_json::Error) -> Error {
    if e.is_io() {
        io_error(e.into())
    } else {
        Error::Internal(format!("JSON: {e}"))
    }
}

impl JsonWriter {
    pub(super) fn new(head: &Head, file: File, lines: bool) -> Result<JsonWriter> {
        let mut out = BufWriter::new(file);
        if !lines {
            let (report, summary) = head_json(head);
            out.write_all(b"{\"report\":").map_err(io_error)?;
            serde_json::to_writer(&mut out, &report).map_err(json_error)?;
            out.write_all(b",\n\"summary\":").map_err(io_error)?;
            serde_json::to_writer(&mut out, &summary).map_err(json_error)?;
            out.write_all(b",\n\"mentions\":[").map_err(io_error)?;
        }
        Ok(JsonWriter { out, lines, first: true })
    }
}

impl Writer for JsonWriter {
    fn entry(&mut self, e: &Entry) -> Result<()> {
        if !self.lines && !self.first {
            self.out.write_all(b",").map_err(io_error)?;
        }
        self.first = false;
        if !self.lines {
            self.out.write_all(b"\n").map_err(io_error)?;
        }
        serde_json::to_writer(&mut self.out, &mention_json(e)).map_err(json_error)?;
        if self.lines {
            self.out.write_all(b"\n").map_err(io_error)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        if !self.lines {
            self.out.write_all(b"\n]}\n").map_err(io_error)?;
        }
        let file = self.out.into_inner().map_err(|e| io_error(e.into_error()))?;
        file.sync_all().map_err(io_error)
    }
}

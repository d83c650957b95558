//! `mediawatch match`: topics against documents without a database. The documents are matched on every
//! core at once (the order of the output is the documents' order regardless).

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use mediawatch_core::model::Field;
use mediawatch_core::topics::{Document, Matcher, PreparedArticle, Scratch, SpanRef, TopicSpec};
use mediawatch_core::Error;
use serde::Deserialize;

/// A line of `--docs`.
#[derive(Deserialize)]
struct Doc {
    id: serde_json::Value,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    lang: Option<String>,
    source: Option<String>,
    url: Option<String>,
    author: Option<String>,
}

/// The text (in bytes) of the documents rendered into one buffer. Handing a buffer to the writer wakes a
/// thread, which costs tens of microseconds on a virtual machine: chunks of some 30 Wikipedia articles keep
/// that under 1 % of the work, and the last chunk short enough that no core waits long for the other.
const CHUNK_TEXT: usize = 128 << 10;
/// Buffers a worker may have in flight (rendered, not yet written and handed back).
const BUFFERS: usize = 2;
/// The capacity each buffer starts with (a Luwak chunk prints about 1.4 MB).
const BUFFER_CAPACITY: usize = 4 << 20;

/// The documents in runs of about `CHUNK_TEXT` bytes of text.
fn chunks(docs: &[Doc]) -> Vec<&[Doc]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, d) in docs.iter().enumerate() {
        bytes += d.title.len() + d.text.len();
        if bytes >= CHUNK_TEXT {
            out.push(&docs[start..=i]);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < docs.len() {
        out.push(&docs[start..]);
    }
    out
}

/// Appends the output lines of some documents to `out`: `{"doc", "topic", "spans"}` per match, written
/// directly (the spans of a large run are hundreds of thousands of small objects). Returns the matches.
fn render<'m>(
    matcher: &'m Matcher,
    scratch: &mut Scratch<'m>,
    topic_ids: &[String],
    docs: &[Doc],
    escapes: bool,
    out: &mut Vec<u8>,
) -> usize {
    let mut n = 0;
    for d in docs {
        let doc = Document {
            title: &d.title,
            text: &d.text,
            lang: d.lang.as_deref(),
            source: d.source.as_deref(),
            url: d.url.as_deref(),
            author: d.author.as_deref(),
        };
        let id = d.id.to_string();
        matcher.for_each_match_in(scratch, &PreparedArticle::new(doc), |topic, spans| {
            n += 1;
            out.extend_from_slice(b"{\"doc\":");
            out.extend_from_slice(id.as_bytes());
            out.extend_from_slice(b",\"topic\":");
            out.extend_from_slice(topic_ids[topic as usize].as_bytes());
            out.extend_from_slice(b",\"spans\":[");
            for (i, s) in spans.iter().enumerate() {
                push_span(out, i == 0, s, escapes);
            }
            out.extend_from_slice(b"]}\n");
        });
    }
    n
}

/// Whether a term has characters that JSON escapes (a quote, a backslash, a control character).
fn needs_escape(term: &str) -> bool {
    term.bytes().any(|c| c == b'"' || c == b'\\' || c < 0x20)
}

/// A span's JSON object (after a comma unless it is the first): 800,000 of them in a Luwak run. Most are
/// written into `ROOM` bytes of zeros appended at once and cut back (a few vector stores, no call to
/// `memmove`, and no bytes composed elsewhere and read back). `escapes`: some term of the matcher
/// [`needs_escape`] (when none does, no term is read byte by byte).
fn push_span(out: &mut Vec<u8>, first: bool, s: &SpanRef<'_>, escapes: bool) {
    let at = out.len();
    out.extend_from_slice(&[0; ROOM]);
    let mut b = Room { bytes: &mut out[at..], len: 0 };
    if !first {
        b.put(b",");
    }
    b.put(if s.field == Field::Title { b"{\"field\":\"title\",\"start\":" } else { b"{\"field\":\"text\",\"start\":" });
    b.decimal(s.start);
    b.put(b",\"end\":");
    b.decimal(s.end);
    b.put(b",\"term\":\"");
    let term = s.term.as_bytes();
    if escapes && needs_escape(s.term) {
        // A term with characters to escape.
        let len = b.len - 1;
        out.truncate(at + len);
        json_string(out, s.term);
        out.push(b'}');
    } else if b.len + term.len() + 2 <= ROOM {
        b.put(term);
        b.put(b"\"}");
        let len = b.len;
        out.truncate(at + len);
    } else {
        let len = b.len;
        out.truncate(at + len);
        out.extend_from_slice(term);
        out.extend_from_slice(b"\"}");
    }
}

/// The bytes appended for a span at once: room for the longest start of one
/// (`,{"field":"title","start":4294967295,"end":4294967295,"term":"`, 62 bytes) and for most whole spans
/// (`,{"field":"text","start":12345,"end":12352,"term":"economy"}` is 61).
const ROOM: usize = 64;

/// The start of a span's JSON, written in place.
struct Room<'b> {
    bytes: &'b mut [u8],
    len: usize,
}

impl Room<'_> {
    fn put(&mut self, s: &[u8]) {
        self.bytes[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }

    /// Two digits at a time, from the right.
    fn decimal(&mut self, mut v: u32) {
        const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
            2021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869\
            707172737475767778798081828384858687888990919293949596979899";
        let digits = if v == 0 { 1 } else { v.ilog10() as usize + 1 };
        let mut at = self.len + digits;
        while v >= 100 {
            let pair = (v % 100) as usize * 2;
            v /= 100;
            at -= 2;
            self.bytes[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
        }
        if v >= 10 {
            let pair = v as usize * 2;
            self.bytes[at - 2..at].copy_from_slice(&PAIRS[pair..pair + 2]);
        } else {
            self.bytes[at - 1] = b'0' + v as u8;
        }
        self.len += digits;
    }
}

/// Appends `s` as a JSON string.
fn json_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    out.push(b'"');
}

pub struct Summary {
    pub documents: usize,
    pub topics: usize,
    pub matches: usize,
    pub seconds: f64,
}

fn read(path: &Path, what: &str) -> Result<String, Error> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::InvalidInput(format!("cannot read {what} {}: {e}", path.display())))
}

/// Reads `ID<TAB>QUERY` lines; an id is a number or any other word (printed back as given).
fn topics(text: &str) -> Result<Vec<(serde_json::Value, &str)>, Error> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((id, query)) = line.split_once('\t') else {
            return Err(Error::InvalidInput(format!("topics line {}: expected ID<TAB>QUERY", n + 1)));
        };
        let id = id.trim();
        let value = id.parse::<i64>().map(serde_json::Value::from).unwrap_or_else(|_| id.into());
        out.push((value, query));
    }
    Ok(out)
}

/// Parses the documents' JSON lines, a share of the lines per core; the first bad line (by number) is the
/// error, before anything is printed.
fn parse_docs(text: &str) -> Result<Vec<Doc>, Error> {
    let lines: Vec<(usize, &str)> = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).collect();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let share = lines.len().div_ceil(workers).max(1);
    let parsed: Vec<Result<Vec<Doc>, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(share)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(n, line)| {
                            serde_json::from_str::<Doc>(line).map_err(|e| {
                                Error::Parse(format!("documents line {}: not a JSON document: {e}", n + 1))
                            })
                        })
                        .collect::<Result<Vec<Doc>, Error>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(Error::Internal("a parsing worker failed".into()))))
            .collect()
    });
    let mut docs = Vec::with_capacity(lines.len());
    for part in parsed {
        docs.extend(part?);
    }
    Ok(docs)
}

/// Reads, checks and compiles the topics: their ids (as given) and the matcher.
fn compile(topics_path: &Path, stem: bool) -> Result<(Vec<serde_json::Value>, Matcher), Error> {
    let topics_text = read(topics_path, "topics")?;
    let topic_list = topics(&topics_text)?;
    let specs = topic_list.iter().enumerate().map(|(i, (_, query))| TopicSpec { id: i as i64, query, stem });
    // Each query parsed once; the first that does not parse is the error, named by its topic.
    let (matcher, errors) = Matcher::with_valid_specs(specs);
    if let Some((i, q)) = errors.into_iter().next() {
        let id = &topic_list[i as usize].0;
        return Err(Error::InvalidQuery(mediawatch_core::QueryError {
            message: format!("topic {id}: {}", q.message),
            ..q
        }));
    }
    Ok((topic_list.into_iter().map(|(id, _)| id).collect(), matcher))
}

pub fn run(topics_path: &Path, docs_path: &Path, stem: bool) -> Result<Summary, Error> {
    let start = Instant::now();
    // A run touches some 100 MB once and exits. With transparent huge pages (`always` on many distributions)
    // each first touch clears 2 MiB and may wait for the kernel to compact memory: the Luwak run took 0.09 s
    // to 0.30 s depending on the machine's memory state, and a steady 0.09 s without them (BENCHMARKS.md).
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
    // The documents are read and parsed (on every core) while this thread compiles the topics; a bad topics
    // file is reported before bad documents, as when the two were read one after the other.
    let (compiled, docs) = std::thread::scope(|scope| {
        let docs = scope.spawn(|| read(docs_path, "documents").and_then(|text| parse_docs(&text)));
        let compiled = compile(topics_path, stem);
        let docs = docs.join().unwrap_or_else(|_| Err(Error::Internal("the document reader failed".into())));
        (compiled, docs)
    });
    let (topic_list, matcher) = compiled?;
    let docs = docs?;
    // Each topic's id as JSON, written once.
    let topic_ids: Vec<String> = topic_list.iter().map(|id| id.to_string()).collect();

    // Each worker takes the next chunk not yet taken and renders it into a buffer that this thread writes
    // out in the documents' order and hands back for reuse: the cores stay busy to the end whatever the
    // documents' sizes, memory stays a few buffers per worker however large the output (a Luwak run writes
    // 45 MB of spans), and each buffer is freed by the thread that made it.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunks = chunks(&docs);
    // Spans name the matcher's terms: when none has a character to escape, no span's term is checked.
    let escapes = matcher.term_sources().any(needs_escape);
    let fail = |e: std::io::Error| Error::Internal(format!("cannot write the output: {e}"));
    let mut matches = 0;
    let next_chunk = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| -> Result<(), Error> {
        let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, usize, Vec<u8>, usize)>();
        let mut give_back = Vec::new();
        for w in 0..workers {
            let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<u8>>();
            give_back.push(back_tx);
            let (done_tx, matcher, topic_ids, chunks) = (done_tx.clone(), &matcher, &topic_ids, &chunks);
            let next_chunk = &next_chunk;
            scope.spawn(move || {
                let mut outstanding = 0;
                let mut scratch = Scratch::default();
                loop {
                    // The buffer first, then the chunk: a worker waiting for a buffer holds no chunk that the
                    // writer may be waiting for.
                    let mut buf = if outstanding < BUFFERS {
                        outstanding += 1;
                        // Room for a typical chunk's output from the start: no copies while it grows.
                        Vec::with_capacity(BUFFER_CAPACITY)
                    } else {
                        match back_rx.recv() {
                            Ok(b) => b,
                            Err(_) => return,
                        }
                    };
                    let i = next_chunk.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= chunks.len() {
                        return;
                    }
                    buf.clear();
                    let n = render(matcher, &mut scratch, topic_ids, chunks[i], escapes, &mut buf);
                    if done_tx.send((i, w, buf, n)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let stdout = std::io::stdout();
        let mut lock = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
        let mut pending = std::collections::BTreeMap::new();
        let mut next = 0;
        for (i, w, buf, n) in done_rx {
            pending.insert(i, (w, buf, n));
            while let Some((w, buf, n)) = pending.remove(&next) {
                lock.write_all(&buf).map_err(fail)?;
                matches += n;
                next += 1;
                // A worker that has finished no longer listens; its buffer is simply dropped.
                let _ = give_back[w].send(buf);
            }
        }
        lock.flush().map_err(fail)?;
        drop(give_back);
        if next < chunks.len() {
            return Err(Error::Internal("a matching worker failed".into()));
        }
        Ok(())
    })?;
    let summary =
        Summary { documents: docs.len(), topics: topic_list.len(), matches, seconds: start.elapsed().as_secs_f64() };
    // The process exits right after a run: the documents and the compiled topics (tens of thousands of
    // allocations in a Luwak run) are left to the exit instead of being freed one by one.
    std::mem::forget(docs);
    std::mem::forget(matcher);
    Ok(summary)
}

/// `mediawatch match`: the matches on stdout, and with `--stats` a summary on stderr.
pub fn match_files(topics: &Path, docs: &Path, stats: bool, stem: bool) -> mediawatch_core::Result<()> {
    let summary = run(topics, docs, stem)?;
    if stats {
        eprintln!(
            "mediawatch match: {} documents, {} topics, {} matches in {:.3} s ({:.0} documents/s)",
            summary.documents,
            summary.topics,
            summary.matches,
            summary.seconds,
            summary.documents as f64 / summary.seconds.max(1e-9)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(term: &str, first: bool) -> String {
        let mut out = Vec::new();
        push_span(&mut out, first, &SpanRef { field: Field::Text, start: 7, end: 1_234_567, term }, needs_escape(term));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn spans_are_json_whatever_their_term() {
        assert_eq!(rendered("BRICS", true), r#"{"field":"text","start":7,"end":1234567,"term":"BRICS"}"#);
        assert_eq!(rendered("0", false), r#",{"field":"text","start":7,"end":1234567,"term":"0"}"#);
        // The longest span composed on the stack: the largest offsets, a term of 128 bytes, after a comma.
        let mut out = Vec::new();
        let term = "t".repeat(128);
        push_span(
            &mut out,
            false,
            &SpanRef { field: Field::Title, start: u32::MAX, end: u32::MAX, term: &term },
            false,
        );
        let json: serde_json::Value = serde_json::from_str(std::str::from_utf8(&out[1..]).unwrap()).unwrap();
        assert_eq!((json["term"].as_str(), json["end"].as_u64()), (Some(term.as_str()), Some(u64::from(u32::MAX))));
        let long = "долгий термин ".repeat(20);
        for term in ["say \"hi\"", "back\\slash", "tab\there", "一带一路", long.as_str()] {
            let json: serde_json::Value = serde_json::from_str(&rendered(term, true)).unwrap();
            assert_eq!(json["term"], term);
            assert_eq!((json["start"].as_u64(), json["end"].as_u64()), (Some(7), Some(1_234_567)));
        }
    }

    #[test]
    fn a_term_to_escape_is_escaped_and_plain_terms_are_not_checked() {
        let doc = Doc {
            id: serde_json::json!("d1"),
            title: String::new(),
            text: "a back\\slash and a plain word".into(),
            lang: None,
            source: None,
            url: None,
            author: None,
        };
        for (query, escapes) in [("back\\slash OR plain", true), ("plain OR word", false)] {
            let matcher = Matcher::new([(1, query)]).unwrap();
            assert_eq!(matcher.term_sources().any(needs_escape), escapes, "{query}");
            let mut out = Vec::new();
            let n = render(
                &matcher,
                &mut Scratch::default(),
                &["1".into(), "1".into()],
                std::slice::from_ref(&doc),
                escapes,
                &mut out,
            );
            assert_eq!(n, 1);
            let line: serde_json::Value = serde_json::from_slice(&out).unwrap();
            let terms: Vec<&str> =
                line["spans"].as_array().unwrap().iter().map(|s| s["term"].as_str().unwrap()).collect();
            assert_eq!(terms, if escapes { vec!["back\\slash", "plain"] } else { vec!["plain", "word"] }, "{query}");
        }
    }

    #[test]
    fn offsets_are_written_in_decimal() {
        let mut values: Vec<u32> = (0..=20_000).collect();
        values.extend((0..32).map(|b| 1u32 << b).chain((0..32).map(|b| (1u32 << b) - 1)));
        values.extend([99_999, 100_000, 999_999, 1_000_000, 9_999_999, 10_000_001, 999_999_999, u32::MAX]);
        for v in values {
            let mut bytes = [b'x'; ROOM];
            let mut b = Room { bytes: &mut bytes, len: 3 };
            b.decimal(v);
            let digits = v.to_string();
            assert_eq!(&b.bytes[3..b.len], digits.as_bytes(), "{v}");
            assert_eq!((b.len, &bytes[..3], bytes[3 + digits.len()]), (3 + digits.len(), &b"xxx"[..], b'x'), "{v}");
        }
    }

    #[test]
    fn chunks_hold_about_128_kb_of_text_and_every_document_once() {
        let doc = |len: usize| Doc {
            id: serde_json::Value::Null,
            title: String::new(),
            text: "x".repeat(len),
            lang: None,
            source: None,
            url: None,
            author: None,
        };
        let docs: Vec<Doc> = (0..100).map(|i| doc(if i == 50 { 300_000 } else { 10_000 })).collect();
        let parts = chunks(&docs);
        assert_eq!(parts.iter().map(|c| c.len()).sum::<usize>(), 100);
        assert!(parts.iter().all(|c| !c.is_empty()));
        // 14 documents of 10,000 bytes reach 128 KiB; the large one closes its chunk on its own.
        assert_eq!(parts[0].len(), 14);
        assert!(parts.iter().any(|c| c.last().is_some_and(|d| d.text.len() == 300_000)));
        assert!(chunks(&[]).is_empty());
    }
}

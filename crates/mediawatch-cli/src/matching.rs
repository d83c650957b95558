//! `mediawatch match`: topics against documents without a database. The documents are matched on every
//! core at once (the order of the output is the documents' order regardless).

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use mediawatch_core::topics::{Document, Matcher, PreparedArticle, TopicSpec};
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

pub struct Summary {
    pub documents: usize,
    pub topics: usize,
    pub matches: usize,
    pub seconds: f64,
}

fn read(path: &Path, what: &str) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error::InvalidInput(format!("cannot read {what} {}: {e}", path.display())))
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

pub fn run(topics_path: &Path, docs_path: &Path, stem: bool) -> Result<Summary, Error> {
    let start = Instant::now();
    let topics_text = read(topics_path, "topics")?;
    let topic_list = topics(&topics_text)?;
    let mut specs = Vec::with_capacity(topic_list.len());
    for (i, (id, query)) in topic_list.iter().enumerate() {
        mediawatch_core::topics::validate(query).map_err(|e| match e {
            Error::InvalidQuery(q) => {
                Error::InvalidQuery(mediawatch_core::QueryError { message: format!("topic {id}: {}", q.message), ..q })
            }
            other => other,
        })?;
        specs.push(TopicSpec { id: i as i64, query, stem });
    }
    let matcher = Matcher::with_specs(specs)?;

    let docs_text = read(docs_path, "documents")?;
    let mut docs = Vec::new();
    for (n, line) in docs_text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let doc: Doc = serde_json::from_str(line)
            .map_err(|e| Error::Parse(format!("documents line {}: not a JSON document: {e}", n + 1)))?;
        docs.push(doc);
    }

    // Each worker matches a contiguous share of the documents and renders its output lines.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = docs.len().div_ceil(workers).max(1);
    let rendered: Vec<(String, usize)> = std::thread::scope(|scope| -> Result<Vec<_>, Error> {
        let handles: Vec<_> = docs
            .chunks(chunk)
            .map(|part| {
                let matcher = &matcher;
                let topic_list = &topic_list;
                scope.spawn(move || {
                    let mut out = String::new();
                    let mut n = 0;
                    for d in part {
                        let doc = Document {
                            title: &d.title,
                            text: &d.text,
                            lang: d.lang.as_deref(),
                            source: d.source.as_deref(),
                            url: d.url.as_deref(),
                            author: d.author.as_deref(),
                        };
                        for m in matcher.match_article(&PreparedArticle::new(doc)) {
                            let line = serde_json::json!({
                                "doc": d.id,
                                "topic": topic_list[m.topic_id as usize].0,
                                "spans": m.spans,
                            });
                            out.push_str(&line.to_string());
                            out.push('\n');
                            n += 1;
                        }
                    }
                    (out, n)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().map_err(|_| Error::Internal("a matching worker failed".into()))).collect()
    })?;
    let stdout = std::io::stdout();
    let mut lock = std::io::BufWriter::new(stdout.lock());
    let mut matches = 0;
    for (text, n) in &rendered {
        lock.write_all(text.as_bytes()).map_err(|e| Error::Internal(format!("cannot write the output: {e}")))?;
        matches += n;
    }
    lock.flush().map_err(|e| Error::Internal(format!("cannot write the output: {e}")))?;
    Ok(Summary { documents: docs.len(), topics: topic_list.len(), matches, seconds: start.elapsed().as_secs_f64() })
}

//! The Luwak workload: Flax's 2,000 stored queries and 999 documents, converted to `mediawatch match`'s
//! input files; the runs of `mediawatch match` and of the SQLite FTS5 peer as whole processes; the pair sets
//! of every engine compared with the brute-force reference's.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Res;

/// A document of the corpus: its id is the file name (URL-encoded, as in `doclist`).
pub struct Doc {
    pub id: String,
    pub title: String,
    pub text: String,
}

/// The converted workload.
pub struct Corpus {
    /// `(line number, query in Mediawatch's language)`.
    pub topics: Vec<(i64, String)>,
    pub docs: Vec<Doc>,
    /// Queries with 2 and with 3 terms; terms that are prefixes.
    pub shape: (usize, usize, usize),
    pub bytes: usize,
}

/// A (document id, topic id) pair.
pub type Pair = (String, i64);

/// Reads `queries`, `doclist` and `docfiles/` of the Luwak folder. `+a +b` becomes `a AND b`; a query line
/// N is topic N (1-based).
pub fn load(dir: &Path) -> Res<Corpus> {
    if !dir.is_dir() {
        return Err(format!("the corpus folder {} is absent", dir.display()));
    }
    let queries = std::fs::read_to_string(dir.join("queries")).map_err(|e| format!("luwak/queries: {e}"))?;
    let mut topics = Vec::new();
    let (mut two, mut three, mut prefixes) = (0, 0, 0);
    for (i, line) in queries.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut terms = Vec::new();
        for raw in line.split_whitespace() {
            let term = raw.strip_prefix('+').unwrap_or(raw);
            let body = term.strip_suffix('*').unwrap_or(term);
            if body.is_empty() || !body.chars().all(char::is_alphanumeric) {
                return Err(format!("luwak/queries line {}: unsupported term {raw:?}", i + 1));
            }
            prefixes += usize::from(term.ends_with('*'));
            terms.push(term);
        }
        match terms.len() {
            2 => two += 1,
            3 => three += 1,
            _ => {}
        }
        topics.push((i as i64 + 1, terms.join(" AND ")));
    }
    let list = std::fs::read_to_string(dir.join("doclist")).map_err(|e| format!("luwak/doclist: {e}"))?;
    let mut docs = Vec::new();
    let mut bytes = 0;
    for name in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let text = std::fs::read_to_string(dir.join("docfiles").join(name))
            .map_err(|e| format!("luwak/docfiles/{name}: {e}"))?;
        bytes += text.len();
        docs.push(Doc { id: name.to_string(), title: String::new(), text });
    }
    Ok(Corpus { topics, docs, shape: (two, three, prefixes), bytes })
}

/// `ID<TAB>QUERY` lines.
pub fn write_topics(path: &Path, topics: &[(i64, String)]) -> Res<()> {
    let mut w = BufWriter::new(File::create(path).map_err(|e| e.to_string())?);
    for (id, q) in topics {
        writeln!(w, "{id}\t{q}").map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

/// JSON lines `{"id", "title", "text"}`.
pub fn write_docs(path: &Path, docs: &[Doc]) -> Res<()> {
    let mut w = BufWriter::new(File::create(path).map_err(|e| e.to_string())?);
    for d in docs {
        let line = serde_json::json!({ "id": d.id, "title": d.title, "text": d.text });
        writeln!(w, "{line}").map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

/// Runs a command to its end with stdout into `out` (a file: nothing reads it while the clock runs).
/// Returns the wall time from spawn to exit and the command's stderr.
pub fn timed(cmd: &mut Command, out: &Path) -> Res<(Duration, String)> {
    let file = File::create(out).map_err(|e| e.to_string())?;
    cmd.stdin(Stdio::null()).stdout(file).stderr(Stdio::piped());
    let start = Instant::now();
    let o = cmd.output().map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    if !o.status.success() {
        return Err(format!("{:?} failed ({}): {stderr}", cmd.get_program(), o.status));
    }
    Ok((took, stderr))
}

/// Runs a command to its end with stdout discarded (`/dev/null`, as hyperfine measures): the time of the
/// run itself, not of a disk. The output is checked on untimed runs into files.
pub fn timed_discarding(cmd: &mut Command) -> Res<Duration> {
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let o = cmd.output().map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let took = start.elapsed();
    if !o.status.success() {
        return Err(format!("{:?} failed ({}): {}", cmd.get_program(), o.status, String::from_utf8_lossy(&o.stderr)));
    }
    Ok(took)
}

/// What `mediawatch match --json` printed: its pairs, and how many lines, spans and bytes.
pub struct MatchOutput {
    pub pairs: BTreeSet<Pair>,
    pub lines: usize,
    pub spans: usize,
    pub bytes: u64,
}

fn id_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn id_number(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Reads `{"doc", "topic", "spans"}` lines.
pub fn read_match_output(path: &Path) -> Res<MatchOutput> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut out = MatchOutput { pairs: BTreeSet::new(), lines: 0, spans: 0, bytes: text.len() as u64 };
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("mediawatch match output line {}: {e}", i + 1))?;
        let (Some(doc), Some(topic)) = (id_string(&v["doc"]), id_number(&v["topic"])) else {
            return Err(format!("mediawatch match output line {}: no doc or topic id: {line:.200}", i + 1));
        };
        out.lines += 1;
        out.spans += v["spans"].as_array().map_or(0, Vec::len);
        out.pairs.insert((doc, topic));
    }
    Ok(out)
}

/// Reads the peer's `DOC<TAB>TOPIC` lines.
pub fn read_peer_output(path: &Path) -> Res<(BTreeSet<Pair>, usize)> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut pairs = BTreeSet::new();
    let mut lines = 0;
    for line in text.lines().filter(|l| !l.is_empty()) {
        let (doc, topic) = line.split_once('\t').ok_or_else(|| format!("peer output: {line:.200}"))?;
        let topic = topic.parse().map_err(|_| format!("peer output: bad topic id in {line:.200}"))?;
        pairs.insert((doc.to_string(), topic));
        lines += 1;
    }
    Ok((pairs, lines))
}

/// The peer script, written next to the inputs (the binary embeds it).
pub fn write_peer(dir: &Path) -> Res<PathBuf> {
    let path = dir.join("fts5_match.py");
    std::fs::write(&path, super::PEER_SCRIPT).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Latin letters with diacritics, folded to their base letter (only to explain differences with FTS5's
/// `remove_diacritics 2`; the comparison itself never folds).
fn base_letter(c: char) -> char {
    const TABLE: &[(&str, char)] = &[
        ("àáâãäåāăą", 'a'),
        ("çćĉċč", 'c'),
        ("ďđ", 'd'),
        ("èéêëēĕėęě", 'e'),
        ("ĝğġģ", 'g'),
        ("ĥħ", 'h'),
        ("ìíîïĩīĭįı", 'i'),
        ("ĵ", 'j'),
        ("ķ", 'k'),
        ("ĺļľŀł", 'l'),
        ("ñńņňŉ", 'n'),
        ("òóôõöōŏő", 'o'),
        ("ŕŗř", 'r'),
        ("śŝşšș", 's'),
        ("ţťŧț", 't'),
        ("ùúûüũūŭůűų", 'u'),
        ("ŵ", 'w'),
        ("ýÿŷ", 'y'),
        ("źżž", 'z'),
    ];
    TABLE.iter().find(|(set, _)| set.contains(c)).map_or(c, |(_, b)| *b)
}

/// Lower-cased runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Why one side has a pair the other lacks, for the Luwak subset (`a AND b`, `pre*`): for each term, the
/// document's words that match it as written, or only once diacritics are folded.
fn explain(doc: &Doc, query: &str) -> String {
    let words = words(&format!("{}\n{}", doc.title, doc.text));
    let mut parts = Vec::new();
    for term in query.split(" AND ") {
        let (body, prefix) = match term.strip_suffix('*') {
            Some(b) => (b.to_lowercase(), true),
            None => (term.to_lowercase(), false),
        };
        let hit = |w: &str| if prefix { w.starts_with(&body) } else { w == body };
        let exact: BTreeSet<&str> = words.iter().map(String::as_str).filter(|w| hit(w)).collect();
        if !exact.is_empty() {
            parts.push(format!("{term}: {} as written", exact.into_iter().take(3).collect::<Vec<_>>().join(", ")));
            continue;
        }
        let folded: BTreeSet<&str> =
            words.iter().filter(|w| hit(&w.chars().map(base_letter).collect::<String>())).map(String::as_str).collect();
        if folded.is_empty() {
            parts.push(format!("{term}: absent"));
        } else {
            parts.push(format!(
                "{term}: only {} once diacritics are folded",
                folded.into_iter().take(3).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    parts.join("; ")
}

/// One engine's pair set, named for the report.
pub struct PairSet<'a> {
    pub name: String,
    pub pairs: &'a BTreeSet<Pair>,
}

/// Compares every set with the first (the reference). Returns the report lines and whether all agree.
pub fn compare(sets: &[PairSet<'_>], corpus: &Corpus, show: usize) -> (String, bool) {
    let docs: BTreeMap<&str, &Doc> = corpus.docs.iter().map(|d| (d.id.as_str(), d)).collect();
    let queries: BTreeMap<i64, &str> = corpus.topics.iter().map(|(id, q)| (*id, q.as_str())).collect();
    let Some((reference, others)) = sets.split_first() else {
        return (String::new(), true);
    };
    let mut out = String::new();
    let mut all_same = true;
    out.push_str(
        "| engine | (document, topic) pairs | only there | only in the reference | |\n|---|---:|---:|---:|---|\n",
    );
    out.push_str(&format!("| {} | {} | | | reference |\n", reference.name, super::thousands(reference.pairs.len())));
    let mut details = String::new();
    for s in others {
        let extra: Vec<&Pair> = s.pairs.difference(reference.pairs).collect();
        let missing: Vec<&Pair> = reference.pairs.difference(s.pairs).collect();
        let same = extra.is_empty() && missing.is_empty();
        all_same &= same;
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            s.name,
            super::thousands(s.pairs.len()),
            extra.len(),
            missing.len(),
            if same { "identical" } else { "**DIFFERENT**" }
        ));
        for (side, list) in [(format!("only in {}", s.name), &extra), (format!("missing from {}", s.name), &missing)] {
            for (doc, topic) in list.iter().take(show) {
                let q = queries.get(topic).copied().unwrap_or("?");
                let why = docs.get(doc.as_str()).map_or_else(String::new, |d| explain(d, q));
                details.push_str(&format!("- {side}: document `{doc}` × topic {topic} `{q}` — {why}\n"));
            }
            if list.len() > show {
                details.push_str(&format!("- … and {} more {side}\n", list.len() - show));
            }
        }
    }
    if !details.is_empty() {
        out.push_str("\nDifferences (first of each kind):\n\n");
        out.push_str(&details);
    }
    (out, all_same)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_explained_by_diacritics() {
        let doc = Doc { id: "d".into(), title: String::new(), text: "Nó small Défense".into() };
        assert_eq!(explain(&doc, "no AND small"), "no: only nó once diacritics are folded; small: small as written");
        assert_eq!(explain(&doc, "defen* AND big"), "defen*: only défense once diacritics are folded; big: absent");
    }

    #[test]
    fn ids_read_as_strings_or_numbers() {
        assert_eq!(id_string(&serde_json::json!(12)), Some("12".into()));
        assert_eq!(id_number(&serde_json::json!("7")), Some(7));
    }
}

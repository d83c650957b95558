//! feedparser's date-parser cases (`date_cases.json`, extracted from its `tests/test_date_parsers.py`): each
//! case is an input and the UTC date it means (year, month, day, hour, minute, second, then fields that are
//! not compared), or `null` when it must be rejected. Every case goes through the one
//! `mediawatch_core::ingest::dates::parse_date`, whichever feedparser parser it was written for. Bar: 95% pass.
//!
//! Deliberate differences are listed in `DELIBERATE` with the reason; none are needed at present.

use std::path::Path;

use mediawatch_core::ingest::dates::parse_date;
use serde_json::Value;

use crate::Report;

/// Cases where Mediawatch answers differently on purpose: (input, why). They still count as failures.
const DELIBERATE: &[(&str, &str)] = &[];

pub fn run(root: &Path) -> Result<Report, String> {
    let file = root.join("date_cases.json");
    let raw = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let json: Value = serde_json::from_str(&raw).map_err(|e| format!("{}: {e}", file.display()))?;
    let cases = json["cases"].as_array().ok_or("date_cases.json has no \"cases\" array")?;
    let (mut passed, mut failed) = (0, 0);
    let mut deliberate = Vec::new();
    for case in cases {
        let input = case["input"].as_str().ok_or("a case without \"input\"")?;
        let parser = case["parser"].as_str().unwrap_or("?");
        let expected = match &case["expected_struct_time_utc"] {
            Value::Null => None,
            Value::Array(fields) => {
                let ymdhms: Vec<i64> = fields.iter().take(6).filter_map(Value::as_i64).collect();
                if ymdhms.len() != 6 {
                    return Err(format!("{input:?}: expected_struct_time_utc has fewer than 6 numbers"));
                }
                Some(ymdhms)
            }
            other => return Err(format!("{input:?}: expected_struct_time_utc is {other}")),
        };
        // Compared as text: this crate does not depend on chrono, and `%Y` writes year 99 as `0099`.
        let got_text =
            parse_date(input).map_or_else(|| "None".to_string(), |d| d.format("%Y-%m-%d %H:%M:%S").to_string());
        let expected_text = show(expected.as_deref());
        if got_text == expected_text {
            passed += 1;
            println!("pass  {input:?}  [{parser}] → {got_text}");
        } else {
            failed += 1;
            println!("FAIL  {input:?}  [{parser}]: got {got_text}, expected {expected_text}");
            if let Some((_, why)) = DELIBERATE.iter().find(|(i, _)| *i == input) {
                deliberate.push(format!("  {input:?}: {why}"));
            }
        }
    }
    let total = passed + failed;
    println!("feedparser date cases: {passed}/{total} pass");
    if deliberate.is_empty() {
        println!("deliberate differences: none");
    } else {
        println!("deliberate differences:");
        for line in &deliberate {
            println!("{line}");
        }
    }
    // At least 95%, in integers: passed / total >= 0.95.
    let bar_met = total > 0 && passed * 100 >= total * 95;
    Ok(Report { passed, failed, bar_met })
}

/// `YYYY-MM-DD hh:mm:ss` (UTC), or `None`.
fn show(fields: Option<&[i64]>) -> String {
    match fields {
        Some([y, mo, d, h, mi, s]) => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"),
        Some(other) => format!("{other:?}"),
        None => "None".to_string(),
    }
}

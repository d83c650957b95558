//! The volume chart as inline SVG: stories per bucket of time as bars, with the highest count and the first
//! and last dates on the axes. No script, no external resource: it shows in a browser and in an e-mail.

use std::fmt::Write;

use super::html::escape;

const W: f64 = 640.0;
const H: f64 = 150.0;
const LEFT: f64 = 34.0;
const BOTTOM: f64 = 20.0;
const TOP: f64 = 8.0;

/// A bar chart of `counts` (one per label in `labels`), titled for screen readers with `title`.
pub fn svg(title: &str, labels: &[String], counts: &[u64], color: &str) -> String {
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let n = counts.len().max(1) as f64;
    let plot_w = W - LEFT - 6.0;
    let plot_h = H - BOTTOM - TOP;
    let step = plot_w / n;
    let bar = (step * 0.8).max(0.5);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" role="img" aria-label="{}" style="max-width:{W}px;font-family:sans-serif;font-size:10px"><title>{}</title>"##,
        escape(title),
        escape(title)
    );
    let base = TOP + plot_h;
    let _ = write!(
        s,
        r##"<line x1="{LEFT}" y1="{base}" x2="{}" y2="{base}" stroke="#888" stroke-width="1"/><line x1="{LEFT}" y1="{TOP}" x2="{}" y2="{TOP}" stroke="#ddd" stroke-width="1"/>"##,
        W - 6.0,
        W - 6.0
    );
    let _ = write!(s, r##"<text x="{}" y="{}" text-anchor="end" fill="#555">{max}</text>"##, LEFT - 4.0, TOP + 4.0);
    let _ = write!(s, r##"<text x="{}" y="{base}" text-anchor="end" fill="#555">0</text>"##, LEFT - 4.0);
    for (i, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let h = plot_h * c as f64 / max as f64;
        let x = LEFT + step * i as f64 + (step - bar) / 2.0;
        let label = labels.get(i).map(String::as_str).unwrap_or("");
        let _ = write!(
            s,
            r##"<rect x="{x:.2}" y="{:.2}" width="{bar:.2}" height="{h:.2}" fill="{color}"><title>{}: {c}</title></rect>"##,
            base - h,
            escape(label)
        );
    }
    if let (Some(first), Some(last)) = (labels.first(), labels.last()) {
        let y = H - 5.0;
        let _ = write!(s, r##"<text x="{LEFT}" y="{y}" fill="#555">{}</text>"##, escape(first));
        if labels.len() > 1 {
            let _ =
                write!(s, r##"<text x="{}" y="{y}" text-anchor="end" fill="#555">{}</text>"##, W - 6.0, escape(last));
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_chart_draws_a_bar_per_nonzero_count_and_names_the_highest() {
        let labels: Vec<String> = ["2026-11-01", "2026-11-02", "2026-11-03"].map(String::from).to_vec();
        let s = super::svg("BRICS <stories>", &labels, &[3, 0, 7], "#2563eb");
        assert_eq!(s.matches("<rect").count(), 2);
        assert!(s.contains(">7</text>"), "{s}");
        assert!(s.contains("BRICS &lt;stories&gt;"));
        assert!(s.contains("2026-11-01") && s.contains("2026-11-03"));
        assert!(!s.contains("href"), "no link, no remote resource");
    }
}

//! Deterministic RSS 2.0 news feeds for the refresh benchmark: `feeds` × `items` items with title, link,
//! guid, pubDate, author, category and a description of a few hundred bytes (escaped HTML). Most feeds are
//! English; one in five is Russian and one in seven Chinese, and English items quote the other languages now
//! and then, so the default topic pack finds mentions. Same seed, same bytes.

use chrono::{Duration, TimeZone, Utc};

use crate::server::Document;

const EN_SUBJECTS: &[&str] = &[
    "Foreign ministers",
    "The central bank",
    "Parliament",
    "Regional governors",
    "Trade negotiators",
    "Energy companies",
    "Port authorities",
    "Railway operators",
    "Grain exporters",
    "The defence ministry",
    "Customs officials",
    "Tech regulators",
];
const EN_VERBS: &[&str] =
    &["discuss", "agree on", "postpone", "review", "sign", "criticise", "welcome", "expand", "debate", "announce"];
const EN_OBJECTS: &[&str] = &[
    "new visa-free travel rules",
    "the Belt and Road rail corridor",
    "a BRICS payment system",
    "an SCO security drill",
    "EAEU customs tariffs",
    "a UN Security Council resolution",
    "gas pipeline tariffs",
    "a wheat export quota",
    "the yuan settlement scheme",
    "Arctic shipping routes",
    "a semiconductor supply deal",
    "border crossing hours",
    "solar panel imports",
    "a fisheries agreement",
];
const EN_FILLER: &[&str] = &[
    "Officials said the talks would continue next week.",
    "Analysts expect the decision to affect freight volumes through the winter.",
    "The statement gave no figures but promised details by the end of the quarter.",
    "Opposition deputies called for a public hearing before any vote.",
    "Prices on the regional exchange rose slightly after the announcement.",
    "A spokesperson declined to comment on the timetable.",
    "The agreement still needs ratification by both legislatures.",
    "Local media reported long queues at the crossing on Monday.",
];
const RU_SUBJECTS: &[&str] = &["Министры иностранных дел", "Центробанк", "Госдума", "Губернаторы", "Экспортёры зерна"];
const RU_OBJECTS: &[&str] = &[
    "безвизовый режим для туристических групп",
    "проект «Пояс и путь»",
    "расчёты в юанях",
    "саммит ШОС",
    "тарифы ЕАЭС",
    "поставки газа",
];
const RU_FILLER: &[&str] = &[
    "Переговоры продолжатся на следующей неделе, сообщили в ведомстве.",
    "Эксперты ожидают, что решение повлияет на грузопоток зимой.",
    "Подробности обещают опубликовать до конца квартала.",
];
const ZH_SUBJECTS: &[&str] = &["外交部", "中国人民银行", "海关总署", "国家发展改革委", "商务部"];
const ZH_OBJECTS: &[&str] = &["一带一路合作项目", "金砖国家合作", "上合组织峰会", "免签政策", "粮食出口", "北极航线"];
const ZH_FILLER: &[&str] =
    &["有关部门表示，谈判将于下周继续。", "分析人士预计，这一决定将影响冬季货运量。", "声明未公布具体数字。"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Ru,
    Zh,
}

fn lang_of(feed: usize) -> Lang {
    if feed % 5 == 1 {
        Lang::Ru
    } else if feed % 7 == 3 {
        Lang::Zh
    } else {
        Lang::En
    }
}

fn pick<'a>(rng: &mut fastrand::Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(..list.len())]
}

/// XML text escaping.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The wire code that item `item` of feed `feed` carries in its text: one FTS token, unique per item.
pub fn wire_code(feed: usize, item: usize, items: usize) -> String {
    format!("mwq{}", feed * items + item)
}

/// The phrase every generated item's text contains (for an FTS `MATCH` that must hit every article).
pub const EVERY_ITEM_PHRASE: &str = "wire code";

/// Generates the feeds; `host(i)` is feed `i`'s site (for its links).
pub fn generate(feeds: usize, items: usize, seed: u64) -> Vec<Document> {
    let base = Utc.with_ymd_and_hms(2025, 3, 3, 8, 0, 0).single().expect("a valid date");
    (0..feeds)
        .map(|f| {
            let mut rng = fastrand::Rng::with_seed(seed ^ (f as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let lang = lang_of(f);
            let site = format!("news{f:03}.example");
            let (feed_title, feed_lang) = match lang {
                Lang::En => (format!("Regional Herald {f} — World"), "en"),
                Lang::Ru => (format!("Вестник региона {f} — Мир"), "ru"),
                Lang::Zh => (format!("地区新闻 {f} — 国际"), "zh-CN"),
            };
            let newest = base - Duration::minutes(rng.i64(0..600));
            let mut xml = String::with_capacity(items * 900 + 600);
            xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
            xml.push_str(&format!(
                "<title>{}</title>\n<link>https://{site}/</link>\n<description>{}</description>\n<language>{feed_lang}</language>\n<lastBuildDate>{}</lastBuildDate>\n",
                esc(&feed_title),
                esc(&format!("Latest stories from {site}")),
                newest.to_rfc2822()
            ));
            for i in 0..items {
                let published = newest - Duration::minutes(i as i64 * 37 + rng.i64(0..30));
                let (title, para1, para2) = match lang {
                    Lang::En => {
                        let t = format!("{} {} {}", pick(&mut rng, EN_SUBJECTS), pick(&mut rng, EN_VERBS), pick(&mut rng, EN_OBJECTS));
                        let mut p1 = format!("{} {}", pick(&mut rng, EN_FILLER), pick(&mut rng, EN_FILLER));
                        if rng.u8(..10) == 0 {
                            p1.push_str(&format!(" Russian media quoted officials: «{}».", pick(&mut rng, RU_FILLER)));
                        }
                        if rng.u8(..12) == 0 {
                            p1.push_str(&format!(" Chinese state media wrote: “{}”", pick(&mut rng, ZH_FILLER)));
                        }
                        (t, p1, pick(&mut rng, EN_FILLER).to_string())
                    }
                    Lang::Ru => (
                        format!("{} обсудили {}", pick(&mut rng, RU_SUBJECTS), pick(&mut rng, RU_OBJECTS)),
                        format!("{} {}", pick(&mut rng, RU_FILLER), pick(&mut rng, RU_FILLER)),
                        pick(&mut rng, RU_FILLER).to_string(),
                    ),
                    Lang::Zh => (
                        format!("{}就{}发表声明", pick(&mut rng, ZH_SUBJECTS), pick(&mut rng, ZH_OBJECTS)),
                        format!("{}{}", pick(&mut rng, ZH_FILLER), pick(&mut rng, ZH_FILLER)),
                        pick(&mut rng, ZH_FILLER).to_string(),
                    ),
                };
                let slug = format!("{}/{:02}/{}-{}", published.format("%Y/%m/%d"), i % 97, f, i);
                let link = format!("https://{site}/{slug}.html");
                let description = format!(
                    "<p>{}</p><p>{} <a href=\"https://{site}/tags/{}\">More</a> &amp; context.</p><p>Wire code {}.</p>",
                    esc(&para1),
                    esc(&para2),
                    rng.u32(100..999),
                    wire_code(f, i, items)
                );
                xml.push_str(&format!(
                    "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n<pubDate>{}</pubDate>\n<dc:creator>{}</dc:creator>\n<category>{}</category>\n<description>{}</description>\n</item>\n",
                    esc(&title),
                    published.to_rfc2822(),
                    ["Anna Petrova", "John Miller", "李伟", "Maria Santos"][rng.usize(..4)],
                    ["World", "Economy", "Politics", "Energy"][rng.usize(..4)],
                    esc(&description)
                ));
            }
            xml.push_str("</channel>\n</rss>\n");
            let body = xml.into_bytes();
            let etag = format!("\"{:016x}-{}\"", fnv1a(&body), body.len());
            let last_modified = newest.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
            Document { body, etag, last_modified }
        })
        .collect()
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_parse_with_every_item_and_are_deterministic() {
        let a = generate(12, 50, 7);
        let b = generate(12, 50, 7);
        assert!(a.iter().zip(&b).all(|(x, y)| x.body == y.body && x.etag == y.etag));
        for (f, doc) in a.iter().enumerate() {
            let parsed =
                mediawatch_core::ingest::parse::parse_feed(&doc.body, Some("application/rss+xml; charset=utf-8"), None)
                    .expect("parses");
            assert_eq!(parsed.items.len(), 50, "feed {f}");
            assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
            assert!(parsed.items.iter().all(|i| i.published.is_some() && i.url.is_some() && i.id.is_some()));
        }
        let sizes: Vec<usize> = a.iter().map(|d| d.body.len()).collect();
        assert!(sizes.iter().all(|&s| s > 20_000), "{sizes:?}");
        assert!(String::from_utf8_lossy(&a[1].body).contains("обсудили"));
        assert!(String::from_utf8_lossy(&a[3].body).contains("发表声明"));
    }
}

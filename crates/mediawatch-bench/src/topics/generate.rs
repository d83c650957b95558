//! Realistic generated topics for the scaling measurement: deterministic (seeded), built from the terms an
//! analyst of Russia–China relations writes (the default pack's world) and from words, phrases and acronyms
//! that occur in the corpus documents, so that a share of the topics actually fire.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::luwak::Doc;

/// Terms of the default pack's world.
const DOMAIN_WORDS: &[&str] = &[
    "Putin",
    "sanctions",
    "summit",
    "pipeline",
    "tariff",
    "Shanghai",
    "Eurasian",
    "Kremlin",
    "Beijing",
    "Moscow",
    "Kazakhstan",
    "Mongolia",
    "Arctic",
    "yuan",
    "rouble",
    "visa-free",
    "embargo",
    "diplomacy",
    "delegation",
    "treaty",
    "alliance",
    "cooperation",
    "infrastructure",
    "railway",
    "corridor",
    "Vladivostok",
    "Xinjiang",
    "Siberia",
    "Gazprom",
    "Huawei",
    "semiconductor",
    "export",
    "border",
    "energy",
    "nuclear",
    "navy",
    "grain",
    "investment",
];
const DOMAIN_PHRASES: &[&str] = &[
    "Belt and Road",
    "Xi Jinping",
    "Wang Yi",
    "Sergei Lavrov",
    "Power of Siberia",
    "Northern Sea Route",
    "Security Council",
    "New Development Bank",
    "free trade",
    "joint statement",
    "foreign minister",
    "state visit",
];
const DOMAIN_ACRONYMS: &[&str] =
    &["BRICS", "SCO", "EAEU", "NATO", "UN", "EU", "IMF", "WTO", "OPEC", "ASEAN", "BRI", "CSTO", "G20"];
const DOMAIN_PREFIXES: &[&str] =
    &["sanction", "tariff", "pipelin", "diplomat", "Eurasia", "militar", "invest", "export", "nuclear", "sovereign"];

const STOPWORDS: &[&str] = &[
    "the", "and", "for", "that", "with", "was", "were", "this", "from", "which", "are", "his", "her", "has", "had",
    "have", "not", "but", "its", "also", "they", "their", "them", "there", "been", "into", "after", "other", "more",
    "than", "when", "where", "who", "whom", "while", "would", "could", "should", "about", "over", "under", "between",
    "during", "such", "some", "these", "those", "then", "only", "most", "many", "both", "each", "first", "second",
    "being", "what", "will", "shall", "near", "upon", "within", "without", "through", "before", "because", "since",
    "until", "later", "well", "very", "much", "what", "your", "yours", "ours", "him", "she", "you", "all", "any",
    "can", "did", "does", "one", "two", "out", "who", "how", "may", "our",
];

/// Which of the corpus's words and phrases topics are written with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Terms {
    /// Names: words and two-word phrases the corpus writes with capital letters in running text (people,
    /// places, organisations, nationalities: `Japan`, `Lord`, `"Security Council"`, `"Hong Kong"`), which is
    /// what analysts track besides the default pack's subject terms.
    Names,
    /// Any word or two-word phrase that is no stopword, names or not (`might`, `except`, `"same time"`,
    /// `"once again"`): a stress test of topics no analyst writes, each flagging many more documents.
    AnyWords,
}

/// Words, phrases and acronyms of the corpus worth a topic: frequent in it, but no stopwords.
pub struct Vocabulary {
    words: Vec<String>,
    phrases: Vec<String>,
    acronyms: Vec<String>,
}

/// Sorted by how many documents hold the key (most first), then by the key; keys in `min..=max` documents.
fn by_df(df: HashMap<String, usize>, min: usize, max: usize, top: usize) -> Vec<String> {
    let mut v: Vec<(String, usize)> = df.into_iter().filter(|(_, n)| (min..=max).contains(n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().take(top).map(|(k, _)| k).collect()
}

/// `Shanghai`, not `shanghai` or `SHANGHAI`.
fn capitalised(token: &str) -> bool {
    let mut cs = token.chars();
    cs.next().is_some_and(|c| c.is_ascii_uppercase()) && cs.all(|c| c.is_ascii_lowercase())
}

/// `hong kong` → `Hong Kong`.
fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|c| c.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How often a lower-cased word or phrase occurs, and how often written capitalised (every word of it).
#[derive(Default, Clone, Copy)]
struct Written {
    times: usize,
    capitalised: usize,
}

impl Written {
    fn add(&mut self, capitalised: bool) {
        self.times += 1;
        self.capitalised += capitalised as usize;
    }

    /// A name: capitalised in at least 90 % of its occurrences (a common word is capitalised only where a
    /// sentence starts).
    fn is_name(self) -> bool {
        self.capitalised * 10 >= self.times * 9
    }
}

impl Vocabulary {
    pub fn from_docs(docs: &[Doc], terms: Terms) -> Vocabulary {
        let stop: BTreeSet<&str> = STOPWORDS.iter().copied().collect();
        let plain = |w: &str| w.len() >= 4 && w.chars().all(|c| c.is_ascii_lowercase()) && !stop.contains(w);
        let (mut words, mut phrases, mut acronyms) = (HashMap::new(), HashMap::new(), HashMap::new());
        let mut written: HashMap<String, Written> = HashMap::new();
        for d in docs {
            let tokens: Vec<&str> = d.text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            let lower: Vec<String> = tokens.iter().map(|t| t.to_lowercase()).collect();
            let mut seen = BTreeSet::new();
            for (t, l) in tokens.iter().zip(&lower) {
                if plain(l) {
                    written.entry(l.clone()).or_default().add(capitalised(t));
                    if seen.insert(l.clone()) {
                        *words.entry(l.clone()).or_insert(0) += 1;
                    }
                }
                let acronym = (2..=5).contains(&t.len()) && t.chars().all(|c| c.is_ascii_uppercase());
                if acronym && seen.insert(format!("{{{t}")) {
                    *acronyms.entry((*t).to_string()).or_insert(0) += 1;
                }
            }
            for (pair, t) in lower.windows(2).zip(tokens.windows(2)) {
                if plain(&pair[0]) && plain(&pair[1]) {
                    let phrase = format!("{} {}", pair[0], pair[1]);
                    written.entry(phrase.clone()).or_default().add(capitalised(t[0]) && capitalised(t[1]));
                    if seen.insert(phrase.clone()) {
                        *phrases.entry(phrase).or_insert(0) += 1;
                    }
                }
            }
        }
        if terms == Terms::Names {
            let name = |k: &String| written.get(k).is_some_and(|w| w.is_name());
            words.retain(|k, _| name(k));
            phrases.retain(|k, _| name(k));
        }
        // Names as the corpus writes them; other words in lower case.
        let write = |k: &String| if terms == Terms::Names { title_case(k) } else { k.clone() };
        let n = docs.len().max(1);
        Vocabulary {
            // Content words, as topics use them: in 0.5 % to 5 % of the documents.
            words: by_df(words, (n / 200).max(2), (n / 20).max(2), 3000).iter().map(write).collect(),
            phrases: by_df(phrases, 3, n, 1500).iter().map(write).collect(),
            acronyms: by_df(acronyms, 3, n, 300),
        }
    }

    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.words.len(), self.phrases.len(), self.acronyms.len())
    }
}

struct Generator<'a> {
    rng: fastrand::Rng,
    vocab: &'a Vocabulary,
    /// Every term written in Cyrillic letters (see [`russian_topics`]).
    cyrillic: bool,
}

/// A Latin word written letter by letter in Cyrillic (`season` → `сеасон`), case kept; other characters kept.
fn cyrillic(s: &str) -> String {
    const LOWER: [&str; 26] = [
        "а", "б", "ц", "д", "е", "ф", "г", "х", "и", "й", "к", "л", "м", "н", "о", "п", "к", "р", "с", "т", "у", "в",
        "в", "кс", "ы", "з",
    ];
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c {
            'a'..='z' => out.push_str(LOWER[(c as u8 - b'a') as usize]),
            'A'..='Z' => out.push_str(&LOWER[(c as u8 - b'A') as usize].to_uppercase()),
            _ => out.push(c),
        }
    }
    out
}

impl Generator<'_> {
    fn pick<'s>(&mut self, list: &'s [String], fallback: &'s [&'s str]) -> &'s str {
        if list.is_empty() {
            fallback[self.rng.usize(..fallback.len())]
        } else {
            &list[self.rng.usize(..list.len())]
        }
    }

    fn domain(&mut self, list: &'static [&'static str]) -> &'static str {
        list[self.rng.usize(..list.len())]
    }

    /// A term as written: in Cyrillic letters for [`russian_topics`].
    fn script(&self, term: String) -> String {
        if self.cyrillic {
            cyrillic(&term)
        } else {
            term
        }
    }

    fn word(&mut self) -> String {
        let w = if self.rng.f32() < 0.25 {
            self.domain(DOMAIN_WORDS).to_string()
        } else {
            self.pick(&self.vocab.words, DOMAIN_WORDS).to_string()
        };
        self.script(w)
    }

    fn phrase(&mut self) -> String {
        let p = if self.rng.f32() < 0.3 {
            self.domain(DOMAIN_PHRASES)
        } else {
            self.pick(&self.vocab.phrases, DOMAIN_PHRASES)
        };
        self.script(format!("\"{p}\""))
    }

    fn acronym(&mut self) -> String {
        let a = if self.rng.bool() {
            self.domain(DOMAIN_ACRONYMS)
        } else {
            self.pick(&self.vocab.acronyms, DOMAIN_ACRONYMS)
        };
        self.script(format!("{{{a}}}"))
    }

    fn prefix(&mut self) -> String {
        if self.rng.f32() < 0.3 {
            let p = format!("{}*", self.domain(DOMAIN_PREFIXES));
            return self.script(p);
        }
        let w = self.pick(&self.vocab.words, DOMAIN_PREFIXES);
        let keep = (4 + self.rng.usize(..3)).min(w.chars().count());
        let p = format!("{}*", w.chars().take(keep).collect::<String>());
        self.script(p)
    }

    fn query(&mut self) -> String {
        match self.rng.usize(..7) {
            0 => format!("{} AND {}", self.word(), self.word()),
            1 => format!("{} OR {}", self.phrase(), self.word()),
            2 => format!("({} OR {}) AND {} NOT {}", self.word(), self.word(), self.word(), self.word()),
            3 => format!("{} NEAR/5 {}", self.word(), self.word()),
            4 => format!("{} AND {}", self.prefix(), self.word()),
            5 => format!("{} AND ({} OR {})", self.acronym(), self.word(), self.phrase()),
            _ => format!(
                "({} OR {} OR {}) AND ({} OR {})",
                self.word(),
                self.phrase(),
                self.acronym(),
                self.prefix(),
                self.word()
            ),
        }
    }
}

/// `n` topics, ids 1..=n; the first `k` of them are the same for any `n >= k` and the same seed.
pub fn topics(vocab: &Vocabulary, n: usize, seed: u64) -> Vec<(i64, String)> {
    let mut g = Generator { rng: fastrand::Rng::with_seed(seed), vocab, cyrillic: false };
    (1..=n as i64).map(|id| (id, g.query())).collect()
}

/// `n` topics of the same shapes and vocabulary with every term written in Cyrillic letters (ids from
/// `first_id`): topics an analyst of Russia–China relations keeps in Russian, which English documents do not
/// flag. What stored topics cost when they are not candidates.
pub fn russian_topics(vocab: &Vocabulary, n: usize, seed: u64, first_id: i64) -> Vec<(i64, String)> {
    let mut g = Generator { rng: fastrand::Rng::with_seed(seed ^ 0x5275_7373), vocab, cyrillic: true };
    (first_id..first_id + n as i64).map(|id| (id, g.query())).collect()
}

/// How many generated topics have each shape (by its operators), for the report.
pub fn shapes(topics: &[(i64, String)]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for (_, q) in topics {
        let shape = if q.contains("NEAR/") {
            "a NEAR/5 b"
        } else if q.contains(" NOT ") {
            "(a OR b) AND c NOT d"
        } else if q.starts_with('{') {
            "{ACRONYM} AND (a OR \"p q\")"
        } else if q.matches(" OR ").count() >= 3 {
            "(a OR \"p q\" OR {ACR}) AND (pre* OR b)"
        } else if q.starts_with('"') {
            "\"p q\" OR a"
        } else if q.contains("* AND") {
            "pre* AND a"
        } else {
            "a AND b"
        };
        *m.entry(shape).or_insert(0) += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<Doc> {
        let text = "The railway station of Vladivostok opened in 1901. The NFL team played football near the \
                    railway station. Railway workers met the Trans Siberian crew in Vladivostok.";
        (0..60)
            .map(|i| Doc {
                id: format!("d{i}"),
                title: String::new(),
                text: if i < 3 { text } else { "filler" }.into(),
            })
            .collect()
    }

    #[test]
    fn generation_is_deterministic_and_nested() {
        let any = Vocabulary::from_docs(&docs(), Terms::AnyWords);
        assert!(any.words.contains(&"railway".to_string()), "{:?}", any.words);
        assert!(any.phrases.contains(&"railway station".to_string()), "{:?}", any.phrases);
        assert_eq!(any.acronyms, vec!["NFL".to_string()]);
        // Names: capitalised wherever they occur (`Railway` only starts a sentence once of three times).
        let v = Vocabulary::from_docs(&docs(), Terms::Names);
        assert_eq!(v.words, vec!["Siberian", "Trans", "Vladivostok"]);
        assert_eq!(v.phrases, vec!["Trans Siberian"]);
        assert_eq!(v.acronyms, vec!["NFL".to_string()]);
        let big = topics(&v, 50, 7);
        assert_eq!(topics(&v, 50, 7), big);
        assert_eq!(topics(&v, 10, 7)[..], big[..10]);
        assert_eq!(shapes(&big).values().sum::<usize>(), 50);
        // The Russian set: the same shapes, operators as written, every term in Cyrillic letters.
        let ru = russian_topics(&v, 50, 7, 51);
        assert_eq!((ru[0].0, ru[49].0), (51, 100));
        assert_eq!(shapes(&ru).values().sum::<usize>(), 50);
        for (_, q) in &ru {
            let terms = q.replace(" AND ", " ").replace(" OR ", " ").replace(" NOT ", " ").replace(" NEAR/5 ", " ");
            assert!(!terms.chars().any(|c| c.is_ascii_alphabetic()), "{q}");
            mediawatch_core::topics::Matcher::new([(1, q.as_str())]).unwrap();
        }
        assert_eq!(cyrillic("season NFL*"), "сеасон НФЛ*");
    }
}

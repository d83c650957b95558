//! Syndicated copies: the same story republished by other outlets, recognised by its text so that a story is
//! counted once and the UI can say "also published by N outlets".
//!
//! A body's text becomes a [`Fingerprint`]: the text is folded and split with [`crate::topics::text::tokenize`]
//! (lower case, `ё` = `е`, punctuation and whitespace gone, every CJK character a word of its own), cut into
//! overlapping shingles — 5 words for space-separated scripts, 5 characters when most of the text is CJK — and
//! summarised by a MinHash signature of [`SIGNATURE_LEN`] values. Two signatures agree in a share of their
//! slots that estimates the Jaccard similarity of the two shingle sets ([`similarity`]); at [`SAME_STORY`] or
//! above they are the same story. A different header or footer, a changed word or a dropped sentence only touch
//! the shingles around them; a translation or another story on the same topic shares almost none.
//!
//! [`ClusterIndex`] finds the stored fingerprints worth comparing without a scan: LSH banding, the signature
//! cut into bands whose exact values are bucket keys, so that near copies share a bucket and unrelated texts
//! almost never do. Everything here is deterministic (fixed hashes, no `RandomState` in a fingerprint), so a
//! fingerprint kept as a BLOB ([`Fingerprint::to_bytes`]) stays comparable across runs and machines. Pure.

use std::collections::HashMap;

use crate::topics::text::{is_cjk, tokenize};

/// Values in a MinHash signature.
pub const SIGNATURE_LEN: usize = 128;
/// Words in a shingle of space-separated text.
pub const WORD_SHINGLE: usize = 5;
/// Characters in a shingle of CJK text.
pub const CJK_SHINGLE: usize = 5;
/// Fewer words than this (space-separated text) and there is no fingerprint: a teaser of two or three stock
/// sentences is no evidence of a shared story (at 30 words, 9,796 of the refresh benchmark's 15,000 generated
/// teasers, built from a dozen stock sentences, "clustered"); a story's body has hundreds of words.
pub const MIN_WORDS: usize = 50;
/// Fewer CJK characters than this (CJK text) and there is no fingerprint (the same reasoning).
pub const MIN_CJK_CHARS: usize = 120;

/// Estimated Jaccard similarity at or above which two texts are the same story.
///
/// Measured on this module's tests (128 values; 5-word shingles, 5-character shingles for Chinese):
/// - the same text with another header and footer: 0.95 (bare vs TASS dateline and footer), 0.89 (TASS vs
///   Xinhua-style byline and footer), Chinese 0.91 (bare vs Xinhua dateline and footer), 0.84 (Xinhua vs
///   People's Daily dateline and editor line);
/// - light edits (four words changed, a sentence dropped, two paragraphs swapped): 0.68, and 0.66 with the TASS
///   header and footer on one side;
/// - a Russian translation: 0.00; the Chinese story against the English one: 0.00;
/// - another story on the same meeting with the same names: 0.02 in English, 0.04 in Chinese;
/// - generated unrelated texts: 0.00.
///
/// 0.4 sits well between the copies (at least 0.66) and the other stories (at most 0.04); a MinHash estimate's
/// standard deviation at 0.66 is about 0.04.
pub const SAME_STORY: f64 = 0.4;

/// LSH banding: `BANDS` bands of `ROWS` signature values each (the last `SIGNATURE_LEN % ROWS` values are in
/// no band).
const ROWS: usize = 3;
const BANDS: usize = SIGNATURE_LEN / ROWS;

/// Texts kept under one band key. Many texts sharing a band are boilerplate (a standard footer, a generated
/// feed's stock sentences) or one story's many copies; either way the first ones are enough to find them, and
/// an unbounded bucket makes each new text compare with thousands.
pub const MAX_BUCKET: usize = 6;
/// Candidates compared per new text, those sharing the most bands first.
pub const MAX_CANDIDATES: usize = 32;

/// Version byte of [`Fingerprint::to_bytes`].
const FORMAT_VERSION: u8 = 1;
/// Version byte, signature length (u16 LE), shingle count (u32 LE), then the signature (u32 LE each).
const HEADER_LEN: usize = 1 + 2 + 4;

/// A text's MinHash signature over its shingles, and how many distinct shingles it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    signature: [u32; SIGNATURE_LEN],
    shingles: u32,
}

impl Fingerprint {
    /// The MinHash signature: for each of [`SIGNATURE_LEN`] seeded hashes, its minimum over the shingles.
    pub fn signature(&self) -> &[u32; SIGNATURE_LEN] {
        &self.signature
    }

    /// Distinct shingles in the text (at least 1).
    pub fn shingle_count(&self) -> u32 {
        self.shingles
    }

    /// A compact, stable form for a BLOB column: a version byte, the signature length (u16 LE), the shingle
    /// count (u32 LE) and the signature (u32 LE each) — 519 bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + 4 * SIGNATURE_LEN);
        out.push(FORMAT_VERSION);
        out.extend_from_slice(&(SIGNATURE_LEN as u16).to_le_bytes());
        out.extend_from_slice(&self.shingles.to_le_bytes());
        for v in &self.signature {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Reads [`Fingerprint::to_bytes`]'s form back; `None` for anything else (another version or length,
    /// a truncated BLOB, no shingles).
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != HEADER_LEN + 4 * SIGNATURE_LEN || bytes[0] != FORMAT_VERSION {
            return None;
        }
        if usize::from(u16::from_le_bytes([bytes[1], bytes[2]])) != SIGNATURE_LEN {
            return None;
        }
        let shingles = u32::from_le_bytes(bytes[3..7].try_into().ok()?);
        if shingles == 0 {
            return None;
        }
        let mut signature = [0u32; SIGNATURE_LEN];
        for (slot, chunk) in signature.iter_mut().zip(bytes[HEADER_LEN..].chunks_exact(4)) {
            *slot = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Fingerprint { signature, shingles })
    }
}

/// FNV-1a, 64 bits.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// SplitMix64's finaliser: a bijection on u64 that mixes every input bit into every output bit.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of the `i`-th MinHash function.
fn seed(i: usize) -> u64 {
    mix((i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// The fingerprint of an article's body text; `None` when it is too short to say anything (fewer than
/// [`MIN_WORDS`] words, or for CJK text fewer than [`MIN_CJK_CHARS`] characters).
///
/// The text counts as CJK when at least half of its letters and digits are CJK characters; then its shingles
/// are [`CJK_SHINGLE`] consecutive tokens (characters, a Latin word or number counting as one), otherwise
/// [`WORD_SHINGLE`] consecutive words.
pub fn fingerprint(text: &str) -> Option<Fingerprint> {
    let tokens = tokenize(text);
    fingerprint_words(&tokens.folded_words())
}

/// [`fingerprint`] of a text already tokenised by [`crate::topics::text::tokenize`] (its folded words, in
/// order), for a caller that has them anyway (the matcher's prepared article).
pub fn fingerprint_words<S: AsRef<str>>(tokens: &[S]) -> Option<Fingerprint> {
    let tokens: Vec<&str> = tokens.iter().map(AsRef::as_ref).collect();
    let cjk = tokens.iter().filter(|t| t.chars().next().is_some_and(is_cjk)).count();
    let chars: usize = tokens.iter().map(|t| t.chars().count()).sum();
    let k = if cjk > 0 && 2 * cjk >= chars {
        if cjk < MIN_CJK_CHARS {
            return None;
        }
        CJK_SHINGLE
    } else {
        if tokens.len() < MIN_WORDS {
            return None;
        }
        WORD_SHINGLE
    };

    let mut hashes: Vec<u64> = tokens
        .windows(k)
        .map(|w| {
            // 0xff never occurs in UTF-8, so it separates words unambiguously.
            w.iter().fold(FNV_OFFSET, |h, word| fnv1a(fnv1a(h, word.as_bytes()), &[0xff]))
        })
        .collect();
    hashes.sort_unstable();
    hashes.dedup();

    let seeds: Vec<u64> = (0..SIGNATURE_LEN).map(seed).collect();
    let mut signature = [u32::MAX; SIGNATURE_LEN];
    for &h in &hashes {
        for (slot, &s) in signature.iter_mut().zip(&seeds) {
            let v = (mix(h ^ s) >> 32) as u32;
            if v < *slot {
                *slot = v;
            }
        }
    }
    Some(Fingerprint { signature, shingles: u32::try_from(hashes.len()).unwrap_or(u32::MAX) })
}

/// Estimated Jaccard similarity of the two texts' shingle sets, 0.0..=1.0: the share of signature slots that
/// agree, capped by the most the shingle counts allow (`smaller / larger`).
pub fn similarity(a: &Fingerprint, b: &Fingerprint) -> f64 {
    let equal = a.signature.iter().zip(&b.signature).filter(|(x, y)| x == y).count();
    let estimate = equal as f64 / SIGNATURE_LEN as f64;
    let (lo, hi) = if a.shingles <= b.shingles { (a.shingles, b.shingles) } else { (b.shingles, a.shingles) };
    if hi == 0 {
        return estimate;
    }
    estimate.min(f64::from(lo) / f64::from(hi))
}

/// Whether two fingerprints are the same story ([`similarity`] at or above [`SAME_STORY`]).
pub fn same_story(a: &Fingerprint, b: &Fingerprint) -> bool {
    similarity(a, b) >= SAME_STORY
}

/// Stored fingerprints by LSH band, so that the candidates for a new text are found without a scan.
///
/// The index keeps ids only; the fingerprints themselves stay wherever the caller keeps them (the store) and
/// [`ClusterIndex::best_match`] asks for them by id. With 42 bands of 3 values, a pair at similarity `s` shares a
/// band with probability `1 - (1 - s³)⁴²`: 0.94 at [`SAME_STORY`] (0.4), 0.996 at 0.5, 1.0 from 0.6 (light
/// edits measure 0.66), 0.29 at 0.2, 0.04 at 0.1 and 0.003 at 0.04 (another story on the same topic).
///
/// Memory: about 42 map entries of 16 bytes per text (one id per band key; the rare keys several texts share
/// keep the others in a second map).
#[derive(Debug, Clone, Default)]
pub struct ClusterIndex {
    /// The first id under each band key (keys mix in the band number, so one map serves every band).
    first: HashMap<u64, i64, KeyHasher>,
    /// The further ids under a key that several texts share.
    more: HashMap<u64, Vec<i64>, KeyHasher>,
    len: usize,
}

/// The band keys are already uniformly mixed (and ids are small integers): one multiply-mix instead of SipHash,
/// which was a tenth of the cold refresh's clustering time. Not for keys an adversary picks.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyHasher;

impl std::hash::BuildHasher for KeyHasher {
    type Hasher = MixHasher;
    fn build_hasher(&self) -> MixHasher {
        MixHasher(0)
    }
}

/// See [`KeyHasher`].
#[derive(Debug, Clone, Copy, Default)]
pub struct MixHasher(u64);

impl std::hash::Hasher for MixHasher {
    fn finish(&self) -> u64 {
        mix(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a(self.0 ^ FNV_OFFSET, bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
    fn write_i64(&mut self, n: i64) {
        self.0 ^= n as u64;
    }
}

impl ClusterIndex {
    pub fn new() -> Self {
        Self::default()
    }

    fn keys(fp: &Fingerprint) -> impl Iterator<Item = u64> + '_ {
        fp.signature
            .chunks_exact(ROWS)
            .take(BANDS)
            .enumerate()
            .map(|(band, rows)| rows.iter().fold(mix(band as u64 ^ 0x5bd1_e995), |h, &v| mix(h ^ u64::from(v))))
    }

    /// Adds an article's fingerprint; adding the same id and fingerprint again changes nothing. A band key
    /// already shared by [`MAX_BUCKET`] texts takes no more (boilerplate, or a story with that many copies
    /// already: a new copy still finds them there).
    pub fn insert(&mut self, id: i64, fp: &Fingerprint) {
        let mut added = false;
        for key in Self::keys(fp) {
            match self.first.get(&key) {
                None => {
                    self.first.insert(key, id);
                    added = true;
                }
                Some(&f) if f == id => {}
                Some(_) => {
                    let ids = self.more.entry(key).or_default();
                    if ids.len() + 1 < MAX_BUCKET && !ids.contains(&id) {
                        ids.push(id);
                        added = true;
                    }
                }
            }
        }
        if added {
            self.len += 1;
        }
    }

    /// Takes an article out (with the fingerprint it was inserted with).
    pub fn remove(&mut self, id: i64, fp: &Fingerprint) {
        let mut removed = false;
        for key in Self::keys(fp) {
            if self.first.get(&key) == Some(&id) {
                removed = true;
                match self.more.get_mut(&key) {
                    Some(ids) if !ids.is_empty() => {
                        let next = ids.remove(0);
                        self.first.insert(key, next);
                        if ids.is_empty() {
                            self.more.remove(&key);
                        }
                    }
                    _ => {
                        self.first.remove(&key);
                    }
                }
            } else if let Some(ids) = self.more.get_mut(&key) {
                let before = ids.len();
                ids.retain(|&x| x != id);
                removed |= ids.len() != before;
                if ids.is_empty() {
                    self.more.remove(&key);
                }
            }
        }
        if removed {
            self.len = self.len.saturating_sub(1);
        }
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// How many texts are indexed.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Ids that share at least one band with `fp`: the texts worth comparing with [`similarity`], those that
    /// share the most bands first (the closest, in expectation), then by id; at most [`MAX_CANDIDATES`]. Not all
    /// of them are the same story, and a copy just under [`SAME_STORY`] may be missed.
    pub fn candidates(&self, fp: &Fingerprint) -> Vec<i64> {
        let mut ids: Vec<i64> = Vec::new();
        for key in Self::keys(fp) {
            if let Some(&id) = self.first.get(&key) {
                ids.push(id);
                ids.extend_from_slice(self.more.get(&key).map(Vec::as_slice).unwrap_or_default());
            }
        }
        // Shared bands per id: the length of its run once sorted.
        ids.sort_unstable();
        let mut counted: Vec<(i64, usize)> = ids.chunk_by(|a, b| a == b).map(|run| (run[0], run.len())).collect();
        counted.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counted.truncate(MAX_CANDIDATES);
        counted.into_iter().map(|(id, _)| id).collect()
    }

    /// The candidate most similar to `fp` at or above [`SAME_STORY`], with its similarity; on a tie the
    /// smallest id (the earliest stored). `fingerprint_of` gives a candidate's fingerprint (owned or borrowed);
    /// an id it does not know is skipped.
    pub fn best_match<F: std::borrow::Borrow<Fingerprint>>(
        &self,
        fp: &Fingerprint,
        mut fingerprint_of: impl FnMut(i64) -> Option<F>,
    ) -> Option<(i64, f64)> {
        let mut best: Option<(i64, f64)> = None;
        for id in self.candidates(fp) {
            let Some(other) = fingerprint_of(id) else { continue };
            let s = similarity(fp, other.borrow());
            if s >= SAME_STORY && best.is_none_or(|(best_id, b)| s > b || (s == b && id < best_id)) {
                best = Some((id, s));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "BRICS foreign ministers agreed on Tuesday to draft a joint statement on reform of the United \
Nations Security Council and to set up a working group on settlements in national currencies, Russian Foreign \
Minister Sergei Lavrov told reporters after a two-day meeting in Moscow.

The meeting brought together the ministers of Brazil, Russia, India, China and South Africa as well as the new \
members Egypt, Ethiopia, Iran and the United Arab Emirates. Lavrov said the talks had been \"frank and \
constructive\" and that the group would present its proposals at the leaders' summit in Kazan in October.

Chinese Foreign Minister Wang Yi said Beijing supported a larger role for developing countries in global \
governance and called for the expansion of the New Development Bank's lending in local currencies. Indian \
External Affairs Minister Subrahmanyam Jaishankar stressed that the grouping was not directed against anyone and \
should focus on trade, health and food security.

Brazilian Foreign Minister Mauro Vieira told the meeting that Brasilia would host a conference on climate finance \
next year and invited all members to take part. South Africa's Naledi Pandor raised the situation in the Middle \
East and urged an immediate ceasefire in Gaza.

According to a draft of the statement seen by reporters, the ministers will also ask their finance ministries to \
study a common payment platform and a grain exchange. The document is expected to be approved by the end of the \
week. More than thirty countries have applied to join the grouping or to become partners, Lavrov said, adding \
that the criteria for partner status would be agreed in Kazan.";

    /// A few words changed, the Pandor sentence dropped, the Wang Yi and Vieira paragraphs swapped.
    const EN_EDITED: &str = "BRICS foreign ministers agreed on Tuesday to draft a joint statement on reform of \
the UN Security Council and to set up a working group on settlements in national currencies, Russian Foreign \
Minister Sergei Lavrov said after a two-day meeting in Moscow.

The meeting brought together the ministers of Brazil, Russia, India, China and South Africa as well as the new \
members Egypt, Ethiopia, Iran and the United Arab Emirates. Lavrov said the talks had been \"open and \
constructive\" and that the group would present its proposals at the leaders' summit in Kazan in October.

Brazilian Foreign Minister Mauro Vieira told the meeting that Brasilia would host a conference on climate finance \
next year and invited all members to take part.

Chinese Foreign Minister Wang Yi said Beijing supported a larger role for developing countries in global \
governance and called for the expansion of the New Development Bank's lending in local currencies. Indian \
External Affairs Minister Subrahmanyam Jaishankar stressed that the grouping was not directed against anyone and \
should focus on trade, health and food security.

According to a draft of the statement seen by journalists, the ministers will also ask their finance ministries \
to study a common payment platform and a grain exchange. The document is expected to be approved by the end of \
the week. Over 30 countries have applied to join the grouping or to become partners, Lavrov said, adding that the \
criteria for partner status would be agreed in Kazan.";

    /// The same meeting, the same people, other facts.
    const EN_OTHER: &str = "Russian Foreign Minister Sergei Lavrov on Wednesday accused Western countries of \
trying to split BRICS, as foreign ministers of the group wrapped up their talks in Moscow without agreeing on a \
common position on the war in Ukraine.

Lavrov said pressure on India and Brazil to distance themselves from Moscow would fail and that the grouping's \
members respected each other's choices. He met Chinese Foreign Minister Wang Yi on the sidelines and discussed \
preparations for President Xi Jinping's visit to Kazan in October.

Indian External Affairs Minister Subrahmanyam Jaishankar left the meeting early to attend a security conference \
in Munich, his office said. Brazilian Foreign Minister Mauro Vieira proposed a peace forum open to both Kyiv and \
Moscow, an idea Lavrov called premature.

South Africa's Naledi Pandor told journalists that her country would keep buying Russian fertiliser despite \
sanctions and that BRICS trade in national currencies had doubled in two years. Iran's delegation asked for a \
condemnation of strikes on its territory, which the final communique did not include.";

    const RU: &str = "Министры иностранных дел стран БРИКС договорились во вторник подготовить совместное \
заявление о реформе Совета Безопасности ООН и создать рабочую группу по расчетам в национальных валютах, сообщил \
журналистам министр иностранных дел России Сергей Лавров по итогам двухдневной встречи в Москве.

Во встрече приняли участие министры Бразилии, России, Индии, Китая и Южной Африки, а также новых членов — Египта, \
Эфиопии, Ирана и Объединенных Арабских Эмиратов. Лавров назвал переговоры «откровенными и конструктивными» и \
сказал, что группа представит свои предложения на саммите лидеров в Казани в октябре.

Министр иностранных дел Китая Ван И заявил, что Пекин поддерживает повышение роли развивающихся стран в глобальном \
управлении, и призвал расширить кредитование Нового банка развития в местных валютах. Министр иностранных дел \
Индии Субраманьям Джайшанкар подчеркнул, что объединение ни против кого не направлено и должно сосредоточиться на \
торговле, здравоохранении и продовольственной безопасности.

Министр иностранных дел Бразилии Мауру Виейра сообщил, что в следующем году Бразилиа проведет конференцию по \
климатическому финансированию, и пригласил к участию всех членов. Министр Южной Африки Наледи Пандор затронула \
ситуацию на Ближнем Востоке и призвала к немедленному прекращению огня в Газе.

Согласно проекту заявления, с которым ознакомились журналисты, министры также поручат министерствам финансов \
изучить общую платежную платформу и зерновую биржу. Документ, как ожидается, будет утвержден до конца недели. \
Более тридцати стран подали заявки на вступление в объединение или на статус партнера, сказал Лавров, добавив, \
что критерии партнерства будут согласованы в Казани.";

    const ZH: &str = "金砖国家外长会晤于十一日在莫斯科闭幕。与会外长同意起草一份关于联合国安理会改革的联合声明，\
并成立本币结算工作组。俄罗斯外长拉夫罗夫在会后对记者表示，会谈坦诚而富有建设性，相关建议将提交十月在喀山举行的领导人会晤。
中国外长王毅表示，中方支持发展中国家在全球治理中发挥更大作用，呼吁新开发银行扩大本币贷款规模。\
印度外长苏杰生强调，金砖合作不针对任何第三方，应聚焦贸易、卫生和粮食安全。
巴西外长维埃拉说，巴西明年将主办气候融资会议，并邀请各成员国参加。南非外长潘多尔谈及中东局势，呼吁加沙立即停火。
根据记者看到的声明草案，各国外长还将责成财政部门研究建立共同支付平台和粮食交易所。\
拉夫罗夫说，已有三十多个国家申请加入金砖或成为伙伴国，伙伴国标准将在喀山确定。";

    /// The same meeting, the same people, other facts.
    const ZH_OTHER: &str = "俄罗斯外长拉夫罗夫十二日指责西方国家企图分裂金砖国家。当天，金砖国家外长在莫斯科结束会谈，\
但未能就乌克兰问题达成共同立场。拉夫罗夫说，向印度和巴西施压、要求其疏远莫斯科的做法注定失败。
拉夫罗夫在会议间隙会见了中国外长王毅，双方讨论了十月喀山领导人会晤的筹备工作。印度外长苏杰生提前离会，\
前往慕尼黑出席安全会议。巴西外长维埃拉提议举办对基辅和莫斯科同时开放的和平论坛，拉夫罗夫认为时机尚不成熟。
南非外长潘多尔对记者说，南非将继续购买俄罗斯化肥，金砖国家间本币贸易两年内翻了一番。";

    fn fp(text: &str) -> Fingerprint {
        fingerprint(text).expect("long enough for a fingerprint")
    }

    fn sim(a: &str, b: &str) -> f64 {
        similarity(&fp(a), &fp(b))
    }

    fn tass(body: &str) -> String {
        format!("MOSCOW, March 11 (TASS) – {body}\n\nRead more: BRICS leaders to meet in Kazan in October\n© TASS 2024")
    }

    fn xinhua(body: &str) -> String {
        format!(
            "By Staff Reporter | Published 11 March 2024, 14:05 | Updated 15:30\n\n{body}\n\n\
             © Xinhua. Follow us on Twitter and Facebook."
        )
    }

    fn zh_xinhua(body: &str) -> String {
        format!("新华社莫斯科3月11日电（记者张伟）{body}（完）\n责任编辑：李明 © 新华网版权所有")
    }

    fn zh_people(body: &str) -> String {
        format!("人民网北京3月12日电 据新华社报道，{body}【编辑：王芳】")
    }

    /// Deterministic unrelated texts: `words` words drawn from 4,000 made-up words.
    fn generated(seed: u64, words: usize) -> String {
        const SYLLABLES: [&str; 16] =
            ["ka", "lo", "mi", "ter", "san", "du", "pre", "vo", "rin", "es", "tal", "no", "gu", "bar", "shi", "fen"];
        let mut state = seed;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            mix(state)
        };
        let mut out = String::new();
        for i in 0..words {
            let w = next() % 4000;
            let word: String = [w % 16, (w / 16) % 16, (w / 256) % 16].iter().map(|&s| SYLLABLES[s as usize]).collect();
            out.push_str(&word);
            out.push_str(if i % 12 == 11 { ". " } else { " " });
        }
        out
    }

    #[test]
    fn different_headers_and_footers_cluster() {
        let (t, x) = (tass(EN), xinhua(EN));
        assert!(sim(EN, &t) >= 0.9, "{}", sim(EN, &t));
        assert!(sim(&t, &x) >= 0.8, "{}", sim(&t, &x));
        assert!(same_story(&fp(EN), &fp(&t)));
        assert!(same_story(&fp(&t), &fp(&x)));
        assert_eq!(fp(EN), fp(&EN.to_uppercase().replace('\n', "   ")), "case and whitespace do not matter");
    }

    #[test]
    fn light_edits_cluster() {
        assert!(sim(EN, EN_EDITED) >= 0.6, "{}", sim(EN, EN_EDITED));
        assert!(sim(&tass(EN), EN_EDITED) >= 0.6, "{}", sim(&tass(EN), EN_EDITED));
        assert!(same_story(&fp(&xinhua(EN)), &fp(EN_EDITED)));
    }

    #[test]
    fn a_translation_does_not_cluster() {
        assert!(sim(EN, RU) < 0.05, "{}", sim(EN, RU));
        assert!(!same_story(&fp(&tass(EN)), &fp(RU)));
        assert!(!same_story(&fp(ZH), &fp(EN)));
    }

    #[test]
    fn another_story_on_the_same_topic_does_not_cluster() {
        assert!(sim(EN, EN_OTHER) < 0.1, "{}", sim(EN, EN_OTHER));
        assert!(!same_story(&fp(&tass(EN)), &fp(&tass(EN_OTHER))), "a shared header and footer are not enough");
    }

    #[test]
    fn chinese_copies_cluster_and_other_chinese_stories_do_not() {
        let (x, p) = (zh_xinhua(ZH), zh_people(ZH));
        assert!(sim(ZH, &x) >= 0.85, "{}", sim(ZH, &x));
        assert!(sim(&x, &p) >= 0.8, "{}", sim(&x, &p));
        assert!(same_story(&fp(&x), &fp(&p)));
        assert!(sim(ZH, ZH_OTHER) < 0.1, "{}", sim(ZH, ZH_OTHER));
        assert!(!same_story(&fp(&x), &fp(&zh_xinhua(ZH_OTHER))));
    }

    #[test]
    fn short_texts_have_no_fingerprint() {
        assert_eq!(fingerprint(""), None);
        assert_eq!(fingerprint("  \n — … "), None);
        assert_eq!(fingerprint("MOSCOW, March 11 (TASS) – BRICS foreign ministers met in Moscow on Tuesday."), None);
        assert_eq!(fingerprint(&generated(1, MIN_WORDS - 1)), None);
        assert!(fingerprint(&generated(1, MIN_WORDS)).is_some());
        assert_eq!(
            fingerprint("新华社莫斯科3月11日电 金砖国家外长会晤于十一日在莫斯科闭幕，与会外长同意起草联合声明。"),
            None
        );
        let zh: String = ZH.chars().filter(|&c| is_cjk(c)).take(MIN_CJK_CHARS - 1).collect();
        assert_eq!(fingerprint(&zh), None);
        let zh: String = ZH.chars().filter(|&c| is_cjk(c)).take(MIN_CJK_CHARS).collect();
        assert!(fingerprint(&zh).is_some());
    }

    #[test]
    fn the_index_finds_the_copy_among_unrelated_texts() {
        let mut stored: HashMap<i64, Fingerprint> = HashMap::new();
        let mut index = ClusterIndex::new();
        assert!(index.is_empty());
        for id in 1..=1000 {
            let f = fp(&generated(id as u64, 120 + (id as usize % 80)));
            index.insert(id, &f);
            stored.insert(id, f);
        }
        for (id, text) in [(5001, EN), (5002, ZH), (5003, RU)] {
            let f = fp(text);
            index.insert(id, &f);
            stored.insert(id, f);
        }
        let lookup = |id: i64| stored.get(&id).cloned();

        // Copies find their original and nothing else.
        assert_eq!(index.candidates(&fp(&tass(EN))), vec![5001]);
        assert_eq!(index.candidates(&fp(EN_EDITED)), vec![5001]);
        assert_eq!(index.candidates(&fp(&zh_people(ZH))), vec![5002]);
        let (id, s) = index.best_match(&fp(&xinhua(EN)), lookup).expect("the copy is found");
        assert_eq!(id, 5001);
        assert!(s >= SAME_STORY);
        assert_eq!(index.best_match(&fp(&zh_xinhua(ZH)), lookup).map(|(id, _)| id), Some(5002));

        // A generated text, lightly edited, finds its own original.
        let edited = generated(777, 120 + 777 % 80).replacen("ka", "xy", 3);
        assert_eq!(index.best_match(&fp(&edited), lookup).map(|(id, _)| id), Some(777));

        // Unrelated texts find nothing.
        assert_eq!(index.candidates(&fp(EN_OTHER)), Vec::<i64>::new());
        assert_eq!(index.candidates(&fp(ZH_OTHER)), Vec::<i64>::new());
        assert_eq!(index.candidates(&fp(&generated(123_456, 150))), Vec::<i64>::new());
        assert_eq!(index.best_match(&fp(EN_OTHER), lookup), None);

        // Inserting twice changes nothing; removing takes the id out of every band.
        index.insert(5001, &fp(EN));
        assert_eq!(index.candidates(&fp(&tass(EN))), vec![5001]);
        index.remove(5001, &fp(EN));
        assert_eq!(index.candidates(&fp(&tass(EN))), Vec::<i64>::new());
        assert_eq!(index.best_match(&fp(&tass(EN)), |id| stored.get(&id).cloned()), None);
    }

    #[test]
    fn the_best_match_prefers_the_closest_then_the_earliest() {
        let mut index = ClusterIndex::default();
        let (orig, edited) = (fp(EN), fp(EN_EDITED));
        index.insert(10, &edited);
        index.insert(20, &orig);
        index.insert(30, &orig);
        let lookup = |id: i64| match id {
            10 => Some(edited.clone()),
            20 | 30 => Some(orig.clone()),
            _ => None,
        };
        assert_eq!(index.best_match(&fp(&tass(EN)), lookup).map(|(id, _)| id), Some(20));
        assert_eq!(
            index.best_match(&fp(&tass(EN)), |id| if id == 10 { lookup(id) } else { None }).map(|m| m.0),
            Some(10)
        );
    }

    #[test]
    fn removing_keeps_the_other_texts_under_a_shared_key() {
        let mut index = ClusterIndex::new();
        let a = fp(EN);
        let b = fp(EN_EDITED);
        index.insert(1, &a);
        index.insert(2, &a);
        index.insert(3, &b);
        index.insert(2, &a);
        assert_eq!(index.len(), 3);
        assert_eq!(index.candidates(&a), [1, 2, 3]);
        index.remove(1, &a);
        assert_eq!(index.candidates(&a), [2, 3], "the second id under each shared key takes the first's place");
        index.remove(2, &a);
        index.remove(3, &b);
        assert!(index.is_empty());
        assert_eq!(index.len(), 0);
    }

    #[test]
    fn bytes_round_trip() {
        for text in [EN, RU, ZH] {
            let f = fp(text);
            let bytes = f.to_bytes();
            assert_eq!(bytes.len(), 519);
            assert_eq!(Fingerprint::from_bytes(&bytes), Some(f.clone()));
            assert_eq!(similarity(&f, &Fingerprint::from_bytes(&bytes).unwrap()), 1.0);
            assert_eq!(Fingerprint::from_bytes(&bytes[..bytes.len() - 1]), None);
            let mut other_version = bytes.clone();
            other_version[0] = 2;
            assert_eq!(Fingerprint::from_bytes(&other_version), None);
        }
        assert_eq!(Fingerprint::from_bytes(&[]), None);
    }

    #[test]
    fn fingerprints_are_stable() {
        // A stored BLOB must stay comparable with tomorrow's fingerprints: the hashes are fixed.
        let f = fp(EN);
        assert_eq!(f, fp(EN));
        assert_eq!(f.shingle_count(), 264);
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}

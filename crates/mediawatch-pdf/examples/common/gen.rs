// The explicit derefs pick `&str` out of `&[&str]` where inference needs them.
#![allow(clippy::explicit_auto_deref)]
//! Deterministic synthetic media-monitoring data (English / Russian / Chinese).
//! Plain types only, so that the krilla prototype can include this file too.
#![allow(dead_code)]

pub struct GenEntry {
    pub title: String,
    pub url: String,
    pub source: String,
    pub date: String,
    pub lang: &'static str,
    pub topics: Vec<String>,
    /// (sentence, highlighted byte ranges)
    pub snippets: Vec<(String, Vec<(usize, usize)>)>,
    pub also: Vec<String>,
    pub full_text: Option<String>,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() as usize) % xs.len()]
    }
}

pub const TOPICS: [&str; 3] = ["BRICS", "SCO", "Belt and Road"];

const EN_SOURCES: [&str; 6] =
    ["Reuters", "The Guardian", "Financial Times", "Associated Press", "Bloomberg", "Al Jazeera English"];
const RU_SOURCES: [&str; 5] = ["ТАСС", "РИА Новости", "Коммерсантъ", "Ведомости", "Интерфакс"];
const ZH_SOURCES: [&str; 5] = ["新华社", "人民日报", "环球时报", "财新网", "中国日报"];

const EN_TITLES: [&str; 8] = [
    "{K} ministers meet in Kazan to discuss payment systems",
    "Analysis: what the {K} expansion means for energy markets",
    "{K} summit ends with joint statement on trade corridors",
    "Leaders pledge closer cooperation at {K} talks amid sanctions pressure",
    "Why investors are watching the {K} development bank",
    "{K} partners sign memorandum on digital infrastructure",
    "Opinion: the {K} is becoming a forum for the Global South",
    "Officials say {K} visa agreement could be ready next year",
];
const RU_TITLES: [&str; 6] = [
    "Путин и Ван И обсудили визовый режим",
    "Министры стран {K} встретились в Казани",
    "Эксперты оценили перспективы расширения {K}",
    "Лидеры {K} договорились о новых торговых коридорах",
    "В {K} обсудили создание единой платёжной системы",
    "Лавров: сотрудничество в рамках {K} укрепляется",
];
const ZH_TITLES: [&str; 6] = [
    "习近平会见王毅，讨论一带一路与上合组织",
    "{K}外长会议在北京举行",
    "专家解读{K}扩员对全球经济的影响",
    "{K}成员国签署数字经济合作备忘录",
    "{K}峰会发表联合声明 推动贸易便利化",
    "外交部：中方愿与{K}伙伴深化务实合作",
];
const EN_SENT: [&str; 8] = [
    "The {K} foreign ministers agreed to continue work on a common settlement mechanism in national currencies.",
    "Diplomats said the talks on the {K} agenda were constructive, though no date for the next round was set.",
    "Analysts note that trade between {K} members grew by almost a fifth over the past year.",
    "The statement, published after the {K} meeting, calls for reform of international financial institutions.",
    "Critics argue that the {K} still lacks a permanent secretariat and a clear decision-making process.",
    "According to officials, the {K} working group will present its proposals before the end of the month.",
    "Several delegations raised concerns about logistics along the routes promoted by the {K}.",
    "Business leaders welcomed the {K} initiative but asked for more predictable rules on investment.",
];
const RU_SENT: [&str; 6] = [
    "Министры стран {K} договорились продолжить работу над механизмом расчётов в национальных валютах.",
    "По словам дипломатов, переговоры по повестке {K} прошли конструктивно.",
    "Эксперты отмечают, что товарооборот между членами {K} за год вырос почти на пятую часть.",
    "В заявлении по итогам встречи {K} содержится призыв к реформе международных финансовых институтов.",
    "Рабочая группа {K} представит свои предложения до конца месяца, сообщили в министерстве.",
    "Путин и Ван И обсудили визовый режим и подготовку к саммиту {K}.",
];
const ZH_SENT: [&str; 6] = [
    "{K}成员国外长同意继续推进本币结算机制建设。",
    "外交官表示，围绕{K}议程的会谈富有建设性，但尚未确定下一轮会谈的日期。",
    "分析人士指出，过去一年{K}成员之间的贸易额增长近五分之一。",
    "会后发表的声明呼吁改革国际金融机构，进一步提升{K}国家的代表性。",
    "习近平会见王毅，讨论一带一路与上合组织合作前景。",
    "据官员介绍，{K}工作组将在本月底前提交相关建议。",
];

fn keyword(lang: &str, topic: &str) -> &'static str {
    match (lang, topic) {
        ("ru", "BRICS") => "БРИКС",
        ("ru", "SCO") => "ШОС",
        ("ru", _) => "«Пояса и пути»",
        ("zh", "BRICS") => "金砖国家",
        ("zh", "SCO") => "上合组织",
        ("zh", _) => "一带一路",
        (_, "BRICS") => "BRICS",
        (_, "SCO") => "SCO",
        _ => "Belt and Road",
    }
}

/// Replace `{K}` with the keyword and return the text plus the keyword's byte ranges.
fn fill(template: &str, kw: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::new();
    let mut ranges = Vec::new();
    let mut rest = template;
    while let Some(pos) = rest.find("{K}") {
        out.push_str(&rest[..pos]);
        ranges.push((out.len(), out.len() + kw.len()));
        out.push_str(kw);
        rest = &rest[pos + 3..];
    }
    out.push_str(rest);
    (out, ranges)
}

/// `n` entries over November 2026, newest first.
pub fn entries(n: usize) -> Vec<GenEntry> {
    let mut rng = Rng(0x5eed_1234);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        // newest first: day goes 30 → 1
        let day = 30 - (i * 30 / n.max(1)) as u32;
        let lang = match rng.next() % 10 {
            0..=4 => "en",
            5..=7 => "ru",
            _ => "zh",
        };
        let topic = *rng.pick(&TOPICS);
        let kw = keyword(lang, topic);
        let (sources, titles, sents): (&[&str], &[&str], &[&str]) = match lang {
            "ru" => (&RU_SOURCES, &RU_TITLES, &RU_SENT),
            "zh" => (&ZH_SOURCES, &ZH_TITLES, &ZH_SENT),
            _ => (&EN_SOURCES, &EN_TITLES, &EN_SENT),
        };
        let source = rng.pick(sources).to_string();
        let (title, _) = fill(*rng.pick(titles), kw);
        let nsnip = 2 + (rng.next() % 2) as usize;
        let snippets: Vec<_> = (0..nsnip).map(|_| fill(*rng.pick(sents), kw)).collect();
        let mut topics = vec![topic.to_string()];
        if rng.next().is_multiple_of(5) {
            let other = *rng.pick(&TOPICS);
            if other != topic {
                topics.push(other.to_string());
            }
        }
        let also = if rng.next().is_multiple_of(4) {
            (0..1 + rng.next() % 3).map(|_| rng.pick(sources).to_string()).filter(|s| *s != source).collect()
        } else {
            Vec::new()
        };
        let full_text = if i % 10 == 3 {
            let paras: Vec<String> = (0..3)
                .map(|_| {
                    (0..4).map(|_| fill(*rng.pick(sents), kw).0).collect::<Vec<_>>().join(if lang == "zh" {
                        ""
                    } else {
                        " "
                    })
                })
                .collect();
            Some(paras.join("\n\n"))
        } else {
            None
        };
        out.push(GenEntry {
            title,
            url: format!("https://news.example.org/{lang}/2026/11/{day:02}/article-{i}"),
            source,
            date: format!("2026-11-{day:02}"),
            lang,
            topics,
            snippets,
            also,
            full_text,
        });
    }
    out
}

//! The default topic pack: what an analyst of Russia–China relations tracks from day one, in English,
//! Russian and Chinese terms. Offered on first run; installed by `mediawatch topics add-defaults`.
//!
//! The queries are written in the topic language (`shared/design/QUERY-LANGUAGE.md`) and installed as they
//! are, without stemming: Russian inflection is caught with `*` (`безвиз*`, `визов* режим*`), and the
//! analyst reads each query in the app, so the queries carry `<<<comments>>>` where a choice needs a word.
//! Chinese terms are matched as character runs, and `NEAR/n` counts characters there, so the Chinese
//! proximities are wider than the English and Russian ones.
//!
//! Alerts make every false flag a notification, so each topic is written against its look-alikes: everyday
//! sentences that share its words (often in lower case) but are about something else. Choices worth knowing
//! (each has a look-alike in `tests/fixtures/topics/default_pack/` or in the tests' `LOOK_ALIKES` table):
//! - **Visa** the card company is never a visa-policy hit: the English terms are visa phrases that a card
//!   company does not use, lower-case `{visa}` (mid-sentence, so not the brand) or plural `visas` next to a
//!   change of policy, and "Visa requirements/restrictions/policy" capitalised only in a text not about cards.
//!   One traveller's visa is not policy either: a tourist visa refused, a visa got "with ease", working
//!   "without a visa", `签证预约被取消`, an embassy's `要求` of one student, `виза` as an official's endorsement
//!   (`отменил приказ без визы юриста`). `免签` is left out when the text is about card payments without
//!   signature (`免密免签`), `落地签` in `落地签约` (a project signed). A visa centre's opening hours
//!   (`визовый центр`) are not policy.
//! - **Belt and Road** is capitalised (`{Belt and Road}`, `{Пояс* и пут?}`): not a conveyor belt and road
//!   salt, nor `чёрный пояс и путь в сборную`; in lower case only as "belt and road initiative/forum". The
//!   Maritime Silk Road (`海上丝绸之路`) counts as the 21st century's or near cooperation, not Quanzhou's
//!   ancient one; `丝路` alone is tourism; BRI counts in a text about China.
//! - **BRICS** is `{BRICS}` or `{Brics}` (brics is a misspelt bricks); the New Development Bank (`Новый банк
//!   развития`, `新开发银行`: also "newly developed" + "bank") needs BRICS, its acronym, seat or president in
//!   the text.
//! - **SCO** in capitals is the organisation unless the article is about the SCO Group (Unix), an orchestra
//!   abbreviated SCO, Scotland's cricket team or the SCO crude-oil fund; `上合` alone is not used (it is inside
//!   `线上合作`), nor `上海合作组织` in `在上海合作组织了` (organised together in Shanghai).
//! - **EEU** is also the Ethiopian Electric Utility; **UNSC** also Halo's United Nations Space Command; a
//!   "Security Council resolution" is capitalised (not a neighbourhood security council's) and not Iran's
//!   Supreme National Security Council's.
//! - **Russia's** own Security Council is not the UN one: the Russian terms need `ООН`, and the Kremlin's
//!   "permanent members of the Security Council" is its own council, so that phrase is not a term.
//! - **Xi** alone counts only in capitals-then-lower case (`{Xi}`: not the numeral XI) and not in an article
//!   about Xi'an; "Xi Jinping" always counts. `{Путин*}` and `{Лавров*}` are capitalised (`путина` is the
//!   fishing season), and `Си` does not count in `Си-би-эс` or `Си-эн-эн` (CBS, CNN).
//! - **Digitalisation and infrastructure** needs three parts: the digital or infrastructure term, a word of
//!   cooperation or trade, and a word of relations between countries near it (not a trade union, villagers
//!   who cooperate, or a school's partnership with a charity).
//! - **Agricultural trade** spells out `import`, `imports`... (`import*` matched "important"), wants `trade`
//!   right after the product (not a dairy workers' trade union), and supplies of a crop, not "food supplies";
//!   in Russian, food delivered to schools and meat sold at a market are not trade, nor in Chinese a shop of
//!   `进口食品` or the Agricultural Bank's (`农业银行`) trade finance.

/// A topic of the default pack.
pub struct PackTopic {
    pub name: &'static str,
    pub description: &'static str,
    pub query: &'static str,
}

pub const DEFAULT_TOPICS: &[PackTopic] = &[
    PackTopic {
        name: "Visa policy",
        description: "Visa-free travel, visa waivers, e-visas and the easing or elimination of visa requirements \
                      (e.g. Russia–China visa-free group tourism). Visa the card company is not a hit, nor one \
                      traveller's visa.",
        query: concat!(
            "<<<English: visa phrases a card company does not use>>> ",
            r#"visa-free OR visa-exempt* OR "visa waiver*" OR "visa regime*" OR "visa exemption*" OR "#,
            r#""visa facilitation" OR "visa liberali?ation" OR "visa on arrival" OR e-visa* OR "electronic visa*" OR "#,
            r#""without visas" OR "#,
            "<<<visa requirements, restrictions, policy: in lower case always; capitalised (a sentence's start, or \
             Visa's own rules for shops) only in a text that is not about cards>>> ",
            "{visa requirement*} OR {visa restriction*} OR {visa polic*} OR ",
            r#"(("visa requirement*" OR "visa restriction*" OR "visa polic*") NOT (Mastercard OR merchant* OR "#,
            r#"cardholder* OR "card network*" OR "card payment*" OR "payment card*" OR "credit card*" OR "#,
            r#""debit card*")) OR "#,
            "<<<without a visa: for travellers, citizens or a number of days, not one man's immigration case>>> ",
            "({without a visa} NEAR/8 (travel* OR days OR citizens OR nationals OR holders OR tourist* OR groups ",
            "OR allow*)) OR ",
            "<<<lower-case visa (so not Visa Inc.) or visas next to a change of policy (ease only before it: not a \
             visa got with ease); not in a text on cards (a fee waived on visa debit cards)>>> ",
            "(((({visa} OR visas) NEAR/3 (abolish* OR scrap* OR lift* OR waive* OR eliminat* OR eased OR eases ",
            "OR easing OR relax* OR simplif*)) OR (ease ONEAR/3 ({visa} OR visas))) ",
            r#"NOT ("visa debit" OR "visa credit" OR "visa card*" OR cardholder* OR Mastercard)) OR "#,
            "<<<Russian: визов* is the adjective (визит, a visit, is not matched); a visa centre alone is not \
             policy>>> ",
            "безвиз* OR (визов* NEAR/2 (режим* OR требовани* OR политик* OR ограничени* OR барьер* ",
            "OR соглашени* OR формальност* OR льгот* OR упрощени* OR либерализаци*)) OR ",
            "<<<виза after its abolition or easing (отмена виз; not a director who отменил приказ без визы, an \
             endorsement), or an e-visa; one student's tourist visa is not policy>>> ",
            "((отмен* OR упраздн* OR упрост* OR упрощ* OR взаимн*) ONEAR/1 ",
            "(виза OR визы OR виз OR визу OR визой OR визам OR визами)) OR ",
            "(электронн* ONEAR/0 (виза OR визы OR виз OR визу OR визой OR визам OR визами)) OR ",
            r#""без виз" OR ("без визы" NEAR/6 (въезд* OR въезж* OR въехать OR поезд* OR путешеств* OR "#,
            "пребыван* OR дней OR суток OR граждан* OR турист* OR групп*)) OR ",
            "<<<Chinese: 免签, except in texts on card payments without signature (免密免签); 落地签, but not in \
             落地签约 (a project signed)>>> ",
            "(免签 NOT (免密免签 OR 免签字 OR 免签名)) OR 免签证 OR 落地签证 OR (落地签 NOT 落地签约) OR 电子签证 OR ",
            "签证便利 OR ",
            "<<<签证 next to a policy, or after a word of easing (取消签证, not 签证预约被取消); 要求 alone is one \
             applicant's paperwork>>> ",
            "(签证 NEAR/4 (政策 OR 制度 OR 便利化)) OR ((取消 OR 简化 OR 放宽 OR 互免) ONEAR/4 签证)",
        ),
    },
    PackTopic {
        name: "Belt and Road",
        description: "China's Belt and Road Initiative (One Belt, One Road: the Silk Road Economic Belt and the \
                      Maritime Silk Road), its forums and the projects under it.",
        query: concat!(
            "<<<the initiative's name is capitalised: a conveyor belt and road salt is not it, nor (in a \
             title-case headline) a seat belt and road safety week>>> ",
            r#"(({Belt and Road} OR {Belt And Road}) NOT ("seat-belt and road" OR "conveyor belt and road")) OR "#,
            r#"<<<in lower case, only as the initiative or its forum>>> ("belt and road" ONEAR/0 (initiative OR "#,
            r#"forum)) OR {One Belt, One Road} OR "Silk Road Economic Belt" OR {OBOR} OR "#,
            "<<<the Maritime Silk Road of the 21st century, not the ancient one of museums and tourism>>> ",
            r#""21st-century Maritime Silk Road" OR ("Maritime Silk Road" NEAR/5 (initiative OR Belt OR "#,
            "cooperation OR project* OR invest* OR build*)) OR ",
            "<<<BRI in capitals, in a text about China, unless it is about Bank Rakyat Indonesia (BRI)>>> ",
            r#"(({BRI} AND (China OR Chinese OR Beijing OR "Silk Road" OR CPEC)) NOT ("Bank Rakyat" OR "#,
            r#""Bank BRI")) OR "#,
            "<<<Russian: Пояс и путь, Пояса и пути, Поясе и пути... capitalised (a black belt, пояс, and the way, \
             путь, to a team are not it)>>> ",
            r#"{Пояс* и пут?} OR {Поясом и путем} OR "Один пояс, один путь" OR "пояс* шелков* пут?" OR "#,
            "<<<Chinese: 海上丝绸之路 of the 21st century or of cooperation, not of Quanzhou's history; 丝路 alone \
             is also tourism>>> ",
            "一带一路 OR 丝绸之路经济带 OR 21世纪海上丝绸之路 OR (海上丝绸之路 NEAR/10 (倡议 OR 共建 OR 建设 OR 合作))",
        ),
    },
    PackTopic {
        name: "BRICS",
        description: "The BRICS group: its summits, members and partner countries, its expansion and its New \
                      Development Bank.",
        query: concat!(
            "<<<BRICS in capitals, or Brics as some papers write it (brics is a misspelt bricks)>>> ",
            "{BRICS} OR {Brics} OR БРИКС OR 金砖国家 OR ",
            "<<<the New Development Bank in a text that names BRICS, the bank's acronym, its seat or its president; \
             not a town's new development bank (capitalised in a headline or at a sentence's start)>>> ",
            "({New Development Bank} AND (BRICS OR {NDB} OR Shanghai* OR Rousseff)) OR ",
            "({Нов* банк* развития} AND (БРИКС OR НБР OR Шанха* OR Руссеф*)) OR ",
            "<<<新开发银行 with 金砖 or its president (新开发 is also 'newly developed')>>> ",
            "(新开发银行 AND (金砖 OR 罗塞夫)) OR ",
            "<<<金砖 alone is also a gold brick (金砖地板): only in BRICS compounds>>> ",
            "(金砖 ONEAR/0 (峰会 OR 合作 OR 机制 OR 成员 OR 伙伴 OR 主席国 OR 扩员 OR 外长 OR 领导人 OR 框架 OR 大家庭))",
        ),
    },
    PackTopic {
        name: "SCO",
        description: "The Shanghai Cooperation Organisation: summits, member states, security and economic \
                      cooperation.",
        query: concat!(
            r#"<<<the hyphen also matches Cooperation>>> "Shanghai Co-operation Organi?ation" OR "#,
            "<<<SCO in capitals, but not the SCO Group (Unix), an orchestra called SCO, Scotland on a cricket \
             scorecard, nor the SCO crude-oil fund>>> ",
            r#"({SCO} NOT ({SCO Group} OR OpenServer OR UnixWare OR "Santa Cruz Operation" OR "#,
            r#""Chamber Orchestra" OR "Chinese Orchestra" OR cricket OR wicket* OR T20 OR ODI OR ProShares OR "#,
            "ETF OR ETFs)) OR ",
            r#"ШОС OR "Шанхайск* организаци* сотрудничеств*" OR "#,
            "<<<not 上合 alone: it is inside 线上合作; nor 在上海合作组织了 (organised together in Shanghai)>>> ",
            "上合组织 OR (上海合作组织 NOT 上海合作组织了) OR 上合峰会",
        ),
    },
    PackTopic {
        name: "EAEU",
        description: "The Eurasian Economic Union and its Eurasian Economic Commission: trade, integration, and \
                      the linking of the Union with the Belt and Road.",
        query: concat!(
            r#""Eurasian Economic Union" OR {EAEU} OR "#,
            r#"<<<EEU is also the Ethiopian Electric Utility>>> ({EEU} NOT ("Ethiopian Electric Utility" OR "#,
            r#"Ethiopia*)) OR "Eurasian Economic Commission" OR ЕАЭС OR "#,
            r#""Евразийск* экономическ* союз*" OR "Евразийск* экономическ* комисси*" OR "#,
            "欧亚经济联盟 OR 欧亚经济委员会",
        ),
    },
    PackTopic {
        name: "UN Security Council",
        description: "The United Nations Security Council: resolutions, vetoes, meetings and reform. Russia's \
                      own Security Council is not included.",
        query: concat!(
            r#""UN Security Council" OR "U.N. Security Council" OR "United Nations Security Council" OR "#,
            r#""Security Council of the United Nations" OR "#,
            r#"<<<UNSC, but not Halo's United Nations Space Command>>> ({UNSC} NOT (Halo OR "Space Command" OR "#,
            "Spartan* OR Xbox)) OR ",
            "<<<a Security Council resolution, capitalised (not a neighbourhood security council's), and not of \
             Iran's Supreme National Security Council>>> ",
            "(({Security Council resolution*} OR {Security Council Resolution*}) NOT ",
            r#""National Security Council resolution*") OR "#,
            "<<<Russian: with ООН, so not the Security Council of Russia>>> ",
            r#""Совет* Безопасности ООН" OR "Совбез* ООН" OR "СБ ООН" OR "#,
            r#""Совет* Безопасности Организации Объединенных Наций" OR 安理会 OR 联合国安全理事会"#,
        ),
    },
    PackTopic {
        name: "Russia–China summitry",
        description: "Meetings, calls and visits between the Russian and Chinese leaders (Putin, Xi Jinping) and \
                      foreign ministers (Lavrov, Wang Yi): a name from each side within a sentence of the other.",
        query: concat!(
            "<<<a Russian leader or foreign minister within 12 words of a Chinese one; Путин and Лавров \
             capitalised (путина is the fishing season, лавровый лист a bay leaf)>>> ",
            "((Putin OR Lavrov OR {Путин*} OR {Лавров*}) NEAR/12 ",
            r#"("Xi Jinping" OR "Wang Yi" OR "Си Цзиньпин*" OR {Ван И})) OR "#,
            "<<<Си alone, but not in Си-би-эс or Си-эн-эн (CBS, CNN)>>> ",
            "((({Путин*} OR {Лавров*}) NEAR/12 {Си}) NOT (Си-би-эс OR Си-эн-эн OR Си-Эн-Би-Си)) OR ",
            "<<<Xi alone: written Xi (not the numeral XI), and not in an article about Xi'an>>> ",
            "(((Putin OR Lavrov) NEAR/12 {Xi}) NOT Xi'an) OR ",
            "<<<Chinese has no spaces: NEAR counts characters>>> ((普京 OR 拉夫罗夫) NEAR/20 (习近平 OR 王毅)) OR ",
            r#""Russia-China summit*" OR "China-Russia summit*" OR "российско-китайск* саммит*" OR "#,
            "中俄元首 OR 中俄两国元首",
        ),
    },
    PackTopic {
        name: "Digitalisation and infrastructure cooperation",
        description: "Cooperation on the digital economy, AI and digital or physical infrastructure, and new \
                      transport corridors: digital or infrastructure terms near cooperation or trade between \
                      countries.",
        query: concat!(
            r#""digital cooperation" OR "digital partnership" OR "Digital Silk Road" OR "#,
            r#""infrastructure cooperation" OR "transport corridor*" OR "#,
            "<<<a digital or infrastructure term (D) within 12 words of cooperation, a partnership, an agreement, \
             a joint project or trade (C), and C within 6 words of a word of relations between countries (R): \
             not a trade union, villagers who cooperate, or a school's partnership with a charity. NEAR skips \
             overlapping pairs, so it is written both ways, (D NEAR C) NEAR R and D NEAR (C NEAR R), to allow \
             every order of the three>>> ",
            r#"(((digitali?ation OR digiti?ation OR "digital economy" OR "digital technolog*" OR "#,
            r#""digital infrastructure" OR "artificial intelligence" OR infrastructure OR connectivity) NEAR/12 "#,
            r#"(cooperation OR co-operation OR partnership* OR agreement* OR "joint project*" OR "#,
            r#""joint venture*" OR trade)) NEAR/6 (bilateral OR international OR intergovernmental OR "#,
            r#"cross-border OR "two countries" OR "both countries" OR "two nations" OR "two sides" OR "#,
            r#""both sides" OR "member states" OR Russia* OR China OR Chinese OR Beijing OR Moscow OR {BRICS} OR "#,
            "{SCO} OR {EAEU})) OR ",
            r#"((digitali?ation OR digiti?ation OR "digital economy" OR "digital technolog*" OR "#,
            r#""digital infrastructure" OR "artificial intelligence" OR infrastructure OR connectivity) NEAR/12 "#,
            r#"((cooperation OR co-operation OR partnership* OR agreement* OR "joint project*" OR "#,
            r#""joint venture*" OR trade) NEAR/6 (bilateral OR international OR intergovernmental OR "#,
            r#"cross-border OR "two countries" OR "both countries" OR "two nations" OR "two sides" OR "#,
            r#""both sides" OR "member states" OR Russia* OR China OR Chinese OR Beijing OR Moscow OR {BRICS} OR "#,
            "{SCO} OR {EAEU}))) OR ",
            r#""цифров* сотрудничеств*" OR "цифров* партнерств*" OR "цифров* шелков* пут?" OR "#,
            r#""транспортн* коридор*" OR "#,
            "<<<Russian: the same three parts, both ways>>> ",
            r#"(((цифровизаци* OR "цифров* экономик*" OR "цифров* технологи*" OR "цифров* инфраструктур*" OR "#,
            r#""искусственн* интеллект*" OR инфраструктур*) NEAR/12 (сотрудничеств* OR партнерств* OR "#,
            r#"взаимодейств* OR соглашени* OR "совместн* проект*" OR торговл* OR товарооборот*)) NEAR/6 "#,
            "(двусторонн* OR международн* OR межгосударствен* OR межправительствен* OR трансграничн* OR ",
            r#"приграничн* OR таможен* OR "двух стран" OR "обеих стран" OR Кита* OR китайск* OR "#,
            "российско-китайск* OR ЕАЭС OR БРИКС OR ШОС)) OR ",
            r#"((цифровизаци* OR "цифров* экономик*" OR "цифров* технологи*" OR "цифров* инфраструктур*" OR "#,
            r#""искусственн* интеллект*" OR инфраструктур*) NEAR/12 ((сотрудничеств* OR партнерств* OR "#,
            r#"взаимодейств* OR соглашени* OR "совместн* проект*" OR торговл* OR товарооборот*) NEAR/6 "#,
            "(двусторонн* OR международн* OR межгосударствен* OR межправительствен* OR трансграничн* OR ",
            r#"приграничн* OR таможен* OR "двух стран" OR "обеих стран" OR Кита* OR китайск* OR "#,
            "российско-китайск* OR ЕАЭС OR БРИКС OR ШОС))) OR ",
            "<<<Chinese: NEAR counts characters; the same three parts, both ways>>> 数字丝绸之路 OR ",
            "(((数字经济 OR 数字化 OR 数字技术 OR 人工智能 OR 基础设施 OR 基建 OR 互联互通 OR 跨境电商) NEAR/20 ",
            "(合作 OR 伙伴 OR 共建 OR 贸易)) NEAR/10 (两国 OR 双边 OR 中俄 OR 俄中 OR 各国 OR 各方 OR 国际 OR 跨境 ",
            "OR 口岸 OR 金砖 OR 上合 OR 欧亚 OR 一带一路)) OR ",
            "((数字经济 OR 数字化 OR 数字技术 OR 人工智能 OR 基础设施 OR 基建 OR 互联互通 OR 跨境电商) NEAR/20 ",
            "((合作 OR 伙伴 OR 共建 OR 贸易) NEAR/10 (两国 OR 双边 OR 中俄 OR 俄中 OR 各国 OR 各方 OR 国际 OR 跨境 ",
            "OR 口岸 OR 金砖 OR 上合 OR 欧亚 OR 一带一路)))",
        ),
    },
    PackTopic {
        name: "Agricultural trade",
        description: "Trade in farm and food products (grain, soybeans, meat, dairy, vegetable oil): exports, \
                      imports, supplies and market access.",
        query: concat!(
            "<<<a farm product within 3 words of exports or imports (import*, which would also match \
             important, is spelt out)>>> ",
            r#""grain deal" OR ((agricultur* OR agri-food OR agro-industr* OR "farm produce" OR "farm products" "#,
            "OR grain OR wheat OR barley OR maize OR soybean* OR soya OR pork OR beef OR poultry OR dairy OR ",
            r#""sunflower oil" OR rapeseed OR food) NEAR/3 (export OR exports OR exported OR exporting OR "#,
            "exporter* OR import OR imports OR imported OR importing OR importer* OR shipment* OR ",
            r#""market access")) OR "#,
            "<<<trade right after the product (agricultural trade; not the dairy workers' trade union)>>> ",
            r#"((agricultur* OR agri-food OR "farm produce" OR "farm products" OR grain OR wheat OR barley OR "#,
            r#"maize OR soybean* OR soya OR pork OR beef OR poultry OR dairy OR "sunflower oil" OR rapeseed OR "#,
            "food) ONEAR/0 trade) OR ",
            "<<<supplies of a crop or a meat (food supplies are what a shelter stocks)>>> ",
            r#"((grain OR wheat OR barley OR maize OR soybean* OR soya OR pork OR beef OR poultry OR "#,
            r#""sunflower oil" OR rapeseed) NEAR/3 (supplies OR deliveries)) OR "#,
            r#"агроэкспорт* OR сельхозэкспорт* OR "зернов* сделк*" OR ((сельскохозяйственн* OR сельхоз* OR агро* "#,
            r#"OR аграрн* OR продовольств* OR "продукт* питания" OR зерн* OR пшениц* OR ячмен* OR кукуруз* "#,
            "OR соев* OR соя OR сои OR свинин* OR говядин* OR мяс* OR молочн* OR подсолнечн*) NEAR/3 ",
            "(экспорт* OR импорт* OR товарооборот*)) OR ",
            "<<<supplies and trade of farm produce and crops, not food delivered to schools or meat sold at a \
             market>>> ",
            "((сельскохозяйственн* OR сельхоз* OR агро* OR аграрн* OR зерн* OR пшениц* OR ячмен* OR кукуруз* ",
            "OR соев* OR соя OR сои OR свинин* OR говядин* OR подсолнечн*) NEAR/3 (торговл* OR поставк*)) OR ",
            "<<<Chinese: NEAR counts characters; 食品 only in 食品出口 or 食品进口 (not 进口食品超市, nor a \
             supermarket's 出口, its exit); 农业 not in the Agricultural Bank's name>>> ",
            "((农产品 OR 粮食 OR 大豆 OR 小麦 OR 大麦 OR 玉米 OR 猪肉 OR 牛肉 OR 禽肉 OR 乳制品 OR 葵花籽油) NEAR/8 ",
            "(贸易 OR 出口 OR 进口 OR 输华 OR 准入)) OR (食品 ONEAR/0 (出口 OR 进口)) OR ",
            "(食品 NEAR/8 (贸易 OR 输华 OR 准入)) OR ((农业 NEAR/8 (贸易 OR 出口 OR 进口 OR 输华 OR 准入)) NOT ",
            "(农业银行 OR 农行))",
        ),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Field;
    use crate::topics::reference::Reference;
    use crate::topics::{check, Document, Matcher, PreparedArticle, TopicMatch, TopicSpec};

    /// The pack as the app installs it: every topic, stemming off.
    fn pack() -> Matcher {
        Matcher::with_specs(DEFAULT_TOPICS.iter().enumerate().map(|(i, t)| TopicSpec {
            id: i as i64,
            query: t.query,
            stem: false,
        }))
        .unwrap()
    }

    fn reference() -> Reference {
        Reference::new(DEFAULT_TOPICS.iter().enumerate().map(|(i, t)| (i as i64, t.query))).unwrap()
    }

    /// Each flagging topic's name with the texts its spans highlight (title and body spans alike).
    fn flag(matcher: &Matcher, title: &str, text: &str) -> Vec<(&'static str, Vec<String>)> {
        let doc = Document::new(title, text);
        let found = matcher.match_article(&PreparedArticle::new(doc));
        assert_eq!(found, reference().match_document(&doc), "engine and reference disagree on {title:?}");
        found.iter().map(|m| (DEFAULT_TOPICS[m.topic_id as usize].name, highlighted(m, title, text))).collect()
    }

    fn highlighted(m: &TopicMatch, title: &str, text: &str) -> Vec<String> {
        m.spans
            .iter()
            .map(|s| {
                let src = if s.field == Field::Title { title } else { text };
                src.chars().skip(s.start as usize).take((s.end - s.start) as usize).collect()
            })
            .collect()
    }

    fn names(flags: &[(&'static str, Vec<String>)]) -> Vec<&'static str> {
        flags.iter().map(|(n, _)| *n).collect()
    }

    #[test]
    fn every_default_query_reads_cleanly() {
        assert_eq!(pack().len(), DEFAULT_TOPICS.len());
        for t in DEFAULT_TOPICS {
            let c = check(t.query);
            assert!(c.ok, "{}: {:?}", t.name, c.error);
            assert!(c.warnings.is_empty(), "{}: {:?}", t.name, c.warnings);
        }
    }

    #[test]
    fn names_are_the_ones_the_app_knows_and_each_topic_is_described() {
        let names: Vec<&str> = DEFAULT_TOPICS.iter().map(|t| t.name).collect();
        assert_eq!(
            names,
            [
                "Visa policy",
                "Belt and Road",
                "BRICS",
                "SCO",
                "EAEU",
                "UN Security Council",
                "Russia–China summitry",
                "Digitalisation and infrastructure cooperation",
                "Agricultural trade",
            ]
        );
        for t in DEFAULT_TOPICS {
            assert!(t.description.len() > 40 && t.description.ends_with('.'), "{}: {}", t.name, t.description);
            assert!(!t.description.contains("  "), "{}: a line break inside the description", t.name);
        }
    }

    #[test]
    fn short_examples_in_three_languages() {
        let m = pack();
        assert_eq!(
            names(&flag(
                &m,
                "Путин и Си Цзиньпин обсудили ШОС",
                "Стороны обсудили безвизовый режим и проект «Пояс и путь»."
            )),
            ["Visa policy", "Belt and Road", "SCO", "Russia–China summitry"]
        );
        assert_eq!(
            names(&flag(&m, "习近平会见普京", "双方同意推进共建一带一路倡议，并讨论金砖国家合作。")),
            ["Belt and Road", "BRICS", "Russia–China summitry"]
        );
        assert_eq!(
            names(&flag(
                &m,
                "EAEU ministers meet",
                "The Eurasian Economic Union discussed a UN Security Council resolution."
            )),
            ["EAEU", "UN Security Council"]
        );
    }

    /// Everyday sentences that share a topic's words but are about something else: `(topic imitated,
    /// language, text)`. The whole pack must stay silent on each (with alerts, every false flag is a
    /// notification).
    const LOOK_ALIKES: &[(&str, &str, &str)] = &[
        // Visa the card network's rules for shops, capitalised at the start of a sentence.
        ("Visa policy", "en", "Visa requirements for merchants change in April, the card network told its banks."),
        // A bank waiving a fee on visa debit cards (visa in lower case) is not a visa waiver.
        ("Visa policy", "en", "The bank said it would waive fees for visa debit cardholders until June."),
        // One student's visa, obtained "with ease": no change of policy.
        ("Visa policy", "en", "She got her student visa with ease and flew to London in September."),
        // One traveller refused a tourist visa: an individual case, not a policy.
        ("Visa policy", "en", "He was refused a tourist visa to visit his sister in Canada."),
        // Working "without a visa": an immigration case, not visa-free travel.
        ("Visa policy", "en", "A man who worked without a visa for three years was deported on Friday."),
        // One student's tourist visa to the UK: an application, not a policy.
        ("Visa policy", "ru", "Студентка получила туристическую визу в Великобританию за две недели."),
        // Виза as an official's endorsement on a document, not a travel visa.
        ("Visa policy", "ru", "Директор отменил приказ без визы юриста."),
        // 落地签约: a project "lands" and a contract is signed; no visa on arrival.
        ("Visa policy", "zh", "新能源项目落地签约仪式在哈尔滨举行。"),
        // One applicant's visa appointment cancelled, not visas abolished.
        ("Visa policy", "zh", "因航班延误，他的签证预约被取消了。"),
        // The paperwork an embassy asks of one student (要求), not a visa requirement changing.
        ("Visa policy", "zh", "我申请英国学生签证时，使馆要求提供存款证明。"),
        // A conveyor belt and road salt: the initiative's words in lower case.
        ("Belt and Road", "en", "The council bought a new conveyor belt and road salt for the winter."),
        // BRI as an institute's acronym, nowhere near China.
        ("Belt and Road", "en", "The Brain Research Institute (BRI) opened a new imaging lab in Melbourne."),
        // The ancient Maritime Silk Road of a museum, not the 21st-century initiative.
        (
            "Belt and Road",
            "en",
            "The museum's new exhibition traces the ancient Maritime Silk Road from Quanzhou to Cairo.",
        ),
        // "one belt, one road atlas": a packing list in lower case.
        ("Belt and Road", "en", "For the hike I packed one belt, one road atlas and a torch."),
        // A wrestler's black belt and his way into the national team, in lower case.
        ("Belt and Road", "ru", "Борец получил чёрный пояс и путь в сборную ему теперь открыт."),
        // The Silk Road of a tourist route, without the Belt.
        ("Belt and Road", "ru", "Туристический маршрут «Шёлковый путь» проходит через Самарканд и Бухару."),
        // 古代海上丝绸之路: Quanzhou's history for tourists, not the initiative.
        ("Belt and Road", "zh", "泉州是古代海上丝绸之路的起点，每年吸引大量游客。"),
        // 丝路 in the name of a tourism festival.
        ("Belt and Road", "zh", "丝路主题旅游节在敦煌开幕。"),
        // "brics" misspelt for bricks in a small ad.
        ("BRICS", "en", "Reclaimed brics and roof tiles for sale, buyer collects."),
        // A new development bank, in lower case, for local farmers.
        ("BRICS", "en", "A new development bank for small farmers opened in Leeds on Monday."),
        // A title-case headline about a local bank's new branch.
        ("BRICS", "en", "Town Hall Backs New Development Bank Branch in Leeds"),
        // A regional development bank, capitalised at the start of a sentence as the BRICS bank is.
        ("BRICS", "ru", "Новый банк развития малого бизнеса открылся в Твери."),
        // A new development bank, in lower case.
        ("BRICS", "ru", "В области появится новый банк развития промышленности."),
        // 新开发 "newly developed" + 银行 "bank": software, not the New Development Bank.
        ("BRICS", "zh", "这家科技公司新开发银行风控软件，已在三家城商行试用。"),
        // 金砖 the gold bar at an auction.
        ("BRICS", "zh", "他在拍卖会上以高价买下一块金砖。"),
        // SCO as Scotland's code on a cricket scorecard.
        ("SCO", "en", "SCO vs NED: Scotland beat the Netherlands by five wickets in the T20 qualifier."),
        // SCO as the ticker of a leveraged crude-oil fund.
        ("SCO", "en", "SCO, the ProShares fund that bets against crude oil, rose 6% on Friday."),
        // The name's words in another order: a Shanghai company and a drivers' organisation.
        ("SCO", "ru", "Шанхайская компания подписала соглашение о сотрудничестве с организацией водителей."),
        // шоссе is a road, not ШОС.
        ("SCO", "ru", "Ремонт шоссе на въезде в город завершат к осени."),
        // 在上海合作组织了: "organised together in Shanghai", not the SCO.
        ("SCO", "zh", "几家企业在上海合作组织了一场慈善晚宴。"),
        // 线上合作 contains 上合.
        ("SCO", "zh", "双方通过线上合作平台签订了供货合同。"),
        // EEU as the Ethiopian Electric Utility.
        ("EAEU", "en", "Ethiopian Electric Utility (EEU) said power would be restored in Addis Ababa by evening."),
        // The European and African unions at an economic forum: neither is the Eurasian one.
        ("EAEU", "en", "The European Union and the African Union held an economic forum in Brussels."),
        // A writers' union and a Eurasian literary forum: the words, not the EAEU.
        ("EAEU", "ru", "Союз писателей провёл евразийский литературный форум."),
        // The Soviet Union's economic council is history, not the EAEU.
        ("EAEU", "ru", "Советский Союз создал Совет экономической взаимопомощи в 1949 году."),
        // 欧亚经济论坛: the Euro-Asia Economic Forum in Xi'an, another event.
        ("EAEU", "zh", "欧亚经济论坛在西安开幕。"),
        // Eurasia's economic ties in general.
        ("EAEU", "zh", "欧亚大陆的经济联系日益紧密。"),
        // UNSC as Halo's United Nations Space Command.
        ("UN Security Council", "en", "Halo's UNSC Infinity returns in the new season, 343 Industries said."),
        // A neighbourhood security council's resolution on parking, in lower case.
        (
            "UN Security Council",
            "en",
            "The neighbourhood security council resolution on parking was ignored by residents.",
        ),
        // Iran's own Supreme National Security Council, not the UN's.
        (
            "UN Security Council",
            "en",
            "The Supreme National Security Council resolution, approved by Iran's leader, ended the talks.",
        ),
        // Russia's own Security Council.
        ("UN Security Council", "ru", "Секретарь Совета безопасности России провёл совещание в Кремле."),
        // A road-safety council.
        ("UN Security Council", "ru", "Совет по безопасности дорожного движения собрался в мэрии."),
        // Russia's Security Council in Chinese (联邦安全会议), not the UN's.
        ("UN Security Council", "zh", "俄罗斯联邦安全会议秘书绍伊古访问北京。"),
        // 心安理得 (with a clear conscience) contains 安理.
        ("UN Security Council", "zh", "他心安理得地收下了礼物。"),
        // XI the numeral (a Super Bowl), near Putin.
        ("Russia–China summitry", "en", "Putin's guests watched a replay of Super Bowl XI at the residence."),
        // Xi'an the city (with a typographic apostrophe), near Putin.
        ("Russia–China summitry", "en", "Putin’s envoy opened a Russian trade fair in Xi’an on Monday."),
        // Си as in the CBS channel (Си-би-эс), near Putin.
        ("Russia–China summitry", "ru", "Путин дал интервью американскому телеканалу Си-би-эс."),
        // путина the fishing season, in lower case, and an interpreter who happens to be called Ван И.
        ("Russia–China summitry", "ru", "Во время путины переводчик Ван И помогал рыбакам на Камчатке."),
        // Another Wang Yi (a singer), and no Russian leader.
        ("Russia–China summitry", "zh", "歌手王毅在莫斯科举办演唱会。"),
        // Two unrelated items of a digest: the leaders' names sentences apart.
        (
            "Russia–China summitry",
            "zh",
            "习近平在福建考察调研，了解当地乡村振兴和生态保护情况。另据报道，俄罗斯总统普京在莫斯科会见了来访的白俄罗斯总统。",
        ),
        // A trade union and road infrastructure: local politics, not cooperation between countries.
        (
            "Digitalisation and infrastructure cooperation",
            "en",
            "The trade union criticised the council's plans for road infrastructure.",
        ),
        // Villagers who cooperate because of poor connectivity.
        (
            "Digitalisation and infrastructure cooperation",
            "en",
            "Poor mobile connectivity means villagers must cooperate to share one router.",
        ),
        // A school's partnership with a charity to digitise its library.
        (
            "Digitalisation and infrastructure cooperation",
            "en",
            "The school's partnership with a local charity paid for the digitisation of its library.",
        ),
        // Residents and their housing company agreeing to repair the courtyard.
        (
            "Digitalisation and infrastructure cooperation",
            "ru",
            "Жители и управляющая компания договорились о сотрудничестве по ремонту инфраструктуры двора.",
        ),
        // Infrastructure for street trading in a park.
        (
            "Digitalisation and infrastructure cooperation",
            "ru",
            "Для уличной торговли в парке построят новую инфраструктуру.",
        ),
        // A housing estate's management and residents' committee improving its facilities.
        ("Digitalisation and infrastructure cooperation", "zh", "小区物业与居委会合作改善基础设施。"),
        // A school and a publisher digitising textbooks.
        ("Digitalisation and infrastructure cooperation", "zh", "学校与出版社合作推进教材数字化。"),
        // "important", not imports: a sentence about breakfast.
        ("Agricultural trade", "en", "Breakfast food is important for children, the nutritionist said."),
        // A shelter's food supplies after a storm.
        ("Agricultural trade", "en", "The shelter ran low on food supplies after the storm."),
        // Dairy workers' trade union calling a strike.
        ("Agricultural trade", "en", "The dairy workers' trade union called a strike for Monday."),
        // Food deliveries to a district's schools.
        ("Agricultural trade", "ru", "Поставки продуктов питания в школы района возобновятся в понедельник."),
        // Meat sold at the local market.
        ("Agricultural trade", "ru", "На рынке бойко идёт торговля мясом и овощами."),
        // A shop of imported food by a housing estate.
        ("Agricultural trade", "zh", "小区门口新开了一家进口食品超市。"),
        // The Agricultural Bank of China's trade finance.
        ("Agricultural trade", "zh", "中国农业银行贸易融资业务快速增长。"),
    ];

    /// True mentions, written close to the look-alikes' edges: `(topic, language, text, a highlighted text)`.
    /// Each must flag its topic for that text.
    const POSITIVES: &[(&str, &str, &str, &str)] = &[
        (
            "Visa policy",
            "en",
            "Visa requirements for Chinese tourists will be abolished next year.",
            "Visa requirements",
        ),
        ("Visa policy", "en", "China will scrap tourist visas for Russian groups.", "scrap"),
        ("Visa policy", "en", "Russians will be able to travel to China without a visa for 30 days.", "without a visa"),
        ("Visa policy", "ru", "Россия и Китай обсуждают взаимную отмену виз для туристов.", "отмену"),
        ("Visa policy", "ru", "Иностранцы смогут получить единую электронную визу.", "визу"),
        ("Visa policy", "ru", "Граждане Китая смогут въезжать в Россию без визы.", "без визы"),
        ("Visa policy", "zh", "中方决定对俄罗斯公民试行免签政策。", "免签"),
        ("Visa policy", "zh", "两国同意简化签证手续。", "简化"),
        ("Visa policy", "zh", "俄罗斯公民可在机场办理落地签证。", "落地签证"),
        ("Belt and Road", "en", "Kazakhstan signed up to a belt and road initiative railway project.", "belt and road"),
        ("Belt and Road", "en", "China's BRI lending to Africa fell last year.", "BRI"),
        (
            "Belt and Road",
            "en",
            "Ports along the 21st Century Maritime Silk Road drew Chinese investment.",
            "Maritime Silk Road",
        ),
        ("Belt and Road", "ru", "Казахстан и Китай обсудили проекты «Пояса и пути».", "Пояса и пути"),
        (
            "Belt and Road",
            "ru",
            "Казахстан участвует в строительстве экономического пояса Шелкового пути.",
            "пояса Шелкового пути",
        ),
        ("Belt and Road", "zh", "泉州积极参与21世纪海上丝绸之路建设。", "海上丝绸之路"),
        ("BRICS", "en", "The Brics group will admit new partner countries, officials said.", "Brics"),
        ("BRICS", "en", "The Shanghai-based New Development Bank issued panda bonds.", "New Development Bank"),
        ("BRICS", "ru", "Новый банк развития БРИКС выпустил облигации в юанях.", "Новый банк развития"),
        ("BRICS", "zh", "金砖国家新开发银行在上海举行年会。", "新开发银行"),
        ("SCO", "en", "Iran attended the SCO summit in Tianjin as a full member.", "SCO"),
        ("SCO", "ru", "Саммит ШОС пройдёт в Бишкеке.", "ШОС"),
        ("SCO", "zh", "上海合作组织成员国元首理事会会议在天津举行。", "上海合作组织"),
        ("EAEU", "en", "Armenia's trade with the EAEU grew by a third.", "EAEU"),
        ("EAEU", "en", "Armenia hosted EEU trade ministers in Yerevan.", "EEU"),
        ("EAEU", "ru", "Товарооборот внутри ЕАЭС вырос на 10%.", "ЕАЭС"),
        ("EAEU", "zh", "欧亚经济联盟与中国签署经贸合作协定。", "欧亚经济联盟"),
        (
            "UN Security Council",
            "en",
            "Security Council Resolution 2231 expires in October.",
            "Security Council Resolution",
        ),
        ("UN Security Council", "en", "The UNSC will vote on the draft on Friday.", "UNSC"),
        ("UN Security Council", "ru", "Совбез ООН проголосовал за резолюцию.", "Совбез ООН"),
        ("UN Security Council", "zh", "联合国安理会通过决议。", "安理会"),
        ("Russia–China summitry", "en", "Putin and Xi met in Kazan.", "Xi"),
        ("Russia–China summitry", "ru", "Лавров и Ван И провели переговоры в Пекине.", "Ван И"),
        ("Russia–China summitry", "ru", "Путин и Си обсудили ситуацию по телефону.", "Си"),
        ("Russia–China summitry", "zh", "普京同习近平举行会谈。", "习近平"),
        (
            "Digitalisation and infrastructure cooperation",
            "en",
            "Russia and China agreed on bilateral cooperation in artificial intelligence.",
            "artificial intelligence",
        ),
        (
            "Digitalisation and infrastructure cooperation",
            "ru",
            "Россия и Китай договорились о сотрудничестве в области искусственного интеллекта.",
            "искусственного интеллекта",
        ),
        // The digital term between the word of cooperation and the word of relations between countries.
        (
            "Digitalisation and infrastructure cooperation",
            "en",
            "They agreed on cooperation in artificial intelligence between the two countries.",
            "artificial intelligence",
        ),
        (
            "Digitalisation and infrastructure cooperation",
            "ru",
            "Сотрудничество в сфере цифровизации таможни обсудили представители двух стран.",
            "цифровизации",
        ),
        ("Digitalisation and infrastructure cooperation", "zh", "中俄两国同意加强数字经济合作。", "数字经济"),
        ("Digitalisation and infrastructure cooperation", "zh", "中俄在人工智能领域开展合作。", "人工智能"),
        ("Agricultural trade", "en", "Russia's wheat exports to China doubled.", "wheat"),
        ("Agricultural trade", "en", "Beijing cut imports of US soybeans.", "imports"),
        ("Agricultural trade", "en", "Russia raised wheat supplies to Egypt.", "supplies"),
        ("Agricultural trade", "ru", "Экспорт пшеницы в Китай вырос вдвое.", "пшеницы"),
        ("Agricultural trade", "ru", "Поставки пшеницы в Египет выросли.", "Поставки"),
        ("Agricultural trade", "zh", "俄罗斯对华小麦出口翻番。", "小麦"),
        ("Agricultural trade", "zh", "中国对俄食品出口增长。", "食品"),
    ];

    #[test]
    fn look_alikes_flag_nothing_and_true_mentions_flag_their_topic() {
        let m = pack();
        // Every topic has look-alikes in each of its languages (every topic has en, ru and zh terms): at least
        // two in English, one in Russian and one in Chinese; and true mentions in all three.
        for t in DEFAULT_TOPICS {
            for (lang, least) in [("en", 2), ("ru", 1), ("zh", 1)] {
                let n = LOOK_ALIKES.iter().filter(|(n, l, _)| *n == t.name && *l == lang).count();
                assert!(n >= least, "{}: {n} {lang} look-alikes, want at least {least}", t.name);
                let p = POSITIVES.iter().filter(|(n, l, _, _)| *n == t.name && *l == lang).count();
                assert!(p >= 1, "{}: no {lang} true mention", t.name);
            }
        }
        let mut failures = Vec::new();
        for (topic, lang, text) in LOOK_ALIKES {
            assert!(DEFAULT_TOPICS.iter().any(|t| t.name == *topic), "no topic {topic:?}");
            let got = flag(&m, "", text);
            if !got.is_empty() {
                failures.push(format!("look-alike of {topic} ({lang}) flagged: {text:?} -> {got:?}"));
            }
        }
        for (topic, lang, text, word) in POSITIVES {
            let got = flag(&m, "", text);
            match got.iter().find(|(n, _)| n == topic) {
                None => failures.push(format!("true mention of {topic} ({lang}) not flagged: {text:?} -> {got:?}")),
                Some((_, hits)) if !hits.iter().any(|h| h == word) => {
                    failures.push(format!("{topic} ({lang}): '{word}' not highlighted in {text:?}; got {hits:?}"))
                }
                Some(_) => {}
            }
        }
        assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    }

    /// One article of `tests/fixtures/topics/default_pack/`: `title:`, then an `expect: Topic = text | text`
    /// line per topic that must flag it (the texts must be among the highlighted ones), or `expect: nothing`;
    /// then `---` and the body. Lines starting with `#` are notes.
    struct Fixture {
        file: String,
        title: String,
        expect: Vec<(String, Vec<String>)>,
        body: String,
    }

    fn fixtures() -> Vec<Fixture> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/topics/default_pack");
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .map(|p| {
                let file = p.file_name().unwrap().to_string_lossy().into_owned();
                let raw = std::fs::read_to_string(&p).unwrap();
                let (head, body) = raw.split_once("\n---\n").unwrap_or_else(|| panic!("{file}: no '---' line"));
                let mut f = Fixture { file, title: String::new(), expect: Vec::new(), body: body.trim().to_string() };
                let mut nothing = false;
                for line in head.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
                    if let Some(t) = line.strip_prefix("title:") {
                        f.title = t.trim().to_string();
                    } else if let Some(e) = line.strip_prefix("expect:") {
                        match e.trim().split_once('=') {
                            Some((topic, words)) => f.expect.push((
                                topic.trim().to_string(),
                                words.split('|').map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect(),
                            )),
                            None if e.trim() == "nothing" => nothing = true,
                            None => panic!("{}: bad line {line:?}", f.file),
                        }
                    } else {
                        panic!("{}: bad line {line:?}", f.file);
                    }
                }
                assert!(!f.title.is_empty(), "{}: no title", f.file);
                assert!(nothing == f.expect.is_empty(), "{}: write 'expect: nothing' or the topics", f.file);
                for (topic, words) in &f.expect {
                    assert!(DEFAULT_TOPICS.iter().any(|t| t.name == topic), "{}: no topic {topic:?}", f.file);
                    assert!(!words.is_empty(), "{}: {topic}: name at least one highlighted text", f.file);
                }
                f
            })
            .collect()
    }

    #[test]
    fn written_articles_flag_exactly_their_topics_for_the_right_words() {
        let m = pack();
        let all = fixtures();
        let count = |prefix: &str, nothing: bool| {
            all.iter().filter(|f| f.file.starts_with(prefix) && f.expect.is_empty() == nothing).count()
        };
        for lang in ["en-", "ru-", "zh-"] {
            assert!(count(lang, false) >= 3, "at least 3 {lang} articles with topics");
            assert!(count(lang, true) >= 1, "at least 1 {lang} look-alike");
        }
        let mut failures = Vec::new();
        for f in &all {
            let got = flag(&m, &f.title, &f.body);
            let want: Vec<&str> =
                DEFAULT_TOPICS.iter().map(|t| t.name).filter(|n| f.expect.iter().any(|(e, _)| e == n)).collect();
            if names(&got) != want {
                failures.push(format!("{}: expected {want:?}, got {got:?}", f.file));
                continue;
            }
            for (topic, words) in &f.expect {
                let hits = &got.iter().find(|(n, _)| n == topic).unwrap().1;
                for w in words {
                    if !hits.contains(w) {
                        failures.push(format!("{}: {topic}: '{w}' is not highlighted; got {hits:?}", f.file));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    /// The article that started the project, in `../shared/seed/`: flagged by the seven original topics for
    /// the right words, and by the two topics it also discusses (digitalisation and infrastructure projects,
    /// agricultural trade). Without the file this test says so and passes.
    #[test]
    fn seed_article_is_flagged_for_the_right_words() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seed/tv-brics-putin-xi-article.txt");
        let Ok(body) = std::fs::read_to_string(path) else {
            eprintln!("SKIP seed test: {path} is absent");
            return;
        };
        let (title, text) = body.split_once('\n').unwrap_or((&body, ""));
        let got = flag(&pack(), title, text);
        let expect: [(&str, &[&str]); 9] = [
            ("Visa policy", &["visa requirements", "elimination"]),
            ("Belt and Road", &["One Belt, One Road"]),
            ("BRICS", &["BRICS"]),
            ("SCO", &["SCO", "Shanghai Cooperation Organisation"]),
            ("EAEU", &["Eurasian Economic Union", "EAEU"]),
            ("UN Security Council", &["UN Security Council"]),
            ("Russia–China summitry", &["Putin", "Xi Jinping", "Wang Yi", "Xi"]),
            ("Digitalisation and infrastructure cooperation", &["digitalisation", "infrastructure", "trade"]),
            ("Agricultural trade", &["agricultural", "trade"]),
        ];
        assert_eq!(names(&got), expect.map(|(n, _)| n), "{got:?}");
        for ((topic, words), (_, hits)) in expect.iter().zip(&got) {
            for w in *words {
                assert!(hits.iter().any(|h| h == w), "{topic}: expected '{w}' among {hits:?}");
            }
        }
        // Nothing is highlighted for a wrong reason: every highlight of a topic is one of its words.
        let allowed: [&[&str]; 9] = [
            &["visa requirements", "visa", "elimination"],
            &["One Belt, One Road"],
            &["BRICS"],
            &["SCO", "Shanghai Cooperation Organisation"],
            &["Eurasian Economic Union", "EAEU"],
            &["UN Security Council"],
            &["Putin", "Xi Jinping", "Wang Yi", "Xi"],
            // The old pack also highlighted a "cooperation" that ends the sentence before "digitalisation" (NEAR/12
            // reached across it); now the cooperation or trade must be near a word of relations between countries,
            // and only "trade between the two countries" is, so "cooperation" is no longer allowed.
            &["digitalisation", "infrastructure", "trade", "two countries"],
            &["agricultural", "trade"],
        ];
        for ((topic, hits), ok) in got.iter().zip(allowed) {
            for h in hits {
                assert!(ok.contains(&h.as_str()), "{topic}: unexpected highlight '{h}'");
            }
        }
    }
}

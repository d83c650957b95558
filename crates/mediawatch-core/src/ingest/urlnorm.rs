//! Canonical article URLs: the form under which one story is stored once, however a feed or a share button
//! decorated its link. Lower-case scheme and host (the `url` crate), no default port, no tracking parameters
//! (`utm_*`, `fbclid`, `gclid`, `yclid`, `spm`, ...; the others keep their order), and no fragment that only
//! tracks or navigates (`#xtor=RSS-1`, `#comments`, `#more-123`). A fragment that names a post on a page of
//! several (`/2002/09/29#When:12:59:01PM`) stays: dropping it would merge distinct items into one.
//! Only http(s) URLs have a canonical form. Pure.

use url::Url;

/// Query parameters that only say where a click came from: dropped. Compared case-insensitively.
const TRACKING_PARAMS: [&str; 26] = [
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "gclsrc",
    "yclid",
    "ysclid",
    "msclkid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "spm",
    "scm",
    "_ga",
    "_gl",
    "wt_mc",
    "wt.mc_id",
    "cmpid",
    "ocid",
];

/// Fragments that only navigate within the article's page.
const NAVIGATION_FRAGMENTS: [&str; 9] =
    ["top", "comments", "respond", "more", "main", "content", "article", "page", "disqus_thread"];

/// A fragment to drop: tracking (`xtor=RSS-1`, anything with `=`), empty, or navigation (`#comments`,
/// `#more-123`).
fn is_droppable_fragment(fragment: &str) -> bool {
    let f = fragment.to_ascii_lowercase();
    f.is_empty()
        || f.contains('=')
        || NAVIGATION_FRAGMENTS.iter().any(|n| f == *n || f.strip_prefix(n).is_some_and(|rest| rest.starts_with('-')))
}

/// Tracking parameter prefixes: `utm_source`, `utm_medium`, ... and Piwik/Matomo's `pk_*`.
const TRACKING_PREFIXES: [&str; 3] = ["utm_", "pk_", "mtm_"];

fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    TRACKING_PARAMS.contains(&name.as_str()) || TRACKING_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The canonical form of an http(s) URL, or `None` for anything else.
pub fn canonical(url: &str) -> Option<String> {
    let mut url = Url::parse(url.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    if url.fragment().is_some_and(is_droppable_fragment) {
        url.set_fragment(None);
    }
    if url.query().is_some() {
        let kept: Vec<(String, String)> =
            url.query_pairs().filter(|(k, _)| !is_tracking(k)).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        if kept.is_empty() {
            url.set_query(None);
        } else if kept.len() != url.query_pairs().count() {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    Some(url.into())
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn tracking_parameters_fragments_and_case_go() {
        assert_eq!(
            canonical("HTTPS://WWW.Example.COM:443/World/Story.html?utm_source=rss&id=7&fbclid=x&UTM_Medium=y#top")
                .as_deref(),
            Some("https://www.example.com/World/Story.html?id=7")
        );
        assert_eq!(
            canonical("https://www.heise.de/news/a-4205274.html?wt_mc=rss.ho.beitrag.rdf").as_deref(),
            Some("https://www.heise.de/news/a-4205274.html")
        );
        assert_eq!(canonical("http://x.example/a?spm=a2.b&yclid=9&gclid=1").as_deref(), Some("http://x.example/a"));
    }

    #[test]
    fn meaningful_parameters_stay_in_order_untouched() {
        let url = "https://x.example/search?q=%D0%A8%D0%9E%D0%A1&page=2&utmost=1";
        assert_eq!(canonical(url).as_deref(), Some(url), "nothing to drop: not even re-encoded");
        assert_eq!(canonical("https://x.example/a?b=2&a=1").as_deref(), Some("https://x.example/a?b=2&a=1"));
    }

    #[test]
    fn a_fragment_naming_one_post_of_a_page_stays() {
        let url = "http://scriptingnews.userland.com/backissues/2002/09/29#When:12:59:01PM";
        assert_eq!(canonical(url).as_deref(), Some(url));
    }

    #[test]
    fn only_http_urls_have_a_canonical_form() {
        assert_eq!(canonical("urn:uuid:1225c695"), None);
        assert_eq!(canonical("javascript:alert(1)"), None);
        assert_eq!(canonical("/relative/path"), None);
        assert_eq!(canonical("https://x.example").as_deref(), Some("https://x.example/"));
    }
}

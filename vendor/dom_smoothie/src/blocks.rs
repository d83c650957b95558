//! Mediawatch: `TextMode::Blocks`, an article's text paragraph by paragraph, read from the DOM.
//!
//! The same text Mediawatch got by serialising the article to HTML and reading that HTML again
//! (`mediawatch_core::parse::html_to_paragraphs`), without the round trip: block-level elements open and close
//! paragraphs, `<br>` breaks a line, scripts and styles are skipped, and inside each paragraph whitespace
//! folds to one space.

use dom_query::{NodeData, NodeRef};

/// Elements whose start and end tags end a paragraph: the list of `mediawatch_core::parse::html_to_text` (feed
/// HTML), kept alike so that an article reads the same from a feed and from its page.
const BLOCKS: [&str; 22] = [
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "section",
    "article", "header", "footer", "figure", "figcaption", "pre", "hr",
];

/// The text of `root` and its descendants, block by block.
pub(crate) fn block_text(root: &NodeRef) -> String {
    let mut raw = String::new();
    // Depth-first; `true` marks a node whose subtree is done (its end tag).
    let mut stack: Vec<(NodeRef, bool)> = vec![(*root, false)];
    while let Some((node, leaving)) = stack.pop() {
        let (name, text) = node.query_or((None, None), |n| match &n.data {
            NodeData::Element(el) => (Some(el.name.local.clone()), None),
            NodeData::Text { contents } => (None, Some(contents.clone())),
            _ => (None, None),
        });
        if let Some(text) = text {
            raw.push_str(&text);
            continue;
        }
        let Some(name) = name else { continue };
        let name: &str = &name;
        if leaving {
            // Void elements have no end tag (`<hr>` ends a paragraph once).
            if name != "hr" && BLOCKS.contains(&name) {
                raw.push_str("\n\n");
            }
            continue;
        }
        match name {
            "script" | "style" => continue,
            "br" => raw.push('\n'),
            _ if BLOCKS.contains(&name) => raw.push_str("\n\n"),
            _ => {}
        }
        stack.push((node, true));
        let children: Vec<NodeRef> = node.children_it(false).collect();
        stack.extend(children.into_iter().rev().map(|c| (c, false)));
    }
    paragraphs(&raw)
}

/// Paragraphs are the parts between blank-line (`\n\n`) breaks; inside each, whitespace folds to one space;
/// empty ones go.
fn paragraphs(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    for block in raw.split("\n\n") {
        let before = text.len();
        if before > 0 {
            text.push_str("\n\n");
        }
        let start = text.len();
        for word in block.split_whitespace() {
            if text.len() > start {
                text.push(' ');
            }
            text.push_str(word);
        }
        if text.len() == start {
            text.truncate(before);
        }
    }
    text
}

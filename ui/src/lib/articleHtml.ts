import { isOpenableUrl, isWebUrl, planMarks, type Needle } from "./article";
import { topicSlot } from "./colors";
import { t } from "./i18n.svelte";

/**
 * Shows the backend's sanitised article HTML in the reader. The backend (ammonia) already removed
 * scripts, handlers, frames, forms and styles; this is a second, cheap line of defence, plus what only
 * the UI decides: which pictures load, and the highlighting of the topics' terms.
 */

/** Elements that never belong in the reader, whatever the backend let through. */
const DROP = new Set([
  "script", "style", "link", "meta", "base", "title", "iframe", "frame", "frameset", "object", "embed", "applet",
  "form", "input", "button", "select", "textarea", "option", "noscript", "template", "video", "audio", "source",
  "track", "svg", "math", "canvas", "dialog", "portal",
]);

/** Attributes that could load something, run something, or clash with the app's own ids and classes. */
const DROP_ATTRS = new Set([
  "style", "src", "srcset", "sizes", "background", "poster", "action", "formaction", "ping", "lowsrc", "dynsrc",
  "longdesc", "id", "name", "class", "target", "autofocus", "tabindex", "contenteditable", "popover",
]);

/** Where a paragraph (or line) ends: no highlight spans such a boundary. */
const BLOCKS = new Set([
  "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
  "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
  "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
]);

function scrub(root: DocumentFragment): void {
  for (const el of Array.from(root.querySelectorAll("*"))) {
    const tag = el.localName;
    if (DROP.has(tag)) {
      el.remove();
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (tag === "img" && name === "src" && !el.hasAttribute("data-remote-src")) {
        // A picture that kept its address the backend's way would not: keep it behind the same rule.
        el.setAttribute("data-remote-src", attr.value);
      }
      if (name.startsWith("on") || DROP_ATTRS.has(name) || name.startsWith("xlink:")) el.removeAttribute(attr.name);
      else if (name === "href" && (tag !== "a" || !isOpenableUrl(attr.value))) el.removeAttribute(attr.name);
    }
    if (tag === "a") el.setAttribute("rel", "noopener noreferrer");
  }
}

function blockOf(node: Node, root: Node): Node {
  for (let p = node.parentNode; p && p !== root; p = p.parentNode) {
    if (p.nodeType === Node.ELEMENT_NODE && BLOCKS.has((p as Element).localName)) return p;
  }
  return root;
}

/** Wraps the terms of the article's topics in `<mark>`s, as the plain-text view marks its spans. */
function markTerms(root: DocumentFragment, needles: readonly Needle[]): void {
  if (needles.length === 0) return;
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  const nodes: (Text | null)[] = [];
  let lastBlock: Node | null = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === Node.ELEMENT_NODE) {
      const tag = (n as Element).localName;
      if (tag === "br" || tag === "img" || tag === "hr") nodes.push(null);
      continue;
    }
    const block = blockOf(n, root);
    if (lastBlock !== null && block !== lastBlock) nodes.push(null);
    lastBlock = block;
    nodes.push(n as Text);
  }
  const pieces = planMarks(
    nodes.map((t) => (t === null ? null : t.data)),
    needles,
  );
  for (const piece of pieces) {
    const node = nodes[piece.chunk];
    if (!node) continue;
    const hit = node.splitText(piece.start);
    hit.splitText(piece.end - piece.start);
    const mark = doc.createElement("mark");
    mark.className = `hit topic-${topicSlot(piece.key)}`;
    mark.dataset.testid = "hit";
    hit.replaceWith(mark);
    mark.append(hit);
  }
}

/** The box that stands for a picture not loaded. */
export function imagePlaceholder(doc: Document, alt: string | null): HTMLElement {
  const box = doc.createElement("span");
  box.className = "remote-image-placeholder";
  box.dataset.testid = "reader-image-placeholder";
  box.setAttribute("role", "img");
  const label = alt?.trim() ? t("reader.images.notLoadedAlt", { alt: alt.trim() }) : t("reader.images.notLoaded");
  box.setAttribute("aria-label", label);
  box.title = label;
  box.textContent = label;
  return box;
}

function showImages(root: DocumentFragment, load: boolean): void {
  const doc = root.ownerDocument;
  for (const img of Array.from(root.querySelectorAll("img"))) {
    const remote = img.getAttribute("data-remote-src");
    if (load && isWebUrl(remote)) {
      img.setAttribute("loading", "lazy");
      img.setAttribute("decoding", "async");
      img.setAttribute("referrerpolicy", "no-referrer");
      img.setAttribute("src", remote);
    } else if (isWebUrl(remote)) {
      img.replaceWith(imagePlaceholder(doc, img.getAttribute("alt")));
    } else {
      img.remove();
    }
  }
}

/** Whether the article's HTML has pictures the analyst could load. */
export function hasRemoteImages(html: string | null): boolean {
  return html !== null && html.includes("data-remote-src");
}

/**
 * Renders `html` into `container`: parsed inert (a template loads and runs nothing), scrubbed, marked,
 * pictures as placeholders unless `loadImages`; only then put into the page.
 */
export function renderArticleHtml(
  container: HTMLElement,
  html: string,
  options: { needles: readonly Needle[]; loadImages: boolean },
): void {
  const template = container.ownerDocument.createElement("template");
  template.innerHTML = html;
  const root = template.content;
  scrub(root);
  markTerms(root, options.needles);
  showImages(root, options.loadImages);
  container.replaceChildren(root);
}

/**
 * Keeps links inside `container` from navigating the webview: a click (or middle click) on one is
 * handed to `open` when it is a web or mail address, and dropped otherwise. Returns the cleanup.
 */
export function interceptLinks(container: HTMLElement, open: (url: string) => void): () => void {
  const handler = (event: MouseEvent) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const link = target.closest("a");
    if (!link || !container.contains(link)) return;
    event.preventDefault();
    if (event.type === "auxclick" && event.button !== 1) return;
    const href = link.getAttribute("href");
    if (isOpenableUrl(href)) open(href);
  };
  container.addEventListener("click", handler);
  container.addEventListener("auxclick", handler);
  return () => {
    container.removeEventListener("click", handler);
    container.removeEventListener("auxclick", handler);
  };
}

//! A hub in several languages, as readers see it: the `languages` fixture (English at `/`,
//! German at `/de/`, Arabic at `/ar/`). The Arabic post is right to left for real: the
//! document says `dir="rtl"`, and the theme's logical properties mirror the layout (the brand
//! at the right of the header, the article flush right, the blockquote's rule on its right).
//! The English post stays left to right. Every link of the language switcher leads to a page
//! in the language it names. Screenshots of the Arabic post at 390 and 1280 px go to
//! `target/screenshots/languages-ar-post-*.png`, to be looked at.

use std::io::Write;

use serde::Deserialize;

use crate::common::TestSite;
use crate::harness::{Env, Js, Page, Scheme};
use crate::screens::screenshot_dir;

const AR_POST: &str = "/ar/posts/hello/";
const EN_POST: &str = "/posts/hello/";

#[derive(Deserialize, Debug, Clone, Copy)]
struct Rect {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

#[derive(Deserialize, Debug)]
struct Quote {
    #[serde(rename = "borderLeft")]
    border_left: String,
    #[serde(rename = "borderRight")]
    border_right: String,
}

/// Where things are on the page, in CSS pixels of the viewport.
#[derive(Deserialize, Debug)]
struct Layout {
    direction: String,
    lang: String,
    /// The viewport's width (without a scroll bar) and the page's scroll width.
    width: f64,
    scroll: f64,
    /// The header's `.wrap`, without its padding: where its content may go.
    header: Rect,
    brand: Rect,
    /// The header's main navigation (`nav[aria-label]`, not the language switcher).
    nav: Rect,
    /// `<main>`, without its padding.
    main: Rect,
    /// The article (`.post`, narrower than `<main>`).
    post: Rect,
    /// The first paragraph of the post's body, and the text of its first line.
    paragraph: Rect,
    text: Rect,
    quote: Option<Quote>,
}

const LAYOUT: &str = r#"(() => {
  const box = e => { const r = e.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
  const content = e => { const r = box(e), s = getComputedStyle(e);
    return { left: r.left + parseFloat(s.paddingLeft), right: r.right - parseFloat(s.paddingRight),
             top: r.top, bottom: r.bottom }; };
  const one = s => { const e = document.querySelector(s); if (!e) throw new Error('no ' + s); return e; };
  const paragraph = one('.post-content > p');
  const range = document.createRange();
  range.selectNodeContents(paragraph);
  const line = range.getClientRects()[0];
  const quote = document.querySelector('.post-content blockquote');
  const qs = quote && getComputedStyle(quote);
  const nav = [...document.querySelectorAll('.site-header nav[aria-label]')]
    .find(n => !n.classList.contains('language-switcher'));
  if (!nav) throw new Error('no main nav in the header');
  return {
    direction: getComputedStyle(document.documentElement).direction,
    lang: document.documentElement.lang,
    width: document.documentElement.clientWidth,
    scroll: document.documentElement.scrollWidth,
    header: content(one('.site-header .wrap')),
    brand: box(one('.site-header .brand')),
    nav: box(nav),
    main: content(one('main')),
    post: box(one('.post')),
    paragraph: content(paragraph),
    text: { left: line.left, right: line.right, top: line.top, bottom: line.bottom },
    quote: quote && { borderLeft: qs.borderLeftWidth, borderRight: qs.borderRightWidth },
  };
})()"#;

/// Opens `path` as a desktop screen `width` px wide and measures it.
fn layout(page: &Page, path: &str, width: u32) -> Layout {
    page.goto(path);
    page.emulate(width, 900, width < 600, Scheme::Light);
    page.eval(LAYOUT)
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1.5
}

/// Whether two boxes share a row (overlap vertically).
fn same_row(a: Rect, b: Rect) -> bool {
    a.top < b.bottom && b.top < a.bottom
}

#[test]
fn the_arabic_post_is_right_to_left_and_its_layout_mirrors() {
    let Some(env) = Env::start_hub(TestSite::fixture("languages")) else { return };
    let page = env.page(Js::Enabled);

    let ar = layout(&page, AR_POST, 1280);
    assert_eq!((ar.direction.as_str(), ar.lang.as_str()), ("rtl", "ar"), "{ar:#?}");
    // The brand starts the header at its right edge, and the main navigation follows to its left.
    assert!(near(ar.brand.right, ar.header.right), "the brand is not at the header's right edge: {ar:#?}");
    if same_row(ar.brand, ar.nav) {
        assert!(ar.brand.left > ar.nav.right, "the brand is not right of the main navigation: {ar:#?}");
    }
    // The article hangs from the right of <main>, and its text starts at the right.
    assert!(near(ar.post.right, ar.main.right), "the article is not flush right: {ar:#?}");
    assert!(ar.post.left > ar.main.left + 100.0, "the article is as wide as <main>?: {ar:#?}");
    assert!(near(ar.text.right, ar.paragraph.right), "the text does not start at the right: {ar:#?}");
    assert!(ar.text.left > ar.paragraph.left + 50.0, "the short line fills its paragraph?: {ar:#?}");
    // The blockquote's rule (`border-inline-start`) is on its right.
    let quote = ar.quote.as_ref().expect("the Arabic fixture post has a blockquote");
    assert_eq!(quote.border_left, "0px", "{quote:?}");
    assert_ne!(quote.border_right, "0px", "{quote:?}");
    assert!(ar.scroll <= ar.width, "the Arabic post scrolls sideways at 1280 px: {ar:#?}");

    let en = layout(&page, EN_POST, 1280);
    assert_eq!((en.direction.as_str(), en.lang.as_str()), ("ltr", "en"), "{en:#?}");
    assert!(near(en.brand.left, en.header.left), "the brand is not at the header's left edge: {en:#?}");
    assert!(en.brand.left < en.nav.left, "the brand is not left of the main navigation: {en:#?}");
    assert!(near(en.post.left, en.main.left), "the article is not flush left: {en:#?}");
    assert!(near(en.text.left, en.paragraph.left), "the text does not start at the left: {en:#?}");
    assert!(en.quote.is_none(), "the English fixture post has no blockquote: {en:#?}");

    // Screenshots, to be looked at; on a phone nothing may scroll sideways either.
    let dir = screenshot_dir();
    for width in [390, 1280] {
        let at = layout(&page, AR_POST, width);
        assert!(at.scroll <= at.width, "the Arabic post scrolls sideways at {width} px: {at:#?}");
        assert!(near(at.brand.right, at.header.right), "at {width} px the brand is not at the right: {at:#?}");
        page.screenshot(&dir.join(format!("languages-ar-post-{width}.png")));
    }
    let recorded = page.recorded();
    assert!(recorded.exceptions.is_empty(), "script errors: {:#?}", recorded.exceptions);
    drop(recorded);
    let _ = writeln!(std::io::stderr(), "screenshots: {}", dir.display());
}

/// A link of the language switcher, and what its target turned out to be.
#[derive(Deserialize, Debug)]
struct Switch {
    href: String,
    hreflang: String,
    current: bool,
    status: u16,
    /// The `lang` of the page it leads to.
    lang: Option<String>,
}

#[test]
fn every_language_switcher_link_of_the_arabic_post_leads_to_that_language() {
    let Some(env) = Env::start_hub(TestSite::fixture("languages")) else { return };
    let page = env.page(Js::Enabled);
    page.goto(AR_POST);
    let links: Vec<Switch> = page.eval(
        r#"Promise.all([...document.querySelectorAll('.language-switcher a')].map(a =>
          fetch(a.href).then(r => r.text().then(html => ({
            href: a.getAttribute('href'), hreflang: a.hreflang, current: a.hasAttribute('aria-current'),
            status: r.status,
            lang: r.ok ? new DOMParser().parseFromString(html, 'text/html').documentElement.lang : null,
          })))))"#,
    );
    let hreflangs: Vec<&str> = links.iter().map(|l| l.hreflang.as_str()).collect();
    assert_eq!(hreflangs, ["en", "de", "ar"], "{links:#?}");
    let root = env.site.root();
    for link in &links {
        assert_eq!(link.status, 200, "{link:?}");
        assert_eq!(link.lang.as_deref(), Some(link.hreflang.as_str()), "{link:?}");
        let file = root.join(link.href.trim_start_matches('/')).join("index.html");
        assert!(file.is_file(), "{} is not in the output: {link:?}", file.display());
        assert_eq!(link.current, link.href == AR_POST, "only the Arabic link is the current page: {links:#?}");
    }
    let hrefs: Vec<&str> = links.iter().map(|l| l.href.as_str()).collect();
    assert_eq!(hrefs, [EN_POST, "/de/posts/hello/", AR_POST]);
}

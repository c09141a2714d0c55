//! In-page anchors: a `#x` link may name a heading, a footnote, or an `id` or `<a name>` the
//! page's (sanitised) HTML keeps; a link to a missing one is a warning, and the page builds.

use crate::common::TestSite;

fn post(body: &str) -> String {
    format!("---\ntitle: Anchors\ndate: 2026-11-06\nauthor: ana\n---\n{body}")
}

#[test]
fn ids_and_link_names_in_html_are_anchors() {
    let body = "Jump to [the tool](#tool), [the note](#note), [the heading](#ueber-uns) \
                and [the footnote](#fn).\n\n<a name=\"tool\"></a>\n\nThe tool.\n\n\
                Some <span id=\"note\">noted</span> text.\n\n## Über uns {#ueber-uns}\n\nText[^fn].\n\n[^fn]: A footnote.\n";
    let run = TestSite::fixture("minimal").file("content/posts/anchors.md", post(body)).build();
    run.success();
    assert!(run.diagnostics().is_empty(), "{:#?}", run.diagnostics());
    // The page keeps the anchors the links jump to.
    run.page("posts/anchors/index.html").has("<a name=\"tool\"").has("<span id=\"note\">");
}

#[test]
fn a_missing_anchor_is_a_warning_and_the_page_builds() {
    let body = "See [setup](#setpu).\n\n## Setup\n\n<div id=\"removed\"><script>x()</script></div>\n\n[gone](#inside)\n\n<script id=\"inside\"></script>\n";
    let run = TestSite::fixture("minimal").file("content/posts/anchors.md", post(body)).build();
    run.success();
    let d = run.diagnostic("content/posts/anchors.md:6:5", "#setpu");
    assert_eq!((d.code.as_str(), d.is_error()), ("broken-anchor", false));
    assert_eq!(d.hint.as_deref(), Some("did you mean `#setup`?"));
    // An id the sanitiser removes (on a `<script>`) is no anchor.
    let d = run.diagnostic("content/posts/anchors.md:12:1", "#inside");
    assert!(!d.is_error());
    run.assert_exists("posts/anchors/index.html");
    // `check` does not fail on it either.
    TestSite::fixture("minimal").file("content/posts/anchors.md", post(body)).check(&[]).success();
}

#[test]
fn heading_ids_drop_emoji_and_punctuation_and_keep_every_script() {
    let body = "### I-unsound issues (🦀)\n\n## 日本語の手引き\n\n## 🎉🎉\n\n## Шаг 2: готово!\n";
    let run = TestSite::fixture("minimal").file("content/posts/ids.md", post(body)).build();
    run.success();
    run.page("posts/ids/index.html")
        .has("id=\"i-unsound-issues\"")
        .has("id=\"日本語の手引き\"")
        .has("id=\"section\"")
        .has("id=\"шаг-2-готово\"");
}

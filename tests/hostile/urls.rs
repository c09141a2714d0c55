//! URLs in raw HTML read the way browsers read them (issue 15, item 6): browsers drop TAB,
//! LF and CR inside a URL, read `\` as `/` and decode character references, so each of these
//! loads `https://evil.example/…` and must be refused like any image from another website.

use crate::common::TestSite;

/// One trick per line, each its own HTML block.
const TRICKS: [&str; 12] = [
    r#"<img src="/\evil.example/p.png" alt="a">"#,
    r#"<img src="\\evil.example\p.png" alt="a">"#,
    "<img src=\"/\t/evil.example/p.png\" alt=\"a\">",
    r#"<img src="\/evil.example/p.png" alt="a">"#,
    "<img src=\"/\t\\evil.example/p.png\" alt=\"a\">",
    r#"<img src="/&#92;evil.example/p.png" alt="a">"#,
    r#"<img src="/&Tab;/evil.example/p.png" alt="a">"#,
    r#"<img src="HTTPS://EVIL.example/p.png" alt="a">"#,
    r#"<img src="https:evil.example/p.png" alt="a">"#,
    r#"<img alt="a" srcset="/ok.png 1x, /\evil.example/p.png 2x">"#,
    r#"<video poster="\\evil.example\p.png"></video>"#,
    r#"<svg><image href="/\evil.example/p.png"/></svg>"#,
];

#[test]
fn raw_html_url_tricks_are_refused_as_external_images() {
    let front = "---\ntitle: Tricks\ndate: 2026-11-20\nauthor: ana\n---\n";
    // Line 6 is a local image that must pass; the tricks follow, one every other line.
    let body = std::iter::once(r#"<img src="/ok.png" alt="ok">"#).chain(TRICKS).collect::<Vec<_>>().join("\n\n");
    let run = TestSite::fixture("minimal").file("content/posts/tricks.md", format!("{front}{body}\n")).check_json(&[]);
    run.failure();
    for (i, trick) in TRICKS.iter().enumerate() {
        let at = format!("content/posts/tricks.md:{}:1", 8 + 2 * i);
        let d = run.diag_at(&at);
        assert_eq!(
            (d.code.as_str(), d.message.as_str()),
            ("external-image", "this HTML loads something from another website"),
            "{trick:?} at {at}"
        );
    }
    let external = run.diagnostics().into_iter().filter(|d| d.code == "external-image").count();
    assert_eq!(external, TRICKS.len(), "the local image passes\n{run:?}");
}

//! Derived share messages fit (DESIGN §5): without a `share.text`, the message comes from the
//! summary or the first paragraph and is cut to each network's limit, never reported; a text
//! the author wrote that is too long stays a `check` error at its place.

use chorus::share::{count, Network};

use crate::common::{split_query, unescape, TestSite};

/// A first paragraph of 700 characters, in sentences, with a link and a hashtag in it.
fn long_paragraph() -> String {
    let sentence = "Our members asked why their bills changed, so we spent a month reading every statement with them. ";
    format!(
        "{}See https://tidewell.example/bills/2026 for the #OpenBooks notes. {}",
        sentence.repeat(3),
        sentence.repeat(3)
    )
}

#[test]
fn a_long_first_paragraph_is_cut_to_fit_every_network_and_never_reported() {
    let site = TestSite::fixture("minimal").file("chorus.yaml", "title: Minimal Hub\nbase_url: https://hub.example\ndisclosure: \"#HubEmployee\"\n").file(
        "content/posts/2026-11-06-bills.md",
        format!("---\ntitle: Bills\ndate: 2026-11-06\nauthor: ana\nshare:\n  hashtags: [Energy]\n---\n{}\n\nMore text.\n", long_paragraph()),
    );
    let build = site.build();
    build.success();
    assert!(build.printed().is_empty(), "{build:?}");
    let check = site.check_json(&[]);
    check.success();
    assert!(check.diagnostics().is_empty(), "{check:?}");
    let page = build.page("posts/bills/index.html");
    let mut seen = 0;
    for href in page.hrefs().into_iter().map(|h| unescape(&h)) {
        let (network, key) = match () {
            _ if href.starts_with("https://x.com/") => (Network::X, "text"),
            _ if href.starts_with("https://bsky.app/") => (Network::Bluesky, "text"),
            _ if href.starts_with("https://share.joinmastodon.org/") => (Network::Mastodon, "text"),
            _ => continue,
        };
        seen += 1;
        let (_, params) = split_query(&href);
        let text = &params.iter().find(|(k, _)| k == key).unwrap().1;
        // X gets its hashtags and link in their own parameters: count the post as X composes it.
        let composed = if network == Network::X {
            format!("{text} #Energy https://hub.example/posts/bills/")
        } else {
            text.clone()
        };
        let limit = network.limit().unwrap();
        assert!(count(network, &composed) <= limit, "{network:?}: {} > {limit}: {composed}", count(network, &composed));
        assert!(text.starts_with("Our members asked why"), "{text}");
        assert!(text.contains("#HubEmployee"), "the disclosure was cut: {text}");
        // Cut after a whole sentence, never inside the link or the hashtag.
        assert!(
            !text.contains("https://tidewell.example/bills/2026")
                || text.contains("https://tidewell.example/bills/2026 "),
            "{text}"
        );
        let base = text.split(" #Energy").next().unwrap().split(" #HubEmployee").next().unwrap();
        assert!(base.ends_with('.'), "{network:?}: not a whole sentence: {base:?}");
    }
    assert_eq!(seen, 3, "{}", page.html);
    page.lacks("– too long");
}

#[test]
fn a_text_the_author_wrote_that_is_too_long_is_a_check_error_at_its_place() {
    let text = "Read how we rebuilt meter ingest. ".repeat(10);
    let site = TestSite::fixture("minimal").file(
        "content/posts/2026-11-06-long.md",
        format!(
            "---\ntitle: Long\ndate: 2026-11-06\nauthor: ana\nshare:\n  text: {}\n  bluesky: \"{}\"\n---\nBody.\n",
            text.trim(),
            text.trim()
        ),
    );
    let check = site.check_json(&[]);
    check.failure();
    let x = check.diag_at("content/posts/2026-11-06-long.md:6:9");
    assert_eq!((x.code.as_str(), x.is_error()), ("share-too-long", true));
    assert_eq!(x.message, "the message for X is 363 characters long; X allows 280");
    let bluesky = check.diag_at("content/posts/2026-11-06-long.md:7:12");
    assert_eq!(bluesky.message, "the message for Bluesky is 371 characters long; Bluesky allows 300");
    assert_eq!(
        bluesky.hint.as_deref(),
        Some("shorten the message, or add a shorter one for Bluesky as `share.bluesky: …`")
    );
    // `build` warns, and the page says it is too long: nothing was cut.
    site.build().success();
}

#[test]
fn no_derived_message_is_over_its_limit_on_the_demo_or_any_fixture() {
    for site in [TestSite::demo(), TestSite::fixture("basic"), TestSite::fixture("minimal")] {
        let check = site.check_json(&[]);
        let over: Vec<_> = check.diagnostics().into_iter().filter(|d| d.code == "share-too-long").collect();
        assert!(over.is_empty(), "{over:#?}");
    }
}

//! Property tests for the invariants of DESIGN §9.

use std::path::{Path, PathBuf};

use crate::common::split_query;
use chorus::content::{self, Found, Section};
use chorus::share::{self, Network, ShareSource};
use proptest::prelude::*;

/// The percent-decoded query parameter `name` of an intent link.
fn decode(href: &str, name: &str) -> Option<String> {
    split_query(href).1.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any text comes out of every intent URL intact: the decoded parameter holds it exactly.
    #[test]
    fn intent_urls_round_trip_any_text(text in "[^\r\n]{1,200}") {
        let text = text.trim().to_string();
        prop_assume!(!text.is_empty());
        let permalink = "https://voices.example/posts/x/";
        let src = ShareSource {
            title: &text,
            permalink,
            summary: "",
            text: Some(&text),
            variants: &[],
            overrides: &[],
            hashtags: &[],
            disclosure: None,
            networks: &Network::ALL,
            utm: None,
        };
        let kit = share::build_kit(&src);
        for b in &kit.buttons {
            prop_assert!(b.href.is_ascii() && !b.href.contains(' '), "{}", b.href);
            let (param, want) = match b.network {
                Network::X | Network::Threads => ("text", text.clone()),
                Network::Bluesky | Network::Mastodon | Network::WhatsApp => ("text", format!("{text} {permalink}")),
                Network::Telegram => ("text", text.clone()),
                // Titles and subjects are one line: whitespace is collapsed.
                Network::Reddit => ("title", text.split_whitespace().collect::<Vec<_>>().join(" ")),
                Network::Email => ("subject", text.split_whitespace().collect::<Vec<_>>().join(" ")),
                Network::LinkedIn | Network::Facebook => continue,
            };
            let got = decode(&b.href, param);
            prop_assert_eq!(got.as_deref(), Some(want.as_str()), "{} {}", b.id, b.href);
        }
    }

    /// A slug is always empty or one safe path segment.
    #[test]
    fn slugs_are_one_safe_segment(text in any::<String>()) {
        let s = chorus::slug::slugify(&text);
        prop_assert!(!s.contains('/') && !s.contains('\\') && !s.contains('.') && !s.contains('\0'));
        prop_assert!(s.is_empty() || chorus::slug::is_safe_segment(&s));
        prop_assert!(!s.starts_with('-') && !s.ends_with('-'));
    }

    /// Sanitised HTML never holds script, event handlers or script-capable URLs.
    #[test]
    fn sanitised_html_is_inert(parts in proptest::collection::vec(prop_oneof![
        Just("<script>alert(1)</script>"), Just("<img src=x onerror=alert(1)>"), Just("<a href=\"javascript:alert(1)\">a</a>"),
        Just("<a href='JaVaScRiPt:alert(1)'>b</a>"), Just("<a href=\"vbscript:x\">c</a>"), Just("<iframe src=\"data:text/html,x\"></iframe>"),
        Just("<svg onload=alert(1)>"), Just("<p style=\"color:red\">s</p>"), Just("<scr<script>ipt>"), Just("</script>"),
        Just("<a href=\"java\tscript:x\">d</a>"), Just("<object data=x>"), Just("<body onload=x>"), Just("text & more"), Just("<b>ok</b>"),
    ], 1..8)) {
        let html = chorus::markdown::sanitize(&parts.concat());
        let lower = html.to_ascii_lowercase();
        prop_assert!(!lower.contains("<script") && !lower.contains("<iframe") && !lower.contains("<object"), "{}", html);
        prop_assert!(!lower.contains("onerror") && !lower.contains("onload"), "{}", html);
        for scheme in ["javascript:", "vbscript:", "data:"] {
            prop_assert!(!lower.contains(scheme), "{} in {}", scheme, html);
        }
        prop_assert!(!lower.contains("style="), "{}", html);
    }

    /// Reading generated front matter never panics, whatever the keys and values.
    #[test]
    fn loading_generated_front_matter_never_panics(
        entries in proptest::collection::vec((
            prop_oneof![
                prop::sample::select(vec!["title", "date", "author", "authors", "tags", "share", "via", "image", "image_alt", "slug",
                    "expires", "draft", "featured", "extra", "name", "consent", "links", "person", "starts", "ends", "location", "menu"])
                    .prop_map(str::to_string),
                "[a-z_]{1,8}",
            ],
            prop_oneof![Just("2026-11-03".to_string()), Just("[a, b]".to_string()), Just("{x: y, text: z}".to_string()),
                Just("true".to_string()), Just("9999-99-99".to_string()), Just("''".to_string()), Just("../../x".to_string()),
                Just("{url: javascript:x}".to_string()), Just("[[[[]]]]".to_string()), Just("~".to_string()), "[ -~]{0,30}"],
        ), 0..10),
        body in "[ -~\n]{0,200}",
    ) {
        let mut text = String::from("---\n");
        for (k, v) in &entries {
            text.push_str(&format!("{k}: {v}\n"));
        }
        text.push_str("---\n");
        text.push_str(&body);
        let zone = chrono::FixedOffset::east_opt(0).unwrap();
        for section in [Section::Posts, Section::People, Section::Causes, Section::Pages] {
            let found = Found { path: PathBuf::from("/hub/content").join(section.dir()).join("x.md"), section, bundle_dir: None, assets: Vec::new(), translation: None };
            let (_, diags) = content::load_bytes(Path::new("/hub"), &found, zone, text.clone().into_bytes());
            for d in diags {
                let want = format!("content/{}/x.md", section.dir());
                prop_assert!(!d.message.is_empty() && d.file == want, "{:?}", d);
            }
        }
    }
}

//! The share kit works with JavaScript off (DESIGN.md §5: progressive enhancement): the
//! network links are plain links, the messages can be read and copied by hand, and the
//! buttons that need the script stay out of the way.

use serde::Deserialize;

use crate::harness::{Env, Js};

/// Where each network's link must lead (DESIGN.md §5, "Intent URLs").
const INTENTS: &[(&str, &str)] = &[
    ("linkedin", "https://www.linkedin.com/sharing/share-offsite/?url="),
    ("x", "https://x.com/intent/tweet?"),
    ("bluesky", "https://bsky.app/intent/compose?text="),
    ("mastodon", "https://share.joinmastodon.org/?text="),
    ("threads", "https://www.threads.com/intent/post?text="),
    ("facebook", "https://www.facebook.com/sharer/sharer.php?u="),
    ("reddit", "https://www.reddit.com/submit?url="),
    ("whatsapp", "https://wa.me/?text="),
    ("telegram", "https://t.me/share/url?url="),
    ("email", "mailto:?subject="),
];

/// A post and a cause: both have a share kit, and the demo enables all ten networks.
const PAGES: &[(&str, &str)] = &[
    (
        "/posts/testing-the-portal-with-a-screen-reader/",
        "https://voices.tidewell.example/posts/testing-the-portal-with-a-screen-reader/",
    ),
    ("/causes/larkford-river-run/", "https://voices.tidewell.example/causes/larkford-river-run/"),
];

#[derive(Deserialize, Debug)]
struct Link {
    network: String,
    tag: String,
    href: String,
    visible: bool,
    handlers: Vec<String>,
    target: String,
    rel: String,
}

#[derive(Deserialize, Debug)]
struct Kit {
    links: Vec<Link>,
    /// (hidden attribute, rendered) of every copy button.
    copy_buttons: Vec<(bool, bool)>,
    native_share: Vec<(bool, bool)>,
    /// (visible, editable, value) of every message.
    messages: Vec<(bool, bool, String)>,
}

const KIT: &str = r#"(() => {
  const shown = e => e.checkVisibility() && e.getBoundingClientRect().width > 0;
  return {
    links: [...document.querySelectorAll(".share-kit .share-networks .share-network")].map(li => {
      const a = li.querySelector(".share-link") || li.firstElementChild;
      return {
        network: [...li.classList].filter(c => c.startsWith("share-") && c !== "share-network").map(c => c.slice(6)).join(" "),
        tag: a.tagName.toLowerCase(), href: a.getAttribute("href") || "", visible: shown(a),
        handlers: [...a.attributes].filter(x => /^on/i.test(x.name)).map(x => x.name),
        target: a.getAttribute("target") || "", rel: a.getAttribute("rel") || "",
      };
    }),
    copy_buttons: [...document.querySelectorAll("button.copy-button")].map(b => [b.hidden, shown(b)]),
    native_share: [...document.querySelectorAll("button.native-share")].map(b => [b.hidden, shown(b)]),
    messages: [...document.querySelectorAll("textarea.share-message")].map(t => [shown(t), !t.readOnly && !t.disabled, t.value]),
  };
})()"#;

#[test]
fn share_kit_works_without_javascript() {
    let Some(env) = Env::start() else { return };
    let page = env.page(Js::Disabled);
    for (path, permalink) in PAGES {
        page.goto(path);
        // Scripts really are off: the parser treats <noscript> as markup only then.
        let off: bool = page.eval(
            "(() => { const d = document.createElement('div'); d.innerHTML = '<noscript><b></b></noscript>'; \
             return d.querySelector('b') !== null; })()",
        );
        assert!(off, "JavaScript is not disabled on {path}");

        let kit: Kit = page.eval(KIT);
        let encoded: String = page.eval(&format!("encodeURIComponent({})", serde_json::Value::from(*permalink)));

        let mut networks: Vec<&str> = kit.links.iter().map(|l| l.network.as_str()).collect();
        networks.sort_unstable();
        let mut expected: Vec<&str> = INTENTS.iter().map(|(id, _)| *id).collect();
        expected.sort_unstable();
        assert_eq!(networks, expected, "the networks in the share kit of {path}");
        for link in &kit.links {
            let (_, prefix) = INTENTS.iter().find(|(id, _)| *id == link.network).unwrap();
            assert_eq!(link.tag, "a", "{} on {path} is not a link: {link:?}", link.network);
            assert!(
                link.href.starts_with(prefix),
                "{} on {path} should start with {prefix}: {}",
                link.network,
                link.href
            );
            assert!(
                link.href.contains(&encoded),
                "{} on {path} does not carry the permalink: {}",
                link.network,
                link.href
            );
            assert!(link.visible, "the {} link on {path} is not visible", link.network);
            assert!(
                link.handlers.is_empty(),
                "the {} link on {path} relies on script: {:?}",
                link.network,
                link.handlers
            );
            if link.target == "_blank" {
                assert!(
                    link.rel.split_whitespace().any(|r| r == "noopener"),
                    "{} opens a window without noopener",
                    link.network
                );
            }
        }

        assert!(!kit.copy_buttons.is_empty(), "no copy buttons on {path}");
        for (n, (hidden, shown)) in kit.copy_buttons.iter().enumerate() {
            assert!(*hidden && !*shown, "copy button {} on {path} shows without JavaScript (it cannot work)", n + 1);
        }
        for (hidden, shown) in &kit.native_share {
            assert!(*hidden && !*shown, "the native share button on {path} shows without JavaScript");
        }
        assert_eq!(kit.messages.len(), kit.copy_buttons.len(), "one message per copy button on {path}");
        for (n, (shown, editable, text)) in kit.messages.iter().enumerate() {
            assert!(*shown, "message {} on {path} is not visible", n + 1);
            assert!(*editable, "message {} on {path} cannot be edited", n + 1);
            assert!(text.contains(permalink), "message {} on {path} lacks the permalink: {text:?}", n + 1);
        }
    }

    // Still nothing from elsewhere, and no policy complaints, with scripts off.
    assert!(page.foreign_requests().is_empty(), "requests to other origins: {:#?}", page.foreign_requests());
    let recorded = page.recorded();
    let csp: Vec<_> = recorded.log.iter().filter(|e| e.text.contains("Content Security Policy")).collect();
    assert!(csp.is_empty(), "CSP messages with JavaScript off: {csp:#?}");
}

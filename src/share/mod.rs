//! Share kits: for one page, the copy text staff can share, one intent link
//! per social network, and the post's length as each network counts it.
//!
//! This module owns the public API and the kit as data: the networks, what a
//! page says about sharing ([`ShareSource`]), the kit ([`ShareKit`]) and its
//! entry points. The work is done in the submodules, each of which stays out
//! of the others' concerns:
//!
//! * `compose`: the messages and the intent URLs (encoding, UTM, email);
//! * `count`: the length of a post as each network counts it;
//! * `urls`: finding URLs in text, as twitter-text does.
//!
//! Nothing here renders HTML; templates render the [`ShareKit`]. Nothing here
//! does I/O either: every function is pure.

mod compose;
mod count;
mod fit;
mod urls;

use serde::{Deserialize, Serialize};

pub use compose::encode_component;
use compose::{bases, button, messages_from};
pub use count::{count, weighted_length_x};

/// A social network (or email) a page can be shared to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    LinkedIn,
    X,
    Bluesky,
    Mastodon,
    Threads,
    Facebook,
    Reddit,
    WhatsApp,
    Telegram,
    Email,
}

impl Network {
    pub const ALL: [Network; 10] = [
        Network::LinkedIn,
        Network::X,
        Network::Bluesky,
        Network::Mastodon,
        Network::Threads,
        Network::Facebook,
        Network::Reddit,
        Network::WhatsApp,
        Network::Telegram,
        Network::Email,
    ];

    /// The id used in configuration, CSS classes and UTM sources.
    pub fn id(self) -> &'static str {
        match self {
            Network::LinkedIn => "linkedin",
            Network::X => "x",
            Network::Bluesky => "bluesky",
            Network::Mastodon => "mastodon",
            Network::Threads => "threads",
            Network::Facebook => "facebook",
            Network::Reddit => "reddit",
            Network::WhatsApp => "whatsapp",
            Network::Telegram => "telegram",
            Network::Email => "email",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Network::LinkedIn => "LinkedIn",
            Network::X => "X",
            Network::Bluesky => "Bluesky",
            Network::Mastodon => "Mastodon",
            Network::Threads => "Threads",
            Network::Facebook => "Facebook",
            Network::Reddit => "Reddit",
            Network::WhatsApp => "WhatsApp",
            Network::Telegram => "Telegram",
            Network::Email => "Email",
        }
    }

    /// Parses an exact (lowercase) id.
    pub fn from_id(id: &str) -> Option<Network> {
        Network::ALL.into_iter().find(|n| n.id() == id)
    }

    /// The post length limit, in the unit [`count()`] uses for this network.
    pub fn limit(self) -> Option<usize> {
        match self {
            Network::X => Some(280),
            Network::Bluesky => Some(300),
            Network::Mastodon | Network::Threads => Some(500),
            Network::LinkedIn => Some(3000),
            _ => None,
        }
    }

    /// Whether the network's intent accepts text; LinkedIn and Facebook take
    /// only the URL, so the kit offers the copy text beside them instead.
    pub fn takes_text(self) -> bool {
        !matches!(self, Network::LinkedIn | Network::Facebook)
    }
}

/// UTM tags for the shared link. Site-wide, never per person.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Utm {
    /// `utm_source`; defaults to the network id.
    pub source: Option<String>,
    /// `utm_medium`; defaults to `social`.
    pub medium: Option<String>,
    /// `utm_campaign`; omitted when absent.
    pub campaign: Option<String>,
}

/// What a page says about sharing it.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct ShareSource<'a> {
    /// Page title: Reddit's title and the email subject.
    pub title: &'a str,
    /// Absolute URL of the page.
    pub permalink: &'a str,
    /// Plain-text summary, the message when there is no `text`.
    pub summary: &'a str,
    /// `share.text`.
    pub text: Option<&'a str>,
    /// `share.variants`: more suggested base texts.
    pub variants: &'a [String],
    /// Per-network base texts; the first for a network wins.
    pub overrides: &'a [(Network, String)],
    /// Hashtags, with or without a leading `#`.
    pub hashtags: &'a [String],
    /// The site's disclosure (e.g. `#AcmeEmployee`): `Some` for posts, `None` for causes.
    pub disclosure: Option<&'a str>,
    /// The buttons, in order.
    pub networks: &'a [Network],
    pub utm: Option<&'a Utm>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShareKit {
    /// The permalink, untagged.
    pub url: String,
    /// The primary message first, then one per variant.
    pub messages: Vec<Message>,
    pub buttons: Vec<Button>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    /// The full copy text: base text, hashtags, disclosure and URL.
    pub text: String,
    pub primary: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Button {
    pub network: Network,
    pub id: &'static str,
    pub label: &'static str,
    /// The intent link (or `mailto:`).
    pub href: String,
    /// The post as composed for this network, URL included; `None` where the
    /// network takes no text.
    pub text: Option<String>,
    /// `None` where the network has no limit.
    pub length: Option<Length>,
    /// The page's own message for this network (`share.<network>`), composed as the copy
    /// text is (hashtags, disclosure, link), for networks with and without text; else `None`.
    pub own_message: Option<String>,
    /// The link as shared to this network (UTM-tagged when the site asks for it).
    pub url: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Length {
    pub used: usize,
    pub limit: usize,
    pub over: bool,
}

/// Builds the share kit of one page.
///
/// The primary message is `share.text`, else the summary; blank texts are
/// dropped, so if both are blank the first variant becomes primary, and if
/// everything is blank the primary message is just hashtags, disclosure and
/// link. Messages carry the permalink, UTM-tagged only when `utm.source` is
/// set: without a network there is no default source.
pub fn build_kit(src: &ShareSource) -> ShareKit {
    let bases = bases(src);
    let messages = messages_from(src, &bases);
    let primary_copy = messages.first().map_or("", |m| m.text.as_str());
    let buttons = src.networks.iter().map(|&network| button(src, network, bases[0], primary_copy)).collect();
    ShareKit { url: src.permalink.to_string(), messages, buttons }
}

/// The suggested messages of a kit alone, without its buttons (for the digest).
pub fn messages(src: &ShareSource) -> Vec<Message> {
    messages_from(src, &bases(src))
}

/// The buttons whose post is over the network's limit, for build warnings.
pub fn over_limit(kit: &ShareKit) -> Vec<(Network, Length)> {
    kit.buttons.iter().filter_map(|b| b.length.filter(|l| l.over).map(|l| (b.network, l))).collect()
}

#[cfg(test)]
mod tests {
    //! Kit-wide tests, and the fixtures the submodules' tests share.
    use super::count::{weighted_length, EmojiParsing};
    use super::*;
    use percent_encoding::percent_decode_str;

    pub(super) fn source<'a>(networks: &'a [Network]) -> ShareSource<'a> {
        ShareSource {
            title: "A title",
            permalink: "https://example.com/p/",
            summary: "The summary.",
            networks,
            ..ShareSource::default()
        }
    }

    fn decode(value: &str) -> String {
        percent_decode_str(value).decode_utf8().expect("UTF-8 after decoding").into_owned()
    }

    /// Splits an intent link into its base and raw (still encoded) parameters,
    /// checking each value uses only unreserved characters, `%XX` and (in X's
    /// hashtags) commas.
    pub(super) fn split_href(href: &str) -> (&str, Vec<(&str, &str)>) {
        let (base, query) = href.split_once('?').expect("query string");
        let params: Vec<(&str, &str)> = query.split('&').map(|kv| kv.split_once('=').expect("key=value")).collect();
        for (key, value) in &params {
            let bytes = value.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                let b = bytes[i];
                if b == b'%' {
                    assert!(
                        bytes.len() > i + 2
                            && bytes[i + 1..i + 3].iter().all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(h)),
                        "bad escape in {key}={value}"
                    );
                    i += 3;
                    continue;
                }
                let comma_ok = *key == "hashtags" && b == b',';
                assert!(
                    b.is_ascii_alphanumeric() || b"-._~".contains(&b) || comma_ok,
                    "unencoded {:?} in {key}={value}",
                    b as char
                );
                i += 1;
            }
        }
        (base, params)
    }

    pub(super) fn decoded_params(href: &str) -> (String, Vec<(String, String)>) {
        let (base, params) = split_href(href);
        let params = params.into_iter().map(|(k, v)| (k.to_string(), decode(v))).collect();
        (base.to_string(), params)
    }

    #[test]
    fn network_ids_labels_and_order() {
        let ids: Vec<&str> = Network::ALL.iter().map(|n| n.id()).collect();
        assert_eq!(
            ids,
            ["linkedin", "x", "bluesky", "mastodon", "threads", "facebook", "reddit", "whatsapp", "telegram", "email"]
        );
        let labels: Vec<&str> = Network::ALL.iter().map(|n| n.label()).collect();
        assert_eq!(
            labels,
            ["LinkedIn", "X", "Bluesky", "Mastodon", "Threads", "Facebook", "Reddit", "WhatsApp", "Telegram", "Email"]
        );
        for n in Network::ALL {
            assert_eq!(Network::from_id(n.id()), Some(n));
            let json = serde_json::to_string(&n).expect("serialize");
            assert_eq!(json, format!("\"{}\"", n.id()));
        }
        assert_eq!(Network::from_id("LinkedIn"), None);
        assert_eq!(Network::from_id(" x"), None);
        assert_eq!(Network::from_id(""), None);
    }

    #[test]
    fn limits_and_text_support() {
        let limits: Vec<Option<usize>> = Network::ALL.iter().map(|n| n.limit()).collect();
        assert_eq!(limits, [Some(3000), Some(280), Some(300), Some(500), Some(500), None, None, None, None, None]);
        for n in Network::ALL {
            let expected = !matches!(n, Network::LinkedIn | Network::Facebook);
            assert_eq!(n.takes_text(), expected, "{n:?}");
        }
    }

    #[test]
    fn lengths_flag_posts_over_the_limit() {
        let text = "word ".repeat(60); // 299 characters once trimmed
        let networks =
            [Network::X, Network::Bluesky, Network::Mastodon, Network::Threads, Network::LinkedIn, Network::Reddit];
        let kit = build_kit(&ShareSource { text: Some(&text), ..source(&networks) });
        for b in &kit.buttons {
            match (b.network, b.length) {
                (Network::LinkedIn, Some(l)) => {
                    assert_eq!(l.used, count(Network::LinkedIn, &kit.messages[0].text))
                }
                (_, Some(l)) => {
                    let text = b.text.as_deref().expect("text");
                    assert_eq!(l.used, count(b.network, text));
                    assert_eq!(Some(l.limit), b.network.limit());
                    assert_eq!(l.over, l.used > l.limit);
                }
                (network, None) => assert_eq!(network.limit(), None),
            }
        }
        let over: Vec<Network> = over_limit(&kit).into_iter().map(|(n, _)| n).collect();
        assert_eq!(over, [Network::X, Network::Bluesky]);
        let (_, x) = over_limit(&kit)[0];
        assert_eq!(x, Length { used: 299 + 1 + 23, limit: 280, over: true });
    }

    /// A tiny deterministic generator, so the fuzz cases are reproducible.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, bound: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            usize::try_from(self.0 >> 33).unwrap_or(0) % bound
        }
    }

    #[test]
    fn no_panics_on_awkward_input() {
        let pieces = [
            "http",
            "https://",
            "HTTP://",
            "://",
            ":",
            "/",
            ".",
            "..",
            "-",
            "_",
            "xn--",
            "(",
            ")",
            "?",
            "&",
            "=",
            "#",
            "@",
            "a",
            "Z",
            "0",
            "9",
            " ",
            "\n",
            "\r\n",
            "\r",
            "\t",
            "é",
            "e\u{301}",
            "\u{301}",
            "\u{200D}",
            "\u{FE0F}",
            "\u{20E3}",
            "👍",
            "🏽",
            "🇯",
            "中",
            "あ",
            "ع",
            "\u{E0067}",
            "\u{E007F}",
            "\u{202A}",
            "\u{FFFF}",
            "\u{10FFFF}",
            "\0",
            "%",
            "+",
            "com",
            "例え",
            "пример",
            "~",
            "–",
            "'",
            "\"",
        ];
        let mut rng = Lcg(42);
        for _ in 0..1000 {
            let len = rng.next(40);
            let text: String = (0..len).map(|_| pieces[rng.next(pieces.len())]).collect();
            for network in Network::ALL {
                let n = count(network, &text);
                assert!(n <= 23 * text.chars().count().max(1), "{text:?}");
            }
            let _ = weighted_length(&text, EmojiParsing::Disabled);
            let hashtags = vec![text.clone()];
            let overrides = vec![(Network::X, text.clone())];
            let variants = vec![text.clone()];
            let utm = Utm { source: Some(text.clone()), medium: None, campaign: Some(text.clone()) };
            let kit = build_kit(&ShareSource {
                title: &text,
                permalink: &text,
                summary: &text,
                text: Some(&text),
                variants: &variants,
                overrides: &overrides,
                hashtags: &hashtags,
                disclosure: Some(&text),
                networks: &Network::ALL,
                utm: Some(&utm),
            });
            for b in &kit.buttons {
                let _ = decoded_params(&b.href);
            }
        }

        // Empty everything.
        let kit = build_kit(&ShareSource { networks: &Network::ALL, ..ShareSource::default() });
        assert_eq!(kit.messages, [Message { text: String::new(), primary: true }]);
        assert_eq!(kit.buttons.len(), 10);
        assert!(over_limit(&kit).is_empty());

        // Lone and piled-up combining marks.
        let marks = "\u{301}".repeat(1000);
        assert_eq!(weighted_length_x(&marks), 1000);
        assert_eq!(count(Network::Bluesky, &marks), 1);

        // Huge input.
        const HUGE: usize = 20_000;
        let huge = format!("{} https://example.com/x ", "ab👍🏽中 ".repeat(HUGE));
        assert_eq!(weighted_length_x(&huge), HUGE * 7 + 1 + 23 + 1);
        let kit = build_kit(&ShareSource { text: Some(&huge), ..source(&Network::ALL) });
        assert_eq!(over_limit(&kit).len(), 5);
    }

    #[test]
    fn kit_serializes_for_templates() {
        let networks = [Network::LinkedIn, Network::WhatsApp];
        let kit = build_kit(&source(&networks));
        let json = serde_json::to_value(&kit).expect("serialize");
        assert_eq!(json["url"], "https://example.com/p/");
        assert_eq!(json["messages"][0]["primary"], true);
        assert_eq!(json["buttons"][0]["network"], "linkedin");
        assert_eq!(json["buttons"][0]["id"], "linkedin");
        assert_eq!(json["buttons"][0]["label"], "LinkedIn");
        assert_eq!(json["buttons"][0]["text"], serde_json::Value::Null);
        assert_eq!(json["buttons"][0]["length"]["limit"], 3000);
        assert_eq!(json["buttons"][0]["length"]["over"], false);
        assert_eq!(json["buttons"][1]["network"], "whatsapp");
        assert_eq!(json["buttons"][1]["length"], serde_json::Value::Null);
    }
}

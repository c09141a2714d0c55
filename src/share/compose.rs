//! Composing a kit's messages and each network's intent URL: the base texts,
//! hashtags and disclosure, the UTM-tagged link, strict percent-encoding and
//! RFC 6068 `mailto:` bodies.
//!
//! It must not count lengths itself (it asks `count`) nor render HTML.
//!
//! How a message is composed (the same for every network, so a count on one
//! button is comparable with the copy text):
//!
//! ```text
//! <base text> #tag1 #tag2 <disclosure> <url>
//! ```
//!
//! * the base text is the network's override, else `share.text`, else the
//!   summary; it is trimmed and its line breaks normalised to `\n`; a summary
//!   (which nobody wrote as a share text) is cut to fit each network's limit
//!   (`fit`), the copy text to LinkedIn's, since it is what LinkedIn gets;
//! * the disclosure goes last, after a single space on the same line, so it
//!   stays next to the hashtags and survives networks that trim line breaks;
//! * a hashtag already in the base text, or the disclosure already in the
//!   text, is not repeated;
//! * the URL follows after a space, except in an email body, where a blank
//!   line separates it.
//!
//! X takes the hashtags in its own `hashtags` parameter rather than in the
//! text and inserts them itself, so its composer may order them differently
//! from the copy text; the count is the same.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::count::count;
use super::fit::fit;
use super::{Button, Length, Message, Network, ShareSource, Utm};

/// Everything but RFC 3986 unreserved characters is encoded, so a value is
/// safe in any query string (and in `mailto:`, which has no `+`-for-space).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `s` for a URL query value: everything but `A-Za-z0-9-._~`,
/// so spaces become `%20` (never `+`).
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// The base texts: the primary (share text, else summary), then the variants.
pub(super) fn bases<'s>(src: &ShareSource<'s>) -> Vec<&'s str> {
    let primary = non_blank(src.text).or_else(|| non_blank(Some(src.summary))).unwrap_or_default();
    let mut bases: Vec<&str> = std::iter::once(primary)
        .chain(src.variants.iter().map(String::as_str))
        .filter(|b| !b.trim().is_empty())
        .collect();
    if bases.is_empty() {
        bases.push("");
    }
    bases
}

/// Whether the primary base text is derived (from the summary or first paragraph) rather
/// than written as a share text: a derived text is fitted to each network's limit.
pub(super) fn derived(src: &ShareSource) -> bool {
    non_blank(src.text).is_none() && non_blank(Some(src.summary)).is_some()
}

/// A derived base text cut to fit `network`'s limit once composed by `compose` (`fit`).
fn fitted(base: &str, src: &ShareSource, network: Network, compose: impl Fn(&Draft) -> String) -> String {
    match network.limit() {
        Some(limit) => fit(base, src.disclosure, limit, |cut| count(network, &compose(&Draft::new(cut, src))) <= limit),
        None => base.to_string(),
    }
}

pub(super) fn messages_from(src: &ShareSource, bases: &[&str]) -> Vec<Message> {
    let copy_url = shared_url(src.permalink, src.utm, None);
    let compose = |draft: &Draft| join(&draft.body(), &copy_url, " ");
    bases
        .iter()
        .enumerate()
        .map(|(i, base)| {
            // The copy text is what LinkedIn gets (pasted), so a derived one fits LinkedIn.
            let base =
                if i == 0 && derived(src) { fitted(base, src, Network::LinkedIn, compose) } else { base.to_string() };
            Message { text: compose(&Draft::new(&base, src)), primary: i == 0 }
        })
        .collect()
}

/// A message before its link is attached.
struct Draft {
    base: String,
    /// Without `#`; those already in the base text are left out.
    tags: Vec<String>,
    /// Left out when the base text or hashtags already carry it.
    disclosure: Option<String>,
}

impl Draft {
    fn new(base: &str, src: &ShareSource) -> Draft {
        let base = normalize_newlines(base).trim().to_string();
        let lower_base = base.to_lowercase();
        let mut tags: Vec<String> = Vec::new();
        for tag in src.hashtags {
            let tag = tag.trim().trim_start_matches('#').trim();
            let lower = tag.to_lowercase();
            if tag.is_empty()
                || contains_word(&lower_base, &format!("#{lower}"))
                || tags.iter().any(|t| t.to_lowercase() == lower)
            {
                continue;
            }
            tags.push(tag.to_string());
        }
        let mut draft = Draft { base, tags, disclosure: None };
        let disclosure = src.disclosure.map(|d| normalize_newlines(d).trim().to_string()).filter(|d| !d.is_empty());
        if let Some(d) = disclosure {
            if !contains_word(&draft.body().to_lowercase(), &d.to_lowercase()) {
                draft.disclosure = Some(d);
            }
        }
        draft
    }

    /// Base text, hashtags and disclosure, as in the copy text.
    fn body(&self) -> String {
        let mut out = self.base.clone();
        for tag in &self.tags {
            push_word(&mut out, "#");
            out.push_str(tag);
        }
        if let Some(d) = &self.disclosure {
            push_word(&mut out, d);
        }
        out
    }

    /// X's `text` parameter: the hashtags travel separately.
    fn x_text(&self) -> String {
        let mut out = self.base.clone();
        if let Some(d) = &self.disclosure {
            push_word(&mut out, d);
        }
        out
    }
}

pub(super) fn button(src: &ShareSource, network: Network, primary: &str, primary_copy: &str) -> Button {
    let own = src.overrides.iter().find(|(n, text)| *n == network && !text.trim().is_empty());
    let url = shared_url(src.permalink, src.utm, Some(network));
    let separator = if network == Network::Email { "\n\n" } else { " " };
    let base = match own {
        Some((_, text)) => text.clone(),
        // Nobody wrote this text, so nobody can shorten it: it is cut to fit.
        None if derived(src) && network != Network::LinkedIn => {
            fitted(primary, src, network, |draft| join(&draft.body(), &url, separator))
        }
        None => primary.to_string(),
    };
    let draft = Draft::new(&base, src);
    let body = draft.body();
    let composed = join(&body, &url, separator);
    let enc = encode_component;
    let href = match network {
        Network::X => {
            let mut href = format!("https://x.com/intent/tweet?text={}&url={}", enc(&draft.x_text()), enc(&url));
            if !draft.tags.is_empty() {
                let tags: Vec<String> = draft.tags.iter().map(|t| enc(t)).collect();
                href.push_str("&hashtags=");
                href.push_str(&tags.join(","));
            }
            href
        }
        Network::LinkedIn => format!("https://www.linkedin.com/sharing/share-offsite/?url={}", enc(&url)),
        Network::Facebook => format!("https://www.facebook.com/sharer/sharer.php?u={}", enc(&url)),
        Network::Bluesky => format!("https://bsky.app/intent/compose?text={}", enc(&composed)),
        Network::Mastodon => format!("https://share.joinmastodon.org/?text={}", enc(&composed)),
        Network::Threads => format!("https://www.threads.com/intent/post?text={}&url={}", enc(&body), enc(&url)),
        Network::Reddit => {
            format!("https://www.reddit.com/submit?url={}&title={}", enc(&url), enc(&one_line(src.title)))
        }
        Network::WhatsApp => format!("https://wa.me/?text={}", enc(&composed)),
        Network::Telegram => format!("https://t.me/share/url?url={}&text={}", enc(&url), enc(&body)),
        // RFC 6068: line breaks in a body are CRLF.
        Network::Email => format!(
            "mailto:?subject={}&body={}",
            enc(&one_line(src.title)),
            enc(&normalize_newlines(&composed).replace('\n', "\r\n"))
        ),
    };
    // LinkedIn gets no text: what counts is the copy text the user pastes.
    let length = network.limit().map(|limit| {
        let counted = if network == Network::LinkedIn { primary_copy } else { &composed };
        let used = count(network, counted);
        Length { used, limit, over: used > limit }
    });
    Button {
        network,
        id: network.id(),
        label: network.label(),
        href,
        text: network.takes_text().then_some(composed),
        length,
        own_message: own.map(|_| join(&body, &url, " ")),
        url,
    }
}

/// The link as shared to `network` (`None`: network-neutral copy text).
fn shared_url(permalink: &str, utm: Option<&Utm>, network: Option<Network>) -> String {
    let Some(utm) = utm else {
        return permalink.to_string();
    };
    let Some(source) = non_blank(utm.source.as_deref()).or(network.map(Network::id)) else {
        return permalink.to_string();
    };
    let medium = non_blank(utm.medium.as_deref()).unwrap_or("social");
    // The query goes before any fragment.
    let (head, fragment) = permalink.split_at(permalink.find('#').unwrap_or(permalink.len()));
    let mut url = head.to_string();
    if !head.contains('?') {
        url.push('?');
    } else if !(head.ends_with('?') || head.ends_with('&')) {
        url.push('&');
    }
    url.push_str("utm_source=");
    url.push_str(&encode_component(source));
    url.push_str("&utm_medium=");
    url.push_str(&encode_component(medium));
    if let Some(campaign) = non_blank(utm.campaign.as_deref()) {
        url.push_str("&utm_campaign=");
        url.push_str(&encode_component(campaign));
    }
    url.push_str(fragment);
    url
}

fn non_blank(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn normalize_newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Titles go in a subject or title field, which has no line breaks.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

fn join(body: &str, url: &str, separator: &str) -> String {
    match (body.is_empty(), url.is_empty()) {
        (true, _) => url.to_string(),
        (false, true) => body.to_string(),
        (false, false) => format!("{body}{separator}{url}"),
    }
}

/// Whether `needle` occurs in `hay` as a whole word (not inside a longer
/// word or hashtag), so `#Acme` is not taken for `#AcmeEmployee`.
fn contains_word(hay: &str, needle: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    !needle.is_empty()
        && hay.match_indices(needle).any(|(i, _)| {
            let before = hay[..i].chars().next_back();
            let after = hay[i + needle.len()..].chars().next();
            before.is_none_or(|c| !is_word(c)) && after.is_none_or(|c| !is_word(c))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::build_kit;
    use crate::share::tests::{decoded_params, source, split_href};

    const AWKWARD: &str = "  Quotes \"double\" & 'single' — #hash +plus 100% a=b ?q\r\nNew line: \
        👨\u{200D}👩\u{200D}👧\u{200D}👦 🇯🇵 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} \
        中文 العربية e\u{301}\u{301}\n  ";
    /// `AWKWARD` trimmed, its CRLF made LF.
    const AWKWARD_BASE: &str = "Quotes \"double\" & 'single' — #hash +plus 100% a=b ?q\nNew line: \
        👨\u{200D}👩\u{200D}👧\u{200D}👦 🇯🇵 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} \
        中文 العربية e\u{301}\u{301}";
    const PERMALINK: &str = "https://example.com/blog/hello-world/?ref=a&b=c#top";
    const TITLE: &str = "Tom & Jerry: \"100%\" + more?";

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn encode_component_is_strict() {
        assert_eq!(encode_component("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_component("a b"), "a%20b");
        assert_eq!(
            encode_component("+&=?#%/:,;@!*'()\"\n\r"),
            "%2B%26%3D%3F%23%25%2F%3A%2C%3B%40%21%2A%27%28%29%22%0A%0D"
        );
        assert_eq!(encode_component("é中👍"), "%C3%A9%E4%B8%AD%F0%9F%91%8D");
        assert_eq!(encode_component(""), "");
    }

    #[test]
    fn round_trip_every_network() {
        let hashtags = strings(&["#Rust", "web_dev"]);
        let src = ShareSource {
            title: TITLE,
            permalink: PERMALINK,
            summary: "unused",
            text: Some(AWKWARD),
            hashtags: &hashtags,
            disclosure: Some("#AcmeEmployee"),
            networks: &Network::ALL,
            ..ShareSource::default()
        };
        let kit = build_kit(&src);
        let body = format!("{AWKWARD_BASE} #Rust #web_dev #AcmeEmployee");
        let composed = format!("{body} {PERMALINK}");
        let x_text = format!("{AWKWARD_BASE} #AcmeEmployee");
        let mail_body = format!("{body}\n\n{PERMALINK}").replace('\n', "\r\n");
        assert_eq!(kit.url, PERMALINK);
        assert_eq!(kit.messages, [Message { text: composed.clone(), primary: true }]);

        type Params = Vec<(String, String)>;
        let expected: [(Network, &str, Params); 10] = [
            (Network::LinkedIn, "https://www.linkedin.com/sharing/share-offsite/", p(&[("url", PERMALINK)])),
            (
                Network::X,
                "https://x.com/intent/tweet",
                p(&[("text", &x_text), ("url", PERMALINK), ("hashtags", "Rust,web_dev")]),
            ),
            (Network::Bluesky, "https://bsky.app/intent/compose", p(&[("text", &composed)])),
            (Network::Mastodon, "https://share.joinmastodon.org/", p(&[("text", &composed)])),
            (Network::Threads, "https://www.threads.com/intent/post", p(&[("text", &body), ("url", PERMALINK)])),
            (Network::Facebook, "https://www.facebook.com/sharer/sharer.php", p(&[("u", PERMALINK)])),
            (Network::Reddit, "https://www.reddit.com/submit", p(&[("url", PERMALINK), ("title", TITLE)])),
            (Network::WhatsApp, "https://wa.me/", p(&[("text", &composed)])),
            (Network::Telegram, "https://t.me/share/url", p(&[("url", PERMALINK), ("text", &body)])),
            (Network::Email, "mailto:", p(&[("subject", TITLE), ("body", &mail_body)])),
        ];
        assert_eq!(kit.buttons.len(), expected.len());
        for ((network, base, params), b) in expected.iter().zip(&kit.buttons) {
            assert_eq!(b.network, *network);
            assert_eq!(b.id, network.id());
            assert_eq!(b.label, network.label());
            let (got_base, got_params) = decoded_params(&b.href);
            assert_eq!(got_base, *base, "{network:?}");
            assert_eq!(&got_params, params, "{network:?}");
            let text = match network {
                Network::LinkedIn | Network::Facebook => None,
                Network::Email => Some(format!("{body}\n\n{PERMALINK}")),
                _ => Some(composed.clone()),
            };
            assert_eq!(b.text, text, "{network:?}");
        }
    }

    #[test]
    fn email_uses_percent20_and_crlf() {
        let networks = [Network::Email];
        let hashtags = strings(&["a\rb"]);
        let src = ShareSource {
            title: "Line one\nline two",
            text: Some("first\r\nsecond\rthird\nfourth + more"),
            hashtags: &hashtags,
            ..source(&networks)
        };
        let kit = build_kit(&src);
        let href = &kit.buttons[0].href;
        assert!(href.starts_with("mailto:?subject="));
        assert!(href.contains("%20"));
        assert!(href.contains("%0D%0A"));
        assert!(!href.contains('+'));
        // Every line break is CRLF: no bare LF or CR.
        assert!(!href.replace("%0D%0A", "").contains("%0A"));
        assert!(!href.replace("%0D%0A", "").contains("%0D"));
        let (_, params) = decoded_params(href);
        assert_eq!(
            params,
            p(&[
                ("subject", "Line one line two"),
                ("body", "first\r\nsecond\r\nthird\r\nfourth + more #a\r\nb\r\n\r\nhttps://example.com/p/"),
            ])
        );
    }

    #[test]
    fn x_takes_hashtags_in_their_own_parameter() {
        let networks = [Network::X];
        let hashtags = strings(&["rust", "#web", "日本"]);
        let src = ShareSource {
            text: Some("Hello"),
            hashtags: &hashtags,
            disclosure: Some("#AcmeEmployee"),
            ..source(&networks)
        };
        let kit = build_kit(&src);
        let b = &kit.buttons[0];
        let (_, raw) = split_href(&b.href);
        assert_eq!(raw.iter().find(|(k, _)| *k == "hashtags").map(|(_, v)| *v), Some("rust,web,%E6%97%A5%E6%9C%AC"));
        let (_, params) = decoded_params(&b.href);
        assert_eq!(params[0], ("text".into(), "Hello #AcmeEmployee".into()));
        // The count includes the hashtags X inserts: "Hello" 5, " #rust" 6,
        // " #web" 5, " #日本" 2 + 4, " #AcmeEmployee" 14, " " + URL 24.
        assert_eq!(b.length.map(|l| l.used), Some(5 + 6 + 5 + 6 + 14 + 24));

        let no_tags = build_kit(&ShareSource { text: Some("Hello"), ..source(&networks) });
        assert!(!no_tags.buttons[0].href.contains("hashtags"));
    }

    #[test]
    fn without_utm_the_link_is_the_permalink() {
        let src = ShareSource { permalink: PERMALINK, ..source(&Network::ALL) };
        let kit = build_kit(&src);
        for b in &kit.buttons {
            let (_, params) = decoded_params(&b.href);
            let url = params.iter().find(|(k, _)| k == "url" || k == "u").map(|(_, v)| v.clone());
            match b.network {
                Network::Bluesky | Network::Mastodon | Network::WhatsApp | Network::Email => {
                    assert!(params[params.len() - 1].1.ends_with(PERMALINK))
                }
                _ => assert_eq!(url.as_deref(), Some(PERMALINK), "{:?}", b.network),
            }
            assert!(!b.href.contains("utm_"));
        }
    }

    #[test]
    fn utm_defaults_to_network_and_social() {
        let utm = Utm::default();
        let networks = [Network::LinkedIn, Network::Bluesky];
        let kit = build_kit(&ShareSource { utm: Some(&utm), ..source(&networks) });
        let (_, params) = decoded_params(&kit.buttons[0].href);
        assert_eq!(params[0].1, "https://example.com/p/?utm_source=linkedin&utm_medium=social");
        assert_eq!(
            kit.buttons[1].text.as_deref(),
            Some("The summary. https://example.com/p/?utm_source=bluesky&utm_medium=social")
        );
        // No network for the copy text, so no default source: untagged.
        assert_eq!(kit.messages[0].text, "The summary. https://example.com/p/");
        assert_eq!(kit.url, "https://example.com/p/");
    }

    #[test]
    fn utm_explicit_values_existing_query_and_fragment() {
        let utm = Utm {
            source: Some("hub".into()),
            medium: Some("employee advocacy".into()),
            campaign: Some("launch&more".into()),
        };
        let tagged = "?utm_source=hub&utm_medium=employee%20advocacy&utm_campaign=launch%26more";
        let cases = [
            ("https://e.com/a", format!("https://e.com/a{tagged}")),
            ("https://e.com/a?x=1", format!("https://e.com/a?x=1&{}", &tagged[1..])),
            ("https://e.com/a?", format!("https://e.com/a?{}", &tagged[1..])),
            ("https://e.com/a?x=1&", format!("https://e.com/a?x=1&{}", &tagged[1..])),
            ("https://e.com/a#s", format!("https://e.com/a{tagged}#s")),
            ("https://e.com/a?x#s?t", format!("https://e.com/a?x&{}#s?t", &tagged[1..])),
        ];
        let networks = [Network::Facebook];
        for (permalink, expected) in cases {
            let kit = build_kit(&ShareSource { permalink, utm: Some(&utm), ..source(&networks) });
            let (_, params) = decoded_params(&kit.buttons[0].href);
            assert_eq!(params[0].1, expected);
            // An explicit source is network-neutral, so the copy text has it too.
            assert_eq!(kit.messages[0].text, format!("The summary. {expected}"));
            assert_eq!(kit.url, permalink);
        }
        let blank = Utm { source: Some(" ".into()), medium: Some(String::new()), campaign: Some("  ".into()) };
        let kit = build_kit(&ShareSource { utm: Some(&blank), ..source(&networks) });
        let (_, params) = decoded_params(&kit.buttons[0].href);
        assert_eq!(params[0].1, "https://example.com/p/?utm_source=facebook&utm_medium=social");
    }

    #[test]
    fn messages_primary_then_variants() {
        let variants = strings(&["Second take", "  \n\t ", "Third\r\ntake "]);
        let networks = [Network::Bluesky];
        let kit = build_kit(&ShareSource {
            text: Some("First take"),
            variants: &variants,
            disclosure: Some("#Acme"),
            ..source(&networks)
        });
        let texts: Vec<(&str, bool)> = kit.messages.iter().map(|m| (m.text.as_str(), m.primary)).collect();
        assert_eq!(
            texts,
            [
                ("First take #Acme https://example.com/p/", true),
                ("Second take #Acme https://example.com/p/", false),
                ("Third\ntake #Acme https://example.com/p/", false),
            ]
        );
        assert_eq!(kit.buttons[0].text.as_deref(), Some(texts[0].0));
    }

    #[test]
    fn blank_text_falls_back() {
        let networks = [Network::WhatsApp];
        let kit = build_kit(&ShareSource { text: Some("   "), ..source(&networks) });
        assert_eq!(kit.messages[0].text, "The summary. https://example.com/p/");

        let variants = strings(&["Only variant"]);
        let kit = build_kit(&ShareSource { summary: " ", variants: &variants, ..source(&networks) });
        assert_eq!(kit.messages.len(), 1);
        assert_eq!(kit.messages[0].text, "Only variant https://example.com/p/");
        assert!(kit.messages[0].primary);

        let hashtags = strings(&["tag"]);
        let kit = build_kit(&ShareSource {
            summary: "",
            hashtags: &hashtags,
            disclosure: Some("#Acme"),
            ..source(&networks)
        });
        assert_eq!(kit.messages, [Message { text: "#tag #Acme https://example.com/p/".into(), primary: true }]);
    }

    #[test]
    fn overrides_apply_to_their_own_button() {
        let overrides = vec![
            (Network::Mastodon, "For the fediverse".to_string()),
            (Network::Mastodon, "ignored, the first wins".to_string()),
            (Network::LinkedIn, "x".repeat(3000)),
            (Network::Bluesky, " \n ".to_string()),
        ];
        let networks = [Network::Mastodon, Network::Bluesky, Network::LinkedIn];
        let kit = build_kit(&ShareSource { text: Some("Default"), overrides: &overrides, ..source(&networks) });
        assert_eq!(kit.buttons[0].text.as_deref(), Some("For the fediverse https://example.com/p/"));
        // A blank override falls back to the primary text.
        assert_eq!(kit.buttons[1].text.as_deref(), Some("Default https://example.com/p/"));
        // LinkedIn counts the primary copy text, the one the kit offers to copy.
        let linkedin = kit.buttons[2].length.expect("LinkedIn has a limit");
        assert_eq!(linkedin.used, count(Network::LinkedIn, &kit.messages[0].text));
        assert!(!linkedin.over);
        assert_eq!(kit.buttons[2].text, None);
        assert_eq!(kit.messages.len(), 1);
    }

    #[test]
    fn hashtags_are_cleaned_and_not_repeated() {
        let hashtags = strings(&["#Rust", "rust", " ##web ", "", "#", "hash", "Hashes"]);
        let networks = [Network::Threads, Network::X];
        let kit = build_kit(&ShareSource { text: Some("Why #Hash matters"), hashtags: &hashtags, ..source(&networks) });
        assert_eq!(kit.messages[0].text, "Why #Hash matters #Rust #web #Hashes https://example.com/p/");
        let (_, params) = decoded_params(&kit.buttons[1].href);
        assert_eq!(params[2], ("hashtags".into(), "Rust,web,Hashes".into()));
    }

    #[test]
    fn disclosure_is_appended_once() {
        let networks = [Network::Bluesky, Network::X];
        let compose = |text: &str, tags: &[&str], disclosure: Option<&str>| {
            let hashtags = strings(tags);
            let kit = build_kit(&ShareSource {
                text: Some(text),
                hashtags: &hashtags,
                disclosure,
                permalink: "",
                ..source(&networks)
            });
            let (_, x) = decoded_params(&kit.buttons[1].href);
            (kit.messages[0].text.clone(), x[0].1.clone())
        };
        assert_eq!(
            compose("Hi", &["a"], Some(" #AcmeEmployee ")),
            ("Hi #a #AcmeEmployee".into(), "Hi #AcmeEmployee".into())
        );
        // Already in the text.
        assert_eq!(
            compose("Proud #AcmeEmployee!", &[], Some("#AcmeEmployee")),
            ("Proud #AcmeEmployee!".into(), "Proud #AcmeEmployee!".into())
        );
        // Already a hashtag: X carries it in the hashtags parameter.
        assert_eq!(compose("Hi", &["AcmeEmployee"], Some("#AcmeEmployee")), ("Hi #AcmeEmployee".into(), "Hi".into()));
        // A longer or shorter tag is not the disclosure.
        assert_eq!(
            compose("Hi #AcmeEmployees #Acme", &[], Some("#AcmeEmployee")).0,
            "Hi #AcmeEmployees #Acme #AcmeEmployee"
        );
        // Causes have none.
        assert_eq!(compose("Hi", &[], None).0, "Hi");
        assert_eq!(compose("Hi", &[], Some("  ")).0, "Hi");
    }
}

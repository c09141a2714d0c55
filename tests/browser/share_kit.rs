//! The share kit with JavaScript on: an edited message reaches every network's link, the
//! counts follow the edit as each network counts, networks without text copy then open, and
//! the script counts exactly as the build does (`chorus::share::count`).

use chorus::share::{count, Network};
use percent_encoding::percent_decode_str;
use serde::Deserialize;

use crate::harness::{Env, Js, Page, Scheme};

const POST: &str = "/posts/testing-the-portal-with-a-screen-reader/";
const PERMALINK: &str = "https://voices.tidewell.example/posts/testing-the-portal-with-a-screen-reader/";
const OWN_WORDS: &str = "In my own words: ten minutes with a screen reader finds what checks miss. ";

/// What a network's entry in the kit shows after the script ran.
#[derive(Deserialize, Debug)]
struct Entry {
    network: String,
    url: String,
    href: String,
    count: Option<String>,
    label: String,
}

fn entries(page: &Page) -> Vec<Entry> {
    page.eval(
        "[...document.querySelectorAll('.share-network')].map(li => ({ network: li.dataset.network, \
         url: li.dataset.url, href: li.querySelector('a.share-link').href, \
         count: li.querySelector('.share-count') ? li.querySelector('.share-count').textContent : null, \
         label: li.querySelector('.share-link').textContent.trim() }))",
    )
}

fn entry<'a>(entries: &'a [Entry], network: &str) -> &'a Entry {
    entries.iter().find(|e| e.network == network).unwrap_or_else(|| panic!("no {network} button"))
}

/// The decoded value of query parameter `key` in `href`.
fn param(href: &str, key: &str) -> String {
    let query = href.split_once('?').map_or("", |(_, q)| q);
    let raw = query
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no `{key}` in {href}"));
    percent_decode_str(raw).decode_utf8().expect("UTF-8").into_owned()
}

fn edit_first_message(page: &Page) -> String {
    page.click("#share-message-1");
    let _: serde_json::Value = page.eval("document.getElementById('share-message-1').setSelectionRange(0, 0)");
    page.type_text(OWN_WORDS);
    page.eval("document.getElementById('share-message-1').value")
}

#[test]
fn an_edited_message_reaches_every_network() {
    let Some(env) = Env::start() else { return };
    let page = env.page(Js::Enabled);
    page.emulate(1280, 900, false, Scheme::Light);
    page.goto(POST);

    let before = entries(&page);
    let edited = edit_first_message(&page);
    assert!(edited.starts_with(OWN_WORDS) && edited.contains(PERMALINK), "{edited:?}");
    let after = entries(&page);
    // The message without its link, as the networks that take the link apart get it.
    let text = edited.replace(PERMALINK, "").trim().to_string();

    let x = entry(&after, "x");
    assert!(x.href.starts_with("https://x.com/intent/tweet?"), "{}", x.href);
    assert_eq!(param(&x.href, "text"), text, "X must send the edited text");
    assert_eq!(param(&x.href, "url"), x.url);
    assert!(!x.href.contains("hashtags="), "the hashtags are in the edited text now: {}", x.href);
    let x_count = count(Network::X, &format!("{text} {}", x.url));
    let x_words = x.count.clone().unwrap_or_default();
    assert!(x_words.starts_with(&format!("{x_count} of 280 characters on X")), "{x_words:?} for {x_count}");

    let bluesky = entry(&after, "bluesky");
    let sent = param(&bluesky.href, "text");
    assert_eq!(sent, edited.replace(PERMALINK, &bluesky.url), "Bluesky must send the edited text");
    let bluesky_count = count(Network::Bluesky, &sent);
    let bluesky_words = bluesky.count.clone().unwrap_or_default();
    assert!(bluesky_words.starts_with(&format!("{bluesky_count} of 300 characters on Bluesky")), "{bluesky_words:?}");

    let email = entry(&after, "email");
    assert!(email.href.starts_with("mailto:?subject="), "{}", email.href);
    assert_eq!(param(&email.href, "body"), edited.replace(PERMALINK, &email.url).replace('\n', "\r\n"));
    assert_eq!(param(&email.href, "subject"), param(&entry(&before, "email").href, "subject"));

    for network in ["mastodon", "whatsapp", "threads", "telegram"] {
        let e = entry(&after, network);
        let decoded = percent_decode_str(&e.href).decode_utf8().expect("UTF-8").into_owned();
        assert!(decoded.contains(OWN_WORDS.trim()), "{network} does not send the edit: {}", e.href);
    }
    // Links that take no text are unchanged; their buttons say what they do.
    for network in ["linkedin", "facebook"] {
        assert_eq!(entry(&after, network).href, entry(&before, network).href);
        assert!(entry(&after, network).label.starts_with("Copy message, open "), "{:?}", entry(&after, network));
    }

    // Picking another message sends that one instead.
    let messages: usize = page.eval("document.querySelectorAll('input[name=share-pick]').length");
    assert!(messages >= 2, "the post has a variant to pick");
    page.click("label[for=share-pick-2]");
    let second: String = page.eval("document.getElementById('share-message-2').value");
    let bluesky = entry(&entries(&page), "bluesky").href.clone();
    assert_eq!(param(&bluesky, "text"), second.replace(PERMALINK, &entry(&after, "bluesky").url));

    let recorded = page.recorded();
    assert!(recorded.exceptions.is_empty(), "script errors: {:#?}", recorded.exceptions);
    assert!(recorded.violations.is_empty(), "CSP violations: {:#?}", recorded.violations);
}

#[test]
fn counts_read_as_words_and_explain_the_limit() {
    let Some(env) = Env::start() else { return };
    let page = env.page(Js::Enabled);
    page.goto(POST);
    page.click("#share-message-1");
    page.type_text(&"Far too long for X. ".repeat(15));
    let x = entry(&entries(&page), "x").count.clone().expect("X has a count");
    let over: bool = page.eval("document.querySelector('.share-x .share-count').classList.contains('over')");
    assert!(over, "an X post over 280 is marked: {x}");
    assert!(
        x.contains(" of 280 characters on X: ") && x.ends_with("too many. Shorten the message before you post it."),
        "{x}"
    );
    let used: usize = x.split(' ').next().and_then(|n| n.parse().ok()).expect("a number first");
    let too_many: usize =
        x.split(": ").nth(1).and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok()).expect("n");
    assert_eq!(used - 280, too_many, "{x}");
}

#[test]
fn networks_without_text_copy_the_message_then_open_the_composer() {
    let Some(env) = Env::start() else { return };
    env.grant_clipboard();
    let page = env.page(Js::Enabled);
    page.goto(POST);
    let edited = edit_first_message(&page);

    let _: serde_json::Value = page.eval("navigator.clipboard.writeText('(nothing copied)').then(() => null)");
    // Records whether the page let the link open, then keeps the test from leaving the machine.
    let _: serde_json::Value = page.eval(
        "document.addEventListener('click', e => { const a = e.target.closest('a'); if (!a) return; \
         window.__opened = { href: a.href, target: a.target, prevented: e.defaultPrevented }; e.preventDefault(); }); null",
    );
    page.click(".share-linkedin a.share-link");
    let mut copied = String::new();
    page.wait_for("the LinkedIn button to copy the message", || {
        copied = page.eval("navigator.clipboard.readText()");
        copied != "(nothing copied)"
    });
    assert_eq!(copied, edited, "LinkedIn's button copies the edited message");
    #[derive(Deserialize, Debug)]
    struct Opened {
        href: String,
        target: String,
        prevented: bool,
    }
    let opened: Opened = page.eval("window.__opened");
    assert!(!opened.prevented, "the page must let the link open LinkedIn's composer: {opened:?}");
    assert!(opened.href.starts_with("https://www.linkedin.com/sharing/share-offsite/?url="), "{opened:?}");
    assert_eq!(opened.target, "_blank");
    let mut status = String::new();
    page.wait_for("the LinkedIn status", || {
        status = page.eval("document.querySelector('.share-linkedin .share-status').textContent");
        !status.is_empty()
    });
    assert_eq!(status, "Copied — paste it in LinkedIn.");
}

/// The conformance cases of twitter-text, the unit cases of `count.rs` and `urls.rs`, and
/// generated awkward strings: the script must count each exactly as the build does.
fn cases() -> Vec<String> {
    let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/twitter-text/validate.yml"))
        .expect("conformance cases");
    let doc: serde_yaml::Value = serde_yaml::from_str(&yaml).expect("YAML");
    let mut cases: Vec<String> = Vec::new();
    if let Some(tests) = doc["tests"].as_mapping() {
        for (_, section) in tests {
            for case in section.as_sequence().into_iter().flatten() {
                if let Some(text) = case["text"].as_str() {
                    cases.push(text.to_string());
                }
            }
        }
    }
    assert!(cases.len() >= 44, "the conformance file has {} cases", cases.len());
    let extra = [
        "🇯🇵",
        "🇯",
        "🇯🇵🇫",
        "1\u{20E3}",
        "#\u{FE0F}\u{20E3}",
        "1\u{FE0F}",
        "©",
        "©\u{FE0F}",
        "™",
        "❤\u{FE0F}",
        "❤\u{FE0E}",
        "👍🏽",
        "👩\u{200D}💻",
        "👨\u{200D}👩\u{200D}👧\u{200D}👦",
        "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
        "a\u{200D}",
        "a\u{FE0F}",
        "\u{301}",
        "",
        "👍\u{FE0F}\u{301}",
        "e\u{301}\u{301}中文",
        "see https://example.com.",
        "(https://example.com/a_(b)_c)",
        "https://e.com/p?q=1&r=2.",
        "https://e.com/p?",
        "https://e.com:8080/x, and",
        "https://e.com:/x",
        "HTTPS://E.COM/A",
        "http://a.b.c.co.uk/#frag",
        "詳しくはhttps://example.com。",
        "x https://example.com/日本",
        "https://ru.wikipedia.org/wiki/Москва",
        "https://example.com.123/x",
        "https://xn--p1ai.xn--p1ai/",
        "https://例え.jp/",
        "xhttps://example.com",
        "#https://example.com",
        "https://localhost:8080/",
        "https://192.168.0.1/",
        "https://example.c",
        "https://-a.com",
        "https://",
        "https://e.com https://f.org",
        "a https://e.com+b",
        "https://bücher.de/x y",
        "Read https://example.com/a/long/path/that/counts/as/23?x=1 now",
    ];
    cases.extend(extra.iter().map(|s| s.to_string()));
    cases.push(format!("https://{}.com/x", "a".repeat(64)));
    cases.push(format!("https://{}.com/x", "a".repeat(63)));
    cases.push(format!("https://e.com/{}", "a".repeat(4096)));
    // Awkward mixtures, from a fixed seed.
    let pieces = [
        "http",
        "https://",
        "://",
        ":",
        "/",
        ".",
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
        " ",
        "\n",
        "é",
        "e\u{301}",
        "\u{200D}",
        "\u{FE0F}",
        "\u{20E3}",
        "👍",
        "🏽",
        "🇯",
        "中",
        "ع",
        "\u{E007F}",
        "\u{202A}",
        "com",
        "例え",
        "пример",
        "–",
        "'",
    ];
    let mut seed: u64 = 42;
    for _ in 0..300 {
        let mut next = |bound: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            usize::try_from(seed >> 33).unwrap_or(0) % bound
        };
        let len = next(30);
        cases.push((0..len).map(|_| pieces[next(pieces.len())]).collect());
    }
    cases
}

#[test]
fn the_script_counts_as_the_build_does() {
    let Some(env) = Env::start() else { return };
    let page = env.page(Js::Enabled);
    page.goto(POST);
    let cases = cases();
    let networks = [Network::X, Network::Bluesky, Network::Mastodon, Network::Threads, Network::LinkedIn];
    let ids: Vec<&str> = networks.iter().map(|n| n.id()).collect();
    let script = format!(
        "{}.map(t => {}.map(n => chorusCount.count(n, t)))",
        serde_json::Value::from(cases.clone()),
        serde_json::Value::from(ids.clone())
    );
    let counted: Vec<Vec<usize>> = page.eval(&script);
    let mut differences = Vec::new();
    for (text, js) in cases.iter().zip(&counted) {
        for (network, got) in networks.iter().zip(js) {
            let expected = count(*network, text);
            if *got != expected {
                differences.push(format!("{}: {text:?}: script {got}, build {expected}", network.id()));
            }
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} counts differ:\n{}",
        differences.len(),
        cases.len() * 5,
        differences.join("\n")
    );
}

#[test]
fn a_cause_time_is_also_shown_in_the_readers_zone() {
    let Some(env) = Env::start() else { return };
    let page = env.page(Js::Enabled);
    const GIG: &str = "/causes/the-low-meadows-january-gig/";
    let when = "document.querySelector('.cause-facts time').parentNode.textContent";

    // Where the written zone is the reader's, the time is shown once.
    page.set_timezone("UTC");
    page.goto(GIG);
    assert_eq!(page.eval::<String>(when), "Sat 16 January 2027, 19:30–22:30 (UTC)");

    page.set_timezone("Europe/Berlin");
    page.goto(GIG);
    let shown: String = page.eval(when);
    assert!(shown.starts_with("Sat 16 January 2027, 19:30–22:30 (UTC) · "), "{shown}");
    assert!(shown.contains("8:30") && shown.ends_with(" your time"), "{shown}");
}

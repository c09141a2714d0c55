//! How each network counts the length of a post: twitter-text's weighting
//! for X, grapheme clusters for Bluesky and Mastodon (with Mastodon's fixed
//! URL length), Unicode scalar values elsewhere.
//!
//! It must not compose or encode anything, and leaves finding URLs to `urls`.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::urls::find_urls;
use super::Network;

/// Length of a composed post (text, hashtags, disclosure and URL) as
/// `network` counts it:
///
/// * X: twitter-text v3 weighted length ([`weighted_length_x`]);
/// * Bluesky: extended grapheme clusters, URLs at full length;
/// * Mastodon: grapheme clusters, every http(s) URL as 23, as Mastodon's
///   `StatusLengthValidator` counts;
/// * everything else: Unicode scalar values.
pub fn count(network: Network, composed_with_url: &str) -> usize {
    match network {
        Network::X => weighted_length_x(composed_with_url),
        Network::Bluesky => composed_with_url.graphemes(true).count(),
        Network::Mastodon => mastodon_length(composed_with_url),
        _ => composed_with_url.chars().count(),
    }
}

/// twitter-text's weighted length under its v3 configuration: the text is
/// NFC-normalised; code points in 0–4351, 8192–8205, 8208–8223 and 8242–8247
/// count 1 and all others 2; an emoji sequence counts 2 however many code
/// points it has; every URL counts 23.
///
/// URLs are found as twitter-text finds those with an `http://` or
/// `https://` scheme; URLs without a scheme (`example.com`), which X also
/// counts as 23, are counted as text.
pub fn weighted_length_x(text: &str) -> usize {
    weighted_length(text, EmojiParsing::Enabled)
}

/// Mastodon counts grapheme clusters after replacing each URL with 23
/// placeholder characters.
fn mastodon_length(text: &str) -> usize {
    const PLACEHOLDER: &str = "xxxxxxxxxxxxxxxxxxxxxxx";
    let mut countable = String::with_capacity(text.len());
    let mut pos = 0;
    for url in find_urls(text) {
        countable.push_str(&text[pos..url.start]);
        countable.push_str(PLACEHOLDER);
        pos = url.end;
    }
    countable.push_str(&text[pos..]);
    countable.graphemes(true).count()
}

/// Weight of every URL (twitter-text `transformedURLLength`).
const URL_WEIGHT: usize = 23;

/// twitter-text's `emojiParsingEnabled`: off in its configuration v2, on in
/// v3. Only v3 is public; v2 is kept to run its conformance cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EmojiParsing {
    /// Every code point of an emoji sequence weighs on its own.
    // Only the v2 conformance cases count this way.
    #[cfg_attr(not(test), expect(dead_code))]
    Disabled,
    /// An emoji sequence weighs 2.
    Enabled,
}

/// twitter-text's weighted length, with or without its emoji parsing.
pub(super) fn weighted_length(text: &str, emoji: EmojiParsing) -> usize {
    let text: String = text.nfc().collect();
    let mut total = 0;
    let mut pos = 0;
    for url in find_urls(&text) {
        total += segment_weight(&text[pos..url.start], emoji) + URL_WEIGHT;
        pos = url.end;
    }
    total + segment_weight(&text[pos..], emoji)
}

fn segment_weight(text: &str, emoji: EmojiParsing) -> usize {
    text.graphemes(true).map(|g| grapheme_weight(g, emoji)).sum()
}

fn grapheme_weight(grapheme: &str, emoji: EmojiParsing) -> usize {
    let mut chars = grapheme.chars();
    if let (EmojiParsing::Enabled, Some(first)) = (emoji, chars.next()) {
        if let Some(rest) = emoji_sequence_rest(first, chars.as_str()) {
            return 2 + rest.chars().map(char_weight).sum::<usize>();
        }
    }
    grapheme.chars().map(char_weight).sum()
}

/// twitter-text config v3 `ranges`: these weigh 1, all else 2.
fn char_weight(c: char) -> usize {
    match u32::from(c) {
        0..=4351 | 8192..=8205 | 8208..=8223 | 8242..=8247 => 1,
        _ => 2,
    }
}

/// If a grapheme starting with `first` followed by `rest` begins with a
/// multi-code-point emoji sequence (UTS #51: flag, keycap, presentation,
/// modifier, tag or ZWJ sequence), returns what follows the sequence.
///
/// Single code points are left to [`char_weight`], which already gives every
/// emoji outside the 1-weight ranges 2; twitter-text likewise leaves bare
/// `#*0-9©®` at weight 1. twitter-text matches the RGI list of Unicode 12;
/// this follows the UTS #51 grammar instead, so newer and non-RGI sequences
/// count 2 as well.
fn emoji_sequence_rest(first: char, rest: &str) -> Option<&str> {
    if is_regional_indicator(first) {
        let mut it = rest.chars();
        return it.next().filter(|&c| is_regional_indicator(c)).map(|_| it.as_str());
    }
    if matches!(first, '#' | '*' | '0'..='9') {
        return rest.strip_prefix('\u{FE0F}').unwrap_or(rest).strip_prefix('\u{20E3}');
    }
    if rest.is_empty() || !is_pictographic(first) {
        return None;
    }
    let mut tail = rest;
    loop {
        let mut it = tail.chars();
        match it.next() {
            Some(c) if c == '\u{FE0F}' || is_emoji_modifier(c) || is_tag(c) => {}
            Some('\u{200D}') if it.next().is_some_and(is_pictographic) => {}
            _ => break,
        }
        tail = it.as_str();
    }
    (tail.len() < rest.len()).then_some(tail)
}

/// Whether `c` is Extended_Pictographic. unicode-segmentation has the table
/// but does not export it, so ask its rule GB11 instead: `c ZWJ 👦` is one
/// grapheme cluster exactly when `c` is Extended_Pictographic.
fn is_pictographic(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    let mut probe = String::with_capacity(12);
    probe.push(c);
    probe.push_str("\u{200D}\u{1F466}");
    probe.graphemes(true).nth(1).is_none()
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

fn is_emoji_modifier(c: char) -> bool {
    ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

fn is_tag(c: char) -> bool {
    ('\u{E0020}'..='\u{E007F}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Conformance cases from twitter-text (see the header of the file).
    const CONFORMANCE: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/twitter-text/validate.yml"));

    #[test]
    fn twitter_text_conformance() {
        let doc: serde_yaml::Value = serde_yaml::from_str(CONFORMANCE).expect("conformance YAML");
        // (section, emoji parsing): the first runs under config v2 in
        // twitter-text, the others under v3.
        let sections = [
            ("WeightedTweetsCounterTest", EmojiParsing::Disabled),
            ("WeightedTweetsWithDiscountedEmojiCounterTest", EmojiParsing::Enabled),
            ("UnicodeDirectionalMarkerCounterTest", EmojiParsing::Enabled),
        ];
        let mut ran = 0;
        let mut failures = Vec::new();
        for (section, emoji) in sections {
            let cases = doc["tests"][section].as_sequence().expect("section");
            for case in cases {
                let description = case["description"].as_str().expect("description");
                let text = case["text"].as_str().expect("text");
                let expected = case["expected"]["weightedLength"].as_u64().expect("length");
                let valid = case["expected"]["valid"].as_bool().expect("valid");
                let got = weighted_length(text, emoji);
                if u64::try_from(got).ok() != Some(expected) {
                    failures.push(format!("{section}: {description}: {got} != {expected}"));
                }
                let has_invalid = text.contains(['\u{FFFE}', '\u{FEFF}', '\u{FFFF}']);
                if !has_invalid && valid != (got <= 280) {
                    failures.push(format!("{section}: {description}: valid should be {valid}"));
                }
                ran += 1;
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
        assert_eq!(ran, 44);
    }

    #[test]
    fn x_counts_emoji_sequences_as_two() {
        let cases = [
            ("🇯🇵", 2),
            ("🇯", 2),
            ("🇯🇵🇫", 4),
            ("1\u{20E3}", 2),
            ("#\u{FE0F}\u{20E3}", 2),
            ("1\u{FE0F}", 3),
            ("©", 1),
            ("©\u{FE0F}", 2),
            ("™", 2),
            ("❤\u{FE0F}", 2),
            ("❤\u{FE0E}", 4),
            ("👍🏽", 2),
            ("👩\u{200D}💻", 2),
            ("👨\u{200D}👩\u{200D}👧\u{200D}👦", 2),
            ("🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}", 2),
            ("a\u{200D}", 2),
            ("a\u{FE0F}", 3),
            ("\u{301}", 1),
            ("", 0),
        ];
        for (text, expected) in cases {
            assert_eq!(weighted_length_x(text), expected, "{text:?}");
        }
        // Pictographic emoji followed by an unrelated combining mark.
        assert_eq!(weighted_length_x("👍\u{FE0F}\u{301}"), 3);
    }

    #[test]
    fn pictographic_probe() {
        for c in ['👍', '©', '®', '‼', '❤', '☺', '🏴', '\u{1FAE8}'] {
            assert!(is_pictographic(c), "{c:?}");
        }
        for c in ['a', '1', '#', 'é', '中', '\u{200D}', '\u{1F1EF}', '\u{301}', '\u{FE0F}'] {
            assert!(!is_pictographic(c), "{c:?}");
        }
    }

    #[test]
    fn bluesky_counts_graphemes_with_full_urls() {
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
        assert_eq!(count(Network::Bluesky, family), 1);
        assert_eq!(count(Network::Bluesky, "🇯🇵🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"), 2);
        assert_eq!(count(Network::Bluesky, "e\u{301}\u{301}中文"), 3);
        let url = "https://example.com/a/long/path/that/counts/in/full";
        assert_eq!(count(Network::Bluesky, &format!("Hi {url}")), 3 + url.len());
        assert_eq!(count(Network::Bluesky, ""), 0);
    }

    #[test]
    fn mastodon_counts_urls_as_23() {
        let url = "https://example.com/a/long/path/that/counts/as/23?x=1";
        assert_eq!(count(Network::Mastodon, url), 23);
        assert_eq!(count(Network::Mastodon, "http://e.co"), 23);
        assert_eq!(count(Network::Mastodon, &format!("Read {url} now")), 5 + 23 + 4);
        assert_eq!(count(Network::Mastodon, &format!("{url} {url}")), 23 + 1 + 23);
        // Graphemes, as Mastodon counts them.
        assert_eq!(count(Network::Mastodon, "👨\u{200D}👩\u{200D}👧 e\u{301}"), 3);
        // No scheme, no URL.
        assert_eq!(count(Network::Mastodon, "example.com"), 11);
    }

    #[test]
    fn others_count_scalar_values() {
        for network in [Network::Threads, Network::LinkedIn, Network::Facebook, Network::Email] {
            assert_eq!(count(network, "e\u{301}👍🏽 https://e.com"), 4 + 1 + 13);
        }
    }
}

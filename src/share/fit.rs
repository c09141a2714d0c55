//! Fitting a derived message to a network's limit: when nobody wrote a share text, the
//! message comes from the summary or the first paragraph, which may be too long for X or
//! Bluesky. Nobody can be asked to shorten a text they did not write, so it is cut.
//!
//! The cut keeps whole sentences when one or more fit; otherwise it ends at a word and adds
//! `…`. It never falls inside a URL, a hashtag or mention, the disclosure, or a grapheme
//! cluster. Whether a cut fits is asked of the caller, who composes the whole post (hashtags,
//! disclosure, link) and counts it as the network counts: this module neither composes nor
//! counts.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::urls::find_urls;

/// The ellipsis added after a cut inside a sentence.
pub const ELLIPSIS: char = '…';

/// `text` if it fits, else the longest cut of it that does (see the module comment), else
/// nothing (when not even a first word fits beside the rest of the post). `fits` says whether
/// a base text, once composed into a post, is within the limit; no cut falls inside `keep`
/// (the disclosure), wherever it occurs, in any case.
pub fn fit(text: &str, keep: Option<&str>, fits: impl Fn(&str) -> bool) -> String {
    let text = text.trim();
    if fits(text) {
        return text.to_string();
    }
    let mut protected = protected(text);
    if let Some(phrase) = keep.map(str::trim).filter(|p| !p.is_empty()) {
        let (hay, needle) = (text.to_lowercase(), phrase.to_lowercase());
        // Lowercasing keeps byte offsets in all but a few scripts; else match the case as written.
        let (hay, needle) =
            if hay.len() == text.len() { (hay, needle) } else { (text.to_string(), phrase.to_string()) };
        protected.extend(hay.match_indices(&needle).map(|(i, m)| i..i + m.len()));
    }
    let boundaries: std::collections::HashSet<usize> = text.grapheme_indices(true).map(|(i, _)| i).collect();
    let allowed = |at: usize| boundaries.contains(&at) && !protected.iter().any(|r| r.start < at && at < r.end);

    // Whole sentences: the longest run of them that fits.
    let sentence_ends: Vec<usize> = text
        .split_sentence_bound_indices()
        .map(|(i, s)| i + s.trim_end().len())
        .filter(|&end| end > 0 && end < text.len() && allowed(end))
        .collect();
    if let Some(cut) = longest(&sentence_ends, |&end| text[..end].to_string(), &fits) {
        return cut;
    }

    // Else words: first where a space follows, then (for scripts written without spaces)
    // wherever a word ends.
    let with_ellipsis = |end: usize| {
        let kept = text[..end].trim_end_matches(|c: char| c.is_whitespace() || ",;:–—-([{/\\\"'“‘«".contains(c));
        if kept.is_empty() {
            String::new()
        } else {
            format!("{kept}{ELLIPSIS}")
        }
    };
    let at_spaces: Vec<usize> =
        text.char_indices().filter(|&(i, c)| c.is_whitespace() && i > 0 && allowed(i)).map(|(i, _)| i).collect();
    if let Some(cut) = longest(&at_spaces, |&end| with_ellipsis(end), &fits) {
        return cut;
    }
    let word_ends: Vec<usize> = text
        .split_word_bound_indices()
        .map(|(i, w)| i + w.len())
        .filter(|&end| end < text.len() && allowed(end))
        .collect();
    if let Some(cut) = longest(&word_ends, |&end| with_ellipsis(end), &fits) {
        return cut;
    }
    String::new()
}

/// The longest candidate that fits (candidates are in increasing order). Longer cuts are
/// rarely shorter once composed, but can be (a hashtag cut from the text is added back after
/// it), so the search narrows by halves and then checks downwards.
fn longest(candidates: &[usize], cut: impl Fn(&usize) -> String, fits: &impl Fn(&str) -> bool) -> Option<String> {
    let ok = |i: usize| {
        let c = cut(&candidates[i]);
        (!c.is_empty() && fits(&c)).then_some(c)
    };
    // Where fitting ends, assuming the candidates that fit come first.
    let (mut lo, mut hi) = (0, candidates.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if ok(mid).is_some() {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    // Then the longest that really fits, below that point first.
    (0..lo).rev().find_map(ok).or_else(|| (lo..candidates.len()).rev().find_map(ok))
}

/// Byte ranges a cut may not fall inside: URLs (with or without a scheme), hashtags and
/// mentions. Whole words that hold `://`, `www.`, `#` or `@` are kept whole.
fn protected(text: &str) -> Vec<Range<usize>> {
    let mut ranges = find_urls(text);
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                let word = &text[s..i];
                if word.contains("://") || word.to_ascii_lowercase().contains("www.") || word.contains(['#', '@']) {
                    ranges.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn within(n: usize) -> impl Fn(&str) -> bool {
        move |s: &str| s.chars().count() <= n
    }

    #[test]
    fn a_text_that_fits_is_kept() {
        assert_eq!(fit("  Short enough.  ", None, within(20)), "Short enough.");
    }

    #[test]
    fn whole_sentences_first() {
        let text = "We rewrote the ingest. It took six weeks. Nothing was lost.";
        assert_eq!(fit(text, None, within(45)), "We rewrote the ingest. It took six weeks.");
        assert_eq!(fit(text, None, within(25)), "We rewrote the ingest.");
    }

    #[test]
    fn else_words_with_an_ellipsis() {
        let text = "We rewrote the service that takes in every meter reading, running old and new side by side.";
        assert_eq!(fit(text, None, within(40)), "We rewrote the service that takes in…");
        // Punctuation before the cut goes; the ellipsis counts.
        assert_eq!(fit(text, None, within(58)), "We rewrote the service that takes in every meter reading…");
        assert_eq!(fit("Supercalifragilistic", None, within(5)), "");
    }

    #[test]
    fn urls_hashtags_and_the_disclosure_are_never_cut() {
        let text = "Read https://example.com/a/very/long/path/indeed and #CommunityEnergy today";
        for n in 6..text.len() {
            let cut = fit(text, None, within(n));
            assert!(cut.chars().count() <= n, "{cut}");
            let kept = cut.trim_end_matches(ELLIPSIS);
            for token in ["https://example.com/a/very/long/path/indeed", "#CommunityEnergy"] {
                let partial = (1..token.len()).any(|k| kept.ends_with(&token[..k]) && !kept.ends_with(token));
                assert!(!partial, "{cut:?} cuts {token}");
            }
        }
        let text = "Proud that i work at Tidewell and we ship every day";
        assert_eq!(fit(text, Some("I work at Tidewell"), within(32)), "Proud that i work at Tidewell…");
        assert_eq!(fit(text, Some("I work at Tidewell"), within(28)), "Proud that…");
        assert_eq!(fit(text, None, within(28)), "Proud that i work at…");
    }

    #[test]
    fn graphemes_stay_whole() {
        let text = "Family 👨‍👩‍👧 day at the co-op 🇳🇴 with everyone who came along";
        for n in 1..text.chars().count() {
            let cut = fit(text, None, within(n));
            assert!(text.starts_with(cut.trim_end_matches(ELLIPSIS)), "{cut}");
            let kept = cut.trim_end_matches(ELLIPSIS);
            assert!(text[kept.len()..].graphemes(true).next().is_none_or(|_| text.is_char_boundary(kept.len())));
            assert!(text.grapheme_indices(true).any(|(i, _)| i == kept.len()) || kept.len() == text.len());
        }
    }

    #[test]
    fn scripts_without_spaces_are_cut_at_words() {
        let text = "私たちは毎日エネルギーの未来について考えています";
        let cut = fit(text, None, within(10));
        assert!(cut.ends_with(ELLIPSIS) && cut.chars().count() <= 10, "{cut}");
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::super::{build_kit, Network, ShareSource};
        use super::ELLIPSIS;

        const PIECES: &[&str] = &[
            "We",
            "rewrote",
            "the",
            "meter",
            "ingest",
            "service.",
            "It",
            "took",
            "six",
            "weeks!",
            "Why?",
            "https://example.com/a/long/path/to/a/page?with=query",
            "www.example.org/x",
            "#CommunityEnergy",
            "@ana@social.example",
            "👨‍👩‍👧",
            "🇳🇴",
            "e\u{301}",
            "中文字符",
            "エネルギー。",
            "ﷺ",
            "—",
            ",",
            "(see",
            "this)",
            "\u{600}",
            "I work at Acme",
            "#AcmeEmployee",
            "a",
            "supercalifragilisticexpialidocious",
            "\n",
            "  ",
        ];

        fn text() -> impl Strategy<Value = String> {
            proptest::collection::vec((0..PIECES.len(), any::<bool>()), 0..160).prop_map(|picks| {
                let mut s = String::new();
                for (i, space) in picks {
                    s.push_str(PIECES[i]);
                    if space {
                        s.push(' ');
                    }
                }
                s
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

            /// A cut is within the limit, the start of the text, and ends at a grapheme.
            #[test]
            fn a_cut_is_a_start_of_the_text_within_the_limit(text in text(), limit in 0usize..200) {
                let cut = super::fit(&text, None, |s| s.chars().count() <= limit);
                prop_assert!(cut.chars().count() <= limit);
                let text = text.trim();
                let kept = cut.strip_suffix(ELLIPSIS).unwrap_or(&cut);
                prop_assert!(text.starts_with(kept), "{cut:?} is not the start of {text:?}");
                prop_assert!(kept.is_empty() || kept.len() == text.len() || unicode_segmentation::UnicodeSegmentation::grapheme_indices(text, true).any(|(i, _)| i == kept.len()));
            }

            /// A derived message, once fitted, is never over any network's limit.
            #[test]
            fn a_fitted_message_is_always_within_the_limit(
                summary in text(),
                disclosure in prop_oneof![Just(None), Just(Some("#AcmeEmployee")), Just(Some("I work at Acme"))],
                tags in proptest::collection::vec(prop_oneof![Just("Solar".to_string()), Just("Rust".to_string())], 0..3),
            ) {
                let kit = build_kit(&ShareSource {
                    title: "T",
                    permalink: "https://voices.example.com/2016/05/09/survey/",
                    summary: &summary,
                    hashtags: &tags,
                    disclosure,
                    networks: &Network::ALL,
                    ..ShareSource::default()
                });
                for b in &kit.buttons {
                    if let Some(l) = b.length {
                        prop_assert!(!l.over, "{:?} is {} of {}: {:?}", b.network, l.used, l.limit, b.text);
                    }
                }
            }
        }
    }
}

//! Excerpts: a summary shortened for a card so that it ends where a reader expects, at the
//! end of a sentence or of a word, followed by an ellipsis, never in the middle of a word
//! ("take wh…") or of a hyphenated word ("cul-de-…").
//!
//! It works on plain text only and knows nothing of cards, HTML or templates.

use unicode_segmentation::UnicodeSegmentation;

/// The longest excerpt of a post on a card, in characters.
pub const POST_CARD: usize = 220;
/// The longest excerpt of a cause on a card.
pub const CAUSE_CARD: usize = 180;
/// The longest excerpt of a person's bio on the people page.
pub const PERSON_CARD: usize = 160;

/// The ellipsis that ends a shortened text.
const ELLIPSIS: char = '…';

/// `text` on one line, shortened to at most `max` user-perceived characters (grapheme
/// clusters), ellipsis included.
///
/// A text that fits is returned whole (its whitespace collapsed). Otherwise the cut falls,
/// by preference, after the last sentence that ends in the first `max - 1` characters, if
/// that keeps at least half of them; else after the last whole word, with trailing
/// punctuation such as `,` or `–` dropped; and only for a single word longer than `max`,
/// inside it. Shortened texts end with `…` (after a no-break space when the cut follows a
/// sentence, so that the ellipsis never starts a line alone).
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let graphemes: Vec<(usize, &str)> = text.grapheme_indices(true).collect();
    if graphemes.len() <= max {
        return text;
    }
    if max == 0 {
        return String::new();
    }
    // Room for the text before the ellipsis (and the no-break space of a sentence cut).
    let room = max - 1;
    let end_of = |i: usize| graphemes.get(i).map_or(text.len(), |&(at, _)| at);
    let prefix = &text[..end_of(room)];

    // The last sentence end: `.`, `!`, `?` or `…` (closing quotes or brackets may follow),
    // then a space, within the room left by the ` …`.
    let sentence_room = &text[..end_of(room.saturating_sub(1))];
    let min_keep = room / 2;
    let mut sentence_end = None;
    for (i, _) in sentence_room.match_indices(' ') {
        let before = sentence_room[..i].trim_end_matches(['"', '\'', '’', '”', ')', '»']);
        if before.ends_with(['.', '!', '?', '…']) && before.graphemes(true).count() >= min_keep {
            sentence_end = Some(i);
        }
    }
    if let Some(i) = sentence_end {
        return format!("{}\u{a0}{ELLIPSIS}", &text[..i]);
    }

    // The last whole word: the cut is at a space, or the prefix ends right before one.
    let at_word_end = text[prefix.len()..].starts_with(' ');
    let cut = if at_word_end { Some(prefix.len()) } else { prefix.rfind(' ') };
    let kept = match cut {
        Some(i) if i > 0 => text[..i].trim_end_matches(is_trailing_punctuation),
        _ => "",
    };
    if kept.is_empty() {
        // One word longer than `max`: cut inside it, at a grapheme boundary.
        return format!("{prefix}{ELLIPSIS}");
    }
    format!("{kept}{ELLIPSIS}")
}

/// Punctuation that must not stand right before an ellipsis: `word,…` reads as a typo.
fn is_trailing_punctuation(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—' | '(' | '[' | '“' | '‘' | '"' | '\'' | '/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graphemes(s: &str) -> usize {
        s.graphemes(true).count()
    }

    #[test]
    fn short_texts_stay_whole() {
        assert_eq!(excerpt("A short summary.", 180), "A short summary.");
        assert_eq!(excerpt("  spaced \n  out\ttext ", 180), "spaced out text");
        assert_eq!(excerpt("", 10), "");
        let exact = "x".repeat(10);
        assert_eq!(excerpt(&exact, 10), exact);
    }

    #[test]
    fn cuts_after_a_word_never_inside_one() {
        let text = "We learned to take what the meters send at face value, and it cost us a week.";
        let got = excerpt(text, 22);
        assert_eq!(got, "We learned to take…");
        assert!(graphemes(&got) <= 22);
        // The cut would fall inside "what": the whole word goes.
        assert_eq!(excerpt(text, 21), "We learned to take…");
        // A hyphenated word is one word.
        assert_eq!(excerpt("The house at the end of the cul-de-sac was first", 37), "The house at the end of the…");
    }

    #[test]
    fn a_cut_right_before_a_space_keeps_the_word() {
        assert_eq!(excerpt("one two three four", 8), "one two…");
        assert_eq!(excerpt("one two three four", 9), "one two…");
    }

    #[test]
    fn prefers_the_end_of_a_sentence() {
        let text = "The first sentence is here. The second one is much longer and goes on and on.";
        assert_eq!(excerpt(text, 40), "The first sentence is here.\u{a0}…");
        // Quotes and brackets may close a sentence.
        assert_eq!(excerpt("She said “it works.” And then everything broke again.", 40), "She said “it works.”\u{a0}…");
        // A sentence that keeps less than half the room loses to the last word.
        assert_eq!(excerpt("Hi. This text goes on for quite a while longer", 30), "Hi. This text goes on for…");
    }

    #[test]
    fn no_punctuation_before_the_ellipsis() {
        assert_eq!(excerpt("Apples, pears, plums – and more fruit than anyone", 17), "Apples, pears…");
        assert_eq!(excerpt("Apples, pears, plums – and more fruit than anyone", 23), "Apples, pears, plums…");
    }

    #[test]
    fn one_long_word_is_cut_at_a_grapheme() {
        assert_eq!(excerpt("Supercalifragilistic", 6), "Super…");
        // Never splits a grapheme cluster.
        let family = "👨\u{200D}👩\u{200D}👧";
        let got = excerpt(&family.repeat(5), 3);
        assert_eq!(got, format!("{family}{family}…"));
    }

    #[test]
    fn never_longer_than_asked() {
        let text = "Lorem ipsum dolor sit amet. Consectetur adipiscing elit, sed do eiusmod tempor. \
                    Incididunt ut labore et dolore magna aliqua, ut enim ad minim veniam.";
        for max in 1..graphemes(text) + 3 {
            let got = excerpt(text, max);
            assert!(graphemes(&got) <= max, "{max}: {got:?}");
            if graphemes(text) > max {
                assert!(got.ends_with(ELLIPSIS), "{max}: {got:?}");
            }
        }
        assert_eq!(excerpt(text, 0), "");
    }
}

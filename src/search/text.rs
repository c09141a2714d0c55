//! Words for the search index: how text is cut into terms, folded and stemmed. The theme's
//! `search.js` cuts a query the same way (`tokens`, `fold`, `cjk_bigrams` there mirror the
//! functions here); a change here must be made there too, and the tests of both pin it.
//!
//! - A word is a run of letters, digits and combining marks (`\p{L}\p{N}\p{M}` in
//!   JavaScript), taken from the lowercased text.
//! - Folding: NFKD, the combining diacritics U+0300–U+036F removed, NFC again, so `Wärme`,
//!   `WÄRME` and `warme` are one word.
//! - Chinese and Japanese have no spaces: every run of Han, Hiragana or Katakana characters
//!   becomes its overlapping character pairs (`東京都` → `東京`, `京都`), a single character
//!   stays itself. A query is cut the same way, so a word of two or more characters is found
//!   wherever its pairs occur in that order.
//! - Other words of one character are left out (`a`, `I`: in nearly every text), and so are
//!   words of more than `MAX_WORD` characters.
//! - Stemming (Snowball, through rust-stemmers) is applied to the lowercased word before
//!   folding, in the hub's `language`; the browser does not stem (see `mod.rs`).

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// The Snowball algorithm for a language tag (`de`, `de-AT`, `pt_BR`), if there is one.
pub fn algorithm(language: &str) -> Option<Algorithm> {
    let primary = language.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// A word's letters without case or accents: `Wärme` → `warme`.
pub fn fold(word: &str) -> String {
    let lower = word.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    lower.nfkd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)).nfc().collect()
}

/// Han, Hiragana and Katakana: scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x31F0..=0x31FF   // Katakana phonetic extensions
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0xFF66..=0xFF9F   // half-width Katakana
        | 0x20000..=0x2FA1F // CJK extensions B–F, compatibility supplement
    )
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// Longer runs of letters are not words (hashes, long identifiers, a hostile file's one
/// endless word) and are left out; `search.js` leaves them out of queries too.
pub const MAX_WORD: usize = 64;

/// One piece of a text: a word to stem, or a CJK pair (or single character) used as is.
#[derive(Debug, PartialEq, Eq)]
pub enum Token<'a> {
    Word(&'a str),
    Cjk(String),
}

/// Calls `each` with every token of `text` (lowercased NFC text is expected), in order.
pub fn tokens<'a>(text: &'a str, mut each: impl FnMut(Token<'a>)) {
    // Most texts of most hubs are ASCII: words are runs of ASCII letters and digits, found
    // byte by byte.
    if text.is_ascii() {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if (2..=MAX_WORD).contains(&(i - start)) {
                each(Token::Word(&text[start..i]));
            }
        }
        return;
    }
    for word in text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()) {
        // Most words of most hubs: no CJK to cut, and a length in bytes that is in letters.
        if word.is_ascii() {
            if (2..=MAX_WORD).contains(&word.len()) {
                each(Token::Word(word));
            }
            continue;
        }
        let mut rest = word;
        while let Some(c) = rest.chars().next() {
            let cjk = is_cjk(c);
            let end = rest.char_indices().find(|&(_, d)| is_cjk(d) != cjk).map_or(rest.len(), |(i, _)| i);
            let (run, tail) = rest.split_at(end);
            if cjk {
                let chars: Vec<char> = run.chars().collect();
                if chars.len() == 1 {
                    each(Token::Cjk(fold(run)));
                }
                for pair in chars.windows(2) {
                    each(Token::Cjk(fold(&pair.iter().collect::<String>())));
                }
            } else if (2..=MAX_WORD).contains(&run.chars().count()) {
                each(Token::Word(run));
            }
            rest = tail;
        }
    }
}

/// Stems words of one language, remembering the words it has seen (texts repeat them).
pub struct Stems {
    stemmer: Option<Stemmer>,
    seen: std::collections::HashMap<String, (String, String)>,
}

impl Stems {
    pub fn new(language: &str) -> Stems {
        Stems { stemmer: algorithm(language).map(Stemmer::create), seen: Default::default() }
    }

    /// `(form, stem)` of a lowercased word: both folded. The stem is the form itself when
    /// the language has no stemmer, or when stemming leaves less than two letters.
    pub fn of(&mut self, word: &str) -> (String, String) {
        if let Some(known) = self.seen.get(word) {
            return known.clone();
        }
        let form = fold(word);
        let stem = match &self.stemmer {
            // CJK pairs are not words of the language: they stay as they are.
            Some(s) if !word.starts_with(is_cjk) => fold(&s.stem(word)),
            _ => form.clone(),
        };
        let stem = if stem.chars().count() < 2 { form.clone() } else { stem };
        if self.seen.len() > 200_000 {
            self.seen.clear();
        }
        self.seen.insert(word.to_string(), (form.clone(), stem.clone()));
        (form, stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokens(&text.to_lowercase(), |t| {
            out.push(match t {
                Token::Word(w) => fold(w),
                Token::Cjk(s) => s,
            })
        });
        out
    }

    #[test]
    fn words_are_cut_at_anything_but_letters_and_digits() {
        assert_eq!(all("Don't stop: Q3 café-owners, a 2026!"), ["don", "stop", "q3", "cafe", "owners", "2026"]);
    }

    #[test]
    fn ascii_text_is_cut_as_any_other() {
        let text = "a bc, d3f--ghi  j 12 \u{e9}t\u{e9} x_y k";
        let mut ascii = Vec::new();
        tokens(text.split('\u{e9}').next().unwrap_or(""), |t| ascii.push(format!("{t:?}")));
        let mut any = Vec::new();
        tokens(text, |t| any.push(format!("{t:?}")));
        assert_eq!(ascii, ["Word(\"bc\")", "Word(\"d3f\")", "Word(\"ghi\")", "Word(\"12\")"]);
        assert_eq!(any[..4], ascii[..]);
        assert_eq!(any[4..], ["Word(\"\u{e9}t\u{e9}\")"]);
    }

    #[test]
    fn endless_words_are_left_out() {
        let long = "x".repeat(MAX_WORD + 1);
        assert_eq!(all(&format!("ok {long} {}", "y".repeat(MAX_WORD))), ["ok".to_string(), "y".repeat(MAX_WORD)]);
    }

    #[test]
    fn chinese_and_japanese_become_character_pairs() {
        assert_eq!(all("東京都で"), ["東京", "京都", "都で"]);
        assert_eq!(all("猫"), ["猫"]);
        assert_eq!(all("solar発電 test"), ["solar", "発電", "test"]);
    }

    #[test]
    fn folding_drops_case_and_accents_only() {
        assert_eq!(fold("WÄRMEPUMPE"), "warmepumpe");
        assert_eq!(fold("Ｆｕｌｌ"), "full");
        // Kana keep their voicing marks (they are not in U+0300–U+036F).
        assert_eq!(fold("ガ"), "ガ");
    }

    #[test]
    fn german_stems_meet_and_are_prefixes_of_the_forms() {
        let mut s = Stems::new("de-DE");
        let (form, stem) = s.of("wärmepumpen");
        assert_eq!(form, "warmepumpen");
        assert_eq!(stem, "warmepump");
        assert_eq!(s.of("wärmepumpe").1, stem);
    }

    #[test]
    fn a_language_without_a_stemmer_keeps_words_whole() {
        let mut s = Stems::new("ja");
        assert_eq!(s.of("tests"), ("tests".to_string(), "tests".to_string()));
        assert!(algorithm("en-GB").is_some() && algorithm("fr").is_some() && algorithm("es").is_some());
    }
}

//! Text for the cards: which characters the shipped fonts can draw, widths measured from the
//! fonts' own advances (skrifa), lines wrapped at word boundaries, then ellipsized.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// The fonts the cards are drawn with, shipped in the theme (OFL, see
/// `themes/default/fonts/OFL.txt`): Inter for Latin, Greek and Cyrillic, Noto Sans for
/// Arabic and Hebrew. No system font is ever loaded.
pub const FONTS: &[(&str, &[u8])] = &[
    ("InterDisplay-Bold.otf", include_bytes!("../../themes/default/fonts/InterDisplay-Bold.otf")),
    ("Inter-Regular.otf", include_bytes!("../../themes/default/fonts/Inter-Regular.otf")),
    ("NotoSansArabic-Regular.ttf", include_bytes!("../../themes/default/fonts/NotoSansArabic-Regular.ttf")),
    ("NotoSansHebrew-Regular.ttf", include_bytes!("../../themes/default/fonts/NotoSansHebrew-Regular.ttf")),
];

/// Which face measures a piece of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    Bold,
    Regular,
}

fn font(i: usize) -> Option<FontRef<'static>> {
    FontRef::new(FONTS[i].1).ok()
}

fn covered(c: char) -> bool {
    (0..FONTS.len()).any(|i| font(i).is_some_and(|f| f.charmap().map(c).is_some()))
}

/// The text with every character no shipped font draws left out (CJK, emoji, symbols), and
/// runs of spaces made one: the card shows no empty boxes. Also whether letters were lost.
pub fn drawable(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut lost = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else if covered(c) {
            out.push(c);
        } else if c.is_alphanumeric() {
            lost = true;
        }
    }
    (out.trim_end().to_string(), lost)
}

/// Whether text reads right to left (its first strong letter is Hebrew or Arabic).
pub fn is_rtl(text: &str) -> bool {
    text.chars().find(|c| c.is_alphabetic()).is_some_and(|c| {
        let n = c as u32;
        (0x0590..=0x08FF).contains(&n) || (0xFB1D..=0xFDFF).contains(&n) || (0xFE70..=0xFEFF).contains(&n)
    })
}

/// The width of `text` at `px`, from the first shipped font that has each character.
pub fn width(text: &str, face: Face, px: f32) -> f32 {
    let order: [usize; 4] = match face {
        Face::Bold => [0, 1, 2, 3],
        Face::Regular => [1, 0, 2, 3],
    };
    let fonts: Vec<FontRef> = order.iter().filter_map(|&i| font(i)).collect();
    let metrics: Vec<_> = fonts.iter().map(|f| f.glyph_metrics(Size::new(px), LocationRef::default())).collect();
    text.chars()
        .map(|c| {
            fonts
                .iter()
                .zip(&metrics)
                .find_map(|(f, m)| f.charmap().map(c).and_then(|g| m.advance_width(g)))
                .unwrap_or(px * 0.5)
        })
        .sum()
}

/// `text` in lines no wider than `max` at `px`, at most `lines` of them; the last one ends
/// with `…` when the text did not fit. Words longer than a line are cut.
pub fn wrap(text: &str, face: Face, px: f32, max: f32, lines: usize) -> (Vec<String>, bool) {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let fits = |s: &str| width(s, face, px) <= max;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        // A word wider than a line is cut where it must be.
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if !fits(&piece) {
                piece.pop();
                out.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        current = piece;
    }
    if !current.is_empty() {
        out.push(current);
    }
    let cut = out.len() > lines;
    if cut {
        out.truncate(lines);
        if let Some(last) = out.last_mut() {
            *last = ellipsize(last, face, px, max);
        }
    }
    (out, cut)
}

/// `line` shortened (at a word if it can) until it fits with `…` after it.
pub fn ellipsize(line: &str, face: Face, px: f32, max: f32) -> String {
    let mut s = line.trim_end().to_string();
    loop {
        let candidate = format!("{}…", s.trim_end_matches([' ', ',', ';', ':', '-', '–', '—']));
        if width(&candidate, face, px) <= max || s.is_empty() {
            return candidate;
        }
        s.pop();
    }
}

/// One line, ellipsized to `max`.
pub fn one_line(text: &str, face: Face, px: f32, max: f32) -> String {
    if width(text, face, px) <= max {
        text.to_string()
    } else {
        ellipsize(text, face, px, max)
    }
}

/// Up to two letters for an avatar without a picture.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = |w: &&str| w.chars().next();
    let mut s: String = match words.as_slice() {
        [] => String::new(),
        [one] => first(one).into_iter().collect(),
        [a, .., b] => [first(a), first(b)].into_iter().flatten().collect(),
    };
    s = s.to_uppercase();
    drawable(&s).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_wrap_then_end_with_an_ellipsis() {
        let title = "A very long title about the cooperative's plans for rooftop solar, community batteries, and the winter tariff review that everyone keeps asking us about";
        let (lines, cut) = wrap(title, Face::Bold, 64.0, 1040.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(cut);
        assert!(lines[2].ends_with('…'), "{lines:?}");
        for l in &lines {
            assert!(width(l, Face::Bold, 64.0) <= 1040.0, "{l}");
        }
        let (short, cut) = wrap("Short title", Face::Bold, 64.0, 1040.0, 3);
        assert_eq!((short, cut), (vec!["Short title".to_string()], false));
    }

    #[test]
    fn characters_no_font_has_are_left_out_not_boxes() {
        assert_eq!(drawable("Solar 🎉 day ✨"), ("Solar day".to_string(), false));
        let (text, lost) = drawable("東京 meetup");
        assert_eq!(text, "meetup");
        assert!(lost);
        assert_eq!(drawable("שלום עולם").0, "שלום עולם");
        assert!(is_rtl("مرحبا بالعالم"));
        assert!(!is_rtl("Hello"));
        assert_eq!(initials("Mira Okafor"), "MO");
        assert_eq!(initials("Hana"), "H");
    }
}

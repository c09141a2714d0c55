//! Slugs: the single path segment of a page's URL.
//!
//! Invariant: a slug is never empty, never `.` or `..`, and holds only lowercase letters,
//! digits and single `-` between them, so it cannot name another folder, and two slugs that
//! differ only by case or Unicode normalisation are the same slug.

use unicode_normalization::UnicodeNormalization;

/// The slug of `text`: lowercase, NFC, letters and digits kept, everything else a `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.nfc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
        if out.len() > 200 {
            break;
        }
    }
    out
}

/// Whether `s` is already a slug (what `slugify` would leave unchanged).
pub fn is_safe_segment(s: &str) -> bool {
    !s.is_empty() && slugify(s) == s
}

/// A file stem without a leading `YYYY-MM-DD-`.
pub fn strip_date_prefix(stem: &str) -> &str {
    let b = stem.as_bytes();
    let is_date = b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-';
    if is_date {
        &stem[11..]
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_one_safe_segment() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("a\\b/c"), "a-b-c");
        assert_eq!(slugify("Ça va — très bien"), "ça-va-très-bien");
        assert_eq!(slugify("Cafe\u{301}"), slugify("Café"));
        assert_eq!(slugify("RUST"), slugify("rust"));
        assert_eq!(slugify("..."), "");
        assert!(!is_safe_segment(".."));
        assert!(!is_safe_segment("a/b"));
        assert!(is_safe_segment("solar-2026"));
    }

    #[test]
    fn date_prefixes_come_off() {
        assert_eq!(strip_date_prefix("2026-11-03-hello"), "hello");
        assert_eq!(strip_date_prefix("hello"), "hello");
        assert_eq!(strip_date_prefix("2026-11-03"), "2026-11-03");
    }
}

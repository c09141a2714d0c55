//! Finding URLs in text as twitter-text's `extractUrlsWithIndices` does,
//! including the Punycode length of internationalised host names, which
//! decides whether a URL is valid.
//!
//! It must not weigh or count text, and knows nothing of networks.

use std::ops::Range;

/// twitter-text's `MAX_URL_LENGTH`.
const MAX_URL_LENGTH: usize = 4096;
/// Longest DNS label, after Punycode.
const MAX_LABEL_LENGTH: usize = 63;

/// Byte ranges of the URLs twitter-text would extract that have an
/// `http://` or `https://` scheme: a host whose last label is alphabetic
/// (at least two letters) or Punycode, every label at most 63 characters
/// once Punycode-encoded, optional port, then path and query with
/// twitter-text's character classes and ending rules (so a trailing `.` or
/// `)` stays outside the URL).
///
/// Left out, as the product does not need them: URLs without a scheme
/// (`example.com`), which twitter-text also counts as 23; the TLD list
/// (any alphabetic TLD is accepted); t.co slug limits; IDNA mapping beyond
/// Punycode length.
pub(super) fn find_urls(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut urls = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // An ASCII `h` is always a char boundary.
        if !bytes[i].eq_ignore_ascii_case(&b'h') {
            i += 1;
            continue;
        }
        match url_at(text, i) {
            Some((end, valid)) => {
                if valid {
                    urls.push(i..end);
                }
                i = end;
            }
            None => i += 1,
        }
    }
    urls
}

/// The end of the URL starting at `start`, and whether it passes
/// twitter-text's length checks (a URL that fails them is plain text).
fn url_at(text: &str, start: usize) -> Option<(usize, bool)> {
    if text[..start].chars().next_back().is_some_and(|c| !is_url_preceding_char(c)) {
        return None;
    }
    let rest = &text[start..];
    let after_scheme =
        strip_prefix_ignore_case(rest, "https://").or_else(|| strip_prefix_ignore_case(rest, "http://"))?;
    let host_start = start + (rest.len() - after_scheme.len());
    let mut end = host_start + host_len(after_scheme)?;
    let host = &text[host_start..end];
    if let Some(port) = text[end..].strip_prefix(':') {
        let digits = port.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            end += 1 + digits;
        }
    }
    if text[end..].starts_with('/') {
        end += path_len(&text[end..]);
    }
    if text[end..].starts_with('?') {
        end += query_len(&text[end..]);
    }
    let valid = host_is_valid(host, text[start..end].chars().count());
    Some((end, valid))
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len()).filter(|head| head.eq_ignore_ascii_case(prefix)).map(|_| &s[prefix.len()..])
}

/// twitter-text `validUrlPrecedingChars`: no URL right after a letter,
/// digit, `@`, `$` or `#`.
fn is_url_preceding_char(c: char) -> bool {
    !(c.is_ascii_alphanumeric() || matches!(c, '@' | '＠' | '$' | '#' | '＃' | '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}'))
}

/// twitter-text `validDomainChars`: anything but its ASCII punctuation,
/// spaces, invalid characters and directional marks.
fn is_domain_char(c: char) -> bool {
    let punct = "!'#%&()*+,\\-./:;<=>?@[]^_{|}~$".contains(c);
    let special = "\u{180E}\u{FFFE}\u{FEFF}\u{FFFF}\u{061C}\u{200E}\u{200F}".contains(c)
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c);
    !(punct || special || c.is_whitespace() || c.is_control())
}

/// Length of the host at the start of `s`: dot-separated labels ending in a
/// TLD. If the last label is no TLD, an earlier one may be, as twitter-text's
/// regex backtracks (`a.com.123` gives `a.com`).
fn host_len(s: &str) -> Option<usize> {
    let mut labels: Vec<Range<usize>> = Vec::new();
    let mut pos = 0;
    loop {
        let len = label_len(&s[pos..]);
        if len == 0 {
            break;
        }
        labels.push(pos..pos + len);
        pos += len;
        match s[pos..].strip_prefix('.') {
            Some(next) if next.chars().next().is_some_and(is_domain_char) => pos += 1,
            _ => break,
        }
    }
    labels.iter().skip(1).rev().find_map(|label| {
        let end = label.start + tld_len(&s[label.clone()])?;
        // twitter-text's TLD lookahead: `(?=[^a-z0-9@+-]|$)`.
        let next = s[end..].chars().next();
        (!next.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '+' | '-'))).then_some(end)
    })
}

/// A label: domain characters, with `-` or `_` only inside.
fn label_len(s: &str) -> usize {
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if is_domain_char(c) {
            end = i + c.len_utf8();
        } else if !(end > 0 && (c == '-' || c == '_')) {
            break;
        }
    }
    end
}

/// The TLD at the start of `label`: Punycode (`xn--…`), or a run of at least
/// two ASCII letters, or of at least two non-ASCII letters.
fn tld_len(label: &str) -> Option<usize> {
    if strip_prefix_ignore_case(label, "xn--").is_some() {
        let len = label.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'-').count();
        return (len > 4).then_some(len);
    }
    let len = if label.starts_with(|c: char| c.is_ascii_alphabetic()) {
        label.bytes().take_while(u8::is_ascii_alphabetic).count()
    } else {
        label.char_indices().find(|&(_, c)| c.is_ascii() || !c.is_alphabetic()).map_or(label.len(), |(i, _)| i)
    };
    (label[..len].chars().count() >= 2).then_some(len)
}

fn is_latin_accent(c: char) -> bool {
    const RANGES: [(char, char); 7] = [
        ('\u{C0}', '\u{D6}'),
        ('\u{D8}', '\u{F6}'),
        ('\u{F8}', '\u{24F}'),
        ('\u{300}', '\u{36F}'),
        ('\u{1E00}', '\u{1EFF}'),
        ('\u{253}', '\u{254}'),
        ('\u{256}', '\u{257}'),
    ];
    RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
        || "\u{259}\u{25B}\u{263}\u{268}\u{26F}\u{272}\u{289}\u{28B}\u{2BB}".contains(c)
}

fn is_path_letter(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_latin_accent(c) || ('\u{400}'..='\u{4FF}').contains(&c)
}

/// twitter-text `validGeneralUrlPathChars`.
fn is_path_char(c: char) -> bool {
    is_path_letter(c) || "!*';:=+,.$/%#[]-_~@|&\u{2013}".contains(c)
}

/// twitter-text `validUrlPathEndingChars` (balanced parentheses aside).
fn is_path_end(c: char) -> bool {
    is_path_letter(c) || "+-=_#/".contains(c)
}

/// Length of the path at the start of `s` (which starts with `/`): path
/// characters and balanced parentheses, up to the last that may end a path.
fn path_len(s: &str) -> usize {
    let mut end = 1;
    let mut i = 1;
    while let Some(c) = s[i..].chars().next() {
        if c == '(' {
            match balanced_parens_len(&s[i..]) {
                Some(len) => {
                    i += len;
                    end = i;
                }
                None => break,
            }
        } else if is_path_char(c) {
            i += c.len_utf8();
            if is_path_end(c) {
                end = i;
            }
        } else {
            break;
        }
    }
    end
}

/// twitter-text `validUrlBalancedParens`: `(…)`, one level of nesting.
fn balanced_parens_len(s: &str) -> Option<usize> {
    let path_run = |s: &str| s.find(|c: char| !is_path_char(c)).unwrap_or(s.len());
    let inner = s.strip_prefix('(')?;
    let a = path_run(inner);
    let after = &inner[a..];
    if after.starts_with(')') {
        return (a > 0).then_some(a + 2);
    }
    let nested = after.strip_prefix('(')?;
    let b = path_run(nested);
    let after_nested = nested[b..].strip_prefix(')').filter(|_| b > 0)?;
    let c = path_run(after_nested);
    after_nested[c..].starts_with(')').then_some(1 + a + 1 + b + 1 + c + 1)
}

/// Length of the query at the start of `s` (which starts with `?`), or 0 if
/// no character in it may end a query.
fn query_len(s: &str) -> usize {
    let is_query_char = |c: char| c.is_ascii_alphanumeric() || "!?*'@();:&=+$/%#[]-_.,~|".contains(c);
    let is_query_end = |c: char| c.is_ascii_alphanumeric() || "-_&=#/".contains(c);
    let mut end = 0;
    for (i, c) in s.char_indices().skip(1) {
        if !is_query_char(c) {
            break;
        }
        if is_query_end(c) {
            end = i + c.len_utf8();
        }
    }
    end
}

/// twitter-text `isValidUrl`: every label 1–63 characters once
/// Punycode-encoded, and the URL, with its host encoded, at most 4096.
fn host_is_valid(host: &str, url_chars: usize) -> bool {
    let mut growth = 0;
    for label in host.split('.') {
        if label.is_ascii() {
            if label.is_empty() || label.len() > MAX_LABEL_LENGTH {
                return false;
            }
            continue;
        }
        // Punycode is ASCII, and never shorter than its input.
        let chars = label.chars().count();
        if strip_prefix_ignore_case(label, "xn--").is_some() || chars > MAX_LABEL_LENGTH {
            return false;
        }
        match punycode_len(label) {
            Some(len) if len + 4 <= MAX_LABEL_LENGTH => growth += len + 4 - chars,
            _ => return false,
        }
    }
    url_chars + growth <= MAX_URL_LENGTH
}

/// Length of the RFC 3492 Punycode encoding of `label` (without `xn--`),
/// `None` on overflow. Only the length is needed, so nothing is written.
fn punycode_len(label: &str) -> Option<usize> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;

    fn adapt(delta: u32, points: u32, first: bool) -> u32 {
        let mut delta = if first { delta / DAMP } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
    }

    let input: Vec<u32> = label.chars().map(u32::from).collect();
    let basic = u32::try_from(input.iter().filter(|&&c| c < 0x80).count()).ok()?;
    let total = u32::try_from(input.len()).ok()?;
    let mut out = usize::try_from(basic).ok()? + usize::from(basic > 0);
    let (mut n, mut delta, mut bias, mut handled) = (0x80u32, 0u32, 72u32, basic);
    while handled < total {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            } else if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out += 1;
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out += 1;
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_detection() {
        let urls = |text: &str| -> Vec<String> { find_urls(text).into_iter().map(|r| text[r].to_string()).collect() };
        let cases: [(&str, &[&str]); 24] = [
            ("see https://example.com.", &["https://example.com"]),
            ("(https://example.com/a_(b)_c)", &["https://example.com/a_(b)_c"]),
            ("(https://example.com/foo)", &["https://example.com/foo"]),
            ("https://e.com/p?q=1&r=2.", &["https://e.com/p?q=1&r=2"]),
            ("https://e.com/p?", &["https://e.com/p"]),
            ("https://e.com:8080/x, and", &["https://e.com:8080/x"]),
            ("https://e.com:/x", &["https://e.com"]),
            ("HTTPS://E.COM/A", &["HTTPS://E.COM/A"]),
            ("http://a.b.c.co.uk/#frag", &["http://a.b.c.co.uk/#frag"]),
            ("詳しくはhttps://example.com。", &["https://example.com"]),
            ("x https://example.com/日本", &["https://example.com/"]),
            ("https://ru.wikipedia.org/wiki/Москва", &["https://ru.wikipedia.org/wiki/Москва"]),
            ("https://example.com.123/x", &["https://example.com"]),
            ("https://xn--p1ai.xn--p1ai/", &["https://xn--p1ai.xn--p1ai/"]),
            ("https://例え.jp/", &["https://例え.jp/"]),
            ("xhttps://example.com", &[]),
            ("#https://example.com", &[]),
            ("https://localhost:8080/", &[]),
            ("https://192.168.0.1/", &[]),
            ("https://example.c", &[]),
            ("https://-a.com", &[]),
            ("https://", &[]),
            ("https://e.com https://f.org", &["https://e.com", "https://f.org"]),
            ("a https://e.com+b", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(urls(text), expected, "{text:?}");
        }
        let long_label = format!("https://{}.com/x", "a".repeat(64));
        assert_eq!(urls(&long_label), Vec::<String>::new());
        let ok_label = format!("https://{}.com/x", "a".repeat(63));
        assert_eq!(urls(&ok_label), [ok_label]);
        let too_long = format!("https://e.com/{}", "a".repeat(4096));
        assert_eq!(urls(&too_long), Vec::<String>::new());
    }

    #[test]
    fn punycode_lengths_match_rfc3492() {
        // Encodings from RFC 3492 section 7.1 and the usual examples.
        let cases = [
            ("bücher", "bcher-kva"),
            ("\u{644}\u{64A}\u{647}\u{645}\u{627}\u{628}\u{62A}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64A}\u{61F}", "egbpdaj6bu4bxfgehfvwxn"),
            ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
            ("3年B組金八先生", "3B-ww4c5e180e575a65lsy2b"),
            ("パフィーdeルンバ", "de-jg4avhby1noc0d"),
            ("پاکستان", "mgbai9azgqp6j"),
        ];
        for (label, encoded) in cases {
            assert_eq!(punycode_len(label), Some(encoded.len()), "{label}");
        }
        assert_eq!(punycode_len("abc"), Some(4));
        assert_eq!(punycode_len(""), Some(0));
        assert_eq!(punycode_len("\u{10FFFF}".repeat(63).as_str()).map(|n| n > 63), Some(true));
    }
}

//! Share kits: for one page, the copy text staff can share, one intent link
//! per social network, and the post's length as each network counts it.
//!
//! Nothing here renders HTML; templates render the [`ShareKit`].
//!
//! How a message is composed (the same for every network, so a count on one
//! button is comparable with the copy text):
//!
//! ```text
//! <base text> #tag1 #tag2 <disclosure> <url>
//! ```
//!
//! * the base text is the network's override, else `share.text`, else the
//!   summary; it is trimmed and its line breaks normalised to `\n`;
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

use std::ops::Range;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::fields::Spanned;

/// Everything but RFC 3986 unreserved characters is encoded, so a value is
/// safe in any query string (and in `mailto:`, which has no `+`-for-space).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

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

    /// The post length limit, in the unit [`count`] uses for this network.
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
    /// `share.variants`: more suggested base texts (as written: the place is not used here).
    pub variants: &'a [Spanned<String>],
    /// Per-network base texts; the first for a network wins.
    pub overrides: &'a [(Network, Spanned<String>)],
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

/// The base texts: the primary (share text, else summary), then the variants.
fn bases<'s>(src: &ShareSource<'s>) -> Vec<&'s str> {
    let primary = non_blank(src.text).or_else(|| non_blank(Some(src.summary))).unwrap_or_default();
    let mut bases: Vec<&str> = std::iter::once(primary)
        .chain(src.variants.iter().map(|v| v.value.as_str()))
        .filter(|b| !b.trim().is_empty())
        .collect();
    if bases.is_empty() {
        bases.push("");
    }
    bases
}

fn messages_from(src: &ShareSource, bases: &[&str]) -> Vec<Message> {
    let copy_url = shared_url(src.permalink, src.utm, None);
    bases
        .iter()
        .enumerate()
        .map(|(i, base)| Message { text: join(&Draft::new(base, src).body(), &copy_url, " "), primary: i == 0 })
        .collect()
}

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
    weighted_length(text, true)
}

/// Percent-encodes `s` for a URL query value: everything but `A-Za-z0-9-._~`,
/// so spaces become `%20` (never `+`).
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// The buttons whose post is over the network's limit, for build warnings.
pub fn over_limit(kit: &ShareKit) -> Vec<(Network, Length)> {
    kit.buttons.iter().filter_map(|b| b.length.filter(|l| l.over).map(|l| (b.network, l))).collect()
}

// ---------------------------------------------------------------------------
// Composition

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

fn button(src: &ShareSource, network: Network, primary: &str, primary_copy: &str) -> Button {
    let base = src
        .overrides
        .iter()
        .find(|(n, text)| *n == network && !text.value.trim().is_empty())
        .map_or(primary, |(_, text)| text.value.as_str());
    let draft = Draft::new(base, src);
    let url = shared_url(src.permalink, src.utm, Some(network));
    let body = draft.body();
    let separator = if network == Network::Email { "\n\n" } else { " " };
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

// ---------------------------------------------------------------------------
// Counting

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

/// twitter-text's weighted length; `emoji` is `emojiParsingEnabled` (v3 on,
/// v2 off; only v3 is public, v2 is kept to run its conformance cases).
fn weighted_length(text: &str, emoji: bool) -> usize {
    let text: String = text.nfc().collect();
    let mut total = 0;
    let mut pos = 0;
    for url in find_urls(&text) {
        total += segment_weight(&text[pos..url.start], emoji) + URL_WEIGHT;
        pos = url.end;
    }
    total + segment_weight(&text[pos..], emoji)
}

fn segment_weight(text: &str, emoji: bool) -> usize {
    text.graphemes(true).map(|g| grapheme_weight(g, emoji)).sum()
}

fn grapheme_weight(grapheme: &str, emoji: bool) -> usize {
    let mut chars = grapheme.chars();
    if let (true, Some(first)) = (emoji, chars.next()) {
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

// ---------------------------------------------------------------------------
// URL detection, after twitter-text's `extractUrlsWithIndices`.

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
fn find_urls(text: &str) -> Vec<Range<usize>> {
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
    use percent_encoding::percent_decode_str;

    /// Conformance cases from twitter-text (see the header of the file).
    const CONFORMANCE: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/twitter-text/validate.yml"));

    const AWKWARD: &str = "  Quotes \"double\" & 'single' — #hash +plus 100% a=b ?q\r\nNew line: \
        👨\u{200D}👩\u{200D}👧\u{200D}👦 🇯🇵 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} \
        中文 العربية e\u{301}\u{301}\n  ";
    /// `AWKWARD` trimmed, its CRLF made LF.
    const AWKWARD_BASE: &str = "Quotes \"double\" & 'single' — #hash +plus 100% a=b ?q\nNew line: \
        👨\u{200D}👩\u{200D}👧\u{200D}👦 🇯🇵 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} \
        中文 العربية e\u{301}\u{301}";
    const PERMALINK: &str = "https://example.com/blog/hello-world/?ref=a&b=c#top";
    const TITLE: &str = "Tom & Jerry: \"100%\" + more?";

    fn source<'a>(networks: &'a [Network]) -> ShareSource<'a> {
        ShareSource {
            title: "A title",
            permalink: "https://example.com/p/",
            summary: "The summary.",
            networks,
            ..ShareSource::default()
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// A text as read from front matter (its place does not matter here).
    fn written(text: &str) -> Spanned<String> {
        Spanned { value: text.to_string(), line: 1, column: 1, len: 1 }
    }

    fn decode(value: &str) -> String {
        percent_decode_str(value).decode_utf8().expect("UTF-8 after decoding").into_owned()
    }

    /// Splits an intent link into its base and raw (still encoded) parameters,
    /// checking each value uses only unreserved characters, `%XX` and (in X's
    /// hashtags) commas.
    fn split_href(href: &str) -> (&str, Vec<(&str, &str)>) {
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

    fn decoded_params(href: &str) -> (String, Vec<(String, String)>) {
        let (base, params) = split_href(href);
        let params = params.into_iter().map(|(k, v)| (k.to_string(), decode(v))).collect();
        (base.to_string(), params)
    }

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
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
        let variants = ["Second take", "  \n\t ", "Third\r\ntake "].map(written);
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

        let variants = [written("Only variant")];
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
            (Network::Mastodon, written("For the fediverse")),
            (Network::Mastodon, written("ignored, the first wins")),
            (Network::LinkedIn, written(&"x".repeat(3000))),
            (Network::Bluesky, written(" \n ")),
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

    #[test]
    fn twitter_text_conformance() {
        let doc: serde_yaml::Value = serde_yaml::from_str(CONFORMANCE).expect("conformance YAML");
        // (section, emojiParsingEnabled): the first runs under config v2 in
        // twitter-text, the others under v3.
        let sections = [
            ("WeightedTweetsCounterTest", false),
            ("WeightedTweetsWithDiscountedEmojiCounterTest", true),
            ("UnicodeDirectionalMarkerCounterTest", true),
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
            let _ = weighted_length(&text, false);
            let hashtags = vec![text.clone()];
            let overrides = vec![(Network::X, written(&text))];
            let variants = vec![written(&text)];
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

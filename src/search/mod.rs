//! The search index: what `/search/` looks things up in, written as small JSON files that the
//! theme's `search.js` fetches on demand, so a query never loads the whole index.
//!
//! What is indexed is what the listings show, and nothing else: listed posts (not drafts,
//! scheduled, expired posts or those of a person without consent), people who consented and
//! have not withdrawn, published causes, and the hub's pages. Each becomes a *document*
//! (title, kind, authors, date, the start of its text for the excerpt) and the words of its
//! fields, weighted by field (a title counts more than a body).
//!
//! Files, under `search/` of the output:
//! - `index.json`: the format, the language, how many documents, the shard keys, and a
//!   `version` (a hash of every other file) that the browser adds to each URL it fetches.
//! - `t/N.json`: a shard of terms. Terms are stems (Snowball, in the hub's language) and each
//!   is `[stem, [other forms], count, [[weight, "documents"], …]]`: the folded word forms it
//!   was made from, how many postings it has, and its postings grouped by weight, the
//!   heaviest first; in each group the document numbers as differences (the first from 0),
//!   written as base64url varints (5 bits of value per digit, least significant first; a
//!   digit from `g` on says another follows), so a posting in a common word takes about one
//!   byte. A shard holds the terms starting with its key that no longer
//!   key claims; keys grow one character at a time until a shard is under `SHARD_BYTES` (or
//!   holds one term). The browser picks the longest key that starts its query word.
//! - `d/N.json`: `PER_CHUNK` documents each, in document order, fetched for the results shown.
//! - `x/N.json`: the texts of the same `PER_CHUNK` documents (up to `TEXT_CHARS` characters
//!   each, `null` for a text that the record already holds whole), fetched only for a result
//!   shown whose matched words are not in the start of its text. One file per chunk, not per
//!   document: creating files is most of what writing the index costs.
//!
//! The browser does not stem. It matches a query word against the forms the hub really uses
//! (so `heating` finds the stem `heat` and with it `heats`), and, for a word the hub never
//! uses, against the longest stem that begins it when the rest is an ending the stemmer
//! removes (`wärmepumpen` → `warmepump` + `en`; the manifest lists the endings seen in the
//! hub plus the usual ones of the language): Snowball stems are prefixes of their words once
//! folded, so this reaches the term that stemming the query would, without shipping a
//! stemmer per language, and `workshop` does not find `work`.
//!
//! Same site, same bytes: documents, terms, forms and postings are all sorted; no hash-map
//! order reaches a file. Must not render pages or know about templates.

pub mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use serde::Serialize;

use crate::dates;
use crate::markdown;
use crate::output::Output;
use crate::site::{self, FastMap, PostId, Site};
use text::{Stems, Token};

/// The largest a shard grows before it is split by a longer key (one term may exceed it).
pub const SHARD_BYTES: usize = 48 * 1024;
/// Documents per file of `d/`.
pub const PER_CHUNK: usize = 8;
/// Postings kept per term: those of the highest weights (a title or tag before a body),
/// the first documents (people, causes, pages, then the newest posts) among equals. Only
/// words in nearly every post of a huge hub reach it.
pub const CAP: usize = 50_000;
/// The most documents an index holds: a posting packs the document's number and its weight
/// in one `u32` (`Posting`).
pub const MAX_DOCS: usize = 1 << 25;
/// Characters of text kept in a document's record for the excerpt; the rest of the text is
/// in a file of its own (`x/N.json`), fetched only for a result whose match lies further on.
pub const EXCERPT_CHARS: usize = 400;
/// The most text kept of one document, for excerpts of matches further in: about 650 words,
/// so that a chunk's `x/` file stays near 32 KB. A match past it shows the start of the text,
/// unmarked.
pub const TEXT_CHARS: usize = 4 * 1024;

/// What the results show of a document.
#[derive(Serialize, Clone, Debug)]
pub struct Record {
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    pub authors: Vec<String>,
    /// `YYYY-MM-DD`, for `<time datetime>`.
    pub date: Option<String>,
    pub date_display: Option<String>,
    /// A person's role and team, a cause's place.
    pub meta: Option<String>,
    /// The start of the text, for the excerpt.
    pub text: String,
    /// The text goes on in `x/N.json` (N the document's number).
    pub more: bool,
}

/// A document's words, each with its weight.
type Words = Vec<(String, u32)>;

/// A document and the words of its fields, each with its weight (lowercased, not yet folded).
#[derive(Clone, Debug)]
pub struct Analysis {
    record: Record,
    /// The whole text (up to `TEXT_CHARS`), when it is longer than the record's.
    full: Option<String>,
    words: Words,
}

/// Field weights: where a word stands says how much a match counts.
const NAME: u32 = 40;
const TITLE: u32 = 30;
const TAGS: u32 = 15;
const AUTHORS: u32 = 15;
const ROLE: u32 = 10;
const SUMMARY: u32 = 4;
const BODY: u32 = 1;
const MAX_WEIGHT: u32 = 99;

/// A document's number and a word's weight in it, in one `u32`: the number in the high 25
/// bits, so postings sort by document; the weight (at most `MAX_WEIGHT`) in the low 7.
type Posting = u32;
const WEIGHT_BITS: u32 = 7;

fn posting(doc: usize, weight: u32) -> Posting {
    ((doc as u32) << WEIGHT_BITS) | weight.min(MAX_WEIGHT)
}

fn doc_of(p: Posting) -> u32 {
    p >> WEIGHT_BITS
}

fn weight_of(p: Posting) -> u32 {
    p & ((1 << WEIGHT_BITS) - 1)
}

/// Every word of the index with its postings.
type Postings = FastMap<String, Vec<Posting>>;

/// The documents of a site, in index order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Person(site::PersonId),
    Cause(site::CauseId),
    Page(site::PageId),
    Post(PostId),
}

fn sources(site: &Site) -> Vec<Source> {
    let mut all: Vec<Source> = site.visible_people().map(|(id, _)| Source::Person(id)).collect();
    all.extend(site.published_causes().map(|(id, _)| Source::Cause(id)));
    all.extend(site.pages().map(|(id, _)| Source::Page(id)));
    all.extend(site.listed().iter().map(|&id| Source::Post(id)));
    all
}

/// The text of a document's parts, cut at a word after `chars` characters.
fn excerpt_of(parts: &[&str], chars: usize) -> String {
    // The parts joined by spaces, as far as the first `chars + 1` characters: all the cut
    // looks at (a body can be a thousand times longer).
    let mut joined = String::new();
    let mut count = 0;
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !joined.is_empty() {
            joined.push(' ');
            count += 1;
        }
        let room = (chars + 1).saturating_sub(count);
        match part.char_indices().nth(room) {
            Some((end, _)) => {
                joined.push_str(&part[..end]);
                break;
            }
            None => {
                joined.push_str(part);
                count += part.chars().count();
            }
        }
        if count > chars {
            break;
        }
    }
    match joined.char_indices().nth(chars) {
        None => joined,
        Some((cut, _)) => {
            let cut = joined[..cut].rfind(' ').unwrap_or(cut);
            format!("{}…", &joined[..cut])
        }
    }
}

fn excerpt(parts: &[&str]) -> String {
    excerpt_of(parts, EXCERPT_CHARS)
}

/// Keeps the start of the record's text, and the whole text apart when it is longer.
fn split_text(record: &mut Record) -> Option<String> {
    let short = excerpt(&[&record.text]);
    if short.len() == record.text.len() {
        return None;
    }
    record.more = true;
    Some(std::mem::replace(&mut record.text, short))
}

fn day(d: &dates::Date) -> String {
    dates::rfc3339(d).chars().take(10).collect()
}

fn analyze(site: &Site, source: Source) -> Analysis {
    analyze_with(site, source, None)
}

/// `analyze`, with a post's body as plain text when the caller has it already.
fn analyze_with(site: &Site, source: Source, plain_body: Option<String>) -> Analysis {
    let mut fields: Vec<(String, u32)> = Vec::new();
    let mut record = match source {
        Source::Post(id) => {
            let p = site.post(id);
            let body = plain_body.unwrap_or_else(|| markdown::plain_text(&p.file.body()));
            let summary = p.summary.as_ref().map(|s| markdown::plain_text(&s.value));
            let authors: Vec<String> = p
                .authors
                .iter()
                .filter_map(|a| site.person_by_id(&a.value).map(|j| site.person(j).name.clone()))
                .collect();
            fields.push((p.title.clone(), TITLE));
            fields.extend(p.tags.iter().map(|t| (t.value.clone(), TAGS)));
            fields.extend(authors.iter().map(|a| (a.clone(), AUTHORS)));
            if let Some(s) = &summary {
                fields.push((s.clone(), SUMMARY));
            }
            let text = excerpt_of(&[summary.as_deref().unwrap_or(""), &body], TEXT_CHARS);
            fields.push((body, BODY));
            Record {
                kind: "post",
                title: p.title.clone(),
                url: site.post_path(id).to_string(),
                authors,
                date: Some(day(&p.date.value)),
                date_display: Some(crate::i18n::date(site.config().ui_language(), &p.date.value)),
                meta: None,
                text,
                more: false,
            }
        }
        Source::Person(id) => {
            let p = site.person(id);
            let bio = markdown::plain_text(&p.file.body());
            fields.push((p.name.clone(), NAME));
            fields.extend(p.role.iter().chain(&p.team).map(|r| (r.clone(), ROLE)));
            let meta: Vec<&str> = p.role.iter().chain(&p.team).map(String::as_str).collect();
            let text = excerpt_of(&[&bio], TEXT_CHARS);
            fields.push((bio, BODY));
            Record {
                kind: "person",
                title: p.name.clone(),
                url: site.person_path(&p.id),
                authors: Vec::new(),
                date: None,
                date_display: None,
                meta: (!meta.is_empty()).then(|| meta.join(" · ")),
                text,
                more: false,
            }
        }
        Source::Cause(id) => {
            let c = site.cause(id);
            let body = markdown::plain_text(&c.file.body());
            let place = c.location.as_ref().and_then(|l| match l {
                crate::content::Location::Place { name, address } => {
                    Some(address.as_ref().map_or_else(|| name.clone(), |a| format!("{name}, {a}")))
                }
                crate::content::Location::Online { .. } => None,
            });
            fields.push((c.title.clone(), TITLE));
            fields.extend(place.iter().map(|p| (p.clone(), ROLE)));
            let text = excerpt_of(&[c.summary.as_ref().map_or("", |s| s.value.as_str()), &body], TEXT_CHARS);
            fields.push((body, BODY));
            let owner = site.person_by_id(&c.person.value).map(|j| site.person(j)).filter(|p| p.visible());
            Record {
                kind: "cause",
                title: c.title.clone(),
                url: site.cause_path(&c.slug.value),
                authors: owner.map(|p| p.name.clone()).into_iter().collect(),
                date: Some(day(&c.starts.value)),
                date_display: Some(crate::i18n::date(site.config().ui_language(), &c.starts.value)),
                meta: place,
                text,
                more: false,
            }
        }
        Source::Page(id) => {
            let p = site.page(id);
            let body = markdown::plain_text(&p.file.body());
            fields.push((p.title.clone(), TITLE));
            let text = excerpt_of(&[&body], TEXT_CHARS);
            fields.push((body, BODY));
            Record {
                kind: "page",
                title: p.title.clone(),
                url: site.page_path(&p.slug.value),
                authors: Vec::new(),
                date: None,
                date_display: None,
                meta: None,
                text,
                more: false,
            }
        }
    };
    // Texts repeat their words: a word is copied once per document, not once per use.
    // Sized for the words a text of this length has (about one new word in eight bytes of
    // a short text, fewer in a long one), so the map is not rebuilt as it grows.
    let bytes: usize = fields.iter().map(|(t, _)| t.len()).sum();
    let mut words: FastMap<String, u32> = FastMap::with_capacity_and_hasher((bytes / 8).min(2048), Default::default());
    let mut add = |word: &str, weight: u32| match words.get_mut(word) {
        Some(w) => *w = (*w + weight).min(MAX_WEIGHT),
        None => {
            words.insert(word.to_string(), weight.min(MAX_WEIGHT));
        }
    };
    for (text, weight) in &fields {
        let lower: String = text.nfc_lower();
        text::tokens(&lower, |t| match t {
            Token::Word(w) => add(w, *weight),
            Token::Cjk(pair) => add(&pair, *weight),
        });
    }
    // In no set order: the postings are sorted when the terms are made.
    let words: Vec<(String, u32)> = words.into_iter().collect();
    let full = split_text(&mut record);
    Analysis { record, full, words }
}

trait NfcLower {
    fn nfc_lower(&self) -> String;
}

impl NfcLower for String {
    fn nfc_lower(&self) -> String {
        use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
        if self.is_ascii() {
            return self.to_ascii_lowercase();
        }
        // Nearly all text is NFC already, and the quick check is far cheaper than composing.
        match is_nfc_quick(self.chars()) {
            IsNormalized::Yes => self.to_lowercase(),
            _ => self.nfc().collect::<String>().to_lowercase(),
        }
    }
}

/// A term: the forms it was made from and its postings, by document.
#[derive(Default)]
struct Term {
    forms: BTreeSet<String>,
    postings: Vec<Posting>,
}

/// Adds document `doc`'s words to `map`.
/// A word is copied (or moved, if owned) only the first time the map sees it.
fn add_words<W: AsRef<str> + Into<String>>(map: &mut Postings, doc: usize, words: impl IntoIterator<Item = (W, u32)>) {
    for (word, weight) in words {
        let p = posting(doc, weight);
        match map.get_mut(word.as_ref()) {
            Some(list) => list.push(p),
            None => {
                map.insert(word.into(), vec![p]);
            }
        }
    }
}

/// The larger map takes in the smaller.
fn merge(a: Postings, b: Postings) -> Postings {
    let (mut into, from) = if a.len() < b.len() { (b, a) } else { (a, b) };
    for (word, postings) in from {
        into.entry(word).or_default().extend(postings);
    }
    into
}

/// Stems every word and groups the words by stem.
fn terms(language: &str, words: Postings) -> BTreeMap<String, Term> {
    let mut words: Vec<(String, Vec<Posting>)> = words.into_iter().collect();
    words.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let stemmed: Vec<(String, String)> = words
        .par_chunks(4096)
        .flat_map_iter(|chunk| {
            let mut stems = Stems::new(language);
            chunk.iter().map(move |(w, _)| stems.of(w)).collect::<Vec<_>>()
        })
        .collect();
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    for ((_, postings), (form, stem)) in words.into_iter().zip(stemmed) {
        let term = terms.entry(stem).or_default();
        term.forms.insert(form);
        if term.postings.is_empty() {
            term.postings = postings;
        } else {
            term.postings.extend(postings);
        }
    }
    terms.par_iter_mut().for_each(|(_, t)| {
        t.postings.sort_unstable();
        // Two forms of one stem in a document: one posting, their weights added.
        let mut merged: Vec<Posting> = Vec::with_capacity(t.postings.len());
        for &p in &t.postings {
            match merged.last_mut() {
                Some(last) if doc_of(*last) == doc_of(p) => {
                    *last = posting(doc_of(p) as usize, weight_of(*last) + weight_of(p))
                }
                _ => merged.push(p),
            }
        }
        if merged.len() > CAP {
            merged.sort_unstable_by_key(|&p| (std::cmp::Reverse(weight_of(p)), doc_of(p)));
            merged.truncate(CAP);
            merged.sort_unstable();
        }
        merged.shrink_to_fit();
        t.postings = merged;
    });
    terms
}

/// The digits of the postings' numbers: base64url, each a varint in 5 bits of value, least
/// significant first; a digit of 32 or more (`g` to `_`) says another follows.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `n` to `out` as base64url varint digits (`DIGITS`).
fn push_number(out: &mut String, mut n: u32) {
    while n >= 32 {
        out.push(DIGITS[(32 | (n & 31)) as usize] as char);
        n >>= 5;
    }
    out.push(DIGITS[n as usize] as char);
}

/// One term as the browser reads it: `[stem, [other forms], postings, [[weight, "documents"],
/// …]]`: its postings grouped by weight, the heaviest first, and in each group the document
/// numbers as differences (the first from 0), in base64url varints (`push_number`).
fn term_json(stem: &str, term: &Term) -> String {
    let forms: Vec<&String> = term.forms.iter().filter(|f| *f != stem).collect();
    let mut out = String::with_capacity(32 + term.postings.len() * 2);
    out.push('[');
    out.push_str(&serde_json::to_string(stem).unwrap_or_default());
    out.push(',');
    out.push_str(&serde_json::to_string(&forms).unwrap_or_default());
    out.push(',');
    out.push_str(&term.postings.len().to_string());
    out.push_str(",[");
    // By weight (heaviest first), then by document: the weight's complement in the high bits.
    let mut order: Vec<u32> = term.postings.iter().map(|&p| ((MAX_WEIGHT - weight_of(p)) << 25) | doc_of(p)).collect();
    order.sort_unstable();
    let mut group = None;
    let mut last = 0;
    for key in order {
        let (weight, doc) = (MAX_WEIGHT - (key >> 25), key & (MAX_DOCS as u32 - 1));
        if group != Some(weight) {
            if group.is_some() {
                out.push_str("\"],");
            }
            out.push('[');
            out.push_str(&weight.to_string());
            out.push_str(",\"");
            group = Some(weight);
            last = 0;
        }
        push_number(&mut out, doc - last);
        last = doc;
    }
    if group.is_some() {
        out.push_str("\"]");
    }
    out.push_str("]]");
    out
}

fn prefix(s: &str, chars: usize) -> &str {
    s.char_indices().nth(chars).map_or(s, |(i, _)| &s[..i])
}

/// Assigns terms (by position in `stems`) to shards: `(key, terms)`, keys in no set order.
fn shard_terms(stems: &[&str], sizes: &[usize]) -> Vec<(String, Vec<usize>)> {
    fn place(
        items: Vec<usize>,
        key: String,
        len: usize,
        stems: &[&str],
        sizes: &[usize],
        out: &mut Vec<(String, Vec<usize>)>,
    ) {
        let total: usize = items.iter().map(|&i| sizes[i]).sum();
        if total <= SHARD_BYTES || items.len() == 1 {
            out.push((key, items));
            return;
        }
        let (short, long): (Vec<usize>, Vec<usize>) = items.into_iter().partition(|&i| stems[i].chars().count() <= len);
        if !short.is_empty() {
            out.push((key, short));
        }
        group(long, len + 1, stems, sizes, out);
    }
    fn group(items: Vec<usize>, len: usize, stems: &[&str], sizes: &[usize], out: &mut Vec<(String, Vec<usize>)>) {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for i in items {
            groups.entry(prefix(stems[i], len)).or_default().push(i);
        }
        for (key, items) in groups {
            place(items, key.to_string(), len, stems, sizes, out);
        }
    }
    let mut out = Vec::new();
    group((0..stems.len()).collect(), 1, stems, sizes, &mut out);
    out
}

/// The longest key that starts `word`.
fn shard_of<'k>(keys: &'k BTreeSet<String>, word: &str) -> Option<&'k String> {
    let n = word.chars().count().min(text::MAX_WORD);
    (1..=n).rev().find_map(|len| keys.get(prefix(word, len)))
}

#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    language: &'a str,
    stemmer: bool,
    docs: usize,
    per_chunk: usize,
    cap: usize,
    version: String,
    /// Endings the stemmer removes in this hub's words: a query word that is a stem plus one
    /// of them finds that stem (`warmepump` + `en`).
    suffixes: Vec<String>,
    shards: Vec<String>,
}

/// Endings Snowball removes, for languages whose small hubs may not show them all.
fn known_suffixes(language: &str) -> &'static [&'static str] {
    match text::algorithm(language) {
        Some(rust_stemmers::Algorithm::English) => &[
            "s", "es", "ed", "ing", "ly", "er", "ers", "est", "e", "ion", "ions", "ation", "ations", "ment", "ments",
            "ness", "ity", "al", "ies", "y",
        ],
        Some(rust_stemmers::Algorithm::German) => &[
            "e", "en", "em", "er", "ern", "es", "s", "n", "ung", "ungen", "est", "st", "end", "lich", "isch", "ig",
            "heit", "keit",
        ],
        Some(rust_stemmers::Algorithm::French) => &[
            "e", "es", "s", "x", "er", "ez", "ent", "ant", "ement", "ements", "ation", "ations", "ion", "ions", "euse",
            "euses", "ite", "ites",
        ],
        Some(rust_stemmers::Algorithm::Spanish) => &[
            "a", "as", "o", "os", "e", "es", "s", "ar", "er", "ir", "ado", "ados", "ada", "adas", "ion", "iones",
            "mente", "cion", "ciones",
        ],
        _ => &[],
    }
}

/// The endings stemming removed from this hub's words (seen at least twice), with the known
/// ones of the language; none without a stemmer.
fn suffixes(language: &str, terms: &BTreeMap<String, Term>) -> Vec<String> {
    if text::algorithm(language).is_none() {
        return Vec::new();
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (stem, term) in terms {
        for form in &term.forms {
            if let Some(rest) = form.strip_prefix(stem.as_str()) {
                if !rest.is_empty() && rest.chars().count() <= 5 {
                    *seen.entry(rest).or_default() += 1;
                }
            }
        }
    }
    let mut all: BTreeSet<String> = seen.into_iter().filter(|(_, n)| *n >= 2).map(|(s, _)| s.to_string()).collect();
    all.extend(known_suffixes(language).iter().map(|s| s.to_string()));
    all.into_iter().collect()
}

/// FNV-1a taken eight bytes at a time, each step mixed down by a shift (the last bytes one
/// by one): a stable hash (the same in every Rust version) for the version stamp, which
/// reads every byte of the index. Each step is one-to-one, so a file that changes in one
/// place always changes the stamp.
fn fnv(hash: u64, bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x100_0000_01b3;
    let mut words = bytes.chunks_exact(8);
    let mut h = hash;
    for word in &mut words {
        let word = u64::from_le_bytes([word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7]]);
        h = (h ^ word).wrapping_mul(PRIME);
        h ^= h >> 29;
    }
    words.remainder().iter().fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// Where the files of the index go, one by one, as soon as each is made.
pub type Emit<'a> = dyn Fn(Output) + Sync + 'a;

const FNV_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

/// `x/N.json`, the texts of chunk N, if any of its documents has more text than its record
/// holds; with the file's hash, for the version stamp.
fn text_file<'t>(n: usize, texts: impl IntoIterator<Item = Option<&'t str>>) -> Option<(Output, u64)> {
    let texts: Vec<Option<&str>> = texts.into_iter().collect();
    if texts.iter().all(Option::is_none) {
        return None;
    }
    let html = format!("{}\n", serde_json::to_string(&texts).unwrap_or_default());
    let hash = fnv(FNV_BASIS, html.as_bytes());
    Some((Output { path: format!("search/x/{n}.json"), html }, hash))
}

/// The files of chunk `n`: `d/N.json` (its records) and, if any of its texts goes on,
/// `x/N.json`; with their hashes, in that order, for the version stamp.
fn chunk_files<'t>(
    n: usize,
    records: &[&Record],
    texts: impl IntoIterator<Item = Option<&'t str>>,
) -> (Vec<Output>, Vec<u64>) {
    let html = format!("{}\n", serde_json::to_string(records).unwrap_or_else(|_| "[]".into()));
    let mut hashes = vec![fnv(FNV_BASIS, html.as_bytes())];
    let mut files = vec![Output { path: format!("search/d/{n}.json"), html }];
    if let Some((file, hash)) = text_file(n, texts) {
        files.push(file);
        hashes.push(hash);
    }
    (files, hashes)
}

/// The shards and, last, the manifest, handed to `emit` one by one. `chunk_hashes` are the
/// hashes of the `d/` and `x/` files (`chunk_files`), in chunk order, for the version stamp.
fn files(language: &str, docs: usize, chunk_hashes: &[u64], words: Postings, emit: &Emit) {
    let mut terms = terms(language, words);
    let suffixes = suffixes(language, &terms);
    // Each term's JSON is made once, and its postings are let go as it is made: a posting
    // takes about a byte in the JSON and four in memory, so the two are never held whole.
    let mut all: Vec<(&String, &mut Term)> = terms.iter_mut().collect();
    let jsons: Vec<String> = all
        .par_iter_mut()
        .map(|(s, t)| {
            let json = term_json(s, t);
            t.postings = Vec::new();
            json
        })
        .collect();
    drop(all);
    let entries: Vec<(&str, &Term)> = terms.iter().map(|(s, t)| (s.as_str(), t)).collect();
    let sizes: Vec<usize> = jsons.iter().map(String::len).collect();
    let stems: Vec<&str> = entries.iter().map(|(s, _)| *s).collect();
    let mut shards: BTreeMap<String, BTreeSet<usize>> =
        shard_terms(&stems, &sizes).into_iter().map(|(k, v)| (k, v.into_iter().collect())).collect();
    // A form whose own key differs from its stem's (English `happy` → `happi`) is found
    // through a copy of the term in the form's shard.
    let mut keys: BTreeSet<String> = shards.keys().cloned().collect();
    for (i, (stem, term)) in entries.iter().enumerate() {
        let home = shard_of(&keys, stem).cloned();
        for form in &term.forms {
            let key = match shard_of(&keys, form) {
                Some(k) => k.clone(),
                None => {
                    let k = prefix(form, 1).to_string();
                    keys.insert(k.clone());
                    k
                }
            };
            if Some(&key) != home.as_ref() {
                shards.entry(key).or_default().insert(i);
            }
        }
    }
    let keys: Vec<String> = shards.keys().cloned().collect();
    // Written in parallel; the version stamp hashes the files' hashes in order.
    let shards: Vec<&BTreeSet<usize>> = shards.values().collect();
    let shard_hashes: Vec<u64> = shards
        .par_iter()
        .enumerate()
        .map(|(n, items)| {
            let mut text = String::with_capacity(items.iter().map(|&i| sizes[i] + 2).sum::<usize>() + 2);
            text.push('[');
            for (k, &i) in items.iter().enumerate() {
                if k > 0 {
                    text.push_str(",\n");
                }
                text.push_str(&jsons[i]);
            }
            text.push_str("]\n");
            let hash = fnv(FNV_BASIS, text.as_bytes());
            emit(Output { path: format!("search/t/{n}.json"), html: text });
            hash
        })
        .collect();
    let mut version = FNV_BASIS;
    for h in shard_hashes.iter().chain(chunk_hashes) {
        version = fnv(version, &h.to_le_bytes());
    }
    let manifest = Manifest {
        format: 2,
        language,
        stemmer: text::algorithm(language).is_some(),
        docs,
        per_chunk: PER_CHUNK,
        cap: CAP,
        version: format!("{version:016x}"),
        suffixes,
        shards: keys,
    };
    let text = format!("{}\n", serde_json::to_string(&manifest).unwrap_or_default());
    emit(Output { path: "search/index.json".into(), html: text });
}

/// The documents of a build's index, in index order, planned before any is analysed: the
/// build analyses them beside its pages, gathers the parts (`Parts`) and writes the rest at
/// the end (`finish`). A chunk of posts alone is analysed a post at a time, from the plain
/// text its page's rendering gives (`post_doc`, `offer`): the body is parsed once for both.
/// Every other chunk is analysed whole (`chunks_to_analyze`, `analyze_chunk`).
pub struct Plan {
    sources: Vec<Source>,
    /// The document number of each post whose analysis is offered by its page's job.
    offered: FastMap<PostId, usize>,
    /// The analyses offered so far, by chunk, until each chunk is whole.
    waiting: std::sync::Mutex<FastMap<usize, Vec<Option<Analysis>>>>,
}

/// What one chunk of documents gave: the hashes of its files (written already) and the
/// words of its documents.
pub struct Part {
    chunk: usize,
    docs: usize,
    hashes: Vec<u64>,
    words: Vec<Words>,
}

/// The parts gathered so far: the documents and file hashes of each chunk, and the
/// postings of every word.
#[derive(Default)]
pub struct Parts {
    chunks: Vec<(usize, usize, Vec<u64>)>,
    words: Postings,
}

impl Plan {
    pub fn new(site: &Site) -> Plan {
        let sources = sources(site);
        debug_assert!(sources.len() < MAX_DOCS, "more documents than a search index holds");
        let mut offered = FastMap::default();
        let mut waiting = FastMap::default();
        for (c, chunk) in sources.chunks(PER_CHUNK).enumerate() {
            if chunk.iter().all(|s| matches!(s, Source::Post(_))) {
                for (k, s) in chunk.iter().enumerate() {
                    if let Source::Post(id) = s {
                        offered.insert(*id, c * PER_CHUNK + k);
                    }
                }
                waiting.insert(c, vec![None; chunk.len()]);
            }
        }
        Plan { sources, offered, waiting: std::sync::Mutex::new(waiting) }
    }

    /// How many chunks of `PER_CHUNK` documents there are.
    pub fn chunks(&self) -> usize {
        self.sources.len().div_ceil(PER_CHUNK)
    }

    /// The chunks that are analysed whole: those that hold something other than posts.
    pub fn chunks_to_analyze(&self) -> Vec<usize> {
        let waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        (0..self.chunks()).filter(|c| !waiting.contains_key(c)).collect()
    }

    /// Post `id`'s document number, when its page's job is to offer its analysis.
    pub fn post_doc(&self, id: PostId) -> Option<usize> {
        self.offered.get(&id).copied()
    }

    /// Document `doc`'s analysis (post `id`, whose body is `plain` as text), from its page's
    /// job. When it completes its chunk, the chunk's files go to `emit` and its part is
    /// returned, for `Parts::add`.
    pub fn offer(&self, site: &Site, doc: usize, id: PostId, plain: String, emit: &Emit) -> Option<Part> {
        let analysis = analyze_with(site, Source::Post(id), Some(plain));
        let c = doc / PER_CHUNK;
        let whole = {
            let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
            let slots = waiting.get_mut(&c)?;
            slots[doc % PER_CHUNK] = Some(analysis);
            if slots.iter().any(Option::is_none) {
                return None;
            }
            waiting.remove(&c)?
        };
        Some(self.part(c, whole.into_iter().flatten().collect(), emit))
    }

    /// The chunks still waiting once every page is rendered (a post whose page gave no text),
    /// their missing documents analysed here.
    pub fn rest(&self, site: &Site, emit: &Emit) -> Vec<Part> {
        let waiting = std::mem::take(&mut *self.waiting.lock().unwrap_or_else(|e| e.into_inner()));
        let mut chunks: Vec<(usize, Vec<Option<Analysis>>)> = waiting.into_iter().collect();
        chunks.sort_unstable_by_key(|(c, _)| *c);
        chunks
            .into_iter()
            .map(|(c, slots)| {
                let analyses = slots
                    .into_iter()
                    .enumerate()
                    .map(|(k, a)| a.unwrap_or_else(|| analyze(site, self.sources[c * PER_CHUNK + k])))
                    .collect();
                self.part(c, analyses, emit)
            })
            .collect()
    }

    /// Chunk `c`'s files, handed to `emit`, and its part.
    fn part(&self, c: usize, analyses: Vec<Analysis>, emit: &Emit) -> Part {
        let records: Vec<&Record> = analyses.iter().map(|a| &a.record).collect();
        let (files, hashes) = chunk_files(c, &records, analyses.iter().map(|a| a.full.as_deref()));
        files.into_iter().for_each(emit);
        Part { chunk: c, docs: analyses.len(), hashes, words: analyses.into_iter().map(|a| a.words).collect() }
    }

    /// Analyses chunk `c`, handing its `d/` and `x/` files to `emit` at once. Nothing of a
    /// document but its words is kept.
    pub fn analyze_chunk(&self, site: &Site, c: usize, emit: &Emit) -> Part {
        let chunk = &self.sources[c * PER_CHUNK..((c + 1) * PER_CHUNK).min(self.sources.len())];
        let analyses: Vec<Analysis> = chunk.iter().map(|&s| analyze(site, s)).collect();
        self.part(c, analyses, emit)
    }
}

impl Parts {
    pub fn add(&mut self, part: Part) {
        for (k, words) in part.words.into_iter().enumerate() {
            add_words(&mut self.words, part.chunk * PER_CHUNK + k, words);
        }
        self.chunks.push((part.chunk, part.docs, part.hashes));
    }
}

/// Writes the shards, the document files and the manifest of the gathered parts.
pub fn finish(site: &Site, parts: Parts, emit: &Emit) {
    let Parts { mut chunks, words } = parts;
    chunks.sort_unstable_by_key(|c| c.0);
    let docs = chunks.iter().map(|c| c.1).sum();
    let hashes: Vec<u64> = chunks.into_iter().flat_map(|c| c.2).collect();
    files(&site.config().language, docs, &hashes, words, emit);
}

/// Every file of the index of `site`, handed to `emit` as soon as it is made.
pub fn index(site: &Site, emit: &Emit) {
    let plan = Plan::new(site);
    let parts = std::sync::Mutex::new(Parts::default());
    (0..plan.chunks()).into_par_iter().for_each(|c| {
        let part = plan.analyze_chunk(site, c, emit);
        parts.lock().unwrap_or_else(|e| e.into_inner()).add(part);
    });
    finish(site, parts.into_inner().unwrap_or_else(|e| e.into_inner()), emit);
}

/// The index of `serve`: every document's analysis, kept so that an edit of one post
/// analyses that post alone. Cheap to clone (the analyses are shared).
#[derive(Clone)]
pub struct Kept {
    language: String,
    docs: Vec<Arc<Analysis>>,
    posts: std::collections::HashMap<PostId, usize>,
}

impl Kept {
    pub fn new(site: &Site) -> Kept {
        let sources = sources(site);
        let docs: Vec<Arc<Analysis>> = sources.par_iter().map(|&s| Arc::new(analyze(site, s))).collect();
        let posts = sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Source::Post(id) => Some((*id, i)),
                _ => None,
            })
            .collect();
        Kept { language: site.config().language.clone(), docs, posts }
    }

    /// Analyses post `id` again, after an edit that kept its place. Posts without a place
    /// in the index (not listed) change nothing.
    pub fn update_post(&mut self, site: &Site, id: PostId) {
        if let Some(&i) = self.posts.get(&id) {
            self.docs[i] = Arc::new(analyze(site, Source::Post(id)));
        }
    }

    /// Every file of the index, the manifest last.
    pub fn files(&self) -> Vec<Output> {
        let merged = self
            .docs
            .par_iter()
            .enumerate()
            .fold(Postings::default, |mut map, (i, a)| {
                add_words(&mut map, i, a.words.iter().map(|(w, n)| (w.as_str(), *n)));
                map
            })
            .reduce(Postings::default, merge);
        let mut out = Vec::new();
        let mut hashes = Vec::new();
        for (c, chunk) in self.docs.chunks(PER_CHUNK).enumerate() {
            let records: Vec<&Record> = chunk.iter().map(|a| &a.record).collect();
            let (files, h) = chunk_files(c, &records, chunk.iter().map(|a| a.full.as_deref()));
            out.extend(files);
            hashes.extend(h);
        }
        let made = std::sync::Mutex::new(out);
        let docs = self.docs.len();
        files(&self.language, docs, &hashes, merged, &|o| made.lock().unwrap_or_else(|e| e.into_inner()).push(o));
        made.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// Whether an output path belongs to the index (not a page).
pub fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && path.ends_with(".json")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The version stamp must move with any change to any byte of any file, wherever the
    /// byte falls against the eight-byte steps, and must be the same on every machine.
    #[test]
    fn the_version_hash_changes_with_every_byte_and_is_stable() {
        let text: Vec<u8> = (0..37u8).map(|i| i.wrapping_mul(7)).collect();
        let base = fnv(FNV_BASIS, &text);
        for i in 0..text.len() {
            for bit in 0..8 {
                let mut changed = text.clone();
                changed[i] ^= 1 << bit;
                assert_ne!(fnv(FNV_BASIS, &changed), base, "byte {i}, bit {bit}");
            }
        }
        assert_ne!(fnv(FNV_BASIS, &text[..36]), base, "a shorter file");
        assert_eq!(fnv(FNV_BASIS, b"search/t/0.json"), 5_906_240_728_228_984_970);
    }

    #[test]
    fn every_term_is_in_the_shard_of_the_longest_key_that_starts_it() {
        let stems = ["a1", "ab", "abc", "abd", "abde", "b2", "c3"];
        let sizes = [10, SHARD_BYTES, SHARD_BYTES, 10, 10, 10, 10];
        let shards = shard_terms(&stems, &sizes);
        let keys: BTreeSet<String> = shards.iter().map(|(k, _)| k.clone()).collect();
        for (key, items) in &shards {
            for &i in items {
                assert_eq!(shard_of(&keys, stems[i]), Some(key), "{}", stems[i]);
            }
        }
        assert!(keys.contains("abc"), "{keys:?}");
        assert!(keys.contains("b"), "{keys:?}");
    }

    #[test]
    fn a_term_lists_its_forms_and_postings_as_differences() {
        let term = Term {
            forms: ["heat", "heating", "heats"].iter().map(|s| s.to_string()).collect(),
            postings: vec![posting(2, 30), posting(5, 1), posting(9, 3)],
        };
        assert_eq!(term_json("heat", &term), r#"["heat",["heating","heats"],3,[[30,"C"],[3,"J"],[1,"F"]]]"#);
    }

    #[test]
    fn numbers_are_base64url_varints() {
        let digits = |n| {
            let mut s = String::new();
            push_number(&mut s, n);
            s
        };
        assert_eq!([digits(0), digits(31), digits(32), digits(1023), digits(1024)], ["A", "f", "gB", "_f", "ggB"]);
        assert_eq!(digits(MAX_DOCS as u32 - 1).len(), 5);
    }

    #[test]
    fn a_capped_term_keeps_its_heaviest_postings() {
        let mut words = Postings::default();
        let many: Vec<Posting> = (0..CAP + 10).map(|doc| posting(doc, if doc == CAP + 5 { 30 } else { 1 })).collect();
        words.insert("rollback".into(), many);
        let terms = terms("en", words);
        let kept = &terms["rollback"].postings;
        assert_eq!(kept.len(), CAP);
        // The oldest post with the word in its title stays; bodies of the oldest go.
        assert!(kept.contains(&posting(CAP + 5, 30)));
        assert!(!kept.contains(&posting(CAP + 9, 1)) && kept.contains(&posting(0, 1)));
        assert!(kept.windows(2).all(|w| doc_of(w[0]) < doc_of(w[1])), "by document");
    }

    proptest::proptest! {
        /// `excerpt_of` joins only the start of the parts; the cut must be the one the
        /// whole joined text gives.
        #[test]
        fn an_excerpt_is_cut_as_from_the_whole_text(
            parts in proptest::collection::vec("[ aé東\n]{0,12}", 0..4),
            chars in 0usize..24,
        ) {
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            let joined = parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
            let whole = match joined.char_indices().nth(chars) {
                None => joined.clone(),
                Some((cut, _)) => format!("{}…", &joined[..joined[..cut].rfind(' ').unwrap_or(cut)]),
            };
            proptest::prop_assert_eq!(excerpt_of(&parts, chars), whole);
        }
    }

    #[test]
    fn excerpts_end_at_a_word() {
        let long = "word ".repeat(400);
        let e = excerpt(&[&long]);
        assert!(e.ends_with("word…") && e.chars().count() <= EXCERPT_CHARS + 1, "{e}");
    }
}

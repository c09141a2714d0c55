//! The judicious-use lints of DESIGN §6: cadence of featured posts, and share copy that is
//! repeated across posts or nearly so. `build` reports the cadence; `check` reports both.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::content::SourceFile;
use crate::dates;
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::fields::Spanned;
use crate::site::{PostId, PostState, Site};

/// A warning for each ISO week with more featured posts than `cadence.max_featured_per_week`.
pub fn cadence(site: &Site) -> Vec<Diagnostic> {
    let max = site.config().max_featured_per_week;
    let mut weeks: BTreeMap<String, Vec<PostId>> = BTreeMap::new();
    for (id, p) in site.posts() {
        let counts = matches!(site.post_state(id), PostState::Live | PostState::Expired | PostState::Scheduled);
        if p.featured.value && counts {
            weeks.entry(dates::iso_week(&p.date.value.with_timezone(&site.config().timezone))).or_default().push(id);
        }
    }
    let mut diags = Vec::new();
    for (week, mut posts) in weeks {
        if posts.len() <= max {
            continue;
        }
        posts.sort_by(|&a, &b| site.post(a).file.rel.cmp(&site.post(b).file.rel));
        let files: Vec<&str> = posts.iter().map(|&id| site.post(id).file.rel.as_str()).collect();
        let last = site.post(*posts.last().expect("more than max posts"));
        diags.push(
            Diagnostic::warning(
                Code::Cadence,
                format!(
                    "{} posts are featured in week {week}, more than the {max} allowed: {}",
                    posts.len(),
                    files.join(", ")
                ),
            )
            .in_file(&last.file.rel)
            .at(&last.file.text(), last.featured.line, 1, "featured".len())
            .with_hint(
                "feature fewer posts that week, or move one to another week: people tune out when asked too often",
            ),
        );
    }
    diags
}

/// Case, spacing and punctuation removed; hashtags and links kept as words.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Word trigrams of a normalised text.
fn shingles(normalized: &str) -> HashSet<String> {
    let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() < 3 {
        return words.iter().map(|w| w.to_string()).collect();
    }
    words.windows(3).map(|w| w.join(" ")).collect()
}

/// Share copy written by hand (text, variants, overrides), with the post it is in.
struct Copy<'a> {
    post: PostId,
    text: &'a Spanned<String>,
    normalized: String,
}

/// How similar two texts must be to count as near copies (Jaccard of word trigrams).
const NEAR: f64 = 0.7;

/// Warnings for share texts used on several posts, exactly or nearly.
pub fn copy(site: &Site) -> Vec<Diagnostic> {
    let mut copies: Vec<Copy> = Vec::new();
    for (id, p) in site.posts() {
        if !site.post_state(id).has_page() {
            continue;
        }
        let texts = p.share.text.iter().chain(p.share.variants.iter()).chain(p.share.overrides.iter().map(|(_, t)| t));
        let mut seen_here = HashSet::new();
        for t in texts {
            let normalized = normalize(&t.value);
            if normalized.split(' ').count() >= 4 && seen_here.insert(normalized.clone()) {
                copies.push(Copy { post: id, text: t, normalized });
            }
        }
    }
    let sets: Vec<HashSet<String>> = copies.iter().map(|c| shingles(&c.normalized)).collect();
    // An inverted index finds candidate pairs without comparing every pair.
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, set) in sets.iter().enumerate() {
        for s in set {
            index.entry(s.as_str()).or_default().push(n);
        }
    }
    let mut reported: HashSet<(PostId, PostId)> = HashSet::new();
    let mut diags = Vec::new();
    for (n, set) in sets.iter().enumerate() {
        let mut overlap: HashMap<usize, usize> = HashMap::new();
        for s in set {
            let holders = &index[s.as_str()];
            if holders.len() > 200 {
                continue; // a stock phrase, not evidence of copying
            }
            for &m in holders {
                if m < n && copies[m].post != copies[n].post {
                    *overlap.entry(m).or_default() += 1;
                }
            }
        }
        let mut candidates: Vec<(usize, usize)> = overlap.into_iter().collect();
        candidates.sort_unstable();
        for (m, shared) in candidates {
            let union = sets[m].len() + set.len() - shared;
            let similarity = shared as f64 / union.max(1) as f64;
            let (a, b) = (&copies[m], &copies[n]);
            let exact = a.normalized == b.normalized;
            if !(exact || similarity >= NEAR) || !reported.insert((a.post.min(b.post), a.post.max(b.post))) {
                continue;
            }
            let (pa, pb) = (site.post(a.post), site.post(b.post));
            let line = b.text.line;
            let message = if exact {
                format!("this share message is the same as one in {}", pa.file.rel)
            } else {
                format!(
                    "this share message is nearly the same as one in {} ({}% alike)",
                    pa.file.rel,
                    (similarity * 100.0).round()
                )
            };
            let text = pb.file.text();
            diags.push(
                Diagnostic::warning(if exact { Code::DuplicateCopy } else { Code::NearCopy }, message)
                    .in_file(&pb.file.rel)
                    .at(&text, line, 1, SourceFile::line_width(&text, line))
                    .with_hint("identical posts from many people read as spam; write what this post means to you"),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_ignores_case_spacing_and_punctuation() {
        assert_eq!(normalize("Hello,   WORLD!  It's  #Rust."), "hello world it s rust");
    }

    #[test]
    fn trigram_similarity_spots_small_edits() {
        let a = shingles(&normalize("We rewrote every sentence on the statements our co-ops send to members"));
        let b = shingles(&normalize("We rewrote every sentence on the statements our co-ops send to their members"));
        let shared = a.intersection(&b).count();
        let jaccard = shared as f64 / (a.len() + b.len() - shared) as f64;
        assert!(jaccard >= NEAR, "{jaccard}");
    }
}

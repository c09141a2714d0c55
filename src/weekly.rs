//! `chorus digest`: the whole command — load the hub, prepare its cards, build one week's
//! digest and give it back as text, Markdown or an HTML email. Orchestration only: the
//! digest itself is `digest`, the email's HTML is `render`'s; sending it is `send` (and
//! `mail`).

mod send;

use std::path::Path;

use crate::cards::Cards;
use crate::dates;
use crate::diagnostic::Diagnostic;
use crate::digest;
use crate::render::{Audience, Renderer};
use crate::site::{Options, Site};

pub use send::{send, Delivery, Sent};

/// How `chorus digest` prints a digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text, ready to paste into an email.
    Text,
    Markdown,
    /// A standalone HTML message, from the theme's `digest_email.html`.
    Html,
}

/// Why `chorus digest` printed nothing.
#[derive(Debug)]
pub enum Failure {
    /// A flag was wrong (exit code 2).
    Usage(String),
    /// The hub's content has errors (exit code 1).
    Hub(Vec<Diagnostic>),
    /// The theme's templates have errors (exit code 1).
    Theme(Vec<Diagnostic>),
    /// The digest could not be sent, or `digest:` is missing (exit code 1).
    Mail(Vec<Diagnostic>),
}

/// A hub loaded for its digest of one week.
struct Loaded {
    site: Site,
    tera: tera::Tera,
    week: String,
}

impl Loaded {
    fn load(root: &Path, options: Options, week: Option<&str>, language: Option<&str>) -> Result<Loaded, Failure> {
        let week = match week {
            Some(w) => dates::check_iso_week(w).map_err(Failure::Usage)?,
            None => dates::iso_week(&options.now),
        };
        let (sites, diags) = Site::load_languages(
            root,
            options,
            &mut crate::site::LoadCache::default(),
            &std::collections::HashSet::new(),
        );
        let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
        if sites.is_empty() || !errors.is_empty() {
            return Err(Failure::Hub(errors));
        }
        let site = pick_language(sites, language)?;
        let tera = crate::render::load_templates(root, &site.config().theme).map_err(Failure::Theme)?;
        Ok(Loaded { site, tera, week })
    }

    /// The week's digest, written with the cards' texts; a broken file of the theme's texts
    /// (`i18n/`) fails as the templates do.
    fn digest<'a>(&self, cards: &'a Cards) -> Result<digest::Digest<'a>, Failure> {
        let broken: Vec<Diagnostic> = cards
            .diagnostics()
            .iter()
            .filter(|d| d.is_error() && crate::i18n::is_strings_file(&d.file))
            .cloned()
            .collect();
        if !broken.is_empty() {
            return Err(Failure::Theme(broken));
        }
        let week = &self.week;
        digest::build(&self.site, cards, week)
            .ok_or_else(|| Failure::Usage(format!("`{week}` is not an ISO week; write it like `2026-W47`")))
    }
}

/// `--language`: the digest of one of the hub's languages (the default without the flag).
/// A language the hub does not have is refused rather than answered in another one.
fn pick_language(sites: Vec<Site>, language: Option<&str>) -> Result<Site, Failure> {
    let codes: Vec<String> = sites.iter().map(|s| s.config().language.clone()).collect();
    let wanted = language.map(|l| l.trim().to_ascii_lowercase());
    let at = match &wanted {
        None => Some(0),
        Some(w) => codes.iter().position(|c| c == w),
    };
    match at {
        Some(i) => Ok(sites.into_iter().nth(i).expect("the position is in range")),
        None if codes.len() == 1 => {
            let hub = &codes[0];
            Err(Failure::Usage(format!(
                "`--language {}`: this hub is written in `{hub}` only (its `language` in chorus.yaml), so its digest is in `{hub}`; leave out `--language` or write `--language {hub}`",
                language.unwrap_or_default()
            )))
        }
        None => Err(Failure::Usage(format!(
            "`--language {}`: the hub's languages are {}; write one of them, or list the language under `languages:` in chorus.yaml",
            language.unwrap_or_default(),
            codes.join(", ")
        ))),
    }
}

/// `chorus digest`: loads the hub at `root` and prints the digest of `week` (default: the
/// week of `options.now`) in `format`.
pub fn command(
    root: &Path,
    options: Options,
    week: Option<&str>,
    language: Option<&str>,
    format: Format,
) -> Result<String, Failure> {
    let loaded = Loaded::load(root, options, week, language)?;
    let (site, tera) = (&loaded.site, &loaded.tera);
    let cards = Cards::new(site, None);
    let digest = loaded.digest(&cards)?;
    match format {
        Format::Text => Ok(digest::to_text(&digest)),
        Format::Markdown => Ok(digest::to_markdown(&digest)),
        Format::Html => {
            let renderer = Renderer::new(site, tera, &cards, Audience::Published);
            renderer.digest_email(&digest).map_err(|d| Failure::Theme(vec![d]))
        }
    }
}

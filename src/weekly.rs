//! `chorus digest`: the whole command — load the hub, prepare its cards, build one week's
//! digest and give it back as text, Markdown or an HTML email. Orchestration only: the
//! digest itself is `digest`, the email's HTML is `render`'s.

use std::path::Path;

use crate::cards::Cards;
use crate::dates;
use crate::diagnostic::Diagnostic;
use crate::digest;
use crate::render::{Audience, Renderer};
use crate::site::{Options, Site};

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
}

/// `chorus digest`: loads the hub at `root` and prints the digest of `week` (default: the
/// week of `options.now`) in `format`.
pub fn command(root: &Path, options: Options, week: Option<&str>, format: Format) -> Result<String, Failure> {
    let week = match week {
        Some(w) => dates::check_iso_week(w).map_err(Failure::Usage)?,
        None => dates::iso_week(&options.now),
    };
    let (site, diags) = Site::load(root, options);
    let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    let Some(site) = site.filter(|_| errors.is_empty()) else { return Err(Failure::Hub(errors)) };
    let tera = crate::render::load_templates(root, &site.config().theme).map_err(Failure::Theme)?;
    let cards = Cards::new(&site, None);
    let digest = digest::build(&site, &cards, &week)
        .ok_or_else(|| Failure::Usage(format!("`{week}` is not an ISO week; write it like `2026-W47`")))?;
    match format {
        Format::Text => Ok(digest::to_text(&digest)),
        Format::Markdown => Ok(digest::to_markdown(&digest)),
        Format::Html => {
            let renderer = Renderer::new(&site, &tera, &cards, Audience::Published);
            renderer.digest_email(&digest).map_err(|d| Failure::Theme(vec![d]))
        }
    }
}

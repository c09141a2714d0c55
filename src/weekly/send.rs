//! `chorus digest --send`, `--eml FILE` and `--dry-run`: the week's digest as one email, from
//! `digest.from` to `digest.to` through `digest.smtp`. Orchestration only: the message and
//! the SMTP conversation are `mail`'s.

use std::path::{Path, PathBuf};

use super::{Failure, Loaded};
use crate::cards::Cards;
use crate::diagnostic::{Code, Diagnostic};
use crate::digest;
use crate::mail::{self, Letter};
use crate::render::{Audience, Renderer};
use crate::site::Options;

/// What to do with the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Send it through `digest.smtp`.
    Send,
    /// Write the exact message to this file instead.
    Eml(PathBuf),
    /// Print the envelope and the text part.
    DryRun,
}

/// What happened: `output` goes to standard output, `note` to the person at the terminal.
#[derive(Debug, Default)]
pub struct Sent {
    pub output: String,
    pub note: String,
}

/// Loads the hub at `root`, makes the digest of `week` (default: the week of `options.now`)
/// into a message and delivers it as `delivery` says. `password` is `CHORUS_SMTP_PASSWORD`.
pub fn send(
    root: &Path,
    options: Options,
    week: Option<&str>,
    language: Option<&str>,
    delivery: &Delivery,
    password: Option<&str>,
) -> Result<Sent, Failure> {
    let now = options.now;
    let loaded = Loaded::load(root, options, week, language)?;
    let (site, tera) = (&loaded.site, &loaded.tera);
    let config = site.config();
    let Some(settings) = &config.digest else {
        return Err(Failure::Mail(vec![Diagnostic::error(
            Code::MissingKey,
            "chorus.yaml has no `digest:` settings, so Chorus does not know whom to send the digest to",
        )
        .in_file(crate::config::FILE)
        .with_hint("add `digest:` with `from:`, `to:` and `smtp:` (`host`, `port`, `security`, `username`); see docs/digest.md")]));
    };
    let cards = Cards::new(site, None);
    let digest = loaded.digest(&cards)?;
    if digest.posts.is_empty() && digest.causes.is_empty() {
        return Ok(Sent {
            output: String::new(),
            note: format!(
                "Nothing to send: {} has no posts and no causes coming up, and an empty digest would only be noise.",
                loaded.week
            ),
        });
    }
    let renderer = Renderer::new(site, tera, &cards, Audience::Published);
    let html = renderer.digest_email(&digest).map_err(|d| Failure::Theme(vec![d]))?;
    let hub_host = url::Url::parse(&config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "chorus.invalid".into());
    let letter = Letter {
        settings,
        subject: digest.heading(),
        text: digest::to_text(&digest),
        html,
        week: &loaded.week,
        hub_host,
        date: now,
    };
    let message = letter.message().map_err(|m| Failure::Mail(vec![Diagnostic::error(Code::BadEmailAddress, m)]))?;
    let bytes = message.formatted();
    let recipients = settings.to.iter().map(|m| m.email.to_string()).collect::<Vec<_>>().join(", ");
    match delivery {
        Delivery::DryRun => Ok(Sent {
            output: letter.dry_run(),
            note: format!("Dry run: nothing was sent. `--send` would send this to {recipients}."),
        }),
        Delivery::Eml(path) => {
            std::fs::write(path, &bytes).map_err(|e| {
                Failure::Mail(vec![Diagnostic::error(Code::Io, format!("cannot write {}: {e}", path.display()))
                    .with_hint("choose a file in a folder you can write to")])
            })?;
            Ok(Sent {
                output: String::new(),
                note: format!(
                    "Wrote the digest of {} to {} ({} bytes); nothing was sent.",
                    loaded.week,
                    path.display(),
                    bytes.len()
                ),
            })
        }
        Delivery::Send => {
            mail::send(settings, &message, &bytes, password).map_err(|d| Failure::Mail(vec![d]))?;
            Ok(Sent {
                output: String::new(),
                note: format!(
                    "Sent the digest of {} to {recipients} through {}:{} (Message-ID {}).",
                    loaded.week,
                    settings.smtp.host,
                    settings.smtp.port,
                    letter.message_id()
                ),
            })
        }
    }
}

//! The command line's flags (clap). Only their shape and help texts: `main.rs` dispatches
//! them to the library, and everything a command does is in the library.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::site;

#[derive(Parser)]
#[command(name = "chorus", version, about = "Build an employee advocacy hub from Markdown.")]
pub struct Cli {
    /// The hub's folder (where chorus.yaml is).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Args, Clone)]
pub struct Schedule {
    /// Include posts marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include posts dated in the future.
    #[arg(long)]
    pub future: bool,
    /// Judge scheduling against this moment (RFC 3339) instead of the clock or SOURCE_DATE_EPOCH.
    #[arg(long, value_name = "T")]
    pub now: Option<String>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        schedule: Schedule,
        /// Use this base URL instead of the config's.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Where to write the site (default: `output_dir` from chorus.yaml, `public`).
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Show how long each phase took.
        #[arg(long)]
        timings: bool,
    },
    /// Report every problem in the hub without writing anything.
    Check {
        #[command(flatten)]
        schedule: Schedule,
        /// How to print the problems.
        #[arg(long, value_enum, default_value = "human")]
        format: CheckFormat,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Build, serve the hub on localhost, and rebuild and reload the browser on every change.
    Serve {
        #[command(flatten)]
        schedule: Schedule,
        /// The port to listen on (the next free one is used if it is taken).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but localhost makes the preview reachable by others.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Also answer to this host name (repeatable), e.g. this computer's name on the network.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
        /// Open the preview in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Start a new post, person, cause or page, with its front matter filled in.
    New {
        #[arg(value_enum)]
        kind: NewKind,
        /// The title (or, for a person, the name).
        title: String,
        /// Use this moment as "today" (RFC 3339).
        #[arg(long, value_name = "T")]
        now: Option<String>,
    },
    /// Create a minimal hub that builds and passes `check` at once.
    Init {
        /// Where to create it (default: the current folder).
        dir: Option<PathBuf>,
    },
    /// Print or email one week's digest: its posts with their suggested messages, and the causes coming up.
    Digest {
        /// The ISO week, like `2026-W47` (default: the current week).
        #[arg(long)]
        week: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: DigestFormat,
        /// Judge "this week" and scheduling against this moment (RFC 3339).
        #[arg(long, value_name = "T")]
        now: Option<String>,
        /// The digest's language; a hub has one for now (its `language`), and this must be it.
        #[arg(long, value_name = "L")]
        language: Option<String>,
        /// Email the digest to `digest.to` through `digest.smtp` (password from CHORUS_SMTP_PASSWORD).
        #[arg(long, conflicts_with_all = ["eml", "dry_run"])]
        send: bool,
        /// Write the exact email to FILE instead of sending it.
        #[arg(long, value_name = "FILE", conflicts_with = "dry_run")]
        eml: Option<PathBuf>,
        /// Print the email's envelope and text part instead of sending it.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(clap::ValueEnum, Clone, Copy)]
pub enum NewKind {
    Post,
    Person,
    Cause,
    Page,
}

#[derive(clap::ValueEnum, Clone, Copy)]
pub enum DigestFormat {
    Text,
    Markdown,
    Html,
}

#[derive(clap::ValueEnum, Clone, Copy)]
pub enum CheckFormat {
    Human,
    Github,
    Json,
}

impl Schedule {
    /// The scheduling options of a command, with "now" from `--now`, `SOURCE_DATE_EPOCH` or
    /// the clock.
    pub fn options(&self, base_url: Option<String>) -> Result<site::Options, String> {
        let now = crate::dates::now_for_command(self.now.as_deref())?;
        Ok(site::Options { drafts: self.drafts, future: self.future, now, base_url })
    }
}

impl From<NewKind> for crate::scaffold::Kind {
    fn from(kind: NewKind) -> Self {
        match kind {
            NewKind::Post => crate::scaffold::Kind::Post,
            NewKind::Person => crate::scaffold::Kind::Person,
            NewKind::Cause => crate::scaffold::Kind::Cause,
            NewKind::Page => crate::scaffold::Kind::Page,
        }
    }
}

impl From<DigestFormat> for crate::weekly::Format {
    fn from(format: DigestFormat) -> Self {
        match format {
            DigestFormat::Text => crate::weekly::Format::Text,
            DigestFormat::Markdown => crate::weekly::Format::Markdown,
            DigestFormat::Html => crate::weekly::Format::Html,
        }
    }
}

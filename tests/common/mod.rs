//! What every test binary of Chorus stands on, included by each with
//! `#[path = "../common/mod.rs"] mod common;`:
//!
//! - [`TestSite`]: a hub in a fresh temporary folder, built by the real `chorus` binary,
//!   written fluently (`TestSite::fixture("minimal").file(…).build().success()`);
//! - [`Run`]: one run of the binary, with a time limit, a crash check and clipped output in
//!   failure messages; pages and files read back from its output ([`Page`]);
//! - [`Diagnostic`]: a diagnostic as `chorus check --format json` reports it, the way tests
//!   learn codes, files, lines and counts; [`Printed`] only for tests about the human
//!   rendering itself (snippets, carets, wording of what `build` prints);
//! - [`NOW`], the one moment every run is judged against, and the helpers to read trees and
//!   HTML back ([`snapshot`], [`files_under`], [`unescape`], [`attribute`]).

// Each binary uses a part of it.
#![allow(dead_code, unused_imports)]

mod diagnostics;
mod page;
mod process;
mod site;
mod tree;

pub use diagnostics::{counts, Diagnostic, Printed, Severity};
pub use page::{attribute, split_query, unescape, Page};
pub use process::{chorus_command, run_command, Finished};
pub use site::{Run, TestSite};
pub use tree::{assert_same_tree, copy_dir, files_under, snapshot, Entry};

use std::path::Path;
use std::time::Duration;

/// The moment every run is judged against (`--now`), never the clock.
pub const NOW: &str = "2026-11-22T12:00:00Z";
/// [`NOW`] as seconds since the Unix epoch, for `SOURCE_DATE_EPOCH`.
pub const NOW_EPOCH: &str = "1795348800";

/// How long one run of `chorus` may take before it counts as a hang and is killed.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The repository (`CARGO_MANIFEST_DIR`).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A small valid PNG (4×3), for pages that need a real image.
pub fn png() -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures/basic/content/posts/2026-11-15-solar-roof/cover.png"))
        .expect("the fixture PNG")
}

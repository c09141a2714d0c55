//! Integration tests of Chorus: each runs the real `chorus` binary on a hub in its own
//! temporary folder (see `common::TestSite`) and checks what it wrote and printed.
//!
//! One module per feature; fixture hubs live in `tests/fixtures/`:
//! - `basic`: four people (one without consent, one withdrawn), posts in every state (live,
//!   draft, scheduled, expired, hidden author, co-authored), a bundle with an image, causes,
//!   pages, and a site `static/` override;
//! - `minimal`: the smallest valid hub, to which tests add the files they are about.

mod avoid;
mod build;
mod calendar;
mod check;
mod cli;
#[path = "../common/mod.rs"]
mod common;
mod diagnostics;
mod digest;
mod digest_send;
mod feeds;
mod home;
mod incremental;
mod jsonfeed;
mod output_safety;
mod reproducible;
mod scaffold;
mod scheduling;
mod serve;
mod share;

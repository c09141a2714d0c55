//! Integration tests of Chorus: each runs the real `chorus` binary on a hub in its own
//! temporary folder (see `common::TestSite`) and checks what it wrote and printed.
//!
//! One module per feature; fixture hubs live in `tests/fixtures/`:
//! - `basic`: four people (one without consent, one withdrawn), posts in every state (live,
//!   draft, scheduled, expired, hidden author, co-authored), a bundle with an image, causes,
//!   pages, and a site `static/` override;
//! - `minimal`: the smallest valid hub, to which tests add the files they are about;
//! - `languages`: English, German and Arabic: translations of posts, a bundle, a cause, a
//!   page and profiles, and a post in German only.

mod aliases;
mod anchors;
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
mod external_media;
mod feeds;
mod highlighting;
mod home;
mod images;
mod import;
mod incremental;
mod init_ci;
mod jsonfeed;
mod languages;
mod mistakes;
mod output_safety;
mod permalinks;
mod reproducible;
mod scaffold;
mod scheduling;
mod search;
mod serve;
mod share;
mod share_fit;
mod theme_strings;

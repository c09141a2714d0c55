//! Hostile content and injection tests of Chorus (DESIGN §3, §5, §9): anyone in the company
//! can open a pull request to a hub, so hostile or clumsy content must never crash a build,
//! hang it, leak a file from outside the hub, or put script into a page.
//!
//! Each test runs the real `chorus` binary on a hub in its own temporary folder
//! (`common::TestSite`), with a time limit (a run still going after 20 s is killed: "hang") and
//! a crash check (a panic or a signal fails the test, whatever it expected).
//!
//! - `content`: malformed, huge, binary, oddly dated, duplicated and linked files;
//! - `injection`: a hub whose every field carries script payloads, checked to build and stay
//!   inert in every page, JSON-LD block, feed, sitemap, share link and digest format;
//! - `trees`: folders linked out of the hub, control characters in names, size limits,
//!   the template sandbox, empty authors, forged diagnostic lines, dates out of range;
//! - `inert`: the checks themselves (a small HTML tokenizer, JSON-LD, Atom, share links);
//! - `urls`: raw-HTML URLs that browsers resolve to another site however they are written.
//!
//! Tests marked `//! `cargo test --test hostile -- --ignored`.

#[path = "../common/mod.rs"]
mod common;
mod content;
mod inert;
mod injection;
mod trees;
mod urls;
mod util;

#[test]
fn the_inertness_checks_catch_what_they_are_for() {
    inert::self_test();
}

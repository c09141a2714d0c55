//! Browser tests: the published demo hub, loaded in headless Debian Chromium.
//!
//! Each test builds the demo with the real `chorus` binary, serves the output on
//! 127.0.0.1, and drives `/usr/bin/chromium` over the DevTools protocol. Without Chromium
//! the tests print "skipped: chromium not installed" and pass, unless
//! `CHORUS_REQUIRE_BROWSER=1` is set (CI should set it), which makes a missing browser a
//! failure.

mod cdp;
#[path = "../common/mod.rs"]
mod common;
mod copy_text;
mod harness;
mod languages;
mod no_js;
mod policy;
mod poster;
mod screens;
mod search;
mod server;
mod share_kit;
mod social_card;

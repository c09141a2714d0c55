//! Replays the fuzzers' seed corpus and regression inputs through the fuzz targets' own
//! checks, on stable Rust.

use std::path::Path;

#[path = "../../fuzz/checks.rs"]
#[allow(dead_code)]
mod checks;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in [base.join("seeds").join(target), base.join("regressions").join(target)] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            if e.path().is_file() {
                out.push((e.path().display().to_string(), std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn replay(target: &str, check: impl Fn(&[u8])) {
    let all = inputs(target);
    assert!(!all.is_empty(), "no seeds for {target}");
    for (name, data) in &all {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(data)));
        assert!(result.is_ok(), "{target}: {name} fails");
    }
}

/// libFuzzer hands `&str` targets only valid UTF-8; so does the replay.
fn as_text(check: fn(&str)) -> impl Fn(&[u8]) {
    move |data: &[u8]| {
        if let Ok(text) = std::str::from_utf8(data) {
            check(text);
        }
    }
}

#[test]
fn content_file_inputs_replay() {
    replay("content_file", checks::content_file);
}

#[test]
fn markdown_inputs_replay() {
    replay("markdown", as_text(checks::markdown));
}

#[test]
fn share_kit_inputs_replay() {
    replay("share_kit", as_text(checks::share_kit));
}

#[test]
fn config_inputs_replay() {
    replay("config", as_text(checks::config));
}

#[test]
fn counters_inputs_replay() {
    replay("counters", as_text(checks::counters));
}

#[test]
fn serve_request_inputs_replay() {
    replay("serve_request", checks::serve_request);
}

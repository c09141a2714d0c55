//! Fuzz target `counters`: the property lives in `fuzz/checks.rs`, which `cargo test` replays.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|text: &str| {
    checks::counters(text);
});

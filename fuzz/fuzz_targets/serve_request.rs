//! Fuzz target `serve_request`: the property lives in `fuzz/checks.rs`, which `cargo test` replays.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    checks::serve_request(data);
});

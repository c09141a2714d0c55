//! Reliability: killed and failing builds never damage what is published, the fuzzers'
//! regression inputs replay without nightly, and the invariants hold for generated input.

#[path = "../common/mod.rs"]
mod common;
mod crash;
mod fuzz_replay;
mod properties;
mod util;

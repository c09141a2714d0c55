//! What only the hostile tests need beside `common`: a PNG, YAML quoting, and the check that
//! a secret from outside the hub never shows.
//!
//! Every run (`common::TestSite`) already has a time limit (a child still running after
//! `common::TIMEOUT`, or the site's own limit, is killed and the test fails with "hang") and
//! a crash check (exit code 101, "panicked" on stderr, or death by a signal fails the test
//! whatever it expected).

use crate::common::Run;

/// A small valid PNG (4×3), for images and for "a PNG named `.md`".
pub use crate::common::png;

/// `s` as a YAML scalar: a JSON string is a valid YAML double-quoted scalar, whatever it holds.
pub fn y(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

pub trait NeverShows {
    /// Asserts no output file (nor stdout or stderr) contains `secret`.
    fn never_shows(&self, secret: &str) -> &Self;
}

impl NeverShows for Run {
    fn never_shows(&self, secret: &str) -> &Run {
        self.stdout_lacks(secret).stderr_lacks(secret);
        for (f, bytes) in self.all_bytes() {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(secret),
                "{f} contains {secret:?}, which only exists outside the hub"
            );
        }
        self
    }
}

//! Running the real `chorus` binary: a clean environment, a time limit, a crash check, and
//! output clipped in failure messages.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `chorus` binary with a clean environment: no `SOURCE_DATE_EPOCH` from the caller, no
/// colour.
pub fn chorus_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chorus"));
    cmd.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    cmd
}

/// What one finished run of a command printed and returned.
pub struct Finished {
    /// `None` when a signal ended it.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// The command as shown in failure messages (`chorus build --now …`).
    pub shown: String,
}

/// Runs `cmd` to its end with no input, reading both pipes; a child still running after
/// `limit` is killed and the test fails with "hang".
pub fn run_command(mut cmd: Command, shown: &str, limit: Duration) -> Finished {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("`{shown}` cannot start: {e}"));
    fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    }
    let out_thread = drain(child.stdout.take());
    let err_thread = drain(child.stderr.take());
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for chorus") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hang: `{shown}` did not finish within {limit:?}; it was killed");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    Finished {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out_thread.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_thread.join().unwrap()).into_owned(),
        elapsed,
        shown: shown.to_string(),
    }
}

impl Finished {
    /// Fails on a panic (exit code 101, "panicked") or death by a signal (stack overflow,
    /// abort), whatever the test expected.
    pub fn assert_no_crash(&self) -> &Finished {
        assert!(self.code.is_some(), "chorus was killed by a signal (a crash, e.g. a stack overflow)\n{self}");
        assert_ne!(self.code, Some(101), "chorus panicked\n{self}");
        assert!(!self.stderr.contains("panicked"), "chorus panicked\n{self}");
        assert!(!self.stderr.contains("RUST_BACKTRACE"), "chorus panicked\n{self}");
        self
    }

    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

/// `s`, cut after 6000 bytes (at a character boundary) with a note of its full length.
pub fn clip(s: &str) -> String {
    const MAX: usize = 6000;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut cut = MAX;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}… ({} bytes in all)", &s[..cut], s.len())
}

impl std::fmt::Display for Finished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}\n--- exit code: {:?} after {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.shown,
            self.code,
            self.elapsed,
            clip(&self.stdout),
            clip(&self.stderr)
        )
    }
}

impl std::fmt::Debug for Finished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

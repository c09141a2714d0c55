//! `TestSite`: a hub in a fresh temporary folder, built by the real `chorus` binary — the
//! testsuite's helper (`tests/testsuite/util.rs`), cut down and made hostile-proof:
//!
//! - every run has a time limit: a child still running after [`TIMEOUT`] (or the site's own
//!   limit) is killed and the test fails with "hang";
//! - every run is checked for a crash: exit code 101 or "panicked" on stderr (a Rust panic),
//!   or death by a signal (a stack overflow aborts), fails the test whatever it expected;
//! - builds are always judged against [`NOW`].
//!
//! The hub lives at `<tmp>/hub/`, so a test can put files *beside* it (`<tmp>/outside.md`)
//! and check that nothing of them ever reaches the output.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The moment every build is judged against.
pub const NOW: &str = "2026-11-22T12:00:00Z";

/// How long one run of `chorus` may take before it counts as a hang.
pub const TIMEOUT: Duration = Duration::from_secs(20);

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` into `to` (created), file by file.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    let mut entries: Vec<_> = fs::read_dir(from)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()))
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap_or_else(|err| panic!("cannot copy {}: {err}", e.path().display()));
        }
    }
}

/// A small valid PNG (4×3), for images and for "a PNG named `.md`".
pub fn png() -> Vec<u8> {
    fs::read(repo().join("tests/fixtures/basic/content/posts/2026-11-15-solar-roof/cover.png"))
        .expect("the fixture PNG")
}

pub struct TestSite {
    tmp: Rc<tempfile::TempDir>,
    root: PathBuf,
    timeout: Duration,
}

impl TestSite {
    /// An empty hub folder holding only a copy of the default theme.
    pub fn new() -> TestSite {
        let tmp = tempfile::Builder::new().prefix("chorus-hostile-").tempdir().expect("a temporary folder");
        let root = tmp.path().join("hub");
        copy_dir(&repo().join("themes/default"), &root.join("themes/default"));
        TestSite { tmp: Rc::new(tmp), root, timeout: TIMEOUT }
    }

    /// A hub made from `tests/fixtures/<name>/`, plus the default theme.
    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite::new();
        copy_dir(&repo().join("tests/fixtures").join(name), &site.root);
        site
    }

    /// Writes (or replaces) a file of the hub, creating its folders.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> TestSite {
        self.write(rel, contents);
        self
    }

    /// Like [`TestSite::file`], for use between builds.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap_or_else(|e| panic!("cannot write {rel}: {e}"));
    }

    /// Makes `rel` (in the hub) a symbolic link to `target` (as written: absolute or relative
    /// to the link's folder).
    pub fn symlink(self, rel: &str, target: impl AsRef<Path>) -> TestSite {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target.as_ref(), &path).unwrap_or_else(|e| panic!("cannot link {rel}: {e}"));
        self
    }

    /// Writes a file *beside* the hub (in the temporary folder that holds it); returns its path.
    pub fn outside(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.outer().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        path
    }

    /// A longer time limit for one deliberately large input.
    pub fn timeout(mut self, limit: Duration) -> TestSite {
        self.timeout = limit;
        self
    }

    /// The hub's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder that holds the hub (the hub's `..`).
    pub fn outer(&self) -> &Path {
        self.tmp.path()
    }

    /// `chorus build --now NOW ARGS…`.
    pub fn build_with(&self, args: &[&str]) -> Run {
        let mut all = vec!["build", "--now", NOW];
        all.extend_from_slice(args);
        self.chorus(&all)
    }

    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// `chorus check --now NOW ARGS…`.
    pub fn check(&self, args: &[&str]) -> Run {
        let mut all = vec!["check", "--now", NOW];
        all.extend_from_slice(args);
        self.chorus(&all)
    }

    /// `chorus digest --now NOW ARGS…`.
    pub fn digest(&self, args: &[&str]) -> Run {
        let mut all = vec!["digest", "--now", NOW];
        all.extend_from_slice(args);
        self.chorus(&all)
    }

    /// `chorus ARGS…` in the hub root, with a clean environment, under the time limit.
    pub fn chorus(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_chorus"));
        cmd.current_dir(&self.root)
            .args(args)
            .env_remove("SOURCE_DATE_EPOCH")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let shown = format!("chorus {}", args.join(" "));
        let started = Instant::now();
        let mut child = cmd.spawn().expect("the chorus binary runs");
        let drain = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                if let Some(mut p) = pipe {
                    let _ = p.read_to_end(&mut buf);
                }
                buf
            })
        };
        let out_thread = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
        let err_thread = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
        let status = loop {
            if let Some(status) = child.try_wait().expect("waiting for chorus") {
                break status;
            }
            if started.elapsed() > self.timeout {
                let _ = child.kill();
                let _ = child.wait();
                panic!("hang: `{shown}` did not finish within {:?}; it was killed", self.timeout);
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let elapsed = started.elapsed();
        let stdout = String::from_utf8_lossy(&out_thread.join().unwrap()).into_owned();
        let stderr = String::from_utf8_lossy(&err_thread.join().unwrap()).into_owned();
        let out = match args.iter().position(|a| *a == "--output") {
            Some(i) => self.root.join(args[i + 1]),
            None => self.root.join("public"),
        };
        let run = Run { code: status.code(), stdout, stderr, shown, out, elapsed, _tmp: Rc::clone(&self.tmp) };
        run.assert_no_crash();
        run
    }
}

/// The outcome of one run of `chorus`.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    shown: String,
    /// Where the site was (or would have been) written.
    pub out: PathBuf,
    pub elapsed: Duration,
    _tmp: Rc<tempfile::TempDir>,
}

fn clip(s: &str) -> String {
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

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

impl Run {
    /// No panic (exit code 101, "panicked") and no death by a signal (stack overflow, abort).
    fn assert_no_crash(&self) {
        assert!(self.code.is_some(), "chorus was killed by a signal (a crash, e.g. a stack overflow)\n{self:?}");
        assert_ne!(self.code, Some(101), "chorus panicked\n{self:?}");
        assert!(!self.stderr.contains("panicked"), "chorus panicked\n{self:?}");
        assert!(!self.stderr.contains("RUST_BACKTRACE"), "chorus panicked\n{self:?}");
    }

    fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, Some(code), "unexpected exit code\n{self:?}");
        self
    }

    /// Exit code 0.
    pub fn success(&self) -> &Run {
        self.expect_code(0)
    }

    /// Exit code 1: content or build errors.
    pub fn failure(&self) -> &Run {
        self.expect_code(1)
    }

    /// Exit code 1, and nothing was published.
    pub fn failed_without_output(&self) -> &Run {
        self.failure();
        assert!(files_under(&self.out).is_empty(), "a failed build published files\n{self:?}");
        self
    }

    /// Finished within `limit`.
    pub fn within(&self, limit: Duration) -> &Run {
        assert!(self.elapsed < limit, "too slow: {:?} (limit {limit:?})\n{self:?}", self.elapsed);
        self
    }

    pub fn stderr_lacks(&self, text: &str) -> &Run {
        assert!(!self.stderr.contains(text), "stderr should not contain {text:?}\n{self:?}");
        self
    }

    pub fn stdout_lacks(&self, text: &str) -> &Run {
        assert!(!self.stdout.contains(text), "stdout should not contain {text:?}\n{self:?}");
        self
    }

    /// Every diagnostic printed (human format): `build` prints them on stderr, `check` on
    /// stdout.
    pub fn diagnostics(&self) -> Vec<Diag> {
        let mut all = parse_diagnostics(&self.stderr);
        all.extend(parse_diagnostics(&self.stdout));
        all
    }

    /// The one error whose location starts with `at` (`content/posts/x.md:3:` or a whole
    /// `path:line:col`) and whose message contains `message`; fails when there is none.
    pub fn error(&self, at: &str, message: &str) -> Diag {
        self.diag("error", at, message)
    }

    /// Like [`Run::error`], for an error or a warning.
    pub fn diagnostic(&self, at: &str, message: &str) -> Diag {
        self.diag("error or warning", at, message)
    }

    fn diag(&self, severity: &str, at: &str, message: &str) -> Diag {
        let all = self.diagnostics();
        let found: Vec<&Diag> = all
            .iter()
            .filter(|d| severity.contains(d.severity.as_str()))
            .filter(|d| d.location.starts_with(at) && d.message.contains(message))
            .collect();
        match found.as_slice() {
            [d] => (*d).clone(),
            [] => panic!("expected an {severity} at {at} saying {message:?}\n{self:?}"),
            many => panic!("expected one {severity} at {at} saying {message:?}, found {}\n{self:?}", many.len()),
        }
    }

    /// Asserts that every diagnostic names a file and a line.
    pub fn all_located(&self) -> &Run {
        for d in self.diagnostics() {
            let parts: Vec<&str> = d.location.rsplitn(3, ':').collect();
            assert!(
                parts.len() == 3 && parts[0].parse::<usize>().is_ok() && parts[1].parse::<usize>().is_ok(),
                "a diagnostic without file:line:column: {}\n{self:?}",
                d.text
            );
        }
        self
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).is_file()
    }

    pub fn assert_exists(&self, rel: &str) -> &Run {
        assert!(self.exists(rel), "{rel} should be in the output; it has:\n{}", self.files().join("\n"));
        self
    }

    pub fn assert_absent(&self, rel: &str) -> &Run {
        assert!(!self.exists(rel), "{rel} should not be in the output");
        self
    }

    /// An output file, read as text.
    pub fn page(&self, rel: &str) -> String {
        fs::read_to_string(self.out.join(rel))
            .unwrap_or_else(|e| panic!("cannot read {rel} ({e}); the output has:\n{}", self.files().join("\n")))
    }

    /// Every file of the output, relative, sorted.
    pub fn files(&self) -> Vec<String> {
        files_under(&self.out)
    }

    /// Every output file with its bytes.
    pub fn all_bytes(&self) -> Vec<(String, Vec<u8>)> {
        self.files().into_iter().map(|f| (f.clone(), fs::read(self.out.join(&f)).unwrap())).collect()
    }

    /// Asserts no output file (nor stdout or stderr) contains `secret`.
    pub fn never_shows(&self, secret: &str) -> &Run {
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

/// Every file under `dir` (following no links), relative with `/`, sorted; empty if `dir`
/// does not exist.
pub fn files_under(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for e in entries.map(|e| e.unwrap()) {
            let kind = e.file_type().unwrap();
            if kind.is_dir() {
                walk(base, &e.path(), out);
            } else {
                out.push(e.path().strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// One diagnostic as Chorus prints it:
///
/// ```text
/// error: unknown key `tgas`
///  --> content/posts/typo-key.md:5:1
///   |
/// 5 | tgas: [oops]
///   | ^^^^
///   = help: did you mean `tags`?
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diag {
    pub severity: String,
    pub message: String,
    /// `path:line:col`, `path`, or empty.
    pub location: String,
    pub help: Option<String>,
    /// The whole block as printed.
    pub text: String,
}

fn parse_diagnostics(stderr: &str) -> Vec<Diag> {
    let mut out = Vec::new();
    for block in stderr.split("\n\n") {
        let lines: Vec<&str> = block.lines().filter(|l| !l.is_empty()).collect();
        let Some(first) = lines.first() else { continue };
        let Some((severity, message)) = first
            .strip_prefix("error: ")
            .map(|m| ("error", m))
            .or_else(|| first.strip_prefix("warning: ").map(|m| ("warning", m)))
        else {
            continue;
        };
        let mut d = Diag {
            severity: severity.to_string(),
            message: message.to_string(),
            location: String::new(),
            help: None,
            text: lines.join("\n"),
        };
        for line in &lines[1..] {
            let t = line.trim_start();
            if let Some(loc) = t.strip_prefix("--> ") {
                d.location = loc.to_string();
            } else if let Some(h) = t.strip_prefix("= help: ") {
                d.help = Some(h.to_string());
            }
        }
        out.push(d);
    }
    out
}

/// `s` as a YAML scalar: a JSON string is a valid YAML double-quoted scalar, whatever it holds.
pub fn y(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

//! `TestSite`: a hub in a fresh temporary folder, run by the real `chorus` binary.
//!
//! ```ignore
//! let site = TestSite::fixture("minimal").file("content/posts/x.md", "---\n…");
//! let run = site.build();
//! run.success();
//! run.page("posts/x/index.html").has("<h1");
//! let d = run.diag_at("content/posts/x.md:5:1"); // from `check --format json`
//! ```
//!
//! Each `TestSite` owns its own temporary folder, laid out as `<tmp>/hub/` (the hub root,
//! with a copy of the repository's `themes/default`), so that a test can also look at what
//! is *beside* the hub (`..`, staging leftovers, files that must never leak in). Every run
//! is judged against [`NOW`], never the clock, never sees the caller's `SOURCE_DATE_EPOCH`,
//! is killed after [`TIMEOUT`] (or the site's own limit), and fails the test if it crashes.

use std::cell::OnceCell;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::time::Duration;

use super::diagnostics::{counts, Diagnostic, Printed};
use super::page::Page;
use super::process::{chorus_command, clip, run_command};
use super::tree::{copy_dir, files_under};
use super::{repo, NOW, TIMEOUT};

/// A hub in its own temporary folder. Clones share the folder.
#[derive(Clone)]
pub struct TestSite {
    /// Shared with every `Run`, so `TestSite::fixture(..).build()` can be read afterwards.
    tmp: Rc<tempfile::TempDir>,
    root: PathBuf,
    timeout: Duration,
}

impl TestSite {
    /// An empty hub folder holding only a copy of the default theme.
    pub fn new() -> TestSite {
        let tmp = tempfile::Builder::new().prefix("chorus-test-").tempdir().expect("a temporary folder");
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

    /// A copy of the repository's own demo hub (so nothing is ever written into the
    /// repository).
    pub fn demo() -> TestSite {
        let site = TestSite::new();
        fs::copy(repo().join("chorus.yaml"), site.root.join("chorus.yaml")).expect("the demo hub's chorus.yaml");
        for dir in ["content", "static", "templates"] {
            if repo().join(dir).is_dir() {
                copy_dir(&repo().join(dir), &site.root.join(dir));
            }
        }
        site
    }

    /// The demo hub in its default language alone: no `languages:`, no translations, no
    /// posts in another language. For the tests of what `serve` does in a hub with one
    /// language (edits in place).
    pub fn demo_one_language() -> TestSite {
        let site = TestSite::demo();
        let config = fs::read_to_string(site.root.join("chorus.yaml")).unwrap();
        let mut kept = Vec::new();
        let mut in_languages = false;
        for line in config.lines() {
            if line.starts_with("languages:") {
                in_languages = true;
                continue;
            }
            if in_languages && line.starts_with(' ') {
                continue;
            }
            in_languages = false;
            if !line.starts_with("default_language:") {
                kept.push(line);
            }
        }
        fs::write(site.root.join("chorus.yaml"), kept.join("\n") + "\n").unwrap();
        for file in files_under(&site.root.join("content")) {
            let other_language = file.split('/').any(|part| part == "de") || file.ends_with(".de.md");
            if other_language {
                fs::remove_file(site.root.join("content").join(&file)).unwrap();
            }
        }
        site
    }

    /// Writes (or replaces) a file of the hub, creating its folders.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> TestSite {
        self.write(rel, contents);
        self
    }

    /// Removes a file of the hub.
    pub fn without(self, rel: &str) -> TestSite {
        fs::remove_file(self.root.join(rel)).unwrap_or_else(|e| panic!("cannot remove {rel}: {e}"));
        self
    }

    /// Makes `rel` (in the hub) a symbolic link to `target` (as written: absolute or relative
    /// to the link's folder).
    pub fn symlink(self, rel: &str, target: impl AsRef<Path>) -> TestSite {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target.as_ref(), &path).unwrap_or_else(|e| panic!("cannot link {rel}: {e}"));
        self
    }

    /// A longer time limit for one deliberately large input.
    pub fn timeout(mut self, limit: Duration) -> TestSite {
        self.timeout = limit;
        self
    }

    /// Like [`TestSite::file`], for use between runs.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap_or_else(|e| panic!("cannot write {rel}: {e}"));
    }

    /// Writes a file *beside* the hub (in the temporary folder that holds it); returns its
    /// path.
    pub fn outside(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.outer().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        path
    }

    /// The hub root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder that holds the hub (the hub's `..`).
    pub fn outer(&self) -> &Path {
        self.tmp.path()
    }

    /// `chorus build --now NOW`.
    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// `chorus build --now NOW ARGS…`. The output is read from `--output` when given, else
    /// from `public/`.
    pub fn build_with(&self, args: &[&str]) -> Run {
        self.chorus(&[&["build", "--now", NOW][..], args].concat())
    }

    /// `chorus check --now NOW ARGS…`.
    pub fn check(&self, args: &[&str]) -> Run {
        self.chorus(&[&["check", "--now", NOW][..], args].concat())
    }

    /// `chorus check --now NOW --format json ARGS…`; read it with [`Run::diagnostics`].
    pub fn check_json(&self, args: &[&str]) -> Run {
        self.check(&[&["--format", "json"][..], args].concat())
    }

    /// `chorus digest --now NOW ARGS…`.
    pub fn digest(&self, args: &[&str]) -> Run {
        self.chorus(&[&["digest", "--now", NOW][..], args].concat())
    }

    /// `chorus ARGS…`, run in the hub root, exactly as given.
    pub fn chorus(&self, args: &[&str]) -> Run {
        let mut cmd = self.command();
        cmd.args(args);
        self.run(cmd, args)
    }

    /// The `chorus` command, ready to run in the hub root with a clean environment; for
    /// tests that need to set something more (e.g. `SOURCE_DATE_EPOCH`), or that run it
    /// themselves (`serve`).
    pub fn command(&self) -> Command {
        let mut cmd = chorus_command();
        cmd.current_dir(&self.root);
        cmd
    }

    /// Runs `cmd` (from [`TestSite::command`], its arguments given) under the time limit;
    /// `args` are its arguments, which tell where the output goes.
    pub fn run(&self, cmd: Command, args: &[&str]) -> Run {
        let finished = run_command(cmd, &format!("chorus {}", args.join(" ")), self.timeout);
        finished.assert_no_crash();
        let out = match args.iter().position(|a| *a == "--output") {
            Some(i) => self.root.join(args[i + 1]),
            None => self.root.join("public"),
        };
        Run {
            code: finished.code,
            stdout: finished.stdout,
            stderr: finished.stderr,
            elapsed: finished.elapsed,
            args: args.iter().map(|s| s.to_string()).collect(),
            out,
            site: self.clone(),
            diagnostics: OnceCell::new(),
        }
    }
}

/// The outcome of one run of `chorus`.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    args: Vec<String>,
    /// Where the site was (or would have been) written.
    pub out: PathBuf,
    /// The hub it ran on (kept alive as long as the run).
    site: TestSite,
    diagnostics: OnceCell<Vec<Diagnostic>>,
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "chorus {}\n--- exit code: {:?} after {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.args.join(" "),
            self.code,
            self.elapsed,
            clip(&self.stdout),
            clip(&self.stderr)
        )
    }
}

impl Run {
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

    /// Exit code 2: usage errors.
    pub fn usage_error(&self) -> &Run {
        self.expect_code(2)
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

    pub fn stderr_has(&self, text: &str) -> &Run {
        assert!(self.stderr.contains(text), "stderr should contain {text:?}\n{self:?}");
        self
    }

    pub fn stderr_lacks(&self, text: &str) -> &Run {
        assert!(!self.stderr.contains(text), "stderr should not contain {text:?}\n{self:?}");
        self
    }

    pub fn stdout_has(&self, text: &str) -> &Run {
        assert!(self.stdout.contains(text), "stdout should contain {text:?}\n{self:?}");
        self
    }

    pub fn stdout_lacks(&self, text: &str) -> &Run {
        assert!(!self.stdout.contains(text), "stdout should not contain {text:?}\n{self:?}");
        self
    }

    // ----- Diagnostics, from `check --format json` -----

    /// Whether this run was `check --format json` itself.
    fn is_json_check(&self) -> bool {
        self.args.iter().any(|a| a == "check") && self.args.windows(2).any(|w| w[0] == "--format" && w[1] == "json")
    }

    /// Every diagnostic, as `chorus check --format json` reports it: this run's own stdout
    /// when it was that command; otherwise (a `build`, a `digest`, a human `check`) a run of
    /// it on the same hub, with the same `--now`, `--drafts`, `--future`, `--strict` and
    /// `--root`, made the first time it is asked for. (`check` reports what `build` would,
    /// plus its lints, and a message over a network's limit as an error; where a test is
    /// about what `build` alone prints, it reads [`Run::printed`].)
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.diagnostics
            .get_or_init(|| {
                if self.is_json_check() {
                    return Diagnostic::parse_all(&self.stdout);
                }
                let mut args = vec!["check", "--format", "json"];
                let mut now = NOW;
                let mut i = 0;
                while i < self.args.len() {
                    match self.args[i].as_str() {
                        flag @ ("--drafts" | "--future" | "--strict") => args.push(flag),
                        "--now" if i + 1 < self.args.len() => {
                            now = &self.args[i + 1];
                            i += 1;
                        }
                        "--root" if i + 1 < self.args.len() => {
                            args.splice(0..0, ["--root", self.args[i + 1].as_str()]);
                            i += 1;
                        }
                        _ => {}
                    }
                    i += 1;
                }
                args.extend(["--now", now]);
                let check = self.site.chorus(&args);
                assert!(matches!(check.code, Some(0 | 1)), "`check --format json` did not run\n{check:?}");
                Diagnostic::parse_all(&check.stdout)
            })
            .clone()
    }

    /// The one diagnostic at `location` (`path:line:col`); fails if there is not exactly one.
    pub fn diag_at(&self, location: &str) -> Diagnostic {
        let found: Vec<Diagnostic> = self.diagnostics().into_iter().filter(|d| d.location() == location).collect();
        assert_eq!(found.len(), 1, "expected one diagnostic at {location}, found {found:#?}\n{self:?}");
        found.into_iter().next().unwrap()
    }

    /// The one error whose location starts with `at` (`content/posts/x.md:3:` or a whole
    /// `path:line:col`) and whose message contains `message`; fails when there is none.
    pub fn error(&self, at: &str, message: &str) -> Diagnostic {
        self.find_one(true, at, message)
    }

    /// Like [`Run::error`], for an error or a warning.
    pub fn diagnostic(&self, at: &str, message: &str) -> Diagnostic {
        self.find_one(false, at, message)
    }

    fn find_one(&self, errors_only: bool, at: &str, message: &str) -> Diagnostic {
        let what = if errors_only { "error" } else { "error or warning" };
        let found: Vec<Diagnostic> = self
            .diagnostics()
            .into_iter()
            .filter(|d| !errors_only || d.is_error())
            .filter(|d| d.location().starts_with(at) && d.message.contains(message))
            .collect();
        match found.as_slice() {
            [d] => d.clone(),
            [] => {
                panic!("expected an {what} at {at} saying {message:?}; there are {:#?}\n{self:?}", self.diagnostics())
            }
            many => panic!("expected one {what} at {at} saying {message:?}, found {many:#?}\n{self:?}"),
        }
    }

    /// Asserts that every diagnostic names a file and a line (and a column).
    pub fn all_located(&self) -> &Run {
        for d in self.diagnostics() {
            assert!(
                !d.file.is_empty() && d.line > 0 && d.column > 0,
                "a diagnostic without file:line:column: {d:?}\n{self:?}"
            );
        }
        self
    }

    /// Asserts the numbers of the summary line: `errors` errors, `warnings` warnings, in
    /// `files` files.
    pub fn assert_counts(&self, errors: usize, warnings: usize, files: usize) -> &Run {
        let all = self.diagnostics();
        assert_eq!(counts(&all), (errors, warnings, files), "(errors, warnings, files) of {all:#?}\n{self:?}");
        self
    }

    // ----- Diagnostics as printed for people -----

    /// Every diagnostic this run printed in the human format (stderr, then stdout), for tests
    /// about that rendering or about what only `build` reports.
    pub fn printed(&self) -> Vec<Printed> {
        let mut all = Printed::parse_all(&self.stderr);
        all.extend(Printed::parse_all(&self.stdout));
        all
    }

    /// The one printed diagnostic at `location` (`path:line:col`).
    pub fn printed_at(&self, location: &str) -> Printed {
        let found: Vec<Printed> = self.printed().into_iter().filter(|d| d.location == location).collect();
        assert_eq!(found.len(), 1, "expected one printed diagnostic at {location}, found {}\n{self:?}", found.len());
        found.into_iter().next().unwrap()
    }

    // ----- The output -----

    /// Whether the output has the file `rel` (`posts/x/index.html`).
    pub fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).is_file()
    }

    /// Asserts the output has `rel`.
    pub fn assert_exists(&self, rel: &str) -> &Run {
        assert!(self.exists(rel), "{rel} should be in the output; it has:\n{}", self.listing());
        self
    }

    /// Asserts the output does not have `rel`.
    pub fn assert_absent(&self, rel: &str) -> &Run {
        assert!(!self.exists(rel), "{rel} should not be in the output");
        self
    }

    /// An output file, read as text.
    pub fn page(&self, rel: &str) -> Page {
        let path = self.out.join(rel);
        match fs::read_to_string(&path) {
            Ok(html) => Page { path: rel.to_string(), html },
            Err(e) => panic!("cannot read {rel} from the output ({e}); it has:\n{}", self.listing()),
        }
    }

    /// The bytes of an output file.
    pub fn bytes(&self, rel: &str) -> Vec<u8> {
        fs::read(self.out.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel} from the output: {e}"))
    }

    /// Every file of the output, relative, sorted.
    pub fn files(&self) -> Vec<String> {
        files_under(&self.out)
    }

    /// Every output file with its bytes.
    pub fn all_bytes(&self) -> Vec<(String, Vec<u8>)> {
        self.files().into_iter().map(|f| (f.clone(), fs::read(self.out.join(&f)).unwrap())).collect()
    }

    fn listing(&self) -> String {
        let files = self.files();
        if files.is_empty() {
            format!("(nothing at {})\n{self:?}", self.out.display())
        } else {
            files.join("\n")
        }
    }
}

//! `TestSite`: a hub in a fresh temporary folder, built by the real `chorus` binary.
//!
//! ```ignore
//! let site = TestSite::fixture("minimal").file("content/posts/x.md", "---\n…");
//! let run = site.build();
//! run.success();
//! run.page("posts/x/index.html").has("<h1");
//! ```
//!
//! Each `TestSite` owns its own temporary folder, laid out as `<tmp>/hub/` (the hub root,
//! with a copy of the repository's `themes/default`), so that a test can also look at what
//! is *beside* the hub (`..`, staging leftovers). Builds always judge scheduling against
//! [`NOW`], never the clock, and never see the caller's `SOURCE_DATE_EPOCH`.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

/// The moment every build is judged against.
pub const NOW: &str = "2026-11-22T12:00:00Z";
/// [`NOW`] as seconds since the Unix epoch, for `SOURCE_DATE_EPOCH`.
pub const NOW_EPOCH: &str = "1795348800";

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

pub struct TestSite {
    /// Shared with every `Run`, so `TestSite::fixture(..).build()` can be read afterwards.
    tmp: Rc<tempfile::TempDir>,
    root: PathBuf,
}

impl TestSite {
    /// An empty hub folder holding only a copy of the default theme.
    pub fn new() -> TestSite {
        let tmp = tempfile::Builder::new().prefix("chorus-test-").tempdir().expect("a temporary folder");
        let root = tmp.path().join("hub");
        copy_dir(&repo().join("themes/default"), &root.join("themes/default"));
        TestSite { tmp: Rc::new(tmp), root }
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

    /// Like [`TestSite::file`], for use between builds.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap_or_else(|e| panic!("cannot write {rel}: {e}"));
    }

    /// The hub root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder that holds the hub (the hub's `..`).
    pub fn outer(&self) -> &Path {
        self.tmp.path()
    }

    /// `chorus build --now NOW`, plus `args`.
    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// `chorus build --now NOW ARGS…`. The output is read from `--output` when given, else
    /// from `public/`.
    pub fn build_with(&self, args: &[&str]) -> Run {
        let mut all = vec!["build", "--now", NOW];
        all.extend_from_slice(args);
        self.chorus(&all)
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

    /// `chorus ARGS…`, run in the hub root, exactly as given.
    pub fn chorus(&self, args: &[&str]) -> Run {
        let mut cmd = self.command();
        cmd.args(args);
        self.run(cmd, args)
    }

    /// The `chorus` command, ready to run in the hub root with a clean environment; for
    /// tests that need to set something more (e.g. `SOURCE_DATE_EPOCH`).
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_chorus"));
        cmd.current_dir(&self.root).env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
        cmd
    }

    /// Runs `cmd` (built from [`TestSite::command`]); `args` tell where the output goes.
    pub fn run(&self, mut cmd: Command, args: &[&str]) -> Run {
        let output = cmd.output().expect("the chorus binary runs");
        let out = match args.iter().position(|a| *a == "--output") {
            Some(i) => self.root.join(args[i + 1]),
            None => self.root.join("public"),
        };
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            args: args.iter().map(|s| s.to_string()).collect(),
            out,
            _tmp: Rc::clone(&self.tmp),
        }
    }
}

/// The outcome of one run of `chorus`.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    args: Vec<String>,
    /// Where the site was (or would have been) written.
    pub out: PathBuf,
    _tmp: Rc<tempfile::TempDir>,
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "chorus {}\n--- exit code: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
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

    /// Every diagnostic printed on stdout (human format, as `check` prints them).
    pub fn stdout_diagnostics(&self) -> Vec<Diag> {
        parse_diagnostics(&self.stdout)
    }

    /// Every diagnostic printed on stderr (human format).
    pub fn diagnostics(&self) -> Vec<Diag> {
        parse_diagnostics(&self.stderr)
    }

    /// The one diagnostic printed at `location` (`path:line:col`); fails if there is not
    /// exactly one.
    pub fn diag_at(&self, location: &str) -> Diag {
        let found: Vec<Diag> = self.diagnostics().into_iter().filter(|d| d.location == location).collect();
        assert_eq!(found.len(), 1, "expected one diagnostic at {location}, found {}\n{self:?}", found.len());
        found.into_iter().next().unwrap()
    }

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

    /// An output page, read as text.
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

    fn listing(&self) -> String {
        let files = self.files();
        if files.is_empty() {
            format!("(nothing at {})\n{self:?}", self.out.display())
        } else {
            files.join("\n")
        }
    }
}

/// Every file under `dir`, relative with `/`, sorted; empty if `dir` does not exist.
pub fn files_under(dir: &Path) -> Vec<String> {
    snapshot(dir).into_iter().filter(|(_, e)| matches!(e, Entry::File(_))).map(|(p, _)| p).collect()
}

/// What a path of a tree holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Everything under `dir` (folders, file contents, link targets), keyed by relative path,
/// for before/after comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Entry> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Entry>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for e in entries.map(|e| e.unwrap()) {
            let path = e.path();
            let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            let kind = e.file_type().unwrap();
            if kind.is_symlink() {
                out.insert(rel, Entry::Link(fs::read_link(&path).unwrap()));
            } else if kind.is_dir() {
                out.insert(rel, Entry::Dir);
                walk(base, &path, out);
            } else {
                out.insert(rel, Entry::File(fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Asserts two snapshots are the same, naming the paths that differ.
pub fn assert_same_tree(before: &BTreeMap<String, Entry>, after: &BTreeMap<String, Entry>, what: &str) {
    let mut differences = Vec::new();
    for (path, entry) in before {
        match after.get(path) {
            None => differences.push(format!("removed: {path}")),
            Some(e) if e != entry => differences.push(format!("changed: {path}")),
            Some(_) => {}
        }
    }
    for path in after.keys() {
        if !before.contains_key(path) {
            differences.push(format!("added: {path}"));
        }
    }
    assert!(differences.is_empty(), "{what}:\n{}", differences.join("\n"));
}

/// An output page.
pub struct Page {
    pub path: String,
    pub html: String,
}

impl Page {
    pub fn has(&self, text: &str) -> &Page {
        assert!(self.html.contains(text), "{} should contain {text:?}; it is:\n{}", self.path, self.html);
        self
    }

    pub fn lacks(&self, text: &str) -> &Page {
        assert!(!self.html.contains(text), "{} should not contain {text:?}; it is:\n{}", self.path, self.html);
        self
    }

    /// The targets of every `href` on the page, with HTML escapes undone.
    pub fn hrefs(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = self.html.as_str();
        while let Some(i) = rest.find("href=\"") {
            rest = &rest[i + 6..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(unescape(&rest[..end]));
            rest = &rest[end..];
        }
        out
    }

    /// How many times `text` occurs on the page.
    pub fn count(&self, text: &str) -> usize {
        self.html.matches(text).count()
    }

    /// The `href` of every `<a>` or `<link>` with `rel="REL"` (among other values), in
    /// order, with HTML escapes undone.
    pub fn rel_links(&self, rel: &str) -> Vec<String> {
        let mut out = Vec::new();
        for tag in self.html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            if !(tag.starts_with("a ") || tag.starts_with("link ")) {
                continue;
            }
            let rels = attribute(tag, "rel").unwrap_or_default();
            if rels.split_whitespace().any(|r| r == rel) {
                if let Some(href) = attribute(tag, "href") {
                    out.push(href);
                }
            }
        }
        out
    }

    pub fn links_to(&self, url: &str) -> bool {
        self.hrefs().iter().any(|h| h == url)
    }

    pub fn assert_links_to(&self, url: &str) -> &Page {
        assert!(self.links_to(url), "{} should link to {url}; its links are:\n{}", self.path, self.hrefs().join("\n"));
        self
    }

    pub fn assert_no_link_to(&self, url: &str) -> &Page {
        assert!(!self.links_to(url), "{} should not link to {url}", self.path);
        self
    }
}

/// The value of the double-quoted attribute `name` in the inside of a tag
/// (`a href="/x" rel="prev"`), with HTML escapes undone.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// Undoes the escapes tera and pulldown-cmark write in attributes.
pub fn unescape(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// One diagnostic as `build` prints it:
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
    /// `error` or `warning`.
    pub severity: String,
    pub message: String,
    /// `path:line:col`, or empty.
    pub location: String,
    /// The quoted source line and the caret line, without the gutter.
    pub snippet: Option<(String, String)>,
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
            snippet: None,
            help: None,
            text: lines.join("\n"),
        };
        let mut quoted = Vec::new();
        for line in &lines[1..] {
            let t = line.trim_start();
            if let Some(loc) = t.strip_prefix("--> ") {
                d.location = loc.to_string();
            } else if let Some(h) = t.strip_prefix("= help: ") {
                d.help = Some(h.to_string());
            } else if let Some((_, after)) = line.split_once(" | ") {
                quoted.push(after.to_string());
            }
        }
        if quoted.len() == 2 {
            d.snippet = Some((quoted[0].clone(), quoted[1].clone()));
        }
        out.push(d);
    }
    out
}

//! What only the reliability tests need beside `common`: a hub generator, tree digests, a
//! build of a hub given by its path.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::common::{chorus_command, Finished, NOW};

/// `chorus --root ROOT build --now NOW EXTRA…`, to its end (a generated hub of hundreds of
/// posts may take a while in a debug build, hence the generous limit).
pub fn build(root: &Path, extra: &[&str]) -> Finished {
    let mut cmd = chorus_command();
    cmd.arg("--root").arg(root).args(["build", "--now", NOW]).args(extra);
    let shown = format!("chorus --root {} build --now {NOW} {}", root.display(), extra.join(" "));
    let finished = crate::common::run_command(cmd, &shown, Duration::from_secs(120));
    finished.assert_no_crash();
    finished
}

/// A hub of `posts` posts with code blocks, large enough that a build takes a while.
pub fn generated_hub(dir: &Path, posts: usize) -> PathBuf {
    let root = dir.join("hub");
    fs::create_dir_all(root.join("content/posts")).unwrap();
    fs::create_dir_all(root.join("content/people")).unwrap();
    fs::write(root.join("chorus.yaml"), "title: Crash test\nbase_url: https://crash.example\npaginate: 20\n").unwrap();
    for p in 0..10 {
        fs::write(
            root.join(format!("content/people/p{p}.md")),
            format!("---\nname: Person {p}\nconsent: true\n---\nBio {p}.\n"),
        )
        .unwrap();
    }
    let paragraph =
        "Community energy needs plain **software**, honest [numbers](https://example.org) and patient people. ";
    for i in 0..posts {
        let body = format!(
            "## Part one\n\n{}\n\n```rust\nfn main() {{\n    let x = {i};\n    println!(\"{{}}\", x * 2);\n}}\n```\n\n## Part two\n\n{}\n",
            paragraph.repeat(8),
            paragraph.repeat(8)
        );
        fs::write(
            root.join(format!("content/posts/post-{i:05}.md")),
            format!(
                "---\ntitle: Post number {i}\ndate: 2026-{:02}-{:02}\nauthor: p{}\ntags: [t{}, t{}]\n---\n\n{body}",
                1 + i % 10,
                1 + i % 28,
                i % 10,
                i % 7,
                i % 5
            ),
        )
        .unwrap();
    }
    root
}

/// Every file under `dir` (relative path → hash of its bytes).
pub fn tree(dir: &Path) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
        if e.file_type().is_file() {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            fs::read(e.path()).unwrap_or_default().hash(&mut h);
            out.insert(e.path().strip_prefix(dir).unwrap().to_string_lossy().to_string(), h.finish());
        }
    }
    out
}

/// Names beside `path` that Chorus's staging or old folders would have.
pub fn leftovers(path: &Path) -> Vec<String> {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(&format!(".{name}.chorus-")))
        .collect()
}

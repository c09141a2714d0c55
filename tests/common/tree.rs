//! Folders: copying fixtures in, listing and comparing what a run left behind.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

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

/// Every file under `dir` (following no links), relative with `/`, sorted; empty if `dir`
/// does not exist.
pub fn files_under(dir: &Path) -> Vec<String> {
    snapshot(dir).into_iter().filter(|(_, e)| !matches!(e, Entry::Dir)).map(|(p, _)| p).collect()
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

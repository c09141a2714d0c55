//! The hub's boundary: whether a path, once every symbolic link in it is resolved, still lies
//! inside a folder (the hub, or the preview folder), and the one diagnostic for a link that
//! leaves the hub.
//!
//! Owns the rule "nothing outside the hub is read" (ARCHITECTURE.md, Invariants) so that it
//! is written once. Must not read files or decide what to do with a path that is outside:
//! callers skip it, report it, or answer 404.

use std::path::{Path, PathBuf};

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;

/// A folder resolved once, for checking many paths against it.
pub struct Bounds {
    canonical: PathBuf,
}

impl Bounds {
    /// Resolves `root`; fails when it cannot be opened.
    pub fn new(root: &Path) -> std::io::Result<Bounds> {
        Ok(Bounds { canonical: root.canonicalize()? })
    }

    /// Whether `path` exists and, links resolved, lies inside the folder.
    pub fn contains(&self, path: &Path) -> bool {
        path.canonicalize().is_ok_and(|p| p.starts_with(&self.canonical))
    }
}

/// Whether `path` exists and, links resolved, lies inside `root`.
pub fn contains(root: &Path, path: &Path) -> bool {
    Bounds::new(root).is_ok_and(|b| b.contains(path))
}

/// The error for a symbolic link leaving the hub, in `file` (as messages show it). Its hint
/// suits a content file; callers with a better one replace it with `with_hint`.
pub fn symlink_outside(file: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Code::SymlinkOutside, "this symbolic link points outside the hub and is not read")
        .in_file(file)
        .with_hint("copy the file into the hub instead of linking to it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_leaving_the_folder_are_outside() {
        let base = std::env::temp_dir().join(format!("chorus-hub-test-{}", std::process::id()));
        let (hub, elsewhere) = (base.join("hub"), base.join("elsewhere"));
        std::fs::create_dir_all(hub.join("content")).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(hub.join("content/a.md"), "a").unwrap();
        std::fs::write(elsewhere.join("b.md"), "b").unwrap();
        std::os::unix::fs::symlink(elsewhere.join("b.md"), hub.join("content/out.md")).unwrap();
        std::os::unix::fs::symlink(hub.join("content/a.md"), hub.join("content/in.md")).unwrap();
        assert!(contains(&hub, &hub.join("content/a.md")));
        assert!(contains(&hub, &hub.join("content/in.md")));
        assert!(!contains(&hub, &hub.join("content/out.md")));
        assert!(!contains(&hub, &hub.join("content/missing.md")));
        assert!(!contains(&hub, &hub.join("content/../../elsewhere/b.md")));
        assert!(!contains(&base.join("nowhere"), &hub.join("content/a.md")));
        std::fs::remove_dir_all(&base).unwrap();
    }
}

//! The hub's boundary: whether a path, once every symbolic link in it is resolved, still lies
//! inside a folder (the hub, or the preview folder), and the one diagnostic for a link that
//! leaves the hub. Also which file and folder names may be published (no control
//! characters), and the walk of a folder that leaves out the others.
//!
//! Owns the rule "nothing outside the hub is read" (ARCHITECTURE.md, Invariants) so that it
//! is written once. Must not read files or decide what to do with a path that is outside:
//! callers skip it, report it, or answer 404.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::diagnostic::Code;
use crate::diagnostic::{display_path, escape_controls, Diagnostic};

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

/// Whether the hub's folder `dir` (`content`, `static`, a theme's folder, …) may be walked:
/// it is absent, or, every link resolved, it lies inside the hub. A walk follows a root that
/// is a link, so a root that leads out of the hub (or nowhere) is refused whole: nothing
/// under it is read, published or staged.
pub fn root_allowed(root: &Path, dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_err() || contains(root, dir)
}

/// The `symlink-outside` error for the folder `rel` of the hub when it leads outside it.
pub fn refused_root(root: &Path, rel: &str) -> Option<Diagnostic> {
    (!root_allowed(root, &root.join(rel))).then(|| {
        Diagnostic::error(
            Code::SymlinkOutside,
            format!("the folder `{rel}` is a symbolic link that leads outside the hub, so nothing in it is used"),
        )
        .in_file(rel)
        .with_hint("replace the link with a real folder inside the hub, and copy into it the files the hub needs")
    })
}

/// The `symlink-outside` error of every folder Chorus walks that leads outside the hub:
/// `content`, `static`, `templates`, and the theme's folder with its `templates` and
/// `static` (those two are not reported again when the theme's folder already is).
pub fn refused_roots(root: &Path, theme: &str) -> Vec<Diagnostic> {
    let theme_dir = format!("themes/{theme}");
    let mut refused: Vec<Diagnostic> =
        ["content", "static", "templates", &theme_dir].iter().filter_map(|rel| refused_root(root, rel)).collect();
    if refused.iter().all(|d| d.file != theme_dir) {
        for sub in ["templates", "static"] {
            refused.extend(refused_root(root, &format!("{theme_dir}/{sub}")));
        }
    }
    refused
}

/// Whether a file or folder name may be published: it has no control characters (CR, LF,
/// TAB, the other C0 and C1 codes, DEL), which would forge lines of a header, break the
/// sitemap's XML or rewrite a terminal. Letters of any script are fine (`énergie`).
pub fn name_allowed(name: &OsStr) -> bool {
    !name.to_string_lossy().chars().any(char::is_control)
}

/// The error for a file or folder whose name `name_allowed` refuses; the name is shown
/// with its control characters escaped (`a\nb`).
pub fn bad_name(root: &Path, path: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::BadFileName,
        "this name contains invisible control characters (a line break, a tab, …), so it is not published",
    )
    .in_file(escape_controls(&display_path(root, path)))
    .with_hint("rename it using letters, digits, `-` and `_`")
}

/// The files under `dir`, in name order, without following links inside it (a link is not
/// a file). Files and folders whose names `name_allowed` refuses are left out, each reported
/// once in `diags` (a folder once, for everything in it).
pub fn files_under(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut walker = walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let Ok(entry) = entry else { continue };
        if entry.depth() > 0 && !name_allowed(entry.file_name()) {
            diags.push(bad_name(root, entry.path()));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    files
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

    #[test]
    fn roots_that_lead_outside_are_refused_and_roots_inside_are_not() {
        let base = std::env::temp_dir().join(format!("chorus-hub-roots-{}", std::process::id()));
        let (hub, elsewhere) = (base.join("hub"), base.join("elsewhere"));
        std::fs::create_dir_all(hub.join("themes/default/templates")).unwrap();
        std::fs::create_dir_all(hub.join("assets")).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, hub.join("static")).unwrap();
        std::os::unix::fs::symlink("/proc/self", hub.join("content")).unwrap();
        std::os::unix::fs::symlink("assets", hub.join("templates")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, hub.join("themes/default/static")).unwrap();
        let files: Vec<String> = refused_roots(&hub, "default").into_iter().map(|d| d.file).collect();
        assert_eq!(files, ["content", "static", "themes/default/static"]);
        assert!(root_allowed(&hub, &hub.join("templates")), "a link inside the hub is allowed");
        assert!(root_allowed(&hub, &hub.join("nothing-here")));
        std::fs::remove_dir_all(&base).unwrap();
    }
}

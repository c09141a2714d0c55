//! Finding the content files of a hub: the four section folders under `content/`, walked
//! in name order, with bundle folders (`index.md` and its assets) recognised.
//!
//! Owns which files are content, which are ignored (hidden, `_draft`, editor backups) and
//! which links are refused (leaving the hub, or looping). Must not read any file's text:
//! that is `load`'s work, file by file.

use std::path::{Path, PathBuf};

use super::{Found, Section};
use crate::diagnostic::Code;
use crate::diagnostic::{display_path, Diagnostic};
use crate::hub::{self, Bounds};

/// Lists the content files of a hub. Symlinks that leave the hub and loops are refused.
pub fn discover(root: &Path, languages: &[&str]) -> (Vec<Found>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut diags = Vec::new();
    let content = root.join("content");
    let bounds = match Bounds::new(root) {
        Ok(b) => b,
        Err(e) => {
            return (
                found,
                vec![Diagnostic::error(Code::Io, format!("cannot open the hub folder {}: {e}", root.display()))],
            )
        }
    };
    // A `content` that links out of the hub is reported by `hub::refused_roots`.
    if !hub::root_allowed(root, &content) {
        return (found, diags);
    }
    let Ok(entries) = std::fs::read_dir(&content) else {
        diags.push(
            Diagnostic::error(Code::NoContent, "there is no `content/` folder")
                .with_hint("create `content/posts/`, `content/people/`, `content/causes/` and `content/pages/`"),
        );
        return (found, diags);
    };
    let mut top: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    top.sort();
    for path in top {
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        match Section::ALL.iter().find(|s| s.dir() == name) {
            Some(&section) if path.is_dir() => {
                walk_section(root, &bounds, &path, section, languages, &mut found, &mut diags)
            }
            _ => diags.push(
                Diagnostic::warning(
                    Code::UnknownSection,
                    format!(
                        "`content/{}` is not part of the hub and is ignored",
                        crate::diagnostic::escape_controls(&name)
                    ),
                )
                .in_file(display_path(root, &path))
                .with_hint(
                    "content goes in `content/posts/`, `content/people/`, `content/causes/` or `content/pages/`",
                ),
            ),
        }
    }
    (found, diags)
}

fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('_')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

fn walk_section(
    root: &Path,
    bounds: &Bounds,
    dir: &Path,
    section: Section,
    languages: &[&str],
    found: &mut Vec<Found>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut walker = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter();
    loop {
        let entry = match walker.next() {
            None => break,
            Some(Ok(e)) => e,
            Some(Err(e)) => {
                // Editors' lock files (`.#post.md`) are dangling links: not content, no error.
                if e.path().and_then(Path::file_name).is_some_and(|n| is_ignored_name(&n.to_string_lossy())) {
                    continue;
                }
                let path = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                let message = if e.loop_ancestor().is_some() {
                    "this symbolic link points back at a folder that contains it".to_string()
                } else {
                    format!("cannot read: {}", e.io_error().map_or_else(|| e.to_string(), |io| io.to_string()))
                };
                diags.push(Diagnostic::error(Code::Io, message).in_file(path));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.depth() > 0 && is_ignored_name(&name) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.depth() > 0 && !hub::name_allowed(entry.file_name()) {
            diags.push(hub::bad_name(root, entry.path()));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() {
            let target = entry.path().canonicalize().ok();
            let parent = entry.path().parent().and_then(|p| p.canonicalize().ok());
            if let (Some(t), Some(p)) = (&target, &parent) {
                if p.starts_with(t) {
                    diags.push(
                        Diagnostic::error(
                            Code::SymlinkLoop,
                            "this symbolic link points back at a folder that contains it",
                        )
                        .in_file(display_path(root, entry.path()))
                        .with_hint("remove the link: the files it points to are already part of the hub"),
                    );
                    walker.skip_current_dir();
                    continue;
                }
            }
            if !bounds.contains(entry.path()) {
                diags.push(hub::symlink_outside(display_path(root, entry.path())));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        let path = entry.path().to_path_buf();
        if entry.file_type().is_dir() {
            if entry.depth() == 0 {
                continue;
            }
            let index = path.join("index.md");
            // In a hub with languages, `index.de.md` is the bundle's German translation.
            let translations = bundle_translations(root, &path, languages, diags);
            if !index.is_file() && !translations.is_empty() {
                // Translations without their original: `site` reports each.
                let assets = list_assets(root, &path, diags);
                for (t, file) in translations {
                    found.push(Found {
                        path: file,
                        section,
                        bundle_dir: Some(path.clone()),
                        assets: assets.clone(),
                        translation: Some(t),
                    });
                }
                walker.skip_current_dir();
                continue;
            }
            if index.is_file() && !bounds.contains(&index) {
                diags.push(hub::symlink_outside(display_path(root, &index)));
                walker.skip_current_dir();
                continue;
            }
            if index.is_file() {
                // A bundle: index.md plus assets; nothing inside is read as content.
                let mut assets = list_assets(root, &path, diags);
                assets.retain(|a| {
                    let ext = a.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
                    let refused = matches!(ext.as_str(), "html" | "htm" | "xhtml" | "js" | "mjs" | "xml");
                    if refused {
                        diags.push(
                            Diagnostic::error(Code::BundleFile, "a page or script cannot be published from a bundle folder")
                                .in_file(display_path(root, a))
                                .with_hint("bundle folders hold images and documents for the post; move this file out of `content/`"),
                        );
                    }
                    !refused
                });
                let translated: Vec<&PathBuf> = translations.iter().map(|(_, f)| f).collect();
                assets.retain(|a| !translated.contains(&a));
                for (t, file) in &translations {
                    found.push(Found {
                        path: file.clone(),
                        section,
                        bundle_dir: Some(path.clone()),
                        assets: assets.clone(),
                        translation: Some(t.clone()),
                    });
                }
                found.push(Found { path: index, section, bundle_dir: Some(path.clone()), assets, translation: None });
                walker.skip_current_dir();
            }
            continue;
        }
        if path.extension().is_some_and(|e| e == "md") {
            let translation = match language_of(&path, languages) {
                Named::Original => None,
                Named::Translation(t) => Some(t),
                Named::Unknown(code) => {
                    diags.push(not_a_language(root, &path, &code, languages));
                    continue;
                }
            };
            found.push(Found { path, section, bundle_dir: None, assets: Vec::new(), translation });
        }
    }
}

/// The files of a bundle folder besides its `index.md`; names with control characters are
/// refused.
fn list_assets(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut assets: Vec<PathBuf> = hub::files_under(root, dir, diags)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| !is_ignored_name(&n.to_string_lossy()) && n != "index.md"))
        .collect();
    assets.sort();
    assets
}

/// What a content file's name says about its language.
enum Named {
    Original,
    Translation(super::Translation),
    /// `post.xx.md` where `xx` looks like a language code the hub does not have.
    Unknown(String),
}

/// `post.de.md` → a German translation of `post.md`, in a hub with languages (without
/// `languages:`, a name is only a name, as it always was).
fn language_of(path: &Path, languages: &[&str]) -> Named {
    if languages.is_empty() {
        return Named::Original;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let Some((stem, code)) = name.strip_suffix(".md").and_then(|n| n.rsplit_once('.')) else {
        return Named::Original;
    };
    if stem.is_empty() || !crate::config::is_language_code(code) {
        return Named::Original;
    }
    if !languages.contains(&code) {
        return Named::Unknown(code.to_string());
    }
    Named::Translation(super::Translation {
        language: code.to_string(),
        original: path.with_file_name(format!("{stem}.md")),
    })
}

/// The `index.<code>.md` files of a bundle folder, in a hub with languages.
fn bundle_translations(
    root: &Path,
    dir: &Path,
    languages: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Vec<(super::Translation, PathBuf)> {
    if languages.is_empty() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with("index.") && n.ends_with(".md") && n != "index.md"
            }) && p.is_file()
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        match language_of(&file, languages) {
            Named::Translation(t) => out.push((t, file)),
            Named::Unknown(code) => diags.push(not_a_language(root, &file, &code, languages)),
            Named::Original => {}
        }
    }
    out
}

fn not_a_language(root: &Path, path: &Path, code: &str, languages: &[&str]) -> Diagnostic {
    Diagnostic::error(
        Code::NotAHubLanguage,
        format!(
            "this file's name says it is in `{code}`, which is not one of the hub's languages ({})",
            languages.join(", ")
        ),
    )
    .in_file(display_path(root, path))
    .at("", 1, 1, 1)
    .with_hint(format!("add `{code}` to `languages:` in chorus.yaml, or rename the file without `.{code}`"))
}

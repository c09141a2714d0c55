//! Which items each language of a hub has (DESIGN §13): an original belongs to its own
//! language (the default, or its `language:`), a translation to the language in its name;
//! profiles are in every language, translated where they can be.
//!
//! Owns the checks that need every file's language at once: a translation without its
//! original, two files for one item in one language, an original in a language the hub does
//! not have. Must not read files or check anything within one language: that is the site's
//! cross-check, run per language.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use crate::config::Config;
use crate::content::{Found, Item, SourceFile};
use crate::diagnostic::{display_path, Code, Diagnostic};

/// One language's items, and the files of the profiles it shares with the default language
/// (their problems are reported once, there).
#[derive(Default)]
pub(super) struct Placed {
    pub items: Vec<Item>,
    pub shared: HashSet<String>,
}

/// The file an item was read from.
pub(super) fn item_file(item: &Item) -> &SourceFile {
    match item {
        Item::Post(p) => &p.file,
        Item::Person(p) => &p.file,
        Item::Cause(c) => &c.file,
        Item::Page(p) => &p.file,
        Item::Rejected(r) => &r.file,
    }
}

/// Sorts the loaded items into the hub's languages, in the order of `config.languages`.
pub(super) fn place<S>(
    root: &std::path::Path,
    config: &Config,
    found: &[Found],
    loaded: Vec<(Option<Item>, Vec<Diagnostic>, S)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Placed> {
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let index_of = |code: &str| codes.iter().position(|c| *c == code);
    let paths: HashSet<&PathBuf> = found.iter().map(|f| &f.path).collect();
    let mut placed: Vec<Placed> = codes.iter().map(|_| Placed::default()).collect();
    // Profiles, by their original's file: the original, then each language's translation.
    let mut people: BTreeMap<PathBuf, (Option<Item>, Vec<Option<Item>>)> = BTreeMap::new();
    // Which file gave each item in each language, to find two files for one.
    let mut claimed: BTreeMap<(PathBuf, usize), String> = BTreeMap::new();
    for (f, (item, item_diags, _)) in found.iter().zip(loaded) {
        diags.extend(item_diags);
        if let Some(t) = &f.translation {
            if !paths.contains(&t.original) {
                let rel = display_path(root, &f.path);
                let original = t.original.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                diags.push(
                    Diagnostic::error(
                        Code::TranslationWithoutOriginal,
                        format!("this file's name makes it the `{}` translation of `{original}`, but there is no `{original}` beside it", t.language),
                    )
                    .in_file(rel)
                    .at("", 1, 1, 1)
                    .with_hint(format!(
                        "add the original, fix the file name, or, if it exists only in this language, name it `{original}` and add `language: {}` to its front matter",
                        t.language
                    )),
                );
                continue;
            }
        }
        let Some(item) = item else { continue };
        let file = item_file(&item);
        let (lang, key) = match &f.translation {
            Some(t) => (index_of(&t.language), t.original.clone()),
            None => match &file.language {
                None => (Some(0), f.path.clone()),
                Some(l) => match index_of(&l.value) {
                    Some(i) => (Some(i), f.path.clone()),
                    None => {
                        let mut d = Diagnostic::error(
                            Code::NotAHubLanguage,
                            format!("`{}` is not one of the hub's languages ({})", l.value, codes.join(", ")),
                        )
                        .in_file(&file.rel)
                        .at(&file.text(), l.line, l.column, l.len);
                        d = match crate::diagnostic::suggest(&l.value, codes.iter().copied()) {
                            Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                            None => d.with_hint("add the language to `languages:` in chorus.yaml, or fix the code"),
                        };
                        diags.push(d);
                        (None, f.path.clone())
                    }
                },
            },
        };
        let Some(lang) = lang else { continue };
        if let Some(first) = claimed.get(&(key.clone(), lang)) {
            let at = file
                .language
                .as_ref()
                .filter(|_| f.translation.is_none())
                .map_or((1, 1, 1), |l| (l.line, l.column, l.len));
            diags.push(
                Diagnostic::error(
                    Code::DuplicateTranslation,
                    format!("`{first}` already gives this in `{}`; one of the two files is left out", codes[lang]),
                )
                .in_file(&file.rel)
                .at(&file.text(), at.0, at.1, at.2)
                .with_hint("keep one file per language: merge the two, or remove one"),
            );
            continue;
        }
        claimed.insert((key.clone(), lang), file.rel.clone());
        let is_profile =
            matches!(&item, Item::Person(_)) || matches!(&item, Item::Rejected(r) if r.person_id.is_some());
        if is_profile {
            let entry = people.entry(key).or_insert_with(|| (None, codes.iter().map(|_| None).collect()));
            if f.translation.is_some() {
                entry.1[lang] = Some(item);
            } else {
                entry.0 = Some(item);
            }
        } else {
            placed[lang].items.push(item);
        }
    }
    // A profile is in every language: translated where it is, else as written.
    for (_, (original, mut translations)) in people {
        let Some(original) = original else { continue };
        for (lang, slot) in placed.iter_mut().enumerate() {
            match translations[lang].take() {
                Some(t) => slot.items.push(t),
                None => {
                    if lang > 0 {
                        slot.shared.insert(item_file(&original).rel.clone());
                    }
                    slot.items.push(original.clone());
                }
            }
        }
    }
    placed
}

//! Reading a profile (`content/people/`) into a `Person`.
//!
//! Owns the keys a profile may have, the person's id (the file name) and the check that no
//! email address is linked. Must not decide what is published: consent and withdrawal are
//! read here and acted on by `site`.

use super::{read, Found, Person, Rejected, SourceFile};
use crate::config::network_list;
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::fields::{self, Fields};
use crate::frontmatter::Entry;
use crate::slug;

const KEYS: &[&str] = &[
    "name",
    "role",
    "team",
    "pronouns",
    "avatar",
    "avatar_alt",
    "links",
    "networks",
    "git_email",
    "consent",
    "withdrawn",
    "extra",
];

pub(super) fn read(
    file: SourceFile,
    text: &str,
    fields: &[Entry],
    found: &Found,
    diags: &mut Vec<Diagnostic>,
) -> Result<Person, Rejected> {
    let src = file.src(text);
    let f = Fields::new(src, fields, KEYS, diags);
    let id = read::stem(found);
    if !slug::is_safe_segment(&id) {
        diags.push(
            src.error(Code::BadPersonId, format!("`{id}` cannot be a person's id"), 1, 1, 3).with_hint(format!(
                "rename the file to `{}.md` (lowercase letters, digits and `-`)",
                slug::slugify(&id)
            )),
        );
        return Err(Rejected::new(file, found, Vec::new(), None));
    }
    let name = f.required_text("name", "add `name: …` with your name as you want it shown", diags);
    let mut links = Vec::new();
    if let Some(l) = f.map_free("links", diags) {
        for e in l.entries() {
            match e.value.value.as_text() {
                Some(url) => match fields::check_url(&url, crate::fields::Relative::Refused) {
                    Ok(()) if url.trim().to_ascii_lowercase().starts_with("mailto:") => diags.push(
                        src.error_at_node(
                            Code::EmailLink,
                            format!("`links.{}` is an email address, and those are never published", e.key),
                            &e.value,
                        )
                        .with_hint("link a profile or website instead"),
                    ),
                    Ok(()) => links.push((e.key.clone(), url.trim().to_string())),
                    Err(why) => diags.push(
                        src.error_at_node(Code::BadUrl, format!("`links.{}`: {why}", e.key), &e.value)
                            .with_hint(fields::URL_HINT),
                    ),
                },
                None => diags.push(src.error_at_node(
                    Code::WrongType,
                    format!("`links.{}` should be a web address", e.key),
                    &e.value,
                )),
            }
        }
    }
    let networks = if f.entry("networks").is_some() { network_list(&f, "networks", diags) } else { Vec::new() };
    let _ = f.text("git_email", diags);
    let role = f.text("role", diags).map(|t| t.value);
    let team = f.text("team", diags).map(|t| t.value);
    let pronouns = f.text("pronouns", diags).map(|t| t.value);
    let avatar = read::image(&f, "avatar", "avatar_alt", diags);
    let consent = read::flag(&f, "consent", diags);
    let withdrawn = f.bool("withdrawn", diags).is_some_and(|w| w.value);
    let extra = f.extra();
    let Some(name) = name.map(|n| n.value) else {
        return Err(Rejected { person_id: Some(id), ..Rejected::new(file, found, Vec::new(), avatar) });
    };
    Ok(Person { file, id, name, role, team, pronouns, avatar, links, networks, consent, withdrawn, extra })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{load_bytes, Found, Item, Section};
    use crate::fields::Spanned;

    fn consent(text: &str) -> Spanned<bool> {
        let found = Found {
            path: "/hub/content/people/ana.md".into(),
            section: Section::People,
            bundle_dir: None,
            assets: vec![],
            translation: None,
        };
        let zone = chrono::FixedOffset::east_opt(0).unwrap();
        match load_bytes(Path::new("/hub"), &found, zone, text.as_bytes().to_vec()) {
            (Some(Item::Person(p)), _) => p.consent,
            (_, d) => panic!("not a person: {d:?}"),
        }
    }

    #[test]
    fn consent_keeps_its_place() {
        let at = |value, line, column, len| Spanned { value, line, column, len };
        assert_eq!(consent("---\nname: Ana\nconsent: true\n---\n"), at(true, 3, 10, 4));
        // Not given: the start of the file, whatever the body says.
        assert_eq!(consent("---\nname: Ana\n---\nconsent: true\n"), at(false, 1, 1, 3));
        // Not `true`/`false` (an error of its own): not given, where it is written.
        assert_eq!(consent("---\nname: Ana\nconsent: yes please\n---\n"), at(false, 3, 10, 10));
    }
}

//! The check of one post edited in place, for `serve`: what `cross_check` would find again,
//! at the cost of that one post instead of the whole site.
//!
//! An edit that keeps the post's file, address, date, authors, tags, draft flag and expiry
//! keeps its state (the same people are still there, with the same consent) and its place
//! in the site's order, so every index (`post_state`, `listed`, `tags`, `person_posts`,
//! `person_causes`, `post_by_file`) stays as it is. Of the cross-checks, the only ones whose
//! result can change are those that point into the edited file, because its lines may have
//! moved: its authors exist, its address is not taken by an earlier post, its image exists.
//! The others point into other files, and read nothing of the post but what is kept: the
//! consent warning names the files crediting a person (same file, same authors), and a later
//! post with the same address names the first one's file. The tests below compare all of it
//! with a full `cross_check`.

use super::{duplicate_post, unknown_person, PostId, Site};
use crate::content::Post;
use crate::diagnostic::Diagnostic;

impl Site {
    /// When post `id`, just put in place of `old`, kept everything the indexes are made of,
    /// returns the cross-check problems of its file, having changed nothing else; `None`,
    /// also having changed nothing, when the whole site must be checked again.
    pub(super) fn check_post_in_place(&self, id: PostId, old: &Post) -> Option<Vec<Diagnostic>> {
        let post = &self.posts[id.0];
        let kept = post.file.rel == old.file.rel
            && post.slug.value == old.slug.value
            && post.date.value == old.date.value
            && post.draft == old.draft
            && post.expires == old.expires
            && post.authors.iter().map(|a| &a.value).eq(old.authors.iter().map(|a| &a.value))
            && post.tags.iter().map(|t| &t.value).eq(old.tags.iter().map(|t| &t.value))
            && post.tag_slugs == old.tag_slugs
            && post.aliases.iter().map(|a| &a.value).eq(old.aliases.iter().map(|a| &a.value));
        if !kept {
            return None;
        }
        let mut diags = Vec::new();
        let mut hidden = false;
        for a in &post.authors {
            match self.person_by_id.get(&a.value) {
                Some(p) => hidden |= !self.people[p.0].visible(),
                None if self.has_rejected_profile(&a.value) => {}
                None => diags.push(unknown_person(post.file.src(&post.file.text()), a, &self.people)),
            }
        }
        if self.state_of(post, hidden) != self.post_state[id.0] {
            return None;
        }
        // The first post with this address keeps it; the problem is reported on the others.
        let address = &self.post_paths[id.0];
        if let Some(first) = self.posts[..id.0].iter().zip(&self.post_paths).find(|(_, path)| *path == address) {
            diags.push(duplicate_post(&post.file, &post.slug, address, &first.0.file.rel));
        }
        diags.extend(self.missing_image(&post.image, &post.file, post.bundle_dir.as_deref()));
        Some(diags)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::super::{LoadCache, Options, Site};
    use crate::content::{Found, Item, Section};
    use crate::diagnostic::{Code, Diagnostic};

    /// Everything `cross_check` computes besides its diagnostics, in comparable form.
    fn indexes(site: &Site) -> String {
        let tags: Vec<_> = site.tags.iter().map(|t| (&t.slug, &t.name, &t.posts)).collect();
        let by_file: BTreeMap<_, _> = site.post_by_file.iter().collect();
        let people: BTreeMap<_, _> = site.person_by_id.iter().collect();
        format!(
            "{:?}\n{:?}\n{tags:?}\n{:?}\n{:?}\n{:?}\n{by_file:?}\n{people:?}",
            site.post_state, site.listed, site.person_posts, site.person_causes, site.cause_published
        )
    }

    fn sorted(mut diags: Vec<Diagnostic>, keep: impl Fn(&Diagnostic) -> bool) -> Vec<String> {
        diags.retain(keep);
        let mut v: Vec<String> = diags.iter().map(|d| format!("{d:?}")).collect();
        v.sort();
        v
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn post(title: &str, date: &str, authors: &str, extra: &str) -> String {
        format!(
            "---\ntitle: {title}\ndate: {date}\nauthors: [{authors}]\ntags: [data, Energy]\n{extra}---\nSome text.\n"
        )
    }

    /// A hub with a bit of everything a cross-check looks at: a person without consent, an
    /// unknown author, two posts with one address, a missing image, drafts, scheduled and
    /// expired posts, a cause.
    fn hub(root: &Path) {
        write(root, "chorus.yaml", "title: Test\nbase_url: https://example.org\ncompany: Example\n");
        write(root, "content/people/ana.md", "---\nname: Ana\nconsent: true\n---\nBio.\n");
        write(root, "content/people/bo.md", "---\nname: Bo\nconsent: true\n---\nBio.\n");
        write(root, "content/people/cy.md", "---\nname: Cy\n---\nNo consent yet.\n");
        write(root, "static/ok.png", "not really a PNG");
        write(root, "content/posts/2026-10-01-a.md", &post("A", "2026-10-01T10:00:00Z", "ana", ""));
        write(
            root,
            "content/posts/2026-10-02-b.md",
            &post("B", "2026-10-02T10:00:00Z", "ana, bo", "image: /ok.png\nimage_alt: A picture\n"),
        );
        write(root, "content/posts/2026-10-03-c.md", &post("C", "2026-10-03T10:00:00Z", "bo, cy", ""));
        write(root, "content/posts/2026-10-04-d.md", &post("D", "2026-10-04T10:00:00Z", "nobody", ""));
        write(root, "content/posts/2026-10-05-e.md", &post("E", "2026-10-05T10:00:00Z", "ana", ""));
        // Older than `e`, so the problem of the taken address is reported here, at `slug:`.
        write(root, "content/posts/2026-09-30-j.md", &post("J", "2026-09-30T10:00:00Z", "bo", "slug: e\n"));
        write(
            root,
            "content/posts/2026-10-06-f.md",
            &post("F", "2026-10-06T10:00:00Z", "bo", "image: /gone.png\nimage_alt: A picture\n"),
        );
        write(root, "content/posts/2026-10-07-g.md", &post("G", "2026-10-07T10:00:00Z", "bo", "draft: true\n"));
        write(root, "content/posts/2026-12-08-h.md", &post("H", "2026-12-08T10:00:00Z", "ana", ""));
        write(
            root,
            "content/posts/2026-10-09-i.md",
            &post("I", "2026-10-09T10:00:00Z", "ana", "expires: 2026-11-01T00:00:00Z\n"),
        );
        write(
            root,
            "content/causes/walk.md",
            "---\ntitle: A walk\nkind: volunteer\nperson: ana\nstarts: 2026-12-01T10:00:00Z\nlocation: The park\n---\nCome.\n",
        );
    }

    fn options() -> Options {
        Options {
            drafts: false,
            future: false,
            now: crate::dates::now(Some("2026-11-22T12:00:00Z"), None).unwrap(),
            base_url: None,
        }
    }

    /// For each kind of edit, the targeted check gives the problems and indexes a full
    /// `cross_check` of the edited site gives, and the problems of other files stay as they
    /// were.
    #[test]
    fn the_check_of_an_edit_in_place_equals_a_full_cross_check() {
        // (file, text, replaced by, whether the edit keeps the post's place).
        let edits: &[(&str, &str, &str, bool)] = &[
            ("2026-10-01-a.md", "title: A", "title: A, retitled", true),
            ("2026-10-01-a.md", "Some text.", "Other text,\n\nin two paragraphs.", true),
            // Lines move above the authors, the address and the image: positions change.
            ("2026-10-02-b.md", "---\ntitle: B", "---\nsummary: Moved down.\nnote: Two lines.\ntitle: B", true),
            ("2026-10-03-c.md", "---\ntitle: C", "---\nsummary: An author without consent.\ntitle: C", true),
            ("2026-10-04-d.md", "---\ntitle: D", "---\nsummary: The unknown author moves.\ntitle: D", true),
            ("2026-09-30-j.md", "slug: e\n", "summary: The taken address moves.\nslug: e\n", true),
            ("2026-10-05-e.md", "title: E", "title: E, keeps its address", true),
            ("2026-10-06-f.md", "---\ntitle: F", "---\nsummary: The missing image moves.\ntitle: F", true),
            ("2026-10-06-f.md", "image: /gone.png", "image: /ok.png", true),
            ("2026-10-02-b.md", "image: /ok.png", "image: /gone.png", true),
            ("2026-10-07-g.md", "title: G", "title: G, still a draft", true),
            ("2026-12-08-h.md", "title: H", "title: H, still scheduled", true),
            ("2026-10-09-i.md", "title: I", "title: I, still expired", true),
            ("2026-10-01-a.md", "title: A", "featured: true\ntitle: A", true),
            // Edits that move the post: the whole site is checked again.
            ("2026-10-01-a.md", "tags: [data, Energy]", "tags: [data]", false),
            ("2026-10-01-a.md", "tags: [data, Energy]", "tags: [data, energy]", false),
            ("2026-10-01-a.md", "authors: [ana]", "authors: [ana, cy]", false),
            ("2026-10-01-a.md", "date: 2026-10-01T10:00:00Z", "date: 2026-10-05T10:00:00Z", false),
            ("2026-10-07-g.md", "draft: true\n", "", false),
            ("2026-10-01-a.md", "---\ntitle: A", "---\nslug: b\ntitle: A", false),
        ];
        for &(file, from, to, in_place) in edits {
            let what = format!("{file}: {from:?} → {to:?}");
            let tmp = tempfile::tempdir().unwrap();
            let root = tmp.path();
            hub(root);
            let (site, _) = Site::load(root, options());
            let mut site = site.unwrap();
            let rel = format!("content/posts/{file}");
            let mut before = Vec::new();
            site.cross_check(&mut before);
            // The hub has a problem of each kind, and a published cause.
            for code in [Code::NoConsent, Code::UnknownPerson, Code::DuplicateSlug, Code::MissingImage] {
                assert!(before.iter().any(|d| d.code == code), "no {code:?} in {before:?}");
            }
            assert_eq!((site.causes().count(), site.published_causes().count()), (1, 1));
            let before_indexes = indexes(&site);

            let text = std::fs::read_to_string(root.join(&rel)).unwrap();
            assert!(text.contains(from), "{what}: not in the file");
            std::fs::write(root.join(&rel), text.replacen(from, to, 1)).unwrap();
            let (id, old) = site.posts().find(|(_, p)| p.file.rel == rel).unwrap();
            let found = Found {
                path: root.join(&rel),
                section: Section::Posts,
                bundle_dir: old.bundle_dir.clone(),
                assets: old.assets.clone(),
                translation: None,
            };
            let reread = LoadCache::read(root, &found, site.config().timezone);
            let Some(Item::Post(new)) = reread.item else {
                panic!("{what}: no longer reads: {:?}", reread.diagnostics)
            };

            // The targeted check is taken exactly when the edit keeps the post's place.
            let old = std::mem::replace(&mut site.posts[id.0], new.clone());
            assert_eq!(site.check_post_in_place(id, &old).is_some(), in_place, "{what}");
            site.posts[id.0] = old;

            let targeted = site.replace_post(id, new);
            let targeted_indexes = indexes(&site);
            let mut full = Vec::new();
            site.cross_check(&mut full);
            assert_eq!(targeted_indexes, indexes(&site), "{what}: the indexes differ");
            assert_eq!(
                sorted(targeted, |_| true),
                sorted(full.clone(), |d| d.file == rel),
                "{what}: the problems differ"
            );
            if in_place {
                assert_eq!(before_indexes, targeted_indexes, "{what}: an edit in place changed the indexes");
                assert_eq!(
                    sorted(before, |d| d.file != rel),
                    sorted(full, |d| d.file != rel),
                    "{what}: the problems of other files changed"
                );
            }
        }
    }
}

//! The aliases of posts, causes and pages, checked against each other and against the items'
//! own addresses, and the redirect pages they become.
//!
//! An alias may not take the address of a post, cause, person or page (whatever its state:
//! a draft's address is taken once it is published), nor another alias's; either is an error
//! at the alias, naming both files. Only the aliases of items that have a page become
//! redirects (a draft's old address must not reveal it). Addresses the hub makes for itself
//! (listings, tags, feeds) are `build`'s to compare, once every page is rendered.

use super::Site;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::output_file;

/// A redirect page: from an alias to the address of its item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The alias's site path (`/2016/05/09/survey.html`, `/old/path/`).
    pub from: String,
    /// The item's site path.
    pub to: String,
    /// The file that declares the alias, relative to the hub.
    pub file: String,
    /// Where the alias is written in that file.
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

impl Site {
    /// Checks every alias and returns the redirects to publish.
    pub(super) fn check_aliases(&self, diags: &mut Vec<Diagnostic>) -> Vec<Redirect> {
        // Every item's own address (as an output file), and its file.
        let mut taken: super::FastMap<String, &str> = super::FastMap::default();
        for (i, p) in self.posts.iter().enumerate() {
            taken.entry(output_file(&self.post_paths[i])).or_insert(&p.file.rel);
        }
        for c in &self.causes {
            taken.entry(output_file(&self.cause_path(&c.slug.value))).or_insert(&c.file.rel);
        }
        for p in &self.people {
            taken.entry(output_file(&self.person_path(&p.id))).or_insert(&p.file.rel);
        }
        for p in &self.pages {
            taken.entry(output_file(&self.page_path(&p.slug.value))).or_insert(&p.file.rel);
        }
        let posts = self
            .posts
            .iter()
            .enumerate()
            .map(|(i, p)| (&p.file, &p.aliases, self.post_state[i].has_page(), self.post_paths[i].clone(), "post"));
        let causes = self
            .causes
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.file, &c.aliases, self.cause_published[i], self.cause_path(&c.slug.value), "cause"));
        let pages = self.pages.iter().map(|p| (&p.file, &p.aliases, true, self.page_path(&p.slug.value), "page"));
        let mut seen: super::FastMap<String, &str> = super::FastMap::default();
        let mut redirects = Vec::new();
        for (file, aliases, published, to, what) in posts.chain(causes).chain(pages) {
            for a in aliases {
                let out = output_file(&a.value);
                let problem = if let Some(owner) = taken.get(&out) {
                    Some(if *owner == file.rel {
                        format!("the alias `{}` is this {what}'s own address", a.value)
                    } else {
                        format!("the alias `{}` is the address of {owner}", a.value)
                    })
                } else {
                    // One file lists an alias once (`content` warns of the rest).
                    seen.get(&out).map(|first| format!("the alias `{}` is already an alias of {first}", a.value))
                };
                match problem {
                    Some(message) => diags.push(
                        Diagnostic::error(Code::AliasCollision, message)
                            .in_file(&file.rel)
                            .at(&file.text(), a.line, a.column, a.len)
                            .with_hint("remove this alias, or change one of the two addresses"),
                    ),
                    None => {
                        seen.insert(out, &file.rel);
                        if published {
                            redirects.push(Redirect {
                                from: a.value.clone(),
                                to: to.clone(),
                                file: file.rel.clone(),
                                line: a.line,
                                column: a.column,
                                len: a.len,
                            });
                        }
                    }
                }
            }
        }
        redirects
    }
}

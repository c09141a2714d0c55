//! `chorus new` and `chorus init`: files written for people, with their front matter filled
//! in and commented hints for the optional keys. Nothing is ever overwritten.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::dates::Date;
use crate::frontmatter::quote;
use crate::slug::slugify;

mod ci;

pub use ci::{Ci, INSTALL};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Post,
    Person,
    Cause,
    Page,
}

/// Who is writing: a person's id guessed from git, the hub, or the terminal.
fn guess_author(root: &Path, people: &[(String, Option<String>)]) -> Result<String, String> {
    let email = std::process::Command::new("git")
        .args(["config", "user.email"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_lowercase())
        .filter(|e| !e.is_empty());
    if let Some(email) = &email {
        if let Some((id, _)) =
            people.iter().find(|(_, e)| e.as_deref().map(str::to_lowercase).as_deref() == Some(email))
        {
            return Ok(id.clone());
        }
    }
    if people.len() == 1 {
        return Ok(people[0].0.clone());
    }
    if people.is_empty() {
        return Err(
            "there is nobody in `content/people/` yet; add yourself first with `chorus new person \"Your Name\"`"
                .into(),
        );
    }
    if std::io::stdin().is_terminal() {
        let mut stderr = std::io::stderr();
        let _ = writeln!(stderr, "Who is writing this? (add `git_email:` to your profile to skip this question)");
        for (n, (id, _)) in people.iter().enumerate() {
            let _ = writeln!(stderr, "  {}. {id}", n + 1);
        }
        let _ = write!(stderr, "Number or id: ");
        let _ = stderr.flush();
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line).is_ok() {
            let answer = line.trim();
            if let Ok(n) = answer.parse::<usize>() {
                if let Some((id, _)) = people.get(n.wrapping_sub(1)) {
                    return Ok(id.clone());
                }
            }
            if let Some((id, _)) = people.iter().find(|(id, _)| id == answer) {
                return Ok(id.clone());
            }
        }
        return Err("no author was chosen".into());
    }
    Err(match email {
        Some(e) => format!(
            "cannot tell who you are: nobody in `content/people/` has `git_email: {e}`; add it to your profile, or run this in a terminal to choose"
        ),
        None => "cannot tell who you are: set `git config user.email` and add the same `git_email:` to your profile in `content/people/`, or run this in a terminal to choose".into(),
    })
}

/// The people of the hub as (id, git_email), read leniently: a broken profile elsewhere
/// should not stop someone from starting a post.
fn people(root: &Path) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join("content/people")) else { return out };
    for e in entries.flatten() {
        let path = e.path();
        let Some(id) = path.file_stem().map(|s| s.to_string_lossy().to_string()) else { continue };
        if path.extension().is_none_or(|x| x != "md") || id.starts_with(['.', '_']) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let email = crate::frontmatter::parse(text.trim_start_matches('\u{feff}'))
            .ok()
            .and_then(|doc| doc.fields.iter().find(|f| f.key == "git_email").and_then(|f| f.value.value.as_text()));
        out.push((id, email));
    }
    out.sort();
    out
}

/// Slugs already taken in a section (file stems without date prefixes, and bundle folders).
fn taken(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().trim_end_matches(".md").to_string())
                .map(|stem| slugify(crate::slug::strip_date_prefix(&stem)))
                .collect()
        })
        .unwrap_or_default()
}

/// Writes a new content file and returns its path.
pub fn new(root: &Path, kind: Kind, title: &str, now: Date) -> Result<PathBuf, String> {
    if !root.join(crate::config::FILE).is_file() {
        return Err(format!(
            "there is no `{}` here; run this in a hub's folder, or create one with `chorus init`",
            crate::config::FILE
        ));
    }
    let title = title.trim();
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(format!("`{title}` has no letters or digits to make an address from; choose another title"));
    }
    let today = now.format("%Y-%m-%d").to_string();
    let (section, file_name) = match kind {
        Kind::Post => ("posts", format!("{today}-{slug}.md")),
        Kind::Person => ("people", format!("{slug}.md")),
        Kind::Cause => ("causes", format!("{slug}.md")),
        Kind::Page => ("pages", format!("{slug}.md")),
    };
    let dir = root.join("content").join(section);
    let path = dir.join(&file_name);
    if path.exists() || taken(&dir).contains(&slug) {
        return Err(format!("content/{section}/ already has `{slug}`; nothing was changed. Choose another title, or edit the existing file"));
    }
    let text = match kind {
        Kind::Post => post_template(title, &today, &guess_author(root, &people(root))?),
        Kind::Cause => {
            let starts =
                now.checked_add_signed(chrono::Duration::days(14)).unwrap_or(now).format("%Y-%m-%d").to_string();
            cause_template(title, &starts, &guess_author(root, &people(root))?)
        }
        Kind::Person => person_template(title, git_config(root, "user.email").as_deref()),
        Kind::Page => page_template(title),
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // `create_new` makes "never overwrite" hold even against a race.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn git_config(root: &Path, key: &str) -> Option<String> {
    // A folder that does not exist yet (`chorus init new-hub`) asks git from the current one.
    let dir = root.ancestors().find(|d| d.is_dir()).unwrap_or(Path::new("."));
    std::process::Command::new("git")
        .args(["config", key])
        .current_dir(dir)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

fn post_template(title: &str, today: &str, author: &str) -> String {
    format!(
        r#"---
title: {title}
date: {today}
author: {author}
# Everything below is optional. Remove the `#` in front of a line to use it.
# summary: One or two sentences shown in listings and link previews.
# note: Why you share this, in your own words. Shown with your name.
# tags: [engineering, community]
# image: /images/your-image.png     # under static/, or beside this file in a bundle folder
# image_alt: What the image shows, for people who cannot see it.
# via: {{url: "https://example.org/original", name: "Where it comes from"}}
# share:
#   text: A message you suggest to colleagues. They are encouraged to use their own words.
#   variants:
#     - Another way to say it.
#   hashtags: [CommunityEnergy]
# draft: true                        # keep it out of the site while you work on it
---

Write your post here, in Markdown. The first paragraph is used as the summary unless you
add `summary:` above or a line `<!-- more -->` where the summary should end.
"#,
        title = quote(title)
    )
}

fn person_template(name: &str, email: Option<&str>) -> String {
    let email_line = match email {
        Some(e) => format!("git_email: {}             # never published; lets `chorus new` know it is you\n", quote(e)),
        None => "# git_email: you@example.com    # never published; lets `chorus new` know it is you\n".to_string(),
    };
    format!(
        r#"---
name: {name}
# Your profile is published only when you set `consent: true` yourself.
# You can withdraw at any time with `withdrawn: true`, or by deleting this file.
consent: false
{email_line}# role: Engineer
# team: Platform
# pronouns: she/her
# avatar: /images/people/your-id.png
# avatar_alt: Portrait of you
# links: {{mastodon: "https://social.example/@you", website: "https://example.org"}}
# networks: [linkedin, mastodon]    # where you like to share; orders your share buttons
---

A few sentences about you, in your own words.
"#,
        name = quote(name)
    )
}

fn cause_template(title: &str, starts: &str, person: &str) -> String {
    format!(
        r#"---
title: {title}
person: {person}
kind: other        # fundraiser, event, exhibit, gig, volunteer or other
starts: {starts}
# ends: {starts}
# location: {{name: "The venue", address: "Street, Town"}}    # or {{online: "https://…"}}
# link: https://example.org/donate-or-tickets
# goal: "€2,000 for the river trust"
# image: /images/causes/your-image.png
# image_alt: What the image shows
# share:
#   text: A message colleagues can share. Causes carry no employer disclosure.
---

What it is and why it matters to you.
"#,
        title = quote(title)
    )
}

fn page_template(title: &str) -> String {
    format!(
        r#"---
title: {title}
# summary: One sentence for link previews.
# menu: 30          # show it in the navigation; lower numbers come first
---

Write the page here, in Markdown.
"#,
        title = quote(title)
    )
}

/// Creates a minimal hub in `dir` that builds and passes `check` at once, with a CI
/// workflow for `ci` when asked.
pub fn init(dir: &Path, now: Date, ci: Option<Ci>) -> Result<Vec<PathBuf>, String> {
    if dir.join(crate::config::FILE).exists() || dir.join("content").exists() {
        return Err(format!(
            "{} already holds a hub (it has `chorus.yaml` or `content/`); nothing was changed",
            dir.display()
        ));
    }
    let name = git_config(dir, "user.name").unwrap_or_else(|| "Your Name".to_string());
    let email = git_config(dir, "user.email");
    let mut id = slugify(&name);
    if id.is_empty() {
        id = "your-name".into();
    }
    let today = now.format("%Y-%m-%d").to_string();
    let mut files: Vec<(String, String)> = vec![
        ("chorus.yaml".into(), INIT_CONFIG.to_string()),
        (
            format!("content/people/{id}.md"),
            format!(
                "---\nname: {}\nrole: Founding member of this hub\nconsent: true\n{}---\n\nI set up this hub so we can share what we are proud of, in our own words.\n",
                quote(&name),
                email.as_deref().map(|e| format!("git_email: {}\n", quote(e))).unwrap_or_default()
            ),
        ),
        (
            format!("content/posts/{today}-welcome.md"),
            format!(
                "---\ntitle: Welcome to our hub\ndate: {today}\nauthor: {id}\ntags: [news]\nshare:\n  text: We have opened a place where the people who work here share what they are proud of, in their own words.\n---\n\nThis is where we share the work we are proud of and the causes we care about. Everything here is written by the people who work here, because they want to.\n"
            ),
        ),
        ("content/pages/guidelines.md".into(), INIT_GUIDELINES.to_string()),
        ("README.md".into(), INIT_README.replace("{install}", INSTALL)),
        (".gitignore".into(), "public/\n".to_string()),
        ("static/.gitkeep".into(), String::new()),
    ];
    if let Some(ci) = ci {
        files.insert(5, (ci.file().to_string(), ci.workflow()));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if path.exists() {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

const INIT_CONFIG: &str = r##"# The hub's settings. Only `title` and `base_url` are required.
title: Our Voices
base_url: https://voices.example.com
company: Example Co
language: en
description: What the people who work here want to share, in their own words.
disclosure: "#ExampleEmployee"     # added to shares of posts about the company
# networks: [linkedin, mastodon, bluesky, x, email]
cadence:
  max_featured_per_week: 2
"##;

const INIT_GUIDELINES: &str = r#"---
title: How we share
menu: 10
---

Sharing is **always optional**. Nobody keeps track of who shares what, and nobody should
ask you why you did not.

- **Use your own words.** The suggested messages are starting points. A sentence about why
  *you* care beats any slogan.
- **Say that you work here.** When you share something about the company, the disclosure
  hashtag is added for you. Keep it: it is the honest thing to do, and in many places the law.
- **Keep private accounts private.** Share only where you are comfortable being seen as
  someone who works here.
- **You can step back at any time.** Set `withdrawn: true` in your profile, or delete it, and
  your profile and posts disappear with the next build.
"#;

const INIT_README: &str = r#"# Our advocacy hub

Everything here is written by the people who work here, because they want to share it.
The site is built with Chorus.

## Adding something

1. **New**: `chorus new post "What I want to share"` creates a file in `content/posts/`
   with your name and today's date filled in (or copy an existing file on the web editor).
2. **Edit** it: write in Markdown; uncomment the optional keys you need.
3. **Check**: `chorus check` tells you, in plain words, anything that needs fixing,
   with the file and line. `chorus serve` shows the site as you edit it.
4. **Open a pull request.** The checks run again there and show any problem on the line
   it is about.

To run Chorus on your own computer, install it with `{install}`
(it needs Rust's `cargo`): the same version as the hub's CI workflow, if it has one.

Your profile is in `content/people/`. It is published only with `consent: true`, which
only you should set, and you can withdraw at any time with `withdrawn: true`.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_valid_front_matter() {
        for text in [
            post_template("A: tricky # title", "2026-11-24", "ana"),
            person_template("Ana \"A\" Lima", Some("ana@example.org")),
            cause_template("Run!", "2026-12-08", "ana"),
            page_template("About us"),
        ] {
            let doc = crate::frontmatter::parse(&text).unwrap();
            assert!(!doc.fields.is_empty(), "{text}");
        }
    }
}

//! The theme's templates: loaded from the theme and the site's `templates/` overrides (the
//! default theme is also built into Chorus), checked once, with errors that name the
//! template file and line. Also the one HTML escaper every template uses.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostic::Code;
use crate::diagnostic::{display_path, Diagnostic};

/// Loads the theme's templates and the site's overrides (`templates/<name>`). The theme
/// `default` falls back to the copy built into Chorus. Errors name the template file and,
/// for syntax errors, the line.
pub fn load_templates(root: &Path, theme: &str) -> Result<Tera, Vec<Diagnostic>> {
    let theme_dir = root.join("themes").join(theme).join("templates");
    let site_dir = root.join("templates");
    let builtin = theme == "default";
    // A templates folder (or the theme's folder) that links out of the hub is never read.
    let theme_root = format!("themes/{theme}");
    let mut refused: Vec<Diagnostic> =
        ["templates", theme_root.as_str()].iter().filter_map(|rel| crate::hub::refused_root(root, rel)).collect();
    if refused.iter().all(|d| d.file != theme_root) {
        refused.extend(crate::hub::refused_root(root, &format!("{theme_root}/templates")));
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    let mut diags = Vec::new();
    let mut names: Vec<String> = crate::theme::TEMPLATES.iter().map(|(n, _)| n.to_string()).collect();
    // Extra templates in either folder (partials included by others).
    for dir in [&theme_dir, &site_dir] {
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut extra: Vec<String> = entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.ends_with(".html") || n.ends_with(".xml") || n.ends_with(".txt"))
                .filter(|n| !names.contains(n))
                .collect();
            extra.sort();
            names.extend(extra);
        }
    }
    // (name, text, path shown in messages)
    let mut raw: Vec<(String, String, PathBuf)> = Vec::new();
    // A template linked from outside the hub is never read.
    let hub = crate::hub::Bounds::new(root);
    let inside = |f: &PathBuf| hub.as_ref().is_ok_and(|h| h.contains(f));
    for name in &names {
        let site_file = site_dir.join(name);
        let theme_file = theme_dir.join(name);
        for f in [&site_file, &theme_file] {
            if f.is_file() && !inside(f) {
                diags.push(
                    crate::hub::symlink_outside(display_path(root, f))
                        .with_hint("copy the template into the hub instead of linking to it"),
                );
            }
        }
        let file = [site_file, theme_file.clone()].into_iter().find(|f| f.is_file() && inside(f));
        match (file, builtin.then(|| crate::theme::template(name)).flatten()) {
            (Some(path), _) => match std::fs::read_to_string(&path) {
                Ok(text) => raw.push((name.clone(), text, path)),
                Err(e) => diags.push(
                    Diagnostic::error(Code::Io, format!("cannot read this template: {e}"))
                        .in_file(display_path(root, &path)),
                ),
            },
            (None, Some(text)) => raw.push((name.clone(), text.to_string(), theme_file)),
            (None, None) => diags.push(
                Diagnostic::error(Code::MissingTemplate, format!("the theme `{theme}` has no template `{name}`"))
                    .in_file(display_path(root, &theme_file))
                    .with_hint("reinstall the theme, or add the template to `templates/`"),
            ),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut tera = Tera::default();
    if let Err(e) = tera.add_raw_templates(raw.iter().map(|(n, t, _)| (n.as_str(), t.as_str()))) {
        // Check each template on its own, so every broken one is reported with its line.
        // (Alone, a template also fails on its parent being absent: only syntax errors count.)
        for (name, text, path) in &raw {
            let mut single = Tera::default();
            if let Err(e) = single.add_raw_template(name, text) {
                if error_chain(&e).contains("--> ") {
                    diags.push(template_error(root, path, text, &e));
                }
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        // Name the template the error is about, when the message says which.
        let by_name: HashMap<&str, &PathBuf> = raw.iter().map(|(n, _, p)| (n.as_str(), p)).collect();
        let message = error_chain(&e);
        let file =
            by_name.iter().find(|(n, _)| message.contains(&format!("'{n}'"))).map(|(_, p)| display_path(root, p));
        return Err(vec![Diagnostic::error(Code::Template, message).in_file(file.unwrap_or_default())]);
    }
    sandbox(&mut tera);
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaper also turns every `/` into `&#x2F;`, which HTML does not need and
    // which lengthens every URL of every page.
    tera.set_escape_fn(crate::markdown::escape_html);
    Ok(tera)
}

/// Tera's functions that read the machine Chorus runs on: its environment (`get_env`, which
/// would publish a CI secret), its clock (`now`) and its randomness (`get_random`). The last
/// two only exist with tera's `builtins` feature, which Chorus leaves off; all three are
/// replaced all the same, so that turning the feature on changes nothing.
pub const REFUSED_FUNCTIONS: [&str; 3] = ["get_env", "now", "get_random"];

/// Makes every function of `REFUSED_FUNCTIONS` fail with a clear message: a template sees
/// only the page's view, and the same hub gives the same bytes on every machine.
fn sandbox(tera: &mut Tera) {
    for name in REFUSED_FUNCTIONS {
        tera.register_function(name, move |_: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            Err(tera::Error::msg(format!(
                "templates cannot use `{name}()`: they may not read the computer that builds the site \
                 (its environment variables, clock or randomness); use the values of the page instead"
            )))
        });
    }
}

/// All messages of a tera error, outermost first.
pub fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ").replace('\n', " ")
}

pub(super) fn template_error(root: &Path, path: &Path, text: &str, e: &tera::Error) -> Diagnostic {
    let message = error_chain(e);
    // Tera reports syntax errors as ` --> LINE:COL`.
    let pos = message.find("--> ").and_then(|i| {
        let rest = &message[i + 4..];
        let end = rest.find(|c: char| !c.is_ascii_digit() && c != ':').unwrap_or(rest.len());
        let (l, c) = rest[..end].split_once(':')?;
        Some((l.parse::<usize>().ok()?, c.parse::<usize>().ok()?))
    });
    let short = message.split(" --> ").next().unwrap_or(&message).trim().trim_end_matches(':').to_string();
    let d = Diagnostic::error(Code::Template, format!("this template cannot be read: {short}"))
        .in_file(display_path(root, path));
    match pos {
        Some((l, c)) => d.at(text, l, c, 1).with_hint("check the `{{ }}` and `{% %}` tags on this line; every `{% if %}`/`{% for %}`/`{% block %}` needs its `{% end… %}`"),
        None => d,
    }
}

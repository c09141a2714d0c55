//! What the language of a fence (the word after ```` ``` ````) names: a syntax to highlight
//! with, no highlighting on purpose (`text`), or nothing known, with what was probably meant.
//!
//! A word resolves, ignoring case, as a file extension (`ts`, `yml`, `tf`), as a syntax's name
//! (`TypeScript`, `Dockerfile`), or through `ALIASES`, the names people write in fences that
//! are neither (`shell`, `golang`, `terraform`, `c#`). Asking loads the syntax set.

use syntect::parsing::SyntaxReference;

use super::syntaxes;

/// Names written in fences that are neither an extension nor a syntax's name, and the
/// extension or name they stand for.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "sh"),
    ("console", "sh"),
    ("shellsession", "sh"),
    ("terminal", "sh"),
    ("zsh", "sh"),
    ("golang", "go"),
    ("py3", "py"),
    ("python3", "py"),
    ("node", "js"),
    ("javascriptreact", "jsx"),
    ("typescriptreact", "tsx"),
    ("docker", "Dockerfile"),
    ("dockerfile", "Dockerfile"),
    ("containerfile", "Dockerfile"),
    ("terraform", "tf"),
    ("hcl", "tf"),
    ("kotlin", "kt"),
    ("c++", "cpp"),
    ("c#", "cs"),
    ("csharp", "cs"),
    ("f#", "fs"),
    ("fsharp", "fs"),
    ("objective-c", "m"),
    ("objc", "m"),
    ("ps", "ps1"),
    ("pwsh", "ps1"),
    ("powershell", "ps1"),
    ("jsonc", "json"),
    ("json5", "json"),
    ("patch", "diff"),
    ("proto", "proto"),
    ("protobuf", "proto"),
    ("gql", "graphql"),
    ("make", "Makefile"),
    ("makefile", "Makefile"),
    ("vim", "vim"),
    ("viml", "vim"),
    ("rb", "rb"),
    ("md", "md"),
    ("xhtml", "html"),
    ("svg", "xml"),
    ("ini", "ini"),
    ("env", "sh"),
    ("dotenv", "sh"),
    // Templates are HTML with tags of their own: their HTML is highlighted, the tags stay text.
    ("liquid", "html"),
    ("jinja", "html"),
    ("jinja2", "html"),
    ("handlebars", "html"),
    ("hbs", "html"),
];

/// Words that ask for code shown as it is, without highlighting.
const PLAIN: &[&str] = &["text", "txt", "plain", "plaintext", "none", "nohighlight", "output"];

/// What a fence's language names.
#[derive(Clone, Copy, Debug)]
pub enum Language {
    Known(&'static SyntaxReference),
    /// A word for no highlighting (`text`, `plain`, …).
    Plain,
    /// Nothing known; the nearest known word, if one is close.
    Unknown(Option<&'static str>),
}

/// What `word` (a fence's language, already cut at its first space or comma) names.
pub fn language(word: &str) -> Language {
    let lower = word.to_ascii_lowercase();
    if PLAIN.contains(&lower.as_str()) {
        return Language::Plain;
    }
    let set = syntaxes();
    let token = ALIASES.iter().find(|(alias, _)| *alias == lower).map_or(word, |(_, to)| to);
    if let Some(s) = set.find_syntax_by_token(token) {
        return Language::Known(s);
    }
    Language::Unknown(crate::diagnostic::suggest(&lower, known_words().iter().map(String::as_str)))
}

/// Every word that resolves, lowercase: extensions, one-word syntax names, aliases.
fn known_words() -> &'static [String] {
    static WORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Vec<String> = syntaxes()
            .syntaxes()
            .iter()
            .flat_map(|s| s.file_extensions.iter().map(|e| e.to_ascii_lowercase()).chain([s.name.to_ascii_lowercase()]))
            .filter(|w| !w.is_empty() && !w.contains([' ', '(', ')', '/', '.']))
            .chain(ALIASES.iter().map(|(a, _)| a.to_string()))
            .chain(PLAIN.iter().map(|p| p.to_string()))
            .collect();
        words.sort();
        words.dedup();
        words
    })
}

/// The names of the languages that are highlighted, for the documentation and the tests.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = syntaxes().syntaxes().iter().filter(|s| !s.hidden).map(|s| s.name.as_str()).collect();
    names.sort_unstable_by_key(|n| n.to_lowercase());
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolves(word: &str) -> String {
        match language(word) {
            Language::Known(s) => s.name.clone(),
            Language::Plain => "plain".into(),
            Language::Unknown(s) => format!("unknown, did you mean {s:?}"),
        }
    }

    #[test]
    fn the_words_people_write_resolve() {
        for (word, name) in [
            ("ts", "TypeScript"),
            ("typescript", "TypeScript"),
            ("tsx", "TypeScriptReact"),
            ("sh", "Bourne Again Shell (bash)"),
            ("shell", "Bourne Again Shell (bash)"),
            ("yml", "YAML"),
            ("dockerfile", "Dockerfile"),
            ("Dockerfile", "Dockerfile"),
            ("tf", "Terraform"),
            ("hcl", "Terraform"),
            ("toml", "TOML"),
            ("kotlin", "Kotlin"),
            ("swift", "Swift"),
            ("c#", "C#"),
            ("text", "plain"),
        ] {
            assert_eq!(resolves(word), name, "{word}");
        }
    }

    #[test]
    fn a_misspelled_language_gets_a_suggestion() {
        assert_eq!(resolves("typscript"), "unknown, did you mean Some(\"typescript\")");
        assert_eq!(resolves("pyton"), "unknown, did you mean Some(\"python\")");
        assert_eq!(resolves("qwertzuiop"), "unknown, did you mean None");
    }

    #[test]
    fn every_alias_leads_to_a_syntax() {
        for (alias, _) in ALIASES {
            assert!(matches!(language(alias), Language::Known(_)), "{alias}");
        }
    }
}

#[cfg(test)]
mod names_tests {
    #[test]
    fn the_list_of_languages_names_the_new_ones() {
        let names = super::names();
        for n in ["TypeScript", "TypeScriptReact", "TOML", "Dockerfile", "Kotlin", "Swift", "Terraform", "Rust"] {
            assert!(names.contains(&n), "{n} in {names:?}");
        }
        if std::env::var_os("CHORUS_PRINT_LANGUAGES").is_some() {
            println!("{}", names.join(", "));
        }
    }
}

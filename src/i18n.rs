//! The theme's words in one language: every text that pages, the digest and the cards show
//! without it coming from the hub's content ("All posts", "Share this post"), complete after
//! the fallbacks, and dates written the way that language writes them ("3. November 2026").
//!
//! The texts come in layers of flat YAML files (`key: text`, placeholders written `{name}`),
//! the first layer that has a key giving its text: the hub's own `i18n/<code>.yaml`, the
//! hub's copy of its theme (`themes/<theme>/i18n/<code>.yaml`), then the default theme's
//! files built into Chorus (`theme::I18N`); the same for the hub's main language; then for
//! English, whose built-in file has every key. A key the language has nowhere is a
//! `missing-translation` warning; a key in one of the hub's files that no theme has is an
//! `unknown-string` warning. Reading YAML is `frontmatter`'s; this module renders nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use chrono::{Datelike, Locale};

use crate::dates::{self, Date};
use crate::diagnostic::{suggest, Code, Diagnostic};
use crate::frontmatter;

/// The language whose built-in texts are complete: the last fallback of every other.
pub const ENGLISH: &str = "en";

/// Languages written right to left.
const RIGHT_TO_LEFT: [&str; 4] = ["ar", "he", "fa", "ur"];

/// Whether the language `code` (`ar`, `he-IL`, …) is written right to left.
pub fn is_rtl(code: &str) -> bool {
    RIGHT_TO_LEFT.contains(&primary(code).as_str())
}

/// Whether `rel` (a path in the hub, as diagnostics name it) is a file of the theme's texts:
/// `i18n/de.yaml` or `themes/<theme>/i18n/de.yaml`.
pub fn is_strings_file(rel: &str) -> bool {
    let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
    folder == "i18n" || (folder.starts_with("themes/") && folder.ends_with("/i18n") && folder.matches('/').count() == 2)
}

/// `pt-BR` → `pt`; `DE` → `de`.
fn primary(code: &str) -> String {
    code.split(['-', '_']).next().unwrap_or(code).to_ascii_lowercase()
}

/// The theme's texts in one language, every key filled (by a fallback where the language
/// has no text of its own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Strings {
    code: String,
    map: BTreeMap<String, String>,
}

/// One file of texts as read: where it is shown to be, whether it is the hub's own (not a
/// theme's), its text (for the hub's, to point into) and its keys with their places.
struct Layer {
    file: String,
    hub: bool,
    source: String,
    entries: Vec<Entry>,
}

struct Entry {
    key: String,
    text: String,
    line: usize,
    column: usize,
}

impl Layer {
    fn get(&self, key: &str) -> Option<&str> {
        self.entries.iter().find(|e| e.key == key).map(|e| e.text.as_str())
    }
}

impl Strings {
    /// The built-in English texts, read once: what every hub showed before it had languages.
    pub fn english() -> &'static Strings {
        static ENGLISH_STRINGS: OnceLock<Strings> = OnceLock::new();
        ENGLISH_STRINGS.get_or_init(|| Strings::builtin(ENGLISH))
    }

    /// The texts built into Chorus for `code`, English where it has none.
    pub fn builtin(code: &str) -> Strings {
        Strings::load(Path::new(""), "default", code, code).0
    }

    /// The texts of the hub at `root` in the language `code`: the hub's `i18n/`, its theme's
    /// `i18n/`, then the built-in default theme's, each for `code`, then for `default_code`
    /// (the hub's main language), then for English. Also every problem found: files that
    /// cannot be read or are not valid YAML (errors), keys `code` has no text for and keys of
    /// the hub's files that no theme has (warnings). An empty `root` reads nothing from disk.
    pub fn load(root: &Path, theme: &str, code: &str, default_code: &str) -> (Strings, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let on_disk = !root.as_os_str().is_empty();
        let hub_file = |lang: &str| format!("i18n/{lang}.yaml");
        let theme_file = |lang: &str| format!("themes/{theme}/i18n/{lang}.yaml");

        // Every language looked in, in order, with its layers in order, and whether it is
        // `code` itself (`pt` counts as `pt-BR`).
        let mut languages: Vec<(Vec<Layer>, bool)> = Vec::new();
        for lang in chain(code, default_code) {
            let mut layers = Vec::new();
            if on_disk {
                layers.extend(read_layer(root, &hub_file(&lang), true, &mut diagnostics));
                layers.extend(read_layer(root, &theme_file(&lang), false, &mut diagnostics));
            }
            layers.extend(builtin_layer(&lang));
            languages.push((layers, primary(&lang) == primary(code)));
        }
        let layers = || languages.iter().flat_map(|(layers, _)| layers);

        // The keys there are: the built-in English ones, and those a theme's English file adds.
        let mut keys: Vec<&str> = Vec::new();
        let english = languages.last().map(|(layers, _)| layers.as_slice()).unwrap_or_default();
        for entry in english.iter().filter(|l| !l.hub).flat_map(|l| &l.entries) {
            if !keys.contains(&entry.key.as_str()) {
                keys.push(&entry.key);
            }
        }

        // A hub's text for a key no theme has changes nothing: most likely a typo.
        for layer in layers().filter(|l| l.hub) {
            for entry in layer.entries.iter().filter(|e| !keys.contains(&e.key.as_str())) {
                let hint = match suggest(&entry.key, keys.iter().copied()) {
                    Some(key) => format!("did you mean `{key}`?"),
                    None => "the keys are those of the theme's `i18n/en.yaml` (see docs/strings.md)".to_string(),
                };
                diagnostics.push(
                    Diagnostic::warning(
                        Code::UnknownString,
                        format!("`{}` is not one of the theme's texts, so it changes nothing", entry.key),
                    )
                    .in_file(&layer.file)
                    .at(&layer.source, entry.line, entry.column, entry.key.chars().count())
                    .with_hint(hint),
                );
            }
        }

        let own: Vec<&Layer> = languages.iter().filter(|(_, own)| *own).flat_map(|(layers, _)| layers).collect();
        let shown_file = if own.iter().any(|l| l.hub) { hub_file(code) } else { theme_file(code) };
        let mut map = BTreeMap::new();
        for key in keys {
            let text = layers().find_map(|l| l.get(key)).unwrap_or_default().to_string();
            if !own.is_empty() && own.iter().all(|l| l.get(key).is_none()) {
                diagnostics.push(
                    Diagnostic::warning(
                        Code::MissingTranslation,
                        format!("the theme's text `{key}` has no translation into `{code}`, so pages show “{text}”"),
                    )
                    .in_file(&shown_file)
                    .with_hint(format!("add the line `{key}: \"…\"`, in that language, to {}", hub_file(code))),
                );
            }
            map.insert(key.to_string(), text);
        }
        if own.is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    Code::MissingTranslation,
                    format!("the theme has no texts in `{code}`, so pages show them in another language"),
                )
                .in_file(hub_file(code))
                .with_hint(format!(
                    "create {} with every text of the theme's `i18n/en.yaml` in that language (see docs/strings.md)",
                    hub_file(code)
                )),
            );
        }
        (Strings { code: code.to_string(), map }, diagnostics)
    }

    /// The language these texts are in, as the hub names it (`de`, `pt-BR`).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// `rtl` for a language written right to left, else `ltr`: the `dir` of its pages.
    pub fn dir(&self) -> &'static str {
        if is_rtl(&self.code) {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// Every key with its text: what templates see as `t`.
    pub fn map(&self) -> &BTreeMap<String, String> {
        &self.map
    }

    /// The text of `key`; the key itself for a key no theme has (a mistake in Chorus, which
    /// the tests catch).
    pub fn get<'s>(&'s self, key: &'s str) -> &'s str {
        debug_assert!(self.map.contains_key(key), "the theme has no text `{key}`");
        self.map.get(key).map_or(key, String::as_str)
    }

    /// The text of `key` with its placeholders filled: `fmt("tag_title", &[("tag", "rust")])`.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.get(key), args)
    }

    /// A day, as pages show it: `3 November 2026`, `3. November 2026`, `2026年11月3日`.
    pub fn date(&self, d: &Date) -> String {
        date(&self.code, d)
    }

    /// A day with its weekday: `Sat 16 January 2027`, `Sa., 16. Januar 2027`.
    pub fn weekday(&self, d: &Date) -> String {
        weekday(&self.code, d)
    }

    /// A day and time of day in the offset it was written with, named:
    /// `Sat 16 January 2027, 19:30 (UTC)`.
    pub fn date_time(&self, d: &Date) -> String {
        self.fmt("date_time", &[("date", &self.weekday(d)), ("time", &dates::clock(d)), ("zone", &dates::zone_name(d))])
    }

    /// A month, as the archive heads its posts: `November 2026`, `Noviembre de 2026`.
    pub fn month(&self, d: &Date) -> String {
        month(&self.code, d)
    }
}

/// `text` with each `{name}` of `args` replaced by its value, in one pass (a value holding
/// `{x}` stays as it is). Placeholders without a value are left as written.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of `text` (`{tag}` gives `tag`), sorted, each once.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            names.push(name);
        }
        rest = &after[close + 1..];
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// `code`, its main language (`pt` of `pt-BR`), the same for `default_code`, then English:
/// the languages whose texts are looked for, in order, each once.
fn chain(code: &str, default_code: &str) -> Vec<String> {
    let mut chain: Vec<String> = Vec::new();
    for c in [code, default_code, ENGLISH] {
        for lang in [c.to_string(), primary(c)] {
            if !lang.is_empty() && !chain.contains(&lang) {
                chain.push(lang);
            }
        }
    }
    // English last, even when `code` is a kind of English (`en-GB`, then `en`).
    if let Some(i) = chain.iter().position(|l| l == ENGLISH) {
        let english = chain.remove(i);
        chain.push(english);
    }
    chain
}

/// The built-in texts of `lang`, if Chorus has them.
fn builtin_layer(lang: &str) -> Option<Layer> {
    let (_, source) = crate::theme::I18N.iter().find(|(code, _)| *code == lang)?;
    let entries = frontmatter::parse_yaml_file(source).expect("the built-in texts are valid YAML");
    Some(Layer {
        file: format!("themes/default/i18n/{lang}.yaml"),
        hub: false,
        source: String::new(),
        entries: entries
            .into_iter()
            .filter_map(|e| Some(Entry { text: e.value.value.as_text()?, key: e.key, line: e.line, column: e.column }))
            .collect(),
    })
}

/// The hub's file `rel`, when there is one, with its problems in `diagnostics`; `hub` when it
/// is the hub's own file (else its theme's).
fn read_layer(root: &Path, rel: &str, hub: bool, diagnostics: &mut Vec<Diagnostic>) -> Option<Layer> {
    let path = root.join(rel);
    std::fs::symlink_metadata(&path).ok()?;
    if !crate::hub::contains(root, &path) {
        diagnostics.push(crate::hub::symlink_outside(rel));
        return None;
    }
    let source = match std::fs::read_to_string(&path) {
        Ok(text) => text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text),
        Err(e) => {
            diagnostics.push(Diagnostic::error(Code::Io, format!("cannot read this file: {e}")).in_file(rel));
            return None;
        }
    };
    let entries = match frontmatter::parse_yaml_file(&source) {
        Ok(entries) => entries,
        Err(mut d) => {
            d.message = d.message.replace("the front matter is not valid YAML", "this file of texts is not valid YAML");
            diagnostics.push(d.in_file(rel));
            return None;
        }
    };
    let mut layer = Layer { file: rel.to_string(), hub, source: String::new(), entries: Vec::new() };
    for e in entries {
        match e.value.value.as_text() {
            Some(text) => layer.entries.push(Entry { key: e.key, text, line: e.line, column: e.column }),
            None => diagnostics.push(
                Diagnostic::error(Code::WrongType, format!("`{}` must be a text, not {}", e.key, e.value.value.kind()))
                    .in_file(rel)
                    .at(&source, e.value.line, e.value.column, e.value.len)
                    .with_hint("write the text after the key, in quotes: `key: \"…\"`"),
            ),
        }
    }
    layer.source = source;
    Some(layer)
}

/// How a language writes dates, in chrono's `strftime` with its locale; `%-d` is the day
/// (which `day` may write otherwise).
struct DateStyle {
    locale: Locale,
    date: &'static str,
    weekday: &'static str,
    month: &'static str,
}

/// The style of `code`; `None` for English and the languages Chorus has no style for, whose
/// dates are `dates::human`'s.
fn style(code: &str) -> Option<DateStyle> {
    let (locale, date, weekday, month) = match primary(code).as_str() {
        "de" => (Locale::de_DE, "%-d. %B %Y", "%a., %-d. %B %Y", "%B %Y"),
        "fr" => (Locale::fr_FR, "%-d %B %Y", "%a %-d %B %Y", "%B %Y"),
        "es" => (Locale::es_ES, "%-d de %B de %Y", "%A, %-d de %B de %Y", "%B de %Y"),
        "ja" => (Locale::ja_JP, "%Y年%-m月%-d日", "%Y年%-m月%-d日（%a）", "%Y年%-m月"),
        "ar" => (Locale::ar_EG, "%-d %B %Y", "%A، %-d %B %Y", "%B %Y"),
        _ => return None,
    };
    Some(DateStyle { locale, date, weekday, month })
}

/// `format` of `style` for `d`; French writes the first of a month `1er`.
fn format(style: &DateStyle, format: &str, code: &str, d: &Date) -> String {
    let format = if primary(code) == "fr" && d.day() == 1 { format.replace("%-d", "1er") } else { format.to_string() };
    d.format_localized(&format, style.locale).to_string()
}

/// A day in the conventions of `code` (`dates::human` in English).
pub fn date(code: &str, d: &Date) -> String {
    match style(code) {
        Some(s) => format(&s, s.date, code, d),
        None => dates::human(d),
    }
}

/// A day with its weekday in the conventions of `code` (`dates::human_weekday` in English).
pub fn weekday(code: &str, d: &Date) -> String {
    match style(code) {
        Some(s) => format(&s, s.weekday, code, d),
        None => dates::human_weekday(d),
    }
}

/// A month and its year in the conventions of `code`, capitalised as a heading
/// (`November 2026` in English).
pub fn month(code: &str, d: &Date) -> String {
    let text = match style(code) {
        Some(s) => format(&s, s.month, code, d),
        None => d.format("%B %Y").to_string(),
    };
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Date {
        dates::parse(text, chrono::FixedOffset::east_opt(0).expect("UTC")).expect("a date")
    }

    /// A hub in a temporary folder with `files` (path, text).
    fn hub(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("the folder");
            std::fs::write(path, text).expect("the file");
        }
        dir
    }

    fn messages(diagnostics: &[Diagnostic]) -> Vec<String> {
        diagnostics.iter().map(|d| format!("{} {}:{}:{} {}", d.code, d.file, d.line, d.column, d.message)).collect()
    }

    #[test]
    fn every_shipped_language_has_exactly_the_english_keys_and_placeholders() {
        let english = builtin_layer(ENGLISH).expect("English");
        let keys: Vec<&str> = english.entries.iter().map(|e| e.key.as_str()).collect();
        assert!(keys.len() > 150, "{}", keys.len());
        for (code, _) in crate::theme::I18N {
            let layer = builtin_layer(code).expect("a shipped file");
            let theirs: Vec<&str> = layer.entries.iter().map(|e| e.key.as_str()).collect();
            assert_eq!(theirs, keys, "{code}: the keys (in en.yaml's order)");
            for (en, e) in english.entries.iter().zip(&layer.entries) {
                assert!(!e.text.trim().is_empty(), "{code}: `{}` is empty", e.key);
                let (want, got) = (placeholders(&en.text), placeholders(&e.text));
                // "1 result" may be written "one result": a `_one` text may leave out its count.
                let one = e.key.ends_with("_one") && want.iter().filter(|p| **p != "n").eq(got.iter());
                assert!(got == want || one, "{code}: `{}` has {got:?}, English {want:?}", e.key);
            }
        }
    }

    #[test]
    fn the_templates_use_only_texts_the_theme_has() {
        let english = Strings::english();
        for (name, text) in crate::theme::TEMPLATES {
            for (i, _) in text.match_indices("t.") {
                let before = text[..i].chars().last();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let key: String = text[i + 2..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                // `t` is also a loop variable over tags (`t.url`, `t.name`).
                if ["", "url", "name"].contains(&key.as_str()) {
                    continue;
                }
                assert!(english.map().contains_key(&key), "{name} uses `t.{key}`, which en.yaml does not have");
            }
        }
    }

    #[test]
    fn english_is_the_built_in_file_and_needs_no_hub() {
        let en = Strings::english();
        assert_eq!(en.code(), "en");
        assert_eq!(en.get("nav_posts"), "Posts");
        assert_eq!(en.fmt("tag_title", &[("tag", "rust")]), "Posts tagged “rust”");
        assert_eq!(en.dir(), "ltr");
        let (strings, diagnostics) = Strings::load(hub(&[]).path(), "default", "en", "en");
        assert_eq!(&strings, en);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn a_hub_overrides_its_theme_which_overrides_the_built_in_texts() {
        let dir = hub(&[
            ("i18n/de.yaml", "nav_posts: Geschichten\n"),
            ("themes/default/i18n/de.yaml", "nav_posts: Artikel\nnav_people: Leute\n"),
        ]);
        let (de, diagnostics) = Strings::load(dir.path(), "default", "de", "en");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(de.get("nav_posts"), "Geschichten", "the hub's own file first");
        assert_eq!(de.get("nav_people"), "Leute", "then the hub's copy of the theme");
        assert_eq!(de.get("nav_tags"), "Schlagwörter", "then the built-in German");
        assert_eq!(de.map().len(), Strings::english().map().len());
    }

    #[test]
    fn a_missing_text_falls_back_to_the_main_language_then_english_and_is_reported() {
        let dir = hub(&[("i18n/it.yaml", "nav_posts: Articoli\n"), ("i18n/de.yaml", "nav_people: Leute\n")]);
        let (it, diagnostics) = Strings::load(dir.path(), "default", "it", "de");
        assert_eq!(it.get("nav_posts"), "Articoli");
        assert_eq!(it.get("nav_people"), "Leute", "the hub's main language before English");
        assert_eq!(it.get("nav_tags"), "Schlagwörter");
        let missing: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code == Code::MissingTranslation).collect();
        assert_eq!(missing.len(), it.map().len() - 1, "one warning per text `it` lacks");
        let people = missing.iter().find(|d| d.message.contains("`nav_people`")).expect("nav_people is missing");
        assert_eq!(people.message, "the theme's text `nav_people` has no translation into `it`, so pages show “Leute”");
        assert_eq!(people.file, "i18n/it.yaml");
        assert_eq!(people.hint.as_deref(), Some("add the line `nav_people: \"…\"`, in that language, to i18n/it.yaml"));
        assert!(!people.is_error());
    }

    #[test]
    fn a_language_without_any_texts_is_one_warning() {
        let (sv, diagnostics) = Strings::load(hub(&[]).path(), "default", "sv", "en");
        assert_eq!(sv.get("nav_posts"), "Posts");
        assert_eq!(
            messages(&diagnostics),
            ["missing-translation i18n/sv.yaml:0:0 the theme has no texts in `sv`, so pages show them in another language"]
        );
        let (pt, diagnostics) =
            Strings::load(hub(&[("i18n/pt.yaml", "nav_posts: Publicações\n")]).path(), "default", "pt-BR", "en");
        assert_eq!(pt.get("nav_posts"), "Publicações", "`pt` is looked for after `pt-BR`");
        assert!(diagnostics.iter().all(|d| d.file == "i18n/pt-BR.yaml" || d.file == "i18n/pt.yaml"), "{diagnostics:?}");
    }

    #[test]
    fn an_unknown_key_is_a_warning_with_a_suggestion() {
        let dir = hub(&[("i18n/en.yaml", "# Our words\nnav_posts: Stories\nnav_post: Story\nzzz: nothing\n")]);
        let (en, diagnostics) = Strings::load(dir.path(), "default", "en", "en");
        assert_eq!(en.get("nav_posts"), "Stories");
        assert!(!en.map().contains_key("nav_post"));
        assert_eq!(
            messages(&diagnostics),
            [
                "unknown-string i18n/en.yaml:3:1 `nav_post` is not one of the theme's texts, so it changes nothing",
                "unknown-string i18n/en.yaml:4:1 `zzz` is not one of the theme's texts, so it changes nothing",
            ]
        );
        assert_eq!(diagnostics[0].hint.as_deref(), Some("did you mean `nav_posts`?"));
        assert!(diagnostics.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn a_theme_may_add_texts_of_its_own() {
        let dir = hub(&[("themes/ours/i18n/en.yaml", "banner: Hello\n"), ("i18n/en.yaml", "banner: Hi\n")]);
        let (en, diagnostics) = Strings::load(dir.path(), "ours", "en", "en");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(en.get("banner"), "Hi");
        assert_eq!(en.get("nav_posts"), "Posts", "the built-in texts under every theme");
    }

    #[test]
    fn a_broken_file_is_an_error_at_its_place() {
        let dir = hub(&[("i18n/en.yaml", "nav_posts: Stories\nnav_people: [unclosed\n")]);
        let (en, diagnostics) = Strings::load(dir.path(), "default", "en", "en");
        assert_eq!(en.get("nav_posts"), "Posts", "a broken file is left out whole");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let d = &diagnostics[0];
        assert!(d.is_error());
        assert_eq!((d.code, d.file.as_str()), (Code::YamlSyntax, "i18n/en.yaml"));
        assert!(d.line >= 2 && d.column >= 1, "{d:?}");
        assert!(d.message.starts_with("this file of texts is not valid YAML"), "{}", d.message);

        let dir = hub(&[("i18n/en.yaml", "nav_posts:\n  - a list\n")]);
        let (_, diagnostics) = Strings::load(dir.path(), "default", "en", "en");
        assert_eq!(messages(&diagnostics), ["wrong-type i18n/en.yaml:2:3 `nav_posts` must be a text, not a list"]);
    }

    #[test]
    fn a_file_linked_from_outside_the_hub_is_not_read() {
        let outside = hub(&[("en.yaml", "nav_posts: Leaked\n")]);
        let dir = hub(&[]);
        std::fs::create_dir_all(dir.path().join("i18n")).expect("i18n");
        std::os::unix::fs::symlink(outside.path().join("en.yaml"), dir.path().join("i18n/en.yaml")).expect("a link");
        let (en, diagnostics) = Strings::load(dir.path(), "default", "en", "en");
        assert_eq!(en.get("nav_posts"), "Posts");
        assert_eq!(diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::SymlinkOutside]);
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(fill("{a} and {b}", &[("a", "{b}"), ("b", "B")]), "{b} and B");
        assert_eq!(fill("{unknown} {", &[("a", "x")]), "{unknown} {");
        assert_eq!(placeholders("{n} results for “{q}”, {n}"), ["n", "q"]);
        assert_eq!(Strings::english().fmt("page_n", &[("title", "All posts"), ("n", "2")]), "All posts — page 2");
    }

    #[test]
    fn english_dates_are_exactly_what_pages_always_showed() {
        let en = Strings::english();
        for text in ["2026-11-03", "2027-01-16T19:30:00Z", "2026-12-06T10:00:00+01:00", "2026-02-01"] {
            let d = at(text);
            assert_eq!(en.date(&d), dates::human(&d));
            assert_eq!(en.weekday(&d), dates::human_weekday(&d));
            assert_eq!(en.date_time(&d), dates::human_time(&d));
        }
        assert_eq!(en.month(&at("2026-11-03")), "November 2026");
        assert_eq!(date("xx", &at("2026-11-03")), "3 November 2026", "a language without a style");
    }

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        let (d, s) = (at("2026-11-03"), at("2027-01-16T19:30:00Z"));
        let cases = [
            (
                "de",
                "3. November 2026",
                "Sa., 16. Januar 2027",
                "Sa., 16. Januar 2027, 19:30 Uhr (UTC)",
                "November 2026",
            ),
            ("fr", "3 novembre 2026", "sam. 16 janvier 2027", "sam. 16 janvier 2027 à 19:30 (UTC)", "Novembre 2026"),
            (
                "es",
                "3 de noviembre de 2026",
                "sábado, 16 de enero de 2027",
                "sábado, 16 de enero de 2027, 19:30 (UTC)",
                "Noviembre de 2026",
            ),
            ("ja", "2026年11月3日", "2027年1月16日（土）", "2027年1月16日（土） 19:30（UTC）", "2026年11月"),
            ("ar", "3 نوفمبر 2026", "السبت، 16 يناير 2027", "السبت، 16 يناير 2027، الساعة 19:30 (UTC)", "نوفمبر 2026"),
        ];
        for (code, day, weekday, time, month) in cases {
            let strings = Strings::builtin(code);
            assert_eq!(strings.date(&d), day, "{code}");
            assert_eq!(strings.weekday(&s), weekday, "{code}");
            assert_eq!(strings.date_time(&s), time, "{code}");
            assert_eq!(strings.month(&d), month, "{code}");
        }
        assert_eq!(date("fr", &at("2026-11-01")), "1er novembre 2026");
        assert_eq!(date("de-AT", &d), "3. November 2026", "a regional variant writes as its language");
    }

    #[test]
    fn right_to_left_languages() {
        assert!(is_rtl("ar") && is_rtl("he-IL") && is_rtl("fa") && is_rtl("ur"));
        assert!(!is_rtl("en") && !is_rtl("ja"));
        assert_eq!(Strings::builtin("ar").dir(), "rtl");
        assert_eq!(Strings::builtin("ar").get("nav_posts"), "المنشورات");
    }

    #[test]
    fn files_of_texts_are_recognised_by_their_place() {
        assert!(is_strings_file("i18n/de.yaml"));
        assert!(is_strings_file("themes/ours/i18n/de.yaml"));
        assert!(!is_strings_file("content/i18n/de.yaml"));
        assert!(!is_strings_file("chorus.yaml"));
    }
}

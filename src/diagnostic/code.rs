//! Every diagnostic code, as a type: a code is never a bare string, so it cannot be
//! misspelled, and `docs/diagnostics.md` lists them all (a test keeps the two in step).

use serde::Serialize;

/// What kind of problem a diagnostic is: a short stable identifier for tools, shown in
/// `--format json` and GitHub annotations, e.g. `unknown-key`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// An alias takes the address of a page, or of another alias.
    AliasCollision,
    /// `image_alt`/`avatar_alt` is set but there is no image.
    AltWithoutImage,
    /// A post has both `author` and `authors`.
    AuthorAndAuthors,
    /// A title, summary or share text uses a word listed in `check.avoid`.
    AvoidWord,
    /// An alias is not a path of this hub (a scheme, a query, `..`, …).
    BadAlias,
    /// `base_url` (or `--base-url`) is not the address of a site's root.
    BadBaseUrl,
    /// A date cannot be read.
    BadDate,
    /// `digest.from` or `digest.to` is not an email address.
    BadEmailAddress,
    /// A file or folder name contains control characters (a line break, a tab, …).
    BadFileName,
    /// A `share.hashtags` entry is not a hashtag.
    BadHashtag,
    /// `permalinks.posts` is not a pattern Chorus can use.
    BadPermalink,
    /// A profile's file name cannot be a person's id.
    BadPersonId,
    /// A file name or `slug:` gives no usable address.
    BadSlug,
    /// A tag has no letters or digits.
    BadTag,
    /// `theme` is not a folder name.
    BadTheme,
    /// `timezone` is not a time zone Chorus knows.
    BadTimezone,
    /// A link or image address is not safe or not complete.
    BadUrl,
    /// A setting is out of its range.
    BadValue,
    /// An in-page link `#x` names no heading, footnote, `id` or `<a name>` of the page.
    BrokenAnchor,
    /// A bundle folder holds a page or script.
    BundleFile,
    /// More posts are featured in a week than `cadence.max_featured_per_week`.
    Cadence,
    /// `chorus.yaml` is not a list of `key: value` settings.
    ConfigNotAMapping,
    /// A file contains invisible control characters, which are left out.
    ControlCharacters,
    /// A cause ends before it starts.
    DatesReversed,
    /// Two posts suggest the same share message.
    DuplicateCopy,
    /// Two files give the same post, page, cause or profile in one language.
    DuplicateTranslation,
    /// A network is listed twice.
    DuplicateNetwork,
    /// Two profiles have the same id.
    DuplicatePerson,
    /// Two posts, causes or pages have the same address.
    DuplicateSlug,
    /// A profile link is an email address, and those are never published.
    EmailLink,
    /// A share text is empty, or `author`/`authors` names nobody.
    EmptyValue,
    /// A suggested message in `share.variants` is empty.
    EmptyVariant,
    /// An image or embed would be loaded from another site.
    ExternalImage,
    /// A content file is larger than Chorus reads.
    FileTooLarge,
    /// The front matter is not a list of `key: value` lines.
    FrontMatterNotAMapping,
    /// Raw HTML is nested too deeply to publish safely.
    HtmlTooDeep,
    /// An image's format cannot be published (HEIC, AVIF, TIFF, camera RAW).
    ImageFormat,
    /// An image is over 25 MB or 40 megapixels.
    ImageTooLarge,
    /// An image (or SVG) is damaged, cut short or not what its name says.
    ImageUnreadable,
    /// An import left something of the source out (a key, a file, an old address).
    ImportLeftOut,
    /// An import kept a shortcode or tag it cannot convert as visible text.
    ImportShortcode,
    /// An import's source is not a blog of that kind, or one of its posts cannot be imported.
    ImportSource,
    /// A source file's TOML or YAML front matter cannot be read.
    ImportSyntax,
    /// A file or folder cannot be read or written.
    Io,
    /// The mail server's sign-in failed or could not be made.
    MailAuth,
    /// `chorus digest --send` cannot reach the mail server.
    MailConnection,
    /// The mail server refused the sender, a recipient or the message; nothing was sent.
    MailRejected,
    /// The encrypted connection to the mail server failed.
    MailTls,
    /// An image has no text alternative.
    MissingAlt,
    /// A content file does not start with `---` front matter.
    MissingFrontMatter,
    /// An image named in front matter does not exist.
    MissingImage,
    /// A required key is missing.
    MissingKey,
    /// The theme lacks a template.
    MissingTemplate,
    /// One of the theme's texts has no translation into the pages' language.
    MissingTranslation,
    /// Two posts suggest nearly the same share message.
    NearCopy,
    /// There is no `chorus.yaml` in the hub folder.
    NoConfig,
    /// A person has not given consent, so nothing of theirs is published.
    NoConsent,
    /// There is no `content/` folder.
    NoContent,
    /// An import's target folder is not a hub.
    NotAHub,
    /// A file names a language that is not one of the hub's `languages`.
    NotAHubLanguage,
    /// A `check.avoid` entry is not one word.
    NotAWord,
    /// A file is not UTF-8 text.
    NotUtf8,
    /// A page would be larger than Chorus writes.
    PageTooLarge,
    /// An image path uses `..` or `\`.
    PathEscape,
    /// A page's address is one the hub uses itself.
    ReservedSlug,
    /// A share message is longer than a network allows (an error in `check`).
    ShareTooLong,
    /// A file under `static/` replaces a page Chorus generates.
    StaticReplacesPage,
    /// An SVG held scripts, event handlers or outside references, which were removed.
    SvgUnsafe,
    /// A symbolic link leads back into its own folder.
    SymlinkLoop,
    /// A symbolic link points outside the hub and is not read.
    SymlinkOutside,
    /// A line of front matter is indented with a tab.
    TabIndent,
    /// A template cannot be read or failed for a page.
    Template,
    /// A title is longer than 300 characters.
    TitleTooLong,
    /// A post has more than 30 tags.
    TooManyTags,
    /// A translation changes the original's authors without saying so.
    TranslationAuthors,
    /// A translation sets a key that only the original may set (`consent`, `date` of a cause…).
    TranslationKey,
    /// A translation's original (the file without the language code) does not exist.
    TranslationWithoutOriginal,
    /// The front matter has no closing `---`.
    UnclosedFrontMatter,
    /// A key is not one Chorus knows (often a typo).
    UnknownKey,
    /// A cause's `kind` is not one Chorus knows.
    UnknownKind,
    /// A code block names a language that is not highlighted.
    UnknownLanguage,
    /// An `@/` link names no file of the hub.
    UnknownLink,
    /// A network name is not one Chorus knows.
    UnknownNetwork,
    /// An author or cause owner has no profile.
    UnknownPerson,
    /// A folder under `content/` is not part of the hub and is ignored.
    UnknownSection,
    /// A key in the hub's `i18n/` files is not one of the theme's texts.
    UnknownString,
    /// The theme named in `theme` does not exist.
    UnknownTheme,
    /// An `@/` link points to something not published, so it is shown as text.
    UnpublishedLink,
    /// The output folder could delete something that is not Chorus's.
    UnsafeOutput,
    /// One front-matter value is longer than Chorus reads.
    ValueTooLong,
    /// A value has the wrong type (text, list, date …).
    WrongType,
    /// An unquoted value contains ` #`, which YAML reads as a comment.
    YamlComment,
    /// A key is not plain text.
    YamlKey,
    /// The YAML cannot be read.
    YamlSyntax,
}

impl Code {
    /// Every code, in the order of the table in docs/diagnostics.md.
    pub const ALL: &[Code] = &[
        Code::AliasCollision,
        Code::AltWithoutImage,
        Code::AuthorAndAuthors,
        Code::AvoidWord,
        Code::BadAlias,
        Code::BadBaseUrl,
        Code::BadDate,
        Code::BadEmailAddress,
        Code::BadFileName,
        Code::BadHashtag,
        Code::BadPermalink,
        Code::BadPersonId,
        Code::BadSlug,
        Code::BadTag,
        Code::BadTheme,
        Code::BadTimezone,
        Code::BadUrl,
        Code::BadValue,
        Code::BrokenAnchor,
        Code::BundleFile,
        Code::Cadence,
        Code::ConfigNotAMapping,
        Code::ControlCharacters,
        Code::DatesReversed,
        Code::DuplicateCopy,
        Code::DuplicateNetwork,
        Code::DuplicateTranslation,
        Code::DuplicatePerson,
        Code::DuplicateSlug,
        Code::EmailLink,
        Code::EmptyValue,
        Code::EmptyVariant,
        Code::ExternalImage,
        Code::FileTooLarge,
        Code::FrontMatterNotAMapping,
        Code::HtmlTooDeep,
        Code::ImageFormat,
        Code::ImageTooLarge,
        Code::ImageUnreadable,
        Code::ImportLeftOut,
        Code::ImportShortcode,
        Code::ImportSource,
        Code::ImportSyntax,
        Code::Io,
        Code::MailAuth,
        Code::MailConnection,
        Code::MailRejected,
        Code::MailTls,
        Code::MissingAlt,
        Code::MissingFrontMatter,
        Code::MissingImage,
        Code::MissingKey,
        Code::MissingTemplate,
        Code::MissingTranslation,
        Code::NearCopy,
        Code::NoConfig,
        Code::NoConsent,
        Code::NoContent,
        Code::NotAHub,
        Code::NotAHubLanguage,
        Code::NotAWord,
        Code::NotUtf8,
        Code::PageTooLarge,
        Code::PathEscape,
        Code::ReservedSlug,
        Code::ShareTooLong,
        Code::StaticReplacesPage,
        Code::SvgUnsafe,
        Code::SymlinkLoop,
        Code::SymlinkOutside,
        Code::TabIndent,
        Code::Template,
        Code::TitleTooLong,
        Code::TooManyTags,
        Code::TranslationAuthors,
        Code::TranslationKey,
        Code::TranslationWithoutOriginal,
        Code::UnclosedFrontMatter,
        Code::UnknownKey,
        Code::UnknownKind,
        Code::UnknownLanguage,
        Code::UnknownLink,
        Code::UnknownNetwork,
        Code::UnknownPerson,
        Code::UnknownSection,
        Code::UnknownString,
        Code::UnknownTheme,
        Code::UnpublishedLink,
        Code::UnsafeOutput,
        Code::ValueTooLong,
        Code::WrongType,
        Code::YamlComment,
        Code::YamlKey,
        Code::YamlSyntax,
    ];

    /// The identifier as written in output: `unknown-key`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::AliasCollision => "alias-collision",
            Code::AltWithoutImage => "alt-without-image",
            Code::AuthorAndAuthors => "author-and-authors",
            Code::AvoidWord => "avoid-word",
            Code::BadAlias => "bad-alias",
            Code::BadBaseUrl => "bad-base-url",
            Code::BadDate => "bad-date",
            Code::BadEmailAddress => "bad-email-address",
            Code::BadFileName => "bad-file-name",
            Code::BadHashtag => "bad-hashtag",
            Code::BadPermalink => "bad-permalink",
            Code::BadPersonId => "bad-person-id",
            Code::BadSlug => "bad-slug",
            Code::BadTag => "bad-tag",
            Code::BadTheme => "bad-theme",
            Code::BadTimezone => "bad-timezone",
            Code::BadUrl => "bad-url",
            Code::BadValue => "bad-value",
            Code::BrokenAnchor => "broken-anchor",
            Code::BundleFile => "bundle-file",
            Code::Cadence => "cadence",
            Code::ConfigNotAMapping => "config-not-a-mapping",
            Code::ControlCharacters => "control-characters",
            Code::DatesReversed => "dates-reversed",
            Code::DuplicateCopy => "duplicate-copy",
            Code::DuplicateNetwork => "duplicate-network",
            Code::DuplicateTranslation => "duplicate-translation",
            Code::DuplicatePerson => "duplicate-person",
            Code::DuplicateSlug => "duplicate-slug",
            Code::EmailLink => "email-link",
            Code::EmptyValue => "empty-value",
            Code::EmptyVariant => "empty-variant",
            Code::ExternalImage => "external-image",
            Code::FileTooLarge => "file-too-large",
            Code::FrontMatterNotAMapping => "front-matter-not-a-mapping",
            Code::HtmlTooDeep => "html-too-deep",
            Code::ImageFormat => "image-format",
            Code::ImageTooLarge => "image-too-large",
            Code::ImageUnreadable => "image-unreadable",
            Code::ImportLeftOut => "import-left-out",
            Code::ImportShortcode => "import-shortcode",
            Code::ImportSource => "import-source",
            Code::ImportSyntax => "import-syntax",
            Code::Io => "io",
            Code::MailAuth => "mail-auth",
            Code::MailConnection => "mail-connection",
            Code::MailRejected => "mail-rejected",
            Code::MailTls => "mail-tls",
            Code::MissingAlt => "missing-alt",
            Code::MissingFrontMatter => "missing-front-matter",
            Code::MissingImage => "missing-image",
            Code::MissingKey => "missing-key",
            Code::MissingTemplate => "missing-template",
            Code::MissingTranslation => "missing-translation",
            Code::NearCopy => "near-copy",
            Code::NoConfig => "no-config",
            Code::NoConsent => "no-consent",
            Code::NoContent => "no-content",
            Code::NotAHub => "not-a-hub",
            Code::NotAHubLanguage => "not-a-hub-language",
            Code::NotAWord => "not-a-word",
            Code::NotUtf8 => "not-utf8",
            Code::PageTooLarge => "page-too-large",
            Code::PathEscape => "path-escape",
            Code::ReservedSlug => "reserved-slug",
            Code::ShareTooLong => "share-too-long",
            Code::StaticReplacesPage => "static-replaces-page",
            Code::SvgUnsafe => "svg-unsafe",
            Code::SymlinkLoop => "symlink-loop",
            Code::SymlinkOutside => "symlink-outside",
            Code::TabIndent => "tab-indent",
            Code::Template => "template",
            Code::TitleTooLong => "title-too-long",
            Code::TooManyTags => "too-many-tags",
            Code::TranslationAuthors => "translation-authors",
            Code::TranslationKey => "translation-key",
            Code::TranslationWithoutOriginal => "translation-without-original",
            Code::UnclosedFrontMatter => "unclosed-front-matter",
            Code::UnknownKey => "unknown-key",
            Code::UnknownKind => "unknown-kind",
            Code::UnknownLanguage => "unknown-language",
            Code::UnknownLink => "unknown-link",
            Code::UnknownNetwork => "unknown-network",
            Code::UnknownPerson => "unknown-person",
            Code::UnknownSection => "unknown-section",
            Code::UnknownString => "unknown-string",
            Code::UnknownTheme => "unknown-theme",
            Code::UnpublishedLink => "unpublished-link",
            Code::UnsafeOutput => "unsafe-output",
            Code::ValueTooLong => "value-too-long",
            Code::WrongType => "wrong-type",
            Code::YamlComment => "yaml-comment",
            Code::YamlKey => "yaml-key",
            Code::YamlSyntax => "yaml-syntax",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table in docs/diagnostics.md has exactly one row per code, in this order.
    #[test]
    fn every_code_is_in_the_table() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md")).unwrap();
        let rows: Vec<&str> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split_once('`').map(|(code, _)| code))
            .collect();
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(rows, codes);
    }

    #[test]
    fn codes_are_kebab_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{s}");
            assert!(seen.insert(s), "{s} twice");
        }
    }
}

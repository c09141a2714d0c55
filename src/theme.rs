//! The default theme, built into the binary, so a hub made with `chorus init` builds without
//! copying it. A hub's own `themes/default/` (like the demo's) takes precedence, file by file:
//! its templates and static files replace the built-in ones of the same name, and its
//! `i18n/` files the built-in texts key by key.

/// Templates of the built-in theme, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../themes/default/templates/base.html")),
    ("macros.html", include_str!("../themes/default/templates/macros.html")),
    ("index.html", include_str!("../themes/default/templates/index.html")),
    ("post.html", include_str!("../themes/default/templates/post.html")),
    ("posts.html", include_str!("../themes/default/templates/posts.html")),
    ("person.html", include_str!("../themes/default/templates/person.html")),
    ("people.html", include_str!("../themes/default/templates/people.html")),
    ("cause.html", include_str!("../themes/default/templates/cause.html")),
    ("causes.html", include_str!("../themes/default/templates/causes.html")),
    ("tag.html", include_str!("../themes/default/templates/tag.html")),
    ("tags.html", include_str!("../themes/default/templates/tags.html")),
    ("page.html", include_str!("../themes/default/templates/page.html")),
    ("digest.html", include_str!("../themes/default/templates/digest.html")),
    ("digests.html", include_str!("../themes/default/templates/digests.html")),
    ("digest_email.html", include_str!("../themes/default/templates/digest_email.html")),
    ("404.html", include_str!("../themes/default/templates/404.html")),
    ("search.html", include_str!("../themes/default/templates/search.html")),
];

/// Static files of the built-in theme, by path under `static/`.
pub const STATIC: &[(&str, &str)] = &[
    ("style.css", include_str!("../themes/default/static/style.css")),
    ("chorus.js", include_str!("../themes/default/static/chorus.js")),
    ("favicon.svg", include_str!("../themes/default/static/favicon.svg")),
    ("search.js", include_str!("../themes/default/static/search.js")),
    ("print.css", include_str!("../themes/default/static/print.css")),
];

/// The built-in theme's texts, by language (`i18n/<code>.yaml`; see `i18n`).
pub const I18N: &[(&str, &str)] = &[
    ("en", include_str!("../themes/default/i18n/en.yaml")),
    ("de", include_str!("../themes/default/i18n/de.yaml")),
    ("fr", include_str!("../themes/default/i18n/fr.yaml")),
    ("es", include_str!("../themes/default/i18n/es.yaml")),
    ("ja", include_str!("../themes/default/i18n/ja.yaml")),
    ("ar", include_str!("../themes/default/i18n/ar.yaml")),
];

pub fn template(name: &str) -> Option<&'static str> {
    TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

//! What every template receives besides its page's own view (`PageView`), the page's
//! `meta` (title, description, canonical URL, preview image), and the schema.org JSON-LD
//! documents. docs/templates.md documents each field; a test keeps the two in step.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cards::{ImageInfo, MenuItem};
use crate::config::SiteInfo;

/// The view of every page: what the base template needs, then the page's own fields.
#[derive(Serialize)]
pub(super) struct PageView<'a, T: Serialize> {
    pub site: SiteInfo<'a>,
    pub menu: &'a [MenuItem],
    pub guidelines_url: Option<&'a str>,
    /// The theme's texts in the page's language, by key (`{{ t.nav_posts }}`; see `i18n`).
    pub t: &'a BTreeMap<String, String>,
    /// Only in `serve`'s preview: the page loads the live-reload client.
    pub live_reload: bool,
    /// The page's site path, such as `/posts/x/`.
    pub current_path: &'a str,
    /// The part of the site the page belongs to, for the menu: `posts`, `people`, `causes`,
    /// `tags`, or empty. A post is in `posts` wherever its permalink puts it.
    pub section: &'static str,
    pub meta: &'a Meta<'a>,
    /// Where the page's language lives: empty for the default language, `/de` for German.
    /// Links to the site's sections are written `{{ root }}/posts/`.
    pub root: &'a str,
    /// `rtl` or `ltr` in a hub with languages (or in a right-to-left language); else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<&'static str>,
    /// The language switcher: every language of the hub, this page's first among equals
    /// (empty in a hub with one language).
    pub languages: Vec<crate::translations::LanguageLink>,
    /// `hreflang` alternates, absolute, with `x-default` (empty when the page exists in one
    /// language only).
    pub alternates: Vec<crate::translations::Alternate>,
    #[serde(flatten)]
    pub page: T,
}

/// What a page says about itself to browsers, search engines and link previews. Built
/// before rendering; fields a page kind does not have are left out.
#[derive(Serialize)]
pub struct Meta<'a> {
    pub title: String,
    /// At most 300 characters.
    pub description: String,
    /// The canonical, absolute URL.
    pub url: String,
    /// Open Graph type: `website`, `article` or `profile`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<&'a ImageInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_time: Option<&'a str>,
    /// Absolute URLs of the authors' pages (posts only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authors: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<&'a str>>,
    /// The JSON-LD document, escaped for a `<script>` element (see `ld::to_script`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_ld: Option<String>,
}

/// schema.org documents for `<script type="application/ld+json">`. Fields are declared in
/// the order of their JSON names, so the output is sorted as it always was.
pub mod ld {
    use serde::Serialize;

    const CONTEXT: &str = "https://schema.org";

    /// JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` escaped so
    /// no content can close the script element.
    pub fn to_script<T: Serialize>(v: &T) -> String {
        let s = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
        s.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
    }

    #[derive(Serialize)]
    pub struct Article<'a> {
        #[serde(rename = "@context")]
        pub context: &'static str,
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub author: Vec<Person<'a>>,
        #[serde(rename = "datePublished")]
        pub date_published: &'a str,
        pub description: &'a str,
        pub headline: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub image: Option<&'a str>,
        #[serde(rename = "inLanguage")]
        pub in_language: &'a str,
        #[serde(rename = "isBasedOn", skip_serializing_if = "Option::is_none")]
        pub is_based_on: Option<&'a str>,
        pub keywords: Vec<&'a str>,
        #[serde(rename = "mainEntityOfPage")]
        pub main_entity_of_page: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub publisher: Option<Organization<'a>>,
        pub url: &'a str,
    }

    #[derive(Serialize)]
    pub struct Person<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        /// `null` when the person gave no role.
        #[serde(rename = "jobTitle")]
        pub job_title: Option<&'a str>,
        pub name: &'a str,
        pub url: String,
    }

    /// A person's page: the person, with their role and links elsewhere.
    #[derive(Serialize)]
    pub struct ProfilePage<'a> {
        #[serde(rename = "@context")]
        pub context: &'static str,
        #[serde(rename = "@type")]
        pub kind: &'static str,
        #[serde(rename = "mainEntity")]
        pub main_entity: ProfilePerson<'a>,
    }

    #[derive(Serialize)]
    pub struct ProfilePerson<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        /// `null` when the person gave no role, as schema.org readers expect the key.
        #[serde(rename = "jobTitle")]
        pub job_title: Option<&'a str>,
        pub name: &'a str,
        #[serde(rename = "sameAs")]
        pub same_as: Vec<&'a str>,
        pub url: String,
    }

    #[derive(Serialize)]
    pub struct Organization<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub name: &'a str,
        pub url: &'a str,
    }

    #[derive(Serialize)]
    pub struct Event<'a> {
        #[serde(rename = "@context")]
        pub context: &'static str,
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub description: &'a str,
        #[serde(rename = "endDate", skip_serializing_if = "Option::is_none")]
        pub end_date: Option<&'a str>,
        #[serde(rename = "eventAttendanceMode")]
        pub event_attendance_mode: &'static str,
        #[serde(rename = "eventStatus")]
        pub event_status: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub image: Option<&'a str>,
        pub location: Location<'a>,
        pub name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub offers: Option<Offer<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub organizer: Option<Organizer<'a>>,
        #[serde(rename = "startDate")]
        pub start_date: &'a str,
        pub url: String,
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    pub enum Location<'a> {
        Place {
            #[serde(rename = "@type")]
            kind: &'static str,
            address: &'a str,
            name: &'a str,
        },
        Virtual {
            #[serde(rename = "@type")]
            kind: &'static str,
            url: &'a str,
        },
    }

    #[derive(Serialize)]
    pub struct Offer<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub url: &'a str,
    }

    #[derive(Serialize)]
    pub struct Organizer<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub name: &'a str,
        pub url: String,
    }

    #[derive(Serialize)]
    pub struct WebSite<'a> {
        #[serde(rename = "@context")]
        pub context: &'static str,
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub description: &'a str,
        pub name: &'a str,
        pub url: &'a str,
    }

    /// The `@context` of every document.
    pub const SCHEMA_ORG: &str = CONTEXT;

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn json_ld_cannot_close_its_script() {
            let site = WebSite {
                context: CONTEXT,
                kind: "WebSite",
                description: "",
                name: "</script><script>alert(1)</script>",
                url: "",
            };
            let s = to_script(&site);
            assert!(!s.contains("</script>"));
            let back: serde_json::Value = serde_json::from_str(&s).unwrap();
            assert_eq!(back["name"], "</script><script>alert(1)</script>");
        }
    }
}

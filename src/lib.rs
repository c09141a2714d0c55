//! Chorus: a static-site generator for employee advocacy hubs.
//!
//! The pipeline runs one way: `site` loads the content (via `content`, `frontmatter`,
//! `fields`) into a checked `Site`; `render` turns it into pages (via `markdown`,
//! `highlight`, `share`); `build` writes them through `output`. See ARCHITECTURE.md.

pub mod alias;
pub mod avoid;
pub mod body;
pub mod build;
pub mod calendar;
pub mod cards;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod dates;
pub mod diagnostic;
pub mod digest;
pub mod feed;
pub mod fields;
pub mod frontmatter;
pub mod highlight;
pub mod hub;
pub mod i18n;
pub mod images;
pub mod import;
pub mod jsonfeed;
pub mod lint;
pub mod mail;
pub mod markdown;
pub mod output;
pub mod packed;
pub mod permalink;
pub mod poster;
pub mod preview;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod share;
pub mod site;
pub mod slug;
pub mod social;
pub mod theme;
pub mod timings;
pub mod translations;
pub mod weekly;

//! Reading a cause (`content/causes/`) into a `Cause`: a fundraiser, event, exhibition, gig
//! or volunteering that one person asks colleagues to share.
//!
//! Owns the keys a cause may have, its kind, its dates (and when it is over) and its place.
//! Must not check that its person exists or has consented: that is `site`'s work.

use chrono::FixedOffset;

use super::{read, Cause, CauseKind, Found, Location, Rejected, SourceFile};
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::fields::Fields;
use crate::frontmatter::{Entry, Yaml};

const KEYS: &[&str] = &[
    "title",
    "person",
    "kind",
    "starts",
    "ends",
    "location",
    "link",
    "goal",
    "image",
    "image_alt",
    "share",
    "summary",
    "slug",
    "timezone",
    "extra",
    "aliases",
];

pub(super) fn read(
    file: SourceFile,
    text: &str,
    fields: &[Entry],
    found: &Found,
    zone: FixedOffset,
    diags: &mut Vec<Diagnostic>,
) -> Result<Cause, Rejected> {
    let src = file.src(text);
    let f = Fields::new(src, fields, KEYS, diags);
    let title = f.required_text("title", "add `title: …` with the cause's name", diags);
    let person = f.required_text(
        "person",
        "add `person: your-id` (your file name in `content/people/`), so the cause is credited to you",
        diags,
    );
    let kind = match f.text("kind", diags) {
        Some(k) => match CauseKind::ALL.iter().find(|(id, _)| *id == k.value.trim().to_lowercase()) {
            Some((_, kind)) => Some(*kind),
            None => {
                let ids = CauseKind::ALL.map(|(id, _)| id);
                let mut d = src.error(
                    Code::UnknownKind,
                    format!("unknown kind of cause `{}`", k.value),
                    k.line,
                    k.column,
                    k.len,
                );
                d = match crate::diagnostic::suggest(&k.value, ids) {
                    Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                    None => d.with_hint(format!("the kinds are {}", ids.join(", "))),
                };
                diags.push(d);
                None
            }
        },
        None => Some(CauseKind::Other),
    };
    // A cause elsewhere can give its own zone for the times written without an offset.
    let zone = f
        .zone(
            "timezone",
            "write `UTC` or an offset such as `+01:00` (the zone of the times in `starts` and `ends`)",
            diags,
        )
        .unwrap_or(zone);
    let starts = f.date("starts", zone, diags);
    if !f.has("starts") {
        f.missing("starts", "add `starts: 2026-12-06` (the day it begins)", diags);
    }
    let ends = f.date("ends", zone, diags);
    // `ends: 2026-12-06` (or only `starts:`) means the cause lasts until that day is over.
    let last_text =
        f.text(if f.has("ends") { "ends" } else { "starts" }, &mut Vec::new()).map(|t| t.value).unwrap_or_default();
    let whole_day = !last_text.contains(['T', ':']);
    let timed = |key: &str| f.has(key) && f.text(key, &mut Vec::new()).is_some_and(|t| t.value.contains(['T', ':']));
    let (starts_timed, ends_timed) = (timed("starts"), timed("ends"));
    if let (Some(s), Some(e)) = (&starts, &ends) {
        if e.value < s.value {
            diags.push(
                src.error(Code::DatesReversed, "the cause ends before it starts", e.line, e.column, e.len)
                    .with_hint("check `starts` and `ends`: `ends` must be the same as or later than `starts`"),
            );
        }
    }
    let location = match f.entry("location").map(|e| &e.value.value) {
        Some(Yaml::Map(_)) => f.map("location", &["name", "address", "online"], diags).and_then(|l| {
            if l.has("online") {
                l.url("online", crate::fields::Relative::Refused, diags).map(|u| Location::Online { online: u.value })
            } else {
                match l.text("name", diags) {
                    Some(n) => {
                        Some(Location::Place { name: n.value, address: l.text("address", diags).map(|a| a.value) })
                    }
                    None => {
                        l.missing("name", "add `name: …` (where it takes place) or `online: https://…`", diags);
                        None
                    }
                }
            }
        }),
        Some(Yaml::Null) | None => None,
        Some(_) => f.text("location", diags).map(|t| Location::Place { name: t.value, address: None }),
    };
    let slug = read::slug(&f, found, read::DatePrefix::Strip, diags);
    let link = f.url("link", crate::fields::Relative::Refused, diags).map(|u| u.value);
    let goal = f.text("goal", diags).map(|t| t.value);
    let image = read::image(&f, "image", "image_alt", diags);
    let share = read::share(&f, diags);
    let summary = f.text("summary", diags);
    let extra = f.extra();
    let aliases = read::aliases(&f, diags);
    let (Some(slug), Some(title), Some(person), Some(kind), Some(starts)) = (slug, title, person.clone(), kind, starts)
    else {
        return Err(Rejected::new(file, found, person.into_iter().collect(), image));
    };
    let title = title.value;
    // The moment after which the cause is past: the end of its last day when no time is given.
    let last = match ends.as_ref().map_or(starts.value, |d| d.value) {
        d if whole_day => d.checked_add_signed(chrono::Duration::seconds(86_399)).unwrap_or(d),
        d => d,
    };
    Ok(Cause {
        file,
        slug,
        title,
        person,
        kind,
        starts,
        ends,
        starts_timed,
        ends_timed,
        location,
        link,
        goal,
        image,
        share,
        summary,
        extra,
        last,
        assets: found.assets.clone(),
        bundle_dir: found.bundle_dir.clone(),
        aliases,
    })
}

//! Calendars for causes (RFC 5545): one `event.ics` per published cause and
//! `/causes/calendar.ics` with every upcoming one, which calendar apps can subscribe to.
//!
//! Owns the iCalendar text: CRLF line endings, lines folded at 75 octets (never inside a
//! character), escaped text, a `UID` that stays the same from build to build and a `DTSTAMP`
//! taken from the cause, never from the clock. Timed events are written in UTC; all-day ones
//! with `VALUE=DATE`. Must not render pages or decide which causes are published (`site`'s).

use chrono::{Duration, Utc};

use crate::cards::{Cards, CauseCard};
use crate::content::{Cause, Location};
use crate::dates::Date;
use crate::i18n::Strings;
use crate::output::Output;
use crate::site::{CauseId, Site};

/// The site path of a cause's calendar file.
pub fn event_path(site: &Site, slug: &str) -> String {
    format!("{}event.ics", site.cause_path(slug))
}

/// The site path of the calendar of upcoming causes.
pub fn calendar_path(site: &Site) -> String {
    site.path("/causes/calendar.ics")
}

/// `event.ics` of cause `id`.
/// Its texts (the description's sentences, the calendar's name) come from the theme's
/// `strings` in the site's language.
pub fn event_file(site: &Site, cards: &Cards, strings: &Strings, id: CauseId) -> Output {
    let c = site.cause(id);
    let mut ics = Writer::calendar(site, None);
    ics.event(site, c, cards.cause(id), strings);
    Output { path: event_path(site, &c.slug.value).trim_start_matches('/').to_string(), html: ics.finish() }
}

/// `/causes/calendar.ics`: every upcoming cause, soonest first.
pub fn calendar_file(site: &Site, cards: &Cards, strings: &Strings) -> Output {
    let mut ics = Writer::calendar(site, Some(&strings.fmt("calendar_name", &[("title", &site.config().title)])));
    let mut upcoming = site.upcoming_causes();
    upcoming.sort_by_key(|&id| (site.cause(id).starts.value, site.cause(id).slug.value.clone()));
    for id in upcoming {
        ics.event(site, site.cause(id), cards.cause(id), strings);
    }
    Output { path: calendar_path(site).trim_start_matches('/').to_string(), html: ics.finish() }
}

/// Whether a cause is written as whole days: its last date was given without a time (the
/// reader then moves `last` to the end of that day).
fn whole_days(c: &Cause) -> bool {
    let last_given = c.ends.as_ref().unwrap_or(&c.starts).value;
    c.last > last_given
}

struct Writer {
    text: String,
}

impl Writer {
    fn calendar(site: &Site, name: Option<&str>) -> Writer {
        let mut w = Writer { text: String::new() };
        w.line("BEGIN", "VCALENDAR");
        w.line("VERSION", "2.0");
        w.line("PRODID", "-//Chorus//Chorus hub//EN");
        w.line("CALSCALE", "GREGORIAN");
        w.line("METHOD", "PUBLISH");
        if let Some(name) = name {
            w.line("NAME", &escape(name));
            w.line("X-WR-CALNAME", &escape(name));
            w.line("SOURCE;VALUE=URI", &site.config().absolute(&calendar_path(site)));
            // Causes change rarely; subscribed calendars need not poll more than twice a day.
            w.line("REFRESH-INTERVAL;VALUE=DURATION", "PT12H");
            w.line("X-PUBLISHED-TTL", "PT12H");
        }
        w
    }

    fn event(&mut self, site: &Site, c: &Cause, card: &CauseCard, strings: &Strings) {
        let config = site.config();
        let url = config.absolute(&card.url);
        self.line("BEGIN", "VEVENT");
        // The page's address: unique and stable, and unlike `name@host` never mistaken for
        // an email address (none is ever published).
        self.line("UID", &escape(&url));
        // When the event was described: taken from the cause so the bytes never change.
        self.line("DTSTAMP", &utc(&c.starts.value));
        if whole_days(c) {
            let first = c.starts.value.date_naive();
            let last = c.ends.as_ref().map_or(first, |e| e.value.date_naive()).max(first);
            self.line("DTSTART;VALUE=DATE", &first.format("%Y%m%d").to_string());
            // DTEND of an all-day event is the day after the last one (RFC 5545 §3.6.1).
            let after = last.checked_add_signed(Duration::days(1)).unwrap_or(last);
            self.line("DTEND;VALUE=DATE", &after.format("%Y%m%d").to_string());
        } else {
            self.line("DTSTART", &utc(&c.starts.value));
            if let Some(e) = c.ends.as_ref().filter(|e| e.value > c.starts.value) {
                self.line("DTEND", &utc(&e.value));
            }
        }
        self.line("SUMMARY", &escape(&c.title));
        let mut description = match &card.owner {
            Some(o) => {
                // Inside a sentence a kind is written in lower case, except in German, whose
                // nouns keep their capital.
                let kind =
                    if strings.code() == "de" { card.kind_label.clone() } else { card.kind_label.to_lowercase() };
                strings.fmt("calendar_cause_of", &[("name", &o.name), ("kind", &kind)])
            }
            None => format!("{}.", card.kind_label),
        };
        if !card.summary_text.is_empty() {
            description.push_str(&format!("\n\n{}", card.summary_text));
        }
        if let Some(goal) = &card.goal {
            description.push_str(&format!("\n\n{}", strings.fmt("calendar_goal", &[("goal", goal)])));
        }
        if let Some(link) = &card.link {
            description.push_str(&format!("\n\n{}", strings.fmt("calendar_details", &[("url", link)])));
        }
        description.push_str(&format!("\n\n{url}"));
        self.line("DESCRIPTION", &escape(&description));
        match &c.location {
            Some(Location::Place { name, address }) => {
                let place = match address {
                    Some(a) => format!("{name}, {a}"),
                    None => name.clone(),
                };
                self.line("LOCATION", &escape(&place));
            }
            Some(Location::Online { online }) => {
                self.line("LOCATION", &escape(online));
                self.line("CONFERENCE;VALUE=URI", &uri(online));
            }
            None => {}
        }
        if let Some(o) = &card.owner {
            self.line("CONTACT", &escape(&format!("{}, {}", o.name, config.absolute(&o.url))));
        }
        self.line("CATEGORIES", &escape(&card.kind_label));
        self.line("URL;VALUE=URI", &uri(&url));
        self.line("STATUS", "CONFIRMED");
        self.line("TRANSP", "TRANSPARENT");
        self.line("END", "VEVENT");
    }

    /// One content line, folded: no line is longer than 75 octets, and a fold never splits
    /// a character.
    fn line(&mut self, name: &str, value: &str) {
        let full = format!("{name}:{value}");
        let mut rest = full.as_str();
        let mut limit = 75;
        loop {
            if rest.len() <= limit {
                self.text.push_str(rest);
                self.text.push_str("\r\n");
                break;
            }
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.text.push_str(&rest[..cut]);
            self.text.push_str("\r\n ");
            rest = &rest[cut..];
            // The space that starts a continuation line counts towards its 75 octets.
            limit = 74;
        }
    }

    fn finish(mut self) -> String {
        self.line("END", "VCALENDAR");
        self.text
    }
}

fn utc(d: &Date) -> String {
    d.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value (RFC 5545 §3.3.11): backslashes, semicolons and commas escaped, line breaks
/// as `\n`, other control characters dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let text = text.replace("\r\n", "\n");
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URI value: content URLs are already checked; control characters can never reach a line.
fn uri(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(name: &str, value: &str) -> String {
        let mut w = Writer { text: String::new() };
        w.line(name, value);
        w.text
    }

    #[test]
    fn long_lines_fold_at_75_octets_and_never_inside_a_character() {
        let value = "é".repeat(100);
        let text = folded("SUMMARY", &value);
        for line in text.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = text.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{value}"));
        assert!(text.split("\r\n").skip(1).filter(|l| !l.is_empty()).all(|l| l.starts_with(' ')));
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("VERSION", "2.0"), "VERSION:2.0\r\n");
        let exactly = "x".repeat(75 - "SUMMARY:".len());
        assert_eq!(folded("SUMMARY", &exactly), format!("SUMMARY:{exactly}\r\n"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne\r\nf\u{7}"), "a\\,b\\;c\\\\d\\ne\\nf");
    }
}

//! Calendars for causes (DESIGN §14): `event.ics` per cause and `/causes/calendar.ics`, read
//! back with an independent parser (Python's `icalendar`, installed by `.ci/run`) and compared
//! with what the cause pages say.

use std::process::Command;

use crate::common::{unescape, Run, TestSite};

const BASE: &str = "https://voices.harbour.example";

/// The `basic` hub plus causes of every shape: all day over several days with an address,
/// online, a long title with letters outside ASCII (folded lines), text to escape.
fn hub() -> TestSite {
    TestSite::fixture("basic")
        .file(
            "content/causes/repair-cafe.md",
            "---\ntitle: Repair café; bring things, fix them, take them home\nperson: ana\nkind: volunteer\n\
             starts: 2026-12-19\nends: 2026-12-20\nlocation:\n  name: Harbour Hall\n  address: 1 Quay St, Porto\n\
             summary: \"Tools, tea and patience: all welcome\"\n---\nWe fix things.\n",
        )
        .file(
            "content/causes/online-talk.md",
            "---\ntitle: Ünïcödé Ωmega talk — a very long title that certainly needs folding in a calendar file, twice over\n\
             person: ben\nkind: event\nstarts: 2026-12-02T18:30:00+01:00\nends: 2026-12-02T20:00:00+01:00\n\
             location:\n  online: https://meet.example.org/talk\n---\nA talk.\n",
        )
}

/// The events of an iCalendar file as the Python `icalendar` package reads them.
#[derive(Debug, serde::Deserialize)]
struct Event {
    uid: String,
    summary: String,
    start: String,
    /// "date" for all-day events, "date-time" otherwise.
    start_kind: String,
    end: Option<String>,
    location: Option<String>,
    url: Option<String>,
    description: String,
    dtstamp: String,
}

const READER: &str = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
assert cal.get("VERSION") == "2.0", "VERSION"
assert cal.get("PRODID"), "PRODID"
out = []
for e in cal.walk("VEVENT"):
    s = e.decoded("DTSTART")
    end = e.get("DTEND")
    out.append({
        "uid": str(e["UID"]),
        "summary": str(e["SUMMARY"]),
        "start": s.isoformat(),
        "start_kind": "date-time" if hasattr(s, "hour") else "date",
        "end": e.decoded("DTEND").isoformat() if end is not None else None,
        "location": str(e["LOCATION"]) if "LOCATION" in e else None,
        "url": str(e["URL"]) if "URL" in e else None,
        "description": str(e["DESCRIPTION"]),
        "dtstamp": e.decoded("DTSTAMP").isoformat(),
    })
print(json.dumps(out))
"#;

fn events(run: &Run, rel: &str) -> Vec<Event> {
    let path = run.out.join(rel);
    let out = Command::new("python3")
        .args(["-c", READER])
        .arg(&path)
        .output()
        .expect("python3 runs (install it and `pip install icalendar`, see .ci/run)");
    assert!(
        out.status.success(),
        "Python's icalendar cannot read {rel}:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&run.bytes(rel))
    );
    serde_json::from_slice(&out.stdout).expect("the reader's JSON")
}

/// RFC 5545's shape: CRLF only, lines of at most 75 octets, continuation lines start with a
/// space, and unfolding never splits a character.
fn assert_well_formed(run: &Run, rel: &str) {
    let bytes = run.bytes(rel);
    let text = String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{rel} is not UTF-8"));
    assert!(text.ends_with("\r\n"), "{rel} does not end with CRLF");
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            assert!(i > 0 && bytes[i - 1] == b'\r', "{rel}: a line ends with LF alone at byte {i}");
        }
    }
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{rel}: a line of {} octets: {line:?}", line.len());
    }
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{rel}");
    assert!(text.trim_end().ends_with("END:VCALENDAR"), "{rel}");
}

/// The `datetime` of the page's `<time>` and the text of its "Where".
fn page_facts(run: &Run, slug: &str) -> (String, Option<String>) {
    let page = run.page(&format!("causes/{slug}/index.html")).html;
    let start = page.split("<dt>When</dt><dd><time datetime=\"").nth(1).expect("a <time>");
    let datetime = start[..start.find('"').unwrap()].to_string();
    let place = page.split("<dt>Where</dt><dd>").nth(1).map(|w| {
        let w = &w[..w.find("</dd>").unwrap()];
        let text: String = w.split('<').map(|s| s.split_once('>').map_or(s, |(_, t)| t)).collect();
        unescape(&text)
    });
    (datetime, place)
}

#[test]
fn every_causes_event_file_parses_and_matches_its_page() {
    let run = hub().build();
    run.success();
    let mut seen = 0;
    for slug in ["harbour-swim", "repair-cafe", "online-talk", "book-swap"] {
        let rel = format!("causes/{slug}/event.ics");
        assert_well_formed(&run, &rel);
        let evs = events(&run, &rel);
        assert_eq!(evs.len(), 1, "{rel}: {evs:?}");
        let e = &evs[0];
        let (datetime, place) = page_facts(&run, slug);
        assert_eq!(e.uid, format!("{BASE}/causes/{slug}/"));
        assert_eq!(e.url.as_deref(), Some(format!("{BASE}/causes/{slug}/").as_str()));
        if e.start_kind == "date" {
            assert_eq!(e.start, datetime[..10], "{slug}: the page says {datetime}");
        } else {
            let page_start = chrono::DateTime::parse_from_rfc3339(&datetime).unwrap();
            let ics_start = chrono::DateTime::parse_from_rfc3339(&e.start).unwrap();
            assert_eq!(ics_start, page_start, "{slug}");
            assert!(e.start.ends_with("+00:00"), "timed events are in UTC: {}", e.start);
        }
        match (&e.location, &place) {
            (Some(l), Some(p)) => assert!(p.ends_with(l.as_str()), "{slug}: ics {l:?}, page {p:?}"),
            (None, None) => {}
            other => panic!("{slug}: the places differ: {other:?}"),
        }
        assert!(e.dtstamp.ends_with("+00:00"), "{}", e.dtstamp);
        seen += 1;
    }
    assert_eq!(seen, 4);

    let swim = &events(&run, "causes/harbour-swim/event.ics")[0];
    assert_eq!(swim.summary, "Harbour winter swim");
    assert_eq!(
        (swim.start.as_str(), swim.end.as_deref()),
        ("2026-12-06T09:00:00+00:00", Some("2026-12-06T13:00:00+00:00"))
    );
    assert_eq!(swim.location.as_deref(), Some("North Pier"));
    assert_eq!(
        swim.description,
        "Ben Okoro’s cause (fundraiser).\n\nA cold swim for a good cause.\n\nGoal: €1,000 for the lifeboat crew\n\n\
         Details: https://swim.example.org\n\nhttps://voices.harbour.example/causes/harbour-swim/"
    );
    // All day over two days: DTEND is the day after the last one.
    let cafe = &events(&run, "causes/repair-cafe/event.ics")[0];
    assert_eq!((cafe.start_kind.as_str(), cafe.start.as_str()), ("date", "2026-12-19"));
    assert_eq!(cafe.end.as_deref(), Some("2026-12-21"));
    assert_eq!(cafe.summary, "Repair café; bring things, fix them, take them home");
    assert_eq!(cafe.location.as_deref(), Some("Harbour Hall, 1 Quay St, Porto"));
    assert!(cafe.description.starts_with("Ana Lima’s cause (volunteering).\n\nTools, tea and patience: all welcome"));
    // An offset in the file becomes UTC; the online address is the place.
    let talk = &events(&run, "causes/online-talk/event.ics")[0];
    assert_eq!(talk.start, "2026-12-02T17:30:00+00:00");
    assert_eq!(talk.end.as_deref(), Some("2026-12-02T19:00:00+00:00"));
    assert_eq!(talk.location.as_deref(), Some("https://meet.example.org/talk"));
    assert!(talk.summary.starts_with("Ünïcödé Ωmega talk"), "{}", talk.summary);
    let raw = run.page("causes/online-talk/event.ics").html;
    assert!(raw.contains("\r\n "), "the long title is folded:\n{raw}");
    let cafe_raw = run.page("causes/repair-cafe/event.ics").html;
    assert!(
        cafe_raw.contains("\r\nSUMMARY:Repair café\\; bring things\\, fix them\\, take them home\r\n"),
        "{cafe_raw}"
    );

    // Causes of people who have not consented, or withdrew, have no page and no calendar.
    run.assert_absent("causes/carl-run/event.ics").assert_absent("causes/dora-gig/event.ics");
}

#[test]
fn the_calendar_feed_has_every_upcoming_cause_soonest_first() {
    let run = hub().build();
    run.success();
    assert_well_formed(&run, "causes/calendar.ics");
    let evs = events(&run, "causes/calendar.ics");
    let uids: Vec<&str> = evs.iter().map(|e| e.uid.as_str()).collect();
    // The book swap (3 October) is over by NOW (22 November).
    assert_eq!(
        uids,
        [
            "https://voices.harbour.example/causes/online-talk/",
            "https://voices.harbour.example/causes/harbour-swim/",
            "https://voices.harbour.example/causes/repair-cafe/"
        ]
    );
    let raw = run.page("causes/calendar.ics").html;
    assert!(raw.contains("\r\nX-WR-CALNAME:Causes · Harbour Voices\r\n"), "{raw}");
    // Each event is the same in the calendar as in its own file.
    for slug in ["online-talk", "harbour-swim", "repair-cafe"] {
        let own = run.page(&format!("causes/{slug}/event.ics")).html;
        let event = &own[own.find("BEGIN:VEVENT").unwrap()..own.find("END:VEVENT").unwrap()];
        assert!(raw.contains(event), "{slug}");
    }
    let causes = run.page("causes/index.html");
    causes.assert_links_to("/causes/calendar.ics");
    assert_eq!(causes.rel_links("alternate").iter().filter(|h| h.ends_with("calendar.ics")).count(), 1);
}

#[test]
fn calendars_do_not_depend_on_the_clock_and_uids_are_stable() {
    let site = hub();
    let first = site.build();
    first.success();
    let a = first.bytes("causes/harbour-swim/event.ics");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = site.build();
    second.success();
    assert_eq!(a, second.bytes("causes/harbour-swim/event.ics"));
    // DTSTAMP comes from the cause, not the build.
    assert!(String::from_utf8(a).unwrap().contains("\r\nDTSTAMP:20261206T090000Z\r\n"));
}

#[test]
fn cause_pages_link_to_their_calendar_file_until_they_are_over() {
    let run = hub().build();
    run.success();
    let page = run.page("causes/harbour-swim/index.html");
    page.has(">Add to calendar</a>").assert_links_to("/causes/harbour-swim/event.ics");
    // A past cause keeps its file (an archive), but the page no longer offers it.
    run.assert_exists("causes/book-swap/event.ics");
    run.page("causes/book-swap/index.html").lacks("Add to calendar");
}

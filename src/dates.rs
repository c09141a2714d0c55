//! Dates as people write them in front matter, and the moment a build is judged against.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

pub type Date = DateTime<FixedOffset>;

/// Parses `2026-11-20`, `2026-11-20T09:00:00Z`, `2026-11-20T09:00:00+02:00` or
/// `2026-11-20 09:00`. A date without a time means midnight in the hub's time zone.
/// The error says, in plain words, what is wrong.
pub fn parse(text: &str, zone: FixedOffset) -> Result<Date, String> {
    let t = text.trim();
    let date = parse_any(t, zone)?;
    // Feeds, sitemaps and browsers only know the years 1 to 9999.
    if !(1..=9999).contains(&date.year()) {
        return Err(format!("`{t}` is not a date Chorus can publish: the year must be between 1 and 9999"));
    }
    Ok(date)
}

fn parse_any(t: &str, zone: FixedOffset) -> Result<Date, String> {
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(&t.replacen(' ', "T", 1)) {
        return Ok(d);
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, format) {
            return local(naive, zone);
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return local(day.and_time(NaiveTime::MIN), zone);
    }
    Err(explain(t))
}

fn local(naive: NaiveDateTime, zone: FixedOffset) -> Result<Date, String> {
    zone.from_local_datetime(&naive)
        .single()
        .ok_or_else(|| "this time does not exist in the hub's time zone".to_string())
}

/// Why `t` is not a date, as specifically as can be told.
fn explain(t: &str) -> String {
    let date_part: &str = t.split(['T', ' ']).next().unwrap_or(t);
    let parts: Vec<&str> = date_part.split('-').collect();
    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) {
        let (year, month, day) = (parts[0].parse::<i32>(), parts[1].parse::<u32>(), parts[2].parse::<u32>());
        if let (Ok(year), Ok(month), Ok(day)) = (year, month, day) {
            if parts[0].len() != 4 {
                return format!("`{t}` is not a date: the year must have four digits");
            }
            if !(1..=12).contains(&month) {
                return format!("`{t}` is not a real date: there is no month {month}");
            }
            if NaiveDate::from_ymd_opt(year, month, day).is_none() {
                let days = days_in_month(year, month);
                return format!("`{t}` is not a real date: {} {year} has {days} days", month_name(month));
            }
            return format!("`{t}` is not a date and time Chorus understands");
        }
    }
    format!("`{t}` is not a date")
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    match (next, NaiveDate::from_ymd_opt(year, month, 1)) {
        (Some(n), Some(f)) => (n - f).num_days() as u32,
        _ => 31,
    }
}

fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES.get(month.wrapping_sub(1) as usize).copied().unwrap_or("that month")
}

pub const DATE_HINT: &str = "write dates as `2026-11-20`, or with a time as `2026-11-20T09:00:00Z`";

/// Parses a time zone setting: `UTC`, `Z` or an offset such as `+02:00`.
pub fn parse_zone(text: &str) -> Option<FixedOffset> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("utc") || t == "Z" || t.eq_ignore_ascii_case("gmt") {
        return FixedOffset::east_opt(0);
    }
    let t = t.strip_prefix("UTC").unwrap_or(t);
    let (sign, rest) = match t.chars().next()? {
        '+' => (1, &t[1..]),
        '-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// The moment the build is judged against: `--now`, else `SOURCE_DATE_EPOCH`, else the clock.
pub fn now(flag: Option<&str>, source_date_epoch: Option<&str>) -> Result<Date, String> {
    if let Some(text) = flag {
        let now = match DateTime::parse_from_rfc3339(text.trim()) {
            Ok(d) => d,
            // A date alone, or one out of range, says what is wrong with it.
            Err(_) => parse(text, FixedOffset::east_opt(0).expect("zero offset")).map_err(|why| {
                if why.contains("the year must be between") {
                    format!("`--now {text}`: {why}")
                } else {
                    format!("`--now {text}` is not a date and time; write it like `2026-11-22T12:00:00Z`")
                }
            })?,
        };
        return in_range(now).ok_or_else(|| {
            format!("`--now {text}` is not a moment Chorus can publish at: the year must be between 1 and 9999")
        });
    }
    if let Some(epoch) = source_date_epoch.filter(|s| !s.trim().is_empty()) {
        let secs: i64 =
            epoch.trim().parse().map_err(|_| format!("SOURCE_DATE_EPOCH=`{epoch}` is not a number of seconds"))?;
        return Utc.timestamp_opt(secs, 0).single().map(|d| d.fixed_offset()).and_then(in_range).ok_or_else(|| {
            format!("SOURCE_DATE_EPOCH=`{epoch}` is out of range: the year must be between 1 and 9999")
        });
    }
    Ok(Utc::now().fixed_offset())
}

/// `now` when it, and its ISO week, fall in the years 1 to 9999 (the years feeds, sitemaps
/// and week names like `2026-W47` can show).
fn in_range(now: Date) -> Option<Date> {
    let years = 1..=9999;
    (years.contains(&now.year()) && years.contains(&now.iso_week().year())).then_some(now)
}

/// "Now" for a command: its `--now` flag, else `SOURCE_DATE_EPOCH` (for reproducible
/// builds), else the clock. The one place that reads the environment for it.
pub fn now_for_command(flag: Option<&str>) -> Result<Date, String> {
    now(flag, std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
}

/// `text` if it names an ISO week (`2026-W47`), else the message that says how to write one.
pub fn check_iso_week(text: &str) -> Result<String, String> {
    match parse_iso_week(text, FixedOffset::east_opt(0).expect("zero offset")) {
        Some(start)
            if start.checked_add_signed(chrono::Duration::days(7)).is_some() && start.iso_week().year() >= 1 =>
        {
            Ok(text.to_string())
        }
        _ => Err(format!("`{text}` is not an ISO week; write it like `2026-W47`")),
    }
}

/// `2026-W47`.
pub fn iso_week(d: &Date) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// Parses `2026-W47` (exactly that form) into the Monday 00:00 that starts it, in `zone`.
pub fn parse_iso_week(text: &str, zone: FixedOffset) -> Option<Date> {
    let (y, w) = text.split_once("-W")?;
    if y.len() != 4 || w.len() != 2 || !y.bytes().chain(w.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day = NaiveDate::from_isoywd_opt(y.parse().ok()?, w.parse().ok()?, chrono::Weekday::Mon)?;
    zone.from_local_datetime(&day.and_time(NaiveTime::MIN)).single()
}

/// `20 November 2026`, the way dates are shown on pages.
pub fn human(d: &Date) -> String {
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

/// `Sat 16 January 2027, 19:30 (UTC)`: a day and time of day, in the offset it was written
/// with, named so that a reader elsewhere can tell (`UTC`, `UTC+02:00`, `UTC−05:30`).
pub fn human_time(d: &Date) -> String {
    format!("{}, {} ({})", human_weekday(d), clock(d), zone_name(d))
}

/// `Sat 16 January 2027`.
pub fn human_weekday(d: &Date) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    format!("{} {}", DAYS[d.weekday().num_days_from_monday() as usize], human(d))
}

/// `19:30`.
pub fn clock(d: &Date) -> String {
    d.format("%H:%M").to_string()
}

/// `UTC`, `UTC+02:00` or `UTC−05:30` (with a minus sign).
pub fn zone_name(d: &Date) -> String {
    let seconds = d.offset().local_minus_utc();
    if seconds == 0 {
        return "UTC".to_string();
    }
    let sign = if seconds < 0 { '−' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

pub fn rfc3339(d: &Date) -> String {
    d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_name_their_day_and_zone() {
        let d = parse("2027-01-16T19:30:00Z", utc()).unwrap();
        assert_eq!(human_time(&d), "Sat 16 January 2027, 19:30 (UTC)");
        let d = parse("2027-01-16T09:05:00+02:00", utc()).unwrap();
        assert_eq!(human_time(&d), "Sat 16 January 2027, 09:05 (UTC+02:00)");
        let d = parse("2027-01-17T23:00:00-05:30", utc()).unwrap();
        assert_eq!(human_time(&d), "Sun 17 January 2027, 23:00 (UTC−05:30)");
        let zone = FixedOffset::east_opt(3600).unwrap();
        let d = parse("2026-12-06 10:00", zone).unwrap();
        assert_eq!(human_time(&d), "Sun 6 December 2026, 10:00 (UTC+01:00)");
    }

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    #[test]
    fn accepts_the_documented_forms() {
        for (text, want) in [
            ("2026-11-20", "2026-11-20T00:00:00Z"),
            ("2026-11-20T09:00:00Z", "2026-11-20T09:00:00Z"),
            ("2026-11-20T09:00:00+02:00", "2026-11-20T09:00:00+02:00"),
            ("2026-11-20 09:30", "2026-11-20T09:30:00Z"),
        ] {
            assert_eq!(rfc3339(&parse(text, utc()).unwrap()), want, "{text}");
        }
    }

    #[test]
    fn explains_impossible_dates() {
        assert_eq!(parse("2026-13-45", utc()).unwrap_err(), "`2026-13-45` is not a real date: there is no month 13");
        assert_eq!(
            parse("2026-02-30", utc()).unwrap_err(),
            "`2026-02-30` is not a real date: February 2026 has 28 days"
        );
        assert_eq!(parse("yesterday", utc()).unwrap_err(), "`yesterday` is not a date");
        assert_eq!(
            parse("-0001-01-01", utc()).unwrap_err(),
            "`-0001-01-01` is not a date Chorus can publish: the year must be between 1 and 9999"
        );
    }

    #[test]
    fn zones_and_weeks() {
        assert_eq!(parse_zone("+02:00"), FixedOffset::east_opt(7200));
        assert_eq!(parse_zone("UTC"), Some(utc()));
        assert_eq!(parse_zone("Europe/Paris"), None);
        for loose in ["2026-W047", "+2026-W47", " 2026-W47", "2026-W7", "2026-W54"] {
            assert!(parse_iso_week(loose, utc()).is_none(), "{loose}");
        }
        let d = parse("2026-11-22", utc()).unwrap();
        assert_eq!(iso_week(&d), "2026-W47");
        assert_eq!(rfc3339(&parse_iso_week("2026-W47", utc()).unwrap()), "2026-11-16T00:00:00Z");
        assert_eq!(human(&d), "22 November 2026");
    }

    #[test]
    fn now_prefers_the_flag_then_the_epoch() {
        assert_eq!(rfc3339(&now(Some("2026-11-22T12:00:00Z"), Some("0")).unwrap()), "2026-11-22T12:00:00Z");
        assert_eq!(rfc3339(&now(None, Some("86400")).unwrap()), "1970-01-02T00:00:00Z");
        assert!(now(Some("soon"), None).is_err());
    }

    #[test]
    fn weeks_and_moments_before_the_year_1_are_refused() {
        for week in ["0000-W01", "0000-W52"] {
            assert!(check_iso_week(week).is_err(), "{week}");
        }
        assert!(check_iso_week("0001-W01").is_ok());
        assert!(check_iso_week("9999-W52").is_ok());
        let e = now(Some("0000-01-01"), None).unwrap_err();
        assert!(e.contains("the year must be between 1 and 9999"), "{e}");
        let e = now(Some("0000-01-01T00:00:00Z"), None).unwrap_err();
        assert!(e.contains("the year must be between 1 and 9999") && !e.contains("-001"), "{e}");
        assert!(now(None, Some("-62167219200")).is_err(), "0000-01-01 as an epoch");
        assert_eq!(iso_week(&now(Some("0001-01-01T00:00:00Z"), None).unwrap()), "0001-W01");
    }
}

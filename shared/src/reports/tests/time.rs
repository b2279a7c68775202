use chrono::NaiveDate;
use chrono_tz::Tz;

use super::*;
use crate::reports::time::{segments, Segment, SegmentDay};
use crate::reports::{
    day_start, days, iso8601, local_date, local_range, parse_date, parse_time_zone, Preset,
    ReportError, MAX_DAYS,
};

fn tz(name: &str) -> Tz {
    parse_time_zone(name).unwrap()
}

fn date(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

/// Milliseconds of an RFC 3339 instant, for readable expectations.
fn at(s: &str) -> Millis {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .timestamp_millis()
}

#[test]
fn dates_are_strict() {
    let cases = [
        ("2024-03-31", true),
        ("2024-02-29", true),
        ("2023-02-29", false),
        ("2024-3-31", false),
        ("2024-03-31T00:00", false),
        ("+2024-03-31", false),
        ("2024/03/31", false),
        ("", false),
        ("2024-13-01", false),
        ("２０２４-03-31", false),
    ];
    for (input, ok) in cases {
        assert_eq!(parse_date(input).is_ok(), ok, "{input:?}");
    }
    assert_eq!(
        parse_time_zone("Mars/Olympus"),
        Err(ReportError::UnknownTimeZone("Mars/Olympus".into()))
    );
}

#[test]
fn local_ranges_follow_the_wall_clock() {
    let cases = [
        // (zone, from, to, start, end, hours)
        (
            "Europe/Madrid",
            "2024-03-04",
            "2024-03-04",
            "2024-03-03T23:00:00Z",
            "2024-03-04T23:00:00Z",
            24,
        ),
        // Spring forward: 23 hours.
        (
            "Europe/Madrid",
            "2024-03-31",
            "2024-03-31",
            "2024-03-30T23:00:00Z",
            "2024-03-31T22:00:00Z",
            23,
        ),
        // Fall back: 25 hours.
        (
            "Europe/Madrid",
            "2024-10-27",
            "2024-10-27",
            "2024-10-26T22:00:00Z",
            "2024-10-27T23:00:00Z",
            25,
        ),
        (
            "America/New_York",
            "2024-03-10",
            "2024-03-10",
            "2024-03-10T05:00:00Z",
            "2024-03-11T04:00:00Z",
            23,
        ),
        // Midnight does not exist: the day starts when the clocks jump to 01:00.
        (
            "America/Santiago",
            "2024-09-08",
            "2024-09-08",
            "2024-09-08T04:00:00Z",
            "2024-09-09T03:00:00Z",
            23,
        ),
        (
            "Asia/Kolkata",
            "2024-01-01",
            "2024-01-31",
            "2023-12-31T18:30:00Z",
            "2024-01-31T18:30:00Z",
            31 * 24,
        ),
        (
            "UTC",
            "2024-02-28",
            "2024-03-01",
            "2024-02-28T00:00:00Z",
            "2024-03-02T00:00:00Z",
            3 * 24,
        ),
    ];
    for (zone, from, to, start, end, hours) in cases {
        let (f, t) = local_range(from, to, tz(zone)).unwrap();
        assert_eq!((f, t), (at(start), at(end)), "{zone} {from}..{to}");
        assert_eq!((t - f) / HOUR, hours, "{zone} {from}..{to}");
    }
    assert_eq!(
        local_range("2024-03-02", "2024-03-01", tz("UTC")),
        Err(ReportError::BadRange)
    );
    assert_eq!(
        local_range("2023-01-01", "2024-12-31", tz("UTC")),
        Err(ReportError::RangeTooLong {
            days: 731,
            limit: MAX_DAYS
        })
    );
}

#[test]
fn day_start_of_a_gap_is_the_jump() {
    let santiago = tz("America/Santiago");
    let start = day_start(date("2024-09-08"), santiago);
    assert_eq!(iso8601(start, santiago), "2024-09-08T01:00:00-03:00");
    assert_eq!(local_date(start, santiago), date("2024-09-08"));
    assert_eq!(local_date(start - 1, santiago), date("2024-09-07"));
}

#[test]
fn presets() {
    let madrid = tz("Europe/Madrid");
    // 2024-03-31T23:30Z is already 01:30 on April 1st in Madrid.
    let now = at("2024-03-31T23:30:00Z");
    let cases = [
        (Preset::Today, "2024-04-01", "2024-04-01"),
        (Preset::Yesterday, "2024-03-31", "2024-03-31"),
        (Preset::Last7Days, "2024-03-26", "2024-04-01"),
        (Preset::Last30Days, "2024-03-03", "2024-04-01"),
        (Preset::ThisMonth, "2024-04-01", "2024-04-01"),
        (Preset::LastMonth, "2024-03-01", "2024-03-31"),
    ];
    for (preset, first, last) in cases {
        let d = preset.dates(now, madrid);
        assert_eq!((d.first, d.last), (date(first), date(last)), "{preset:?}");
        assert_eq!(
            preset.range(now, madrid),
            local_range(first, last, madrid).unwrap()
        );
    }
    // Yesterday in Madrid was the 23-hour day.
    let (f, t) = Preset::Yesterday.range(now, madrid);
    assert_eq!(t - f, 23 * HOUR);
    // In January, last month is December of the year before.
    let d = Preset::LastMonth.dates(at("2024-01-15T12:00:00Z"), madrid);
    assert_eq!((d.first, d.last), (date("2023-12-01"), date("2023-12-31")));
}

#[test]
fn iso8601_in_the_workspace_zone() {
    let t = at("2024-03-31T00:59:59Z");
    let cases = [
        ("Europe/Madrid", "2024-03-31T01:59:59+01:00"),
        ("America/St_Johns", "2024-03-30T22:29:59-02:30"),
        ("Asia/Kolkata", "2024-03-31T06:29:59+05:30"),
        ("UTC", "2024-03-31T00:59:59+00:00"),
    ];
    for (zone, want) in cases {
        assert_eq!(iso8601(t, tz(zone)), want, "{zone}");
    }
    assert_eq!(
        iso8601(t + SEC, tz("Europe/Madrid")),
        "2024-03-31T03:00:00+02:00"
    );
}

#[test]
fn days_of_a_range_with_clock_changes() {
    let madrid = tz("Europe/Madrid");
    let (from, to) = local_range("2024-03-30", "2024-04-01", madrid).unwrap();
    let got: Vec<(NaiveDate, Millis)> = days(from, to, madrid)
        .unwrap()
        .into_iter()
        .map(|d| (d.date, (d.end - d.start) / HOUR))
        .collect();
    assert_eq!(
        got,
        vec![
            (date("2024-03-30"), 24),
            (date("2024-03-31"), 23),
            (date("2024-04-01"), 24)
        ]
    );
    // A range not on day boundaries clamps its first and last day.
    let d = days(from + HOUR, to - HOUR, madrid).unwrap();
    assert_eq!((d[0].start, d[2].end), (from + HOUR, to - HOUR));
}

#[test]
fn segments_split_only_at_clock_changes() {
    let madrid = tz("Europe/Madrid");
    let day_no = |s: &str| crate::reports::time::day_number(date(s));
    let (from, to) = local_range("2024-03-01", "2024-04-30", madrid).unwrap();
    let got = segments(from, to, madrid).unwrap();
    let (dst_start, dst_end) = local_range("2024-03-31", "2024-03-31", madrid).unwrap();
    assert_eq!(
        got,
        vec![
            Segment {
                start: from,
                end: dst_start,
                day: SegmentDay::Shift(HOUR)
            },
            Segment {
                start: dst_start,
                end: dst_end,
                day: SegmentDay::Fixed(day_no("2024-03-31"))
            },
            Segment {
                start: dst_end,
                end: to,
                day: SegmentDay::Shift(2 * HOUR)
            },
        ]
    );
    // No clock change: one segment, whatever the zone.
    for zone in ["UTC", "Asia/Kolkata", "America/Mexico_City"] {
        let (from, to) = local_range("2024-05-01", "2024-05-31", tz(zone)).unwrap();
        assert_eq!(segments(from, to, tz(zone)).unwrap().len(), 1, "{zone}");
    }
    // A full year in Europe: two clock changes, five segments, far under the bind limit.
    let (from, to) = local_range("2024-01-01", "2024-12-31", madrid).unwrap();
    assert_eq!(segments(from, to, madrid).unwrap().len(), 5);
    // Every instant lands on its local day through its segment's rule.
    let (from, to) = local_range("2024-03-29", "2024-04-02", madrid).unwrap();
    let segs = segments(from, to, madrid).unwrap();
    let mut t = from;
    while t < to {
        let seg = segs.iter().find(|s| s.start <= t && t < s.end).unwrap();
        let n = match seg.day {
            SegmentDay::Shift(offset) => (t + offset) / DAY,
            SegmentDay::Fixed(n) => n,
        };
        assert_eq!(
            n,
            day_no(&local_date(t, madrid).to_string()),
            "at {}",
            iso8601(t, madrid)
        );
        t += 15 * MIN;
    }
}

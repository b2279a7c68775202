//! Business hours: weekly schedule, time zone (with daylight saving), holidays.

use chrono::{NaiveDate, TimeZone as _};
use serde_json::json;

use super::*;

const T0: Millis = 1_700_000_000_000;

pub(crate) fn madrid() -> BusinessHours {
    serde_json::from_value(json!({
        "time_zone": "Europe/Madrid",
        "week": {
            "mon": [{"from": "09:00", "to": "14:00"}, {"from": "15:00", "to": "18:00"}],
            "tue": [{"from": "09:00", "to": "18:00"}],
            "wed": [{"from": "09:00", "to": "18:00"}],
            "thu": [{"from": "09:00", "to": "18:00"}],
            "fri": [{"from": "09:00", "to": "15:00"}],
            "sat": [{"from": "22:00", "to": "24:00"}]
        },
        "holidays": [{"date": "2024-12-25", "name": "Navidad"}]
    }))
    .unwrap()
}

/// Madrid wall-clock time as an instant.
pub(crate) fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Millis {
    chrono_tz::Europe::Madrid
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .timestamp_millis()
}

#[test]
fn open_and_closed() {
    let hours = madrid();
    // 2024-03-25 is a Monday; 2024-03-31 02:00 Madrid springs forward (CET → CEST).
    let table = [
        (at(2024, 3, 25, 8, 59), false),
        (at(2024, 3, 25, 9, 0), true),
        (at(2024, 3, 25, 13, 59), true),
        (at(2024, 3, 25, 14, 0), false), // lunch
        (at(2024, 3, 25, 15, 0), true),
        (at(2024, 3, 25, 18, 0), false), // the end is exclusive
        (at(2024, 3, 29, 14, 59), true),
        (at(2024, 3, 29, 15, 0), false),
        (at(2024, 3, 30, 23, 59), true),  // Saturday until midnight
        (at(2024, 3, 31, 12, 0), false),  // Sunday: no hours
        (at(2024, 4, 1, 9, 30), true),    // after the change, still local 09:00
        (at(2024, 12, 25, 10, 0), false), // holiday (a Wednesday)
        (at(2024, 12, 26, 10, 0), true),
    ];
    for (now, open) in table {
        assert_eq!(hours.is_open(now), open, "{now}");
    }
    // 08:30 UTC is 09:30 in winter and 10:30 in summer: open both, in local terms.
    assert!(hours.is_open(at(2024, 4, 1, 10, 30)));
}

#[test]
fn next_opening() {
    let hours = madrid();
    let table = [
        // Open now: now.
        (at(2024, 3, 25, 10, 0), Some(at(2024, 3, 25, 10, 0))),
        // Lunch: the afternoon.
        (at(2024, 3, 25, 14, 30), Some(at(2024, 3, 25, 15, 0))),
        // Friday evening: Saturday night.
        (at(2024, 3, 29, 16, 0), Some(at(2024, 3, 30, 22, 0))),
        // Saturday night past midnight (Sunday): Monday, across the DST change.
        (at(2024, 3, 31, 0, 30), Some(at(2024, 4, 1, 9, 0))),
        // Christmas: the next day.
        (at(2024, 12, 24, 19, 0), Some(at(2024, 12, 26, 9, 0))),
    ];
    for (now, next) in table {
        assert_eq!(hours.next_open(now), next, "{now}");
    }
    let never = BusinessHours::default();
    assert!(!never.is_open(T0));
    assert_eq!(never.next_open(T0), None);
}

#[test]
fn a_daylight_saving_gap_opens_at_the_first_real_minute() {
    // Opening at 02:30 on the night clocks jump from 02:00 to 03:00.
    let hours: BusinessHours = serde_json::from_value(json!({
        "time_zone": "Europe/Madrid",
        "week": {"sun": [{"from": "02:30", "to": "05:00"}]}
    }))
    .unwrap();
    let saturday = at(2024, 3, 30, 12, 0);
    assert_eq!(hours.next_open(saturday), Some(at(2024, 3, 31, 3, 30)));
}

#[test]
fn schedules_are_checked() {
    assert!(matches!(
        TimeZone::parse("Mars/Olympus"),
        Err(ScheduleError::UnknownTimeZone(_))
    ));
    for bad in ["9:00", "24:01", "12:60", "noon", "12-00"] {
        assert!(ClockTime::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(ClockTime::parse("24:00").unwrap().minutes(), 1440);
    let bad_zone = serde_json::from_value::<BusinessHours>(json!({"time_zone": "Nowhere"}));
    assert!(bad_zone.is_err());
    let backwards: BusinessHours = serde_json::from_value(json!({
        "week": {"mon": [{"from": "18:00", "to": "09:00"}]}
    }))
    .unwrap();
    assert_eq!(
        backwards.validate(),
        ["mon: 18:00–09:00 ends before it starts"]
    );
    assert!(madrid().validate().is_empty());
    let shape = serde_json::to_value(madrid()).unwrap();
    assert_eq!(shape["time_zone"], "Europe/Madrid");
    assert_eq!(
        shape["week"]["mon"][1],
        json!({"from": "15:00", "to": "18:00"})
    );
    assert_eq!(
        shape["holidays"][0],
        json!({"date": "2024-12-25", "name": "Navidad"})
    );
    let _ = NaiveDate::from_ymd_opt(2024, 12, 25);
}

#[test]
fn overlapping_spans_are_refused() {
    let overlapping: BusinessHours = serde_json::from_value(json!({
        "week": {"tue": [{"from": "13:00", "to": "18:00"}, {"from": "09:00", "to": "14:00"}]}
    }))
    .unwrap();
    assert_eq!(
        overlapping.validate(),
        ["tue: 13:00–18:00 overlaps 09:00–14:00"]
    );
    let touching: BusinessHours = serde_json::from_value(json!({
        "week": {"tue": [{"from": "09:00", "to": "14:00"}, {"from": "14:00", "to": "18:00"}]}
    }))
    .unwrap();
    assert!(touching.validate().is_empty());
}

#[test]
fn open_time_between_two_instants_for_reports() {
    use crate::reports::OpenHours;
    const MIN: Millis = 60_000;
    let hours = madrid();
    // Within one span, across the Monday lunch break, and nothing outside hours.
    assert_eq!(
        hours.open_millis_between(at(2024, 3, 25, 9, 0), at(2024, 3, 25, 9, 30)),
        30 * MIN
    );
    assert_eq!(
        hours.open_millis_between(at(2024, 3, 25, 13, 50), at(2024, 3, 25, 15, 10)),
        20 * MIN
    );
    assert_eq!(
        hours.open_millis_between(at(2024, 3, 25, 19, 0), at(2024, 3, 25, 23, 0)),
        0
    );
    assert_eq!(
        hours.open_millis_between(at(2024, 3, 25, 10, 0), at(2024, 3, 25, 9, 0)),
        0
    );
    // Friday 14:55 → Monday 09:05: 5 min Friday + Saturday 22:00–24:00 + 5 min Monday.
    assert_eq!(
        hours.open_millis_between(at(2024, 3, 22, 14, 55), at(2024, 3, 25, 9, 5)),
        (5 + 120 + 5) * MIN
    );
    // The spring-forward Saturday night (30→31 March) is still two local hours of opening.
    assert_eq!(
        hours.open_millis_between(at(2024, 3, 30, 0, 0), at(2024, 3, 31, 12, 0)),
        120 * MIN
    );
    // A holiday counts nothing: Christmas Wednesday 2024, then Thursday 09:00–10:00.
    assert_eq!(
        hours.open_millis_between(at(2024, 12, 25, 8, 0), at(2024, 12, 26, 10, 0)),
        60 * MIN
    );
    // A whole ordinary week: 8 + 9×3 + 6 + 2 hours.
    assert_eq!(
        hours.open_millis_between(at(2024, 4, 1, 0, 0), at(2024, 4, 8, 0, 0)),
        (8 + 27 + 6 + 2) * 60 * MIN
    );
}

/// Rules that answer only `offset_at` (as the inbox's browser zone does), so `local` and
/// `instant` run the trait's own algorithm.
struct OffsetsOnly(TimeZone);

impl ZoneRules for OffsetsOnly {
    fn offset_at(&self, utc: Millis) -> Option<i32> {
        self.0.offset_at(utc)
    }
}

#[test]
fn offset_only_rules_agree_with_the_tz_database_across_transitions() {
    // Spring-forward gaps, fall-back overlaps, half-hour DST (Lord Howe), odd offsets
    // (Kathmandu, Chatham), the southern hemisphere and a zone that moved across the date line.
    let zones = [
        "Europe/Madrid",
        "America/New_York",
        "Australia/Sydney",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "Pacific/Chatham",
        "Pacific/Apia",
        "America/Santiago",
        "UTC",
    ];
    for name in zones {
        let exact = TimeZone::parse(name).unwrap();
        let derived = OffsetsOnly(exact);
        // Every 37 minutes across 2011-2012 and 2024: 37 is prime to the hour, so every
        // minute-of-hour near a transition comes up.
        for start in [1_293_840_000_000_i64, 1_704_067_200_000] {
            let mut at = start;
            while at < start + 2 * 366 * 86_400_000 {
                assert_eq!(derived.local(at), exact.local(at), "{name} local at {at}");
                let local = exact.local(at).unwrap();
                assert_eq!(
                    derived.instant(local),
                    exact.instant(local),
                    "{name} {local}"
                );
                // Wall-clock times on the half hour include the ones inside gaps.
                let wall = local.date().and_hms_opt(local.hour(), 30, 0).unwrap();
                assert_eq!(derived.instant(wall), exact.instant(wall), "{name} {wall}");
                at += 37 * 60_000;
            }
        }
    }
}

//! Business-hours durations against the workspace schedule type (`workflow::BusinessHours`):
//! lunch breaks, nights, weekends, holidays and both daylight-saving changes in Madrid.

use serde_json::json;

use super::aggregate::at;
use super::*;
use crate::reports::OpenHours;
use crate::schedule::BusinessHours;

fn hours(week: serde_json::Value) -> BusinessHours {
    serde_json::from_value(json!({"time_zone": "Europe/Madrid", "week": week})).unwrap()
}

#[test]
fn open_time_between_two_instants() {
    let lunch = json!([{"from": "09:00", "to": "13:00"}, {"from": "14:00", "to": "18:00"}]);
    let office = hours(json!({
        "mon": lunch, "tue": lunch, "wed": lunch, "thu": lunch, "fri": lunch
    }));
    let sunday_all_day = hours(json!({"sun": [{"from": "00:00", "to": "24:00"}]}));
    let small_hours = hours(json!({"sun": [{"from": "01:00", "to": "04:00"}]}));
    let cases: Vec<(&str, &BusinessHours, &str, &str, Millis)> = vec![
        (
            "inside one window",
            &office,
            "2024-03-04T10:00:00+01:00",
            "2024-03-04T10:30:00+01:00",
            30 * MIN,
        ),
        (
            "across lunch",
            &office,
            "2024-03-04T12:30:00+01:00",
            "2024-03-04T14:30:00+01:00",
            HOUR,
        ),
        (
            "overnight",
            &office,
            "2024-03-04T17:00:00+01:00",
            "2024-03-05T10:00:00+01:00",
            2 * HOUR,
        ),
        (
            "weekend",
            &office,
            "2024-03-08T17:50:00+01:00",
            "2024-03-11T09:05:00+01:00",
            15 * MIN,
        ),
        (
            "a whole week",
            &office,
            "2024-03-04T00:00:00+01:00",
            "2024-03-11T00:00:00+01:00",
            40 * HOUR,
        ),
        (
            "closed all the time",
            &office,
            "2024-03-09T08:00:00+01:00",
            "2024-03-10T20:00:00+01:00",
            0,
        ),
        (
            "backwards",
            &office,
            "2024-03-04T11:00:00+01:00",
            "2024-03-04T10:00:00+01:00",
            0,
        ),
        // The spring-forward Sunday has 23 hours to be open in.
        (
            "23-hour day",
            &sunday_all_day,
            "2024-03-30T00:00:00+01:00",
            "2024-04-02T00:00:00+02:00",
            23 * HOUR,
        ),
        (
            "25-hour day",
            &sunday_all_day,
            "2024-10-26T00:00:00+02:00",
            "2024-10-29T00:00:00+01:00",
            25 * HOUR,
        ),
        // 01:00–04:00 wall time: 02:00–03:00 does not exist in spring, happens twice in autumn.
        (
            "skipped hour",
            &small_hours,
            "2024-03-31T00:00:00+01:00",
            "2024-03-31T12:00:00+02:00",
            2 * HOUR,
        ),
        (
            "repeated hour",
            &small_hours,
            "2024-10-27T00:00:00+02:00",
            "2024-10-27T12:00:00+01:00",
            4 * HOUR,
        ),
    ];
    for (name, schedule, from, to, want) in cases {
        assert_eq!(
            schedule.open_millis_between(at(from), at(to)),
            want,
            "{name}"
        );
    }
}

#[test]
fn holidays_are_closed_all_day() {
    let mut office = hours(json!({"fri": [{"from": "09:00", "to": "18:00"}]}));
    let (from, to) = (
        at("2024-03-08T08:00:00+01:00"),
        at("2024-03-08T20:00:00+01:00"),
    );
    assert_eq!(office.open_millis_between(from, to), 9 * HOUR);
    office.holidays =
        serde_json::from_value(json!([{"date": "2024-03-08", "name": "Cierre"}])).unwrap();
    assert_eq!(office.open_millis_between(from, to), 0);
}

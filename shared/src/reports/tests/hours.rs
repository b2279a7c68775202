use super::aggregate::at;
use super::*;
use crate::reports::{OpenHours, ReportError, Weekday, WeeklyHours, WeeklySchedule, Window};

fn w(day: Weekday, start: u16, end: u16) -> Window {
    Window { day, start, end }
}

fn hours(windows: Vec<Window>, zone: &str) -> WeeklyHours {
    WeeklyHours::new(WeeklySchedule { windows }, zone).unwrap()
}

#[test]
fn schedules_are_validated() {
    use Weekday::*;
    let cases: Vec<(Vec<Window>, bool)> = vec![
        (vec![], true),
        (vec![w(Mon, 540, 1080)], true),
        (vec![w(Mon, 540, 780), w(Mon, 840, 1080)], true),
        (vec![w(Mon, 0, 1440)], true),
        (vec![w(Mon, 540, 540)], false),
        (vec![w(Mon, 600, 540)], false),
        (vec![w(Mon, 0, 1441)], false),
        (vec![w(Mon, 540, 800), w(Mon, 780, 1080)], false),
        // The same hours on different days do not overlap.
        (vec![w(Mon, 540, 1080), w(Tue, 540, 1080)], true),
        (vec![w(Mon, 0, 1); 29], false),
    ];
    for (windows, ok) in cases {
        let got = WeeklySchedule {
            windows: windows.clone(),
        }
        .validate();
        assert_eq!(got.is_ok(), ok, "{windows:?}: {got:?}");
    }
    assert!(matches!(
        WeeklyHours::new(WeeklySchedule::default(), "Nowhere/Land"),
        Err(ReportError::UnknownTimeZone(_))
    ));
}

#[test]
fn open_time_between_two_instants() {
    use Weekday::*;
    let weekdays_9_to_18_with_lunch: Vec<Window> = [Mon, Tue, Wed, Thu, Fri]
        .into_iter()
        .flat_map(|d| [w(d, 9 * 60, 13 * 60), w(d, 14 * 60, 18 * 60)])
        .collect();
    let office = hours(weekdays_9_to_18_with_lunch, "Europe/Madrid");
    let sunday_all_day = hours(vec![w(Sun, 0, 1440)], "Europe/Madrid");
    let small_hours = hours(vec![w(Sun, 60, 240)], "Europe/Madrid");
    let cases: Vec<(&str, &WeeklyHours, &str, &str, Millis)> = vec![
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

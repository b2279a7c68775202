//! The "Business hours" settings form: a weekly schedule as the owner edits it ("HH:MM" text
//! from `<input type="time">`, one row per day, holidays as dates), the
//! `Option<BusinessHours>` it becomes (`None` = always open), the problems that keep it from
//! being sent, and the "Open now · closes 18:00" line. Pure, so it is tested natively; the
//! edge checks the schedule again and its refusals are shown as they come.
//!
//! A time input cannot say "24:00", so a span that ends at "00:00" runs to midnight (the
//! schedule's "24:00"), and a stored "24:00" is shown as "00:00".

use crate::settings::i18n::{st, SettingsTexts};
use charla_shared::basic::Millis;
use charla_shared::schedule::{BusinessHours, ClockTime, Day, Holiday, Span, TimeZone, ZoneRules};

/// A new open day starts with these hours.
const DEFAULT_OPENS: &str = "09:00";
const DEFAULT_CLOSES: &str = "18:00";

const MINUTES_PER_DAY: u16 = 24 * 60;
const MILLIS_PER_DAY: i64 = 86_400_000;
const WEEKDAYS: [Day; 5] = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No schedule (`null`): workflows see the workspace as open and the widget follows only
    /// who is online.
    AlwaysOpen,
    Schedule,
}

/// One opening span as typed. `id` is stable while the page is open, so the view can key its
/// rows by it and an input keeps its focus while others change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanText {
    pub id: u32,
    pub from: String,
    pub to: String,
}

/// A day's row. A closed day keeps its spans, so unticking and ticking "Open" again restores
/// them; only open days are saved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayHours {
    pub open: bool,
    pub spans: Vec<SpanText>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayText {
    /// "YYYY-MM-DD", checked when added.
    pub date: String,
    pub name: String,
}

/// Where a problem is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    TimeZone,
    /// A span's row (its inputs are marked invalid).
    Span {
        day: Day,
        id: u32,
    },
    /// The schedule as a whole (a rule the server has that the rows do not show).
    Schedule,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: Where,
    pub message: String,
}

impl Problem {
    pub fn is_about_day(&self, day: Day) -> bool {
        matches!(self.at, Where::Span { day: d, .. } if d == day)
    }

    pub fn is_about_span(&self, day: Day, id: u32) -> bool {
        self.at == Where::Span { day, id }
    }
}

/// The form's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursForm {
    pub mode: Mode,
    pub time_zone: String,
    /// Monday to Sunday, indexed by `Day as usize`.
    days: [DayHours; 7],
    /// Sorted by date.
    pub holidays: Vec<HolidayText>,
    next_id: u32,
}

impl HoursForm {
    /// The form for what the server holds. With no schedule yet, switching to "Open on a
    /// schedule" starts from Monday to Friday, 09:00–18:00, in `default_zone` (the browser's).
    pub fn new(hours: Option<&BusinessHours>, default_zone: &str) -> Self {
        let mut form = HoursForm {
            mode: Mode::AlwaysOpen,
            time_zone: default_zone.to_owned(),
            days: Default::default(),
            holidays: Vec::new(),
            next_id: 0,
        };
        let Some(hours) = hours else {
            for day in WEEKDAYS {
                form.set_open(day, true);
            }
            return form;
        };
        form.mode = Mode::Schedule;
        form.time_zone = hours.time_zone.name().to_owned();
        for (day, spans) in &hours.week {
            for span in spans {
                let (from, to) = (clock_text(span.from), clock_text(span.to));
                form.push_span(*day, from, to);
            }
            form.days[*day as usize].open = !spans.is_empty();
        }
        form.holidays = hours
            .holidays
            .iter()
            .map(|h| HolidayText {
                date: h.date.to_string(),
                name: h.name.clone(),
            })
            .collect();
        form
    }

    pub fn day(&self, day: Day) -> &DayHours {
        &self.days[day as usize]
    }

    pub fn span_mut(&mut self, day: Day, id: u32) -> Option<&mut SpanText> {
        self.days[day as usize]
            .spans
            .iter_mut()
            .find(|s| s.id == id)
    }

    /// Opening a day with no hours gives it the default hours, so an open day is never empty.
    pub fn set_open(&mut self, day: Day, open: bool) {
        if open && self.day(day).spans.is_empty() {
            self.push_span(day, DEFAULT_OPENS.to_owned(), DEFAULT_CLOSES.to_owned());
        }
        self.days[day as usize].open = open;
    }

    /// A further span the same day: from an hour after the last one ends, for two hours (or
    /// to midnight), so a split day needs only small edits; blank when the day is full.
    pub fn add_span(&mut self, day: Day) {
        let Some(last) = self.day(day).spans.last() else {
            return self.set_open(day, true);
        };
        let (from, to) = match parse_clock(&last.to, true) {
            Some(end) if end.minutes() + 60 < MINUTES_PER_DAY => {
                let from = end.minutes() + 60;
                let to = (from + 120).min(MINUTES_PER_DAY);
                (minutes_text(from), minutes_text(to))
            }
            _ => (String::new(), String::new()),
        };
        self.push_span(day, from, to);
        self.days[day as usize].open = true;
    }

    /// Removing a day's last span closes the day.
    pub fn remove_span(&mut self, day: Day, id: u32) {
        let row = &mut self.days[day as usize];
        row.spans.retain(|s| s.id != id);
        if row.spans.is_empty() {
            row.open = false;
        }
    }

    /// Monday's hours (or Monday being closed) for Tuesday to Friday too.
    pub fn copy_monday_to_weekdays(&mut self) {
        let monday = self.day(Day::Mon).clone();
        for day in &WEEKDAYS[1..] {
            self.days[*day as usize] = DayHours {
                open: monday.open,
                spans: Vec::new(),
            };
            for span in &monday.spans {
                self.push_span(*day, span.from.clone(), span.to.clone());
            }
        }
    }

    /// Add a holiday, kept in date order. Refuses a missing or malformed date and a date
    /// already listed (one date is closed once, whatever its names).
    pub fn add_holiday(&mut self, date: &str, name: &str) -> Result<(), String> {
        let date = date.trim();
        if date.is_empty() {
            return Err(st().pick_holiday_date.to_owned());
        }
        if holiday(date, "").is_none() {
            return Err(st().not_a_date(date));
        }
        if let Some(h) = self.holidays.iter().find(|h| h.date == date) {
            return Err(st().already_holiday(date, &h.name));
        }
        let at = self.holidays.partition_point(|h| h.date.as_str() < date);
        self.holidays.insert(
            at,
            HolidayText {
                date: date.to_owned(),
                name: name.trim().to_owned(),
            },
        );
        Ok(())
    }

    pub fn remove_holiday(&mut self, date: &str) {
        self.holidays.retain(|h| h.date != date);
    }

    /// Why the form cannot be sent; empty when it can (always, for "Always open").
    pub fn problems(&self) -> Vec<Problem> {
        match self.to_hours() {
            Ok(_) => Vec::new(),
            Err(problems) => problems,
        }
    }

    /// What `PUT /v1/inbox/settings/business-hours` is sent: `None` for "Always open";
    /// otherwise the open days' spans in time order, or every problem found.
    pub fn to_hours(&self) -> Result<Option<BusinessHours>, Vec<Problem>> {
        if self.mode == Mode::AlwaysOpen {
            return Ok(None);
        }
        let mut problems = Vec::new();
        let zone = self.time_zone.trim();
        let time_zone = if zone.is_empty() {
            problems.push(Problem {
                at: Where::TimeZone,
                message: st().zone_missing.to_owned(),
            });
            None
        } else {
            match TimeZone::parse(zone) {
                Ok(tz) => Some(tz),
                Err(_) => {
                    problems.push(Problem {
                        at: Where::TimeZone,
                        message: st().not_a_zone(zone),
                    });
                    None
                }
            }
        };
        let mut hours = BusinessHours {
            time_zone: time_zone.unwrap_or_default(),
            ..BusinessHours::default()
        };
        for day in Day::ALL {
            let row = self.day(day);
            if !row.open || row.spans.is_empty() {
                continue;
            }
            let mut spans: Vec<(u32, Span)> = Vec::new();
            for text in &row.spans {
                let problem = |message: String| Problem {
                    at: Where::Span { day, id: text.id },
                    message: st().on_day(day, &message),
                };
                match (parse_clock(&text.from, false), parse_clock(&text.to, true)) {
                    (Some(from), Some(to)) if from < to => spans.push((text.id, Span { from, to })),
                    (Some(from), Some(_)) => problems.push(problem(
                        st().ends_before_start(&from.to_string(), text.to.trim()),
                    )),
                    (from, _) => {
                        let bad = if from.is_none() { &text.from } else { &text.to };
                        let what = if from.is_none() {
                            st().opening_word
                        } else {
                            st().closing_word
                        };
                        problems.push(problem(match bad.trim() {
                            "" => st().time_missing(what),
                            bad => st().not_a_time(bad),
                        }));
                    }
                }
            }
            spans.sort_by_key(|(_, s)| s.from);
            for pair in spans.windows(2) {
                let ((_, earlier), (id, later)) = (pair[0], pair[1]);
                if later.from < earlier.to {
                    problems.push(Problem {
                        at: Where::Span { day, id },
                        message: st().on_day(
                            day,
                            &st().overlaps(
                                &format!("{}–{}", later.from, clock_text(later.to)),
                                &format!("{}–{}", earlier.from, clock_text(earlier.to)),
                            ),
                        ),
                    });
                }
            }
            hours
                .week
                .insert(day, spans.into_iter().map(|(_, s)| s).collect());
        }
        for h in &self.holidays {
            match holiday(&h.date, &h.name) {
                Some(h) => hours.holidays.push(h),
                None => problems.push(Problem {
                    at: Where::Schedule,
                    message: st().holiday_no_date(&h.date),
                }),
            }
        }
        if problems.is_empty() {
            // Whatever else the shared rules (the server's) find.
            problems.extend(hours.validate().into_iter().map(|message| Problem {
                at: Where::Schedule,
                message,
            }));
        }
        if problems.is_empty() {
            Ok(Some(hours))
        } else {
            Err(problems)
        }
    }

    fn push_span(&mut self, day: Day, from: String, to: String) {
        let id = self.next_id;
        self.next_id += 1;
        self.days[day as usize]
            .spans
            .push(SpanText { id, from, to });
    }
}

/// "HH:MM" as a time input gives it (seconds, if a browser adds them, must be zero). An end of
/// "00:00" is midnight at the end of the day.
fn parse_clock(text: &str, is_end: bool) -> Option<ClockTime> {
    let text = text.trim();
    let text = text
        .strip_suffix(":00")
        .filter(|t| t.len() == 5)
        .unwrap_or(text);
    let time = ClockTime::parse(text).ok()?;
    match time.minutes() {
        0 if is_end => ClockTime::from_minutes(MINUTES_PER_DAY),
        _ => Some(time),
    }
}

/// How a time input shows a stored time: "24:00" as "00:00".
fn clock_text(time: ClockTime) -> String {
    minutes_text(time.minutes())
}

fn minutes_text(minutes: u16) -> String {
    let minutes = minutes % MINUTES_PER_DAY;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A holiday on `date`: exactly "YYYY-MM-DD" (what a date input gives) and a real day.
fn holiday(date: &str, name: &str) -> Option<Holiday> {
    let holiday = Holiday {
        date: date.parse().ok()?,
        name: name.to_owned(),
    };
    (holiday.date.to_string() == date).then_some(holiday)
}

/// The line under the heading: what the saved hours mean right now ("Open now · closes
/// 18:00", "Closed now · opens Tue 09:00", "Closed today (holiday: Navidad) · opens Thu
/// 09:00"), in the schedule's own time zone. Times within the coming week are named by
/// weekday; later ones by date.
pub fn status(hours: Option<&BusinessHours>, rules: &impl ZoneRules, now: Millis) -> String {
    status_in(st(), hours, rules, now)
}

/// [`status`] in the language of `s`.
pub fn status_in(
    s: &SettingsTexts,
    hours: Option<&BusinessHours>,
    rules: &impl ZoneRules,
    now: Millis,
) -> String {
    let Some(hours) = hours else {
        return s.open_always.to_owned();
    };
    let Some((today, minute)) = local_day_minute(rules, now) else {
        return String::new();
    };
    if hours.is_open_in(rules, now) {
        return match closes(hours, today, minute) {
            Some((day, minute)) => s.open_closes(&when(s, today, day, minute)),
            None => s.open_around_clock.to_owned(),
        };
    }
    let closed = match holiday_on(hours, today) {
        Some(h) if h.name.trim().is_empty() => s.closed_holiday.to_owned(),
        Some(h) => s.closed_holiday_named(h.name.trim()),
        None => s.closed_now.to_owned(),
    };
    match hours
        .next_open_in(rules, now)
        .and_then(|at| local_day_minute(rules, at))
    {
        Some((day, minute)) => s.then_opens(&closed, &when(s, today, day, minute)),
        None => s.no_opening_soon(&closed),
    }
}

/// Whether the status line says open: always when there is no schedule.
pub fn open_now(hours: Option<&BusinessHours>, rules: &impl ZoneRules, now: Millis) -> bool {
    hours.is_none_or(|h| h.is_open_in(rules, now))
}

/// Where the open span at `minute` of `today` ends, following a span to midnight into the
/// next day's span from 00:00 (a night shift); `None` when it never ends within a week.
fn closes(hours: &BusinessHours, today: i64, minute: u16) -> Option<(i64, u16)> {
    let mut end = spans_on(hours, today)
        .iter()
        .find(|s| s.from.minutes() <= minute && minute < s.to.minutes())?
        .to
        .minutes();
    let mut day = today;
    for _ in 0..7 {
        if end < MINUTES_PER_DAY {
            return Some((day, end));
        }
        day += 1;
        match spans_on(hours, day)
            .iter()
            .find(|s| s.from.minutes() == 0 && s.to.minutes() > 0)
        {
            Some(next) => end = next.to.minutes(),
            None => return Some((day, 0)),
        }
    }
    None
}

/// "14:00" today, "at midnight" tonight, "Tue 09:00" within a week, "2024-04-08 09:00" later.
fn when(s: &SettingsTexts, today: i64, day: i64, minute: u16) -> String {
    let time = minutes_text(minute);
    match day - today {
        0 => time,
        1 if minute == 0 => s.at_midnight.to_owned(),
        1..=6 => format!("{} {time}", s.day_short(weekday(day))),
        _ => {
            let date = chrono::DateTime::from_timestamp_millis(day * MILLIS_PER_DAY)
                .map(|d| d.date_naive().to_string())
                .unwrap_or_default();
            format!("{date} {time}")
        }
    }
}

/// An instant as the schedule's local (days since 1970-01-01, minute of the day).
fn local_day_minute(rules: &impl ZoneRules, at: Millis) -> Option<(i64, u16)> {
    let seconds = rules.local(at)?.and_utc().timestamp();
    Some((
        seconds.div_euclid(86_400),
        (seconds.rem_euclid(86_400) / 60) as u16,
    ))
}

/// 1970-01-01 was a Thursday.
fn weekday(day: i64) -> Day {
    Day::ALL[(day + 3).rem_euclid(7) as usize]
}

fn holiday_on(hours: &BusinessHours, day: i64) -> Option<&Holiday> {
    hours.holidays.iter().find(|h| {
        h.date
            .and_hms_opt(0, 0, 0)
            .is_some_and(|d| d.and_utc().timestamp().div_euclid(86_400) == day)
    })
}

fn spans_on(hours: &BusinessHours, day: i64) -> &[Span] {
    if holiday_on(hours, day).is_some() {
        return &[];
    }
    hours.week.get(&weekday(day)).map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The status line with the tz database's rules (the browser's `Intl` is not here).
    fn status(hours: Option<&BusinessHours>, now: Millis) -> String {
        let zone = hours.map_or(TimeZone::UTC, |h| h.time_zone);
        super::status(hours, &zone, now)
    }

    const MINUTE: Millis = 60_000;
    /// Monday 2024-03-25 00:00 in Madrid (CET, UTC+1; summer time starts on the 31st).
    const MONDAY_MADRID: Millis = 1_711_321_200_000;
    /// Wednesday 2024-12-25 00:00 in Madrid.
    const CHRISTMAS_MADRID: Millis = 1_735_081_200_000;

    fn hours(value: serde_json::Value) -> BusinessHours {
        serde_json::from_value(value).unwrap()
    }

    /// `days` after Monday 2024-03-25 (negative: the week before), at HH:MM Madrid time.
    fn madrid(days: i64, h: i64, m: i64) -> Millis {
        MONDAY_MADRID + days * MILLIS_PER_DAY + (h * 60 + m) * MINUTE
    }

    fn madrid_week() -> BusinessHours {
        hours(json!({
            "time_zone": "Europe/Madrid",
            "week": {
                "mon": [{"from": "09:00", "to": "14:00"}, {"from": "15:00", "to": "18:00"}],
                "tue": [{"from": "09:00", "to": "18:00"}],
                "wed": [{"from": "09:00", "to": "18:00"}],
                "thu": [{"from": "09:00", "to": "18:00"}],
                "fri": [{"from": "09:00", "to": "15:00"}],
                "sat": [{"from": "22:00", "to": "24:00"}],
                "sun": [{"from": "00:00", "to": "02:00"}]
            },
            "holidays": [{"date": "2024-12-25", "name": "Navidad"}]
        }))
    }

    fn spans(form: &HoursForm, day: Day) -> Vec<(&str, &str)> {
        form.day(day)
            .spans
            .iter()
            .map(|s| (s.from.as_str(), s.to.as_str()))
            .collect()
    }

    fn messages(form: &HoursForm) -> Vec<String> {
        form.problems().into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn no_schedule_is_always_open_and_a_new_schedule_starts_with_weekdays() {
        let mut form = HoursForm::new(None, "Europe/Madrid");
        assert_eq!(form.mode, Mode::AlwaysOpen);
        assert_eq!(form.to_hours(), Ok(None));
        form.mode = Mode::Schedule;
        let nine_to_six = json!([{"from": "09:00", "to": "18:00"}]);
        assert_eq!(
            form.to_hours(),
            Ok(Some(hours(json!({
                "time_zone": "Europe/Madrid",
                "week": {
                    "mon": nine_to_six, "tue": nine_to_six, "wed": nine_to_six,
                    "thu": nine_to_six, "fri": nine_to_six
                }
            }))))
        );
        assert!(!form.day(Day::Sat).open && form.day(Day::Sat).spans.is_empty());
    }

    #[test]
    fn schedules_round_trip_through_the_form() {
        let week = madrid_week();
        let form = HoursForm::new(Some(&week), "UTC");
        assert_eq!(form.mode, Mode::Schedule);
        assert_eq!(form.time_zone, "Europe/Madrid");
        assert_eq!(
            spans(&form, Day::Mon),
            [("09:00", "14:00"), ("15:00", "18:00")]
        );
        // A time input cannot show 24:00: midnight at the end of the day is 00:00.
        assert_eq!(spans(&form, Day::Sat), [("22:00", "00:00")]);
        assert_eq!(
            form.holidays,
            [HolidayText {
                date: "2024-12-25".into(),
                name: "Navidad".into()
            }]
        );
        assert_eq!(form.to_hours(), Ok(Some(week)));

        // Saving sorts a day's spans; a browser's seconds are accepted.
        let mut form = HoursForm::new(None, "UTC");
        form.mode = Mode::Schedule;
        form.add_span(Day::Mon);
        let ids: Vec<u32> = form.day(Day::Mon).spans.iter().map(|s| s.id).collect();
        *form.span_mut(Day::Mon, ids[0]).unwrap() = SpanText {
            id: ids[0],
            from: "15:00:00".into(),
            to: "00:00".into(),
        };
        form.span_mut(Day::Mon, ids[1]).unwrap().from = " 08:00 ".into();
        form.span_mut(Day::Mon, ids[1]).unwrap().to = "12:30".into();
        let saved = form.to_hours().unwrap().unwrap();
        assert_eq!(
            serde_json::to_value(&saved.week[&Day::Mon]).unwrap(),
            json!([{"from": "08:00", "to": "12:30"}, {"from": "15:00", "to": "24:00"}])
        );
    }

    #[test]
    fn spans_are_added_removed_and_copied_to_weekdays() {
        let mut form = HoursForm::new(Some(&BusinessHours::default()), "UTC");
        assert!(Day::ALL.iter().all(|d| !form.day(*d).open));
        // Opening a day gives it the default hours; another span follows the last one.
        form.set_open(Day::Mon, true);
        form.add_span(Day::Mon);
        assert_eq!(
            spans(&form, Day::Mon),
            [("09:00", "18:00"), ("19:00", "21:00")]
        );
        form.span_mut(Day::Mon, form.day(Day::Mon).spans[1].id)
            .unwrap()
            .to = "23:00".into();
        form.add_span(Day::Mon);
        assert_eq!(spans(&form, Day::Mon)[2], ("", ""), "no room left: blank");
        let blank = form.day(Day::Mon).spans[2].id;
        form.remove_span(Day::Mon, blank);

        // Closing a day keeps its hours for when it opens again; only open days are saved.
        form.set_open(Day::Mon, false);
        assert_eq!(form.to_hours().unwrap().unwrap().week.len(), 0);
        form.set_open(Day::Mon, true);
        assert_eq!(
            spans(&form, Day::Mon),
            [("09:00", "18:00"), ("19:00", "23:00")]
        );

        // Adding to a closed day with no hours opens it with the defaults.
        form.add_span(Day::Sat);
        assert!(form.day(Day::Sat).open);
        assert_eq!(spans(&form, Day::Sat), [("09:00", "18:00")]);
        // Removing a day's last span closes it.
        form.remove_span(Day::Sat, form.day(Day::Sat).spans[0].id);
        assert!(!form.day(Day::Sat).open);

        form.set_open(Day::Tue, true);
        form.set_open(Day::Wed, true);
        form.copy_monday_to_weekdays();
        for day in [Day::Tue, Day::Wed, Day::Thu, Day::Fri] {
            assert!(form.day(day).open, "{day:?}");
            assert_eq!(spans(&form, day), [("09:00", "18:00"), ("19:00", "23:00")]);
        }
        assert!(!form.day(Day::Sat).open && !form.day(Day::Sun).open);
        // Copies are their own rows: every id on the page is distinct.
        let mut ids: Vec<u32> = Day::ALL
            .iter()
            .flat_map(|d| form.day(*d).spans.iter().map(|s| s.id))
            .collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count);
        // Editing a copy leaves Monday alone.
        let tue = form.day(Day::Tue).spans[0].id;
        form.span_mut(Day::Tue, tue).unwrap().from = "10:00".into();
        assert_eq!(spans(&form, Day::Mon)[0], ("09:00", "18:00"));

        // A closed Monday closes the weekdays.
        form.set_open(Day::Mon, false);
        form.copy_monday_to_weekdays();
        assert!([Day::Tue, Day::Wed, Day::Thu, Day::Fri]
            .iter()
            .all(|d| !form.day(*d).open));
    }

    /// The form with Monday's first span set to `from`–`to` (and a second one as given).
    fn monday(from: &str, to: &str, second: Option<(&str, &str)>) -> HoursForm {
        let mut form = HoursForm::new(Some(&BusinessHours::default()), "Europe/Madrid");
        form.set_open(Day::Mon, true);
        let first = form.day(Day::Mon).spans[0].id;
        let span = form.span_mut(Day::Mon, first).unwrap();
        (span.from, span.to) = (from.into(), to.into());
        if let Some((from, to)) = second {
            form.add_span(Day::Mon);
            let id = form.day(Day::Mon).spans[1].id;
            let span = form.span_mut(Day::Mon, id).unwrap();
            (span.from, span.to) = (from.into(), to.into());
        }
        form
    }

    #[test]
    fn problems_name_the_day_and_the_span() {
        let table: [(HoursForm, &[&str]); 9] = [
            (monday("09:00", "18:00", None), &[]),
            (
                monday("18:00", "09:00", None),
                &["Monday: 18:00–09:00 ends before it starts."],
            ),
            (
                monday("09:00", "09:00", None),
                &["Monday: 09:00–09:00 ends before it starts."],
            ),
            // Until midnight, and all day.
            (monday("22:00", "00:00", None), &[]),
            (monday("00:00", "00:00", None), &[]),
            (
                monday("9am", "18:00", None),
                &["Monday: “9am” is not a time (HH:MM)."],
            ),
            (
                monday("09:00", "", None),
                &["Monday: the closing time is missing."],
            ),
            (
                monday("09:00", "14:00", Some(("13:00", "18:00"))),
                &["Monday: 13:00–18:00 overlaps 09:00–14:00."],
            ),
            // Touching spans are fine.
            (monday("09:00", "14:00", Some(("14:00", "18:00"))), &[]),
        ];
        for (form, expected) in table {
            assert_eq!(messages(&form), expected, "{:?}", form.day(Day::Mon));
        }

        // The overlap is marked on the later span, whatever the order typed.
        let form = monday("13:00", "18:00", Some(("09:00", "14:00")));
        let ids: Vec<u32> = form.day(Day::Mon).spans.iter().map(|s| s.id).collect();
        let problems = form.problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].is_about_span(Day::Mon, ids[0]));
        assert!(problems[0].is_about_day(Day::Mon) && !problems[0].is_about_day(Day::Tue));

        // A closed day's hours are not checked; "Always open" has nothing to check.
        let mut form = monday("18:00", "09:00", None);
        form.set_open(Day::Mon, false);
        assert_eq!(messages(&form), Vec::<String>::new());
        let mut form = monday("18:00", "09:00", None);
        form.mode = Mode::AlwaysOpen;
        assert_eq!(form.to_hours(), Ok(None));

        // The time zone.
        let mut form = monday("09:00", "18:00", None);
        form.time_zone = "  ".into();
        assert_eq!(form.problems()[0].at, Where::TimeZone);
        assert_eq!(messages(&form), ["Type a time zone, e.g. Europe/Madrid."]);
        form.time_zone = "Mars/Olympus".into();
        assert_eq!(
            messages(&form),
            ["“Mars/Olympus” is not a time zone; use a name such as Europe/Madrid."]
        );
        form.time_zone = " America/Mexico_City ".into();
        assert_eq!(
            form.to_hours().unwrap().unwrap().time_zone.name(),
            "America/Mexico_City"
        );
    }

    #[test]
    fn holidays_are_added_in_date_order_once() {
        let mut form = HoursForm::new(None, "UTC");
        assert_eq!(form.add_holiday("2026-12-25", " Navidad "), Ok(()));
        assert_eq!(form.add_holiday("2026-01-06", "Reyes"), Ok(()));
        assert_eq!(form.add_holiday("2026-05-01", ""), Ok(()));
        assert_eq!(
            form.add_holiday("2026-12-25", "Otra"),
            Err("2026-12-25 is already a holiday (Navidad).".to_owned())
        );
        assert_eq!(
            form.add_holiday("2026-05-01", "x"),
            Err("2026-05-01 is already a holiday.".to_owned())
        );
        assert_eq!(
            form.add_holiday("", "Sin fecha"),
            Err("Pick the holiday's date first.".to_owned())
        );
        for bad in ["2026-02-30", "25/12/2026", "2026-1-5", "mañana"] {
            assert_eq!(
                form.add_holiday(bad, ""),
                Err(format!("“{bad}” is not a date (YYYY-MM-DD).")),
                "{bad}"
            );
        }
        let dates: Vec<&str> = form.holidays.iter().map(|h| h.date.as_str()).collect();
        assert_eq!(dates, ["2026-01-06", "2026-05-01", "2026-12-25"]);
        assert_eq!(form.holidays[2].name, "Navidad");

        form.remove_holiday("2026-05-01");
        form.mode = Mode::Schedule;
        assert_eq!(
            serde_json::to_value(form.to_hours().unwrap().unwrap().holidays).unwrap(),
            json!([
                {"date": "2026-01-06", "name": "Reyes"},
                {"date": "2026-12-25", "name": "Navidad"}
            ])
        );
    }

    #[test]
    fn the_status_line_and_the_problems_in_spanish() {
        let week = madrid_week();
        let zone = week.time_zone;
        let es = &crate::settings::i18n::ES;
        assert_eq!(
            status_in(es, Some(&week), &zone, madrid(0, 10, 0)),
            "Abierto ahora · cierra 14:00"
        );
        assert_eq!(
            status_in(es, Some(&week), &zone, madrid(0, 19, 0)),
            "Cerrado ahora · abre mar 09:00"
        );
        assert_eq!(
            status_in(es, None, &zone, madrid(0, 19, 0)),
            "Abierto ahora · siempre abierto"
        );
        assert!(open_now(None, &zone, 0));
        assert!(!open_now(Some(&week), &zone, madrid(0, 19, 0)));
        assert_eq!(
            es.on_day(Day::Mon, &es.not_a_time("9am")),
            "Lunes: «9am» no es una hora (HH:MM)."
        );
    }

    #[test]
    fn the_status_line_says_what_the_hours_mean_now() {
        let week = madrid_week();
        let table = [
            (madrid(0, 10, 0), "Open now · closes 14:00"),
            (madrid(0, 14, 30), "Closed now · opens 15:00"),
            (madrid(0, 19, 0), "Closed now · opens Tue 09:00"),
            (madrid(0, 8, 59), "Closed now · opens 09:00"),
            (madrid(4, 16, 0), "Closed now · opens Sat 22:00"),
            // Saturday night runs into Sunday's 00:00–02:00.
            (madrid(5, 23, 0), "Open now · closes Sun 02:00"),
            (madrid(-1, 3, 0), "Closed now · opens Mon 09:00"),
            (
                CHRISTMAS_MADRID + 10 * 60 * MINUTE,
                "Closed today (holiday: Navidad) · opens Thu 09:00",
            ),
        ];
        for (now, expected) in table {
            assert_eq!(status(Some(&week), now), expected, "{now}");
        }

        let mut no_sunday = week.clone();
        no_sunday.week.remove(&Day::Sun);
        assert_eq!(
            status(Some(&no_sunday), madrid(5, 23, 0)),
            "Open now · closes at midnight"
        );

        assert_eq!(status(None, madrid(0, 3, 0)), "Open now · always open");
        assert_eq!(
            status(Some(&BusinessHours::default()), madrid(0, 3, 0)),
            "Closed now · no opening hours in the coming year"
        );
        let all_day = json!([{"from": "00:00", "to": "24:00"}]);
        let always = hours(json!({"week": {
            "mon": all_day, "tue": all_day, "wed": all_day, "thu": all_day,
            "fri": all_day, "sat": all_day, "sun": all_day
        }}));
        assert_eq!(
            status(Some(&always), madrid(2, 12, 0)),
            "Open now · open around the clock"
        );

        // Mondays only, and Monday 1 April a holiday with no name: a week later, by date.
        let mondays = hours(json!({
            "time_zone": "Europe/Madrid",
            "week": {"mon": [{"from": "09:00", "to": "18:00"}]},
            "holidays": [{"date": "2024-04-01"}]
        }));
        assert_eq!(
            status(Some(&mondays), madrid(1, 12, 0)),
            "Closed now · opens 2024-04-08 09:00"
        );
        assert_eq!(
            status(Some(&mondays), madrid(7, 12, 0) - 60 * MINUTE),
            "Closed today (holiday) · opens 2024-04-08 09:00"
        );
    }

    #[test]
    fn the_status_line_reads_the_clock_in_the_schedules_time_zone() {
        // Monday 09:30 in Madrid is 08:30 in UTC.
        let now = madrid(0, 9, 30);
        let nine_to_six = |zone: &str| {
            hours(json!({"time_zone": zone, "week": {"mon": [{"from": "09:00", "to": "18:00"}]}}))
        };
        assert_eq!(
            status(Some(&nine_to_six("Europe/Madrid")), now),
            "Open now · closes 18:00"
        );
        assert_eq!(
            status(Some(&nine_to_six("UTC")), now),
            "Closed now · opens 09:00"
        );
        // Late Monday night in Madrid is still Monday afternoon in Mexico City.
        let late = madrid(0, 23, 30);
        assert_eq!(
            status(Some(&nine_to_six("America/Mexico_City")), late),
            "Open now · closes 18:00"
        );
        assert_eq!(
            status(Some(&nine_to_six("Europe/Madrid")), late),
            "Closed now · opens 2024-04-01 09:00",
            "a week away: by date, not \"Mon\""
        );
    }
}

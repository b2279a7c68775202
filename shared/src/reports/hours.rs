//! Business hours: a weekly schedule in the workspace's time zone, and how much of a span
//! falls inside it.
//!
//! A conversation opened at 18:55 on Friday and answered at 09:05 on Monday waited 62 hours
//! by the clock but 10 minutes of a 09:00–19:00 week; managers judge agents by the second.
//! Holidays are not modelled: a team closed on a public holiday shows that day as open.

use chrono::{Datelike, NaiveTime};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::time::{local_date, local_instant, parse_time_zone};
use super::ReportError;
use crate::protocol::Millis;

/// Most opening windows a week may have (e.g. two per day with a lunch break, and spare).
pub const MAX_WINDOWS: usize = 28;
const MINUTES_PER_DAY: u16 = 24 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl From<chrono::Weekday> for Weekday {
    fn from(d: chrono::Weekday) -> Self {
        match d {
            chrono::Weekday::Mon => Weekday::Mon,
            chrono::Weekday::Tue => Weekday::Tue,
            chrono::Weekday::Wed => Weekday::Wed,
            chrono::Weekday::Thu => Weekday::Thu,
            chrono::Weekday::Fri => Weekday::Fri,
            chrono::Weekday::Sat => Weekday::Sat,
            chrono::Weekday::Sun => Weekday::Sun,
        }
    }
}

/// Open on `day` from `start` to `end`, in minutes after local midnight (`end` up to 1440,
/// the next midnight). Minutes rather than "HH:MM" so the inbox's time pickers and the maths
/// share one unambiguous number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub day: Weekday,
    pub start: u16,
    pub end: u16,
}

/// The hours a workspace answers, as wall-clock times: 09:00 stays 09:00 across clock changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklySchedule {
    pub windows: Vec<Window>,
}

impl WeeklySchedule {
    /// Windows must be non-empty, within the day and not overlap: an overlap would count the
    /// same minute twice.
    pub fn validate(&self) -> Result<(), ReportError> {
        if self.windows.len() > MAX_WINDOWS {
            return Err(ReportError::BadSchedule(format!(
                "at most {MAX_WINDOWS} windows"
            )));
        }
        let mut sorted = self.windows.clone();
        sorted.sort_by_key(|w| (w.day, w.start));
        for (i, w) in sorted.iter().enumerate() {
            if w.start >= w.end || w.end > MINUTES_PER_DAY {
                return Err(ReportError::BadSchedule(format!(
                    "a window must start before it ends, within the day ({:?} {}–{})",
                    w.day, w.start, w.end
                )));
            }
            if let Some(prev) = i.checked_sub(1).map(|j| sorted[j]) {
                if prev.day == w.day && prev.end > w.start {
                    return Err(ReportError::BadSchedule(format!(
                        "windows overlap on {:?}",
                        w.day
                    )));
                }
            }
        }
        Ok(())
    }
}

/// How much of a span fell within opening hours. A trait so reports take any schedule: this
/// module's [`WeeklyHours`], or a workspace schedule with holidays that implements it.
pub trait OpenHours {
    /// Milliseconds of `[from, to)` inside opening hours; 0 if `to <= from`.
    fn open_millis_between(&self, from: Millis, to: Millis) -> Millis;
}

/// A validated schedule with the time zone its wall times are in.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyHours {
    week: WeeklySchedule,
    tz: Tz,
}

impl WeeklyHours {
    pub fn new(week: WeeklySchedule, time_zone: &str) -> Result<Self, ReportError> {
        week.validate()?;
        Ok(WeeklyHours {
            week,
            tz: parse_time_zone(time_zone)?,
        })
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }
}

impl OpenHours for WeeklyHours {
    fn open_millis_between(&self, from: Millis, to: Millis) -> Millis {
        if to <= from || self.week.windows.is_empty() {
            return 0;
        }
        // Windows are at most a day long, so the day before `from` cannot reach into the span
        // and the local dates of the two ends bound every window that can.
        let mut date = local_date(from, self.tz);
        let last = local_date(to, self.tz);
        let mut total: Millis = 0;
        while date <= last {
            let weekday = Weekday::from(date.weekday());
            for w in self.week.windows.iter().filter(|w| w.day == weekday) {
                let start = local_instant(at_minute(date, w.start), self.tz, true);
                let end = local_instant(at_minute(date, w.end), self.tz, false);
                total += (end.min(to) - start.max(from)).max(0);
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        total
    }
}

fn at_minute(date: chrono::NaiveDate, minute: u16) -> chrono::NaiveDateTime {
    date.and_time(NaiveTime::MIN) + chrono::TimeDelta::minutes(minute.into())
}

//! Medians and 90th percentiles, nearest-rank.
//!
//! Nearest-rank: sort the `n` values ascending; the p-th percentile is the value at 1-based
//! rank `ceil(p * n / 100)`. It is always a figure that really happened (no interpolated
//! "4.5 minutes" nobody waited), and it is one `ROW_NUMBER()` comparison in SQL, so the
//! in-memory and SQLite paths agree to the millisecond. The median of an even count is
//! therefore the lower of the two middle values.

use serde::{Deserialize, Serialize};

pub const MEDIAN: u8 = 50;
pub const P90: u8 = 90;

/// 1-based nearest rank of percentile `pct` (1..=100) among `n > 0` values.
pub fn nearest_rank(n: u64, pct: u8) -> u64 {
    let pct = u64::from(pct.clamp(1, 100));
    (pct * n).div_ceil(100).max(1)
}

/// `pct` of ascending `sorted`, `None` when empty.
pub fn percentile(sorted: &[i64], pct: u8) -> Option<i64> {
    let n = u64::try_from(sorted.len()).ok().filter(|&n| n > 0)?;
    let rank = usize::try_from(nearest_rank(n, pct)).ok()?;
    sorted.get(rank - 1).copied()
}

/// Median and p90 of the values a metric has; periods without one (no response yet, never
/// assigned) are left out and `count` says how many were in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    pub count: u64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

impl Distribution {
    pub fn of(values: impl IntoIterator<Item = Option<i64>>) -> Self {
        let mut sorted: Vec<i64> = values.into_iter().flatten().collect();
        sorted.sort_unstable();
        Distribution {
            count: sorted.len() as u64,
            median: percentile(&sorted, MEDIAN),
            p90: percentile(&sorted, P90),
        }
    }
}

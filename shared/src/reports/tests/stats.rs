use crate::reports::stats::{nearest_rank, percentile, MEDIAN, P90};
use crate::reports::Distribution;

#[test]
fn nearest_ranks() {
    // (n, pct, rank): rank = ceil(pct * n / 100), at least 1.
    let cases = [
        (1, MEDIAN, 1),
        (1, P90, 1),
        (2, MEDIAN, 1),
        (2, P90, 2),
        (3, MEDIAN, 2),
        (4, MEDIAN, 2),
        (10, P90, 9),
        (11, P90, 10),
        (100, P90, 90),
        (101, MEDIAN, 51),
        (5, 0, 1),
        (5, 100, 5),
    ];
    for (n, pct, rank) in cases {
        assert_eq!(nearest_rank(n, pct), rank, "n={n} p={pct}");
    }
}

#[test]
fn percentiles_are_values_that_happened() {
    let ten: Vec<i64> = (1..=10).map(|v| v * 100).collect();
    assert_eq!(percentile(&ten, MEDIAN), Some(500), "lower middle, not 550");
    assert_eq!(percentile(&ten, P90), Some(900));
    assert_eq!(percentile(&[], MEDIAN), None);
    assert_eq!(percentile(&[7], P90), Some(7));
}

#[test]
fn distributions_ignore_missing_values() {
    let cases: Vec<(Vec<Option<i64>>, Distribution)> = vec![
        (vec![], Distribution::default()),
        (vec![None, None], Distribution::default()),
        (
            vec![Some(30), None, Some(10), Some(20)],
            Distribution {
                count: 3,
                median: Some(20),
                p90: Some(30),
            },
        ),
        (
            vec![Some(5)],
            Distribution {
                count: 1,
                median: Some(5),
                p90: Some(5),
            },
        ),
    ];
    for (values, want) in cases {
        assert_eq!(Distribution::of(values.clone()), want, "{values:?}");
    }
}

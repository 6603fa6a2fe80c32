//! Timings in integer microseconds: percentiles, rates and ratios without floating point
//! (the workspace denies float arithmetic; these are timings, not money, but integers are
//! exact enough and keep one rule for the whole codebase).

use std::time::Duration;

/// The nearest-rank percentile `p` (1 to 100) of some timings.
pub fn percentile(timings: &[Duration], p: usize) -> Duration {
    let mut sorted = timings.to_vec();
    sorted.sort_unstable();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

/// Rows per second, rounded down.
pub fn rows_per_second(rows: u64, took: Duration) -> u64 {
    let micros = took.as_micros().max(1);
    u64::try_from(u128::from(rows) * 1_000_000 / micros).unwrap_or(u64::MAX)
}

/// `rate / ceiling` in hundredths, rounded half up.
pub fn ratio_hundredths(rate: u64, ceiling: u64) -> u64 {
    if ceiling == 0 {
        return 0;
    }
    let scaled = u128::from(rate) * 200 / u128::from(ceiling);
    u64::try_from(scaled.div_ceil(2)).unwrap_or(u64::MAX)
}

/// Hundredths as a decimal: 25 -> "0.25".
pub fn hundredths_text(hundredths: u64) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// 1234567 -> "1,234,567" (the domain's grouping, as money is shown).
pub fn thousands(n: u64) -> String {
    portal_domain::format::group_thousands(&n.to_string())
}

/// Milliseconds with one decimal: "12.3 ms", "1,234.5 ms".
pub fn ms_text(took: Duration) -> String {
    let tenths = u64::try_from(took.as_micros() / 100).unwrap_or(u64::MAX);
    format!("{}.{} ms", thousands(tenths / 10), tenths % 10)
}

/// Seconds with one decimal, for the long steps of setting up.
pub fn seconds_text(took: Duration) -> String {
    let tenths = took.as_millis() / 100;
    format!("{}.{} s", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let timings: Vec<Duration> = (1..=100).rev().map(ms).collect();
        assert_eq!(percentile(&timings, 50), ms(50));
        assert_eq!(percentile(&timings, 99), ms(99));
        assert_eq!(percentile(&[ms(7)], 99), ms(7));
        assert_eq!(percentile(&[], 50), Duration::ZERO);
        // Of 320 samples, p99 is the 317th smallest: three are slower.
        let timings: Vec<Duration> = (1..=320).map(ms).collect();
        assert_eq!(percentile(&timings, 99), ms(317));
    }

    #[test]
    fn rates_and_ratios() {
        assert_eq!(rows_per_second(10_000, ms(500)), 20_000);
        assert_eq!(ratio_hundredths(25, 100), 25);
        assert_eq!(ratio_hundredths(1, 3), 33);
        assert_eq!(ratio_hundredths(2, 3), 67);
        assert_eq!(hundredths_text(5), "0.05");
        assert_eq!(hundredths_text(125), "1.25");
    }

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(ms_text(Duration::from_micros(12_345)), "12.3 ms");
        assert_eq!(ms_text(Duration::from_micros(1_234_567)), "1,234.5 ms");
        assert_eq!(seconds_text(ms(61_250)), "61.2 s");
    }
}

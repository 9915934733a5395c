//! A budget of calls for an account's watch: `2000/day`, `10000/month`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// The span a budget covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A day.
    Day,
    /// A month, counted as 30 days when pacing calls.
    Month,
}

impl Period {
    /// Its length.
    pub fn length(self) -> Duration {
        match self {
            Period::Day => Duration::from_secs(86_400),
            Period::Month => Duration::from_secs(30 * 86_400),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Month => "month",
        }
    }
}

/// At most `calls` calls each `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Budget {
    /// Calls allowed in a period.
    pub calls: u64,
    /// The period.
    pub period: Period,
}

impl Budget {
    /// At most `calls` calls a day.
    pub fn per_day(calls: u64) -> Self {
        Self { calls, period: Period::Day }
    }

    /// At most `calls` calls a month.
    pub fn per_month(calls: u64) -> Self {
        Self { calls, period: Period::Month }
    }

    /// Calls it allows a day (a month's budget spread over 30 days).
    pub fn calls_per_day(&self) -> f64 {
        self.calls as f64 * 86_400.0 / self.period.length().as_secs_f64()
    }

    /// The time `calls` calls take to earn at this budget's pace.
    pub fn time_for(&self, calls: u64) -> Duration {
        if self.calls == 0 {
            return Duration::MAX;
        }
        self.period.length().mul_f64(calls as f64 / self.calls as f64)
    }
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.calls, self.period.name())
    }
}

impl FromStr for Budget {
    type Err = String;

    /// `N/day` or `N/month` (`d` and `m` will do).
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not a budget: expected N/day or N/month, e.g. 2000/day");
        let (calls, period) = s.trim().split_once('/').ok_or_else(bad)?;
        let calls: u64 = calls.trim().replace('_', "").parse().map_err(|_| bad())?;
        let period = match period.trim().to_ascii_lowercase().as_str() {
            "day" | "d" => Period::Day,
            "month" | "m" => Period::Month,
            _ => return Err(bad()),
        };
        if calls == 0 {
            return Err(format!("{s:?}: a budget of no calls would never poll"));
        }
        Ok(Self { calls, period })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_parse_and_pace() {
        let b: Budget = "2000/day".parse().unwrap();
        assert_eq!(b, Budget::per_day(2000));
        assert_eq!(b.to_string(), "2000/day");
        // 2000 a day is one call every 43.2 s.
        assert_eq!(b.time_for(1), Duration::from_millis(43_200));
        let m: Budget = "10_000/month".parse().unwrap();
        assert_eq!(m, Budget::per_month(10_000));
        assert!((m.calls_per_day() - 333.333).abs() < 0.01);
        for bad in ["2000", "x/day", "2000/week", "0/day", ""] {
            assert!(bad.parse::<Budget>().is_err(), "{bad}");
        }
    }
}

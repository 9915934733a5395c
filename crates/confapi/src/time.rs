//! Vendors give times as epoch seconds, epoch milliseconds or local-time
//! strings; the model has one timestamp type.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use confapi_core::NumberOrString;

/// Epoch seconds or milliseconds (told apart by size); `None` for 0 or
/// less, which vendors use for "not yet".
pub fn from_epoch(n: i64) -> Option<DateTime<Utc>> {
    // 10^11 seconds is the year 5138; 10^11 milliseconds is 1973.
    match n {
        ..=0 => None,
        1..100_000_000_000 => DateTime::from_timestamp(n, 0),
        _ => DateTime::from_timestamp_millis(n),
    }
}

/// A time sent in any of the vendors' forms: epoch seconds or milliseconds
/// (as a number or a string of digits), or a China-local
/// `"yyyy-MM-dd HH:mm:ss"` string. `None` when it is none of these, or
/// "not yet" (0).
pub fn from_any(v: &NumberOrString) -> Option<DateTime<Utc>> {
    match v.as_i64() {
        Some(n) => from_epoch(n),
        None => from_china_local(v.as_str()),
    }
}

/// `"2024-05-14 10:00:00"` in China Standard Time (UTC+8), the zone of the
/// vendors' formatted strings.
pub fn from_china_local(s: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S").ok()?;
    let cst = FixedOffset::east_opt(8 * 3600)?;
    cst.from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn seconds_milliseconds_and_strings_agree() {
        let a = from_epoch(1715652000).unwrap();
        let b = from_epoch(1715652000000).unwrap();
        let c = from_china_local("2024-05-14 10:00:00").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a.to_rfc3339(), "2024-05-14T02:00:00+00:00");
        assert_eq!(from_epoch(0), None);
        assert_eq!(from_china_local("soon"), None);
    }

    #[test]
    fn any_form_of_a_time_is_read() {
        let expected = from_epoch(1715652000);
        for raw in [
            json!(1715652000),
            json!("1715652000"),
            json!(1715652000000_i64),
            json!("1715652000000"),
            json!("2024-05-14 10:00:00"),
        ] {
            let v: NumberOrString = serde_json::from_value(raw.clone()).unwrap();
            assert_eq!(from_any(&v), expected, "{raw}");
        }
        for raw in [json!(0), json!("0"), json!(""), json!("tomorrow")] {
            let v: NumberOrString = serde_json::from_value(raw.clone()).unwrap();
            assert_eq!(from_any(&v), None, "{raw}");
        }
    }
}

//! Scalars that vendors send sometimes as a JSON number, sometimes as a string.
//!
//! Both types remember which form arrived, so re-encoding reproduces the
//! server's JSON exactly (the audit relies on that to prove nothing was lost).

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An identifier-like value (room number, caller number, id) sent as number
/// or string. The text is kept verbatim: `"0800"` stays `0800`.
///
/// ```
/// use confapi_base::NumberOrString;
/// let quoted: NumberOrString = serde_json::from_str(r#""0800""#).unwrap();
/// let bare: NumberOrString = serde_json::from_str("8000").unwrap();
/// assert_eq!(quoted.as_str(), "0800");
/// assert_eq!(bare.as_i64(), Some(8000));
/// assert_eq!(serde_json::to_string(&bare).unwrap(), "8000");
/// ```
#[derive(Clone, PartialOrd, Ord)]
pub struct NumberOrString {
    text: String,
    quoted: bool,
}

impl NumberOrString {
    /// The value as the server wrote it, without quotes.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the server sent a JSON string (`true`) or a JSON number.
    pub fn was_string(&self) -> bool {
        self.quoted
    }

    /// The value as an integer, when its text is one.
    pub fn as_i64(&self) -> Option<i64> {
        self.text.parse().ok()
    }
}

/// `PartialEq`, `Eq` and `Hash` by one field: the value, not how it was sent.
macro_rules! equal_by {
    ($type:ty, $field:ident) => {
        impl PartialEq for $type {
            fn eq(&self, other: &Self) -> bool {
                self.$field == other.$field
            }
        }
        impl Eq for $type {}
        impl std::hash::Hash for $type {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.$field.hash(state);
            }
        }
    };
}

// Equal by value: `"0800"` sent quoted or bare is the same number text.
equal_by!(NumberOrString, text);
impl PartialEq<str> for NumberOrString {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}
impl PartialEq<&str> for NumberOrString {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}
impl PartialEq<i64> for NumberOrString {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl From<&str> for NumberOrString {
    fn from(text: &str) -> Self {
        Self { text: text.to_owned(), quoted: true }
    }
}

impl From<String> for NumberOrString {
    fn from(text: String) -> Self {
        Self { text, quoted: true }
    }
}

impl From<i64> for NumberOrString {
    fn from(n: i64) -> Self {
        Self { text: n.to_string(), quoted: false }
    }
}

impl fmt::Display for NumberOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for NumberOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quoted {
            write!(f, "{:?}", self.text)
        } else {
            f.write_str(&self.text)
        }
    }
}

impl Serialize for NumberOrString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.quoted, serde_json::Number::from_str(&self.text)) {
            (false, Ok(n)) => n.serialize(serializer),
            _ => serializer.serialize_str(&self.text),
        }
    }
}

impl<'de> Deserialize<'de> for NumberOrString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NumberOrString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(NumberOrString { text: v.to_owned(), quoted: true })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(NumberOrString { text: v.to_string(), quoted: false })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(NumberOrString { text: v.to_string(), quoted: false })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(NumberOrString { text: v.to_string(), quoted: false })
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// An integer quantity (count, timestamp, code) sent as number or as a
/// string of digits. Re-encodes in the form it arrived in.
///
/// ```
/// use confapi_base::LenientInt;
/// let a: LenientInt = serde_json::from_str(r#""1700000000""#).unwrap();
/// let b: LenientInt = serde_json::from_str("1700000000").unwrap();
/// assert_eq!(a.get(), b.get());
/// assert_eq!(serde_json::to_string(&a).unwrap(), r#""1700000000""#);
/// assert!(serde_json::from_str::<LenientInt>(r#""12a""#).is_err());
/// ```
#[derive(Clone, Copy)]
pub struct LenientInt {
    value: i64,
    quoted: bool,
}

impl LenientInt {
    /// The integer value.
    pub fn get(self) -> i64 {
        self.value
    }

    /// Whether the server sent it as a JSON string.
    pub fn was_string(self) -> bool {
        self.quoted
    }
}

// Equal and ordered by value, however the server wrote it.
equal_by!(LenientInt, value);
impl PartialOrd for LenientInt {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for LenientInt {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}
impl PartialEq<i64> for LenientInt {
    fn eq(&self, other: &i64) -> bool {
        self.value == *other
    }
}
impl PartialEq<LenientInt> for i64 {
    fn eq(&self, other: &LenientInt) -> bool {
        *self == other.value
    }
}

impl From<i64> for LenientInt {
    fn from(value: i64) -> Self {
        Self { value, quoted: false }
    }
}

impl fmt::Display for LenientInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value)
    }
}

impl fmt::Debug for LenientInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quoted {
            write!(f, "\"{}\"", self.value)
        } else {
            write!(f, "{}", self.value)
        }
    }
}

impl Serialize for LenientInt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.quoted {
            serializer.collect_str(&self.value)
        } else {
            serializer.serialize_i64(self.value)
        }
    }
}

impl<'de> Deserialize<'de> for LenientInt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = LenientInt;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, as a number or a string of digits")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                v.parse()
                    .map(|value| LenientInt { value, quoted: true })
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Ok(LenientInt { value, quoted: false })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .map(|value| LenientInt { value, quoted: false })
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A flag sent as a JSON boolean or as the string `"true"`/`"false"`.
/// Re-encodes in the form it arrived in.
///
/// ```
/// use confapi_base::LenientBool;
/// let a: LenientBool = serde_json::from_str(r#""true""#).unwrap();
/// assert!(a.get());
/// assert_eq!(serde_json::to_string(&a).unwrap(), r#""true""#);
/// ```
#[derive(Clone, Copy)]
pub struct LenientBool {
    value: bool,
    quoted: bool,
}

impl LenientBool {
    /// The flag.
    pub fn get(self) -> bool {
        self.value
    }
}

// Equal by value, however the server wrote it.
equal_by!(LenientBool, value);
impl PartialEq<bool> for LenientBool {
    fn eq(&self, other: &bool) -> bool {
        self.value == *other
    }
}

impl From<bool> for LenientBool {
    fn from(value: bool) -> Self {
        Self { value, quoted: false }
    }
}

impl fmt::Debug for LenientBool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quoted {
            write!(f, "\"{}\"", self.value)
        } else {
            write!(f, "{}", self.value)
        }
    }
}

impl Serialize for LenientBool {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.quoted {
            serializer.serialize_str(if self.value { "true" } else { "false" })
        } else {
            serializer.serialize_bool(self.value)
        }
    }
}

impl<'de> Deserialize<'de> for LenientBool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = LenientBool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean, or the string \"true\" or \"false\"")
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
                Ok(LenientBool { value, quoted: false })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                match v {
                    "true" => Ok(LenientBool { value: true, quoted: true }),
                    "false" => Ok(LenientBool { value: false, quoted: true }),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_compare_with_plain_values_however_they_were_sent() {
        let quoted: LenientInt = serde_json::from_str(r#""2""#).unwrap();
        let bare: LenientInt = serde_json::from_str("2").unwrap();
        assert!(quoted == bare && quoted == 2 && 2 == bare);
        assert!(quoted < LenientInt::from(3));
        let text: NumberOrString = serde_json::from_str(r#""8000""#).unwrap();
        let number: NumberOrString = serde_json::from_str("8000").unwrap();
        assert!(text == number && text == "8000" && number == 8000);
        let flag: LenientBool = serde_json::from_str(r#""true""#).unwrap();
        assert!(flag == true && flag == LenientBool::from(true));
    }
    use serde_json::json;

    #[test]
    fn number_or_string_keeps_leading_zeros_and_form() {
        let v: NumberOrString = serde_json::from_value(json!("0800")).unwrap();
        assert_eq!(v.as_str(), "0800");
        assert_eq!(serde_json::to_value(&v).unwrap(), json!("0800"));
        let n: NumberOrString = serde_json::from_value(json!(1001)).unwrap();
        assert_eq!(serde_json::to_value(&n).unwrap(), json!(1001));
        assert!(!n.was_string());
        assert!(serde_json::from_value::<NumberOrString>(json!(null)).is_err());
        assert!(serde_json::from_value::<NumberOrString>(json!([1])).is_err());
    }

    #[test]
    fn lenient_int_round_trips_both_forms() {
        for raw in [json!("42"), json!(42), json!(-7)] {
            let v: LenientInt = serde_json::from_value(raw.clone()).unwrap();
            assert_eq!(serde_json::to_value(v).unwrap(), raw);
        }
        assert!(serde_json::from_value::<LenientInt>(json!(u64::MAX)).is_err());
        assert!(serde_json::from_value::<LenientInt>(json!("4.5")).is_err());
        assert!(serde_json::from_value::<LenientInt>(json!(4.5)).is_err());
    }
}

//! Integer codes with documented meanings (a conference's status 0/1/2) as
//! an open set: the documented ones have names and docs, any other value
//! stays readable, and the number round-trips as the server wrote it.

use crate::LenientInt;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The documented values of one code field, generated from the spec's
/// `x-confapi-codes` as an enum with a variant per code.
pub trait Code: Copy + fmt::Debug + PartialEq {
    /// The variant for `code`, if the spec documents it.
    fn from_code(code: i64) -> Option<Self>;
    /// The code of this variant.
    fn code(self) -> i64;
}

/// A code field: [`known`](Self::known) is its documented meaning,
/// [`get`](Self::get) the number whatever it is.
///
/// ```
/// use confapi_base::{Code, OpenCode};
/// #[derive(Debug, Clone, Copy, PartialEq)]
/// enum Status { Ended, Started }
/// impl Code for Status {
///     fn from_code(c: i64) -> Option<Self> { match c { 1 => Some(Status::Ended), 2 => Some(Status::Started), _ => None } }
///     fn code(self) -> i64 { match self { Status::Ended => 1, Status::Started => 2 } }
/// }
/// let started: OpenCode<Status> = serde_json::from_str(r#""2""#).unwrap();
/// assert!(started == Status::Started && started == 2);
/// let new: OpenCode<Status> = serde_json::from_str("7").unwrap();
/// assert_eq!((new.known(), new.get()), (None, 7));
/// ```
#[derive(Clone, Copy)]
pub struct OpenCode<K> {
    value: LenientInt,
    known: Option<K>,
}

impl<K: Code> OpenCode<K> {
    /// The documented meaning, if the value is one the spec lists.
    pub fn known(&self) -> Option<K> {
        self.known
    }

    /// The number as sent.
    pub fn get(&self) -> i64 {
        self.value.get()
    }
}

impl<K: Code> From<K> for OpenCode<K> {
    fn from(known: K) -> Self {
        Self { value: LenientInt::from(known.code()), known: Some(known) }
    }
}

impl<K: Code> From<i64> for OpenCode<K> {
    fn from(code: i64) -> Self {
        Self { value: LenientInt::from(code), known: K::from_code(code) }
    }
}

impl<K> PartialEq for OpenCode<K> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<K> Eq for OpenCode<K> {}

impl<K: Code> PartialEq<K> for OpenCode<K> {
    fn eq(&self, other: &K) -> bool {
        self.known == Some(*other)
    }
}

impl<K> PartialEq<i64> for OpenCode<K> {
    fn eq(&self, other: &i64) -> bool {
        self.value == *other
    }
}

impl<K: fmt::Debug> fmt::Debug for OpenCode<K> {
    /// `Started (2)`, or `7` for an undocumented value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.known {
            Some(k) => write!(f, "{k:?} ({})", self.value),
            None => write!(f, "{}", self.value),
        }
    }
}

impl<K> fmt::Display for OpenCode<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value, f)
    }
}

impl<K> Serialize for OpenCode<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<'de, K: Code> Deserialize<'de> for OpenCode<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = LenientInt::deserialize(deserializer)?;
        Ok(Self { value, known: K::from_code(value.get()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Status {
        Ended,
        Started,
    }
    impl Code for Status {
        fn from_code(code: i64) -> Option<Self> {
            match code {
                1 => Some(Status::Ended),
                2 => Some(Status::Started),
                _ => None,
            }
        }
        fn code(self) -> i64 {
            match self {
                Status::Ended => 1,
                Status::Started => 2,
            }
        }
    }

    #[test]
    fn codes_round_trip_as_sent_and_unknown_ones_stay_readable() {
        for text in ["2", r#""2""#, "7", r#""7""#] {
            let code: OpenCode<Status> = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&code).unwrap(), text);
        }
        let unknown: OpenCode<Status> = serde_json::from_str("7").unwrap();
        assert_eq!(format!("{unknown:?}"), "7");
        let started: OpenCode<Status> = serde_json::from_str(r#""2""#).unwrap();
        assert_eq!(format!("{started:?}"), "Started (2)");
        assert!(started == Status::Started && started != Status::Ended && started == 2);
        assert!(started == OpenCode::from(Status::Started));
        assert!(serde_json::from_str::<OpenCode<Status>>(r#""x""#).is_err());
    }
}

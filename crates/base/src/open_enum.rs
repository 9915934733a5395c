//! Enums that keep values the vendor adds after we wrote the spec.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A documented set of string values `K`, open to values not yet documented.
///
/// A closed enum fails the whole call when a vendor adds a value; this one
/// keeps it as [`OpenEnum::Unknown`] and re-encodes it unchanged.
///
/// ```
/// use confapi_base::OpenEnum;
/// # #[derive(Debug, Clone, Copy, PartialEq)] enum Color { Red }
/// # impl std::str::FromStr for Color { type Err = (); fn from_str(s: &str) -> Result<Self, ()> { (s == "red").then_some(Color::Red).ok_or(()) } }
/// # impl std::fmt::Display for Color { fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { f.write_str("red") } }
/// let known: OpenEnum<Color> = serde_json::from_str(r#""red""#).unwrap();
/// let new: OpenEnum<Color> = serde_json::from_str(r#""teal""#).unwrap();
/// assert_eq!(known.known(), Some(&Color::Red));
/// assert_eq!(new.as_str(), "teal");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum OpenEnum<K> {
    /// A documented value.
    Known(K),
    /// A value the spec does not list, exactly as received.
    Unknown(String),
}

impl<K> OpenEnum<K> {
    /// The documented value, if this is one.
    pub fn known(&self) -> Option<&K> {
        match self {
            OpenEnum::Known(k) => Some(k),
            OpenEnum::Unknown(_) => None,
        }
    }
}

impl<K: fmt::Display> OpenEnum<K> {
    /// The wire text of the value.
    pub fn as_str(&self) -> std::borrow::Cow<'_, str> {
        match self {
            OpenEnum::Known(k) => k.to_string().into(),
            OpenEnum::Unknown(s) => s.as_str().into(),
        }
    }
}

/// `status == ResultStatusKnown::Success` reads as it should.
impl<K: PartialEq> PartialEq<K> for OpenEnum<K> {
    fn eq(&self, other: &K) -> bool {
        matches!(self, OpenEnum::Known(k) if k == other)
    }
}

impl<K: FromStr> From<&str> for OpenEnum<K> {
    fn from(s: &str) -> Self {
        match K::from_str(s) {
            Ok(k) => OpenEnum::Known(k),
            Err(_) => OpenEnum::Unknown(s.to_owned()),
        }
    }
}

impl<K: fmt::Display> fmt::Display for OpenEnum<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenEnum::Known(k) => k.fmt(f),
            OpenEnum::Unknown(s) => f.write_str(s),
        }
    }
}

impl<K: fmt::Debug> fmt::Debug for OpenEnum<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenEnum::Known(k) => k.fmt(f),
            OpenEnum::Unknown(s) => write!(f, "Unknown({s:?})"),
        }
    }
}

impl<K: fmt::Display> Serialize for OpenEnum<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de, K: FromStr> Deserialize<'de> for OpenEnum<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(OpenEnum::from(s.as_str()))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_open_enum_compares_with_a_known_value() {
        #[derive(Debug, PartialEq)]
        enum K {
            A,
            B,
        }
        assert!(OpenEnum::Known(K::A) == K::A);
        assert!(OpenEnum::Known(K::A) != K::B);
        assert!(OpenEnum::<K>::Unknown("A".into()) != K::A);
    }

    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Status {
        Success,
    }
    impl FromStr for Status {
        type Err = ();
        fn from_str(s: &str) -> Result<Self, ()> {
            (s == "Success").then_some(Status::Success).ok_or(())
        }
    }
    impl fmt::Display for Status {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("Success")
        }
    }

    #[test]
    fn unknown_values_are_kept_and_re_encoded() {
        let v: OpenEnum<Status> = serde_json::from_str("\"Paused\"").unwrap();
        assert_eq!(v, OpenEnum::Unknown("Paused".into()));
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"Paused\"");
        let k: OpenEnum<Status> = serde_json::from_str("\"Success\"").unwrap();
        assert_eq!(k.known(), Some(&Status::Success));
        assert_eq!(format!("{v:?}"), "Unknown(\"Paused\")");
    }
}

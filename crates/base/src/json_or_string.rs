//! A payload that arrives either as JSON or as a string holding that JSON.
//!
//! Some vendor tables type a field as a "JSON string" (`json字符串`) while
//! their examples send the JSON itself. [`JsonOrString`] reads both and
//! writes the value back in the form it came in, so a decode followed by an
//! encode reproduces the server's body (the audit relies on that).

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

/// A `T` sent as JSON or as a string containing JSON.
///
/// When it came as a string, encoding it again writes a string: the
/// original text when the decoded value still says the same thing (so the
/// text survives byte for byte), otherwise the value's fresh encoding, which
/// makes any field the decode lost visible as a changed string.
///
/// ```
/// use confapi_base::JsonOrString;
/// type Ids = JsonOrString<Vec<u32>>;
/// let direct: Ids = serde_json::from_str("[1, 2]").unwrap();
/// let quoted: Ids = serde_json::from_str(r#""[1, 2]""#).unwrap();
/// assert_eq!(*direct, *quoted);
/// assert!(quoted.was_string());
/// assert_eq!(serde_json::to_string(&quoted).unwrap(), r#""[1, 2]""#);
/// assert_eq!(serde_json::to_string(&direct).unwrap(), "[1,2]");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct JsonOrString<T> {
    value: T,
    /// The string it came in, when it came as one.
    text: Option<String>,
}

impl<T> JsonOrString<T> {
    /// The decoded value, owned.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Whether the server sent the JSON inside a string.
    pub fn was_string(&self) -> bool {
        self.text.is_some()
    }

    /// The string the server sent, when it sent one.
    pub fn original_text(&self) -> Option<&str> {
        self.text.as_deref()
    }
}

impl<T> JsonOrString<crate::OneOrMany<T>> {
    /// The items of a one-or-many payload, however it was sent.
    pub fn into_vec(self) -> Vec<T> {
        self.value.into_vec()
    }
}

impl<T> Deref for JsonOrString<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> From<T> for JsonOrString<T> {
    fn from(value: T) -> Self {
        Self { value, text: None }
    }
}

impl<T: Serialize> Serialize for JsonOrString<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(text) = &self.text else {
            return self.value.serialize(serializer);
        };
        let fresh = serde_json::to_value(&self.value).map_err(serde::ser::Error::custom)?;
        let same = serde_json::from_str::<Value>(text).is_ok_and(|original| same_json(&original, &fresh));
        if same {
            serializer.serialize_str(text)
        } else {
            serializer.serialize_str(&fresh.to_string())
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for JsonOrString<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Straight into `T` either way: no intermediate `Value`, so the
        // common form costs what `T` alone costs.
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
            type Value = JsonOrString<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value, or a string holding one")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                self.visit_string(text.to_owned())
            }
            fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
                let value = serde_json::from_str(&text)
                    .map_err(|e| E::custom(format!("a string that should hold JSON does not: {e}")))?;
                Ok(JsonOrString { value, text: Some(text) })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(JsonOrString::from)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(JsonOrString::from)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                T::deserialize(de::IntoDeserializer::<E>::into_deserializer(v)).map(JsonOrString::from)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                T::deserialize(de::IntoDeserializer::<E>::into_deserializer(v)).map(JsonOrString::from)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                T::deserialize(de::IntoDeserializer::<E>::into_deserializer(v)).map(JsonOrString::from)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                T::deserialize(de::IntoDeserializer::<E>::into_deserializer(v)).map(JsonOrString::from)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                T::deserialize(de::value::UnitDeserializer::<E>::new()).map(JsonOrString::from)
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}

/// Whether two JSON values say the same thing, as the encoders here write
/// them: key order aside, and an absent key the same as a null or empty one.
fn same_json(original: &Value, fresh: &Value) -> bool {
    fn empty(v: &Value) -> bool {
        matches!(v, Value::Null)
            || v.as_array().is_some_and(Vec::is_empty)
            || v.as_object().is_some_and(|o| o.is_empty())
    }
    match (original, fresh) {
        (Value::Object(a), Value::Object(b)) => {
            a.iter().all(|(k, v)| b.get(k).map_or(empty(v), |w| same_json(v, w)))
                && b.iter().all(|(k, w)| a.contains_key(k) || empty(w))
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(v, w)| same_json(v, w)),
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Room {
        id: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    }

    #[test]
    fn a_string_comes_back_as_the_same_text() {
        let raw = json!("{ \"name\": null, \"id\": 7 }");
        let v: JsonOrString<Room> = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(v.id, 7);
        assert_eq!(serde_json::to_value(&v).unwrap(), raw);
    }

    #[test]
    fn a_lost_field_shows_as_a_changed_string() {
        let raw = json!("{\"id\": 7, \"colour\": \"red\"}");
        let v: JsonOrString<Room> = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(serde_json::to_value(&v).unwrap(), json!("{\"id\":7}"));
        // A type that keeps unknown fields loses nothing.
        let kept: JsonOrString<BTreeMap<String, Value>> = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(serde_json::to_value(&kept).unwrap(), raw);
    }

    #[test]
    fn json_passes_through_and_bad_strings_fail() {
        let v: JsonOrString<Room> = serde_json::from_value(json!({"id": 1})).unwrap();
        assert!(!v.was_string());
        assert_eq!(serde_json::to_value(&v).unwrap(), json!({"id": 1}));
        assert!(serde_json::from_value::<JsonOrString<Room>>(json!("not json")).is_err());
        assert!(serde_json::from_value::<JsonOrString<Room>>(json!("{\"id\": \"x\"}")).is_err());
    }
}

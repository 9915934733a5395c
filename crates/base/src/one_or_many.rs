//! A payload documented as an object that servers also send as an array.

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// One `T` or a list of them, read as a list either way; re-encodes in the
/// form it arrived in.
///
/// ```
/// use confapi_base::OneOrMany;
/// let one: OneOrMany<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(r#"{"a":1}"#).unwrap();
/// let many: OneOrMany<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(r#"[{"a":1},{"a":2}]"#).unwrap();
/// assert_eq!((one.len(), many.len()), (1, 2));
/// assert_eq!(serde_json::to_string(&one).unwrap(), r#"{"a":1}"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OneOrMany<T> {
    items: Vec<T>,
    single: bool,
}

impl<T> OneOrMany<T> {
    /// The items.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The items, owned.
    pub fn into_vec(self) -> Vec<T> {
        self.items
    }

    /// How many items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether the server sent a single object rather than a list.
    pub fn was_single(&self) -> bool {
        self.single
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(items: Vec<T>) -> Self {
        Self { items, single: false }
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.single, self.items.as_slice()) {
            (true, [one]) => one.serialize(serializer),
            _ => self.items.serialize(serializer),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or an array of objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(OneOrMany { items, single: false })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let item = T::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(OneOrMany { items: vec![item], single: true })
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}

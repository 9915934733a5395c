//! Spec rewrites every vendor needs, done once here before progenitor runs.
//!
//! - Objects keep unknown fields: `additionalProperties: {}` is added to every
//!   object schema that does not say otherwise (progenitor drops them silently).
//! - `x-confapi-core: Name` replaces a schema with `confapi_core::Name`
//!   (lenient scalars, secrets).
//! - `x-confapi-open-enum: true` turns a string enum into
//!   `confapi_core::OpenEnum<NameKnown>`, so new values do not fail a call.
//! - `x-confapi-codes: [{code, name, doc}]` turns an integer schema into
//!   `confapi_core::OpenCode<NameKnown>`: documented codes get a named,
//!   documented variant (emitted by `codes.rs`), others stay readable.
//! - `x-confapi-one-or-many: Item` reads a schema that is documented as one
//!   `Item` but also sent as a list as `confapi_core::OneOrMany<Item>`.
//! - `x-confapi-aliases: [..]` on a property lets it arrive under other names
//!   (applied to the generated code in `postprocess.rs`).
//! - `x-confapi-json-string: Inner` reads a schema documented as a JSON
//!   string and sent as JSON (or the other way round) as
//!   `confapi_core::JsonOrString<Inner>`; `Inner` may itself be replaced.

use crate::spec_ext::SchemaExt;
use serde_json::{json, Map, Value};

/// What preprocessing found, for the generator and the post-processor.
#[derive(Debug, Default)]
pub struct Found {
    /// (schema name, Rust type replacing it).
    pub replacements: Vec<(String, String)>,
    /// (schema name, property name, other names it may arrive under).
    pub aliases: Vec<(String, String, Vec<String>)>,
    /// Integer code schemas: (schema name, its description, documented codes).
    pub codes: Vec<(String, String, Vec<DocumentedCode>)>,
}

/// One documented value of an `x-confapi-codes` schema.
#[derive(Debug, Clone)]
pub struct DocumentedCode {
    pub code: i64,
    /// snake_case name, becomes the variant (`initialising` → `Initialising`).
    pub name: String,
    pub doc: String,
}

pub fn preprocess(spec: &mut Value) -> Result<Found, String> {
    let mut found = Found::default();
    let schemas = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .ok_or("components.schemas is missing")?;

    let mut known_enums = Vec::new();
    let mut json_strings = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        if *name != heck::ToPascalCase::to_pascal_case(name.as_str()) {
            return Err(format!("schema name {name} must be PascalCase"));
        }
        let ext = SchemaExt::of(schema).map_err(|e| format!("{name}: {e}"))?;
        if let Some(item) = &ext.one_or_many {
            found
                .replacements
                .push((name.clone(), format!("::confapi_core::OneOrMany<crate::generated::types::{item}>")));
        }
        if let Some(inner) = &ext.json_string {
            json_strings.push((name.clone(), inner.clone()));
        }
        if !ext.codes.is_empty() {
            let codes = ext
                .codes
                .iter()
                .map(|c| DocumentedCode { code: c.code, name: c.name.clone(), doc: c.doc.clone() })
                .collect();
            let description = schema.get("description").and_then(Value::as_str).unwrap_or_default().to_owned();
            found.codes.push((name.clone(), description, codes));
            found
                .replacements
                .push((name.clone(), format!("::confapi_core::OpenCode<crate::generated::types::{name}Known>")));
        }
        if let Some(core) = &ext.core {
            found.replacements.push((name.clone(), format!("::confapi_core::{core}")));
        }
        if ext.open_enum {
            let known = format!("{name}Known");
            let mut closed = schema.clone();
            if let Some(obj) = closed.as_object_mut() {
                obj.remove("x-confapi-open-enum");
                obj.insert("description".into(), json!(format!("The documented values of {name}.")));
            }
            known_enums.push((known.clone(), closed));
            found
                .replacements
                .push((name.clone(), format!("::confapi_core::OpenEnum<crate::generated::types::{known}>")));
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (prop, prop_schema) in props {
                let aliases = SchemaExt::of(prop_schema).map_err(|e| format!("{name}.{prop}: {e}"))?.aliases;
                if !aliases.is_empty() {
                    found.aliases.push((name.clone(), prop.clone(), aliases));
                }
            }
        }
    }
    for (name, inner) in json_strings {
        if !schemas.contains_key(&inner) {
            return Err(format!("{name}: x-confapi-json-string names {inner}, which is not a schema"));
        }
        let inner_type = found
            .replacements
            .iter()
            .find(|(schema, _)| *schema == inner)
            .map(|(_, rust)| rust.clone())
            .unwrap_or_else(|| format!("crate::generated::types::{inner}"));
        found.replacements.push((name, format!("::confapi_core::JsonOrString<{inner_type}>")));
    }
    for (name, schema) in known_enums {
        schemas.insert(name, schema);
    }
    keep_unknown_fields(spec);
    Ok(found)
}

/// Adds `additionalProperties: {}` to every object schema, at any depth.
fn keep_unknown_fields(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if is_object_schema(map) && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Object(Map::new()));
            }
            for (key, child) in map.iter_mut() {
                // Examples are data, not schemas.
                if key != "example" && key != "examples" {
                    keep_unknown_fields(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(keep_unknown_fields),
        _ => {}
    }
}

fn is_object_schema(map: &Map<String, Value>) -> bool {
    map.get("type").and_then(Value::as_str) == Some("object") || map.contains_key("properties")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_unknown_fields_and_enums_open() {
        let mut spec = json!({"components": {"schemas": {
            "Room": {"type": "object", "properties": {
                "member": {"type": "array", "x-confapi-aliases": ["members"],
                           "items": {"type": "object", "properties": {"n": {"type": "string"}}}}}},
            "Closed": {"type": "object", "additionalProperties": false},
            "Status": {"type": "string", "enum": ["A"], "x-confapi-open-enum": true}
        }}});
        let found = preprocess(&mut spec).unwrap();
        assert_eq!(spec.pointer("/components/schemas/Room/additionalProperties"), Some(&json!({})));
        assert_eq!(
            spec.pointer("/components/schemas/Room/properties/member/items/additionalProperties"),
            Some(&json!({}))
        );
        assert_eq!(spec.pointer("/components/schemas/Closed/additionalProperties"), Some(&json!(false)));
        assert!(spec.pointer("/components/schemas/StatusKnown/enum").is_some());
        assert_eq!(found.aliases, vec![("Room".into(), "member".into(), vec!["members".into()])]);
        assert_eq!(found.replacements[0].0, "Status");
    }

    #[test]
    fn json_strings_wrap_the_inner_type_or_its_replacement() {
        let mut spec = json!({"components": {"schemas": {
            "Item": {"type": "object"},
            "Items": {"x-confapi-one-or-many": "Item", "oneOf": [{"$ref": "#/components/schemas/Item"}]},
            "ItemsText": {"x-confapi-json-string": "Items", "oneOf": [{"$ref": "#/components/schemas/Items"}, {"type": "string"}]},
            "ItemText": {"x-confapi-json-string": "Item", "oneOf": [{"$ref": "#/components/schemas/Item"}, {"type": "string"}]},
            "Broken": {"x-confapi-json-string": "Nothing", "type": "string"}
        }}});
        let err = preprocess(&mut spec.clone()).unwrap_err();
        assert!(err.contains("Nothing"), "{err}");
        spec["components"]["schemas"].as_object_mut().unwrap().remove("Broken");
        let found = preprocess(&mut spec).unwrap();
        let rust = |name: &str| found.replacements.iter().find(|(s, _)| s == name).map(|(_, r)| r.clone()).unwrap();
        assert_eq!(
            rust("ItemsText"),
            "::confapi_core::JsonOrString<::confapi_core::OneOrMany<crate::generated::types::Item>>"
        );
        assert_eq!(rust("ItemText"), "::confapi_core::JsonOrString<crate::generated::types::Item>");
    }
}

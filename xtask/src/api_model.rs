//! The user-facing API of a vendor crate, read from its spec: the
//! operations (with parameters, body and response) and the types of
//! `mod types` (struct fields, enum variants), named as progenitor and
//! typify name them. The change report (`api_report`) diffs two of these.
//!
//! Naming follows the generator's rules: schema names are the type names
//! (`preprocess` requires PascalCase), properties become snake_case fields
//! (a keyword gets a trailing `_`), string enum values and documented codes
//! become UpperCamelCase variants, and a schema `preprocess` replaces with a
//! `confapi_core` type is no type of its own (`x-confapi-open-enum` and
//! `x-confapi-codes` add `{Name}Known`). Field types are written the way
//! typify writes them: an optional field is `Option<T>`, except an
//! optional, non-nullable array or map, which defaults to empty.

use crate::preprocess::{self, Found};
use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The user-facing API of one generated client.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Api {
    /// Operations by method name.
    pub operations: BTreeMap<String, Operation>,
    /// Types by name.
    pub types: BTreeMap<String, TypeDef>,
    /// The types a request carries: bodies and everything they reach.
    pub sent: BTreeSet<String>,
}

/// One operation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Operation {
    /// Path, query and header parameters, by builder method.
    pub params: BTreeMap<String, Member>,
    /// The body type, when it takes one.
    pub body: Option<String>,
    /// The success type, when it has one.
    pub response: Option<String>,
    /// The error type, when it has one.
    pub error: Option<String>,
}

/// A parameter or a struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Its Rust type, shortened (`Option<String>`).
    pub ty: String,
    /// Whether callers may leave it out (or readers find it missing).
    pub optional: bool,
}

/// A type of `mod types`.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    /// A struct and its fields.
    Struct(BTreeMap<String, Member>),
    /// An enum and its variants.
    Enum(BTreeSet<String>),
    /// A newtype or alias, with what it wraps.
    Alias(String),
}

impl Api {
    /// The API of the crate generated from `spec_text`.
    pub fn from_spec(spec_text: &str) -> Result<Api, String> {
        Api::from_value(crate::spec_file::parse(spec_text)?)
    }

    /// The same, from the spec as `spec_file::parse` read it.
    pub fn from_value(mut raw: Value) -> Result<Api, String> {
        let found = preprocess::preprocess(&mut raw)?;
        let spec: openapiv3::OpenAPI =
            serde_json::from_value(raw.clone()).map_err(|e| format!("not a valid OpenAPI document: {e}"))?;
        let names = Names::new(&found);
        let mut api = Api::default();
        let ops = crate::model::operations(&spec)?;
        for op in &ops {
            let params = op
                .params
                .iter()
                .map(|p| {
                    let ty = p.rust_type.to_string();
                    let optional = !p.required || p.default.is_some();
                    (
                        p.method.to_string(),
                        Member { ty: if p.required { ty } else { format!("Option<{ty}>") }, optional },
                    )
                })
                .collect();
            let ty = |schema: &Option<String>| schema.as_deref().map(|s| names.named(s));
            api.operations.insert(
                op.id.clone(),
                Operation { params, body: ty(&op.body), response: ty(&op.success), error: ty(&op.error) },
            );
        }
        let schemas =
            raw.pointer("/components/schemas").and_then(Value::as_object).ok_or("components.schemas is missing")?;
        for (name, schema) in schemas {
            if names.replaced.contains_key(name) {
                continue;
            }
            api.types.insert(name.clone(), names.type_def(schema)?);
        }
        for (schema, _, codes) in &found.codes {
            let variants = codes.iter().map(|c| c.name.to_upper_camel_case()).collect();
            api.types.insert(format!("{schema}Known"), TypeDef::Enum(variants));
        }
        let bodies: Vec<String> = ops.iter().filter_map(|op| op.body.clone()).collect();
        api.sent = crate::model::reachable(&raw, bodies)
            .into_iter()
            .flat_map(|s| {
                // A replaced schema is sent as the type it became (`{Name}Known` for open enums).
                let known = format!("{s}Known");
                [s, known]
            })
            .filter(|s| api.types.contains_key(s))
            .collect();
        Ok(api)
    }
}

/// How schemas are named in the generated code.
struct Names {
    /// Schemas replaced by another Rust type, shortened.
    replaced: BTreeMap<String, String>,
}

impl Names {
    fn new(found: &Found) -> Self {
        let replaced = found.replacements.iter().map(|(s, rust)| (s.clone(), shorten(rust))).collect();
        Names { replaced }
    }

    /// The Rust type a `$ref` to `schema` is.
    fn named(&self, schema: &str) -> String {
        self.replaced.get(schema).cloned().unwrap_or_else(|| schema.to_owned())
    }

    fn type_def(&self, schema: &Value) -> Result<TypeDef, String> {
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return Ok(TypeDef::Enum(values.iter().map(variant_name).collect()));
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            let required = required(schema);
            let fields = props
                .iter()
                .map(|(json, prop)| {
                    let (ty, optional) = self.field(prop, required.contains(json.as_str()));
                    (field_name(json), Member { ty, optional })
                })
                .collect();
            return Ok(TypeDef::Struct(fields));
        }
        Ok(TypeDef::Alias(self.render(schema).0))
    }

    /// A property's Rust type, and whether it may be missing.
    fn field(&self, prop: &Value, required: bool) -> (String, bool) {
        let (ty, defaults) = self.render(prop);
        let nullable = prop.get("nullable") == Some(&Value::Bool(true));
        match (required, nullable, defaults) {
            (true, false, _) => (ty, false),
            (false, false, true) => (ty, true),
            _ => (format!("Option<{ty}>"), true),
        }
    }

    /// A schema's Rust type, and whether typify defaults it to empty when optional.
    fn render(&self, schema: &Value) -> (String, bool) {
        if let Some(name) = schema.get("$ref").and_then(Value::as_str).and_then(crate::model::ref_name) {
            return (self.named(&name), false);
        }
        if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
            let names: Vec<String> = alternatives.iter().map(|a| self.render(a).0).collect();
            return (format!("oneOf[{}]", names.join(", ")), false);
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => ("String".into(), false),
            Some("boolean") => ("bool".into(), false),
            Some("number") => (
                if schema.get("format").and_then(Value::as_str) == Some("float") { "f32" } else { "f64" }.into(),
                false,
            ),
            Some("integer") => (integer(schema).into(), false),
            Some("array") => {
                let item = schema.get("items").map(|i| self.render(i).0).unwrap_or_else(|| "Value".into());
                (format!("Vec<{item}>"), true)
            }
            Some("object") | None if schema.get("additionalProperties").is_some() || schema.get("type").is_some() => {
                // A free-form object is serde_json's map; a typed one the configured BTreeMap.
                match schema.get("additionalProperties").map(|v| self.render(v).0) {
                    Some(value) if value != "Value" => (format!("BTreeMap<String, {value}>"), true),
                    _ => ("Map<String, Value>".into(), true),
                }
            }
            _ => ("Value".into(), false),
        }
    }
}

/// typify's integer types: the format's width, unsigned from `minimum: 0`.
fn integer(schema: &Value) -> &'static str {
    let unsigned = schema.get("minimum").and_then(Value::as_f64).is_some_and(|m| m >= 0.0);
    match (schema.get("format").and_then(Value::as_str), unsigned) {
        (Some("int32"), false) => "i32",
        (Some("int32"), true) => "u32",
        (_, false) => "i64",
        (_, true) => "u64",
    }
}

fn required(schema: &Value) -> BTreeSet<&str> {
    schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

/// The field typify makes of a property: snake_case, a keyword gets `_`.
pub fn field_name(json: &str) -> String {
    let snake = json.replace(|c: char| !c.is_alphanumeric() && c != '_', "_").to_snake_case();
    if syn::parse_str::<syn::Ident>(&snake).is_ok() {
        snake
    } else {
        format!("{snake}_")
    }
}

/// The variant typify makes of a string enum value (`X` before a digit).
fn variant_name(value: &Value) -> String {
    let name = match value {
        Value::String(s) => s.to_upper_camel_case(),
        other => other.to_string(),
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("X{name}")
    } else {
        name
    }
}

/// `::confapi_core::OpenEnum<crate::generated::types::XKnown>` → `OpenEnum<XKnown>`.
fn shorten(rust: &str) -> String {
    rust.replace("::confapi_core::", "").replace("crate::generated::types::", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_as_typify_names_them() {
        assert_eq!(field_name("meetingRoomName"), "meeting_room_name");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("hostAccountTypeStr"), "host_account_type_str");
    }

    /// The model's names and field types are the generated file's: every
    /// vendor's types, fields and operations as `from_code` reads them.
    #[test]
    fn the_model_names_what_the_generator_writes() {
        let root = crate::workspace_root();
        for vendor in ["openvox", "quanshi", "dingtalk"] {
            let spec = std::fs::read_to_string(root.join(format!("specs/{vendor}.yaml"))).unwrap();
            // The types crate's file and the client's, read as one.
            let read = |rel: String| std::fs::read_to_string(root.join(rel)).unwrap();
            let code = read(format!("crates/{vendor}-types/src/generated.rs"))
                + &read(format!("crates/{vendor}/src/generated.rs"));
            let from_spec = Api::from_spec(&spec).unwrap();
            let from_code = crate::api_from_code::parse(&code).unwrap();
            let mut wrong = Vec::new();
            for (name, def) in &from_code.types {
                match (def, from_spec.types.get(name)) {
                    (_, None) => wrong.push(format!("{vendor}: type {name} is not in the model")),
                    (TypeDef::Struct(a), Some(TypeDef::Struct(b))) => {
                        for (field, m) in a {
                            match b.get(field) {
                                Some(n) if n.ty == m.ty => {}
                                other => {
                                    wrong.push(format!("{vendor}: {name}.{field}: code {}, model {other:?}", m.ty))
                                }
                            }
                        }
                        for field in b.keys().filter(|f| !a.contains_key(*f)) {
                            wrong.push(format!("{vendor}: {name}.{field} is only in the model"));
                        }
                    }
                    (TypeDef::Enum(a), Some(TypeDef::Enum(b))) if a != b => {
                        wrong.push(format!("{vendor}: {name}: code {a:?}, model {b:?}"))
                    }
                    _ => {}
                }
            }
            for name in from_spec.types.keys().filter(|n| !from_code.types.contains_key(*n)) {
                wrong.push(format!("{vendor}: type {name} is only in the model"));
            }
            for (name, op) in &from_code.operations {
                match from_spec.operations.get(name) {
                    None => wrong.push(format!("{vendor}: operation {name} is not in the model")),
                    Some(m) => {
                        if m.body != op.body || m.response != op.response {
                            wrong.push(format!("{vendor}: {name}: code {op:?}, model {m:?}"));
                        }
                        if m.params.keys().ne(op.params.keys()) {
                            wrong.push(format!(
                                "{vendor}: {name} parameters: code {:?}, model {:?}",
                                op.params, m.params
                            ));
                        }
                    }
                }
            }
            assert_eq!(from_spec.operations.len(), from_code.operations.len(), "{vendor}");
            assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        }
    }
}

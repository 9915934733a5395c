//! Facts the audit and the replay server read, derived from the spec: the
//! documented shape of every schema and the names of secret fields.

use crate::model::ref_name;
use crate::spec_ext::SchemaExt;
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeSet;

/// One static per named schema (a module `shapes` of the meta module), and
/// the table `&[(name, &Shape)]` that refers to them, in spec order. Small
/// items each: as one nested initializer the table took rustc four seconds.
pub fn table(raw: &Value) -> (TokenStream, TokenStream) {
    let schemas: Vec<(&String, &Value)> =
        raw.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten().collect();
    let ident = |name: &str| format_ident!("{}", name.to_shouty_snake_case());
    let statics = schemas.iter().map(|(name, schema)| {
        let (id, shape) = (ident(name), shape(schema));
        quote!(pub static #id: ::confapi_core::Shape = #shape;)
    });
    let entries = schemas.iter().map(|(name, _)| {
        let id = ident(name);
        quote!((#name, &shapes::#id))
    });
    (
        quote! {
            /// The documented shape of each named schema.
            pub mod shapes {
                #(#statics)*
            }
        },
        quote!(&[#(#entries),*]),
    )
}

/// The `confapi_core::Shape` expression for one schema.
fn shape(schema: &Value) -> TokenStream {
    let mut parts = Vec::new();
    if let Some(name) = schema.get("$ref").and_then(Value::as_str).and_then(ref_name) {
        parts.push(quote!(::confapi_core::Shape::Ref(#name)));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for alt in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
            parts.push(shape(alt));
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let fields = props.iter().map(|(name, prop)| {
            let s = shape(prop);
            quote!((#name, #s))
        });
        let aliases = props.iter().flat_map(|(name, prop)| {
            let list = SchemaExt::of(prop).map(|e| e.aliases).unwrap_or_default();
            list.into_iter().map(move |alias| quote!((#alias, #name)))
        });
        parts.push(quote!(::confapi_core::Shape::Object { props: &[#(#fields),*], aliases: &[#(#aliases),*] }));
    }
    // `additionalProperties: {}` (added everywhere) only keeps extras; a
    // schema inside it documents a free-form map.
    if let Some(Value::Object(values)) = schema.get("additionalProperties") {
        if !values.is_empty() {
            let s = shape(&Value::Object(values.clone()));
            parts.push(quote!(::confapi_core::Shape::Map(&#s)));
        }
    }
    if let Some(items) = schema.get("items") {
        let s = shape(items);
        parts.push(quote!(::confapi_core::Shape::Array(&#s)));
    }
    match parts.len() {
        0 => quote!(::confapi_core::Shape::Any),
        1 => parts.remove(0),
        _ => quote!(::confapi_core::Shape::Union(&[#(#parts),*])),
    }
}

/// Names whose values are secrets: every apiKey credential's name, and
/// every property whose schema is (or refers to) a `SecretString`.
/// Whether a schema is `x-confapi-core: SecretString`.
fn is_secret_core(schema: &Value) -> bool {
    SchemaExt::of(schema).is_ok_and(|e| e.core.as_deref() == Some("SecretString"))
}

pub fn secret_names(raw: &Value) -> Vec<String> {
    let mut names = BTreeSet::new();
    for scheme in
        raw.pointer("/components/securitySchemes").and_then(Value::as_object).into_iter().flatten().map(|(_, s)| s)
    {
        if scheme.get("type").and_then(Value::as_str) == Some("apiKey") {
            if let Some(name) = scheme.get("name").and_then(Value::as_str) {
                names.insert(name.to_owned());
            }
        }
    }
    let schemas = raw.pointer("/components/schemas").and_then(Value::as_object);
    let secret_schemas: BTreeSet<&str> =
        schemas.into_iter().flatten().filter(|(_, s)| is_secret_core(s)).map(|(n, _)| n.as_str()).collect();
    let is_secret = |schema: &Value| {
        is_secret_core(schema)
            || schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(ref_name)
                .is_some_and(|n| secret_schemas.contains(n.as_str()))
    };
    fn walk(value: &Value, is_secret: &dyn Fn(&Value) -> bool, names: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (name, prop) in map.get("properties").and_then(Value::as_object).into_iter().flatten() {
                    if is_secret(prop) {
                        names.insert(name.clone());
                    }
                }
                for (key, child) in map {
                    if key != "example" && key != "examples" {
                        walk(child, is_secret, names);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, is_secret, names)),
            _ => {}
        }
    }
    walk(raw, &is_secret, &mut names);
    names.into_iter().collect()
}

/// The spec's first server URL, unless it has variables to fill in.
pub fn default_base_url(raw: &Value) -> Option<String> {
    let url = raw.pointer("/servers/0/url").and_then(Value::as_str)?;
    (!url.contains('{')).then(|| url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_come_from_credentials_and_secret_fields() {
        let spec = json!({"components": {
            "securitySchemes": {"t": {"type": "apiKey", "in": "header", "name": "x-token"}},
            "schemas": {
                "Secret": {"type": "string", "x-confapi-core": "SecretString"},
                "Login": {"type": "object", "properties": {
                    "user": {"type": "string"},
                    "password": {"$ref": "#/components/schemas/Secret"},
                    "inner": {"type": "object", "properties": {"appSecret": {"$ref": "#/components/schemas/Secret"}}}
                }}
            }
        }});
        assert_eq!(secret_names(&spec), ["appSecret", "password", "x-token"]);
    }

    #[test]
    fn shapes_cover_refs_objects_arrays_and_unions() {
        let s = shape(
            &json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "array", "items": {"$ref": "#/components/schemas/A"}}]}),
        );
        let text = s.to_string().replace(' ', "");
        assert!(text.contains("Shape::Union"), "{text}");
        assert!(text.contains("Shape::Array(&::confapi_core::Shape::Ref(\"A\"))"), "{text}");
        let obj =
            shape(&json!({"properties": {"member": {"x-confapi-aliases": ["members"]}}, "additionalProperties": {}}));
        let text = obj.to_string().replace(' ', "");
        assert!(text.contains("aliases:&[(\"members\",\"member\")]"), "{text}");
        assert!(!text.contains("Map"), "an empty additionalProperties is no documented map: {text}");
    }
}

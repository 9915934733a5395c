//! The project's `x-confapi-*` keys on a schema (and the notes an operation
//! may carry), read into one typed value instead of each reader looking up
//! strings: what `preprocess` rewrites, and docs-check's notes and shapes.

use serde::Deserialize;
use serde_json::Value;

/// The `x-confapi-*` keys a schema (or a property's schema) may carry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct SchemaExt {
    /// `x-confapi-core: Name`: the schema is `confapi_core::Name`.
    #[serde(rename = "x-confapi-core")]
    pub core: Option<String>,
    /// `x-confapi-open-enum: true`: a string enum that accepts new values.
    #[serde(rename = "x-confapi-open-enum", default)]
    pub open_enum: bool,
    /// `x-confapi-codes`: the documented values of an integer code.
    #[serde(rename = "x-confapi-codes", default)]
    pub codes: Vec<CodeEntry>,
    /// `x-confapi-one-or-many: Item`: one `Item` or a list of them.
    #[serde(rename = "x-confapi-one-or-many")]
    pub one_or_many: Option<String>,
    /// `x-confapi-json-string: Inner`: `Inner` as JSON or as a JSON string.
    #[serde(rename = "x-confapi-json-string")]
    pub json_string: Option<String>,
    /// `x-confapi-aliases`: other names a property arrives under.
    #[serde(rename = "x-confapi-aliases", default)]
    pub aliases: Vec<String>,
    /// `x-confapi-note`: why the spec differs from the vendor's page.
    #[serde(rename = "x-confapi-note")]
    pub note: Option<String>,
    /// `x-confapi-discrepancies` (on a schema or an operation): where the
    /// vendor's page and the spec differ, one sentence each.
    #[serde(rename = "x-confapi-discrepancies", default)]
    pub discrepancies: Vec<String>,
    /// `x-confapi-outcome`: a response schema's own success field.
    #[serde(rename = "x-confapi-outcome")]
    pub outcome: Option<Outcome>,
}

/// `x-confapi-outcome: {field, success, code, message, failure}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// The field whose value says success or failure.
    pub field: String,
    /// Its values that mean success (as the JSON values they are).
    pub success: Vec<Value>,
    /// The field with the failure's code, if any.
    pub code: Option<String>,
    /// The field with the failure's message, if any.
    pub message: Option<String>,
    /// The message when the body gives none.
    pub failure: String,
}

/// One `x-confapi-codes` entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CodeEntry {
    /// The integer on the wire.
    pub code: i64,
    /// snake_case name, the variant's (`initialising` → `Initialising`).
    pub name: String,
    /// Its doc line.
    pub doc: String,
}

impl SchemaExt {
    /// The keys of `schema` (other keys are ignored); an error names a
    /// malformed one.
    pub fn of(schema: &Value) -> Result<SchemaExt, String> {
        let Value::Object(map) = schema else { return Ok(SchemaExt::default()) };
        let ours: serde_json::Map<String, Value> =
            map.iter().filter(|(k, _)| k.starts_with("x-confapi-")).map(|(k, v)| (k.clone(), v.clone())).collect();
        if ours.is_empty() {
            return Ok(SchemaExt::default());
        }
        serde_json::from_value(Value::Object(ours)).map_err(|e| format!("an x-confapi key is malformed: {e}"))
    }
}

/// The `x-confapi-*` keys an operation carries.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct OperationExt {
    /// `x-confapi-safe`: whether the call may be repeated without effect
    /// (required on every operation).
    #[serde(rename = "x-confapi-safe")]
    pub safe: Option<bool>,
    /// `x-confapi-inferred-from`: where an operation without a vendor page
    /// was read from.
    #[serde(rename = "x-confapi-inferred-from")]
    pub inferred_from: Option<String>,
    /// `x-confapi-paginated`: how the operation pages.
    #[serde(rename = "x-confapi-paginated")]
    pub paginated: Option<Paginated>,
    /// `x-confapi-sdk-action`: the DingTalk SDK's name for the operation.
    #[serde(rename = "x-confapi-sdk-action")]
    pub sdk_action: Option<String>,
    /// `x-confapi-discrepancies`: where the vendor's page and the spec differ.
    #[serde(rename = "x-confapi-discrepancies", default)]
    pub discrepancies: Vec<String>,
}

/// `x-confapi-paginated`: request and response fields by JSON name (`.`
/// between levels).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paginated {
    /// The request field with the page number (paging by number).
    pub page: Option<String>,
    /// The request field with the token (paging by token).
    pub cursor: Option<String>,
    /// The response field with the next token (default: `cursor`).
    pub next: Option<String>,
    /// The response field saying more pages follow.
    pub has_more: Option<String>,
    /// The response field with the items.
    pub items: Option<String>,
    /// The response field with the total count.
    pub total: Option<String>,
    /// The request field with the page size.
    pub size: Option<String>,
    /// The response field with the count on this page.
    pub count: Option<String>,
}

impl OperationExt {
    /// The keys among an operation's extensions (`openapiv3`'s map or the
    /// operation object itself).
    pub fn of<'a>(extensions: impl IntoIterator<Item = (&'a String, &'a Value)>) -> Result<OperationExt, String> {
        let ours: serde_json::Map<String, Value> = extensions
            .into_iter()
            .filter(|(k, _)| k.starts_with("x-confapi-"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        serde_json::from_value(Value::Object(ours)).map_err(|e| format!("an x-confapi key is malformed: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paging_keys_are_checked() {
        let ok = json!({"x-confapi-safe": true, "x-confapi-paginated": {"cursor": "nextToken", "items": "list"}});
        let ext = OperationExt::of(ok.as_object().unwrap()).unwrap();
        assert_eq!(ext.paginated.unwrap().cursor.as_deref(), Some("nextToken"));
        let typo = json!({"x-confapi-paginated": {"cursr": "nextToken", "items": "list"}});
        let err = OperationExt::of(typo.as_object().unwrap()).unwrap_err();
        assert!(err.contains("cursr"), "{err}");
    }

    #[test]
    fn keys_are_typed_and_errors_name_them() {
        let ext = SchemaExt::of(
            &json!({"type": "integer", "x-confapi-codes": [{"code": 2, "name": "started", "doc": "Running."}]}),
        )
        .unwrap();
        assert_eq!(ext.codes, vec![CodeEntry { code: 2, name: "started".into(), doc: "Running.".into() }]);
        assert_eq!(SchemaExt::of(&json!({"x-confapi-aliases": ["a"]})).unwrap().aliases, vec!["a".to_owned()]);
        let err = SchemaExt::of(&json!({"x-confapi-codes": [{"code": "two"}]})).unwrap_err();
        assert!(err.contains("x-confapi"), "{err}");
    }

    /// docs-check reads a malformed key as absent, so every schema,
    /// property and operation of the specs must read.
    #[test]
    fn every_place_in_the_specs_reads() {
        for vendor in ["openvox", "quanshi", "dingtalk"] {
            let text = std::fs::read_to_string(crate::workspace_root().join(format!("specs/{vendor}.yaml"))).unwrap();
            let raw = crate::spec_file::parse(&text).unwrap();
            let schemas = raw.pointer("/components/schemas").and_then(Value::as_object).unwrap();
            for (name, schema) in schemas {
                SchemaExt::of(schema).unwrap_or_else(|e| panic!("{vendor} {name}: {e}"));
                for (prop, p) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
                    SchemaExt::of(p).unwrap_or_else(|e| panic!("{vendor} {name}.{prop}: {e}"));
                }
            }
            for (path, item) in raw.get("paths").and_then(Value::as_object).unwrap() {
                for (method, op) in item.as_object().unwrap() {
                    SchemaExt::of(op).unwrap_or_else(|e| panic!("{vendor} {method} {path}: {e}"));
                    let ext = OperationExt::of(op.as_object().unwrap())
                        .unwrap_or_else(|e| panic!("{vendor} {method} {path}: {e}"));
                    assert!(ext.safe.is_some(), "{vendor} {method} {path}");
                }
            }
        }
    }
}

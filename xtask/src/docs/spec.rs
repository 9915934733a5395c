//! The spec side of docs-check: operations, parameters, properties (by name
//! or alias), which JSON kinds a schema accepts, and the `x-confapi` notes
//! that say where a difference is handled.

use super::page::Kind;
use crate::spec_ext::SchemaExt;
use serde_json::Value;

/// The `x-confapi-*` keys of a schema or operation; a malformed key reads
/// as absent here (codegen rejects it).
fn ext(value: &Value) -> SchemaExt {
    SchemaExt::of(value).unwrap_or_default()
}

const DEPTH: usize = 24;

/// A vendor spec (`specs/<vendor>.yaml`) as JSON.
#[derive(Debug, Clone)]
pub struct Spec {
    root: Value,
}

/// An operation of the spec.
#[derive(Debug, Clone, Copy)]
pub struct Operation<'a> {
    /// `operationId`.
    pub id: &'a str,
    /// The operation object.
    pub op: &'a Value,
    /// Its path item (for path-level parameters).
    pub item: &'a Value,
}

/// A spec parameter, security placement included.
#[derive(Debug, Clone)]
pub struct SpecParam<'a> {
    /// Wire name.
    pub name: String,
    /// `path`, `query`, `header`.
    pub location: String,
    /// Its schema (`None` for a credential placed by a security scheme).
    pub schema: Option<&'a Value>,
    /// Required.
    pub required: bool,
}

/// What a property lookup found.
#[derive(Debug, Clone, Copy)]
pub enum Lookup<'a> {
    /// A declared property.
    Found(Prop<'a>),
    /// The object takes any field (no properties declared).
    FreeForm,
    /// Not declared under this name or an alias.
    Missing,
}

/// A declared property.
#[derive(Debug, Clone, Copy)]
pub struct Prop<'a> {
    /// Its declared name.
    pub name: &'a str,
    /// Whether the name looked up is one of its aliases.
    pub via_alias: bool,
    /// The property's schema as written (with its own notes).
    pub schema: &'a Value,
    /// The object schema that declares it.
    pub owner: &'a Value,
    /// Whether the owner requires it.
    pub required: bool,
}

impl Spec {
    /// Reads a spec from YAML text (tests).
    #[cfg(test)]
    pub fn from_yaml(text: &str) -> Result<Spec, String> {
        crate::spec_file::parse(text).map(Spec::new)
    }

    /// The spec as parsed by `spec_file`.
    pub fn new(root: Value) -> Spec {
        Spec { root }
    }

    /// The spec as JSON.
    pub fn root(&self) -> &Value {
        &self.root
    }

    /// The kinds a value of this schema may be encoded as when we send it
    /// (a `NumberOrString` may go out as a number or a string).
    pub fn produces(&self, schema: &Value) -> Vec<Kind> {
        let mut out = Vec::new();
        self.produces_at(schema, 0, &mut out);
        out.sort();
        out.dedup();
        out
    }

    fn produces_at(&self, schema: &Value, depth: usize, out: &mut Vec<Kind>) {
        if depth > DEPTH {
            return;
        }
        let s = self.resolve(schema);
        if let Some(core) = ext(s).core.as_deref() {
            out.extend(match core {
                "NumberOrString" => &[Kind::Integer, Kind::Number, Kind::String][..],
                "LenientInt" => &[Kind::Integer][..],
                "LenientBool" => &[Kind::Boolean][..],
                _ => &[Kind::String][..],
            });
            return;
        }
        if let Some(inner) = ext(s).json_string.as_deref() {
            out.push(Kind::String);
            if let Some(target) = self.root.pointer(&format!("/components/schemas/{inner}")) {
                self.produces_at(target, depth + 1, out);
            }
            return;
        }
        if ext(s).one_or_many.is_some() {
            out.extend([Kind::Object, Kind::Array]);
            return;
        }
        let alternatives: Vec<&Value> =
            ["oneOf", "anyOf"].iter().filter_map(|k| s.get(*k).and_then(Value::as_array)).flatten().collect();
        if !alternatives.is_empty() {
            for alt in alternatives {
                self.produces_at(alt, depth + 1, out);
            }
            return;
        }
        match s.get("type").and_then(Value::as_str) {
            Some("string") => out.push(Kind::String),
            Some("integer") => out.push(Kind::Integer),
            Some("number") => out.push(Kind::Number),
            Some("boolean") => out.push(Kind::Boolean),
            Some("array") => out.push(Kind::Array),
            Some("object") => out.push(Kind::Object),
            _ if s.get("properties").is_some() => out.push(Kind::Object),
            _ => {}
        }
    }

    /// Follows `$ref`s to the schema they name.
    pub fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..DEPTH {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => match self.root.pointer(r.trim_start_matches('#')) {
                    Some(target) => schema = target,
                    None => return schema,
                },
                None => return schema,
            }
        }
        schema
    }

    /// The name a `$ref` points to (`Meeting`), if the schema is a reference.
    pub fn ref_name(schema: &Value) -> Option<&str> {
        schema.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next())
    }

    /// Every operation as (method, path template, operation).
    pub fn operations(&self) -> Vec<(String, &str, Operation<'_>)> {
        let mut out = Vec::new();
        for (path, item) in self.root.get("paths").and_then(Value::as_object).into_iter().flatten() {
            for method in ["get", "post", "put", "delete", "patch"] {
                if let Some(op) = item.get(method) {
                    let id = op.get("operationId").and_then(Value::as_str).unwrap_or("?");
                    out.push((method.to_ascii_uppercase(), path.as_str(), Operation { id, op, item }));
                }
            }
        }
        out
    }

    /// The operation for a method and a concrete or templated path.
    pub fn find_operation(&self, method: &str, path: &str) -> Option<Operation<'_>> {
        self.operations()
            .into_iter()
            .find(|(m, template, _)| m.eq_ignore_ascii_case(method) && path_matches(template, path))
            .map(|(_, _, op)| op)
    }

    /// The success response body schema (200, else the first 2xx).
    pub fn success_schema<'a>(&'a self, op: Operation<'a>) -> Option<&'a Value> {
        let responses = op.op.get("responses")?.as_object()?;
        let status =
            responses.keys().find(|k| *k == "200").or_else(|| responses.keys().find(|k| k.starts_with('2')))?;
        responses[status].pointer("/content/application~1json/schema")
    }

    /// The request body schema.
    pub fn request_schema<'a>(&'a self, op: Operation<'a>) -> Option<&'a Value> {
        op.op.pointer("/requestBody/content/application~1json/schema")
    }

    /// Path, query and header parameters, and the credentials the security
    /// schemes place.
    pub fn parameters<'a>(&'a self, op: Operation<'a>) -> Vec<SpecParam<'a>> {
        let mut out = Vec::new();
        for list in [op.item.get("parameters"), op.op.get("parameters")].into_iter().flatten() {
            for p in list.as_array().into_iter().flatten() {
                let p = self.resolve(p);
                out.push(SpecParam {
                    name: p.get("name").and_then(Value::as_str).unwrap_or_default().to_owned(),
                    location: p.get("in").and_then(Value::as_str).unwrap_or_default().to_owned(),
                    schema: p.get("schema"),
                    required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                });
            }
        }
        let security = op.op.get("security").or(self.root.get("security"));
        for requirement in security.and_then(Value::as_array).into_iter().flatten() {
            for scheme in requirement.as_object().into_iter().flatten().map(|(k, _)| k) {
                let s = self.root.pointer(&format!("/components/securitySchemes/{scheme}"));
                if let Some(s) = s.filter(|s| s.get("type").and_then(Value::as_str) == Some("apiKey")) {
                    out.push(SpecParam {
                        name: s.get("name").and_then(Value::as_str).unwrap_or_default().to_owned(),
                        location: s.get("in").and_then(Value::as_str).unwrap_or_default().to_owned(),
                        schema: None,
                        required: false,
                    });
                }
            }
        }
        out
    }

    /// The object schemas a schema stands for: through refs, unions, a
    /// JSON string's content, one-or-many items and array items.
    fn objects<'a>(&'a self, schema: &'a Value, depth: usize, out: &mut Vec<&'a Value>) {
        if depth > DEPTH {
            return;
        }
        let s = self.resolve(schema);
        if let Some(inner) = ext(s).json_string.as_deref() {
            if let Some(target) = self.root.pointer(&format!("/components/schemas/{inner}")) {
                self.objects(target, depth + 1, out);
            }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for alt in s.get(key).and_then(Value::as_array).into_iter().flatten() {
                self.objects(alt, depth + 1, out);
            }
        }
        if let Some(items) = s.get("items") {
            self.objects(items, depth + 1, out);
        }
        if s.get("properties").is_some() || s.get("type").and_then(Value::as_str) == Some("object") {
            out.push(s);
        }
    }

    /// Looks a field up by name or alias in the object(s) a schema stands for.
    pub fn property<'a>(&'a self, schema: &'a Value, name: &str) -> Lookup<'a> {
        let mut objects = Vec::new();
        self.objects(schema, 0, &mut objects);
        let mut free = false;
        for owner in &objects {
            let Some(props) = owner.get("properties").and_then(Value::as_object) else {
                free = true;
                continue;
            };
            let required = |n: &str| {
                owner.get("required").and_then(Value::as_array).is_some_and(|r| r.iter().any(|x| x.as_str() == Some(n)))
            };
            if let Some((k, p)) = props.get_key_value(name) {
                return Lookup::Found(Prop { name: k, via_alias: false, schema: p, owner, required: required(k) });
            }
            for (k, p) in props {
                if ext(p).aliases.iter().any(|a| a == name) {
                    return Lookup::Found(Prop { name: k, via_alias: true, schema: p, owner, required: required(k) });
                }
            }
        }
        if free || objects.is_empty() && self.is_free(schema) {
            Lookup::FreeForm
        } else {
            Lookup::Missing
        }
    }

    /// Whether a schema says nothing about its content (any JSON).
    fn is_free(&self, schema: &Value) -> bool {
        let s = self.resolve(schema);
        ["type", "properties", "items", "oneOf", "anyOf", "allOf", "x-confapi-core", "enum"]
            .iter()
            .all(|k| s.get(k).is_none())
    }

    /// Every property the object(s) of a schema declare, with its schema.
    pub fn declared<'a>(&'a self, schema: &'a Value) -> Vec<(&'a str, &'a Value)> {
        let mut objects = Vec::new();
        self.objects(schema, 0, &mut objects);
        let mut out: Vec<(&str, &Value)> = Vec::new();
        for owner in objects {
            for (k, p) in owner.get("properties").and_then(Value::as_object).into_iter().flatten() {
                if !out.iter().any(|(n, _)| n == k) {
                    out.push((k, p));
                }
            }
        }
        out
    }

    /// Whether the schema accepts a value of this kind.
    pub fn accepts(&self, schema: &Value, kind: Kind) -> bool {
        self.accepts_at(schema, kind, 0)
    }

    fn accepts_at(&self, schema: &Value, kind: Kind, depth: usize) -> bool {
        if depth > DEPTH {
            return true;
        }
        let s = self.resolve(schema);
        if kind == Kind::Null {
            return s.get("nullable") == Some(&Value::Bool(true)) || self.is_free(s);
        }
        if kind == Kind::Json {
            return self.accepts_at(s, Kind::Object, depth + 1) || self.accepts_at(s, Kind::Array, depth + 1);
        }
        let strings = [Kind::String, Kind::NumericString, Kind::JsonString];
        if let Some(core) = ext(s).core.as_deref() {
            return match core {
                "NumberOrString" => strings.contains(&kind) || matches!(kind, Kind::Integer | Kind::Number),
                "LenientInt" => matches!(kind, Kind::Integer | Kind::NumericString),
                // A flag the vendor sends as a boolean or as "true"/"false":
                // a string type for it is read as those strings.
                "LenientBool" => matches!(kind, Kind::Boolean | Kind::String),
                "SecretString" => strings.contains(&kind),
                _ => false,
            };
        }
        if let Some(inner) = ext(s).json_string.as_deref() {
            let target = self.root.pointer(&format!("/components/schemas/{inner}")).unwrap_or(&Value::Null);
            return kind == Kind::JsonString || self.accepts_at(target, kind, depth + 1);
        }
        if ext(s).one_or_many.is_some() {
            return matches!(kind, Kind::Object | Kind::Array);
        }
        let alternatives: Vec<&Value> =
            ["oneOf", "anyOf"].iter().filter_map(|k| s.get(*k).and_then(Value::as_array)).flatten().collect();
        if !alternatives.is_empty() {
            return alternatives.iter().any(|alt| self.accepts_at(alt, kind, depth + 1));
        }
        match s.get("type").and_then(Value::as_str) {
            Some("string") => strings.contains(&kind),
            Some("integer") => kind == Kind::Integer,
            Some("number") => matches!(kind, Kind::Integer | Kind::Number),
            Some("boolean") => kind == Kind::Boolean,
            Some("object") => kind == Kind::Object,
            Some("array") => kind == Kind::Array,
            _ if s.get("properties").is_some() => kind == Kind::Object,
            _ => self.is_free(s),
        }
    }

    /// A short description of a schema for findings: `NumberOrString`,
    /// `integer`, `array of Meeting`.
    pub fn describe(&self, schema: &Value) -> String {
        if let Some(name) = Spec::ref_name(schema) {
            let target = self.resolve(schema);
            if let Some(core) = ext(target).core.as_deref() {
                return core.to_owned();
            }
            if let Some(inner) = ext(target).json_string.as_deref() {
                return format!("{name} (JSON or a JSON string of {inner})");
            }
            if let Some(item) = ext(target).one_or_many.as_deref() {
                return format!("{name} (one {item} or an array)");
            }
            return match target.get("type").and_then(Value::as_str) {
                Some(t) if t != "object" => format!("{name} ({t})"),
                _ => format!("object {name}"),
            };
        }
        let nullable = if schema.get("nullable") == Some(&Value::Bool(true)) { ", nullable" } else { "" };
        match schema.get("type").and_then(Value::as_str) {
            Some("array") => {
                let items = schema.get("items").map(|i| self.describe(i)).unwrap_or_else(|| "any".into());
                format!("array of {items}{nullable}")
            }
            Some(t) => format!("{t}{nullable}"),
            None if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() => "one of several types".into(),
            None => "any JSON".into(),
        }
    }

    /// Whether an `x-confapi` note sits where this property's difference is
    /// handled: on the property or its schema, or an `x-confapi-discrepancies`
    /// entry naming it on its schema, its owner or the operation.
    pub fn noted(&self, prop: &Prop<'_>, op: Option<Operation<'_>>, names: &[&str]) -> bool {
        let target = self.resolve(prop.schema);
        if ext(prop.schema).note.is_some() || ext(target).note.is_some() {
            return true;
        }
        let places = [Some(target), Some(prop.owner), op.map(|o| o.op)];
        places
            .into_iter()
            .flatten()
            .any(|place| ext(place).discrepancies.iter().any(|text| names.iter().any(|n| names_word(text, n))))
    }

    /// The operation-level discrepancy notes (for request parameters).
    pub fn op_notes_name(&self, op: Operation<'_>, name: &str) -> bool {
        ext(op.op).discrepancies.iter().any(|text| names_word(text, name))
    }
}

/// Whether `text` mentions `word` as a whole word.
pub fn names_word(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// Whether a spec path template matches a page's path (templated or not).
pub fn path_matches(template: &str, path: &str) -> bool {
    let a: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let b: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| x == y || x.starts_with('{') || (y.starts_with('{') && y.ends_with('}')))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
paths:
  /rooms/{id}:
    get:
      operationId: get_room
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/Room'}}}}
components:
  schemas:
    Flexible: {x-confapi-core: NumberOrString, oneOf: [{type: string}, {type: number}]}
    Count: {x-confapi-core: LenientInt}
    Rooms: {x-confapi-one-or-many: Room, oneOf: [{$ref: '#/components/schemas/Room'}]}
    RoomsText: {x-confapi-json-string: Rooms, oneOf: [{$ref: '#/components/schemas/Rooms'}, {type: string}]}
    Room:
      type: object
      required: [name]
      properties:
        name: {type: string, x-confapi-aliases: [title]}
        size: {$ref: '#/components/schemas/Count'}
        code: {$ref: '#/components/schemas/Flexible', x-confapi-note: sent either way}
        tags: {type: array, nullable: true, items: {type: string}}
        more: {type: object}
"#;

    #[test]
    fn operations_properties_and_aliases() {
        let spec = Spec::from_yaml(SPEC).unwrap();
        let op = spec.find_operation("GET", "/rooms/{roomId}").unwrap();
        assert_eq!(op.id, "get_room");
        assert!(spec.find_operation("POST", "/rooms/1").is_none());
        let room = spec.success_schema(op).unwrap();
        let Lookup::Found(p) = spec.property(room, "title") else { panic!() };
        assert_eq!((p.name, p.via_alias, p.required), ("name", true, true));
        assert!(matches!(spec.property(room, "nope"), Lookup::Missing));
        let Lookup::Found(more) = spec.property(room, "more") else { panic!() };
        assert!(matches!(spec.property(more.schema, "anything"), Lookup::FreeForm));
        let text = serde_json::json!({"$ref": "#/components/schemas/RoomsText"});
        assert!(matches!(spec.property(&text, "size"), Lookup::Found(_)));
    }

    #[test]
    fn kinds_accepted() {
        let spec = Spec::from_yaml(SPEC).unwrap();
        let s = |name: &str| serde_json::json!({"$ref": format!("#/components/schemas/{name}")});
        assert!(spec.accepts(&s("Flexible"), Kind::Integer) && spec.accepts(&s("Flexible"), Kind::String));
        assert!(spec.accepts(&s("Count"), Kind::NumericString) && !spec.accepts(&s("Count"), Kind::String));
        assert!(spec.accepts(&s("Rooms"), Kind::Array) && !spec.accepts(&s("Rooms"), Kind::JsonString));
        for k in [Kind::JsonString, Kind::Array, Kind::Object, Kind::Json] {
            assert!(spec.accepts(&s("RoomsText"), k), "{k:?}");
        }
        assert!(!spec.accepts(&s("Room"), Kind::Array));
        assert_eq!(spec.describe(&s("Count")), "LenientInt");
        assert_eq!(spec.describe(&s("Room")), "object Room");
    }

    #[test]
    fn whole_words_only() {
        assert!(names_word("`eventId` is typed string", "eventId"));
        assert!(!names_word("parentEventIds", "EventId"));
    }
}

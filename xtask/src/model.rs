//! The operations of a spec, as the generator reads them: id, method, path,
//! safety, credential use, body and response schemas, parameters, paging.

use crate::spec_ext::{OperationExt, Paginated};
use heck::ToSnakeCase;
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

pub struct Param {
    pub api_name: String,
    pub method: syn::Ident,
    pub rust_type: TokenStream,
    pub required: bool,
    /// The schema's `default`, which the builder starts with (see `calls::fill_defaults`).
    pub default: Option<ParamDefault>,
}

/// A parameter's default value, as the generator can write it.
pub enum ParamDefault {
    /// The parameter is a named schema with a `default`: typify gives that
    /// type an `impl Default` returning it.
    Schema,
    /// An inline string schema with a `default`.
    Text(String),
}

pub struct Operation {
    pub id: String,
    pub method: String,
    pub path: String,
    pub safe: bool,
    pub authenticated: bool,
    pub success_status: u16,
    pub success: Option<String>,
    pub error: Option<String>,
    pub body: Option<String>,
    pub params: Vec<Param>,
    pub paging: Option<Paging>,
}

/// How an operation pages (`x-confapi-paginated`). Paths are response
/// fields by their JSON names, `.` between levels.
pub struct Paging {
    pub by: PageBy,
    /// Where the items are.
    pub items: Vec<String>,
    /// Where the total count is, if the response has one.
    pub total: Option<Vec<String>>,
    /// Where the "more pages follow" flag is, if the response has one.
    pub has_more: Option<Vec<String>>,
}

pub enum PageBy {
    /// A request field (parameter or body field) with the page number, from 1.
    Number(String),
    /// A request field with the token, and the response field with the next one.
    Token { request: String, next: Vec<String> },
}

fn path(text: &str) -> Vec<String> {
    text.split('.').map(str::to_owned).collect()
}

fn paging(id: &str, paginated: Option<&Paginated>) -> Result<Option<Paging>, String> {
    let Some(p) = paginated else { return Ok(None) };
    let by = match (&p.page, &p.cursor) {
        (Some(page), None) => PageBy::Number(page.clone()),
        (None, Some(cursor)) => {
            PageBy::Token { request: cursor.clone(), next: path(p.next.as_deref().unwrap_or(cursor)) }
        }
        _ => return Err(format!("{id}: x-confapi-paginated needs exactly one of page and cursor")),
    };
    let items = p.items.as_deref().ok_or_else(|| format!("{id}: x-confapi-paginated needs items"))?;
    Ok(Some(Paging {
        by,
        items: path(items),
        total: p.total.as_deref().map(path),
        has_more: p.has_more.as_deref().map(path),
    }))
}

pub fn ref_name(reference: &str) -> Option<String> {
    reference.rsplit('/').next().map(str::to_owned)
}

/// The `$ref`'d schema name of a body, or an error for inline schemas
/// (progenitor merges inline schemas of one operation silently).
fn content_schema(content: &openapiv3::Content, what: &str, id: &str) -> Result<Option<String>, String> {
    let Some(media) = content.get("application/json").or_else(|| content.values().next()) else {
        return Ok(None);
    };
    match &media.schema {
        Some(ReferenceOr::Reference { reference }) => Ok(ref_name(reference)),
        Some(ReferenceOr::Item(_)) => Err(format!("{id}: the {what} schema must be a $ref to a named schema")),
        None => Ok(None),
    }
}

pub fn operations(spec: &OpenAPI) -> Result<Vec<Operation>, String> {
    let mut out = Vec::new();
    for (path, item) in spec.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            return Err(format!("{path}: path item references are not supported"));
        };
        for (method, op) in item.iter() {
            let id = op.operation_id.clone().ok_or_else(|| format!("{method} {path}: operationId is required"))?;
            if id.to_snake_case() != id {
                return Err(format!("operationId {id} must be snake_case"));
            }
            let ext = OperationExt::of(&op.extensions).map_err(|e| format!("{id}: {e}"))?;
            let Some(safe) = ext.safe else {
                return Err(format!("{id}: x-confapi-safe (true or false) is required"));
            };
            if ext.inferred_from.is_none() && op.external_docs.is_none() {
                return Err(format!("{id}: externalDocs must link the vendor's page"));
            }
            // An operation-level `security: []` means no credential.
            let authenticated = op.security.as_ref().is_none_or(|s| !s.is_empty());
            let mut success = None;
            let mut error = None;
            let mut success_status = None;
            for (status, response) in &op.responses.responses {
                let ReferenceOr::Item(response) = response else {
                    return Err(format!("{id}: response references are not supported"));
                };
                let schema = content_schema(&response.content, "response", &id)?;
                match status {
                    StatusCode::Code(c @ 200..=299) if success_status.is_none() => {
                        success_status = Some(*c);
                        success = schema;
                    }
                    StatusCode::Code(c) if *c >= 400 => merge_error(&mut error, schema, &id)?,
                    StatusCode::Range(4 | 5) => merge_error(&mut error, schema, &id)?,
                    _ => {}
                }
            }
            if let Some(ReferenceOr::Item(default)) = &op.responses.default {
                merge_error(&mut error, content_schema(&default.content, "response", &id)?, &id)?;
            }
            let body = match &op.request_body {
                Some(ReferenceOr::Item(b)) => content_schema(&b.content, "request body", &id)?,
                Some(ReferenceOr::Reference { .. }) => {
                    return Err(format!("{id}: requestBody references are not supported"))
                }
                None => None,
            };
            let mut params = Vec::new();
            for p in item.parameters.iter().chain(&op.parameters) {
                let p = resolve_parameter(spec, p)?;
                let (data, in_path) = match p {
                    Parameter::Query { parameter_data, .. } => (parameter_data, false),
                    Parameter::Path { parameter_data, .. } => (parameter_data, true),
                    Parameter::Header { parameter_data, .. } => (parameter_data, false),
                    Parameter::Cookie { .. } => return Err(format!("{id}: cookie parameters are not supported")),
                };
                params.push(Param {
                    api_name: data.name.clone(),
                    method: builder_ident(&data.name),
                    rust_type: param_type(spec, &data.format),
                    required: data.required || in_path,
                    default: param_default(spec, &data.format, &id, &data.name)?,
                });
            }
            let paging = paging(&id, ext.paginated.as_ref())?;
            out.push(Operation {
                id,
                method: method.to_uppercase(),
                path: path.clone(),
                safe,
                authenticated,
                success_status: success_status.ok_or("every operation needs a 2xx response")?,
                success,
                error,
                body,
                params,
                paging,
            });
        }
    }
    Ok(out)
}

fn merge_error(error: &mut Option<String>, schema: Option<String>, id: &str) -> Result<(), String> {
    match (&*error, schema) {
        (_, None) => Ok(()),
        (None, Some(s)) => {
            *error = Some(s);
            Ok(())
        }
        (Some(a), Some(b)) if *a == b => Ok(()),
        (Some(a), Some(b)) => Err(format!("{id}: all error responses must share one schema ({a} vs {b})")),
    }
}

fn resolve_parameter<'a>(spec: &'a OpenAPI, p: &'a ReferenceOr<Parameter>) -> Result<&'a Parameter, String> {
    match p {
        ReferenceOr::Item(p) => Ok(p),
        ReferenceOr::Reference { reference } => {
            let name = ref_name(reference).unwrap_or_default();
            match spec.components.as_ref().and_then(|c| c.parameters.get(&name)) {
                Some(ReferenceOr::Item(p)) => Ok(p),
                _ => Err(format!("parameter {reference} not found")),
            }
        }
    }
}

/// The builder method progenitor generates for a parameter.
fn builder_ident(name: &str) -> syn::Ident {
    let snake = name.replace(|c: char| !c.is_alphanumeric() && c != '_', "-").to_snake_case();
    match syn::parse_str::<syn::Ident>(&snake) {
        Ok(_) => format_ident!("{}", snake),
        Err(_) => format_ident!("{}_", snake),
    }
}

/// The default a parameter's schema declares, if any.
fn param_default(
    spec: &OpenAPI,
    format: &ParameterSchemaOrContent,
    id: &str,
    name: &str,
) -> Result<Option<ParamDefault>, String> {
    match format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => {
            let schema = ref_name(reference)
                .and_then(|n| spec.components.as_ref()?.schemas.get(&n))
                .and_then(|s| s.as_item())
                .ok_or_else(|| format!("{id}: parameter {name}: {reference} not found"))?;
            Ok(schema.schema_data.default.as_ref().map(|_| ParamDefault::Schema))
        }
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => match &schema.schema_data.default {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(ParamDefault::Text(text.clone()))),
            Some(other) => Err(format!(
                "{id}: parameter {name}: default {other} is not text; give the parameter a named schema with it"
            )),
        },
        ParameterSchemaOrContent::Content(_) => Ok(None),
    }
}

fn param_type(spec: &OpenAPI, format: &ParameterSchemaOrContent) -> TokenStream {
    let schema = match format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => Some(s),
        ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => {
            ref_name(reference).and_then(|n| spec.components.as_ref()?.schemas.get(&n)).and_then(|s| s.as_item())
        }
        ParameterSchemaOrContent::Content(_) => None,
    };
    use openapiv3::{SchemaKind, Type};
    match schema.map(|s| &s.schema_kind) {
        // progenitor's width: `format: int32` is i32, any other integer i64.
        Some(SchemaKind::Type(Type::Integer(i)))
            if i.format == openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) =>
        {
            quote!(i32)
        }
        Some(SchemaKind::Type(Type::Integer(_))) => quote!(i64),
        Some(SchemaKind::Type(Type::Number(_))) => quote!(f64),
        Some(SchemaKind::Type(Type::Boolean(_))) => quote!(bool),
        _ => quote!(String),
    }
}

/// The named schemas reachable from `roots` through `$ref`s, roots included.
pub fn reachable(raw: &Value, roots: impl IntoIterator<Item = String>) -> std::collections::BTreeSet<String> {
    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(name) = map.get("$ref").and_then(Value::as_str).and_then(ref_name) {
                    out.push(name);
                }
                for (key, child) in map {
                    if key != "example" && key != "examples" {
                        refs(child, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut todo: Vec<String> = roots.into_iter().collect();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = raw.pointer(&format!("/components/schemas/{name}")) {
            refs(schema, &mut todo);
        }
    }
    seen
}

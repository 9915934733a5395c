//! The generated `meta` module: the spec's facts as data and glue code.
//!
//! - `VENDOR`: name, credential placement, envelope fields, error codes,
//!   operations (method, path, safety, decoders) and documented shapes;
//! - `impl Envelope` for every response type, so the runtime sees in-band
//!   failures and error bodies without per-vendor code;
//! - `dispatch`: call any operation by id with JSON input (replay tests, CLI).

use crate::postprocess::{field_ident, find_struct};
use heck::ToSnakeCase;
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

struct Param {
    api_name: String,
    method: syn::Ident,
    rust_type: TokenStream,
    required: bool,
}

struct Operation {
    id: String,
    method: String,
    path: String,
    safe: bool,
    authenticated: bool,
    success_status: u16,
    success: Option<String>,
    error: Option<String>,
    body: Option<String>,
    params: Vec<Param>,
}

pub fn generate(vendor: &str, raw: &Value, spec: &OpenAPI, file: &mut syn::File) -> Result<Vec<syn::Item>, String> {
    let ops = operations(spec)?;
    let envelope = raw.get("x-confapi-envelope").cloned().unwrap_or(json!({}));
    let field = |key: &str| envelope.get(key).and_then(Value::as_str).map(str::to_owned);
    let fields = |key: &str| envelope_names(&envelope, key);

    let placement = placement(spec)?;
    let request_id_header = option_str(field("request_id_header"));
    let envelope_fields = {
        let status = option_str(field("status"));
        let success: Vec<String> = envelope
            .get("success")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        let (code, message, request_id) = (fields("code"), fields("message"), fields("request_id"));
        quote! {
            ::confapi_core::meta::EnvelopeFields {
                status: #status, success: &[#(#success),*], code: &[#(#code),*],
                message: &[#(#message),*], request_id: &[#(#request_id),*],
            }
        }
    };
    let error_codes = error_codes(raw)?;
    let shapes = serde_json::to_string(&shapes(raw)).map_err(|e| e.to_string())?;
    let envelopes = envelope_impls(&ops, &envelope, file)?;
    let op_entries = ops.iter().map(operation_entry);
    let dispatch_arms = ops.iter().map(dispatch_arm);

    let module: syn::ItemMod = syn::parse2(quote! {
        /// What the spec says about this vendor, as data the runtime, the
        /// audit and the replay server read.
        #[allow(clippy::all)]
        pub mod meta {
            use super::types;

            /// Documented error codes with their meaning and handling.
            pub static ERROR_CODES: &[::confapi_core::ErrorCode] = &[#(#error_codes),*];

            /// Every operation of the spec, in spec order.
            pub static OPERATIONS: &[::confapi_core::OperationMeta] = &[#(#op_entries),*];

            /// The vendor as a whole.
            pub static VENDOR: ::confapi_core::VendorInfo = ::confapi_core::VendorInfo {
                name: #vendor,
                placement: #placement,
                request_id_header: #request_id_header,
                envelope: #envelope_fields,
                error_codes: ERROR_CODES,
                operations: OPERATIONS,
                shapes: #shapes,
            };

            #(#envelopes)*

            impl super::Client {
                /// The runtime: vendor facts, credentials, limits.
                pub fn runtime(&self) -> &::confapi_core::Runtime {
                    &self.inner
                }

                /// Runs a call built from this client's builders through the
                /// runtime: credential, envelope check, typed errors, one
                /// renewal of an expired credential (so `op` may run twice).
                pub async fn call<'a, T, E, F, Fut>(&'a self, op: F) -> Result<T, ::confapi_core::Error>
                where
                    F: Fn(&'a Self) -> Fut,
                    Fut: ::std::future::Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
                    T: ::confapi_core::Envelope + ::serde::de::DeserializeOwned,
                    E: ::confapi_core::Envelope,
                {
                    self.inner.call(|| op(self)).await
                }

                /// [`Client::call`] for the operation `id` of the spec: errors
                /// name it, and an operation without credentials fetches none.
                pub async fn call_operation<'a, T, E, F, Fut>(
                    &'a self,
                    id: &'static str,
                    op: F,
                ) -> Result<T, ::confapi_core::Error>
                where
                    F: Fn(&'a Self) -> Fut,
                    Fut: ::std::future::Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
                    T: ::confapi_core::Envelope + ::serde::de::DeserializeOwned,
                    E: ::confapi_core::Envelope,
                {
                    self.inner.call_operation(id, || op(self)).await
                }
            }

            impl progenitor_client::ClientHooks<::confapi_core::Runtime> for super::Client {
                async fn pre<E>(
                    &self,
                    request: &mut reqwest::Request,
                    info: &progenitor_client::OperationInfo,
                ) -> Result<(), progenitor_client::Error<E>> {
                    ::confapi_core::prepare_request(&self.inner, request, info.operation_id)
                        .await
                        .map_err(|e| progenitor_client::Error::Custom(e.to_string()))
                }

                async fn post<E>(
                    &self,
                    result: &reqwest::Result<reqwest::Response>,
                    _info: &progenitor_client::OperationInfo,
                ) -> Result<(), progenitor_client::Error<E>> {
                    ::confapi_core::observe_response(&self.inner, result);
                    Ok(())
                }
            }

            /// Calls operation `id` with path and query parameters by their
            /// API names and the request body as JSON, through the client's
            /// runtime; returns the decoded response.
            pub async fn dispatch(
                client: &super::Client,
                id: &str,
                params: &::std::collections::BTreeMap<String, String>,
                body: Option<::serde_json::Value>,
            ) -> Result<::confapi_core::meta::Dispatched, ::confapi_core::Error> {
                let vendor = VENDOR.name;
                let _ = (&params, &body);
                match id {
                    #(#dispatch_arms)*
                    other => Err(::confapi_core::Error::new(vendor, ::confapi_core::ErrorKind::InvalidRequest)
                        .with_detail(format!("no operation {other:?}"))),
                }
            }
        }
    })
    .map_err(|e| format!("meta module does not parse: {e}"))?;
    Ok(vec![syn::Item::Mod(module)])
}

/// An envelope entry given as one field name or a list of them.
fn envelope_names(envelope: &Value, key: &str) -> Vec<String> {
    match envelope.get(key) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

fn option_str(value: Option<String>) -> TokenStream {
    match value {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

fn ref_name(reference: &str) -> Option<String> {
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

fn operations(spec: &OpenAPI) -> Result<Vec<Operation>, String> {
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
            let safe = match op.extensions.get("x-confapi-safe") {
                Some(Value::Bool(b)) => *b,
                _ => return Err(format!("{id}: x-confapi-safe (true or false) is required")),
            };
            if !op.extensions.contains_key("x-confapi-inferred-from") && op.external_docs.is_none() {
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
                });
            }
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
        Some(SchemaKind::Type(Type::Integer(_))) => quote!(i64),
        Some(SchemaKind::Type(Type::Number(_))) => quote!(f64),
        Some(SchemaKind::Type(Type::Boolean(_))) => quote!(bool),
        _ => quote!(String),
    }
}

/// Where the token goes: the apiKey scheme named first in the spec's
/// top-level `security` (other schemes, such as signed headers, are placed
/// by the vendor crate's own signer).
fn placement(spec: &OpenAPI) -> Result<TokenStream, String> {
    let Some(name) = spec.security.iter().flatten().flat_map(|req| req.keys()).next() else {
        return Ok(quote!(None));
    };
    let scheme = spec
        .components
        .as_ref()
        .and_then(|c| c.security_schemes.get(name))
        .ok_or_else(|| format!("security scheme {name} is not defined"))?;
    match scheme {
        ReferenceOr::Item(openapiv3::SecurityScheme::APIKey { location, name, .. }) => match location {
            openapiv3::APIKeyLocation::Query => Ok(quote!(Some(::confapi_core::Placement::Query(#name)))),
            openapiv3::APIKeyLocation::Header => Ok(quote!(Some(::confapi_core::Placement::Header(#name)))),
            openapiv3::APIKeyLocation::Cookie => Err("cookie credentials are not supported".into()),
        },
        _ => Err(format!("security scheme {name} must be an apiKey")),
    }
}

fn error_codes(raw: &Value) -> Result<Vec<TokenStream>, String> {
    let Some(codes) = raw.get("x-confapi-error-codes").and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    codes
        .iter()
        .map(|(code, entry)| {
            let meaning = entry
                .get("meaning")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("error code {code}: meaning is required"))?;
            let class = match entry.get("class").and_then(Value::as_str) {
                None => quote!(Other),
                Some("auth-expired") => quote!(AuthExpired),
                Some("credentials") => quote!(Credentials),
                Some(other) => return Err(format!("error code {code}: unknown class {other}")),
            };
            Ok(quote! {
                ::confapi_core::ErrorCode { code: #code, meaning: #meaning, class: ::confapi_core::FailureClass::#class }
            })
        })
        .collect()
}

fn operation_entry(op: &Operation) -> TokenStream {
    let Operation { id, method, path, safe, authenticated, success_status, .. } = op;
    let decode = |schema: &Option<String>| match schema {
        Some(name) => {
            let ty = format_ident!("{}", name);
            quote!(::confapi_core::meta::decode_as::<types::#ty>)
        }
        None => quote!(::confapi_core::meta::decode_as::<::serde_json::Value>),
    };
    let decode_success = decode(&op.success);
    let parse_success = match &op.success {
        Some(name) => {
            let ty = format_ident!("{}", name);
            quote!(::confapi_core::meta::parse_as::<types::#ty>)
        }
        None => quote!(::confapi_core::meta::parse_as::<::serde_json::Value>),
    };
    let decode_error = match &op.error {
        Some(_) => {
            let d = decode(&op.error);
            quote!(Some(#d))
        }
        None => quote!(None),
    };
    let success_shape = option_str(op.success.clone());
    let error_shape = option_str(op.error.clone());
    quote! {
        ::confapi_core::OperationMeta {
            id: #id, method: #method, path: #path, safe: #safe, authenticated: #authenticated,
            success_status: #success_status,
            decode_success: #decode_success, decode_error: #decode_error, parse_success: #parse_success,
            success_shape: #success_shape, error_shape: #error_shape,
        }
    }
}

fn dispatch_arm(op: &Operation) -> TokenStream {
    let id = &op.id;
    let method = format_ident!("{}", id);
    let body_let = op.body.as_ref().map(|name| {
        let ty = format_ident!("{}", name);
        quote!(let body: types::#ty = ::confapi_core::meta::body_from_json(vendor, body)?;)
    });
    let body_set = op.body.as_ref().map(|_| quote!(let b = b.body(body.clone());));
    let param_lets = op.params.iter().enumerate().map(|(i, p)| {
        let var = format_ident!("p{}", i);
        let (api, ty) = (&p.api_name, &p.rust_type);
        if p.required {
            quote!(let #var: #ty = ::confapi_core::meta::required_param(vendor, params, #api)?;)
        } else {
            quote!(let #var: Option<#ty> = ::confapi_core::meta::param(vendor, params, #api)?;)
        }
    });
    let param_sets = op.params.iter().enumerate().map(|(i, p)| {
        let var = format_ident!("p{}", i);
        let m = &p.method;
        if p.required {
            quote!(let b = b.#m(#var.clone());)
        } else {
            quote!(let b = match &#var { Some(v) => b.#m(v.clone()), None => b };)
        }
    });
    quote! {
        #id => {
            #body_let
            #(#param_lets)*
            let value = client.inner.call_operation(#id, || {
                let b = client.#method();
                #body_set
                #(#param_sets)*
                b.send()
            }).await?;
            ::confapi_core::meta::dispatched(vendor, &value)
        }
    }
}

fn envelope_impls(ops: &[Operation], envelope: &Value, file: &syn::File) -> Result<Vec<TokenStream>, String> {
    let success: BTreeSet<&String> = ops.iter().filter_map(|o| o.success.as_ref()).collect();
    let errors: BTreeSet<&String> = ops.iter().filter_map(|o| o.error.as_ref()).collect();
    if let Some(both) = success.intersection(&errors).next() {
        return Err(format!("{both} is used as both a success and an error body"));
    }
    // The first of the named fields that is present (e.g. `request_id`, then `reqid`).
    let text = |strukt: &syn::ItemStruct, key: &str| -> TokenStream {
        let reads: Vec<TokenStream> = envelope_names(envelope, key)
            .iter()
            .filter_map(|p| field_ident(strukt, p))
            .map(|ident| quote!(::confapi_core::AsText::as_text(&self.#ident)))
            .collect();
        match reads.split_first() {
            None => quote!(None),
            Some((first, rest)) => quote!(#first #(.or_else(|| #rest))*),
        }
    };
    let mut out = Vec::new();
    for name in success.iter().chain(&errors) {
        let strukt = find_struct(file, name)?;
        let ty = format_ident!("{}", name);
        let (code, message, request_id) = (text(strukt, "code"), text(strukt, "message"), text(strukt, "request_id"));
        let body = if errors.contains(name) {
            quote!(Some(::confapi_core::VendorFailure::new(#code, #message, #request_id, ERROR_CODES)))
        } else if let Some(status_field) = envelope.get("status").and_then(Value::as_str) {
            let status = text(strukt, "status");
            if status.to_string() == "None" {
                return Err(format!("{name} has no envelope field {status_field}"));
            }
            quote!(::confapi_core::in_band_failure(#status, VENDOR.envelope.success, #code, #message, #request_id, ERROR_CODES))
        } else {
            quote!(None)
        };
        out.push(quote! {
            impl ::confapi_core::Envelope for types::#ty {
                fn failure(&self) -> Option<::confapi_core::VendorFailure> {
                    #body
                }
            }
        });
    }
    Ok(out)
}

/// The documented shape of every named schema: which properties (and their
/// aliases) each object declares, what arrays hold, what `$ref`s point to.
/// The audit walks response bodies with it to tell documented fields from
/// undocumented extras.
fn shapes(raw: &Value) -> Value {
    let mut out = Map::new();
    if let Some(schemas) = raw.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, schema) in schemas {
            out.insert(name.clone(), shape(schema));
        }
    }
    Value::Object(out)
}

fn shape(schema: &Value) -> Value {
    let mut s = Map::new();
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        s.insert("ref".into(), json!(ref_name(r)));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            let mut list: Vec<Value> = s.remove("union").and_then(|v| v.as_array().cloned()).unwrap_or_default();
            list.extend(alts.iter().map(shape));
            s.insert("union".into(), Value::Array(list));
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let mut p = Map::new();
        let mut aliases = Map::new();
        for (name, prop) in props {
            p.insert(name.clone(), shape(prop));
            for alias in prop.get("x-confapi-aliases").and_then(Value::as_array).into_iter().flatten() {
                aliases.insert(alias.as_str().unwrap_or_default().to_owned(), json!(name));
            }
        }
        s.insert("props".into(), Value::Object(p));
        if !aliases.is_empty() {
            s.insert("aliases".into(), Value::Object(aliases));
        }
    }
    match schema.get("additionalProperties") {
        Some(Value::Object(m)) if !m.is_empty() => {
            s.insert("map".into(), shape(&Value::Object(m.clone())));
        }
        _ => {}
    }
    if let Some(items) = schema.get("items") {
        s.insert("items".into(), shape(items));
    }
    Value::Object(s)
}

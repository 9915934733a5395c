//! The generated `meta` module: the spec's facts as data.
//!
//! - `VENDOR`: name, default host, credential placement, envelope fields,
//!   error codes, operations (method, path, safety, decoders), documented
//!   shapes and secret names;
//! - `op`: one static per operation, for the typed calls and for naming an
//!   operation without writing its id as a string;
//! - `impl Envelope` for every response type, so the runtime sees in-band
//!   failures and error bodies without per-vendor code;
//! - `dispatch` (feature `test-util`): any operation by id with JSON input.
//!
//! Beside it, one `confapi_core::generated_client!(Client)` line gives the
//! client progenitor's hooks, which core writes once for every vendor.

use crate::model::Operation;
use crate::postprocess::{field_ident, find_struct};
use crate::{dispatch, shapes};
use heck::ToShoutySnakeCase;
use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{json, Value};
use std::collections::BTreeSet;

pub fn generate(
    vendor: &str,
    raw: &Value,
    spec: &OpenAPI,
    ops: &[Operation],
    file: &syn::File,
) -> Result<Vec<syn::Item>, String> {
    let envelope = raw.get("x-confapi-envelope").cloned().unwrap_or(json!({}));
    let field = |key: &str| envelope.get(key).and_then(Value::as_str).map(str::to_owned);
    let fields = |key: &str| envelope_names(&envelope, key);

    let placement = placement(spec)?;
    let request_id_header = option_str(field("request_id_header"));
    let unknown_request = unknown_request(&envelope)?;
    let hints = hints(&envelope)?;
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
                unknown_request: #unknown_request,
                hints: &[#(#hints),*],
            }
        }
    };
    let error_codes = error_codes(raw)?;
    let refusals = refusals(raw)?;
    let (rate_limits, throttle_wait_ms) = rate_limits(raw)?;
    let quota = quota(raw)?;
    let (shape_statics, shapes) = shapes::table(raw);
    let secret_names = shapes::secret_names(raw);
    let default_base_url = option_str(shapes::default_base_url(raw));
    let has_refusals = !refusals.is_empty();
    let envelopes = envelope_impls(ops, &envelope, raw, has_refusals, file)?;
    let op_entries = ops.iter().map(operation_entry);
    let decoder_entries = ops.iter().map(decoders_entry);
    let op_statics = ops.iter().enumerate().map(|(i, op)| {
        let name = op_static(&op.id);
        let doc = format!("`{}`: {} {}", op.id, op.method, op.path);
        quote! {
            #[doc = #doc]
            pub static #name: &::confapi_core::OperationMeta = &super::OPERATIONS[#i];
        }
    });
    let dispatch = dispatch::generate(ops);

    let hooks: syn::Item = syn::parse2(quote!(::confapi_core::generated_client!(Client);))
        .map_err(|e| format!("hooks invocation does not parse: {e}"))?;
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

            /// The operations' decoders, in `OPERATIONS` order, for the
            /// audit, benchmarks and fuzzing (feature `audit`).
            #[cfg(feature = "audit")]
            pub static DECODERS: &[::confapi_core::meta::Decoders] = &[#(#decoder_entries),*];
            #[cfg(feature = "audit")]
            const DECODERS_BUILT: Option<&[::confapi_core::meta::Decoders]> = Some(DECODERS);
            #[cfg(not(feature = "audit"))]
            const DECODERS_BUILT: Option<&[::confapi_core::meta::Decoders]> = None;

            /// Each operation by name.
            pub mod op {
                #(#op_statics)*
            }

            /// The vendor as a whole.
            pub static VENDOR: ::confapi_core::VendorInfo = ::confapi_core::VendorInfo {
                name: #vendor,
                default_base_url: #default_base_url,
                placement: #placement,
                request_id_header: #request_id_header,
                envelope: #envelope_fields,
                error_codes: ERROR_CODES,
                operations: OPERATIONS,
                decoders: DECODERS_BUILT,
                shapes: #shapes,
                secret_names: &[#(#secret_names),*],
                refusals: &[#(#refusals),*],
                rate_limits: &[#(#rate_limits),*],
                throttle_wait: ::std::time::Duration::from_millis(#throttle_wait_ms),
                quota: #quota,
            };

            #shape_statics

            #(#envelopes)*

            #dispatch
        }
    })
    .map_err(|e| format!("meta module does not parse: {e}"))?;
    Ok(vec![hooks, syn::Item::Mod(module)])
}

/// The static naming an operation in `meta::op` (`KICK_MEMBERS`).
pub fn op_static(id: &str) -> syn::Ident {
    format_ident!("{}", id.to_shouty_snake_case())
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

/// `hints: [{path: a.b, label: ..}]`: error-body fields that tell the
/// user what to fix.
fn hints(envelope: &Value) -> Result<Vec<TokenStream>, String> {
    let list = envelope.get("hints").and_then(Value::as_array).cloned().unwrap_or_default();
    list.iter()
        .map(|h| {
            let path = h.get("path").and_then(Value::as_str).ok_or("x-confapi-envelope.hints: each needs a path")?;
            let label = h.get("label").and_then(Value::as_str).ok_or("x-confapi-envelope.hints: each needs a label")?;
            let segments = path.split('.');
            Ok(quote!(::confapi_core::HintField { path: &[#(#segments),*], label: #label }))
        })
        .collect()
}

/// `unknown_request: {status, body}`: what the vendor answers to a request
/// for an operation it does not have.
fn unknown_request(envelope: &Value) -> Result<TokenStream, String> {
    let Some(answer) = envelope.get("unknown_request") else { return Ok(quote!(None)) };
    let status = answer
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("x-confapi-envelope.unknown_request needs an HTTP status")?;
    let body = answer.get("body").ok_or("x-confapi-envelope.unknown_request needs a body")?.to_string();
    Ok(quote!(Some(::confapi_core::CannedAnswer { status: #status, body: #body })))
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
            let class = failure_class(entry.get("class").and_then(Value::as_str).unwrap_or("other"))
                .map_err(|e| format!("error code {code}: {e}"))?;
            Ok(quote! {
                ::confapi_core::ErrorCode { code: #code, meaning: #meaning, class: #class }
            })
        })
        .collect()
}

/// A class name of the spec (`quota-exhausted`) as core's `FailureClass`.
fn failure_class(name: &str) -> Result<TokenStream, String> {
    let variant = match name {
        "other" => quote!(Other),
        "auth-expired" => quote!(AuthExpired),
        "credentials" => quote!(Credentials),
        "throttled" => quote!(Throttled),
        "quota-exhausted" => quote!(QuotaExhausted),
        "blocked" => quote!(Blocked),
        "not-found" => quote!(NotFound),
        "config" => quote!(Config),
        other => return Err(format!("unknown class {other}")),
    };
    Ok(quote!(::confapi_core::FailureClass::#variant))
}

/// A duration of the spec, in whole milliseconds: `"1s"`, `"5min"`, `"200ms"`.
fn millis(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().map_err(|_| format!("duration {text:?} needs a whole number"))?;
    let per = match unit.trim() {
        "ms" => 1,
        "s" => 1000,
        "min" => 60_000,
        other => return Err(format!("duration {text:?}: unknown unit {other:?} (ms, s, min)")),
    };
    Ok(n * per)
}

/// `x-confapi-refusals`: answers from in front of the API, by what marks them.
fn refusals(raw: &Value) -> Result<Vec<TokenStream>, String> {
    let list = raw.get("x-confapi-refusals").and_then(Value::as_array).cloned().unwrap_or_default();
    list.iter()
        .map(|r| {
            let text = |key: &str| r.get(key).and_then(Value::as_str);
            let marker = match (text("field"), text("text")) {
                (Some(f), None) => quote!(::confapi_core::RefusalMarker::Field(#f)),
                (None, Some(t)) => quote!(::confapi_core::RefusalMarker::Text(#t)),
                _ => return Err("x-confapi-refusals: each needs exactly one of field and text".to_owned()),
            };
            let class = failure_class(text("class").ok_or("x-confapi-refusals: each needs a class")?)?;
            let meaning = text("meaning").ok_or("x-confapi-refusals: each needs a meaning")?;
            let code = option_str(text("code").map(str::to_owned));
            let wait = option_str(text("wait").map(str::to_owned));
            let unit = millis(text("wait_unit").unwrap_or("1s"))?;
            let default_wait = match text("default_wait") {
                Some(d) => {
                    let ms = millis(d)?;
                    quote!(Some(::std::time::Duration::from_millis(#ms)))
                }
                None => quote!(None),
            };
            Ok(quote! {
                ::confapi_core::Refusal {
                    marker: #marker, class: #class, meaning: #meaning, code: #code, wait: #wait,
                    wait_unit: ::std::time::Duration::from_millis(#unit), default_wait: #default_wait,
                }
            })
        })
        .collect()
}

/// `x-confapi-rate-limits`: the documented limit per kind of account, and
/// the wait before a throttled call is sent again (the first limit's span,
/// else one second).
fn rate_limits(raw: &Value) -> Result<(Vec<TokenStream>, u64), String> {
    let Some(map) = raw.get("x-confapi-rate-limits").and_then(Value::as_object) else {
        return Ok((Vec::new(), 1000));
    };
    let mut first_span = None;
    let profiles = map
        .iter()
        .map(|(name, limit)| {
            let calls = limit.get("calls").and_then(Value::as_u64).and_then(|c| u32::try_from(c).ok());
            let calls = calls.ok_or_else(|| format!("x-confapi-rate-limits.{name}: calls must be a count"))?;
            let per = millis(limit.get("per").and_then(Value::as_str).unwrap_or("1s"))?;
            first_span.get_or_insert(per);
            let scope = match limit.get("scope").and_then(Value::as_str) {
                Some("operation") => quote!(Operation),
                Some("client") => quote!(Client),
                _ => return Err(format!("x-confapi-rate-limits.{name}: scope is operation or client")),
            };
            let source = limit.get("source").and_then(Value::as_str).unwrap_or("");
            Ok(quote! {
                ::confapi_core::RateLimitProfile {
                    name: #name,
                    limit: ::confapi_core::RateLimit {
                        calls: #calls, per: ::std::time::Duration::from_millis(#per),
                        scope: ::confapi_core::LimitScope::#scope,
                    },
                    source: #source,
                }
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok((profiles, first_span.unwrap_or(1000)))
}

/// `x-confapi-quota: {calls, per: month|day, note}`: the documented
/// allowance of calls per period.
fn quota(raw: &Value) -> Result<TokenStream, String> {
    let Some(q) = raw.get("x-confapi-quota") else { return Ok(quote!(None)) };
    let calls = q.get("calls").and_then(Value::as_u64).ok_or("x-confapi-quota needs calls")?;
    let days: u32 = match q.get("per").and_then(Value::as_str) {
        Some("day") => 1,
        Some("month") => 30,
        _ => return Err("x-confapi-quota: per is day or month".into()),
    };
    let note = q.get("note").and_then(Value::as_str).unwrap_or("");
    Ok(quote!(Some(::confapi_core::Quota { calls: #calls, days: #days, note: #note })))
}

fn operation_entry(op: &Operation) -> TokenStream {
    let Operation { id, method, path, safe, authenticated, success_status, .. } = op;
    let success_shape = option_str(op.success.clone());
    let error_shape = option_str(op.error.clone());
    quote! {
        ::confapi_core::OperationMeta {
            id: #id, method: #method, path: #path, safe: #safe, authenticated: #authenticated,
            success_status: #success_status, success_shape: #success_shape, error_shape: #error_shape,
        }
    }
}

/// The decoders of one operation (only built with the `audit` feature).
fn decoders_entry(op: &Operation) -> TokenStream {
    let ty = |schema: &Option<String>| match schema {
        Some(name) => {
            let ty = format_ident!("{}", name);
            quote!(types::#ty)
        }
        None => quote!(::serde_json::Value),
    };
    let success = ty(&op.success);
    let decode_error = match &op.error {
        Some(_) => {
            let error = ty(&op.error);
            quote!(Some(::confapi_core::meta::decode_as::<#error>))
        }
        None => quote!(None),
    };
    quote! {
        ::confapi_core::meta::Decoders {
            decode_success: ::confapi_core::meta::decode_as::<#success>,
            decode_error: #decode_error,
            parse_success: ::confapi_core::meta::parse_as::<#success>,
        }
    }
}

fn envelope_impls(
    ops: &[Operation],
    envelope: &Value,
    raw: &Value,
    has_refusals: bool,
    file: &syn::File,
) -> Result<Vec<TokenStream>, String> {
    let success: BTreeSet<&String> = ops.iter().filter_map(|o| o.success.as_ref()).collect();
    let errors: BTreeSet<&String> = ops.iter().filter_map(|o| o.error.as_ref()).collect();
    if let Some(both) = success.intersection(&errors).next() {
        return Err(format!("{both} is used as both a success and an error body"));
    }
    // The first of the named fields that is present (e.g. `request_id`, then `reqid`).
    let read = |strukt: &syn::ItemStruct, names: &[String]| -> TokenStream {
        let reads: Vec<TokenStream> = names
            .iter()
            .filter_map(|p| field_ident(strukt, p))
            .map(|ident| quote!(::confapi_core::AsText::as_text(&self.#ident)))
            .collect();
        match reads.split_first() {
            None => quote!(None),
            Some((first, rest)) => quote!(#first #(.or_else(|| #rest))*),
        }
    };
    let text = |strukt: &syn::ItemStruct, key: &str| read(strukt, &envelope_names(envelope, key));
    let mut out = Vec::new();
    for name in success.iter().chain(&errors) {
        let strukt = find_struct(file, name)?;
        let ty = format_ident!("{}", name);
        let (code, message, request_id) = (text(strukt, "code"), text(strukt, "message"), text(strukt, "request_id"));
        let outcome = raw.pointer(&format!("/components/schemas/{name}/x-confapi-outcome"));
        let body = if errors.contains(name) {
            quote!(Some(
                ::confapi_core::VendorFailure::new(#code, #message, #request_id, ERROR_CODES)
                    .with_body(::serde_json::to_value(self).ok(), VENDOR.envelope.hints)
            ))
        } else if let Some(outcome) = outcome {
            // The schema's own outcome field (DingTalk's `success`, close's `code`).
            let field = outcome
                .get("field")
                .and_then(Value::as_str)
                .ok_or(format!("{name}: x-confapi-outcome needs a field"))?;
            let ok: Vec<String> = outcome
                .get("success")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect())
                .ok_or(format!("{name}: x-confapi-outcome needs a success list"))?;
            let status = read(strukt, &[field.to_owned()]);
            if status.to_string() == "None" {
                return Err(format!("{name} has no field {field} for its x-confapi-outcome"));
            }
            let message = match outcome.get("message").and_then(Value::as_str) {
                Some(m) => read(strukt, &[m.to_owned()]),
                None => message,
            };
            let code = match outcome.get("code").and_then(Value::as_str) {
                Some(c) => read(strukt, &[c.to_owned()]),
                None => quote!(None),
            };
            let failed = outcome
                .get("failure")
                .and_then(Value::as_str)
                .ok_or(format!("{name}: x-confapi-outcome needs a failure text"))?;
            quote! {
                match #status {
                    Some(value) if ![#(#ok),*].contains(&value.as_str()) => Some(
                        ::confapi_core::VendorFailure::new(#code, #message.or_else(|| Some(#failed.to_owned())), #request_id, ERROR_CODES)
                            .with_body(::serde_json::to_value(self).ok(), VENDOR.envelope.hints),
                    ),
                    _ => None,
                }
            }
        } else if let Some(status_field) = envelope.get("status").and_then(Value::as_str) {
            let status = text(strukt, "status");
            if status.to_string() == "None" {
                return Err(format!("{name} has no envelope field {status_field}"));
            }
            // The body is encoded only for a failure: success costs nothing more.
            quote!(::confapi_core::in_band_failure(#status, VENDOR.envelope.success, #code, #message, #request_id, ERROR_CODES)
                .map(|f| f.with_body(::serde_json::to_value(self).ok(), VENDOR.envelope.hints)))
        } else {
            quote!(None)
        };
        // A gateway's refusal arrives in no documented shape: its marker
        // field lands in the body's extra fields, whatever the status.
        let has_extra = matches!(&strukt.fields, syn::Fields::Named(f) if f.named.iter().any(|f| f.ident.as_ref().is_some_and(|i| i == "extra")));
        let body = if has_refusals && has_extra {
            quote!(VENDOR.refusal_in_fields(&self.extra).or_else(|| #body))
        } else {
            body
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

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
use crate::spec_ext::SchemaExt;
use crate::vendor_ext::{Envelope, Names, VendorExt};
use crate::{dispatch, shapes};
use heck::ToShoutySnakeCase;
use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeSet;

pub fn generate(
    vendor: &str,
    raw: &Value,
    spec: &OpenAPI,
    ops: &[Operation],
    file: &syn::File,
) -> Result<Vec<syn::Item>, String> {
    let ext = VendorExt::of(raw)?;
    let envelope = &ext.envelope;

    let placement = placement(spec)?;
    let request_id_header = option_str(envelope.request_id_header.clone());
    let unknown_request = unknown_request(envelope);
    let hints = hints(envelope);
    let envelope_fields = {
        let status = option_str(envelope.status.clone());
        let success = &envelope.success;
        let (code, message, request_id) = (envelope.code.list(), envelope.message.list(), envelope.request_id.list());
        quote! {
            ::confapi_core::meta::EnvelopeFields {
                status: #status, success: &[#(#success),*], code: &[#(#code),*],
                message: &[#(#message),*], request_id: &[#(#request_id),*],
                unknown_request: #unknown_request,
                hints: &[#(#hints),*],
            }
        }
    };
    let error_codes = error_codes(&ext)?;
    let refusals = refusals(&ext)?;
    let (rate_limits, throttle_wait_ms) = rate_limits(&ext)?;
    let quota = quota(&ext)?;
    let (shape_statics, shapes) = shapes::table(raw);
    let secret_names = shapes::secret_names(raw);
    let default_base_url = option_str(shapes::default_base_url(raw));
    let has_refusals = !refusals.is_empty();
    let envelopes = envelope_impls(ops, envelope, raw, has_refusals, file)?;
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

fn option_str(value: Option<String>) -> TokenStream {
    match value {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// `hints: [{path: a.b, label: ..}]`: error-body fields that tell the
/// user what to fix.
fn hints(envelope: &Envelope) -> Vec<TokenStream> {
    envelope
        .hints
        .iter()
        .map(|h| {
            let (segments, label) = (h.path.split('.'), &h.label);
            quote!(::confapi_core::HintField { path: &[#(#segments),*], label: #label })
        })
        .collect()
}

/// `unknown_request: {status, body}`: what the vendor answers to a request
/// for an operation it does not have.
fn unknown_request(envelope: &Envelope) -> TokenStream {
    let Some(answer) = &envelope.unknown_request else { return quote!(None) };
    let (status, body) = (answer.status, answer.body.to_string());
    quote!(Some(::confapi_core::CannedAnswer { status: #status, body: #body }))
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

fn error_codes(ext: &VendorExt) -> Result<Vec<TokenStream>, String> {
    ext.error_codes
        .iter()
        .map(|(code, entry)| {
            let meaning = &entry.meaning;
            let class = failure_class(entry.class.as_deref().unwrap_or("other"))
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
fn refusals(ext: &VendorExt) -> Result<Vec<TokenStream>, String> {
    ext.refusals
        .iter()
        .map(|r| {
            let marker = match (&r.field, &r.text) {
                (Some(f), None) => quote!(::confapi_core::RefusalMarker::Field(#f)),
                (None, Some(t)) => quote!(::confapi_core::RefusalMarker::Text(#t)),
                _ => return Err("x-confapi-refusals: each needs exactly one of field and text".to_owned()),
            };
            let class = failure_class(&r.class)?;
            let meaning = &r.meaning;
            let code = option_str(r.code.clone());
            let wait = option_str(r.wait.clone());
            let unit = millis(r.wait_unit.as_deref().unwrap_or("1s"))?;
            let default_wait = match &r.default_wait {
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
fn rate_limits(ext: &VendorExt) -> Result<(Vec<TokenStream>, u64), String> {
    let mut first_span = None;
    let profiles = ext
        .rate_limits
        .iter()
        .map(|(name, limit)| {
            let calls = limit.calls;
            let per = millis(limit.per.as_deref().unwrap_or("1s"))?;
            first_span.get_or_insert(per);
            let scope = match limit.scope.as_str() {
                "operation" => quote!(Operation),
                "client" => quote!(Client),
                _ => return Err(format!("x-confapi-rate-limits.{name}: scope is operation or client")),
            };
            let source = limit.source.as_deref().unwrap_or("");
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
fn quota(ext: &VendorExt) -> Result<TokenStream, String> {
    let Some(q) = &ext.quota else { return Ok(quote!(None)) };
    let calls = q.calls;
    let days: u32 = match q.per.as_str() {
        "day" => 1,
        "month" => 30,
        _ => return Err("x-confapi-quota: per is day or month".into()),
    };
    let note = q.note.as_deref().unwrap_or("");
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
    envelope: &Envelope,
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
    let text = |strukt: &syn::ItemStruct, names: &Names| read(strukt, &names.list());
    let mut out = Vec::new();
    for name in success.iter().chain(&errors) {
        let strukt = find_struct(file, name)?;
        let ty = format_ident!("{}", name);
        let (code, message, request_id) =
            (text(strukt, &envelope.code), text(strukt, &envelope.message), text(strukt, &envelope.request_id));
        let schema = raw.pointer(&format!("/components/schemas/{name}")).unwrap_or(&Value::Null);
        let outcome = SchemaExt::of(schema).map_err(|e| format!("{name}: {e}"))?.outcome;
        let body = if errors.contains(name) {
            quote!(Some(
                ::confapi_core::VendorFailure::new(#code, #message, #request_id, ERROR_CODES)
                    .with_body(::serde_json::to_value(self).ok(), VENDOR.envelope.hints)
            ))
        } else if let Some(outcome) = outcome {
            // The schema's own outcome field (DingTalk's `success`, close's `code`).
            let field = &outcome.field;
            let ok: Vec<String> =
                outcome.success.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
            let status = read(strukt, std::slice::from_ref(field));
            if status.to_string() == "None" {
                return Err(format!("{name} has no field {field} for its x-confapi-outcome"));
            }
            let message = match &outcome.message {
                Some(m) => read(strukt, std::slice::from_ref(m)),
                None => message,
            };
            let code = match &outcome.code {
                Some(c) => read(strukt, std::slice::from_ref(c)),
                None => quote!(None),
            };
            let failed = &outcome.failure;
            quote! {
                match #status {
                    Some(value) if ![#(#ok),*].contains(&value.as_str()) => Some(
                        ::confapi_core::VendorFailure::new(#code, #message.or_else(|| Some(#failed.to_owned())), #request_id, ERROR_CODES)
                            .with_body(::serde_json::to_value(self).ok(), VENDOR.envelope.hints),
                    ),
                    _ => None,
                }
            }
        } else if let Some(status_field) = &envelope.status {
            let status = read(strukt, std::slice::from_ref(status_field));
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

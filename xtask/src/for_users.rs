//! The generated API as users meet it, shaped so that the additions vendors
//! make most (an optional field, an enum value, an operation) stay
//! compatible, in the manner of aws-sdk-rust:
//!
//! - every type of `mod types` is `#[non_exhaustive]`: no user code builds
//!   one with a struct literal or matches it exhaustively, so a new field or
//!   variant breaks no one;
//! - every type users send (request bodies and their parts) has `new` with
//!   its required fields, so leaving one out does not compile, and a setter
//!   per optional field taking `impl Into<…>` (`set_x` takes the `Option`);
//! - the lenient scalars its fields use are re-exported from `types`;
//! - progenitor's `Client::new` is hidden: the vendor crate's `builder()` is
//!   the way in.

use crate::postprocess::{json_name, module_mut, option_inner};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeSet;
use syn::{parse_quote, File, Item};

/// Applies the above to a generated file; `sent` names the types users send.
pub fn shape(file: &mut File, raw: &Value, sent: &BTreeSet<String>) -> Result<(), String> {
    let types = module_mut(&mut file.items, "types")?;
    let mut constructors = Vec::new();
    for item in types.iter_mut() {
        match item {
            Item::Struct(s) => {
                s.attrs.push(parse_quote!(#[non_exhaustive]));
                if sent.contains(&s.ident.to_string()) {
                    match &s.fields {
                        syn::Fields::Named(_) => constructors.push(constructor(s, raw)?),
                        // A free-form object (an empty request body): `new()` is an empty one;
                        // other newtypes have typify's `From` their inner value.
                        syn::Fields::Unnamed(f) if quote!(#f).to_string().contains("Map") => {
                            let name = &s.ident;
                            let doc = format!("An empty `{name}`.");
                            constructors.push(quote! {
                                impl #name {
                                    #[doc = #doc]
                                    #[allow(clippy::new_without_default)]
                                    pub fn new() -> Self {
                                        Self(::std::default::Default::default())
                                    }
                                }
                            });
                        }
                        _ => {}
                    }
                }
            }
            Item::Enum(e) => e.attrs.push(parse_quote!(#[non_exhaustive])),
            _ => {}
        }
    }
    for tokens in constructors {
        types.push(syn::parse2(tokens).map_err(|e| format!("a constructor does not parse: {e}"))?);
    }
    types.insert(
        0,
        parse_quote! {
            /// The lenient scalars and wrappers the fields below use, so
            /// `types::LenientInt` and friends are at hand.
            pub use ::confapi_core::{JsonOrString, LenientBool, LenientInt, NumberOrString, OneOrMany, OpenCode, OpenEnum, SecretString};
        },
    );
    hide_client_new(file);
    keep_progenitor_error_private(file)
}

/// progenitor re-exports its own `Error` at the top of the file, so
/// `generated::Error` would name another type than the crate's `Error`
/// (core's, which every `send` returns). It stays in scope for the builders,
/// privately.
fn keep_progenitor_error_private(file: &mut File) -> Result<(), String> {
    let reexport = file.items.iter_mut().find_map(|item| match item {
        Item::Use(u)
            if quote!(#u).to_string().contains("progenitor_client") && matches!(u.vis, syn::Visibility::Public(_)) =>
        {
            Some(u)
        }
        _ => None,
    });
    let Some(reexport) = reexport else {
        return Err("progenitor's `pub use progenitor_client::{…}` is missing".into());
    };
    let syn::UseTree::Path(path) = &mut reexport.tree else {
        return Err("progenitor's re-export is not `progenitor_client::{…}`".into());
    };
    let syn::UseTree::Group(group) = &mut *path.tree else {
        return Err("progenitor's re-export is not a `{…}` group".into());
    };
    let before = group.items.len();
    group.items =
        group.items.iter().filter(|t| !matches!(t, syn::UseTree::Name(n) if n.ident == "Error")).cloned().collect();
    if group.items.len() == before {
        return Err("progenitor's re-export no longer names `Error`".into());
    }
    file.items.insert(
        0,
        parse_quote! {
            #[allow(unused_imports)]
            use progenitor_client::Error;
        },
    );
    Ok(())
}

/// The JSON names a schema lists as required.
fn required(raw: &Value, schema: &str) -> BTreeSet<String> {
    raw.pointer(&format!("/components/schemas/{schema}/required"))
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `impl X { new(required…), field(value), set_field(Option) … }` for a type users send.
fn constructor(strukt: &syn::ItemStruct, raw: &Value) -> Result<TokenStream, String> {
    let name = &strukt.ident;
    let syn::Fields::Named(fields) = &strukt.fields else {
        return Err(format!("{name} is not a struct with named fields"));
    };
    let required = required(raw, &name.to_string());
    let (mut params, mut inits, mut setters) = (Vec::new(), Vec::new(), Vec::new());
    let mut required_docs = Vec::new();
    for field in &fields.named {
        let Some(ident) = field.ident.clone() else { continue };
        if ident == "extra" {
            inits.push(quote!(extra: ::std::default::Default::default()));
            continue;
        }
        if ident == "new" || ident.to_string().starts_with("set_") {
            return Err(format!("{name}.{ident}: the name clashes with a generated constructor or setter"));
        }
        let json = json_name(field).unwrap_or_else(|| ident.to_string());
        let docs: Vec<&syn::Attribute> = field.attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
        let ty = &field.ty;
        let inner = option_inner(ty);
        if required.contains(&json) {
            let param_ty = inner.unwrap_or(ty);
            params.push(quote!(#ident: impl ::std::convert::Into<#param_ty>));
            inits.push(match inner {
                Some(_) => quote!(#ident: ::std::option::Option::Some(#ident.into())),
                None => quote!(#ident: #ident.into()),
            });
            required_docs.push(if ident == json { format!("`{json}`") } else { format!("`{ident}` (`{json}`)") });
        } else {
            inits.push(quote!(#ident: ::std::default::Default::default()));
        }
        let set = format_ident!("set_{}", ident);
        let what = format!("Sets `{json}`.");
        let (value_ty, assign) = match inner {
            Some(inner) => {
                (quote!(impl ::std::convert::Into<#inner>), quote!(::std::option::Option::Some(value.into())))
            }
            None => (quote!(impl ::std::convert::Into<#ty>), quote!(value.into())),
        };
        setters.push(quote! {
            #[doc = #what]
            #(#docs)*
            pub fn #ident(mut self, value: #value_ty) -> Self {
                self.#ident = #assign;
                self
            }
        });
        let set_doc = format!("Sets or clears `{json}`.");
        setters.push(quote! {
            #[doc = #set_doc]
            pub fn #set(mut self, value: #ty) -> Self {
                self.#ident = value;
                self
            }
        });
    }
    let new_doc = if required_docs.is_empty() {
        format!("An empty `{name}`; set its fields with the methods below.")
    } else {
        format!("A `{name}` with what it requires, {}; set the rest with the methods below.", required_docs.join(", "))
    };
    Ok(quote! {
        impl #name {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default)]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    })
}

/// `#[doc(hidden)]` on progenitor's `Client::new(baseurl, runtime)`.
fn hide_client_new(file: &mut File) {
    for item in file.items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        let is_client = matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client || imp.trait_.is_some() {
            continue;
        }
        for member in imp.items.iter_mut() {
            if let syn::ImplItem::Fn(f) = member {
                if f.sig.ident == "new" {
                    f.attrs.push(parse_quote!(#[doc(hidden)]));
                }
            }
        }
    }
}

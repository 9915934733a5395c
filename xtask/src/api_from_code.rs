//! Test-only: the API as the generated file shows it, read with `syn`.
//! The change report never reads generated code; this reader checks that
//! `api_model` names types, fields and operations as the generator does.

use crate::api_model::{Api, Member, Operation, TypeDef};
use quote::ToTokens;
use std::collections::BTreeMap;
use syn::{Fields, Item, ItemMod, Type};

/// Reads the API from a generated file.
pub fn parse(code: &str) -> Result<Api, String> {
    let file = syn::parse_file(code).map_err(|e| format!("does not parse as Rust: {e}"))?;
    let mut api = Api::default();
    let mut builders: BTreeMap<String, String> = BTreeMap::new();
    for item in &file.items {
        match item {
            Item::Impl(imp) if imp.trait_.is_none() && tokens(&imp.self_ty) == "Client" => {
                for it in &imp.items {
                    if let syn::ImplItem::Fn(f) = it {
                        if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                            let ret = tokens(ty);
                            if let Some(b) = ret.strip_prefix("builder::") {
                                let name = b.split('<').next().unwrap_or(b).to_owned();
                                builders.insert(name, f.sig.ident.to_string());
                            }
                        }
                    }
                }
            }
            Item::Mod(m) if m.ident == "types" => api.types = types(m),
            _ => {}
        }
    }
    for item in &file.items {
        if let Item::Mod(m) = item {
            if m.ident == "builder" {
                operations(m, &builders, &mut api.operations);
            }
        }
    }
    Ok(api)
}

fn tokens<T: ToTokens>(t: &T) -> String {
    shorten(&t.to_token_stream().to_string())
}

/// `:: std :: option :: Option < :: std :: string :: String >` → `Option<String>`.
fn shorten(s: &str) -> String {
    let mut out: String = s.split_whitespace().collect();
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "::std::primitive::",
        "::confapi_core::",
        "crate::generated::types::",
        "super::types::",
        "types::builder::",
        "types::",
        "super::",
        "::serde_json::",
    ] {
        out = out.replace(prefix, "");
    }
    // prettyplease may leave a trailing comma in a long generic list.
    out.replace(",>", ">").replace(',', ", ").replace("&'a", "&'a ")
}

fn items(m: &ItemMod) -> &[Item] {
    m.content.as_ref().map(|(_, items)| items.as_slice()).unwrap_or_default()
}

fn types(m: &ItemMod) -> BTreeMap<String, TypeDef> {
    let mut out = BTreeMap::new();
    for item in items(m) {
        match item {
            Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
                let mut fields = BTreeMap::new();
                match &s.fields {
                    Fields::Named(named) => {
                        for f in &named.named {
                            let Some(ident) = &f.ident else { continue };
                            let name = ident.to_string().trim_start_matches("r#").to_owned();
                            if name == "extra" {
                                continue;
                            }
                            let has_default = f.attrs.iter().any(|a| {
                                a.path().is_ident("serde") && a.to_token_stream().to_string().contains("default")
                            });
                            let ty = tokens(&f.ty);
                            let optional = ty.starts_with("Option<") || has_default;
                            fields.insert(name, Member { ty, optional });
                        }
                    }
                    Fields::Unnamed(unnamed) => {
                        for (i, f) in unnamed.unnamed.iter().enumerate() {
                            fields.insert(i.to_string(), Member { ty: tokens(&f.ty), optional: false });
                        }
                    }
                    Fields::Unit => {}
                }
                out.insert(s.ident.to_string(), TypeDef::Struct(fields));
            }
            Item::Enum(e) if matches!(e.vis, syn::Visibility::Public(_)) => {
                let variants = e.variants.iter().map(|v| v.ident.to_string()).collect();
                out.insert(e.ident.to_string(), TypeDef::Enum(variants));
            }
            Item::Type(t) if matches!(t.vis, syn::Visibility::Public(_)) => {
                out.insert(t.ident.to_string(), TypeDef::Alias(tokens(&t.ty)));
            }
            _ => {}
        }
    }
    out
}

fn operations(m: &ItemMod, builders: &BTreeMap<String, String>, out: &mut BTreeMap<String, Operation>) {
    let mut by_builder: BTreeMap<String, Operation> = BTreeMap::new();
    for item in items(m) {
        match item {
            Item::Struct(s) if builders.contains_key(&s.ident.to_string()) => {
                let op = by_builder.entry(s.ident.to_string()).or_default();
                for f in &s.fields {
                    let Some(ident) = &f.ident else { continue };
                    let name = ident.to_string().trim_start_matches("r#").to_owned();
                    if name == "client" {
                        continue;
                    }
                    // `Result<T, String>`: the value the builder collects.
                    let inner = first_generic(&f.ty).map(|t| tokens(&t)).unwrap_or_else(|| tokens(&f.ty));
                    if name == "body" {
                        op.body = Some(inner);
                    } else {
                        let optional = inner.starts_with("Option<");
                        op.params.insert(name, Member { ty: inner, optional });
                    }
                }
            }
            Item::Impl(imp) if imp.trait_.is_none() => {
                let self_ty = tokens(&imp.self_ty);
                let name = self_ty.split('<').next().unwrap_or_default().to_owned();
                if !builders.contains_key(&name) {
                    continue;
                }
                let op = by_builder.entry(name).or_default();
                for it in &imp.items {
                    if let syn::ImplItem::Fn(f) = it {
                        if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                            if let Some(response) = response_type(&tokens(ty)) {
                                op.response.get_or_insert(response);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (builder, op) in by_builder {
        if let Some(method) = builders.get(&builder) {
            out.insert(method.clone(), op);
        }
    }
}

fn first_generic(ty: &Type) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// The success type in a `send` signature, in progenitor's form
/// (`Result<ResponseValue<T>, Error<E>>`) or a plain `Result<T, Error>`.
fn response_type(ret: &str) -> Option<String> {
    if let Some(start) = ret.find("ResponseValue<") {
        let inner = &ret[start + "ResponseValue<".len()..];
        return Some(balanced_prefix(inner));
    }
    let inner = ret.strip_prefix("Result<")?;
    let ty = balanced_prefix_until_comma(inner);
    (ret.contains("Error>") || ret.ends_with("Error>")).then_some(ty).filter(|t| !t.starts_with("Self"))
}

fn balanced_prefix(s: &str) -> String {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' if depth == 0 => return s[..i].to_owned(),
            '>' => depth -= 1,
            _ => {}
        }
    }
    s.to_owned()
}

fn balanced_prefix_until_comma(s: &str) -> String {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => return s[..i].trim().to_owned(),
            _ => {}
        }
    }
    s.to_owned()
}

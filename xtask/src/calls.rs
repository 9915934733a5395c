//! The typed call of every operation, added to progenitor's builders.
//!
//! progenitor's `send` returns its own error type, so it becomes the
//! builder's private `exchange` (one HTTP attempt), and a `send` returning
//! the operation's type or a `confapi_core::Error` takes its place: it
//! hands the attempts to `confapi_core::Call`, which owns the call path.
//! Operations the spec marks `x-confapi-paginated` also get `stream()`.

use crate::meta::op_static;
use crate::model::{Operation, PageBy, Paging, ParamDefault};
use crate::postprocess::{
    field_type, find_struct, generic_arg, module_mut, option_inner, qualify, type_name, type_names,
};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;
use syn::{parse_quote, File, ImplItem, Item, ReturnType, Visibility};

/// Adds the typed calls to the `builder` module of `file`.
pub fn add(file: &mut File, ops: &[Operation]) -> Result<(), String> {
    let builders = builder_names(file)?;
    let mut added: Vec<Item> = Vec::new();
    for op in ops {
        let builder = builders.get(&op.id).ok_or_else(|| format!("{}: no builder in progenitor's output", op.id))?;
        let success = rename_send(file, builder)?;
        let op_static = op_static(&op.id);
        let doc = format!(
            "Sends `{} {}`: the client's credential is placed, an expired one is renewed once, and failures are \
             retried as the client's retry policy and the operation's safety allow.",
            op.method, op.path
        );
        added.push(parse_quote! {
            impl<'a> #builder<'a> {
                #[doc = #doc]
                pub async fn send(self) -> ::std::result::Result<#success, ::confapi_core::Error> {
                    let call = ::confapi_core::Call::new(self.client, super::meta::op::#op_static);
                    let request = #builder { client: call.client(), ..self };
                    call.run(|| request.clone().exchange()).await
                }
            }
        });
        if let Some(paging) = &op.paging {
            added.extend(paginated(file, op, builder, &success, paging)?);
        }
    }
    builder_module(file)?.extend(added);
    Ok(())
}

/// Each builder starts with its parameters' spec defaults instead of
/// progenitor's `None`, so a call sends them unless the caller picks
/// another value (OpenVox's `type=json`). progenitor ignores defaults.
pub fn fill_defaults(file: &mut File, ops: &[Operation]) -> Result<(), String> {
    let builders = builder_names(file)?;
    for op in ops {
        let defaults: Vec<(&syn::Ident, TokenStream)> = op
            .params
            .iter()
            .filter_map(|p| {
                let value = match p.default.as_ref()? {
                    ParamDefault::Schema => quote!(::std::default::Default::default()),
                    ParamDefault::Text(text) => quote!(::std::string::String::from(#text)),
                };
                Some((&p.method, value))
            })
            .collect();
        if defaults.is_empty() {
            continue;
        }
        let builder = builders.get(&op.id).ok_or_else(|| format!("{}: no builder in progenitor's output", op.id))?;
        let new = builder_module(file)?
            .iter_mut()
            .filter_map(|item| match item {
                Item::Impl(imp)
                    if imp.trait_.is_none() && type_name(&imp.self_ty).as_deref() == Some(&builder.to_string()) =>
                {
                    Some(imp)
                }
                _ => None,
            })
            .flat_map(|imp| imp.items.iter_mut())
            .find_map(|member| match member {
                ImplItem::Fn(f) if f.sig.ident == "new" => Some(f),
                _ => None,
            })
            .ok_or_else(|| format!("{}: builder {builder} has no `new`", op.id))?;
        let mut filled = 0;
        for stmt in new.block.stmts.iter_mut() {
            let syn::Stmt::Expr(syn::Expr::Struct(init), _) = stmt else { continue };
            for field in init.fields.iter_mut() {
                let syn::Member::Named(ident) = &field.member else { continue };
                if let Some((_, value)) = defaults.iter().find(|(m, _)| *m == ident) {
                    field.expr = parse_quote!(Ok(Some(#value)));
                    filled += 1;
                }
            }
        }
        if filled != defaults.len() {
            return Err(format!("{}: builder {builder} lacks a field for a defaulted parameter", op.id));
        }
    }
    Ok(())
}

/// Operation id → builder struct, from the methods of progenitor's `impl Client`.
fn builder_names(file: &File) -> Result<BTreeMap<String, syn::Ident>, String> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || type_name(&imp.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for member in &imp.items {
            let ImplItem::Fn(f) = member else { continue };
            if let ReturnType::Type(_, ty) = &f.sig.output {
                if let Some(name) = type_name(ty) {
                    out.insert(f.sig.ident.to_string(), syn::Ident::new(&name, f.sig.ident.span()));
                }
            }
        }
    }
    Ok(out)
}

fn builder_module(file: &mut File) -> Result<&mut Vec<Item>, String> {
    module_mut(&mut file.items, "builder")
}

/// Renames the builder's `send` to a private `exchange`; returns the
/// success type it produced (`types::X` in `ResponseValue<types::X>`).
fn rename_send(file: &mut File, builder: &syn::Ident) -> Result<syn::Type, String> {
    for item in builder_module(file)?.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || type_name(&imp.self_ty).as_deref() != Some(&builder.to_string()) {
            continue;
        }
        for member in imp.items.iter_mut() {
            let ImplItem::Fn(f) = member else { continue };
            if f.sig.ident != "send" {
                continue;
            }
            let ReturnType::Type(_, result) = &f.sig.output else {
                return Err(format!("{builder}::send returns nothing"));
            };
            let value =
                generic_arg(result, "Result").ok_or_else(|| format!("{builder}::send does not return a Result"))?;
            let success = generic_arg(value, "ResponseValue")
                .ok_or_else(|| format!("{builder}::send does not return a ResponseValue"))?
                .clone();
            f.sig.ident = syn::Ident::new("exchange", f.sig.ident.span());
            f.vis = Visibility::Inherited;
            f.attrs.retain(|a| !a.path().is_ident("doc"));
            f.attrs.push(parse_quote!(#[doc = "One HTTP attempt, as progenitor generated it (see `send`)."]));
            return Ok(success);
        }
    }
    Err(format!("{builder} has no send method"))
}

/// One field step of a response path: the field and whether it is optional.
struct Step {
    ident: syn::Ident,
    optional: bool,
}

/// Follows `path` (JSON names) from schema `start`; returns the steps and
/// the leaf's type (inside its `Option`).
fn resolve(file: &File, start: &str, path: &[String]) -> Result<(Vec<Step>, syn::Type), String> {
    let mut steps = Vec::new();
    let mut current = start.to_owned();
    let mut leaf = None;
    for (i, name) in path.iter().enumerate() {
        let strukt = find_struct(file, &current)?;
        let (ident, ty) = field_type(strukt, name).ok_or_else(|| format!("{current} has no field {name}"))?;
        let (inner, optional) = match option_inner(ty) {
            Some(inner) => (inner.clone(), true),
            None => (ty.clone(), false),
        };
        steps.push(Step { ident, optional });
        if i + 1 < path.len() {
            current = type_name(&inner).ok_or_else(|| format!("{current}.{name} is not a named type"))?;
        }
        leaf = Some(inner);
    }
    leaf.map(|l| (steps, l)).ok_or_else(|| "empty path in x-confapi-paginated".to_string())
}

/// `Option<Leaf>`, moving out of `root`.
fn moved(root: TokenStream, steps: &[Step]) -> TokenStream {
    steps.iter().fold(quote!(Some(#root)), |e, s| {
        let id = &s.ident;
        if s.optional {
            quote!(#e.and_then(|v| v.#id))
        } else {
            quote!(#e.map(|v| v.#id))
        }
    })
}

/// `Option<&Leaf>`, borrowing `root`.
fn borrowed(root: TokenStream, steps: &[Step]) -> TokenStream {
    steps.iter().fold(quote!(Some(&#root)), |e, s| {
        let id = &s.ident;
        if s.optional {
            quote!(#e.and_then(|v| v.#id.as_ref()))
        } else {
            quote!(#e.map(|v| &v.#id))
        }
    })
}

/// `impl Paginated` and `stream()` for one paginated operation.
fn paginated(
    file: &File,
    op: &Operation,
    builder: &syn::Ident,
    success: &syn::Type,
    paging: &Paging,
) -> Result<Vec<Item>, String> {
    let response =
        op.success.as_deref().ok_or_else(|| format!("{}: a paginated operation needs a response schema", op.id))?;
    let (item_steps, items_ty) = resolve(file, response, &paging.items)?;
    let item = generic_arg(&items_ty, "Vec").ok_or_else(|| format!("{}: items is not an array", op.id))?;
    let item = qualify(item, &type_names(file));
    let items = moved(quote!(r), &item_steps);
    let scalar = |path: &Option<Vec<String>>, reader: TokenStream| -> Result<TokenStream, String> {
        match path {
            None => Ok(quote!(None)),
            Some(path) => {
                let (steps, _) = resolve(file, response, path)?;
                let value = borrowed(quote!(r), &steps);
                Ok(quote!(#reader(&#value)))
            }
        }
    };
    let total = scalar(&paging.total, quote!(::confapi_core::AsCount::as_count))?;
    let has_more = scalar(&paging.has_more, quote!(::confapi_core::AsFlag::as_flag))?;
    let (numbered, next_token, at) = match &paging.by {
        PageBy::Number(field) => {
            let set = request_setter(file, op, field, quote!(i64::from(*n)))?;
            (true, quote!(None), quote!(match cursor { ::confapi_core::Cursor::Number(n) => #set, _ => self }))
        }
        PageBy::Token { request, next } => {
            let set = request_setter(file, op, request, quote!(t.clone()))?;
            let next = scalar(&Some(next.clone()), quote!(::confapi_core::AsText::as_text))?;
            (false, next, quote!(match cursor { ::confapi_core::Cursor::Token(t) => #set, _ => self }))
        }
    };
    let doc = format!(
        "Every item of every page of `{}`, fetching pages as the stream is read; it ends after the last page, \
         an empty page, a repeated page or cursor, or an error (yielded last).",
        op.id
    );
    Ok(vec![
        parse_quote! {
            impl<'a> ::confapi_core::Paginated for #builder<'a> {
                type Item = #item;
                type Response = #success;
                const NUMBERED: bool = #numbered;
                fn at(self, cursor: &::confapi_core::Cursor) -> Self {
                    #at
                }
                fn fetch(self) -> impl ::std::future::Future<Output = ::std::result::Result<#success, ::confapi_core::Error>> + Send {
                    self.send()
                }
                fn page(r: #success) -> ::confapi_core::PageOf<#item> {
                    let total = #total;
                    let has_more = #has_more;
                    let next_token = #next_token;
                    ::confapi_core::PageOf { items: #items.unwrap_or_default(), next_token, has_more, total }
                }
            }
        },
        parse_quote! {
            impl<'a> #builder<'a> {
                #[doc = #doc]
                pub fn stream(self) -> impl ::confapi_core::Stream<Item = ::std::result::Result<#item, ::confapi_core::Error>> + 'a {
                    ::confapi_core::pages(self)
                }
            }
        },
    ])
}

/// `self` with request field `field` set to `value` (`i64` page number or
/// `String` token): a parameter's builder method, or a body field.
fn request_setter(file: &File, op: &Operation, field: &str, value: TokenStream) -> Result<TokenStream, String> {
    if let Some(param) = op.params.iter().find(|p| p.api_name == field) {
        let method = &param.method;
        return Ok(quote!(self.#method(#value)));
    }
    let body = op.body.as_deref().ok_or_else(|| format!("{}: no parameter or body field {field}", op.id))?;
    let strukt = find_struct(file, body)?;
    let (ident, ty) = field_type(strukt, field).ok_or_else(|| format!("{body} has no field {field}"))?;
    let set = match option_inner(ty) {
        // A page number into the field's own integer type; a token as is.
        Some(inner) if type_name(inner).as_deref() != Some("String") => {
            let inner = qualify(inner, &type_names(file));
            quote!(self.body_map(|b| b.#ident(<#inner as ::std::convert::TryFrom<i64>>::try_from(#value).ok())))
        }
        Some(_) => quote!(self.body_map(|b| b.#ident(Some(#value)))),
        None if type_name(ty).as_deref() == Some("String") => quote!(self.body_map(|b| b.#ident(#value))),
        None => {
            let ty = qualify(ty, &type_names(file));
            quote! {
            match <#ty as ::std::convert::TryFrom<i64>>::try_from(#value) {
                Ok(v) => self.body_map(|b| b.#ident(v)),
                Err(_) => self,
            }
            }
        }
    };
    Ok(set)
}

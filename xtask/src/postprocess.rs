//! Edits of progenitor's output that no generator setting offers, applied to
//! the syntax tree (never to checked-in text).

use syn::{parse_quote, Fields, File, Item, ItemStruct};

/// The items of the module `name` among `items` (`types`, `builder`).
pub fn module_mut<'a>(items: &'a mut [Item], name: &str) -> Result<&'a mut Vec<Item>, String> {
    items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| format!("generated code has no `{name}` module"))
}

/// The `pub mod types` of a generated file.
fn types_module(file: &mut File) -> Result<&mut Vec<Item>, String> {
    module_mut(&mut file.items, "types")
}

/// The struct generated for schema `name`.
pub fn find_struct<'a>(file: &'a File, name: &str) -> Result<&'a ItemStruct, String> {
    file.items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| "generated code has no `types` module".to_string())?
        .iter()
        .find_map(|item| match item {
            Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .ok_or_else(|| format!("no generated struct {name}"))
}

fn find_struct_mut<'a>(file: &'a mut File, name: &str) -> Result<&'a mut ItemStruct, String> {
    types_module(file)?
        .iter_mut()
        .find_map(|item| match item {
            Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .ok_or_else(|| format!("no generated struct {name}"))
}

/// The JSON name of a field: its `#[serde(rename = "..")]`, else its ident.
pub fn json_name(field: &syn::Field) -> Option<String> {
    let mut name = field.ident.as_ref().map(|i| i.to_string());
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                name = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    name
}

/// The Rust ident of the field that holds JSON property `property`.
pub fn field_ident(strukt: &ItemStruct, property: &str) -> Option<syn::Ident> {
    let Fields::Named(fields) = &strukt.fields else {
        return None;
    };
    fields.named.iter().find(|f| json_name(f).as_deref() == Some(property)).and_then(|f| f.ident.clone())
}

/// The Rust ident and type of the field that holds JSON property `property`.
pub fn field_type<'a>(strukt: &'a ItemStruct, property: &str) -> Option<(syn::Ident, &'a syn::Type)> {
    let Fields::Named(fields) = &strukt.fields else {
        return None;
    };
    let field = fields.named.iter().find(|f| json_name(f).as_deref() == Some(property))?;
    Some((field.ident.clone()?, &field.ty))
}

/// The last path segment of a type's name (`Client` for `super::Client<'a>`).
pub fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(r) => type_name(&r.elem),
        _ => None,
    }
}

/// The first type argument of `ty` when its name is `wrapper` (`T` in `Vec<T>`).
pub fn generic_arg<'a>(ty: &'a syn::Type, wrapper: &str) -> Option<&'a syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// The names `mod types` defines.
pub fn type_names(file: &File) -> std::collections::BTreeSet<String> {
    let items = file.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    items
        .into_iter()
        .flatten()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// `ty` as seen from a sibling of `mod types`: its own names get `types::`.
pub fn qualify(ty: &syn::Type, names: &std::collections::BTreeSet<String>) -> syn::Type {
    let mut ty = ty.clone();
    qualify_in_place(&mut ty, names);
    ty
}

fn qualify_in_place(ty: &mut syn::Type, names: &std::collections::BTreeSet<String>) {
    let syn::Type::Path(p) = ty else { return };
    for segment in p.path.segments.iter_mut() {
        if let syn::PathArguments::AngleBracketed(args) = &mut segment.arguments {
            for arg in args.args.iter_mut() {
                if let syn::GenericArgument::Type(t) = arg {
                    qualify_in_place(t, names);
                }
            }
        }
    }
    let local = p.qself.is_none() && p.path.leading_colon.is_none() && p.path.segments.len() == 1;
    if local && names.contains(&p.path.segments[0].ident.to_string()) {
        p.path.segments.insert(0, syn::PathSegment::from(syn::Ident::new("types", proc_macro2::Span::call_site())));
    }
}

/// `T` for `Option<T>`, else `None`.
pub fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    generic_arg(ty, "Option")
}

/// The `extra` map of unknown fields (added to every object by
/// preprocessing) starts empty in typify's builders, instead of being a
/// value every caller must supply before a body can be sent.
pub fn default_extra_maps(file: &mut File) -> Result<(), String> {
    let builders = module_mut(types_module(file)?, "builder")?;
    for item in builders.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        let is_default =
            imp.trait_.as_ref().and_then(|(_, path, _)| path.segments.last()).is_some_and(|s| s.ident == "Default");
        if !is_default {
            continue;
        }
        for member in imp.items.iter_mut() {
            let syn::ImplItem::Fn(f) = member else { continue };
            for stmt in f.block.stmts.iter_mut() {
                let syn::Stmt::Expr(syn::Expr::Struct(init), _) = stmt else { continue };
                for field in init.fields.iter_mut() {
                    if matches!(&field.member, syn::Member::Named(id) if id == "extra") {
                        field.expr = parse_quote!(Ok(Default::default()));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Drops typify's builder (`types::builder::X` and `X::builder()`) for every
/// type that is not an operation's request body. Only bodies are built
/// through builders (`body_map`); a builder's setters take the nested types
/// as values. The rest was half of a generated file, and build time.
pub fn keep_builders_of(file: &mut File, bodies: &std::collections::BTreeSet<String>) -> Result<(), String> {
    let types = types_module(file)?;
    let keep = |ty: &syn::Type| type_name(ty).is_some_and(|name| bodies.contains(&name));
    for item in types.iter_mut() {
        // `impl X { pub fn builder() -> builder::X }`
        if let Item::Impl(imp) = item {
            if imp.trait_.is_none() && !keep(&imp.self_ty) {
                imp.items.retain(|member| !matches!(member, syn::ImplItem::Fn(f) if f.sig.ident == "builder"));
            }
        }
    }
    types.retain(|item| !matches!(item, Item::Impl(imp) if imp.trait_.is_none() && imp.items.is_empty()));
    let builders = module_mut(types, "builder")?;
    builders.retain(|item| match item {
        Item::Struct(s) => bodies.contains(&s.ident.to_string()),
        Item::Impl(imp) => keep(&imp.self_ty),
        _ => true,
    });
    Ok(())
}

/// Types that are only ever sent (request bodies and what only they hold)
/// derive `Deserialize` only with the crate's `test-util` feature, which
/// reads request bodies from JSON: applications never decode them.
pub fn deserialize_only_for_tests(
    file: &mut File,
    sent_only: &std::collections::BTreeSet<String>,
) -> Result<(), String> {
    for item in types_module(file)?.iter_mut() {
        let (name, attrs) = match item {
            Item::Struct(s) => (s.ident.to_string(), &mut s.attrs),
            Item::Enum(e) => (e.ident.to_string(), &mut e.attrs),
            _ => continue,
        };
        if !sent_only.contains(&name) {
            continue;
        }
        for attr in attrs.iter_mut() {
            if !attr.path().is_ident("derive") {
                continue;
            }
            let paths = attr
                .parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                .map_err(|e| format!("{name}: derive does not parse: {e}"))?;
            let kept: Vec<&syn::Path> =
                paths.iter().filter(|p| p.segments.last().is_none_or(|s| s.ident != "Deserialize")).collect();
            if kept.len() != paths.len() {
                *attr = parse_quote!(#[derive(#(#kept),*)]);
                attrs.push(parse_quote!(#[cfg_attr(feature = "test-util", derive(::serde::Deserialize))]));
                break;
            }
        }
    }
    Ok(())
}

/// Adds `#[serde(alias = "..")]` so the property also decodes from `aliases`.
pub fn add_aliases(file: &mut File, schema: &str, property: &str, aliases: &[String]) -> Result<(), String> {
    let strukt = find_struct_mut(file, schema)?;
    let Fields::Named(fields) = &mut strukt.fields else {
        return Err(format!("{schema} is not a struct with named fields"));
    };
    let field = fields
        .named
        .iter_mut()
        .find(|f| json_name(f).as_deref() == Some(property))
        .ok_or_else(|| format!("{schema} has no field for property {property}"))?;
    for alias in aliases {
        field.attrs.push(parse_quote!(#[serde(alias = #alias)]));
    }
    Ok(())
}

//! Edits of progenitor's output that no generator setting offers, applied to
//! the syntax tree (never to checked-in text).

use syn::{parse_quote, Fields, File, Item, ItemStruct};

/// The `pub mod types` of a generated file.
fn types_module(file: &mut File) -> Result<&mut Vec<Item>, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| "generated code has no `types` module".to_string())
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
fn json_name(field: &syn::Field) -> Option<String> {
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

//! The API change report `cargo xtask codegen` prints: what a regenerated
//! `generated.rs` changes for users, one CHANGELOG-ready line per change.
//!
//! Both files are parsed with `syn`. The API is the operations (methods of
//! `impl Client` that return a builder, with the builder's parameters, body
//! type and response type) and the types of `pub mod types` (struct fields
//! with their Rust types and whether they are optional; enum variants).
//! The `extra` catch-all, the `builder` submodules and `meta` are not API
//! anyone writes against, and are left out.

use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use syn::{Fields, Item, ItemMod, Type};

/// The user-facing API of one generated client.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Api {
    /// Operations by method name.
    pub operations: BTreeMap<String, Operation>,
    /// Types by name.
    pub types: BTreeMap<String, TypeDef>,
}

/// One operation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Operation {
    /// Path, query and header parameters.
    pub params: BTreeMap<String, Member>,
    /// The body type, when it takes one.
    pub body: Option<String>,
    /// The success type, when the builder shows it.
    pub response: Option<String>,
}

/// A parameter or a struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Its Rust type, shortened (`Option<String>`).
    pub ty: String,
    /// Whether callers may leave it out.
    pub optional: bool,
}

/// A type of `pub mod types`.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    /// A struct and its fields.
    Struct(BTreeMap<String, Member>),
    /// An enum and its variants.
    Enum(BTreeSet<String>),
    /// A type alias, with its target.
    Alias(String),
}

/// Whether a change can break users' code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Removed or changed API, or a new required request field.
    Breaking,
    /// New optional fields, new operations, new types.
    Compatible,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// `operation foo` or `type Foo`.
    pub item: String,
    /// `field bar`, `parameter baz`, `variant Qux`, `body`, `response`, or empty.
    pub member: String,
    /// `added (T)`, `removed`, `changed A → B`.
    pub what: String,
    /// Breaking or compatible.
    pub impact: Impact,
}

impl Change {
    /// The CHANGELOG line.
    pub fn line(&self, vendor: &str) -> String {
        let member = if self.member.is_empty() { String::new() } else { format!(": {}", self.member) };
        let impact = match self.impact {
            Impact::Breaking => "breaking",
            Impact::Compatible => "compatible",
        };
        format!("- {vendor}: {}{member} {} — {impact}", self.item, self.what)
    }
}

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

/// The types a request can carry: operation bodies and what they contain.
fn request_types(api: &Api) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut todo: Vec<String> = api.operations.values().filter_map(|o| o.body.clone()).collect();
    while let Some(ty) = todo.pop() {
        for name in names_in(&ty) {
            if api.types.contains_key(&name) && out.insert(name.clone()) {
                if let Some(TypeDef::Struct(fields)) = api.types.get(&name) {
                    todo.extend(fields.values().map(|f| f.ty.clone()));
                }
                if let Some(TypeDef::Alias(target)) = api.types.get(&name) {
                    todo.push(target.clone());
                }
            }
        }
    }
    out
}

fn names_in(ty: &str) -> Vec<String> {
    ty.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// What changed from `old` to `new`, sorted: operations, then types.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    let requests = request_types(new);
    let change =
        |item: String, member: &str, what: String, impact| Change { item, member: member.to_owned(), what, impact };
    for (name, op) in &old.operations {
        let item = format!("operation {name}");
        let Some(now) = new.operations.get(name) else {
            out.push(change(item, "", "removed".into(), Impact::Breaking));
            continue;
        };
        members(&item, "parameter", &op.params, &now.params, true, &mut out);
        for (label, a, b) in [("body", &op.body, &now.body), ("response", &op.response, &now.response)] {
            match (a, b) {
                (Some(a), Some(b)) if a != b => {
                    out.push(change(item.clone(), label, format!("changed {a} → {b}"), Impact::Breaking))
                }
                (None, Some(b)) => out.push(change(item.clone(), label, format!("added ({b})"), Impact::Breaking)),
                (Some(_), None) => out.push(change(item.clone(), label, "removed".into(), Impact::Breaking)),
                _ => {}
            }
        }
    }
    for name in new.operations.keys().filter(|n| !old.operations.contains_key(*n)) {
        out.push(change(format!("operation {name}"), "", "added".into(), Impact::Compatible));
    }
    for (name, def) in &old.types {
        let item = format!("type {name}");
        match (def, new.types.get(name)) {
            (_, None) => out.push(change(item, "", "removed".into(), Impact::Breaking)),
            (TypeDef::Struct(a), Some(TypeDef::Struct(b))) => {
                members(&item, "field", a, b, requests.contains(name), &mut out)
            }
            (TypeDef::Enum(a), Some(TypeDef::Enum(b))) => {
                for v in a.difference(b) {
                    out.push(change(item.clone(), &format!("variant {v}"), "removed".into(), Impact::Breaking));
                }
                for v in b.difference(a) {
                    out.push(change(item.clone(), &format!("variant {v}"), "added".into(), Impact::Compatible));
                }
            }
            (a, Some(b)) if a != b => {
                out.push(change(item, "", format!("changed {} → {}", shape(a), shape(b)), Impact::Breaking))
            }
            _ => {}
        }
    }
    for name in new.types.keys().filter(|n| !old.types.contains_key(*n)) {
        out.push(change(format!("type {name}"), "", "added".into(), Impact::Compatible));
    }
    out
}

fn shape(def: &TypeDef) -> String {
    match def {
        TypeDef::Struct(_) => "struct".into(),
        TypeDef::Enum(_) => "enum".into(),
        TypeDef::Alias(t) => t.clone(),
    }
}

fn members(
    item: &str,
    kind: &str,
    old: &BTreeMap<String, Member>,
    new: &BTreeMap<String, Member>,
    request: bool,
    out: &mut Vec<Change>,
) {
    for (name, m) in old {
        let member = format!("{kind} {name}");
        match new.get(name) {
            None => out.push(Change { item: item.into(), member, what: "removed".into(), impact: Impact::Breaking }),
            Some(n) if n.ty != m.ty => out.push(Change {
                item: item.into(),
                member,
                what: format!("changed {} → {}", m.ty, n.ty),
                impact: Impact::Breaking,
            }),
            _ => {}
        }
    }
    for (name, m) in new.iter().filter(|(n, _)| !old.contains_key(*n)) {
        let (what, impact) = match (m.optional, request) {
            (true, _) => (format!("added ({})", m.ty), Impact::Compatible),
            (false, true) => (format!("added, required ({})", m.ty), Impact::Breaking),
            (false, false) => (format!("added, always present ({})", m.ty), Impact::Compatible),
        };
        out.push(Change { item: item.into(), member: format!("{kind} {name}"), what, impact });
    }
}

/// The report for one vendor: CHANGELOG lines, then what to bump. Empty
/// when nothing users see changed.
pub fn report(vendor: &str, old: &Api, new: &Api) -> Vec<String> {
    let changes = diff(old, new);
    if changes.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<String> = changes.iter().map(|c| c.line(vendor)).collect();
    let breaking = changes.iter().filter(|c| c.impact == Impact::Breaking).count();
    lines.push(if breaking > 0 {
        format!(
            "  ({breaking} breaking of {}: bump confapi-{vendor}'s minor version while it is 0.x, its major after 1.0, and the crates that depend on it)",
            changes.len()
        )
    } else {
        format!("  (all {} compatible: a patch release of confapi-{vendor} while it is 0.x, a minor one after 1.0)", changes.len())
    })
    ;
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = include_str!("../testdata/report/base.yaml");

    fn generate(spec: &str) -> Api {
        let code = crate::generate::generate("testvendor", spec).unwrap();
        parse(&code).unwrap()
    }

    /// The base spec with `edit` applied (`from` must occur exactly once).
    fn edited(from: &str, to: &str) -> String {
        assert_eq!(BASE.matches(from).count(), 1, "{from:?} must occur once in base.yaml");
        BASE.replace(from, to)
    }

    fn golden(name: &str, spec: &str) {
        let lines = report("testvendor", &generate(BASE), &generate(spec));
        insta::with_settings!({snapshot_path => "../testdata/report/snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, lines.join("\n"));
        });
    }

    #[test]
    fn the_base_api_is_read() {
        let api = generate(BASE);
        let op = &api.operations["room_get"];
        assert_eq!(op.body.as_deref(), Some("RoomQuery"));
        assert_eq!(op.response.as_deref(), Some("Room"));
        assert!(matches!(&api.types["Room"], TypeDef::Struct(f) if f.contains_key("name") && !f.contains_key("extra")));
        assert!(report("testvendor", &api, &api).is_empty());
    }

    #[test]
    fn new_optional_response_field() {
        golden(
            "new_optional_response_field",
            &edited("        name: {type: string}\n", "        name: {type: string}\n        floor: {type: integer}\n"),
        );
    }

    #[test]
    fn removed_field() {
        golden("removed_field", &edited("        seats: {type: integer}\n", ""));
    }

    #[test]
    fn changed_type() {
        golden("changed_type", &edited("        seats: {type: integer}\n", "        seats: {type: string}\n"));
    }

    #[test]
    fn new_required_request_field() {
        golden(
            "new_required_request_field",
            &edited(
                "      required: [number]\n      properties:\n        number: {type: string}\n",
                "      required: [number, site]\n      properties:\n        number: {type: string}\n        site: {type: string}\n",
            ),
        );
    }

    #[test]
    fn new_operation() {
        golden(
            "new_operation",
            &edited("  # more operations\n", include_str!("../testdata/report/new-operation.yaml")),
        );
    }

    #[test]
    fn send_returning_the_type_directly_is_read_too() {
        assert_eq!(response_type("Result<Room, Error>").as_deref(), Some("Room"));
        assert_eq!(response_type("Result<ResponseValue<Room>, Error<()>>").as_deref(), Some("Room"));
        assert_eq!(response_type("Result<Self, String>"), None);
    }
}

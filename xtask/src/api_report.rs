//! The API change report `cargo xtask codegen` prints: what a spec edit
//! changes for users of the vendor crate, one CHANGELOG-ready line per
//! change.
//!
//! It diffs two spec models (`api_model::Api`: operations, parameters,
//! bodies, responses, schemas and their fields, named as the generator
//! names them); no generated code is read. Verdicts follow the Rust semver
//! rules for the types as generated: every type is `#[non_exhaustive]`
//! and what users send is built with `new(required…)` plus setters, so a
//! new optional field, a new enum value, a new type or a new operation is
//! compatible; a new required request field (`new` gains an argument), a
//! removed or retyped field, parameter, type or operation is breaking.

use crate::api_model::{Api, Member, TypeDef};
use crate::release::{Bump, Version};
use std::collections::BTreeMap;

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

/// What changed from `old` to `new`, sorted: operations, then types.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    let requests = &new.sent;
    let change =
        |item: String, member: &str, what: String, impact| Change { item, member: member.to_owned(), what, impact };
    for (name, op) in &old.operations {
        let item = format!("operation {name}");
        let Some(now) = new.operations.get(name) else {
            out.push(change(item, "", "removed".into(), Impact::Breaking));
            continue;
        };
        members(&item, "parameter", &op.params, &now.params, true, &mut out);
        for (label, a, b) in
            [("body", &op.body, &now.body), ("response", &op.response, &now.response), ("error", &op.error, &now.error)]
        {
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
            // `new` gains an argument (an array or map keeps its type).
            Some(n) if request && m.optional && !n.optional => out.push(Change {
                item: item.into(),
                member,
                what: format!("now required ({})", n.ty),
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

/// The report for one vendor: CHANGELOG lines, then the release it needs
/// (`version` is the crate's current one). Empty when nothing users see
/// changed.
pub fn report(vendor: &str, version: &Version, old: &Api, new: &Api) -> Vec<String> {
    let changes = diff(old, new);
    if changes.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<String> = changes.iter().map(|c| c.line(vendor)).collect();
    let breaking = changes.iter().filter(|c| c.impact == Impact::Breaking).count();
    let bump = Bump::needed(version, breaking > 0);
    let next = version.bumped(bump);
    lines.push(if breaking > 0 {
        format!(
            "  ({breaking} breaking of {}: confapi-{vendor} needs a {bump} release, {version} → {next}{}; so do the crates that depend on it)",
            changes.len(),
            if version.major == 0 { ", as breaking changes do at 0.x" } else { "" },
        )
    } else {
        format!("  (all {} compatible: confapi-{vendor} needs a {bump} release, {version} → {next})", changes.len())
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = include_str!("../testdata/report/base.yaml");

    fn model(spec: &str) -> Api {
        Api::from_spec(spec).unwrap()
    }

    /// The base spec with `from` (which must occur exactly once) replaced.
    fn edited(from: &str, to: &str) -> String {
        assert_eq!(BASE.matches(from).count(), 1, "{from:?} must occur once in base.yaml");
        BASE.replace(from, to)
    }

    fn lines(spec: &str, version: &str) -> Vec<String> {
        report("testvendor", &Version::parse(version).unwrap(), &model(BASE), &model(spec))
    }

    fn golden(name: &str, spec: &str) {
        let lines = lines(spec, "0.1.0");
        insta::with_settings!({snapshot_path => "../testdata/report/snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, lines.join("\n"));
        });
    }

    #[test]
    fn the_base_api_is_read_from_the_spec() {
        let api = model(BASE);
        let op = &api.operations["room_get"];
        assert_eq!(op.body.as_deref(), Some("RoomQuery"));
        assert_eq!(op.response.as_deref(), Some("Room"));
        assert!(matches!(&api.types["Room"], TypeDef::Struct(f) if f.contains_key("name") && !f.contains_key("extra")));
        assert_eq!(api.sent.iter().collect::<Vec<_>>(), ["RoomQuery"]);
        assert!(lines(BASE, "0.1.0").is_empty());
    }

    #[test]
    fn new_optional_response_field() {
        golden(
            "new_optional_response_field",
            &edited("        name: {type: string}\n", "        name: {type: string}\n        floor: {type: integer}\n"),
        );
    }

    #[test]
    fn new_optional_request_field_is_compatible() {
        let spec = edited(
            "        number: {type: string}\n",
            "        number: {type: string}\n        note: {type: string}\n",
        );
        assert_eq!(
            lines(&spec, "0.1.0")[0],
            "- testvendor: type RoomQuery: field note added (Option<String>) — compatible"
        );
    }

    #[test]
    fn a_required_field_in_a_response_only_type_is_compatible() {
        let spec = edited(
            "    Room:\n      type: object\n      properties:\n",
            "    Room:\n      type: object\n      required: [code]\n      properties:\n        code: {type: string}\n",
        );
        assert_eq!(
            lines(&spec, "0.1.0")[0],
            "- testvendor: type Room: field code added, always present (String) — compatible"
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
    fn a_field_that_becomes_nullable_changes_type() {
        let spec = edited("        number: {type: string}\n", "        number: {type: string, nullable: true}\n");
        assert_eq!(
            lines(&spec, "0.1.0")[0],
            "- testvendor: type RoomQuery: field number changed String → Option<String> — breaking"
        );
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
    fn an_optional_request_array_made_required_is_breaking() {
        let base = edited(
            "        number: {type: string}\n",
            "        number: {type: string}\n        tags: {type: array, items: {type: string}}\n",
        );
        let now = base.replace("required: [number]", "required: [number, tags]");
        let version = Version::parse("0.1.0").unwrap();
        let lines = report("testvendor", &version, &model(&base), &model(&now));
        assert_eq!(lines[0], "- testvendor: type RoomQuery: field tags now required (Vec<String>) — breaking");
    }

    #[test]
    fn new_operation() {
        golden(
            "new_operation",
            &edited("  # more operations\n", include_str!("../testdata/report/new-operation.yaml")),
        );
    }

    #[test]
    fn removed_operation_and_its_types() {
        let with = edited("  # more operations\n", include_str!("../testdata/report/new-operation.yaml"));
        let version = Version::parse("1.2.0").unwrap();
        let lines = report("testvendor", &version, &model(&with), &model(BASE));
        assert!(lines.contains(&"- testvendor: operation room_list removed — breaking".to_owned()), "{lines:?}");
        assert_eq!(lines.last().unwrap(), &format!("  ({} breaking of {}: confapi-testvendor needs a major release, 1.2.0 → 2.0.0; so do the crates that depend on it)", lines.len() - 1, lines.len() - 1));
    }

    #[test]
    fn enum_values_added_are_compatible_and_removed_are_breaking() {
        let base = edited(
            "        seats: {type: integer}\n",
            "        seats: {type: integer}\n        kind: {$ref: '#/components/schemas/Kind'}\n    Kind:\n      type: string\n      enum: [small, large]\n",
        );
        let more = base.replace("enum: [small, large]", "enum: [small, large, huge]");
        let version = Version::parse("0.1.0").unwrap();
        assert_eq!(
            report("testvendor", &version, &model(&base), &model(&more)),
            [
                "- testvendor: type Kind: variant Huge added — compatible",
                "  (all 1 compatible: confapi-testvendor needs a patch release, 0.1.0 → 0.1.1)"
            ]
        );
        assert_eq!(
            report("testvendor", &version, &model(&more), &model(&base))[0],
            "- testvendor: type Kind: variant Huge removed — breaking"
        );
    }

    #[test]
    fn documented_codes_are_variants_of_the_known_enum() {
        let base = edited(
            "        seats: {type: integer}\n",
            "        seats: {type: integer}\n        state: {$ref: '#/components/schemas/State'}\n    State:\n      type: integer\n      x-confapi-codes:\n        - {code: 0, name: idle, doc: Nobody in it.}\n",
        );
        let more = base.replace(
            "        - {code: 0, name: idle, doc: Nobody in it.}\n",
            "        - {code: 0, name: idle, doc: Nobody in it.}\n        - {code: 1, name: in_use, doc: A meeting is on.}\n",
        );
        let api = model(&base);
        assert!(!api.types.contains_key("State"));
        assert_eq!(
            api.types["Room"],
            TypeDef::Struct(
                [
                    ("name".to_owned(), Member { ty: "Option<String>".into(), optional: true }),
                    ("seats".to_owned(), Member { ty: "Option<i64>".into(), optional: true }),
                    ("state".to_owned(), Member { ty: "Option<OpenCode<StateKnown>>".into(), optional: true }),
                ]
                .into()
            )
        );
        let version = Version::parse("0.1.0").unwrap();
        assert_eq!(
            report("testvendor", &version, &api, &model(&more))[0],
            "- testvendor: type StateKnown: variant InUse added — compatible"
        );
    }

    #[test]
    fn parameters_added_optional_or_required() {
        let op = include_str!("../testdata/report/new-operation.yaml");
        let base = edited("  # more operations\n", op);
        let optional = base.replace(
            "      operationId: room_list\n",
            "      operationId: room_list\n      parameters:\n        - {name: pageSize, in: query, schema: {type: integer}}\n",
        );
        let required = optional.replace("in: query, schema", "in: query, required: true, schema");
        let version = Version::parse("0.1.0").unwrap();
        assert_eq!(
            report("testvendor", &version, &model(&base), &model(&optional))[0],
            "- testvendor: operation room_list: parameter page_size added (Option<i64>) — compatible"
        );
        assert_eq!(
            report("testvendor", &version, &model(&base), &model(&required))[0],
            "- testvendor: operation room_list: parameter page_size added, required (i64) — breaking"
        );
    }
}

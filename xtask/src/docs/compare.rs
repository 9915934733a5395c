//! Compares a parsed doc page with its spec and lists the findings.
//!
//! Every field the page shows (table row, request parameter, example key)
//! is located in the spec by name or alias. Then, per spec field, the kinds
//! the page documents (table) and shows (examples) are checked against the
//! schema: a kind the schema rejects is unhandled, whatever the notes say;
//! a table/example disagreement the schema accepts is acknowledged only when
//! an `x-confapi` note sits where it is handled.

use super::page::{type_word, DocPage, Example, Field, Kind, Location, Role};
use super::spec::{Lookup, Operation, Prop, Spec};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails the check.
    Unhandled,
    /// A difference the spec handles and notes.
    Acknowledged,
    /// For information only.
    Info,
}

impl Level {
    /// The tag printed after a finding.
    pub fn tag(self) -> &'static str {
        match self {
            Level::Unhandled => "UNHANDLED",
            Level::Acknowledged => "acknowledged",
            Level::Info => "info",
        }
    }
}

/// One finding: vendor, operation, field path, what the page says, what the
/// spec says.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// The vendor.
    pub vendor: String,
    /// The operation id, or `METHOD path` when the spec has none.
    pub operation: String,
    /// The field path (`result.confList.eventId`, `request.body.page`).
    pub path: String,
    /// What the page says.
    pub page: String,
    /// What the spec says.
    pub spec: String,
    /// How much it matters.
    pub level: Level,
}

/// What was compared on one page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Operations compared (0 when the spec lacks the page's).
    pub operations: usize,
    /// Distinct fields and parameters compared.
    pub fields: usize,
    /// JSON examples compared.
    pub examples: usize,
}

/// What the page says about one spec field.
#[derive(Debug, Default)]
struct Seen {
    /// The table's type words.
    table: BTreeSet<String>,
    /// The kinds examples show, with one sample value each.
    shown: BTreeMap<Kind, String>,
    /// Names the page used for it.
    names: BTreeSet<String>,
    /// Where the spec stands on it.
    state: State,
    /// Whether it comes from the request.
    request: bool,
}

#[derive(Debug, Default, Clone)]
enum State {
    /// Declared: the property schema as written, and what the spec says of it.
    Declared { name: String, schema: Value, required: bool, via_alias: Vec<String>, noted: bool },
    /// Inside a free-form object: anything goes.
    Free,
    /// Not declared.
    #[default]
    Missing,
}

/// The comparison of one page.
pub struct Comparison<'a> {
    spec: &'a Spec,
    vendor: String,
    op: Option<Operation<'a>>,
    op_name: String,
    seen: BTreeMap<String, Seen>,
    findings: Vec<Finding>,
}

/// Compares a page with a spec.
pub fn compare(page: &DocPage, spec: &Spec) -> (Vec<Finding>, Counts) {
    let op_name = match (&page.method, &page.path) {
        (Some(m), Some(p)) => format!("{m} {p}"),
        _ => "(no operation)".to_owned(),
    };
    let op = page.method.as_deref().zip(page.path.as_deref()).and_then(|(m, p)| spec.find_operation(m, p));
    let mut c = Comparison {
        spec,
        vendor: page.vendor.clone(),
        op,
        op_name: op.map(|o| o.id.to_owned()).unwrap_or(op_name.clone()),
        seen: BTreeMap::new(),
        findings: Vec::new(),
    };
    let mut counts = Counts { examples: page.examples.len(), ..Counts::default() };
    let Some(op) = op else {
        let page_says = if page.method.is_some() && page.path.is_some() {
            format!("operation {op_name}")
        } else {
            "no method and path that could be read".to_owned()
        };
        c.push("", page_says, "no such operation".into(), Level::Unhandled);
        counts.fields = page.params.len() + count_fields(&page.response);
        return (c.findings, counts);
    };
    counts.operations = 1;
    for title in &page.unattached {
        c.push("", format!("a table titled {title:?}"), "nothing on the page it belongs to".into(), Level::Info);
    }
    c.params(page, op);
    let request = spec.request_schema(op);
    let response = spec.success_schema(op);
    if let Some(response) = response {
        for f in &page.response {
            c.table_field(f, response, "", false);
        }
    } else if !page.response.is_empty() {
        c.push("", "response fields".into(), "no JSON success response".into(), Level::Unhandled);
    }
    for example in &page.examples {
        match (example.role, request) {
            (Role::Request, Some(request)) => c.example(&example.value, request, "request.body", true),
            (Role::Request, None) => {
                c.push("request.body", "a JSON request example".into(), "no request body".into(), Level::Unhandled)
            }
            (Role::Response, _) => {
                for (prefix, schema) in c.example_places(page, example, response) {
                    c.example(&example.value, schema, &prefix, false);
                }
            }
        }
    }
    c.judge();
    if let Some(schema) = response {
        c.unmentioned(schema, "", 0);
    }
    if let Some(schema) = request {
        c.unmentioned(schema, "request.body", 0);
    }
    counts.fields = c.seen.len();
    let mut findings = c.findings;
    findings.sort_by(|a, b| (a.level, &a.path).cmp(&(b.level, &b.path)));
    findings.dedup();
    (findings, counts)
}

fn count_fields(fields: &[Field]) -> usize {
    fields.iter().map(|f| 1 + count_fields(&f.children)).sum()
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

impl<'a> Comparison<'a> {
    fn push(&mut self, path: &str, page: String, spec: String, level: Level) {
        self.findings.push(Finding {
            vendor: self.vendor.clone(),
            operation: self.op_name.clone(),
            path: path.to_owned(),
            page,
            spec,
            level,
        });
    }

    /// Records that the page shows field `name` under `parent` (a spec
    /// schema). Returns the key, the field's schema (for its children; `None`
    /// when they are not compared: undeclared or free-form) and whether the
    /// field is free-form.
    fn locate(
        &mut self,
        parent: &'a Value,
        prefix: &str,
        name: &str,
        request: bool,
    ) -> (String, Option<&'a Value>, bool) {
        let (key, schema, state) = match self.spec.property(parent, name) {
            Lookup::Found(prop) => (join(prefix, prop.name), Some(prop.schema), self.declared(&prop, name)),
            Lookup::FreeForm => (join(prefix, name), None, State::Free),
            Lookup::Missing => (join(prefix, name), None, State::Missing),
        };
        let free = matches!(state, State::Free);
        let entry = self.seen.entry(key.clone()).or_default();
        entry.names.insert(name.to_owned());
        entry.request |= request;
        match (&mut entry.state, state) {
            (State::Declared { via_alias, .. }, State::Declared { via_alias: more, .. }) => via_alias.extend(more),
            (State::Declared { .. } | State::Free, _) => {}
            (slot @ State::Missing, new) => *slot = new,
        }
        (key, schema, free)
    }

    fn declared(&self, prop: &Prop<'a>, name: &str) -> State {
        let mut names = vec![prop.name, name];
        names.dedup();
        State::Declared {
            name: prop.name.to_owned(),
            schema: prop.schema.clone(),
            required: prop.required,
            via_alias: if prop.via_alias { vec![name.to_owned()] } else { Vec::new() },
            noted: self.spec.noted(prop, self.op, &names),
        }
    }

    fn table_field(&mut self, field: &Field, parent: &'a Value, prefix: &str, request: bool) {
        let (key, schema, _) = self.locate(parent, prefix, &field.name, request);
        if let Some(seen) = self.seen.get_mut(&key).filter(|_| !field.type_word.is_empty()) {
            seen.table.insert(field.type_word.clone());
        }
        if let Some(schema) = schema {
            for child in &field.children {
                self.table_field(child, schema, &key, request);
            }
        }
    }

    fn example(&mut self, value: &Value, schema: &'a Value, prefix: &str, request: bool) {
        match value {
            Value::Object(map) => {
                for (name, v) in map {
                    let (key, child, _) = self.locate(schema, prefix, name, request);
                    if let Some(seen) = self.seen.get_mut(&key) {
                        let sample: String = v.to_string().chars().take(40).collect();
                        seen.shown.entry(Kind::of(v)).or_insert(sample);
                    }
                    if let Some(child) = child {
                        self.example_children(v, child, &key, request);
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.example(item, schema, prefix, request);
                }
            }
            _ => {}
        }
    }

    fn example_children(&mut self, v: &Value, schema: &'a Value, key: &str, request: bool) {
        match v {
            Value::Object(_) | Value::Array(_) => self.example(v, schema, key, request),
            Value::String(s) if Kind::of(v) == Kind::JsonString => {
                if let Ok(inner) = serde_json::from_str::<Value>(s) {
                    self.example(&inner, schema, key, request);
                }
            }
            _ => {}
        }
    }

    /// Where a response example belongs: the whole body, or (for a part of
    /// one) the fields its label names, or the field whose rows have most of
    /// its keys. Returns the key prefix and the schema there.
    fn example_places(
        &mut self,
        page: &DocPage,
        example: &Example,
        response: Option<&'a Value>,
    ) -> Vec<(String, &'a Value)> {
        if !example.fragment {
            return response.map(|r| (String::new(), r)).into_iter().collect();
        }
        let mut paths: Vec<Vec<String>> = Vec::new();
        let label_names =
            if example.label.contains("示例") { super::page::title_names(&example.label) } else { Vec::new() };
        for name in label_names {
            find_paths(&page.response, &name, &mut Vec::new(), &mut paths);
        }
        if paths.is_empty() {
            let keys = example_keys(&example.value);
            let mut best = (0, Vec::new());
            best_match(&page.response, &keys, &mut Vec::new(), &mut best);
            // The body itself, when the keys are top-level fields.
            let top = page.response.iter().filter(|f| keys.contains(&f.name)).count();
            if top >= best.0 && top > 0 {
                paths.push(Vec::new());
            } else if best.0 > 0 {
                let (_, found) = best;
                paths.extend(found);
            }
        }
        let mut places = Vec::new();
        'paths: for path in paths {
            let Some(mut schema) = response else { break };
            let mut key = String::new();
            for name in path {
                let (k, s, _) = self.locate(schema, &key, &name, false);
                key = k;
                match s {
                    Some(s) => schema = s,
                    None => continue 'paths,
                }
            }
            places.push((key, schema));
        }
        places
    }

    fn params(&mut self, page: &DocPage, op: Operation<'a>) {
        let spec_params = self.spec.parameters(op);
        let body = self.spec.request_schema(op);
        for p in &page.params {
            let path = format!("request.{}.{}", p.location.as_str(), p.name);
            let in_spec =
                spec_params.iter().find(|s| s.name.eq_ignore_ascii_case(&p.name) && (p.location != Location::Body));
            let in_body = body.map(|b| self.spec.property(b, &p.name));
            match (p.location, in_spec, in_body) {
                (Location::Body, _, Some(Lookup::Found(_) | Lookup::FreeForm)) => {
                    let Some(body) = body else { continue };
                    let (key, _, _) = self.locate(body, "request.body", &p.name, true);
                    if let Some(seen) = self.seen.get_mut(&key) {
                        seen.table.insert(p.type_word.clone());
                    }
                    self.required(p.required, &key, &p.name, Some(body));
                }
                (_, Some(sp), _) => {
                    if sp.location != p.location.as_str() {
                        let msg = format!("in the {}", sp.location);
                        self.push(&path, format!("in the {}", p.location.as_str()), msg, Level::Unhandled);
                    }
                    let noted = self.spec.op_notes_name(op, &p.name);
                    let seen = self.seen.entry(path.clone()).or_default();
                    seen.names.insert(p.name.clone());
                    seen.request = true;
                    seen.table.insert(p.type_word.clone());
                    match sp.schema {
                        Some(schema) => {
                            seen.state = State::Declared {
                                name: sp.name.clone(),
                                schema: schema.clone(),
                                required: sp.required,
                                via_alias: Vec::new(),
                                noted,
                            }
                        }
                        // A credential the client places itself.
                        None => seen.state = State::Free,
                    }
                }
                (_, None, Some(Lookup::Found(prop))) => {
                    let msg = format!("in the body (as {})", prop.name);
                    self.push(&path, format!("in the {}", p.location.as_str()), msg, Level::Unhandled);
                    self.seen.entry(path).or_default().state = State::Free;
                }
                _ => {
                    let seen = self.seen.entry(path).or_default();
                    seen.names.insert(p.name.clone());
                    seen.request = true;
                    seen.table.insert(p.type_word.clone());
                }
            }
        }
    }

    fn required(&mut self, page_required: Option<bool>, key: &str, name: &str, body: Option<&Value>) {
        let spec_required = body
            .map(|b| self.spec.resolve(b))
            .and_then(|b| b.get("required"))
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|x| x.as_str() == Some(name)));
        match page_required {
            Some(true) if !spec_required => {
                self.push(key, "required".into(), "optional".into(), Level::Info);
            }
            Some(false) if spec_required => {
                self.push(key, "optional".into(), "required".into(), Level::Info);
            }
            _ => {}
        }
    }

    /// Turns what was seen into findings.
    fn judge(&mut self) {
        let seen = std::mem::take(&mut self.seen);
        for (key, s) in &seen {
            let names: Vec<&str> = s.names.iter().map(String::as_str).collect();
            let page_says = describe_page(s);
            match &s.state {
                State::Missing => {
                    let what = if s.request { "request field" } else { "field" };
                    self.push(
                        key,
                        format!("{what} {} ({page_says})", names.join(" / ")),
                        "not declared under this name or an alias".into(),
                        Level::Unhandled,
                    );
                }
                State::Free => {}
                State::Declared { name, schema, required, via_alias, noted, .. } => {
                    let spec_says = self.spec.describe(schema);
                    let mut rejected = Vec::new();
                    let table_kinds: Vec<(String, Option<Kind>)> =
                        s.table.iter().map(|w| (w.clone(), type_word(w).map(|t| t.kind))).collect();
                    for (word, kind) in &table_kinds {
                        match kind {
                            Some(k) if !self.spec.accepts(schema, *k) => rejected.push(format!("{word} (table)")),
                            _ => {}
                        }
                    }
                    for (kind, sample) in &s.shown {
                        let ok = if *kind == Kind::Null {
                            !required || self.spec.accepts(schema, Kind::Null)
                        } else {
                            self.spec.accepts(schema, *kind)
                        };
                        if !ok {
                            rejected.push(format!("{} {sample} (example)", kind.name()));
                        }
                    }
                    if !rejected.is_empty() {
                        self.push(key, rejected.join(", "), format!("{spec_says}, which rejects it"), Level::Unhandled);
                        continue;
                    }
                    for alias in via_alias.iter().collect::<BTreeSet<_>>() {
                        self.push(
                            key,
                            format!("name {alias}"),
                            format!("an alias of {name} (x-confapi-aliases)"),
                            Level::Acknowledged,
                        );
                    }
                    let disagree = table_kinds
                        .iter()
                        .filter_map(|(_, k)| *k)
                        .any(|documented| s.shown.keys().any(|shown| !Kind::agrees(documented, *shown)));
                    if disagree {
                        let level = if *noted { Level::Acknowledged } else { Level::Unhandled };
                        let why = if *noted {
                            "accepts both, and an x-confapi note says why"
                        } else {
                            "accepts both, but no x-confapi note on the property, its schema or the operation says why"
                        };
                        self.push(key, page_says.clone(), format!("{spec_says}: {why}"), level);
                    }
                }
            }
        }
        self.seen = seen;
    }

    /// Info: fields the response schema declares that the page never shows.
    fn unmentioned(&mut self, schema: &'a Value, prefix: &str, depth: usize) {
        if depth > 4 {
            return;
        }
        for (name, prop) in self.spec.declared(schema) {
            let key = join(prefix, name);
            if self.seen.contains_key(&key) {
                self.unmentioned(prop, &key, depth + 1);
            } else if !self.findings.iter().any(|f| f.path == key) {
                self.push(&key, "nothing".into(), format!("{} (declared)", self.spec.describe(prop)), Level::Info);
            }
        }
    }
}

fn describe_page(s: &Seen) -> String {
    let mut parts: Vec<String> = s.table.iter().map(|w| format!("{w} (table)")).collect();
    let shown: Vec<String> =
        s.shown.iter().filter(|(k, _)| **k != Kind::Null).map(|(k, v)| format!("{} {v}", k.name())).collect();
    if !shown.is_empty() {
        parts.push(format!("{} (example)", shown.join(" / ")));
    }
    if parts.is_empty() {
        "no type".into()
    } else {
        parts.join(", ")
    }
}

fn example_keys(v: &Value) -> BTreeSet<String> {
    match v {
        Value::Object(m) => m.keys().cloned().collect(),
        Value::Array(a) => a.iter().flat_map(example_keys).collect(),
        _ => BTreeSet::new(),
    }
}

fn find_paths(fields: &[Field], name: &str, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    for f in fields {
        at.push(f.name.clone());
        if f.name == name {
            out.push(at.clone());
        }
        find_paths(&f.children, name, at, out);
        at.pop();
    }
}

fn best_match(fields: &[Field], keys: &BTreeSet<String>, at: &mut Vec<String>, best: &mut (usize, Vec<Vec<String>>)) {
    for f in fields {
        at.push(f.name.clone());
        let hits = f.children.iter().filter(|c| keys.contains(&c.name)).count();
        if hits > best.0 {
            *best = (hits, vec![at.clone()]);
        } else if hits == best.0 && hits > 0 {
            best.1.push(at.clone());
        }
        best_match(&f.children, keys, at, best);
        at.pop();
    }
}

//! `--dingtalk-sdk DIR`: compares `specs/dingtalk.yaml` with DingTalk's
//! official Python SDK (`alibabacloud-dingtalk`, unpacked from its wheel by
//! `scripts/fetch-dingtalk-sdk.sh`), which lists every operation and every
//! request and response field of `conference_1_0` and `oauth2_1_0`.
//!
//! The Python is read as text: `client.py` gives each operation's action,
//! method, path and which request fields go to the body or the query;
//! `models.py` gives each model's fields, their wire names (`from_map`) and
//! their types (the `__init__` annotations).

use super::compare::{Counts, Finding, Level};
use super::page::Kind;
use super::spec::{Lookup, Operation, Spec};
use super::PageReport;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const MODULES: &[&str] = &["conference_1_0", "oauth2_1_0"];

/// One SDK operation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SdkOperation {
    /// The action (`QueryConferenceInfo`).
    pub action: String,
    /// HTTP method.
    pub method: String,
    /// Path with `{python_name}` templates.
    pub path: String,
    /// The request model's class.
    pub request: Option<String>,
    /// (wire name, python name) of request fields sent in the body.
    pub body: Vec<(String, String)>,
    /// (wire name, python name) of request fields sent in the query.
    pub query: Vec<(String, String)>,
    /// The response model's class (`...Response`, whose `body` is the JSON).
    pub response: Option<String>,
}

/// One model class: field python name → (wire name, type annotation).
pub type Model = BTreeMap<String, (String, String)>;

/// Reads the operations of a `client.py`.
pub fn operations(client: &str) -> Vec<SdkOperation> {
    let mut out = Vec::new();
    let mut current: Option<SdkOperation> = None;
    for line in client.lines() {
        let t = line.trim();
        if line.starts_with("    def ") || line.starts_with("    async def ") {
            out.extend(current.take().filter(|o| !o.action.is_empty()));
            if line.starts_with("    def ") && t.contains("_with_options(") {
                current = Some(SdkOperation::default());
            }
            continue;
        }
        let Some(op) = current.as_mut() else { continue };
        if let Some(rest) = t.strip_prefix("request: ").or_else(|| t.strip_prefix("tmp_req: ")) {
            op.request = class_after_models(rest);
        } else if let Some(rest) = t.strip_prefix(") -> ") {
            op.response = class_after_models(rest);
        } else if let Some((wire, py)) = assignment(t, "body[") {
            op.body.push((wire, py));
        } else if let Some((wire, py)) = assignment(t, "query[") {
            op.query.push((wire, py));
        } else if let Some(v) = quoted_after(t, "action=") {
            op.action = v;
        } else if let Some(v) = quoted_after(t, "pathname=f") {
            op.path = v;
        } else if let Some(v) = quoted_after(t, "method=") {
            op.method = v;
        }
    }
    out.extend(current.filter(|o| !o.action.is_empty()));
    out
}

/// `dingtalkconference__1__0_models.XRequest,` gives `XRequest`.
fn class_after_models(text: &str) -> Option<String> {
    let (_, class) = text.split_once("_models.")?;
    Some(class.trim_end_matches([',', ':']).trim().to_owned())
}

/// `body['confTitle'] = request.conf_title` gives (`confTitle`, `conf_title`).
fn assignment(line: &str, target: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix(target)?;
    let wire = rest.strip_prefix('\'')?.split('\'').next()?.to_owned();
    let (_, rhs) = rest.split_once("= ")?;
    let py = rhs.strip_prefix("request.")?;
    let py: String = py.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    Some((wire, py))
}

fn quoted_after(line: &str, key: &str) -> Option<String> {
    let rest = line.strip_prefix(key)?;
    let rest = rest.strip_prefix('\'')?;
    Some(rest.split('\'').next()?.to_owned())
}

/// Reads the model classes of a `models.py`.
pub fn models(text: &str) -> BTreeMap<String, Model> {
    let mut out = BTreeMap::new();
    let mut class: Option<String> = None;
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut wires: BTreeMap<String, String> = BTreeMap::new();
    let mut in_init = false;
    let mut in_from_map = false;
    let mut pending_wire: Option<String> = None;
    let mut finish =
        |class: &mut Option<String>, types: &mut BTreeMap<String, String>, wires: &mut BTreeMap<String, String>| {
            if let Some(name) = class.take() {
                let model: Model = std::mem::take(types)
                    .into_iter()
                    .filter_map(|(py, ty)| wires.get(&py).map(|w| (py, (w.clone(), ty))))
                    .collect();
                out.insert(name, model);
                wires.clear();
            }
        };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("class ") {
            finish(&mut class, &mut types, &mut wires);
            class = rest.split('(').next().map(str::to_owned);
            continue;
        }
        if line.starts_with("    def ") {
            in_init = line.contains("def __init__(");
            in_from_map = line.contains("def from_map(");
            continue;
        }
        let t = line.trim();
        if in_init {
            if let Some((name, rest)) = t.split_once(": ") {
                if let Some(ty) = rest.strip_suffix(" = None,") {
                    types.insert(name.to_owned(), ty.to_owned());
                }
            }
        } else if in_from_map {
            if let Some(rest) = t.strip_prefix("if m.get('") {
                pending_wire = rest.split('\'').next().map(str::to_owned);
            } else if let Some(wire) = &pending_wire {
                if let Some(rest) = t.strip_prefix("self.") {
                    let py: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                    wires.insert(py, wire.clone());
                    pending_wire = None;
                }
            }
        }
    }
    finish(&mut class, &mut types, &mut wires);
    out
}

/// A Python annotation as a JSON kind, with the model class it names.
fn kind(annotation: &str) -> (Option<Kind>, Option<String>) {
    let a = annotation.trim();
    match a {
        "int" => (Some(Kind::Integer), None),
        "float" => (Some(Kind::Number), None),
        "str" => (Some(Kind::String), None),
        "bool" => (Some(Kind::Boolean), None),
        "Any" => (None, None),
        _ if a.starts_with("List[") => {
            let inner = &a[5..a.len().saturating_sub(1)];
            let (_, class) = kind(inner);
            (Some(Kind::Array), class)
        }
        _ if a.starts_with("Dict[") => (Some(Kind::Object), None),
        _ => (Some(Kind::Object), Some(a.to_owned())),
    }
}

/// Runs the check: `dir` is the unpacked wheel (it holds `alibabacloud_dingtalk/`).
pub fn check(dir: &Path, spec_dir: &Path) -> Result<PageReport, String> {
    let spec = Spec::new(crate::spec_file::Specs::in_dir(spec_dir).get("dingtalk")?.clone());
    let mut sdk = Vec::new();
    for module in MODULES {
        let base = dir.join("alibabacloud_dingtalk").join(module);
        let read = |file: &str| {
            let p = base.join(file);
            std::fs::read_to_string(&p)
                .map_err(|e| format!("{}: {e} (run scripts/fetch-dingtalk-sdk.sh DIR first)", p.display()))
        };
        sdk.push((operations(&read("client.py")?), models(&read("models.py")?)));
    }
    let (findings, counts) = compare(&spec, &sdk);
    Ok(PageReport { page: format!("DingTalk SDK at {}", dir.display()), vendor: "dingtalk".into(), counts, findings })
}

/// Compares the spec with the SDK's operations and models (per module).
pub fn compare(spec: &Spec, sdk: &[(Vec<SdkOperation>, BTreeMap<String, Model>)]) -> (Vec<Finding>, Counts) {
    let mut c = Check { spec, findings: Vec::new(), fields: 0, operation: String::new() };
    // A malformed key reads as none here (codegen rejects it).
    let ext = crate::vendor_ext::VendorExt::of(spec.root()).unwrap_or_default();
    let omitted: Vec<&str> = ext.sdk_omitted.iter().filter_map(|o| o.action.as_deref()).collect();
    let mut compared = 0;
    for (ops, models) in sdk {
        for op in ops {
            c.operation = op.action.clone();
            let found = spec
                .operations()
                .into_iter()
                .find(|(_, _, o)| {
                    o.op.as_object()
                        .and_then(|m| crate::spec_ext::OperationExt::of(m).ok())
                        .is_some_and(|e| e.sdk_action.as_deref() == Some(op.action.as_str()))
                })
                .map(|(_, _, o)| o)
                .or_else(|| spec.find_operation(&op.method, &op.path));
            let Some(spec_op) = found else {
                let (level, says) = if omitted.contains(&op.action.as_str()) {
                    (Level::Acknowledged, "no such operation, and lists it in x-confapi-sdk-omitted")
                } else {
                    (Level::Unhandled, "no such operation")
                };
                c.push("", format!("operation {} {}", op.method, op.path), says.into(), level);
                continue;
            };
            compared += 1;
            c.operation = spec_op.id.to_owned();
            c.request(op, spec_op, models);
            c.response(op, spec_op, models);
        }
    }
    let counts = Counts { operations: compared, fields: c.fields, examples: 0 };
    let mut findings = c.findings;
    findings.sort_by(|a, b| (a.level, &a.operation, &a.path).cmp(&(b.level, &b.operation, &b.path)));
    (findings, counts)
}

struct Check<'a> {
    spec: &'a Spec,
    findings: Vec<Finding>,
    fields: usize,
    operation: String,
}

impl<'a> Check<'a> {
    fn push(&mut self, path: &str, sdk: String, spec: String, level: Level) {
        self.findings.push(Finding {
            vendor: "dingtalk".into(),
            operation: self.operation.clone(),
            path: path.to_owned(),
            page: format!("the SDK has {sdk}"),
            spec,
            level,
        });
    }

    fn request(&mut self, op: &SdkOperation, spec_op: Operation<'a>, models: &BTreeMap<String, Model>) {
        let model = op.request.as_ref().and_then(|r| models.get(r));
        // Structured query values are sent JSON-encoded from the "shrink"
        // variant of the request model (`request_body_shrink: str`).
        let shrink = op.request.as_ref().and_then(|r| models.get(&r.replace("Request", "ShrinkRequest")));
        let type_of = |py: &str| {
            [model, shrink].into_iter().flatten().find_map(|m| m.get(py)).map(|(_, ty)| ty.clone()).unwrap_or_default()
        };
        // Query fields.
        let params = self.spec.parameters(spec_op);
        for (wire, py) in &op.query {
            self.fields += 1;
            let path = format!("request.query.{wire}");
            match params.iter().find(|p| p.location == "query" && p.name == *wire) {
                None => self.push(
                    &path,
                    format!("query field {wire} ({})", type_of(py)),
                    "no such parameter".into(),
                    Level::Unhandled,
                ),
                Some(p) => {
                    if let Some(schema) = p.schema {
                        self.sends(&path, &type_of(py), schema, models);
                    }
                }
            }
        }
        for p in params.iter().filter(|p| p.location == "query" && p.schema.is_some()) {
            if !op.query.iter().any(|(w, _)| *w == p.name) {
                let path = format!("request.query.{}", p.name);
                self.push(
                    &path,
                    "no such query field".into(),
                    "a query parameter the SDK does not send".into(),
                    Level::Unhandled,
                );
            }
        }
        // Body fields.
        let body = self.spec.request_schema(spec_op);
        let sdk_body: Vec<(String, String)> = op.body.iter().map(|(w, py)| (w.clone(), type_of(py))).collect();
        match body {
            Some(schema) => self.body("request.body", &sdk_body, schema, models),
            None if !sdk_body.is_empty() => self.push(
                "request.body",
                format!("{} body fields", sdk_body.len()),
                "no request body".into(),
                Level::Unhandled,
            ),
            None => {}
        }
    }

    /// A request object: every SDK field declared with a type the SDK
    /// allows, and no spec field the SDK's model lacks.
    fn body(&mut self, prefix: &str, sdk: &[(String, String)], schema: &'a Value, models: &BTreeMap<String, Model>) {
        for (wire, ty) in sdk {
            self.fields += 1;
            let path = format!("{prefix}.{wire}");
            match self.spec.property(schema, wire) {
                Lookup::Found(prop) => self.sends(&path, ty, prop.schema, models),
                Lookup::FreeForm => {}
                Lookup::Missing => {
                    self.push(&path, format!("field {wire} ({ty})"), "not declared".into(), Level::Unhandled)
                }
            }
        }
        for (name, _) in self.spec.declared(schema) {
            if !sdk.iter().any(|(w, _)| w == name) {
                let path = format!("{prefix}.{name}");
                self.push(
                    &path,
                    "no such field in this operation's model".into(),
                    "a field this request would send".into(),
                    Level::Unhandled,
                );
            }
        }
    }

    /// What the spec sends for a field must be what the SDK's type allows.
    fn sends(&mut self, path: &str, sdk_type: &str, schema: &'a Value, models: &BTreeMap<String, Model>) {
        let (kind, class) = kind(sdk_type);
        let Some(kind) = kind else { return };
        let produced = self.spec.produces(schema);
        let allowed: &[Kind] = match kind {
            Kind::Integer => &[Kind::Integer],
            Kind::Number => &[Kind::Integer, Kind::Number],
            other => std::slice::from_ref(match other {
                Kind::String => &Kind::String,
                Kind::Boolean => &Kind::Boolean,
                Kind::Array => &Kind::Array,
                _ => &Kind::Object,
            }),
        };
        let extra: Vec<&str> = produced.iter().filter(|k| !allowed.contains(k)).map(|k| k.name()).collect();
        if !extra.is_empty() {
            let spec_says = format!("{}, which may send {}", self.spec.describe(schema), extra.join(" or "));
            self.push(path, sdk_type.to_owned(), spec_says, Level::Unhandled);
            return;
        }
        if let Some(model) = class.as_ref().and_then(|c| models.get(c)) {
            let fields: Vec<(String, String)> = model.values().cloned().collect();
            self.body(path, &fields, schema, models);
        }
    }

    fn response(&mut self, op: &SdkOperation, spec_op: Operation<'a>, models: &BTreeMap<String, Model>) {
        let body_class =
            op.response.as_ref().and_then(|r| models.get(r)).and_then(|m| m.get("body")).map(|(_, ty)| ty.clone());
        let Some(model) = body_class.as_ref().and_then(|c| models.get(c)) else { return };
        let Some(schema) = self.spec.success_schema(spec_op) else {
            self.push("", "a JSON response body".into(), "no JSON success response".into(), Level::Unhandled);
            return;
        };
        let fields: Vec<(String, String)> = model.values().cloned().collect();
        self.reads("", &fields, schema, models, 0);
    }

    /// A response object: every SDK field declared, with a type the spec accepts.
    fn reads(
        &mut self,
        prefix: &str,
        sdk: &[(String, String)],
        schema: &'a Value,
        models: &BTreeMap<String, Model>,
        depth: usize,
    ) {
        if depth > 8 {
            return;
        }
        for (wire, ty) in sdk {
            self.fields += 1;
            let path = if prefix.is_empty() { wire.clone() } else { format!("{prefix}.{wire}") };
            let prop = match self.spec.property(schema, wire) {
                Lookup::Found(prop) => prop,
                Lookup::FreeForm => continue,
                Lookup::Missing => {
                    self.push(&path, format!("field {wire} ({ty})"), "not declared".into(), Level::Unhandled);
                    continue;
                }
            };
            let (kind, class) = kind(ty);
            if let Some(kind) = kind {
                if !self.spec.accepts(prop.schema, kind) {
                    let spec_says = format!("{}, which rejects it", self.spec.describe(prop.schema));
                    self.push(&path, ty.clone(), spec_says, Level::Unhandled);
                    continue;
                }
            }
            if let Some(model) = class.as_ref().and_then(|c| models.get(c)) {
                let fields: Vec<(String, String)> = model.values().cloned().collect();
                self.reads(&path, &fields, prop.schema, models, depth + 1);
            }
        }
        for (name, prop) in self.spec.declared(schema) {
            if !sdk.iter().any(|(w, _)| w == name) {
                let path = if prefix.is_empty() { name.to_owned() } else { format!("{prefix}.{name}") };
                let spec_says = format!("{} (declared)", self.spec.describe(prop));
                self.push(&path, "no such field".into(), spec_says, Level::Info);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: &str = r#"
class Client(OpenApiClient):
    def get_desk_with_options(
        self,
        desk_id: str,
        request: dingtalkdesk_models.GetDeskRequest,
        headers: dingtalkdesk_models.GetDeskHeaders,
        runtime: util_models.RuntimeOptions,
    ) -> dingtalkdesk_models.GetDeskResponse:
        query = {}
        if not UtilClient.is_unset(request.lamp_mode):
            query['lampMode'] = request.lamp_mode
        body = {}
        if not UtilClient.is_unset(request.seat_count):
            body['seatCount'] = request.seat_count
        params = open_api_models.Params(
            action='GetDesk',
            pathname=f'/v1.0/desks/{desk_id}',
            method='POST',
        )

    async def get_desk_with_options_async(
        self,
    ):
        params = open_api_models.Params(
            action='GetDesk',
        )
"#;

    const MODELS: &str = r#"
class GetDeskRequest(TeaModel):
    def __init__(
        self,
        lamp_mode: str = None,
        seat_count: int = None,
    ):
        self.lamp_mode = lamp_mode

    def from_map(self, m: dict = None):
        m = m or dict()
        if m.get('lampMode') is not None:
            self.lamp_mode = m.get('lampMode')
        if m.get('seatCount') is not None:
            self.seat_count = m.get('seatCount')
        return self

class GetDeskResponseBody(TeaModel):
    def __init__(
        self,
        lamps: List[GetDeskResponseBodyLamps] = None,
    ):
        pass

    def from_map(self, m: dict = None):
        self.lamps = []
        if m.get('lamps') is not None:
            for k in m.get('lamps'):
                temp_model = GetDeskResponseBodyLamps()
                self.lamps.append(temp_model.from_map(k))
        return self

class GetDeskResponseBodyLamps(TeaModel):
    def __init__(
        self,
        watts: int = None,
    ):
        pass

    def from_map(self, m: dict = None):
        if m.get('watts') is not None:
            self.watts = m.get('watts')
        return self

class GetDeskResponse(TeaModel):
    def __init__(
        self,
        headers: Dict[str, str] = None,
        status_code: int = None,
        body: GetDeskResponseBody = None,
    ):
        pass

    def from_map(self, m: dict = None):
        if m.get('headers') is not None:
            self.headers = m.get('headers')
        if m.get('body') is not None:
            temp_model = GetDeskResponseBody()
            self.body = temp_model.from_map(m['body'])
        return self
"#;

    const SPEC: &str = r#"
openapi: 3.0.3
paths:
  /v1.0/desks/{deskId}:
    post:
      operationId: get_desk
      x-confapi-sdk-action: GetDesk
      parameters: [{name: lampMode, in: query, schema: {type: string}}]
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/DeskBody'}}}}
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/Desk'}}}}
x-confapi-sdk-omitted:
  - {action: Other, reason: not needed}
components:
  schemas:
    Flexible: {x-confapi-core: NumberOrString}
    DeskBody:
      type: object
      properties:
        seatCount: {$ref: '#/components/schemas/Flexible'}
        colour: {type: string}
    Desk:
      type: object
      properties:
        lamps: {type: array, items: {type: object, properties: {watts: {type: string}}}}
"#;

    #[test]
    fn the_sdk_is_read() {
        let ops = operations(CLIENT);
        assert_eq!(ops.len(), 1);
        let op = &ops[0];
        assert_eq!(
            (op.action.as_str(), op.method.as_str(), op.path.as_str()),
            ("GetDesk", "POST", "/v1.0/desks/{desk_id}")
        );
        assert_eq!(op.query, vec![("lampMode".to_owned(), "lamp_mode".to_owned())]);
        assert_eq!(op.body, vec![("seatCount".to_owned(), "seat_count".to_owned())]);
        assert_eq!(op.response.as_deref(), Some("GetDeskResponse"));
        let m = models(MODELS);
        assert_eq!(m["GetDeskRequest"]["seat_count"], ("seatCount".to_owned(), "int".to_owned()));
        assert_eq!(m["GetDeskResponse"]["body"].1, "GetDeskResponseBody");
        assert_eq!(m["GetDeskResponseBody"]["lamps"].1, "List[GetDeskResponseBodyLamps]");
    }

    #[test]
    fn shared_request_fields_and_loose_types_are_reported() {
        let spec = Spec::from_yaml(SPEC).unwrap();
        let (findings, counts) = compare(&spec, &[(operations(CLIENT), models(MODELS))]);
        let lines: Vec<String> = findings.iter().map(super::super::line).collect();
        assert_eq!(
            lines,
            vec![
                "dingtalk get_desk lamps.watts: page says the SDK has int; spec says string, which rejects it [UNHANDLED]",
                "dingtalk get_desk request.body.colour: page says the SDK has no such field in this operation's model; spec says a field this request would send [UNHANDLED]",
                "dingtalk get_desk request.body.seatCount: page says the SDK has int; spec says NumberOrString, which may send number or string [UNHANDLED]",
            ]
        );
        assert_eq!((counts.operations, counts.fields), (1, 4));
    }
}

//! What docs-check reads from a vendor doc page, whatever its format: the
//! operation, its request parameters, the response fields as a tree, and
//! the JSON examples. Also the helpers the three page parsers share.

use serde_json::Value;

/// One doc page, parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocPage {
    /// `openvox`, `quanshi` or `dingtalk`.
    pub vendor: String,
    /// HTTP method, upper case, when the page names one.
    pub method: Option<String>,
    /// Path without host and query, with `{name}` templates.
    pub path: Option<String>,
    /// The request parameters, in page order.
    pub params: Vec<Param>,
    /// The response fields; tables named after a field or type are nested
    /// under it.
    pub response: Vec<Field>,
    /// Every JSON example on the page.
    pub examples: Vec<Example>,
    /// Tables whose title matched no field or type (reported, not compared).
    pub unattached: Vec<String>,
}

/// Where a request parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// A path template segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A property of the JSON body.
    Body,
}

impl Location {
    /// The name used in finding paths and in the spec's `in`.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Body => "body",
        }
    }
}

/// A request parameter row.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The wire name.
    pub name: String,
    /// Where it goes.
    pub location: Location,
    /// The type as the page writes it.
    pub type_word: String,
    /// Whether the page marks it required (`None`: the page does not say).
    pub required: Option<bool>,
}

/// A response field row, with the rows of the table that describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// The type as the page writes it.
    pub type_word: String,
    /// Nested fields.
    pub children: Vec<Field>,
}

impl Field {
    /// A field without children.
    pub fn leaf(name: &str, type_word: &str) -> Field {
        Field { name: name.to_owned(), type_word: type_word.to_owned(), children: Vec::new() }
    }
}

/// Request or response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A request body.
    Request,
    /// A response body, or part of one.
    Response,
}

/// A JSON example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// What it shows.
    pub role: Role,
    /// The JSON.
    pub value: Value,
    /// Part of a body only (the page elides the rest with dots, or shows
    /// one field's value): compared, not decoded.
    pub fragment: bool,
    /// The label line before it (e.g. `detailHouseList参数示例`).
    pub label: String,
}

/// The JSON kinds a page's type word, or an example's value, stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// Any string.
    String,
    /// A string of digits (an example's `"8000"`).
    NumericString,
    /// A string holding JSON (`json字符串`, or an example's `"[...]"`).
    JsonString,
    /// true or false.
    Boolean,
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
    /// An object or an array (the page says just `json`).
    Json,
    /// null.
    Null,
}

impl Kind {
    /// How findings name it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::NumericString => "string of digits",
            Kind::JsonString => "JSON string",
            Kind::Boolean => "boolean",
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::Json => "JSON object or array",
            Kind::Null => "null",
        }
    }

    /// The kind of an example value.
    pub fn of(value: &Value) -> Kind {
        match value {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Boolean,
            Value::Number(n) if n.is_i64() || n.is_u64() => Kind::Integer,
            Value::Number(_) => Kind::Number,
            Value::String(s) if is_digits(s.strip_prefix('-').unwrap_or(s)) => Kind::NumericString,
            Value::String(s) if is_json_text(s) => Kind::JsonString,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    /// Whether an example of kind `shown` agrees with a table's `documented`
    /// kind (a string of digits is a string; an integer is a number).
    pub fn agrees(documented: Kind, shown: Kind) -> bool {
        documented == shown
            || shown == Kind::Null
            || matches!(
                (documented, shown),
                (Kind::String, Kind::NumericString)
                    | (Kind::Number, Kind::Integer)
                    | (Kind::Json, Kind::Object | Kind::Array)
                    | (Kind::String, Kind::JsonString)
            )
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

fn is_json_text(s: &str) -> bool {
    let t = s.trim_start();
    (t.starts_with('{') || t.starts_with('[')) && serde_json::from_str::<Value>(s).is_ok_and(|v| !v.is_null())
}

/// A page's type word read as a JSON kind, with the item type of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeWord {
    /// The kind.
    pub kind: Kind,
    /// For `Array <X>`, `List<X>`, `X[]`, `Array of X`: `X`.
    pub item: Option<String>,
    /// For a named type (`ConferenceInfo`): its name.
    pub named: Option<String>,
}

/// Reads a type word; `None` for words that name no JSON kind.
pub fn type_word(word: &str) -> Option<TypeWord> {
    let w = word.trim();
    let plain = |kind| Some(TypeWord { kind, item: None, named: None });
    let lower = w.to_ascii_lowercase();
    if ["json字符串", "json string", "jsonstring", "json 字符串"].contains(&lower.as_str()) {
        return plain(Kind::JsonString);
    }
    if let Some(inner) = list_item(w) {
        return Some(TypeWord { kind: Kind::Array, item: (!inner.is_empty()).then(|| inner.to_owned()), named: None });
    }
    match lower.as_str() {
        "string" | "str" | "char" | "text" | "字符串" => plain(Kind::String),
        "int" | "integer" | "long" | "short" | "int32" | "int64" | "uint32" | "uint64" | "bigint" | "整数" => {
            plain(Kind::Integer)
        }
        "number" | "double" | "float" | "decimal" | "bigdecimal" | "数字" => plain(Kind::Number),
        "boolean" | "bool" | "布尔" => plain(Kind::Boolean),
        "object" | "map" | "对象" => plain(Kind::Object),
        "json" => plain(Kind::Json),
        "array" | "list" | "数组" => plain(Kind::Array),
        _ if w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && w.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            Some(TypeWord { kind: Kind::Object, item: None, named: Some(w.to_owned()) })
        }
        _ => None,
    }
}

/// The item type of a list type word, or `None` when it is not one.
fn list_item(w: &str) -> Option<&str> {
    if let Some(inner) = w.strip_suffix("[]") {
        return Some(inner.trim());
    }
    for prefix in ["Array", "array", "List", "list"] {
        if let Some(rest) = w.strip_prefix(prefix) {
            let rest = rest.trim();
            if let Some(inner) = rest.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
                return Some(inner.trim());
            }
            if let Some(inner) = rest.strip_prefix("of ") {
                return Some(inner.trim());
            }
        }
    }
    None
}

/// The JSON objects and arrays in `text`, with their byte offsets. A block
/// that parses only once lines of dots (`......`) are dropped is returned
/// as a fragment. Empty objects and arrays (code samples' `{ }`, `[]`) are
/// skipped.
pub fn json_blocks(text: &str) -> Vec<(usize, Value, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find(['{', '[']) {
        let start = at + found;
        let rest = &text[start..];
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) if !is_empty_container(&value) => {
                let end = start + stream.byte_offset();
                out.push((start, value, false));
                at = end;
                continue;
            }
            _ => {}
        }
        if let Some((value, len)) = elided_block(rest) {
            out.push((start, value, true));
            at = start + len;
            continue;
        }
        at = start + 1;
    }
    out
}

fn is_empty_container(v: &Value) -> bool {
    v.as_array().is_some_and(Vec::is_empty) || v.as_object().is_some_and(|o| o.is_empty())
}

/// A block whose elisions (lines of dots) hide the rest of a body: parsed
/// without them. Returns the value and the block's length in `text`.
fn elided_block(text: &str) -> Option<(Value, usize)> {
    let open = text.chars().next()?;
    let close = if open == '{' { '}' } else { ']' };
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth -= 1;
                if depth == 0 {
                    if c != close {
                        return None;
                    }
                    let block = &text[..=i];
                    if !block.lines().any(is_elision) {
                        return None;
                    }
                    let kept: Vec<&str> = block.lines().filter(|l| !is_elision(l)).collect();
                    let value: Value = serde_json::from_str(&kept.join("\n")).ok()?;
                    return (!is_empty_container(&value)).then_some((value, i + 1));
                }
            }
            _ => {}
        }
    }
    None
}

fn is_elision(line: &str) -> bool {
    let t = line.trim().trim_end_matches(',');
    t.len() >= 3 && t.chars().all(|c| c == '.' || c == '…')
}

/// Field names in a table title or an example label: `houseList和equipList结构`
/// gives `houseList` and `equipList`; `result 参数说明` gives `result`.
pub fn title_names(title: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut current = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            current.push(c);
        } else {
            if !current.is_empty() {
                names.push(std::mem::take(&mut current));
            }
            // Only names joined by 和, commas or spaces belong together.
            if !matches!(c, '和' | ',' | '，' | '、' | ' ' | '/') {
                break;
            }
        }
    }
    if !current.is_empty() {
        names.push(current);
    }
    names.retain(|n| n.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && n != "and");
    names
}

/// A table found on a page, before it is attached to the response tree.
#[derive(Debug, Clone, PartialEq)]
pub struct SubTable {
    /// Its title line, when it has one.
    pub title: Option<String>,
    /// Its rows.
    pub fields: Vec<Field>,
}

/// Attaches each table to the field it describes: a titled table to the
/// fields its title names (or to the fields whose type it names, or, for a
/// field only the examples show, where the response example has it); an
/// untitled one to the first field of a named type that has no rows yet.
pub fn attach(top: &mut Vec<Field>, tables: Vec<SubTable>, examples: &[Example], unattached: &mut Vec<String>) {
    for table in tables {
        let attached = match &table.title {
            Some(title) => {
                let names = title_names(title);
                let mut any = false;
                for name in &names {
                    any |= attach_where(top, &table.fields, &|f: &Field| f.name == *name);
                }
                if !any {
                    for name in &names {
                        any |= attach_where(top, &table.fields, &|f: &Field| refers_to(f, name));
                    }
                }
                if !any {
                    for name in &names {
                        any |= attach_by_example(top, &table.fields, examples, name);
                    }
                }
                any
            }
            None => attach_first(top, &table.fields),
        };
        if !attached {
            unattached.push(table.title.unwrap_or_else(|| "(untitled table)".into()));
        }
    }
}

/// Adds a field that only the whole response example shows, at the place
/// it has there, with the table's rows.
fn attach_by_example(top: &mut Vec<Field>, rows: &[Field], examples: &[Example], name: &str) -> bool {
    let whole = examples.iter().find(|e| e.role == Role::Response && !e.fragment);
    let Some(path) = whole.and_then(|e| key_path(&e.value, name, 0)) else { return false };
    let mut level = top;
    for (i, segment) in path.iter().enumerate() {
        let at = match level.iter().position(|f| f.name == *segment) {
            Some(at) => at,
            None => {
                level.push(Field::leaf(segment, ""));
                level.len() - 1
            }
        };
        if i + 1 == path.len() {
            level[at].children = rows.to_vec();
            return true;
        }
        level = &mut level[at].children;
    }
    false
}

/// The names leading to the first key `name` in a JSON value (arrays
/// looked through).
fn key_path(v: &Value, name: &str, depth: usize) -> Option<Vec<String>> {
    if depth > 16 {
        return None;
    }
    match v {
        Value::Object(m) => {
            if m.contains_key(name) {
                return Some(vec![name.to_owned()]);
            }
            m.iter().find_map(|(k, child)| {
                key_path(child, name, depth + 1).map(|mut rest| {
                    rest.insert(0, k.clone());
                    rest
                })
            })
        }
        Value::Array(items) => items.iter().find_map(|i| key_path(i, name, depth + 1)),
        _ => None,
    }
}

fn refers_to(f: &Field, name: &str) -> bool {
    type_word(&f.type_word).is_some_and(|t| t.item.as_deref() == Some(name) || t.named.as_deref() == Some(name))
}

fn attach_where(fields: &mut [Field], rows: &[Field], pick: &dyn Fn(&Field) -> bool) -> bool {
    let mut any = false;
    for f in fields.iter_mut() {
        if pick(f) && f.children.is_empty() {
            f.children = rows.to_vec();
            any = true;
        } else {
            any |= attach_where(&mut f.children, rows, pick);
        }
    }
    any
}

fn attach_first(fields: &mut [Field], rows: &[Field]) -> bool {
    for f in fields.iter_mut() {
        let named = type_word(&f.type_word).is_some_and(|t| {
            t.named.is_some() || t.item.as_deref().is_some_and(|i| type_word(i).is_none_or(|w| w.named.is_some()))
        });
        if named && f.children.is_empty() {
            f.children = rows.to_vec();
            return true;
        }
        if attach_first(&mut f.children, rows) {
            return true;
        }
    }
    false
}

/// Strips HTML tags that HTML tables use, leaving other `<Words>` (such as
/// `Array <ConferenceInfo>`), and decodes the common entities.
pub fn html_text(html: &str) -> String {
    const TAGS: &[&str] = &[
        "table", "thead", "tbody", "tr", "td", "th", "p", "b", "strong", "em", "i", "ul", "ol", "li", "code", "br",
        "span", "a", "div", "sup", "sub", "img", "pre",
    ];
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        let name: String =
            after.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>();
        match after.find('>') {
            Some(gt) if TAGS.contains(&name.to_ascii_lowercase().as_str()) => {
                out.push(' ');
                rest = &after[gt + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn type_words_map_to_kinds() {
        let kind = |w: &str| type_word(w).map(|t| t.kind);
        assert_eq!(kind("String"), Some(Kind::String));
        assert_eq!(kind("uint64"), Some(Kind::Integer));
        assert_eq!(kind("Long"), Some(Kind::Integer));
        assert_eq!(kind("double"), Some(Kind::Number));
        assert_eq!(kind("json字符串"), Some(Kind::JsonString));
        assert_eq!(kind("json"), Some(Kind::Json));
        assert_eq!(type_word("Array <MemberType>").unwrap().item.as_deref(), Some("MemberType"));
        assert_eq!(type_word("List<String>").unwrap().item.as_deref(), Some("String"));
        assert_eq!(type_word("Array of Room").unwrap().item.as_deref(), Some("Room"));
        assert_eq!(type_word("ConferenceInfo").unwrap().named.as_deref(), Some("ConferenceInfo"));
        assert_eq!(kind("会议"), None);
    }

    #[test]
    fn example_kinds() {
        assert_eq!(Kind::of(&json!("8000")), Kind::NumericString);
        assert_eq!(Kind::of(&json!("[1]")), Kind::JsonString);
        assert_eq!(Kind::of(&json!("x")), Kind::String);
        assert_eq!(Kind::of(&json!("-")), Kind::String);
        assert_eq!(Kind::of(&json!("-12")), Kind::NumericString);
        assert_eq!(Kind::of(&json!(1.5)), Kind::Number);
        assert!(Kind::agrees(Kind::String, Kind::NumericString));
        assert!(!Kind::agrees(Kind::JsonString, Kind::Array));
    }

    #[test]
    fn json_blocks_skip_code_and_read_elided_fragments() {
        let text = "POST /x?token={token}\nString[] args; f({ });\n{\"a\": [1, 2]}\ntrailer\n{\n  ......\n  \"b\": {\"c\": 1}\n  ......\n}\n";
        let blocks = json_blocks(text);
        assert_eq!(blocks.len(), 2, "{blocks:?}");
        assert_eq!(blocks[0].1, json!({"a": [1, 2]}));
        assert!(!blocks[0].2);
        assert_eq!(blocks[1].1, json!({"b": {"c": 1}}));
        assert!(blocks[1].2);
    }

    #[test]
    fn titles_name_fields() {
        assert_eq!(title_names("houseList和equipList结构"), vec!["houseList", "equipList"]);
        assert_eq!(title_names("result 参数说明"), vec!["result"]);
        assert_eq!(title_names("detailHouseList参数示例"), vec!["detailHouseList"]);
        assert!(title_names("返回示例").is_empty());
    }

    #[test]
    fn html_keeps_type_brackets_and_decodes_entities() {
        assert_eq!(html_text("<td style=\"x\">Array <Room></td>"), "Array <Room>");
        assert_eq!(html_text("<p>a &amp; b &lt;c&gt;</p>"), "a & b <c>");
    }

    #[test]
    fn tables_attach_by_title_by_type_and_in_order() {
        let mut top = vec![Field::leaf("list", "Array <Item>"), Field::leaf("info", "object")];
        let tables = vec![
            SubTable { title: Some("Item".into()), fields: vec![Field::leaf("tags", "Array <Tag>")] },
            SubTable { title: None, fields: vec![Field::leaf("label", "string")] },
            SubTable { title: Some("info结构".into()), fields: vec![Field::leaf("x", "int")] },
            SubTable { title: Some("nothing".into()), fields: vec![] },
        ];
        let mut unattached = Vec::new();
        attach(&mut top, tables, &[], &mut unattached);
        assert_eq!(top[0].children[0].children[0].name, "label");
        assert_eq!(top[1].children[0].name, "x");
        assert_eq!(unattached, vec!["nothing"]);
    }
}

//! DingTalk pages: page text whose table cells run together
//! (`conferenceIdString是会议ID`). A row is a name, a type word, an optional
//! 是/否 and a description; the type word is the separator. The response
//! table is flat: a row of type Object or Array opens a level, and the
//! response example tells which level each following row belongs to.

use super::page::{json_blocks, type_word, DocPage, Example, Field, Kind, Location, Param, Role};
use serde_json::Value;

/// Type words as DingTalk writes them; a row's name ends where one starts.
const TYPES: &[&str] =
    &["String", "Integer", "Long", "Boolean", "Object", "Array", "Double", "Float", "Number", "List", "Map"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Params(Location),
    RequestExample,
    Response,
    ResponseExample,
    Other,
}

fn section(line: &str) -> Option<Section> {
    Some(match line {
        "请求头" => Section::Params(Location::Header),
        "路径参数" => Section::Params(Location::Path),
        "查询参数" | "Query参数" => Section::Params(Location::Query),
        "请求体" | "Body参数" | "请求Body" => Section::Params(Location::Body),
        "请求示例" => Section::RequestExample,
        "响应体" | "返回参数" => Section::Response,
        "响应体示例" | "响应示例" | "返回示例" => Section::ResponseExample,
        "基本信息" | "请求" | "响应" | "错误码" => Section::Other,
        _ => return None,
    })
}

/// Parses a DingTalk page.
pub fn parse(text: &str) -> DocPage {
    let mut page = DocPage { vendor: "dingtalk".into(), ..DocPage::default() };
    let mut current = Section::Other;
    let mut rows = Vec::new();
    let mut example_text: Vec<(Role, String)> = Vec::new();
    for raw in text.lines() {
        let line = raw.trim();
        if let Some(s) = section(line) {
            current = s;
            if matches!(s, Section::RequestExample | Section::ResponseExample) {
                let role = if s == Section::RequestExample { Role::Request } else { Role::Response };
                example_text.push((role, String::new()));
            }
            continue;
        }
        if let Some(url) = line.strip_prefix("HTTP URL") {
            let url = url.trim();
            let without_host = url.split_once("://").map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
            page.path = Some(without_host.split('?').next().unwrap_or(without_host).to_owned());
            continue;
        }
        if let Some(method) = line.strip_prefix("HTTP Method") {
            page.method = Some(method.trim().to_ascii_uppercase());
            continue;
        }
        match current {
            Section::Params(location) => {
                if let Some((name, ty, required)) = split_row(line) {
                    page.params.push(Param { name, location, type_word: ty, required });
                }
            }
            Section::Response => {
                if let Some((name, ty, _)) = split_row(line) {
                    rows.push(Field::leaf(&name, &ty));
                }
            }
            Section::RequestExample | Section::ResponseExample => {
                if let Some((_, text)) = example_text.last_mut() {
                    text.push_str(raw);
                    text.push('\n');
                }
            }
            Section::Other => {}
        }
    }
    for (role, text) in example_text {
        for (_, value, fragment) in json_blocks(&text) {
            page.examples.push(Example { role, value, fragment, label: String::new() });
        }
    }
    let example = page.examples.iter().find(|e| e.role == Role::Response && !e.fragment).map(|e| e.value.clone());
    page.response = nest(rows, example.as_ref());
    page
}

/// Splits a run-together row into name, type word and required flag.
fn split_row(line: &str) -> Option<(String, String, Option<bool>)> {
    if !line.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    for (p, c) in line.char_indices().skip(1) {
        if !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
            return None;
        }
        let rest = &line[p..];
        for ty in TYPES {
            let Some(after) = rest.strip_prefix(ty) else { continue };
            let (word_len, after) = match after.strip_prefix("[]") {
                Some(a) => (ty.len() + 2, a),
                None => match after.strip_prefix('<').and_then(|a| a.find('>').map(|e| (e, a))) {
                    Some((end, a)) => (ty.len() + end + 2, &a[end + 1..]),
                    None => (ty.len(), after),
                },
            };
            if after.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let required = match after.chars().next() {
                Some('是') => Some(true),
                Some('否') => Some(false),
                _ => None,
            };
            return Some((line[..p].to_owned(), rest[..word_len].to_owned(), required));
        }
    }
    None
}

/// Builds the tree from flat rows: each row goes under the innermost open
/// Object/Array row whose example value has its name, or else under the
/// innermost open one.
fn nest(rows: Vec<Field>, example: Option<&Value>) -> Vec<Field> {
    // (row index, parent index) with parents as indices into `rows`.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    let mut open: Vec<usize> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let level = open
            .iter()
            .rposition(|&o| example_at(&rows, &parent, o, example).is_some_and(|v| v.get(&row.name).is_some()))
            .map(|p| p + 1)
            .unwrap_or_else(|| {
                // At the top when the example has it there, else innermost.
                let at_top = example.is_some_and(|v| v.get(&row.name).is_some());
                if at_top {
                    0
                } else {
                    open.len()
                }
            });
        open.truncate(level);
        parent.push(open.last().copied());
        if type_word(&row.type_word).is_some_and(|t| matches!(t.kind, Kind::Object | Kind::Array | Kind::Json)) {
            open.push(i);
        }
    }
    build(&rows, &parent, None)
}

/// The example's value at row `i` (first element of arrays).
fn example_at<'a>(rows: &[Field], parent: &[Option<usize>], i: usize, example: Option<&'a Value>) -> Option<&'a Value> {
    let mut chain = vec![i];
    while let Some(Some(p)) = chain.last().map(|&c| parent[c]) {
        chain.push(p);
    }
    let mut v = example?;
    for &c in chain.iter().rev() {
        v = v.get(&rows[c].name)?;
        while let Some(first) = v.as_array().and_then(|a| a.first()) {
            v = first;
        }
    }
    Some(v)
}

fn build(rows: &[Field], parent: &[Option<usize>], of: Option<usize>) -> Vec<Field> {
    (0..rows.len())
        .filter(|&i| parent[i] == of)
        .map(|i| Field { children: build(rows, parent, Some(i)), ..rows[i].clone() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_split_on_type_words() {
        assert_eq!(split_row("roomIdString是房间编号"), Some(("roomId".into(), "String".into(), Some(true))));
        assert_eq!(split_row("x-token-headerString访问凭证"), Some(("x-token-header".into(), "String".into(), None)));
        assert_eq!(
            split_row("nameListArray<String>否名单"),
            Some(("nameList".into(), "Array<String>".into(), Some(false)))
        );
        assert_eq!(split_row("isObjectStoreBoolean开关"), Some(("isObjectStore".into(), "Boolean".into(), None)));
        assert_eq!(split_row("名称类型描述"), None);
    }
}

//! Quanshi pages: plain text with numbered sections, `接口名称:` and
//! `发送方式:` labels, and tables whose columns are separated by spaces
//! (`参数名 必选 类型 说明`). A table's title is the line above its header.

use super::page::{attach, json_blocks, type_word, DocPage, Example, Field, Location, Param, Role, SubTable};

const REQUIRED_WORDS: &[&str] = &["是", "否", "必选", "可选", "Y", "N", "y", "n"];

/// Parses a Quanshi page.
pub fn parse(text: &str) -> DocPage {
    let mut page = DocPage { vendor: "quanshi".into(), ..DocPage::default() };
    let lines: Vec<&str> = text.lines().collect();
    let mut part = Part::Other;
    let mut location = Location::Body;
    let mut response_top: Option<Vec<Field>> = None;
    let mut subs = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if let Some(label) = ["接口名称", "发送方式"].iter().find(|l| line.trim_end_matches([':', '：']) == **l)
        {
            let value = lines[i + 1..].iter().map(|l| l.trim()).find(|l| !l.is_empty()).unwrap_or_default();
            let is_label = value.ends_with(':') || value.ends_with('：');
            if !is_label {
                if *label == "接口名称" {
                    page.path = Some(value.split_whitespace().next().unwrap_or(value).to_owned());
                } else {
                    page.method = Some(value.to_ascii_uppercase());
                }
            }
        } else if let Some(heading) = numbered_heading(line) {
            part = if heading.contains("输入参数") {
                Part::Request
            } else if heading.contains("返回参数") {
                Part::Response
            } else {
                part
            };
        } else if line.eq_ignore_ascii_case("http header") {
            location = Location::Header;
        } else if line.eq_ignore_ascii_case("httpbody") || line.eq_ignore_ascii_case("http body") {
            location = Location::Body;
        } else if line.starts_with("参数名") {
            let has_required = line.split_whitespace().any(|w| w == "必选" || w == "是否必选");
            let title = previous_text(&lines, i).filter(|t| numbered_heading(t).is_none() && !is_location(t));
            let mut rows = Vec::new();
            i += 1;
            while i < lines.len() {
                match row(lines[i], has_required) {
                    Some(r) => rows.push(r),
                    None => break,
                }
                i += 1;
            }
            match part {
                Part::Request if title.is_none() => {
                    for (field, required) in rows {
                        page.params.push(Param { name: field.name, location, type_word: field.type_word, required });
                    }
                }
                _ => {
                    let fields = nest_repeats(rows.into_iter().map(|(f, _)| f).collect());
                    if response_top.is_none() && title.is_none() && part == Part::Response {
                        response_top = Some(fields);
                    } else {
                        subs.push(SubTable { title, fields });
                    }
                }
            }
            continue;
        }
        i += 1;
    }
    page.response = response_top.unwrap_or_default();
    page.examples = examples(text);
    attach(&mut page.response, subs, &page.examples, &mut page.unattached);
    page
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Request,
    Response,
    Other,
}

fn is_location(line: &str) -> bool {
    ["http header", "httpbody", "http body"].contains(&line.to_ascii_lowercase().as_str())
}

/// `2. 输入参数` gives `输入参数`.
fn numbered_heading(line: &str) -> Option<&str> {
    let (num, rest) = line.split_once('.')?;
    (!num.is_empty() && num.chars().all(|c| c.is_ascii_digit())).then(|| rest.trim())
}

fn previous_text(lines: &[&str], i: usize) -> Option<String> {
    lines[..i].iter().rev().map(|l| l.trim()).find(|l| !l.is_empty()).map(str::to_owned)
}

/// One table row: name, optional required word, type word, description.
fn row(line: &str, has_required: bool) -> Option<(Field, Option<bool>)> {
    let mut words = line.split_whitespace();
    let name = words.next()?;
    if !name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let mut next = words.next()?;
    let mut required = None;
    if has_required && REQUIRED_WORDS.contains(&next) {
        required = Some(matches!(next, "是" | "必选" | "Y" | "y"));
        next = words.next()?;
    }
    type_word(next)?;
    Some((Field::leaf(name, next), required))
}

/// In a flat table, a name seen before, after a row of a structured type,
/// starts that row's own fields (`SubDevices json` then `DeviceId int`).
fn nest_repeats(rows: Vec<Field>) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    let mut container: Option<usize> = None;
    for f in rows {
        if let Some(c) = container {
            out[c].children.push(f);
            continue;
        }
        let repeated = out.iter().any(|o| o.name == f.name);
        let last_structured = out.iter().rposition(|o| {
            type_word(&o.type_word).is_some_and(|t| {
                matches!(t.kind, super::page::Kind::Json | super::page::Kind::Object | super::page::Kind::Array)
            })
        });
        match (repeated, last_structured) {
            (true, Some(c)) => {
                out[c].children.push(f);
                container = Some(c);
            }
            _ => out.push(f),
        }
    }
    out
}

/// The JSON examples, each with the label line above it: `传参示例`/`请求示例`
/// mark requests, the rest responses.
fn examples(text: &str) -> Vec<Example> {
    let mut out = Vec::new();
    for (offset, value, fragment) in json_blocks(text) {
        let before = &text[..offset];
        let label = before.lines().rev().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default().to_owned();
        let role = if label.contains("传参") || label.contains("请求") { Role::Request } else { Role::Response };
        // An example of one field's value (`houseList参数示例`) is part of a body.
        let part_of_body = fragment || !label.contains("返回示例") && role == Role::Response;
        out.push(Example { role, value, fragment: part_of_body, label });
    }
    out
}

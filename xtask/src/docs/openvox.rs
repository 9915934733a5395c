//! OpenVox pages: markdown with `###` sections, HTML tables (entities and
//! all) and markdown pipe tables, and code blocks holding the request line
//! and the examples.

use super::page::{attach, html_text, json_blocks, DocPage, Example, Field, Location, Param, Role, SubTable};

/// A table as header cells and rows of cells, with its title line.
struct Table {
    title: Option<String>,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    section: String,
}

impl Table {
    fn column(&self, names: &[&str]) -> Option<usize> {
        self.header.iter().position(|h| names.iter().any(|n| h.trim() == *n))
    }

    fn fields(&self) -> Vec<Field> {
        let (Some(name), Some(ty)) = (self.column(&["参数", "参数名", "名称", "字段"]), self.column(&["类型"]))
        else {
            return Vec::new();
        };
        self.rows
            .iter()
            .filter_map(|r| Some(Field::leaf(r.get(name)?.trim(), r.get(ty)?.trim())))
            .filter(|f| !f.name.is_empty())
            .collect()
    }
}

/// Parses an OpenVox page.
pub fn parse(text: &str) -> DocPage {
    let mut page = DocPage { vendor: "openvox".into(), ..DocPage::default() };
    let lines: Vec<&str> = text.lines().collect();
    let mut tables = Vec::new();
    let mut section = String::new();
    let mut label = String::new();
    let mut last_text: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if let Some(h) = line.strip_prefix('#') {
            section = h.trim_start_matches('#').trim().to_owned();
            last_text = None;
            i += 1;
        } else if line.starts_with("<table") {
            let start = i;
            while i < lines.len() && !lines[i].contains("</table>") {
                i += 1;
            }
            let html = lines[start..(i + 1).min(lines.len())].join("\n");
            tables.push(html_table(&html, last_text.take(), &section));
            i += 1;
        } else if line.starts_with('|') {
            let start = i;
            while i < lines.len() && lines[i].trim().starts_with('|') {
                i += 1;
            }
            tables.push(pipe_table(&lines[start..i], last_text.take(), &section));
        } else if line.starts_with("```") {
            let start = i + 1;
            i += 1;
            while i < lines.len() && !lines[i].trim().starts_with("```") {
                i += 1;
            }
            let block = lines[start..i.min(lines.len())].join("\n");
            code_block(&mut page, &block, &section, &label);
            i += 1;
        } else {
            if line.starts_with("**") {
                label = line.trim_matches('*').to_owned();
            }
            if !line.is_empty() {
                last_text = Some(line.to_owned());
            }
            i += 1;
        }
    }
    let mut response_tables = Vec::new();
    for table in tables {
        if table.section.contains("请求参数") {
            let required = table.column(&["是否必选", "必选", "是否必填", "必填"]);
            let fields = table.fields();
            for (f, row) in fields.into_iter().zip(&table.rows) {
                let req = required.and_then(|c| row.get(c)).map(|v| v.trim() == "是");
                page.params.push(Param {
                    name: f.name,
                    location: Location::Body,
                    type_word: f.type_word,
                    required: req,
                });
            }
        } else if table.section.contains("响应参数") {
            response_tables.push(table);
        }
    }
    let mut response_tables = response_tables.into_iter();
    if let Some(top) = response_tables.next() {
        page.response = top.fields();
    }
    let subs = response_tables
        .map(|t| SubTable { title: t.title.clone().filter(|s| is_title(s)), fields: t.fields() })
        .collect();
    attach(&mut page.response, subs, &page.examples, &mut page.unattached);
    page
}

/// A title line is a lone name (`ConferenceInfo`), not a sentence.
fn is_title(line: &str) -> bool {
    !line.is_empty() && line.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn code_block(page: &mut DocPage, block: &str, section: &str, label: &str) {
    if section.contains("请求地址") {
        for line in block.lines() {
            let mut parts = line.split_whitespace();
            if let (Some(method), Some(url)) = (parts.next(), parts.next()) {
                if ["GET", "POST", "PUT", "DELETE", "PATCH"].contains(&method) {
                    page.method = Some(method.to_owned());
                    let (path, query) = url.split_once('?').unwrap_or((url, ""));
                    page.path = Some(path.to_owned());
                    for pair in query.split('&').filter(|p| !p.is_empty()) {
                        let name = pair.split('=').next().unwrap_or(pair);
                        page.params.push(Param {
                            name: name.to_owned(),
                            location: Location::Query,
                            type_word: "String".into(),
                            required: None,
                        });
                    }
                    return;
                }
            }
        }
        return;
    }
    let role = if label.contains("请求") { Role::Request } else { Role::Response };
    for (_, value, fragment) in json_blocks(block) {
        page.examples.push(Example { role, value, fragment, label: label.to_owned() });
    }
}

fn html_table(html: &str, title: Option<String>, section: &str) -> Table {
    let mut header = Vec::new();
    let mut rows = Vec::new();
    for row in html.split("<tr").skip(1) {
        let row = row.split("</tr>").next().unwrap_or(row);
        let is_header = row.contains("<th");
        let cells: Vec<String> = row
            .split(if is_header { "<th" } else { "<td" })
            .skip(1)
            .map(|cell| {
                let body = cell.split_once('>').map_or(cell, |(_, b)| b);
                let body = body.rsplit_once(if is_header { "</th>" } else { "</td>" }).map_or(body, |(b, _)| b);
                html_text(body)
            })
            .collect();
        if is_header {
            header = cells;
        } else {
            rows.push(cells);
        }
    }
    Table { title, header, rows, section: section.to_owned() }
}

fn pipe_table(lines: &[&str], title: Option<String>, section: &str) -> Table {
    let cells =
        |line: &str| -> Vec<String> { line.trim().trim_matches('|').split('|').map(|c| html_text(c.trim())).collect() };
    let header = lines.first().map(|l| cells(l)).unwrap_or_default();
    let rows = lines
        .iter()
        .skip(1)
        .filter(|l| !l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')))
        .map(|l| cells(l))
        .collect();
    Table { title, header, rows, section: section.to_owned() }
}

//! Plain-text rendering that fits 100 columns, counting wide (CJK)
//! characters as two.

use chrono::{DateTime, Utc};
use confapi::{Action, Capabilities, Conference, Member, Vendor};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The width the table is laid out for.
pub const WIDTH: usize = 100;

/// `text` cut to `width` columns (with `…`), then padded to exactly `width`.
pub fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    if text.width() <= width {
        out.push_str(text);
        used = text.width();
    } else {
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if used + w + 1 > width {
                break;
            }
            out.push(c);
            used += w;
        }
        out.push('…');
        used += 1;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "-".into())
}

fn people(c: &Conference) -> String {
    let p = &c.participants;
    p.active
        .or(if c.members.is_empty() { None } else { Some(c.members.len() as u64) })
        .map(|n| n.to_string())
        .unwrap_or_else(|| "-".into())
}

const COLUMNS: [(&str, usize); 6] =
    [("ACCOUNT", 10), ("VENDOR", 8), ("ID", 28), ("STATUS", 9), ("START (UTC)", 16), ("PEOPLE", 6)];

/// Conferences as a table: one line each, at most [`WIDTH`] columns.
pub fn conferences(list: &[Conference]) -> String {
    let title_width = WIDTH - COLUMNS.iter().map(|(_, w)| w + 1).sum::<usize>();
    let mut out = String::new();
    let mut line: Vec<String> = COLUMNS.iter().map(|(h, w)| fit(h, *w)).collect();
    line.push("TITLE".into());
    out.push_str(line.join(" ").trim_end());
    out.push('\n');
    for c in list {
        let cells = [
            fit(&c.account, COLUMNS[0].1),
            fit(c.vendor.name(), COLUMNS[1].1),
            fit(&c.id, COLUMNS[2].1),
            fit(&c.status.to_string(), COLUMNS[3].1),
            fit(&when(c.start), COLUMNS[4].1),
            fit(&people(c), COLUMNS[5].1),
            fit(c.title.as_deref().unwrap_or("-"), title_width),
        ];
        out.push_str(cells.join(" ").trim_end());
        out.push('\n');
    }
    out
}

/// One conference in detail, with a member table.
pub fn conference(c: &Conference) -> String {
    let p = &c.participants;
    let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_else(|| "-".into());
    let rows = [
        ("account", c.account.clone()),
        ("vendor", c.vendor.name().to_owned()),
        ("id", c.id.clone()),
        ("title", c.title.clone().unwrap_or_else(|| "-".into())),
        ("status", c.status.to_string()),
        ("start (UTC)", when(c.start)),
        ("end (UTC)", when(c.end)),
        ("host", c.host.clone().unwrap_or_else(|| "-".into())),
        ("people", format!("{} now, {} in all, {} invited", n(p.active), n(p.total), n(p.invited))),
        ("join", c.join_url.clone().unwrap_or_else(|| "-".into())),
    ];
    let mut out = String::new();
    for (k, v) in rows {
        out.push_str(fit(&format!("{k:<12}{v}"), WIDTH).trim_end());
        out.push('\n');
    }
    out.push_str(&format!("\nmembers ({})\n", c.members.len()));
    if !c.members.is_empty() {
        out.push_str(&member_line(["ID", "NAME", "ROLE", "STATE", "JOINED (UTC)"]));
        for m in &c.members {
            out.push_str(&member_row(m));
        }
    }
    out
}

const MEMBER_COLUMNS: [usize; 5] = [32, 20, 12, 14, 16];

fn member_line(cells: [&str; 5]) -> String {
    let parts: Vec<String> = cells.iter().zip(MEMBER_COLUMNS).map(|(c, w)| fit(c, w)).collect();
    format!("{}\n", parts.join(" ").trim_end())
}

fn member_row(m: &Member) -> String {
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    member_line([&dash(&m.id), &dash(&m.name), &dash(&m.role), &m.state.to_string(), &when(m.joined_at)])
}

/// Vendor × action: `yes` where the vendor's client has the operation.
pub fn capabilities(vendors: &[Vendor]) -> String {
    let mut out = fit("VENDOR", 9);
    for action in Action::ALL {
        out.push_str(&fit(&action.name().to_uppercase(), action.name().len().max(3) + 2));
    }
    let mut text = format!("{}\n", out.trim_end());
    for vendor in vendors {
        let can = Capabilities::of(*vendor);
        let mut line = fit(vendor.name(), 9);
        for action in Action::ALL {
            let cell = if can.supports(action) { "yes" } else { "-" };
            line.push_str(&fit(cell, action.name().len().max(3) + 2));
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use confapi::{Status, Vendor};

    #[test]
    fn lines_fit_100_columns_with_wide_characters() {
        let mut c = Conference::new(Vendor::QUANSHI, "1165158", Status::Live);
        c.title = Some("周例会".repeat(30));
        let mut long = Conference::new(Vendor::DINGTALK, "x".repeat(60), Status::Unknown("7".into()));
        long.title = Some("a very long English title that keeps going and going".repeat(3));
        let text = conferences(&[c.clone(), long]);
        for line in text.lines() {
            assert!(line.width() <= WIDTH, "{} columns: {line}", line.width());
        }
        assert!(text.contains("周例会"));
        assert!(text.lines().nth(1).unwrap().ends_with('…'));
        for line in conference(&c).lines() {
            assert!(line.width() <= WIDTH);
        }
    }

    #[test]
    fn capabilities_are_a_vendor_by_action_grid() {
        let text = capabilities(&Vendor::compiled());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "VENDOR   START  END  INVITE  KICK  MUTE  UNMUTE  MUTE-ALL  UNMUTE-ALL");
        assert_eq!(lines[1], "openvox  yes    -    yes     -     yes   -       -         -");
        assert_eq!(lines[2], "quanshi  -      -    -       -     -     -       -         -");
        assert_eq!(lines[3], "dingtalk yes    yes  yes     yes   yes   yes     yes       yes");
    }

    #[test]
    fn fit_pads_and_cuts_by_display_width() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("周例会", 5), "周例…");
        assert_eq!(fit("周例会", 5).width(), 5);
    }
}

//! Minutes as a Swedish protocol document in Markdown, shaped like the minutes
//! networks write today (seed 001): date and place, those present by organization, a
//! numbered paragraph per agenda item, "Antecknat av", and the approvers (justering).

pub mod document;
pub mod pdf;

use std::fmt::Write;

pub use document::{Block, Meta};

/// Everything the document shows, already looked up and in order.
#[derive(Debug, Clone, Default)]
pub struct Protocol {
    pub title: String,
    pub network: Option<String>,
    /// e.g. "2020-05-08, 09:00–12:00".
    pub when: String,
    pub place: Option<String>,
    /// e.g. "digitalt".
    pub mode: String,
    /// (organization, names), organizations in order of name.
    pub present: Vec<(String, Vec<String>)>,
    pub sections: Vec<ProtocolSection>,
    pub recorded_by: Vec<String>,
    /// (name, approval date if given).
    pub approvers: Vec<(String, Option<String>)>,
    /// "Utkast", "Inlämnat för justering" or "Justerat 2020-05-15".
    pub status: String,
    /// (date, who, why) of each amendment.
    pub amendments: Vec<(String, String, String)>,
}

/// One numbered paragraph.
#[derive(Debug, Clone, Default)]
pub struct ProtocolSection {
    pub heading: String,
    pub notes: Option<String>,
    pub decisions: Vec<String>,
    /// (task, responsible, due date).
    pub actions: Vec<(String, Option<String>, Option<String>)>,
}

/// Renders the protocol.
pub fn render(p: &Protocol) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}", p.title);
    out.push('\n');
    if let Some(network) = p.network.as_ref().filter(|n| **n != p.title) {
        let _ = writeln!(out, "**Nätverk:** {network}  ");
    }
    let _ = writeln!(out, "**Datum:** {}  ", p.when);
    match &p.place {
        Some(place) => {
            let _ = writeln!(out, "**Plats:** {place} ({})", p.mode);
        }
        None => {
            let _ = writeln!(out, "**Plats:** {}", p.mode);
        }
    }
    out.push('\n');
    let _ = writeln!(out, "*{}*", p.status);
    out.push('\n');
    out.push_str("## Närvarande\n\n");
    if p.present.is_empty() {
        out.push_str("Ingen närvaro är registrerad.\n");
    }
    for (organization, names) in &p.present {
        let _ = writeln!(out, "**{organization}:** {}  ", names.join(", "));
    }
    out.push('\n');
    out.push_str("## Anteckningar\n");
    for (i, s) in p.sections.iter().enumerate() {
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
        let _ = writeln!(out, "### § {}. {}\n", i + 1, s.heading);
        if let Some(notes) = &s.notes {
            let _ = writeln!(out, "{}\n", notes.trim_end());
        }
        if !s.decisions.is_empty() {
            out.push_str("**Beslut:**\n\n");
            for d in &s.decisions {
                let _ = writeln!(out, "- {d}");
            }
            out.push('\n');
        }
        if !s.actions.is_empty() {
            out.push_str("**Att göra:**\n\n");
            for (task, who, due) in &s.actions {
                let mut line = format!("- {task}");
                if let Some(who) = who {
                    let _ = write!(line, " – ansvarig: {who}");
                }
                if let Some(due) = due {
                    let _ = write!(line, ", senast {due}");
                }
                let _ = writeln!(out, "{line}");
            }
            out.push('\n');
        }
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str("### Antecknat av\n\n");
    let _ = writeln!(
        out,
        "{}",
        if p.recorded_by.is_empty() {
            "–".to_string()
        } else {
            p.recorded_by.join(", ")
        }
    );
    out.push_str("\n### Justering\n\n");
    if p.approvers.is_empty() {
        out.push_str("Inga justerare är utsedda.\n");
    }
    for (name, date) in &p.approvers {
        match date {
            Some(d) => {
                let _ = writeln!(out, "- {name} – justerat {d}");
            }
            None => {
                let _ = writeln!(out, "- {name} – ej justerat");
            }
        }
    }
    if !p.amendments.is_empty() {
        out.push_str("\n### Rättelser efter justering\n\n");
        for (date, who, why) in &p.amendments {
            let _ = writeln!(out, "- {date}, {who}: {why}");
        }
    }
    out
}

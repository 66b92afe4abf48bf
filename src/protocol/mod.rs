//! Minutes as a document a Swedish municipal secretary files: the document type, the
//! network, date, time and place once, chair and secretary, those present by
//! organization with their roles, those excused and absent, a numbered paragraph (§) per
//! agenda item with its notes, information, decisions or agreements and action items,
//! the next meeting, "Vid protokollet", and "Justeras" with a signature line per
//! approver. Built into blocks once; Markdown and PDF render the same blocks.

pub mod document;
pub mod pdf;

pub use document::{Block, Meta};

/// Everything the document shows, already looked up and in order.
#[derive(Debug, Clone, Default)]
pub struct Protocol {
    /// A protocol (protokoll, with decisions) rather than notes (minnesanteckningar,
    /// with agreements).
    pub decides: bool,
    pub title: String,
    pub network: Option<String>,
    /// e.g. "2020-05-08, 09:00–12:00".
    pub when: String,
    pub place: Option<String>,
    /// e.g. "digitalt".
    pub mode: String,
    pub chairs: Vec<String>,
    pub secretaries: Vec<String>,
    /// (organization, names with their roles), organizations in order of name.
    pub present: Vec<(String, Vec<String>)>,
    /// "Name (Organization)" of those who sent their apologies (anmält förhinder).
    pub excused: Vec<String>,
    /// "Name (Organization)" of those who were absent.
    pub absent: Vec<String>,
    pub sections: Vec<ProtocolSection>,
    /// The network's next meeting, e.g. "2020-11-20, 09:00–12:00: Mötesplats IFO".
    pub next_meeting: Option<String>,
    pub recorded_by: Vec<String>,
    /// (name, approval date if given).
    pub approvers: Vec<(String, Option<String>)>,
    /// "Utkast – ej justerat", "Inlämnat för justering" or "Justerat 2020-05-15".
    pub status: String,
    /// (date, who, why, what) of each amendment.
    pub amendments: Vec<(String, String, String, String)>,
}

/// One numbered paragraph.
#[derive(Debug, Clone, Default)]
pub struct ProtocolSection {
    pub heading: String,
    pub notes: Option<String>,
    /// (title, text, organization that informs).
    pub information: Vec<(Option<String>, String, Option<String>)>,
    pub decisions: Vec<String>,
    pub actions: Vec<ProtocolAction>,
}

/// A task a paragraph hands out.
#[derive(Debug, Clone, Default)]
pub struct ProtocolAction {
    pub task: String,
    /// Who is responsible (person, organization).
    pub responsible: Option<String>,
    /// The organizations asked to answer, for a request to members.
    pub asked: Option<String>,
    /// By when.
    pub due: Option<String>,
}

impl Protocol {
    /// The document type's name, as its heading says.
    pub fn document_type(&self) -> &'static str {
        if self.decides {
            "Protokoll"
        } else {
            "Minnesanteckningar"
        }
    }

    /// The document, block by block.
    pub fn blocks(&self) -> Vec<Block> {
        let mut out = vec![
            Block::DocumentType(self.document_type().into()),
            Block::Title(self.title.clone()),
        ];
        let field = |label: &str, value: String| Block::Field {
            label: label.into(),
            value,
        };
        if let Some(network) = self.network.as_ref().filter(|n| **n != self.title) {
            out.push(field("Nätverk", network.clone()));
        }
        out.push(field("Datum", self.when.clone()));
        out.push(field(
            "Plats",
            match &self.place {
                Some(place) => format!("{place} ({})", self.mode),
                None => self.mode.clone(),
            },
        ));
        if !self.chairs.is_empty() {
            out.push(field("Ordförande", self.chairs.join(", ")));
        }
        if !self.secretaries.is_empty() {
            out.push(field("Sekreterare", self.secretaries.join(", ")));
        }
        out.push(Block::Note(self.status.clone()));

        out.push(heading(1, "Närvarande"));
        if self.present.is_empty() {
            out.push(Block::Paragraph("Ingen närvaro är registrerad.".into()));
        }
        for (organization, names) in &self.present {
            out.push(field(organization, names.join(", ")));
        }
        for (title, names) in [
            ("Anmält förhinder", &self.excused),
            ("Frånvarande", &self.absent),
        ] {
            if !names.is_empty() {
                out.push(heading(1, title));
                out.extend(names.iter().cloned().map(Block::Item));
            }
        }

        out.push(heading(
            1,
            if self.decides {
                "Ärenden"
            } else {
                "Anteckningar"
            },
        ));
        for (i, s) in self.sections.iter().enumerate() {
            out.extend(self.section(i + 1, s));
        }

        out.push(heading(1, "Nästa möte"));
        out.push(Block::Paragraph(
            self.next_meeting
                .clone()
                .unwrap_or_else(|| "Inget nytt möte är inplanerat.".into()),
        ));
        out.push(heading(
            1,
            if self.decides {
                "Vid protokollet"
            } else {
                "Antecknat av"
            },
        ));
        if self.recorded_by.is_empty() {
            out.push(Block::Paragraph("–".into()));
        }
        for name in &self.recorded_by {
            out.push(Block::Signature {
                name: name.clone(),
                date: None,
            });
        }
        out.push(heading(1, "Justeras"));
        if self.approvers.is_empty() {
            out.push(Block::Paragraph("Inga justerare är utsedda.".into()));
        }
        for (name, date) in &self.approvers {
            out.push(Block::Signature {
                name: name.clone(),
                date: date.clone(),
            });
        }
        if !self.amendments.is_empty() {
            out.push(heading(1, "Rättelser efter justering"));
            for (date, who, why, what) in &self.amendments {
                out.push(Block::Item(format!("{date}, {who}: {why} ({what})")));
            }
        }
        out
    }

    fn section(&self, number: usize, s: &ProtocolSection) -> Vec<Block> {
        let mut out = vec![heading(2, &format!("§ {number}. {}", s.heading))];
        if let Some(notes) = &s.notes {
            out.push(Block::Paragraph(notes.trim_end().into()));
        }
        if !s.information.is_empty() {
            out.push(Block::Label("Information:".into()));
            for (title, text, organization) in &s.information {
                let lead = match (title, organization) {
                    (Some(t), Some(o)) => format!("{t} ({o}): "),
                    (Some(t), None) => format!("{t}: "),
                    (None, Some(o)) => format!("Information från {o}: "),
                    (None, None) => String::new(),
                };
                out.push(Block::Item(format!("{lead}{text}")));
            }
        }
        if !s.decisions.is_empty() {
            out.push(Block::Label(
                if self.decides {
                    "Beslut:"
                } else {
                    "Överenskommelser:"
                }
                .into(),
            ));
            out.extend(s.decisions.iter().cloned().map(Block::Item));
        }
        if !s.actions.is_empty() {
            out.push(Block::Label("Att göra:".into()));
            for ProtocolAction {
                task,
                responsible: who,
                asked,
                due,
            } in &s.actions
            {
                let mut line = task.clone();
                if let Some(who) = who {
                    line.push_str(&format!(" – ansvarig: {who}"));
                }
                if let Some(asked) = asked {
                    let lead = if who.is_some() { ", " } else { " – " };
                    line.push_str(&format!("{lead}svar från: {asked}"));
                }
                if let Some(due) = due {
                    line.push_str(&format!(", senast {due}"));
                }
                out.push(Block::Item(line));
            }
        }
        out
    }

    /// The document as Markdown.
    pub fn markdown(&self) -> String {
        document::markdown(&self.blocks())
    }
}

fn heading(level: u8, text: &str) -> Block {
    Block::Heading {
        level,
        text: text.into(),
    }
}

//! A rendered document as a list of blocks in reading order. The protocol is built into
//! blocks once; Markdown and PDF each render the same blocks, so the two never disagree.

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The kind of document, shown above the title: "Protokoll" or "Minnesanteckningar".
    DocumentType(String),
    /// The document's title (the meeting's title).
    Title(String),
    /// A labelled line of the header, e.g. ("Datum", "2020-05-08, 09:00–12:00").
    Field { label: String, value: String },
    /// A heading: level 1 for a part of the document ("Närvarande", "Justeras"), level 2
    /// for a numbered paragraph within a part ("§ 1. Mötet inleds").
    Heading { level: u8, text: String },
    /// Running text. A `\n` starts a new line; an empty line starts a new paragraph.
    Paragraph(String),
    /// A bold lead-in for the items that follow, e.g. "Beslut:".
    Label(String),
    /// One item of a bulleted list.
    Item(String),
    /// A signature line: an empty line to sign on, the name under it and the date of the
    /// signature (an empty date line when not yet signed).
    Signature { name: String, date: Option<String> },
    /// Small print, e.g. the document's status or its amendments.
    Note(String),
}

/// What a rendered document says about itself (PDF metadata).
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    /// The organization or network the document is from.
    pub author: Option<String>,
    /// The language of the content, e.g. "sv-SE".
    pub language: String,
    /// When the content was last changed: the same content renders the same file.
    pub created: chrono::DateTime<chrono::Utc>,
}

/// The blocks as Markdown.
pub fn markdown(blocks: &[Block]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mut previous: Option<&Block> = None;
    for block in blocks {
        // A run of fields or items ends with a blank line before anything else.
        let same_run = matches!(
            (previous, block),
            (Some(Block::Field { .. }), Block::Field { .. })
                | (Some(Block::Item(_)), Block::Item(_))
        );
        if previous.is_some() && !same_run && !out.ends_with("\n\n") {
            out.push('\n');
        }
        match block {
            Block::DocumentType(t) => {
                let _ = writeln!(out, "**{}**", t.to_uppercase());
            }
            Block::Title(t) => {
                let _ = writeln!(out, "# {t}");
            }
            Block::Field { label, value } => {
                let _ = writeln!(out, "**{label}:** {value}  ");
            }
            Block::Heading { level, text } => {
                let _ = writeln!(out, "{} {text}", "#".repeat(usize::from(*level) + 1));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "{}", text.trim_end());
            }
            Block::Label(text) => {
                let _ = writeln!(out, "**{text}**");
            }
            Block::Item(text) => {
                let _ = writeln!(out, "- {text}");
            }
            Block::Signature { name, date } => {
                let _ = writeln!(
                    out,
                    "\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_  \n{name}  \nDatum: {}",
                    date.as_deref().unwrap_or("")
                );
            }
            Block::Note(text) => {
                let _ = writeln!(out, "*{text}*");
            }
        }
        previous = Some(block);
    }
    out
}

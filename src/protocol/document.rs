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
    /// A heading: level 1 for a numbered paragraph ("§ 1. Inledning") or a part of the
    /// document ("Närvarande", "Justeras"), level 2 below it.
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
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: String,
    /// The organization or network the document is from.
    pub author: Option<String>,
    /// The language of the content, e.g. "sv-SE".
    pub language: String,
}

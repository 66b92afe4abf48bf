//! Where each line of a protocol goes: the blocks wrapped to the text width, broken into
//! A4 pages (a heading kept with its first lines, a signature never split), and the
//! footers added once the number of pages is known.

use super::Faces;
use crate::protocol::document::Block;

/// Points per millimetre; PDF measures in points (1/72 inch).
const MM: f32 = 72.0 / 25.4;
pub(super) const PAGE_WIDTH: f32 = 210.0 * MM;
pub(super) const PAGE_HEIGHT: f32 = 297.0 * MM;
pub(super) const MARGIN: f32 = 25.0 * MM;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// The lowest a line of text may reach; the footer sits in the margin below.
pub(super) const BOTTOM: f32 = PAGE_HEIGHT - MARGIN;
const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 14.0 * MM;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.4;
/// How far DejaVu Sans reaches below the baseline, as a multiple of the font size.
const DESCENT: f32 = 0.24;
const BULLET_INDENT: f32 = 4.0;
const ITEM_INDENT: f32 = 14.0;
const SIGNING_SPACE: f32 = 12.0 * MM;
const SIGNING_LINE: f32 = 70.0 * MM;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Style {
    pub(super) size: f32,
    pub(super) bold: bool,
    pub(super) grey: bool,
}

const BODY: Style = Style {
    size: 10.5,
    bold: false,
    grey: false,
};
const BODY_BOLD: Style = Style { bold: true, ..BODY };
const DOCUMENT_TYPE: Style = Style {
    size: 9.0,
    bold: false,
    grey: true,
};
const TITLE: Style = Style {
    size: 20.0,
    bold: true,
    grey: false,
};
const HEADING_1: Style = Style {
    size: 13.5,
    ..TITLE
};
const HEADING_2: Style = Style {
    size: 11.5,
    ..TITLE
};
const SMALL: Style = Style {
    size: 8.5,
    bold: false,
    grey: true,
};

/// Something drawn on a page, in points from the top left corner.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Mark {
    Text {
        x: f32,
        baseline: f32,
        style: Style,
        text: String,
    },
    Rule {
        x: f32,
        y: f32,
        width: f32,
    },
}

/// A word with its style; words are joined by one space.
type Word = (Style, String);

/// Where the first line of a text was placed: its page, the index of its first mark on
/// that page, and its baseline.
struct FirstLine {
    page: usize,
    index: usize,
    baseline: f32,
}

/// Lays out the blocks into pages and adds the footers.
pub(super) fn layout(faces: &Faces, blocks: &[Block]) -> Vec<Vec<Mark>> {
    let mut pages = Pages {
        faces,
        pages: vec![Vec::new()],
        y: MARGIN,
        gap: 0.0,
    };
    for block in blocks {
        pages.block(block);
    }
    let count = pages.pages.len();
    for (i, marks) in pages.pages.iter_mut().enumerate() {
        let text = format!("Sida {} av {count}", i + 1);
        let x = PAGE_WIDTH - MARGIN - faces.of(SMALL).width(&text, SMALL.size);
        marks.push(Mark::Text {
            x,
            baseline: FOOTER_BASELINE,
            style: SMALL,
            text,
        });
    }
    pages.pages
}

struct Pages<'a> {
    faces: &'a Faces,
    pages: Vec<Vec<Mark>>,
    /// The top of the next line.
    y: f32,
    /// Space owed before the next line: the larger of the space after the last block
    /// and before the next, and none at the top of a page.
    gap: f32,
}

impl Pages<'_> {
    fn block(&mut self, block: &Block) {
        match block {
            Block::DocumentType(text) => {
                // Far enough above the title that text extraction reads two lines.
                self.text(&[], &text.to_uppercase(), DOCUMENT_TYPE, 0.0, 9.0);
            }
            Block::Title(text) => {
                self.text(&[], text, TITLE, 0.0, 10.0);
            }
            Block::Field { label, value } => {
                let label = [(BODY_BOLD, format!("{label}:"))];
                self.text(&label, value, BODY, 0.0, 1.0);
            }
            Block::Heading { level, text } => {
                let (style, before, after) = match level {
                    1 => (HEADING_1, 16.0, 4.0),
                    _ => (HEADING_2, 10.0, 2.0),
                };
                self.space(before);
                // A heading keeps its first two lines of text with it.
                self.keep(line_height(style) + 2.0 * line_height(BODY));
                self.text(&[], text, style, 0.0, after);
            }
            Block::Paragraph(text) => {
                self.space(6.0);
                for line in text.lines() {
                    if line.trim().is_empty() {
                        self.space(6.0);
                    } else {
                        self.text(&[], line, BODY, 0.0, 0.0);
                    }
                }
                self.space(6.0);
            }
            Block::Label(text) => {
                self.space(6.0);
                self.text(&[], text, BODY_BOLD, 0.0, 2.0);
            }
            Block::Item(text) => {
                if let Some(first) = self.text(&[], text, BODY, ITEM_INDENT, 2.0) {
                    let bullet = Mark::Text {
                        x: MARGIN + BULLET_INDENT,
                        baseline: first.baseline,
                        style: BODY,
                        text: "•".into(),
                    };
                    // Before the item's words, so that the bullet is read first.
                    if let Some(page) = self.pages.get_mut(first.page) {
                        page.insert(first.index, bullet);
                    }
                }
            }
            Block::Signature { name, date } => self.signature(name, date.as_deref()),
            Block::Note(text) => {
                self.space(6.0);
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    self.text(&[], line, SMALL, 0.0, 2.0);
                }
            }
        }
    }

    /// Space to sign on, the line, the name and the date, never split across pages.
    fn signature(&mut self, name: &str, date: Option<&str>) {
        self.space(10.0);
        let date = format!("Datum: {}", date.unwrap_or("____________"));
        self.keep(SIGNING_SPACE + 3.0 + 2.0 * line_height(BODY));
        self.line(SIGNING_SPACE);
        self.y += SIGNING_SPACE;
        self.mark(Mark::Rule {
            x: MARGIN,
            y: self.y,
            width: SIGNING_LINE,
        });
        self.y += 3.0;
        self.text(&[], name, BODY, 0.0, 0.0);
        self.text(&[], &date, BODY, 0.0, 6.0);
    }

    /// Wraps `lead` (already styled words, e.g. a bold label) and `text` to the text width,
    /// continuation lines indented like the first. Tells where the first line went.
    fn text(
        &mut self,
        lead: &[Word],
        text: &str,
        style: Style,
        indent: f32,
        after: f32,
    ) -> Option<FirstLine> {
        let face = self.faces.of(style);
        let mut words: Vec<Word> = lead.to_vec();
        words.extend(
            face.drawable(text)
                .split_whitespace()
                .map(|w| (style, w.to_string())),
        );
        let height = words
            .iter()
            .map(|(s, _)| line_height(*s))
            .fold(0.0, f32::max);
        let mut first = None;
        for line in self.wrap(&words, TEXT_WIDTH - indent) {
            self.line(height);
            let baseline =
                self.y + height - (LEADING - 1.0) / 2.0 * style.size - DESCENT * style.size;
            first.get_or_insert(FirstLine {
                page: self.pages.len() - 1,
                index: self.pages.last().map_or(0, Vec::len),
                baseline,
            });
            for (x, style, text) in line {
                self.mark(Mark::Text {
                    x: MARGIN + indent + x,
                    baseline,
                    style,
                    text,
                });
            }
            self.y += height;
        }
        self.space(after);
        first
    }

    /// Greedy line breaking; a word wider than the line is broken between characters.
    fn wrap(&self, words: &[Word], width: f32) -> Vec<Vec<(f32, Style, String)>> {
        let mut lines = Vec::new();
        let mut line: Vec<(f32, Style, String)> = Vec::new();
        let mut x = 0.0;
        for (style, word) in words {
            let face = self.faces.of(*style);
            let space = if line.is_empty() {
                0.0
            } else {
                face.width(" ", style.size)
            };
            let w = face.width(word, style.size);
            if !line.is_empty() && x + space + w > width {
                lines.push(std::mem::take(&mut line));
                x = 0.0;
            } else {
                x += space;
            }
            let mut rest = word.as_str();
            while face.width(rest, style.size) > width - x {
                let cut = rest
                    .char_indices()
                    .skip(1)
                    .map(|(i, _)| i)
                    .take_while(|&i| face.width(&rest[..i], style.size) <= width - x)
                    .last()
                    .unwrap_or_else(|| rest.chars().next().map_or(rest.len(), char::len_utf8));
                line.push((x, *style, rest[..cut].to_string()));
                lines.push(std::mem::take(&mut line));
                x = 0.0;
                rest = &rest[cut..];
            }
            if !rest.is_empty() {
                line.push((x, *style, rest.to_string()));
                x += face.width(rest, style.size);
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    fn space(&mut self, points: f32) {
        self.gap = self.gap.max(points);
    }

    /// Makes room for a line of the given height: the owed gap, or a new page.
    fn line(&mut self, height: f32) {
        if self.y + self.gap + height > BOTTOM && self.y > MARGIN {
            self.new_page();
        } else if self.y > MARGIN {
            self.y += self.gap;
        }
        self.gap = 0.0;
    }

    /// Starts a new page unless `height` fits on this one.
    fn keep(&mut self, height: f32) {
        if self.y + self.gap + height > BOTTOM && self.y > MARGIN {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
        self.gap = 0.0;
    }

    fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }
}

fn line_height(style: Style) -> f32 {
    style.size * LEADING
}

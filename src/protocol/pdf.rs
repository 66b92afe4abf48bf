//! A protocol as a PDF an archive accepts: PDF/A-2u on A4, with DejaVu Sans (regular and
//! bold) embedded and subsetted to the glyphs used, so å, ä, ö, “ ”, – and § look the
//! same in every reader and the text can be searched and copied. The fonts are compiled
//! into the binary, so nothing is read from the machine at run time.
//!
//! Lines are measured with the font's own advance widths and drawn glyph by glyph with
//! exactly those widths, so a wrapped line never runs into the margin. The blocks are
//! laid out into pages first and drawn second, because every footer says how many pages
//! there are ("Sida 1 av 3").

use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, Timelike};

use krilla::color::luma;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};
use unicode_normalization::UnicodeNormalization;

use super::document::{Block, Meta};
use layout::{Mark, PAGE_HEIGHT, PAGE_WIDTH, Style, layout};

mod layout;

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The grey of small print (0 is black, 255 white).
const GREY: u8 = 90;

/// Why a protocol could not be rendered. The fonts are built in and every character is
/// drawable, so this is a bug or a limit of the PDF library: a caller answers 500.
#[derive(Debug)]
pub struct RenderError(String);

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rendering the PDF failed: {}", self.0)
    }
}

impl std::error::Error for RenderError {}

/// Renders the blocks as an A4 PDF/A-2u document with title, author and language set.
pub fn render(blocks: &[Block], meta: &Meta) -> Result<Vec<u8>, RenderError> {
    let faces = FACES
        .as_ref()
        .ok_or_else(|| RenderError("the built-in font cannot be read".into()))?;
    let pages = layout(faces, blocks);

    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_U)
        .finish()
        .map_err(|e| RenderError(format!("{e:?}")))?;
    let mut document = Document::new_with(SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    });
    // PDF/A wants the file's creation date: the day its content was last changed, so
    // that one version of the minutes is always the same file.
    let now = meta.created;
    let created = DateTime::new(u16::try_from(now.year()).unwrap_or(u16::MAX))
        .month(now.month() as u8)
        .day(now.day() as u8)
        .hour(now.hour() as u8)
        .minute(now.minute() as u8)
        .second(now.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    let mut metadata = Metadata::new()
        .title(meta.title.clone())
        .creator("Samverkan".into())
        .creation_date(created);
    if let Some(author) = &meta.author {
        metadata = metadata.authors(vec![author.clone()]);
    }
    if !meta.language.is_empty() {
        metadata = metadata.language(meta.language.clone());
    }
    document.set_metadata(metadata);

    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| RenderError("invalid page size".into()))?;
    for marks in &pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for mark in marks {
            draw(&mut surface, faces, mark);
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| RenderError(format!("{e:?}")))
}

/// One font with what is needed to measure and draw its glyphs.
struct Face {
    font: Font,
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
    /// Drawn in place of a character the font lacks: PDF/A forbids the empty .notdef glyph.
    replacement: char,
}

struct Faces {
    regular: Face,
    bold: Face,
}

static FACES: LazyLock<Option<Faces>> = LazyLock::new(|| {
    Some(Faces {
        regular: Face::new(REGULAR_TTF)?,
        bold: Face::new(BOLD_TTF)?,
    })
});

impl Face {
    fn new(data: &'static [u8]) -> Option<Face> {
        let font_ref = FontRef::new(data).ok()?;
        let charmap = font_ref.charmap();
        let replacement = ['\u{FFFD}', '?']
            .into_iter()
            .find(|c| charmap.map(*c).is_some())?;
        Some(Face {
            font: Font::new(data.into(), 0)?,
            metrics: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em: f32::from(
                font_ref
                    .metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em,
            ),
            charmap,
            replacement,
        })
    }

    fn glyph(&self, c: char) -> skrifa::GlyphId {
        self.charmap.map(c).unwrap_or(skrifa::GlyphId::NOTDEF)
    }

    /// The advance of a glyph at font size 1.
    fn advance(&self, glyph: skrifa::GlyphId) -> f32 {
        self.metrics.advance_width(glyph).unwrap_or(0.0) / self.units_per_em
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(self.glyph(c)))
            .sum::<f32>()
            * size
    }

    /// The text as this font can draw it: composed (NFC, so "a" + combining diaeresis is
    /// the one glyph "ä"), white space as spaces, without other control characters,
    /// characters the font lacks replaced.
    fn drawable(&self, text: &str) -> String {
        text.nfc()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .filter(|c| !c.is_control())
            .map(|c| {
                if self.charmap.map(c).is_some() {
                    c
                } else {
                    self.replacement
                }
            })
            .collect()
    }

    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(i, c)| {
                let glyph = self.glyph(c);
                let advance = self.advance(glyph);
                let id = GlyphId::new(glyph.to_u32());
                KrillaGlyph::new(id, advance, 0.0, 0.0, 0.0, i..i + c.len_utf8(), None)
            })
            .collect()
    }
}

impl Faces {
    fn of(&self, style: Style) -> &Face {
        if style.bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

fn draw(surface: &mut Surface, faces: &Faces, mark: &Mark) {
    match mark {
        Mark::Text {
            x,
            baseline,
            style,
            text,
        } => {
            let face = faces.of(*style);
            let grey = if style.grey { GREY } else { 0 };
            surface.set_fill(Some(Fill {
                paint: luma::Color::new(grey).into(),
                ..Fill::default()
            }));
            let glyphs = face.glyphs(text);
            let origin = Point::from_xy(*x, *baseline);
            surface.draw_glyphs(origin, &glyphs, face.font.clone(), text, style.size, false);
        }
        Mark::Rule { x, y, width } => {
            let mut path = PathBuilder::new();
            path.move_to(*x, *y);
            path.line_to(*x + *width, *y);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    width: 0.6,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
    }
}

#[cfg(test)]
mod tests;

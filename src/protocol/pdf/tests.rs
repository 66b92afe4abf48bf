//! The PDF is checked as a reader sees it: the text extracted from it, page by page.

use super::layout::{BOTTOM, MARGIN};
use super::*;

fn heading(level: u8, text: &str) -> Block {
    Block::Heading {
        level,
        text: text.into(),
    }
}

fn field(label: &str, value: &str) -> Block {
    Block::Field {
        label: label.into(),
        value: value.into(),
    }
}

fn paragraph(text: &str) -> Block {
    Block::Paragraph(text.into())
}

fn item(text: &str) -> Block {
    Block::Item(text.into())
}

/// The IFO-chefsnätverket's minutes of 2020-05-08 (seed 001), as the protocol builds them.
fn minutes() -> Vec<Block> {
    let mut blocks = vec![
        Block::DocumentType("Minnesanteckningar".into()),
        Block::Title("IFO-chefsnätverket".into()),
        field("Nätverk", "IFO-chefsnätverket, Göteborgsregionen"),
        field("Datum", "2020-05-08, 09:00–12:00"),
        field("Plats", "Mötet genomförs digitalt, genom länk på Teams"),
        Block::Note("Justerat 2020-05-15".into()),
        heading(1, "Närvarande"),
        field("Ale", "Iréne Blomqvist"),
        field("Göteborg", "Helen Holmström, Jörgen Larzon, Britta Timan"),
        field("Göteborgsregionen", "Cecilia Axelsson, Nicholas Singleton"),
        field("Härryda", "Susanne Grabe"),
        field("Kungsbacka", "Marie Christiansson"),
        field("Lerum", "Maria Enbuske"),
        field("Mölndal", "Iréne Jansson"),
        field("Partille", "Jessica Svanström"),
        field("Stenungsund", "Robert Rydqvist"),
        field("Tjörn", "Juan Navas"),
        heading(1, "§ 1. Mötet inleds"),
        paragraph(
            "Inledning och kort introduktion till mötet som på grund av rådande situation \
             genomförs via Teams.",
        ),
        heading(1, "§ 2. Gruppdialog – erfarenheter av pågående situation"),
        paragraph(
            "Dialog utifrån särskilt angelägna frågor i nuläget samt genom en blick framåt. \
             Diskussion kring effekterna av denna situation, hur rustar vi oss för \
             långsiktiga utmaningar?\n\nNågra korta punkter från diskussionerna:",
        ),
        item("Bemanningsmässigt har det varit stabilt i verksamheterna."),
        item(
            "Den digitala utvecklingen har gått snabbt under våren och nya arbetsmetoder, \
             såsom nybesök via Teams, har införts. Utredningstider har förbättrats.",
        ),
        item(
            "Oro finns även inför sommaren då ungdomar ej får feriejobb, kan besöka \
             släktingar eller har fritidsaktiviteter på samma sätt som andra år. Tips om \
             sommararbete i form av “Hemestervärdar” i Partille.",
        ),
        heading(1, "§ 3. Information från GR"),
        heading(2, "Uppföljning Ekonomiskt bistånd"),
        paragraph(
            "Arbete för gemensam uppföljning av hur Covid-19 har påverkat ekonomiskt \
             bistånd pågår i dialog med enhetscheferna inom GR. GR erbjuder sammanställning \
             av statistik och stöd för analys under 2020.",
        ),
        heading(2, "Länsstyrelsen erbjuder dialogforum med länets kommuner"),
        paragraph(
            "Målet är att erbjuda en plattform där kommuner kan utbyta erfarenheter och goda \
             exempel utifrån teman som berör sociala konsekvenser av coronapandemin.\n\
             Kontakt: camilla.tjernberg@lansstyrelsen.se",
        ),
        Block::Label("Beslut:".into()),
        item("Önskemål om tema “Krishantering för chefer” lämnas till Länsstyrelsen."),
        heading(1, "§ 4. Nästa möte i höst"),
        paragraph(
            "Förändrat ekonomiskt läge kommer att påverka det sociala arbetet. Dialog kring \
             behov av att utveckla uppföljningen av IFO-verksamheterna för att ge en samlad \
             bild och beskriva arbetet och vilka effekter arbetet har.",
        ),
        Block::Label("Att göra:".into()),
        item("Bjuda in Gustav Kastberg till den 20 november – ansvarig: Nicholas Singleton"),
        heading(1, "§ 5. Utcheckning och erfarenheter av webbmöte"),
        paragraph(
            "Kort utvärdering av mötet. Nätverket anser att det har fungerat bra med Teams. \
             Det digitala mötet blir mer fokuserat men att träffas skapar mervärde på andra \
             sätt.",
        ),
        heading(1, "Antecknat av"),
        paragraph("Nicholas Singleton, Cecilia Axelsson"),
        heading(1, "Justeras"),
    ];
    blocks.push(Block::Signature {
        name: "Iréne Blomqvist".into(),
        date: Some("2020-05-15".into()),
    });
    blocks.push(Block::Signature {
        name: "Jessica Svanström".into(),
        date: None,
    });
    blocks.push(Block::Note(
        "Rättelse 2020-05-20, Nicholas Singleton: stavning av namn i § 1".into(),
    ));
    blocks
}

fn meta() -> Meta {
    Meta {
        title: "IFO-chefsnätverket 2020-05-08".into(),
        author: Some("Göteborgsregionen".into()),
        language: "sv-SE".into(),
        created: chrono::DateTime::parse_from_rfc3339("2020-05-15T10:00:00Z")
            .expect("a date")
            .to_utc(),
    }
}

fn faces() -> &'static Faces {
    FACES.as_ref().expect("the built-in fonts are readable")
}

/// Text extracted from a PDF reads "a b" for our "a b"; collapse the runs of white space
/// the extractor puts between lines and spans.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_minutes_read_back_with_swedish_characters_intact() {
    let bytes = render(&minutes(), &meta()).expect("renders");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).expect("text extracts");
    assert_eq!(pages.len(), 2, "pages: {pages:#?}");
    let first = squeeze(&pages[0]);
    let all = squeeze(&pages.concat());
    for expected in [
        "MINNESANTECKNINGAR IFO-chefsnätverket Nätverk:",
        "Datum: 2020-05-08, 09:00–12:00",
        "Närvarande",
        "Göteborgsregionen: Cecilia Axelsson, Nicholas Singleton",
        "§ 1. Mötet inleds",
        "§ 2. Gruppdialog – erfarenheter",
        "• Bemanningsmässigt har det varit stabilt",
        "Sida 1 av 2",
    ] {
        assert!(
            first.contains(expected),
            "{expected:?} not on page 1: {first}"
        );
    }
    for expected in [
        "“Krishantering för chefer”",
        "Justeras",
        "Iréne Blomqvist Datum: 2020-05-15",
        "Jessica Svanström Datum: ____________",
        "Sida 2 av 2",
    ] {
        assert!(all.contains(expected), "{expected:?} not in: {all}");
    }
}

#[test]
fn the_fonts_are_embedded_and_the_file_claims_pdf_a() {
    let bytes = render(&minutes(), &meta()).expect("renders");
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/FontFile2"), "no embedded TrueType font");
    assert!(
        !raw.contains("/BaseFont /Helvetica"),
        "a font that is not embedded"
    );
    assert!(raw.contains("pdfaid:part>2<") || raw.contains("pdfaid:part=\"2\""));
    assert!(raw.contains("pdfaid:conformance>U<") || raw.contains("pdfaid:conformance=\"U\""));
    assert!(
        raw.contains("/OutputIntents"),
        "PDF/A needs an output intent"
    );
    assert!(raw.contains("/Lang(sv-SE)"), "no document language");
    assert!(
        raw.contains("Göteborgsregionen"),
        "the author is not in the XMP metadata"
    );
}

#[test]
fn a_signature_is_never_split_across_pages() {
    // Push the signature down the page a line at a time: wherever it lands, the line to
    // sign on, the name and the date stay on one page.
    for filler in 30..45 {
        let mut blocks: Vec<Block> = (0..filler)
            .map(|i| paragraph(&format!("Rad {i}")))
            .collect();
        blocks.push(Block::Signature {
            name: "Iréne Blomqvist".into(),
            date: None,
        });
        let pages = layout(faces(), &blocks);
        let page_of = |wanted: &dyn Fn(&Mark) -> bool| {
            pages.iter().position(|marks| marks.iter().any(wanted))
        };
        let rule = page_of(&|m| matches!(m, Mark::Rule { .. }));
        let name = page_of(&|m| matches!(m, Mark::Text { text, .. } if text == "Blomqvist"));
        let date = page_of(&|m| matches!(m, Mark::Text { text, .. } if text == "____________"));
        assert!(rule.is_some());
        assert_eq!(
            (rule, rule),
            (name, date),
            "split with {filler} lines before it"
        );
    }
}

#[test]
fn wrapped_lines_stay_inside_the_margins() {
    let mut blocks = minutes();
    blocks.push(paragraph(
        &"Socialtjänstens långsiktiga utmaningar ".repeat(40),
    ));
    blocks.push(item(&"ett_mycket_långt_ord_utan_mellanslag".repeat(8)));
    let pages = layout(faces(), &blocks);
    for marks in &pages {
        for mark in marks {
            if let Mark::Text {
                x,
                baseline,
                style,
                text,
            } = mark
            {
                let right = x + faces().of(*style).width(text, style.size);
                assert!(*x >= MARGIN - 0.01, "{text:?} starts in the left margin");
                assert!(
                    right <= PAGE_WIDTH - MARGIN + 0.01,
                    "{text:?} runs into the margin"
                );
                let in_body = *baseline <= BOTTOM;
                assert!(
                    in_body || text.starts_with("Sida "),
                    "{text:?} below the text area"
                );
            }
        }
    }
}

#[test]
fn characters_the_font_lacks_do_not_break_the_archive_format() {
    let blocks = [
        paragraph("Glad 🙂 och\tklar\u{7}"),
        paragraph("Ma\u{308}rta"),
    ];
    let bytes = render(&blocks, &meta()).expect("renders despite a missing glyph");
    let text = squeeze(&pdf_extract::extract_text_from_mem(&bytes).expect("text extracts"));
    assert!(text.contains("Glad � och klar"), "{text}");
    assert!(text.contains("Märta"), "not composed: {text}");
}

//! Words as people type them in Swedish: folded, split into words and stemmed with
//! Snowball's Swedish stemmer, the same way for what is stored and what is asked, so that
//! `möten` finds `möte`, `kvalitetsarbetet` finds `kvalitetsarbete`, `ÄLDRE` finds
//! `äldre` and `irene` finds `Iréne`.
//!
//! A row's terms are one text column, `search_terms`: every stem of the row once, between
//! spaces, then the stems of its title once more, marked with [`TITLE_MARK`]:
//! `" möt kvalitetsarbet |möt "`. A word matches a row when its stem begins one of the
//! row's terms (`LIKE '% stem%'`), and the title when it begins a marked one.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Marks the stems of a row's title in its `search_terms`. Not a letter or digit, so no
/// word contains it; not a `LIKE` wildcard either.
pub const TITLE_MARK: char = '|';

/// The most words a search may have: each is a predicate of the query.
pub const MAX_WORDS: usize = 8;

/// Folds text for search: lower case; accents that are not Swedish letters dropped
/// (`é` → `e`, `ü` → `u`), `å`, `ä` and `ö` kept as letters of their own, and the Danish
/// and Norwegian `æ` and `ø` read as `ä` and `ö`.
pub fn fold(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut base = None;
    for c in text.nfd() {
        if is_combining_mark(c) {
            // Ring above on a, diaeresis on a and o: the letters å, ä and ö.
            let swedish = matches!(
                (base, c),
                (Some('a' | 'A'), '\u{30A}') | (Some('a' | 'A' | 'o' | 'O'), '\u{308}')
            );
            if swedish {
                kept.push(c);
            }
            continue;
        }
        base = Some(c);
        kept.push(c);
    }
    kept.nfc()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'æ' => 'ä',
            'ø' => 'ö',
            c => c,
        })
        .collect()
}

/// Whether `c` belongs to a word: letters and digits, and the combining marks of a
/// decomposed letter.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The stems of the words of `text`, in order (with repeats).
pub fn stems(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::Swedish);
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| without_neuter_et(stemmer.stem(w).into_owned()))
        .collect()
}

/// Snowball's Swedish stemmer (and so PostgreSQL's `swedish` configuration) leaves the
/// definite neuter ending `-et`: `arbetet` stays whole while `arbete` becomes `arbet`,
/// and `mötet` never meets `möte`. So a stem loses every `et` it ends with inside
/// Snowball's region R1 (`arbetet`, `arbete` → `arb`; `kvaliteten`, `kvalitet` →
/// `kvalit`; `budget`, `budgeten` → `budg`): the forms of a word end alike again.
fn without_neuter_et(mut stem: String) -> String {
    let chars: Vec<char> = stem.chars().collect();
    let r1 = r1(&chars);
    let mut len = chars.len();
    while len >= r1 + 2 && chars[len - 2] == 'e' && chars[len - 1] == 't' {
        len -= 2;
    }
    if len < chars.len() {
        stem = chars[..len].iter().collect();
    }
    stem
}

/// Where Snowball's region R1 begins: after the first consonant that follows a vowel,
/// and not before the fourth letter.
fn r1(chars: &[char]) -> usize {
    let vowel = |c: char| "aeiouyäåö".contains(c);
    (1..chars.len())
        .find(|&i| vowel(chars[i - 1]) && !vowel(chars[i]))
        .map_or(chars.len(), |i| (i + 1).max(3))
}

/// The `search_terms` of a row whose title is `titles` and whose other text is `body`.
pub fn index<'a>(
    titles: impl IntoIterator<Item = &'a str>,
    body: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut title_stems: Vec<String> = Vec::new();
    for text in titles {
        for stem in stems(text) {
            if !title_stems.contains(&stem) {
                title_stems.push(stem);
            }
        }
    }
    let mut all = title_stems.clone();
    for text in body {
        for stem in stems(text) {
            if !all.contains(&stem) {
                all.push(stem);
            }
        }
    }
    let mut terms = String::from(" ");
    for stem in &all {
        terms.push_str(stem);
        terms.push(' ');
    }
    for stem in &title_stems {
        terms.push(TITLE_MARK);
        terms.push_str(stem);
        terms.push(' ');
    }
    terms
}

/// The distinct stems of a search, in the order typed; `Err` says why there are none
/// to search for, or too many.
pub fn query_stems(q: &str) -> Result<Vec<String>, String> {
    let mut words: Vec<String> = Vec::new();
    for stem in stems(q) {
        if !words.contains(&stem) {
            words.push(stem);
        }
    }
    if words.is_empty() {
        return Err("must contain a word (letters or digits)".into());
    }
    if words.len() > MAX_WORDS {
        return Err(format!("may have at most {MAX_WORDS} different words"));
    }
    Ok(words)
}

/// The `LIKE` patterns of one searched stem. Stems are letters and digits only, so none
/// holds a wildcard or needs escaping.
#[derive(Debug, Clone)]
pub struct Patterns {
    /// A term beginning with the stem.
    pub prefix: String,
    /// The stem as a whole term.
    pub whole: String,
    /// A title term beginning with the stem.
    pub title_prefix: String,
    /// The stem as a whole title term.
    pub title_whole: String,
}

impl Patterns {
    /// The patterns of `stem`.
    pub fn of(stem: &str) -> Self {
        Self {
            prefix: format!("% {stem}%"),
            whole: format!("% {stem} %"),
            title_prefix: format!("% {TITLE_MARK}{stem}%"),
            title_whole: format!("% {TITLE_MARK}{stem} %"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(q: &str, title: &str, body: &str) -> bool {
        let terms = index([title], [body]);
        query_stems(q)
            .unwrap()
            .iter()
            .all(|s| terms.contains(&format!(" {s}")))
    }

    #[test]
    fn folding_keeps_swedish_letters_and_drops_other_accents() {
        assert_eq!(fold("ÅÄÖ Iréne Müller"), "åäö irene muller");
        assert_eq!(
            fold("Ekero\u{308} a\u{30A}r"),
            "ekerö år",
            "decomposed input"
        );
        assert_eq!(fold("Søren Ærø"), "sören ärö");
        assert_eq!(fold("e\u{301}"), "e");
    }

    #[test]
    fn swedish_as_people_type_it() {
        assert!(found("möten", "Möte i nätverket", ""));
        assert!(found(
            "kvalitetsarbetet",
            "",
            "Vi pratade om kvalitetsarbete."
        ));
        assert!(found("irene", "", "Iréne Svensson"));
        assert!(found("mötet", "Möte", ""));
        assert!(found("kvaliteten", "Kvalitet", "") && found("kvalitet", "Kvaliteten", ""));
        assert!(found("ÄLDRE", "Vård av äldre", ""));
        assert!(!found("far", "Får vi ses?", ""), "a and å stay apart");
        assert!(!found("hor", "", "Vi hör av oss"), "o and ö stay apart");
    }

    #[test]
    fn the_title_is_marked() {
        let terms = index(["Möten"], ["om äldre", "möten igen"]);
        assert_eq!(terms, " möt om äldr igen |möt ");
    }

    #[test]
    fn queries_have_one_to_eight_words() {
        assert!(query_stems("  – ").is_err());
        assert!(query_stems("a b c d e f g h").is_ok());
        assert!(query_stems("a b c d e f g h i").is_err());
        assert_eq!(query_stems("möte möten").unwrap(), vec!["möt"]);
    }

    #[test]
    fn stems_hold_no_like_wildcards() {
        for stem in stems("50% _a_ \\x\\ 100%_") {
            assert!(!stem.contains(['%', '_', '\\', TITLE_MARK]), "{stem}");
        }
    }
}

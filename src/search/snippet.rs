//! The excerpt shown with a hit: the passage of its text around the first word that
//! matched, computed for the rows of one page only.

use super::terms::{is_word_char, stems};

/// Characters of context kept before the matching word.
const BEFORE: usize = 60;
/// The longest excerpt, in characters (without the ellipses).
const LENGTH: usize = 200;

/// The excerpt of `passages` around the first word one of `searched` begins a stem of;
/// the beginning of the first passage when none does (the title matched); `None` when
/// there is no text.
pub fn excerpt<'a>(
    passages: impl IntoIterator<Item = &'a str>,
    searched: &[String],
) -> Option<String> {
    let mut first = None;
    for passage in passages {
        let text = passage.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        if let Some(at) = first_match(&text, searched) {
            return Some(window(&text, at));
        }
        first.get_or_insert(text);
    }
    first.map(|text| window(&text, 0))
}

/// The character position of the first word of `text` that matches.
fn first_match(text: &str, searched: &[String]) -> Option<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_word_char(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_word_char(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let hit = stems(&word)
            .iter()
            .any(|stem| searched.iter().any(|s| stem.starts_with(s.as_str())));
        if hit {
            return Some(start);
        }
    }
    None
}

/// At most [`LENGTH`] characters of `text` from a little before `at`, cut between words,
/// with `…` where text was left out.
fn window(text: &str, at: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut start = at.saturating_sub(BEFORE);
    if start > 0 {
        // Begin at a word: after the first space in the context, if there is one.
        if let Some(space) = chars[start..at].iter().position(|c| *c == ' ') {
            start += space + 1;
        }
    }
    let mut end = (start + LENGTH).min(chars.len());
    if end < chars.len()
        && let Some(space) = chars[at..end].iter().rposition(|c| *c == ' ')
    {
        end = at + space;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn searched(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn the_excerpt_is_around_the_first_match() {
        let long = format!(
            "{} Beslut om kvalitetsarbetet i nätverket. {}",
            "Inledning. ".repeat(20),
            "Övrigt. ".repeat(40)
        );
        let got = excerpt([long.as_str()], &stems("kvalitetsarbete")).unwrap();
        assert!(got.starts_with('…') && got.ends_with('…'), "{got}");
        assert!(got.contains("Beslut om kvalitetsarbetet"), "{got}");
        assert!(got.chars().count() <= LENGTH + 2);
    }

    #[test]
    fn without_a_match_the_beginning() {
        let got = excerpt(["", "Kort text."], &searched(&["möt"])).unwrap();
        assert_eq!(got, "Kort text.");
        assert_eq!(excerpt([""], &searched(&["möt"])), None);
    }

    #[test]
    fn matches_decomposed_and_folded_words() {
        let text = "Hälsningar från Ire\u{301}ne och äldreomsorgen";
        let got = excerpt([text], &searched(&["iren"])).unwrap();
        assert_eq!(got, text);
        assert_eq!(first_match(text, &searched(&["äldr"])), Some(27));
    }
}

//! RFC 5545 iCalendar output: one VEVENT per meeting, times in UTC, stable UIDs and a
//! SEQUENCE that grows with the meeting's version.

use chrono::NaiveDateTime;

/// One event of a calendar.
#[derive(Debug, Clone)]
pub struct Event {
    pub uid: String,
    pub sequence: i32,
    pub stamp: NaiveDateTime,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
    pub cancelled: bool,
    pub tentative: bool,
    /// Only the days are known: an all-day event from `start`'s day to `end`'s (local
    /// days, `end` exclusive).
    pub days: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
}

fn utc(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets without splitting a character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// A VCALENDAR with `events`.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Samverkan//Samverkan API//SV");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", e.uid));
        line(&mut out, &format!("SEQUENCE:{}", e.sequence));
        line(&mut out, &format!("DTSTAMP:{}", utc(e.stamp)));
        line(&mut out, &format!("LAST-MODIFIED:{}", utc(e.stamp)));
        match e.days {
            Some((first, after)) => {
                line(
                    &mut out,
                    &format!("DTSTART;VALUE=DATE:{}", first.format("%Y%m%d")),
                );
                line(
                    &mut out,
                    &format!("DTEND;VALUE=DATE:{}", after.format("%Y%m%d")),
                );
            }
            None => {
                line(&mut out, &format!("DTSTART:{}", utc(e.start)));
                line(&mut out, &format!("DTEND:{}", utc(e.end)));
            }
        }
        line(&mut out, &format!("SUMMARY:{}", text(&e.summary)));
        let mut description = e.description.clone().unwrap_or_default();
        if let Some(url) = &e.url {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(&format!("Länk till mötet: {url}"));
        }
        if !description.is_empty() {
            line(&mut out, &format!("DESCRIPTION:{}", text(&description)));
        }
        if let Some(location) = &e.location {
            line(&mut out, &format!("LOCATION:{}", text(location)));
        }
        if let Some(url) = &e.url {
            line(&mut out, &format!("URL:{url}"));
        }
        let status = if e.cancelled {
            "CANCELLED"
        } else if e.tentative {
            "TENTATIVE"
        } else {
            "CONFIRMED"
        };
        line(&mut out, &format!("STATUS:{status}"));
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_folds() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "ö".repeat(60)));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
    }
}

//! What is read of minutes: everything the JSON view shows, and the protocol document
//! with names looked up, each in a fixed number of statements.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{meetings, networks, organizations, people};
use crate::error::ApiResult;
use crate::models::action_item::{self, ActionItem};
use crate::models::meeting::{Attendance, AttendeeRole, Meeting, MeetingMode, MeetingStatus};
use crate::models::minutes::{self, Amendment, Approval, DocumentType, Minutes, MinutesStatus};
use crate::policy::{self, Reach};
use crate::protocol::{Protocol, ProtocolAction, ProtocolSection};

/// Minutes with their action items, approvals and amendments.
#[derive(Debug, Clone)]
pub struct MinutesView {
    pub minutes: Minutes,
    pub action_items: Vec<ActionItem>,
    pub approvals: Vec<Approval>,
    pub amendments: Vec<Amendment>,
}

/// The minutes as served now.
pub fn view(conn: &mut DbConnection, m: Minutes) -> ApiResult<MinutesView> {
    Ok(MinutesView {
        action_items: action_item::of_meeting(conn, &m.meeting_id)?,
        approvals: minutes::approvals(conn, &m.id)?,
        amendments: minutes::amendments(conn, &m.id)?,
        minutes: m,
    })
}

/// The view of a new version of the minutes, kept for later reading as `text` makes it.
pub fn kept(
    conn: &mut DbConnection,
    m: Minutes,
    text: impl Fn(&MinutesView) -> String,
) -> ApiResult<MinutesView> {
    let view = view(conn, m)?;
    minutes::record_revision(conn, &view.minutes.id, view.minutes.version, &text(&view))?;
    Ok(view)
}

fn names<'a>(
    conn: &mut DbConnection,
    ids: impl IntoIterator<Item = &'a String>,
    table: &str,
) -> ApiResult<HashMap<String, String>> {
    let ids: Vec<String> = ids.into_iter().cloned().collect();
    let rows: Vec<(String, String)> = match table {
        "people" => people::table
            .filter(people::id.eq_any(ids))
            .select((people::id, people::name))
            .load(conn)?,
        _ => organizations::table
            .filter(organizations::id.eq_any(ids))
            .select((organizations::id, organizations::name))
            .load(conn)?,
    };
    Ok(rows.into_iter().collect())
}

/// The network line of the document: the host's name, and the networks co-hosting it
/// ("IFO-chefsnätverket, gemensamt med Barn och unga nätverket"), in one statement.
fn network_line(
    conn: &mut DbConnection,
    host: &String,
    co_hosts: &[String],
) -> ApiResult<Option<String>> {
    let names: HashMap<String, String> = networks::table
        .filter(networks::id.eq_any(std::iter::once(host).chain(co_hosts)))
        .select((networks::id, networks::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let others: Vec<&str> = co_hosts
        .iter()
        .filter_map(|n| names.get(n).map(String::as_str))
        .collect();
    Ok(names.get(host).map(|name| match others.split_last() {
        None => name.clone(),
        Some((last, [])) => format!("{name}, gemensamt med {last}"),
        Some((last, rest)) => format!("{name}, gemensamt med {} och {last}", rest.join(", ")),
    }))
}

/// The protocol document of a meeting's minutes, with every name looked up; the next
/// meeting is the network's next one the reader may see.
pub fn protocol(
    conn: &mut DbConnection,
    reach: &Reach,
    meeting: &Meeting,
    m: &Minutes,
) -> ApiResult<Protocol> {
    let tz: chrono_tz::Tz = meeting
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Stockholm);
    let local = |t: chrono::NaiveDateTime| chrono::TimeZone::from_utc_datetime(&tz, &t);
    let when = |starts: chrono::NaiveDateTime, ends: chrono::NaiveDateTime, day_only: bool| {
        let (start, end) = (local(starts), local(ends));
        if day_only {
            start.format("%Y-%m-%d").to_string()
        } else {
            format!(
                "{}, {}–{}",
                start.format("%Y-%m-%d"),
                start.format("%H:%M"),
                end.format("%H:%M")
            )
        }
    };
    let network = match &meeting.network_id {
        Some(host) => network_line(conn, host, &meeting.co_host_network_ids)?,
        None => None,
    };
    let next_meeting = match &meeting.network_id {
        Some(n) => meetings::table
            .filter(meetings::network_id.eq(n))
            .filter(meetings::starts_at.gt(meeting.starts_at))
            .filter(meetings::deleted_at.is_null())
            .filter(meetings::status.ne(MeetingStatus::Cancelled))
            .filter(policy::sql::meetings(reach))
            .order(meetings::starts_at.asc())
            .select((
                meetings::title,
                meetings::starts_at,
                meetings::ends_at,
                meetings::time_unspecified,
                meetings::location,
            ))
            .first::<(
                String,
                chrono::NaiveDateTime,
                chrono::NaiveDateTime,
                bool,
                Option<String>,
            )>(conn)
            .optional()?,
        None => None,
    };
    let attendees = crate::models::attendee::of_meeting(conn, &meeting.id)?;
    let items = action_item::of_meeting(conn, &meeting.id)?;
    let approvals = minutes::approvals(conn, &m.id)?;
    let amendments = minutes::amendments(conn, &m.id)?;
    let person_ids = m
        .approvers
        .iter()
        .chain(m.recorded_by.iter())
        .chain(items.iter().filter_map(|a| a.owner_person_id.as_ref()))
        .chain(amendments.iter().map(|a| &a.changed_by));
    let person_names = names(conn, person_ids, "people")?;
    let org_ids = attendees
        .iter()
        .filter_map(|a| a.row.organization_id.as_ref())
        .chain(
            items
                .iter()
                .filter_map(|a| a.owner_organization_id.as_ref()),
        )
        .chain(
            items
                .iter()
                .flat_map(|a| a.addressee_organization_ids.0.iter()),
        )
        .chain(
            m.sections
                .iter()
                .flat_map(|s| s.information.iter())
                .filter_map(|i| i.organization_id.as_ref()),
        );
    let org_names = names(conn, org_ids, "organizations")?;
    let person = |id: &String| {
        person_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| "(okänd)".into())
    };
    let org = |id: &String| {
        org_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| "(okänd)".into())
    };

    let mut present: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut excused, mut absent, mut chairs, mut secretaries) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for a in &attendees {
        let group = a.row.organization_id.as_ref().map(org);
        let with_org = match &group {
            Some(o) => format!("{} ({o})", a.name),
            None => a.name.clone(),
        };
        match a.row.attendance {
            Attendance::Present => {
                let role = match a.row.role {
                    AttendeeRole::Chair => {
                        chairs.push(a.name.clone());
                        " (ordförande)"
                    }
                    AttendeeRole::NoteTaker => {
                        secretaries.push(a.name.clone());
                        " (sekreterare)"
                    }
                    AttendeeRole::Guest => " (gäst)",
                    AttendeeRole::Participant => "",
                };
                present
                    .entry(group.unwrap_or_else(|| "Övriga".into()))
                    .or_default()
                    .push(format!("{}{role}", a.name));
            }
            Attendance::Excused => excused.push(with_org),
            Attendance::Absent => absent.push(with_org),
            Attendance::Invited => {}
        }
    }
    let sections = m
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| ProtocolSection {
            heading: s.heading.clone(),
            notes: s.notes.clone(),
            information: s
                .information
                .iter()
                .map(|info| {
                    (
                        info.title.clone(),
                        info.text.clone(),
                        info.organization_id.as_ref().map(org),
                    )
                })
                .collect(),
            decisions: s.decisions.clone(),
            actions: items
                .iter()
                .filter(|a| a.section_index == i as i32)
                .map(|a| {
                    let who = match (&a.owner_person_id, &a.owner_organization_id) {
                        (Some(p), Some(o)) => Some(format!("{} ({})", person(p), org(o))),
                        (Some(p), None) => Some(person(p)),
                        (None, Some(o)) => Some(org(o)),
                        (None, None) => None,
                    };
                    let named: Vec<String> =
                        a.addressee_organization_ids.0.iter().map(org).collect();
                    let asked = match (a.addressed_to_members, named.is_empty()) {
                        (true, true) => Some("alla medlemsorganisationer".to_string()),
                        (true, false) => Some(format!(
                            "alla medlemsorganisationer samt {}",
                            named.join(", ")
                        )),
                        (false, false) => Some(named.join(", ")),
                        (false, true) => None,
                    };
                    ProtocolAction {
                        task: a.title.clone(),
                        responsible: who,
                        asked,
                        due: a.due_on.map(|d| d.to_string()),
                    }
                })
                .collect(),
        })
        .collect();
    let day = |t: chrono::NaiveDateTime| local(t).date_naive().to_string();
    let approvers = m
        .approvers
        .iter()
        .map(|p| {
            let date = approvals
                .iter()
                .find(|a| a.person_id == *p)
                .map(|a| day(a.approved_at));
            (person(p), date)
        })
        .collect();
    let status = match m.status {
        MinutesStatus::Approved => {
            format!("Justerat {}", m.approved_at.map(day).unwrap_or_default())
        }
        MinutesStatus::Submitted => "Inlämnat för justering".into(),
        MinutesStatus::Draft => "Utkast – ej justerat".into(),
    };
    let mode = match meeting.mode {
        MeetingMode::Digital => "digitalt",
        MeetingMode::Hybrid => "hybridmöte",
        MeetingMode::InPerson => "på plats",
    };
    Ok(Protocol {
        decides: m.document_type == DocumentType::Protocol,
        title: meeting.title.clone(),
        network,
        when: when(meeting.starts_at, meeting.ends_at, meeting.time_unspecified),
        place: meeting.location.clone(),
        mode: mode.into(),
        chairs,
        secretaries,
        present: present.into_iter().collect(),
        excused,
        absent,
        sections,
        next_meeting: next_meeting.map(|(title, starts, ends, day_only, location)| {
            let mut line = format!("{}: {title}", when(starts, ends, day_only));
            if let Some(location) = location {
                line.push_str(&format!(", {location}"));
            }
            line
        }),
        recorded_by: m.recorded_by.iter().map(person).collect(),
        approvers,
        status,
        amendments: amendments
            .iter()
            .map(|a| {
                let what = a
                    .changes
                    .iter()
                    .map(|c| format!("§ {} {}", c.section, change_in_swedish(&c.part)))
                    .collect::<Vec<_>>()
                    .join(", ");
                (
                    day(a.changed_at),
                    person(&a.changed_by),
                    a.reason.clone(),
                    what,
                )
            })
            .collect(),
    })
}

/// What an amendment changed, as the protocol says it.
fn change_in_swedish(part: &str) -> &'static str {
    match part {
        "added" => "tillagd",
        "removed" => "struken",
        "heading" => "rubrik",
        "agenda_item" => "dagordningspunkt",
        "notes" => "anteckningar",
        "decisions" => "beslut",
        "information" => "information",
        "action_item_added" => "ny åtgärd",
        "action_item_changed" => "ändrad åtgärd",
        "action_item_removed" => "struken åtgärd",
        _ => "ändrad",
    }
}

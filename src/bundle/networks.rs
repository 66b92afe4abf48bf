//! Networks with their members and participants, and series with their timeline
//! (planned once the whole bundle is in).

use super::apply::{Seen, date, instant};
use super::format::{NetworkRecord, SeriesRecord, TimelineRecord};
use super::import::{Importer, Record, fingerprint};
use crate::db::DbConnection;
use crate::error::{ApiResult, Validator};
use crate::models::membership::{
    MemberDates, Members, NewMember, NewParticipant, ParticipantChange, Participants,
};
use crate::models::store::ItemStore;
use crate::models::{network, series, timeline};
use crate::policy::ParticipantRole;
use crate::validation;

impl Record for NetworkRecord {
    fn apply(self, imp: &mut Importer, conn: &mut DbConnection, at: &str) {
        let print = fingerprint(&self);
        let Some(seen) = imp.seen(conn, "network", &self.key, at, &print) else {
            return;
        };
        if let Seen::Same(id) = &seen {
            imp.book(conn, "network", &self.key, at, &print, &seen, |_, _| {
                Ok(Some(id.clone()))
            });
            return;
        }
        let owner = imp.id_of(
            conn,
            "organization",
            &self.owner_organization,
            &format!("{at}.owner_organization"),
        );
        let contact = imp.opt_id(
            conn,
            "person",
            self.contact_person.as_deref(),
            &format!("{at}.contact_person"),
        );
        let mut members = Vec::new();
        for (i, m) in self.members.iter().enumerate() {
            let field = format!("{at}.members[{i}]");
            let org = imp.id_of(
                conn,
                "organization",
                &m.organization,
                &format!("{field}.organization"),
            );
            let mut v = Validator::new();
            let dates = MemberDates {
                joined_on: date(&mut v, "joined_on", m.joined_on.as_deref()),
                left_on: date(&mut v, "left_on", m.left_on.as_deref()),
            };
            if imp.checked(&field, &mut v)
                && let Some(organization_id) = org
            {
                members.push(NewMember {
                    organization_id,
                    dates,
                });
            }
        }
        let mut participants = Vec::new();
        for (i, p) in self.participants.iter().enumerate() {
            let field = format!("{at}.participants[{i}]");
            let person = imp.id_of(conn, "person", &p.person, &format!("{field}.person"));
            let behalf = imp.opt_id(
                conn,
                "organization",
                p.on_behalf_of_organization.as_deref(),
                &format!("{field}.on_behalf_of_organization"),
            );
            let mut v = Validator::new();
            let role = validation::optional_choice(&mut v, "role", p.role.as_deref())
                .unwrap_or(ParticipantRole::Member);
            if imp.checked(&field, &mut v)
                && let (Some(person_id), Some(on_behalf_of_organization_id)) = (person, behalf)
            {
                participants.push(NewParticipant {
                    person_id,
                    role,
                    on_behalf_of_organization_id,
                });
            }
        }
        let key = self.key.clone();
        imp.book(conn, "network", &key, at, &print, &seen, |imp, conn| {
            let mut v = Validator::new();
            let mut fields =
                network::NetworkFields::new(self.name, owner.clone().unwrap_or_default());
            fields.description = self.description;
            if let Some(s) = validation::optional_choice(&mut v, "status", self.status.as_deref()) {
                fields.status = s;
            }
            fields.focus_areas.0 = self.focus_areas;
            fields.cadence = self.cadence;
            if let Some(s) =
                validation::optional_choice(&mut v, "visibility", self.visibility.as_deref())
            {
                fields.visibility = s;
            }
            fields.started_on = date(&mut v, "started_on", self.started_on.as_deref());
            fields.ended_on = date(&mut v, "ended_on", self.ended_on.as_deref());
            crate::routes::networks::check(&mut v, &mut fields);
            if !imp.checked(at, &mut v) || owner.is_none() {
                return Ok(None);
            }
            let Some(contact) = contact else {
                return Ok(None);
            };
            fields.contact_person_id = contact;
            let net = match &seen {
                Seen::Changed(id) => {
                    let current = imp
                        .reach
                        .manage(network::find(conn, &imp.reach, id, true)?)?;
                    if network::NetworkFields::of(&current) == fields {
                        (*current).clone()
                    } else {
                        imp.wrote = true;
                        network::update(conn, &current, fields)?
                    }
                }
                _ => network::create(conn, fields)?,
            };
            imp.wrote |= replace_members(imp, conn, &net.id, members)?;
            imp.wrote |= replace_participants(imp, conn, &net.id, participants)?;
            Ok(Some(net.id.clone()))
        });
    }
}

/// Makes the network's members exactly `wanted` (by organization), keeping those that
/// stay.
fn replace_members(
    imp: &Importer,
    conn: &mut DbConnection,
    network_id: &str,
    wanted: Vec<NewMember>,
) -> ApiResult<bool> {
    let mut wrote = false;
    let existing = crate::models::membership::members_of(conn, network_id)?;
    // Every write moves the network's version: each takes the network as it is now.
    let net = |conn: &mut DbConnection| {
        imp.reach
            .manage(network::find(conn, &imp.reach, network_id, true)?)
    };
    for member in &existing {
        match wanted
            .iter()
            .find(|w| w.organization_id == member.organization_id)
        {
            None => {
                let n = net(conn)?;
                Members::remove(conn, &n, member)?;
                wrote = true;
            }
            Some(w)
                if w.dates.joined_on != member.joined_on || w.dates.left_on != member.left_on =>
            {
                let n = net(conn)?;
                Members::change(conn, &n, member, w.dates.clone())?;
                wrote = true;
            }
            Some(_) => {}
        }
    }
    for w in wanted {
        if !existing
            .iter()
            .any(|m| m.organization_id == w.organization_id)
        {
            let n = net(conn)?;
            Members::add(conn, &n, w)?;
            wrote = true;
        }
    }
    Ok(wrote)
}

/// Makes the network's participants exactly `wanted` (by person).
fn replace_participants(
    imp: &Importer,
    conn: &mut DbConnection,
    network_id: &str,
    wanted: Vec<NewParticipant>,
) -> ApiResult<bool> {
    let mut wrote = false;
    let existing = crate::models::membership::participants_of(conn, network_id)?;
    let net = |conn: &mut DbConnection| {
        imp.reach
            .manage(network::find(conn, &imp.reach, network_id, true)?)
    };
    for p in &existing {
        match wanted.iter().find(|w| w.person_id == p.row.person_id) {
            None => {
                let n = net(conn)?;
                Participants::remove(conn, &n, p)?;
                wrote = true;
            }
            Some(w)
                if w.role != p.row.role
                    || w.on_behalf_of_organization_id != p.row.on_behalf_of_organization_id =>
            {
                let change = ParticipantChange {
                    role: w.role,
                    on_behalf_of_organization_id: w.on_behalf_of_organization_id.clone(),
                };
                let n = net(conn)?;
                Participants::change(conn, &n, p, change)?;
                wrote = true;
            }
            Some(_) => {}
        }
    }
    for w in wanted {
        if !existing.iter().any(|p| p.row.person_id == w.person_id) {
            let n = net(conn)?;
            Participants::add(conn, &n, w)?;
            wrote = true;
        }
    }
    Ok(wrote)
}

/// The timeline of a series record, checked; `None` if any entry is wrong (reported).
fn entries(
    imp: &mut Importer,
    at: &str,
    series_id: &str,
    records: &[TimelineRecord],
) -> Option<Vec<timeline::Entry>> {
    let mut out = Vec::with_capacity(records.len());
    let mut ok = true;
    for (i, r) in records.iter().enumerate() {
        let field = format!("{at}.timeline[{i}]");
        let mut v = Validator::new();
        let on = date(&mut v, "on", Some(&r.on));
        let kind = validation::choice(&mut v, "kind", &r.kind);
        let frequency = validation::optional_choice(&mut v, "frequency", r.frequency.as_deref());
        let reason = validation::optional_text(&mut v, "reason", r.reason.as_deref(), 1000);
        let note = validation::optional_text(&mut v, "note", r.note.as_deref(), 2000);
        let recorded_at = match &r.recorded_at {
            Some(text) => instant(&mut v, "recorded_at", text),
            None => Some(crate::db::now()),
        };
        if !imp.checked(&field, &mut v) {
            ok = false;
            continue;
        }
        let (Some(on), Some(kind), Some(recorded_at)) = (on, kind, recorded_at) else {
            ok = false;
            continue;
        };
        out.push(timeline::Entry {
            series_id: series_id.to_string(),
            position: i32::try_from(i).unwrap_or(i32::MAX),
            on_date: on,
            kind,
            frequency,
            reason,
            note,
            approximate: r.approximate,
            recorded_at,
            recorded_by: imp.actor.user_id.clone(),
        });
    }
    if records.is_empty() {
        imp.error(
            format!("{at}.timeline"),
            "must begin with an entry of kind `started`",
        );
        return None;
    }
    if !ok {
        return None;
    }
    if let Err(e) = timeline::check(&out, |i| format!("timeline[{i}]")) {
        imp.fail(at, e);
        return None;
    }
    Some(out)
}

impl Record for SeriesRecord {
    fn apply(self, imp: &mut Importer, conn: &mut DbConnection, at: &str) {
        let print = fingerprint(&self);
        let Some(seen) = imp.seen(conn, "series", &self.key, at, &print) else {
            return;
        };
        if let Seen::Same(id) = &seen {
            imp.book(conn, "series", &self.key, at, &print, &seen, |_, _| {
                Ok(Some(id.clone()))
            });
            return;
        }
        let network = imp.id_of(conn, "network", &self.network, &format!("{at}.network"));
        let key = self.key.clone();
        let id = imp.book(conn, "series", &key, at, &print, &seen, |imp, conn| {
            let Some(network_id) = network else {
                return Ok(None);
            };
            let series_id = match &seen {
                Seen::Changed(id) => id.clone(),
                _ => crate::db::new_id(),
            };
            let Some(entries) = entries(imp, at, &series_id, &self.timeline) else {
                return Ok(None);
            };
            let Some(state) = timeline::state(&entries) else {
                imp.error(format!("{at}.timeline[0].kind"), "must be `started`");
                return Ok(None);
            };
            let input = crate::routes::series::CreateSeries {
                network_id: network_id.clone(),
                title: self.title,
                frequency: state.frequency.as_str().to_string(),
                weekday: self.weekday,
                start_time: self.start_time,
                duration_minutes: self.duration_minutes.unwrap_or(60),
                time_zone: self.time_zone,
                starts_on: state.starts_on,
                ends_on: None,
                kind: self.kind,
                mode: self.mode,
                location: self.location,
                online_url: self.online_url,
                visibility: self.visibility,
                skip_holidays: self.skip_holidays,
            };
            let mut v = Validator::new();
            let (fields, visibility_given) = crate::routes::series::new_fields(&mut v, input);
            if !imp.checked(at, &mut v) {
                return Ok(None);
            }
            let net = imp
                .reach
                .manage(network::find(conn, &imp.reach, &network_id, true)?)?;
            let mut fields = fields;
            if !visibility_given {
                fields.visibility = net.visibility;
            }
            let row = match &seen {
                Seen::Changed(id) => {
                    let current = imp
                        .reach
                        .manage(series::find(conn, &imp.reach, id, true)?)?;
                    let stored = crate::models::timeline::entries(conn, id)?;
                    let same_timeline = stored.len() == entries.len()
                        && stored.iter().zip(&entries).all(|(a, b)| {
                            (
                                a.on_date,
                                a.kind,
                                a.frequency,
                                &a.reason,
                                &a.note,
                                a.approximate,
                            ) == (
                                b.on_date,
                                b.kind,
                                b.frequency,
                                &b.reason,
                                &b.note,
                                b.approximate,
                            )
                        });
                    if same_timeline && series::SeriesFields::of(&current) == fields {
                        (*current).clone()
                    } else {
                        imp.wrote = true;
                        series::replace(conn, &current, &fields, entries)?
                    }
                }
                _ => series::insert(conn, &net, &series_id, &fields, entries)?,
            };
            Ok(Some(row.id))
        });
        if let Some(id) = id {
            imp.series.push(id);
        }
    }
}

impl Importer {
    /// Plans the imported series, now that the meetings entered for them are in: none
    /// is planned twice on a day that has one.
    pub(super) fn plan_series(&mut self, conn: &mut DbConnection) -> ApiResult<()> {
        for id in std::mem::take(&mut self.series) {
            let row = series::find_unchecked(conn, &id)?;
            crate::models::planning::plan(conn, &row, self.today)?;
        }
        Ok(())
    }
}

//! Themes with their supporters.

use super::apply::Seen;
use super::format::ThemeRecord;
use super::import::{Importer, Record, fingerprint};
use crate::db::DbConnection;
use crate::error::Validator;
use crate::models::{network, theme};
use crate::validation;

impl Record for ThemeRecord {
    fn apply(self, imp: &mut Importer, conn: &mut DbConnection, at: &str) {
        let print = fingerprint(&self);
        let Some(seen) = imp.seen(conn, "theme", &self.key, at, &print) else {
            return;
        };
        if let Seen::Same(id) = &seen {
            imp.book(conn, "theme", &self.key, at, &print, &seen, |_, _| {
                Ok(Some(id.clone()))
            });
            return;
        }
        let network = imp.id_of(conn, "network", &self.network, &format!("{at}.network"));
        let org = imp.opt_id(
            conn,
            "organization",
            self.proposed_by_organization.as_deref(),
            &format!("{at}.proposed_by_organization"),
        );
        let person = imp.opt_id(
            conn,
            "person",
            self.proposed_by_person.as_deref(),
            &format!("{at}.proposed_by_person"),
        );
        let proposer_net = imp.opt_id(
            conn,
            "network",
            self.proposed_by_network.as_deref(),
            &format!("{at}.proposed_by_network"),
        );
        let meeting_id = imp.opt_id(
            conn,
            "meeting",
            self.meeting.as_deref(),
            &format!("{at}.meeting"),
        );
        let agenda_item = imp.opt_id(
            conn,
            "agenda_item",
            self.agenda_item.as_deref(),
            &format!("{at}.agenda_item"),
        );
        let supporters = imp.ids_of(
            conn,
            "organization",
            &self.supporters,
            &format!("{at}.supporters"),
        );
        let key = self.key.clone();
        imp.book(conn, "theme", &key, at, &print, &seen, |imp, conn| {
            let mut v = Validator::new();
            let status = validation::optional_choice(&mut v, "status", self.status.as_deref())
                .unwrap_or(theme::ThemeStatus::Proposed);
            let visibility =
                validation::optional_choice(&mut v, "visibility", self.visibility.as_deref());
            let status_reason = validation::optional_text(
                &mut v,
                "status_reason",
                self.status_reason.as_deref(),
                2000,
            );
            v.check(
                status_reason.is_some()
                    || !matches!(
                        status,
                        theme::ThemeStatus::Postponed | theme::ThemeStatus::Rejected
                    ),
                "status_reason",
                "is required when the status is postponed or rejected",
            );
            let (
                Some(network_id),
                Some(org),
                Some(person),
                Some(meeting_id),
                Some(agenda_item),
                Some(supporters),
                Some(proposer_net),
            ) = (
                network,
                org,
                person,
                meeting_id,
                agenda_item,
                supporters,
                proposer_net,
            )
            else {
                imp.checked(at, &mut v);
                return Ok(None);
            };
            let net = network::find(conn, &imp.reach, &network_id, false)?;
            let mut fields = theme::ThemeFields {
                title: self.title,
                description: self.description,
                proposed_by_organization_id: org,
                proposed_by_network_id: proposer_net,
                status,
                status_reason,
                target_period: self.target_period,
                meeting_id,
                agenda_item_id: agenda_item,
                tags: crate::db::json_text::JsonText(self.tags),
                visibility: visibility.unwrap_or(net.visibility),
                search: String::new(),
            };
            crate::routes::themes::text_fields(&mut v, &mut fields);
            if !imp.checked(at, &mut v) {
                return Ok(None);
            }
            let row = match &seen {
                Seen::Changed(id) => {
                    let current = theme::find(conn, &imp.reach, id, true)?;
                    if current.network_id != net.id {
                        imp.error(
                            format!("{at}.network"),
                            "a theme cannot move to another network",
                        );
                        return Ok(None);
                    }
                    let mut stored = theme::ThemeFields::of(&current);
                    stored.search.clone_from(&fields.search);
                    if stored == fields {
                        current
                    } else {
                        imp.wrote = true;
                        theme::update(conn, &imp.reach.edit_proposal(current)?, fields)?
                    }
                }
                _ => theme::create(conn, &imp.reach.propose_in(net)?, person.as_deref(), fields)?,
            };
            let managed = imp.reach.manage(row)?;
            let after = theme::set_supporters(conn, &managed, &supporters)?;
            imp.wrote |= after.version != managed.version;
            Ok(Some(managed.id.clone()))
        });
    }
}

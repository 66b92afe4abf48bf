//! Every access decision, in one place: who the caller is and how far they reach, which
//! rows they may see (as SQL, in [`sql`]), and what they may do with a row (pure
//! functions over the reach and the row, handing out guards).
//!
//! The rules, as API-DESIGN.md states them:
//! - `public` content is readable by anyone, `internal` by anyone signed in, and
//!   `restricted` by insiders: the current member organizations and the participants of
//!   its network (for a meeting also its attendees, and for a meeting outside any network
//!   its organizer), the organizations involved in a supervisory dialogue, and admins.
//! - Content follows the strictest visibility on its path: a meeting is no more visible
//!   than its network, minutes no more than their meeting, action items exactly as much
//!   as their minutes.
//! - Someone who may not see a thing gets 404; someone who sees it but may not change it
//!   gets 403, before any validation of what they sent.
//! - A network's coordinators (and admins) manage its meetings, agenda, attendance,
//!   series, minutes and themes; its insiders read and propose; users of a supervisory
//!   authority write its dialogues; admins manage everything.
//! - A meeting co-hosted by several networks is theirs together: the insiders of each
//!   see it as insiders, the coordinators of each manage it (and its agenda, attendance,
//!   minutes and action items).
//!
//! Writes take a guard ([`Managed`], [`Permitted`]) that only this module constructs, so a
//! write whose check was forgotten does not compile. The policy knows rows only through
//! the small traits below ([`Governed`], [`Assigned`], [`Proposal`]), so that the models
//! can depend on it and not the other way round.

mod facts;
mod guard;
pub mod sql;

pub use facts::{
    Approvable, Assigned, Governed, MeetingFacts, Personal, Proposal, Steward, SupervisoryFacts,
};
pub use guard::{Managed, Permitted, ProposalRight, StatusRight, right};

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};

crate::text_enum! {
    /// Who may read a network, meeting, minutes, theme, series or dialogue.
    Visibility {
        /// Anyone, without a token.
        Public => "public",
        /// Any signed-in user.
        Internal => "internal",
        /// Members and participants of the network (or the organizations involved), and admins.
        Restricted => "restricted",
    }
}

crate::text_enum! {
    /// A person's role in a network.
    ParticipantRole {
        /// Manages the network's meetings, agenda, attendance, series, minutes and themes.
        Coordinator => "coordinator",
        /// Reads and proposes.
        Member => "member",
    }
}

/// Who is calling, as the authentication established it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The signed-in user.
    pub user_id: String,
    /// The user's person.
    pub person_id: String,
    /// The user's organization, if any.
    pub organization_id: Option<String>,
    /// Whether the user is an admin.
    pub admin: bool,
}

/// How far the caller reaches: their identity and the networks they are an insider of or
/// coordinate, loaded once per request in one statement.
#[derive(Debug, Clone)]
pub struct Reach {
    identity: Option<Identity>,
    insider: HashSet<String>,
    coordinator: HashSet<String>,
    today: NaiveDate,
}

impl Reach {
    /// An anonymous caller.
    pub fn anonymous(today: NaiveDate) -> Self {
        Self {
            identity: None,
            insider: HashSet::new(),
            coordinator: HashSet::new(),
            today,
        }
    }

    /// The server acting on its own, for work an operator starts on the command line
    /// (`samverkan import`): it may do what an admin may, and is nobody.
    pub fn server(today: NaiveDate) -> Self {
        Self {
            identity: Some(Identity {
                admin: true,
                ..Identity::default()
            }),
            insider: HashSet::new(),
            coordinator: HashSet::new(),
            today,
        }
    }

    /// The reach of a signed-in caller: admins need no memberships; everybody else gets
    /// theirs from [`sql::memberships`], the same subqueries the visibility filters use.
    pub fn load(conn: &mut DbConnection, identity: Identity, today: NaiveDate) -> ApiResult<Self> {
        let mut reach = Self {
            identity: None,
            insider: HashSet::new(),
            coordinator: HashSet::new(),
            today,
        };
        if !identity.admin {
            let rows = sql::memberships(
                conn,
                identity.organization_id.as_deref(),
                &identity.person_id,
                today,
            )?;
            for (network, coordinates) in rows {
                if coordinates {
                    reach.coordinator.insert(network.clone());
                }
                reach.insider.insert(network);
            }
        }
        reach.identity = Some(identity);
        Ok(reach)
    }

    /// The identity, when signed in.
    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_ref()
    }

    /// Whether anyone is signed in.
    pub fn signed_in(&self) -> bool {
        self.identity.is_some()
    }

    /// Whether the caller is an admin.
    pub fn is_admin(&self) -> bool {
        self.identity.as_ref().is_some_and(|i| i.admin)
    }

    /// The caller's person, when signed in.
    pub fn person_id(&self) -> Option<&str> {
        self.identity.as_ref().map(|i| i.person_id.as_str())
    }

    /// The caller's organization, when signed in and belonging to one.
    pub fn organization_id(&self) -> Option<&str> {
        self.identity
            .as_ref()
            .and_then(|i| i.organization_id.as_deref())
    }

    /// The day memberships are judged on (a member that has left is no insider).
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Whether content at `visibility` is open to the caller without being an insider.
    pub fn is_open(&self, visibility: Visibility) -> bool {
        match visibility {
            Visibility::Public => true,
            Visibility::Internal => self.signed_in(),
            Visibility::Restricted => false,
        }
    }

    /// Whether the caller sees a network's restricted content (admins do).
    pub fn insider(&self, network_id: &str) -> bool {
        self.is_admin() || self.insider.contains(network_id)
    }

    /// Whether the caller coordinates the network (admins count as coordinators).
    pub fn coordinates(&self, network_id: &str) -> bool {
        self.is_admin() || self.coordinator.contains(network_id)
    }

    /// Whether the caller belongs to `organization_id`.
    pub fn belongs_to(&self, organization_id: Option<&str>) -> bool {
        organization_id.is_some() && self.organization_id() == organization_id
    }

    /// Whether the caller is an insider of a meeting: of its network or of one of the
    /// networks co-hosting it, as its organizer (a meeting outside any network), or as
    /// one of its attendees.
    pub fn meeting_insider(&self, meeting: &MeetingFacts<'_>) -> bool {
        self.is_admin()
            || meeting.attending
            || match meeting.network_id {
                Some(network) => {
                    self.insider(network)
                        || meeting.co_host_network_ids.iter().any(|n| self.insider(n))
                }
                None => self.belongs_to(meeting.organizer_organization_id),
            }
    }

    /// Whether the caller sees the meeting's link to join (those who may attend).
    pub fn may_attend(&self, meeting: &MeetingFacts<'_>) -> bool {
        self.meeting_insider(meeting)
    }

    /// 403 unless the caller is an admin.
    pub fn require_admin(&self) -> ApiResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::forbidden("only admins may do this"))
        }
    }

    /// Full write access to `row`: its stewards and admins (403 for anyone else; the
    /// row was loaded through a visibility filter, so they see it).
    pub fn manage<T: Governed>(&self, row: T) -> ApiResult<Managed<T>> {
        if self.stewards(&row.steward()) {
            Ok(Permitted::grant(row))
        } else {
            Err(ApiError::forbidden(row.steward().refusal()))
        }
    }

    fn stewards(&self, steward: &Steward<'_>) -> bool {
        match steward {
            Steward::Network(network) => self.coordinates(network),
            Steward::Networks { host, co_hosts } => {
                self.coordinates(host) || co_hosts.iter().any(|n| self.coordinates(n))
            }
            Steward::Organization(org) => self.is_admin() || self.belongs_to(*org),
            Steward::Person {
                user_id,
                organization_id,
            } => {
                let own = user_id.is_some()
                    && *user_id == self.identity.as_ref().map(|i| i.user_id.as_str());
                self.is_admin() || own || self.belongs_to(*organization_id)
            }
            Steward::Admins => self.is_admin(),
        }
    }

    /// The right to delete `row`: its owners ([`Governed::owner`]) and admins (403 for
    /// anyone else who sees it).
    pub fn own<T: Governed>(&self, row: T) -> ApiResult<Managed<T>> {
        if self.stewards(&row.owner()) {
            Ok(Permitted::grant(row))
        } else {
            Err(ApiError::forbidden(row.owner().refusal()))
        }
    }

    /// Whether the caller may manage `row` (for showing what they may do).
    pub fn may_manage<T: Governed>(&self, row: &T) -> bool {
        self.stewards(&row.steward())
    }

    /// The right to change the status of something assigned to the caller (an action
    /// item), or to change everything when they manage it.
    pub fn change_status<T: Assigned>(&self, row: T) -> ApiResult<StatusRight<T>> {
        if self.may_manage(&row) {
            Ok(StatusRight::Manage(Permitted::grant(row)))
        } else if row.assignee().is_some() && row.assignee() == self.person_id() {
            Ok(StatusRight::Assignee(Permitted::grant(row)))
        } else {
            Err(ApiError::forbidden(
                "the owner may change the status; the network's coordinators may change everything",
            ))
        }
    }

    /// The right to answer a request on behalf of `organization_id`, one of the
    /// organizations it asks: that organization's users, and whoever manages the request
    /// (a coordinator entering an answer that came by mail).
    pub fn answer<T: Governed>(
        &self,
        row: T,
        organization_id: &str,
    ) -> ApiResult<Permitted<T, right::Answer>> {
        if self.may_manage(&row) || self.belongs_to(Some(organization_id)) {
            Ok(Permitted::grant(row))
        } else {
            Err(ApiError::forbidden(
                "only users of the organization asked (and the network's coordinators) may answer for it",
            ))
        }
    }

    /// The right to edit or withdraw a proposal: its proposer while it is still open,
    /// and whoever manages it.
    pub fn edit_proposal<T: Proposal>(&self, row: T) -> ApiResult<ProposalRight<T>> {
        if self.may_manage(&row) {
            Ok(ProposalRight::Manage(Permitted::grant(row)))
        } else if row.open() && row.proposer().is_some() && row.proposer() == self.person_id() {
            Ok(ProposalRight::Proposer(Permitted::grant(row)))
        } else {
            Err(ApiError::forbidden(
                "the proposer may change it while it is proposed; coordinators may change everything",
            ))
        }
    }

    /// The right to propose in a network: its insiders (members, participants,
    /// coordinators) and admins.
    pub fn propose_in<T: Governed>(&self, network: T) -> ApiResult<Permitted<T, right::Propose>> {
        let insider = match network.steward() {
            Steward::Network(id) => self.insider(id),
            _ => self.is_admin(),
        };
        if insider {
            Ok(Permitted::grant(network))
        } else {
            Err(ApiError::forbidden(
                "only the network's members and participants may propose themes",
            ))
        }
    }

    /// The right to support something in a network on behalf of the caller's
    /// organization: the network's insiders who belong to an organization.
    pub fn support<T: Governed>(
        &self,
        row: T,
    ) -> ApiResult<(Permitted<T, right::Support>, String)> {
        let insider = match row.steward() {
            Steward::Network(id) => self.insider(id),
            _ => false,
        };
        match self.organization_id() {
            Some(org) if insider => Ok((Permitted::grant(row), org.to_string())),
            Some(_) => Err(ApiError::forbidden(
                "only the network's members and participants may support its themes",
            )),
            None => Err(ApiError::forbidden(
                "support is given on behalf of an organization, and you belong to none",
            )),
        }
    }

    /// The right to approve minutes (justering): their named approvers.
    pub fn approve<T: Approvable>(
        &self,
        row: T,
    ) -> ApiResult<(Permitted<T, right::Approve>, String)> {
        match self.person_id() {
            Some(person) if row.approvers().iter().any(|a| a == person) => {
                let person = person.to_string();
                Ok((Permitted::grant(row), person))
            }
            _ => Err(ApiError::forbidden(
                "only the named approvers (justerare) may approve",
            )),
        }
    }

    /// Acting on behalf of `organization_id` (who proposes, who organizes, who owns):
    /// the caller's own organization; any when they coordinate `network_id` (that is,
    /// the network the act is in) or are an admin. 403 naming `field` otherwise.
    pub fn on_behalf_of(
        &self,
        field: &str,
        organization_id: &str,
        network_id: Option<&str>,
    ) -> ApiResult<()> {
        let allowed = self.is_admin()
            || self.organization_id() == Some(organization_id)
            || network_id.is_some_and(|n| self.coordinates(n));
        if allowed {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "{field}: you may act on behalf of your own organization only"
            )))
        }
    }

    /// Speaking for a network (a theme it wishes for): its insiders, whoever coordinates
    /// `network_id`, the network the act is in (entering what a meeting heard), and
    /// admins. 403 naming `field` otherwise.
    pub fn on_behalf_of_network(
        &self,
        field: &str,
        speaker: &str,
        network_id: &str,
    ) -> ApiResult<()> {
        if self.insider(speaker) || self.coordinates(network_id) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "{field}: only its members and participants may speak for a network"
            )))
        }
    }

    /// The right to write the supervisory dialogues of an organization: its users when
    /// it is a supervisory authority, and admins. Checked twice: before the body is
    /// read, whether the caller may write any dialogues at all (`organization`: the
    /// caller's own), and then for the organization the body names.
    pub fn supervise(&self, organization: &SupervisoryFacts<'_>) -> ApiResult<()> {
        let own = self.belongs_to(Some(organization.id)) && organization.supervisory_authority;
        if self.is_admin() || own {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "only users of the supervisory authority (and admins) write its dialogues",
            ))
        }
    }

    /// The right to change one's own account (name, password): its user only.
    pub fn own_account<T: Personal>(&self, row: T) -> ApiResult<Permitted<T, right::EditSelf>> {
        let own = self
            .identity
            .as_ref()
            .is_some_and(|i| row.user_id() == Some(i.user_id.as_str()));
        if own {
            Ok(Permitted::grant(row))
        } else {
            Err(ApiError::forbidden("this is not your account"))
        }
    }
}

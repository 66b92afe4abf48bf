//! Visibility as SQL: the filters every read of a visible-by-rule resource applies.
//! Memberships are subqueries (`IN (SELECT …)`), never id lists loaded and bound back,
//! so no statement binds more parameters as the data grows. Admins see everything and
//! get no filter; callers check [`Reach::is_admin`] first.
//!
//! The subqueries are macros rather than functions: diesel's multi-backend `IN` and
//! `EXISTS` need the inner query's concrete type, so only the finished filter is boxed.

use chrono::NaiveDate;
use diesel::dsl::exists;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::db::MultiBackend;
use crate::db::schema::{
    action_items, attendees, dialogue_participants, meeting_series, meetings, minutes,
    network_members, network_participants, networks, supervisory_dialogues, themes,
};
use crate::policy::{ParticipantRole, Reach, Visibility};

/// A boolean filter over the rows of `QS`.
pub type Filter<QS> = Box<dyn BoxableExpression<QS, MultiBackend, SqlType = Bool>>;

// Ids no row has: an anonymous caller's person and organization.
const NOBODY: &str = "";

/// What the filters need of the caller, owned so the filters can be `'static`.
struct Caller {
    organization: String,
    person: String,
    today: NaiveDate,
    open: Vec<Visibility>,
}

impl Caller {
    fn of(reach: &Reach) -> Self {
        Self {
            organization: reach.organization_id().unwrap_or(NOBODY).to_string(),
            person: reach.person_id().unwrap_or(NOBODY).to_string(),
            today: reach.today(),
            open: reach.open_levels(),
        }
    }
}

/// `$column` names a network the caller is an insider of: their organization is a
/// member today, or their person takes part.
macro_rules! insider_of {
    ($column:expr, $c:expr) => {
        $column
            .eq_any(
                network_members::table
                    .filter(network_members::organization_id.eq($c.organization.clone()))
                    .filter(
                        network_members::left_on
                            .is_null()
                            .or(network_members::left_on.gt($c.today)),
                    )
                    .select(network_members::network_id),
            )
            .or($column.eq_any(
                network_participants::table
                    .filter(network_participants::person_id.eq($c.person.clone()))
                    .select(network_participants::network_id),
            ))
    };
}

/// `$column` names a network that is open to the caller by its own visibility.
macro_rules! open_network {
    ($column:expr, $c:expr) => {
        $column.eq_any(
            networks::table
                .filter(networks::visibility.eq_any($c.open.clone()))
                .select(networks::id),
        )
    };
}

/// The meeting is one whose restricted content the caller sees: an insider of its
/// network, the organizer of a meeting outside any network, or an attendee.
macro_rules! meeting_insider {
    ($c:expr) => {
        insider_of!(meetings::network_id.assume_not_null(), $c)
            .or(meetings::network_id.is_null().and(
                meetings::organizer_organization_id
                    .assume_not_null()
                    .eq($c.organization.clone()),
            ))
            .or(meetings::id.eq_any(
                attendees::table
                    .filter(attendees::person_id.eq($c.person.clone()))
                    .select(attendees::meeting_id),
            ))
    };
}

/// The meeting is visible: to its insiders, and to others when both the meeting and its
/// network are open.
macro_rules! meeting_visible {
    ($c:expr) => {
        meeting_insider!($c).or(meetings::visibility.eq_any($c.open.clone()).and(
            meetings::network_id
                .is_null()
                .or(open_network!(meetings::network_id.assume_not_null(), $c)),
        ))
    };
}

/// The minutes are visible: to their meeting's insiders, and to others when the
/// minutes are open and the meeting visible.
macro_rules! minutes_visible {
    ($c:expr) => {
        minutes::meeting_id
            .eq_any(
                meetings::table
                    .filter(meeting_insider!($c))
                    .select(meetings::id),
            )
            .or(minutes::visibility.eq_any($c.open.clone()).and(
                minutes::meeting_id.eq_any(
                    meetings::table
                        .filter(meeting_visible!($c))
                        .select(meetings::id),
                ),
            ))
    };
}

/// The caller's memberships in one statement: every network they are an insider of,
/// and whether they coordinate it; the same subquery as the filters below.
pub fn memberships(
    organization_id: Option<&str>,
    person_id: &str,
    today: NaiveDate,
) -> networks::BoxedQuery<'static, MultiBackend, (Text, Bool)> {
    let c = Caller {
        organization: organization_id.unwrap_or(NOBODY).to_string(),
        person: person_id.to_string(),
        today,
        open: Vec::new(),
    };
    networks::table
        .select((
            networks::id,
            exists(
                network_participants::table
                    .filter(network_participants::network_id.eq(networks::id))
                    .filter(network_participants::person_id.eq(c.person.clone()))
                    .filter(network_participants::role.eq(ParticipantRole::Coordinator)),
            ),
        ))
        .filter(insider_of!(networks::id, c))
        .into_boxed()
}

/// Networks: open by their visibility, or the caller is an insider.
pub fn networks(reach: &Reach) -> Filter<networks::table> {
    let c = Caller::of(reach);
    Box::new(
        networks::visibility
            .eq_any(c.open.clone())
            .or(insider_of!(networks::id, c)),
    )
}

/// Meetings (see [`meeting_visible!`]).
pub fn meetings(reach: &Reach) -> Filter<meetings::table> {
    let c = Caller::of(reach);
    Box::new(meeting_visible!(c))
}

/// Minutes (see [`minutes_visible!`]).
pub fn minutes(reach: &Reach) -> Filter<minutes::table> {
    let c = Caller::of(reach);
    Box::new(minutes_visible!(c))
}

/// Action items: exactly as visible as the minutes that hand them out.
pub fn action_items(reach: &Reach) -> Filter<action_items::table> {
    let c = Caller::of(reach);
    Box::new(
        action_items::meeting_id.eq_any(
            minutes::table
                .filter(minutes_visible!(c))
                .select(minutes::meeting_id),
        ),
    )
}

/// Themes: the network's insiders; others when both the theme and its network are open.
pub fn themes(reach: &Reach) -> Filter<themes::table> {
    let c = Caller::of(reach);
    Box::new(
        insider_of!(themes::network_id, c).or(themes::visibility
            .eq_any(c.open.clone())
            .and(open_network!(themes::network_id, c))),
    )
}

/// Meeting series: as themes.
pub fn series(reach: &Reach) -> Filter<meeting_series::table> {
    let c = Caller::of(reach);
    Box::new(
        insider_of!(meeting_series::network_id, c).or(meeting_series::visibility
            .eq_any(c.open.clone())
            .and(open_network!(meeting_series::network_id, c))),
    )
}

/// Supervisory dialogues: open or published ones, and those of the organizations
/// involved (the supervising authority and the participants).
pub fn dialogues(reach: &Reach) -> Filter<supervisory_dialogues::table> {
    let c = Caller::of(reach);
    Box::new(
        supervisory_dialogues::visibility
            .eq_any(c.open.clone())
            .or(supervisory_dialogues::published_at.is_not_null())
            .or(supervisory_dialogues::supervising_organization_id.eq(c.organization.clone()))
            .or(supervisory_dialogues::id.eq_any(
                dialogue_participants::table
                    .filter(dialogue_participants::organization_id.eq(c.organization.clone()))
                    .select(dialogue_participants::dialogue_id),
            )),
    )
}

/// Whether the caller attends the row's meeting: a column for per-row decisions (who
/// sees the link to join).
pub fn attending(reach: &Reach) -> Filter<meetings::table> {
    let c = Caller::of(reach);
    Box::new(exists(
        attendees::table
            .filter(attendees::meeting_id.eq(meetings::id))
            .filter(attendees::person_id.eq(c.person)),
    ))
}

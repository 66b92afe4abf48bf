//! Visibility as SQL: the filters every read of a visible-by-rule resource applies.
//! Memberships are subqueries (`IN (SELECT …)`), never id lists loaded and bound back,
//! so no statement binds more parameters as the data grows; an admin is one bound flag,
//! so every caller's statement has the same shape.
//!
//! Each rule is a macro (`meeting_visible!` …) and, for the common case of filtering the
//! table itself, a function returning the boxed filter. The macros exist because diesel's
//! multi-backend `IN` and `EXISTS` need the inner query's concrete type: a model that
//! needs "the visible meetings" inside a subquery uses the macro, and the rule is still
//! written once.

use chrono::NaiveDate;
use diesel::dsl::exists;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::db::MultiBackend;
use crate::db::schema::{
    action_items, attendees, meeting_series, meetings, minutes, network_participants, networks,
    supervisory_dialogues, themes,
};
use crate::policy::{ParticipantRole, Reach};

/// A boolean filter over the rows of `QS`.
pub type Filter<QS> = Box<dyn BoxableExpression<QS, MultiBackend, SqlType = Bool>>;

// Ids no row has: an anonymous caller's person and organization.
const NOBODY: &str = "";

/// What the filters need of the caller, owned so that the filters are `'static`.
#[derive(Debug, Clone)]
pub struct SqlCaller {
    /// The caller is an admin (sees everything).
    pub admin: bool,
    /// The caller's organization (`""` for none).
    pub organization: String,
    /// The caller's person (`""` when anonymous).
    pub person: String,
    /// The day memberships are judged on.
    pub today: NaiveDate,
    /// Someone is signed in: `internal` content is open to them.
    pub signed_in: bool,
}

impl SqlCaller {
    /// The caller of `reach`.
    pub fn of(reach: &Reach) -> Self {
        Self {
            admin: reach.is_admin(),
            organization: reach.organization_id().unwrap_or(NOBODY).to_string(),
            person: reach.person_id().unwrap_or(NOBODY).to_string(),
            today: reach.today(),
            signed_in: reach.signed_in(),
        }
    }
}

/// `$column` (a network id) names a network the caller is an insider of: their
/// organization is a member today, or their person takes part.
#[macro_export]
macro_rules! insider_of {
    ($column:expr, $c:expr) => {{
        use $crate::db::schema::{network_members, network_participants};
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
    }};
}

/// `$column` (a visibility) is open to the caller without being an insider: `public`
/// to anyone, `internal` to the signed-in. One shape for every caller (the signed-in
/// flag is a bound value, not a list), so the statement is prepared once and cached.
#[macro_export]
macro_rules! open_level {
    ($column:expr, $c:expr) => {{
        use diesel::IntoSql;
        use $crate::policy::Visibility;
        $column.eq(Visibility::Public).or($column
            .eq(Visibility::Internal)
            .and($c.signed_in.into_sql::<diesel::sql_types::Bool>()))
    }};
}

/// `$column` (a network id) names a network that is open to the caller by its own
/// visibility.
#[macro_export]
macro_rules! open_network {
    ($column:expr, $c:expr) => {{
        use $crate::db::schema::networks;
        $column.eq_any(
            networks::table
                .filter($crate::open_level!(networks::visibility, $c))
                .select(networks::id),
        )
    }};
}

/// The row of `meetings` is a meeting whose restricted content the caller sees: an
/// insider of its network or of a network co-hosting it, the organizer of a meeting outside any network, an attendee,
/// or an admin.
#[macro_export]
macro_rules! meeting_insider {
    ($c:expr) => {{
        use diesel::IntoSql;
        use $crate::db::schema::{attendees, meetings};
        $c.admin
            .into_sql::<diesel::sql_types::Bool>()
            .or($crate::insider_of!(
                meetings::network_id.assume_not_null(),
                $c
            ))
            .or(meetings::id.eq_any({
                use $crate::db::schema::meeting_co_hosts;
                meeting_co_hosts::table
                    .filter($crate::insider_of!(meeting_co_hosts::network_id, $c))
                    .select(meeting_co_hosts::meeting_id)
            }))
            .or(meetings::network_id.is_null().and(
                meetings::organizer_organization_id
                    .assume_not_null()
                    .eq($c.organization.clone()),
            ))
            .or(meetings::id.eq_any({
                // An alias: the query this filter sits in may read attendees itself.
                let attending = diesel::alias!(attendees as attending);
                attending
                    .filter(attending.field(attendees::person_id).eq($c.person.clone()))
                    .select(attending.field(attendees::meeting_id))
            }))
    }};
}

/// The row of `meetings` is visible to the caller: to its insiders, and to others when
/// both the meeting and its network are open (content follows the strictest visibility
/// on its path; co-hosting lets the co-hosts' insiders in, it opens nothing to others).
#[macro_export]
macro_rules! meeting_visible {
    ($c:expr) => {{
        use $crate::db::schema::meetings;
        $crate::meeting_insider!($c).or($crate::open_level!(meetings::visibility, $c).and(
            meetings::network_id.is_null().or($crate::open_network!(
                meetings::network_id.assume_not_null(),
                $c
            )),
        ))
    }};
}

/// The row of `minutes` is visible to the caller: to their meeting's insiders, and to
/// others when the minutes are open and their meeting is visible. A correlated
/// `EXISTS` on the meeting's primary key: a page of minutes (or of action items) looks
/// up only the meetings of its own rows.
#[macro_export]
macro_rules! minutes_visible {
    ($c:expr) => {{
        use diesel::dsl::exists;
        use $crate::db::schema::{meetings, minutes};
        exists(
            meetings::table
                .filter(meetings::id.eq(minutes::meeting_id))
                .filter($crate::meeting_insider!($c).or(
                    $crate::open_level!(minutes::visibility, $c).and($crate::meeting_visible!($c)),
                )),
        )
    }};
}

/// The row of `action_items` is visible to the caller: exactly when the minutes that
/// hand it out are (a correlated `EXISTS`, as for minutes).
#[macro_export]
macro_rules! action_item_visible {
    ($c:expr) => {{
        use diesel::dsl::exists;
        use $crate::db::schema::{action_items, meetings, minutes};
        exists(
            minutes::table
                .inner_join(meetings::table.on(meetings::id.eq(minutes::meeting_id)))
                .filter(minutes::meeting_id.eq(action_items::meeting_id))
                .filter($crate::meeting_insider!($c).or(
                    $crate::open_level!(minutes::visibility, $c).and($crate::meeting_visible!($c)),
                )),
        )
    }};
}

/// The row of `supervisory_dialogues` is visible to the caller: open or published
/// ones, and those of the organizations involved (the supervising authority and the
/// participants).
#[macro_export]
macro_rules! dialogue_visible {
    ($c:expr) => {{
        use diesel::IntoSql;
        use $crate::db::schema::{dialogue_participants, supervisory_dialogues};
        $c.admin
            .into_sql::<diesel::sql_types::Bool>()
            .or($crate::open_level!(supervisory_dialogues::visibility, $c))
            .or(supervisory_dialogues::published_at.is_not_null())
            .or(supervisory_dialogues::supervising_organization_id.eq($c.organization.clone()))
            .or(supervisory_dialogues::id.eq_any(
                dialogue_participants::table
                    .filter(dialogue_participants::organization_id.eq($c.organization.clone()))
                    .select(dialogue_participants::dialogue_id),
            ))
    }};
}

/// The caller's memberships in one statement: every network they are an insider of,
/// and whether they coordinate it; the same subquery as the filters use. Not boxed:
/// the statement has a type of its own, so the connection finds it prepared without
/// writing its SQL again (it runs on every signed-in request).
pub fn memberships(
    conn: &mut crate::db::DbConnection,
    organization_id: Option<&str>,
    person_id: &str,
    today: NaiveDate,
) -> QueryResult<Vec<(String, bool)>> {
    let c = SqlCaller {
        admin: false,
        organization: organization_id.unwrap_or(NOBODY).to_string(),
        person: person_id.to_string(),
        today,
        signed_in: true,
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
        .filter(crate::insider_of!(networks::id, c))
        .load(conn)
}

/// Networks: open by their visibility, or the caller is an insider (or an admin).
pub fn networks(reach: &Reach) -> Filter<networks::table> {
    let c = SqlCaller::of(reach);
    Box::new(
        c.admin
            .into_sql::<Bool>()
            .or(crate::open_level!(networks::visibility, c))
            .or(crate::insider_of!(networks::id, c)),
    )
}

/// Meetings (see [`meeting_visible!`]).
pub fn meetings(reach: &Reach) -> Filter<meetings::table> {
    let c = SqlCaller::of(reach);
    Box::new(crate::meeting_visible!(c))
}

/// Minutes (see [`minutes_visible!`]).
pub fn minutes(reach: &Reach) -> Filter<minutes::table> {
    let c = SqlCaller::of(reach);
    Box::new(crate::minutes_visible!(c))
}

/// Action items (see [`action_item_visible!`]).
pub fn action_items(reach: &Reach) -> Filter<action_items::table> {
    let c = SqlCaller::of(reach);
    Box::new(crate::action_item_visible!(c))
}

/// Themes: the network's insiders; others when both the theme and its network are open.
pub fn themes(reach: &Reach) -> Filter<themes::table> {
    let c = SqlCaller::of(reach);
    Box::new(
        c.admin
            .into_sql::<Bool>()
            .or(crate::insider_of!(themes::network_id, c))
            .or(crate::open_level!(themes::visibility, c)
                .and(crate::open_network!(themes::network_id, c))),
    )
}

/// Meeting series: as themes.
pub fn series(reach: &Reach) -> Filter<meeting_series::table> {
    let c = SqlCaller::of(reach);
    Box::new(
        c.admin
            .into_sql::<Bool>()
            .or(crate::insider_of!(meeting_series::network_id, c))
            .or(crate::open_level!(meeting_series::visibility, c)
                .and(crate::open_network!(meeting_series::network_id, c))),
    )
}

/// Supervisory dialogues (see [`dialogue_visible!`]).
pub fn dialogues(reach: &Reach) -> Filter<supervisory_dialogues::table> {
    let c = SqlCaller::of(reach);
    Box::new(crate::dialogue_visible!(c))
}

/// Whether the caller attends the row's meeting: a column for per-row decisions (who
/// sees the link to join).
pub fn attending(reach: &Reach) -> Filter<meetings::table> {
    let c = SqlCaller::of(reach);
    Box::new(exists(
        attendees::table
            .filter(attendees::meeting_id.eq(meetings::id))
            .filter(attendees::person_id.eq(c.person)),
    ))
}

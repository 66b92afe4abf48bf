//! The search as one statement: a `UNION ALL` of the five kinds, each read through its
//! own visibility filter from `policy::sql`, ranked in SQL, ordered by rank, then latest
//! change, then id, and cut at the page's end by a keyset on that order. Every part of
//! it is portable SQL (`LIKE`, `CASE`, `UNION ALL`), so both databases answer alike; its
//! shape depends only on the number of words (at most eight) and the kinds asked for.

use chrono::NaiveDateTime;
use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate,
};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};

use super::terms::Patterns;
use crate::db::schema::{action_items, meetings, minutes, supervisory_dialogues, themes};
use crate::db::{DbConnection, MultiBackend};
use crate::error::ApiResult;
use crate::policy::{self, Reach};

crate::text_enum! {
    /// What a search hit is.
    HitKind {
        /// A meeting.
        Meeting => "meeting",
        /// The minutes of a meeting.
        Minutes => "minutes",
        /// A theme.
        Theme => "theme",
        /// An action item handed out in minutes.
        ActionItem => "action_item",
        /// A supervisory dialogue.
        SupervisoryDialogue => "supervisory_dialogue",
    }
}

/// Where the previous page ended, in the search's order.
#[derive(Debug, Clone)]
pub struct After {
    /// Its rank.
    pub rank: i32,
    /// Its latest change.
    pub updated_at: NaiveDateTime,
    /// Its id.
    pub id: String,
}

/// A validated search.
#[derive(Debug, Clone)]
pub struct Search {
    /// The `LIKE` patterns of each searched stem.
    pub words: Vec<Patterns>,
    /// The kinds to search (all when none was asked for).
    pub kinds: Vec<HitKind>,
    /// Where the previous page ended.
    pub after: Option<After>,
    /// How many rows to fetch.
    pub fetch: i64,
}

type HitSql = (
    Text,
    Text,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Timestamp,
    Integer,
);

/// A row of the search, before its snippet is cut.
#[derive(Debug, Clone, Queryable)]
pub struct HitRow {
    /// What it is.
    pub kind: HitKind,
    /// Its id.
    pub id: String,
    /// Its title (for minutes, their meeting's).
    pub title: Option<String>,
    /// Its main text, as stored (for minutes, the sections as JSON).
    pub text: Option<String>,
    /// More text: a meeting's place, a theme's tags (JSON), a dialogue's lists (JSON,
    /// one per line).
    pub extra: Option<String>,
    /// The meeting it belongs to.
    pub meeting_id: Option<String>,
    /// The network it belongs to.
    pub network_id: Option<String>,
    /// Its latest change.
    pub updated_at: NaiveDateTime,
    /// How well it matched.
    pub rank: i32,
}

/// The rank of a row: the sum over the searched words of 4 when the word is a whole
/// word of the title, 3 when it begins one, 2 when it is a whole word of the rest, and 1
/// when it begins one (the row matched every word, so one of these holds).
#[derive(Debug, Clone)]
struct Rank<C> {
    terms: C,
    words: Vec<Patterns>,
}

impl<C> Expression for Rank<C> {
    type SqlType = Integer;
}

impl<C: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for Rank<C> {}

impl<C: SelectableExpression<QS>, QS> SelectableExpression<QS> for Rank<C> {}

impl<C> ValidGrouping<()> for Rank<C> {
    type IsAggregate = is_aggregate::No;
}

impl<C> QueryId for Rank<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for Rank<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql("(");
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                out.push_sql(" + ");
            }
            for (n, (pattern, score)) in [
                (&w.title_whole, "4"),
                (&w.title_prefix, "3"),
                (&w.whole, "2"),
            ]
            .into_iter()
            .enumerate()
            {
                out.push_sql(if n == 0 { "CASE WHEN " } else { " WHEN " });
                self.terms.walk_ast(out.reborrow())?;
                out.push_sql(" LIKE ");
                out.push_bind_param::<Text, String>(pattern)?;
                out.push_sql(" THEN ");
                out.push_sql(score);
            }
            out.push_sql(" ELSE 1 END");
        }
        out.push_sql(")");
        Ok(())
    }
}

/// One kind's `SELECT`.
type Branch = Box<dyn QueryFragment<MultiBackend> + Send>;

/// The five kinds' `SELECT`s as one statement, best first.
struct Statement {
    branches: Vec<Branch>,
    fetch: i64,
}

impl QueryId for Statement {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Statement {
    type SqlType = HitSql;
}

impl RunQueryDsl<DbConnection> for Statement {}

impl QueryFragment<MultiBackend> for Statement {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        for (i, branch) in self.branches.iter().enumerate() {
            if i > 0 {
                out.push_sql(" UNION ALL ");
            }
            branch.walk_ast(out.reborrow())?;
        }
        // By position: rank, updated_at, id (the columns of `HitSql`).
        out.push_sql(" ORDER BY 9 DESC, 8 DESC, 2 DESC LIMIT ");
        out.push_bind_param::<BigInt, i64>(&self.fetch)
    }
}

/// Adds to a kind's boxed `SELECT` of `$table` a predicate per word, and the keyset of
/// the page before; boxes it as a [`Branch`].
macro_rules! branch {
    ($table:ident, $query:expr, $search:expr) => {{
        let search: &Search = $search;
        let rank = rank($table::search_terms, search);
        let mut query = $query;
        for w in &search.words {
            query = query.filter($table::search_terms.like(w.prefix.clone()));
        }
        if let Some(a) = &search.after {
            query = query.filter(
                rank.clone().lt(a.rank).or(rank.eq(a.rank).and(
                    $table::updated_at.lt(a.updated_at).or($table::updated_at
                        .eq(a.updated_at)
                        .and($table::id.lt(a.id.clone()))),
                )),
            );
        }
        Box::new(query) as Branch
    }};
}

fn rank<C>(terms: C, search: &Search) -> Rank<C> {
    Rank {
        terms,
        words: search.words.clone(),
    }
}

fn none() -> diesel::dsl::AsExprOf<Option<String>, Nullable<Text>> {
    None::<String>.into_sql::<Nullable<Text>>()
}

fn meeting_branch(reach: &Reach, search: &Search) -> Branch {
    let query = meetings::table
        .into_boxed()
        .filter(policy::sql::meetings(reach))
        .filter(meetings::deleted_at.is_null())
        .select((
            HitKind::Meeting.into_sql::<Text>(),
            meetings::id,
            meetings::title.nullable(),
            meetings::description,
            meetings::location,
            none(),
            meetings::network_id,
            meetings::updated_at,
            rank(meetings::search_terms, search),
        ));
    branch!(meetings, query, search)
}

fn minutes_branch(reach: &Reach, search: &Search) -> Branch {
    let meeting = || meetings::table.filter(meetings::id.eq(minutes::meeting_id));
    let query = minutes::table
        .into_boxed()
        .filter(policy::sql::minutes(reach))
        .filter(diesel::dsl::exists(
            meeting().filter(meetings::deleted_at.is_null()),
        ))
        .select((
            HitKind::Minutes.into_sql::<Text>(),
            minutes::id,
            meeting().select(meetings::title).single_value(),
            minutes::sections.nullable(),
            none(),
            minutes::meeting_id.nullable(),
            meeting().select(meetings::network_id).single_value(),
            minutes::updated_at,
            rank(minutes::search_terms, search),
        ));
    branch!(minutes, query, search)
}

fn theme_branch(reach: &Reach, search: &Search) -> Branch {
    let query = themes::table
        .into_boxed()
        .filter(policy::sql::themes(reach))
        .filter(themes::deleted_at.is_null())
        .select((
            HitKind::Theme.into_sql::<Text>(),
            themes::id,
            themes::title.nullable(),
            themes::description,
            themes::tags.nullable(),
            themes::meeting_id,
            themes::network_id.nullable(),
            themes::updated_at,
            rank(themes::search_terms, search),
        ));
    branch!(themes, query, search)
}

fn action_item_branch(reach: &Reach, search: &Search) -> Branch {
    let query = action_items::table
        .into_boxed()
        .filter(policy::sql::action_items(reach))
        .filter(action_items::deleted_at.is_null())
        .select((
            HitKind::ActionItem.into_sql::<Text>(),
            action_items::id,
            action_items::title.nullable(),
            action_items::description,
            none(),
            action_items::meeting_id.nullable(),
            action_items::network_id,
            action_items::updated_at,
            rank(action_items::search_terms, search),
        ));
    branch!(action_items, query, search)
}

fn dialogue_branch(reach: &Reach, search: &Search) -> Branch {
    use supervisory_dialogues as d;
    let lists = d::focus_questions
        .concat("\n")
        .concat(d::lessons_learned)
        .concat("\n")
        .concat(d::recommendations);
    let query = d::table
        .into_boxed()
        .filter(policy::sql::dialogues(reach))
        .filter(d::deleted_at.is_null())
        .select((
            HitKind::SupervisoryDialogue.into_sql::<Text>(),
            d::id,
            d::title.nullable(),
            d::supervision_name.nullable(),
            lists.nullable(),
            none(),
            none(),
            d::updated_at,
            rank(d::search_terms, search),
        ));
    branch!(supervisory_dialogues, query, search)
}

/// The rows of one page of the search (`fetch` of them at most), best first, of what
/// the caller may see: one statement.
pub fn run(conn: &mut DbConnection, reach: &Reach, search: &Search) -> ApiResult<Vec<HitRow>> {
    let kinds: &[HitKind] = if search.kinds.is_empty() {
        HitKind::ALL
    } else {
        &search.kinds
    };
    let branches = kinds
        .iter()
        .map(|kind| match kind {
            HitKind::Meeting => meeting_branch(reach, search),
            HitKind::Minutes => minutes_branch(reach, search),
            HitKind::Theme => theme_branch(reach, search),
            HitKind::ActionItem => action_item_branch(reach, search),
            HitKind::SupervisoryDialogue => dialogue_branch(reach, search),
        })
        .collect();
    let statement = Statement {
        branches,
        fetch: search.fetch,
    };
    Ok(statement.load(conn)?)
}

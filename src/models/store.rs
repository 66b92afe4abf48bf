//! How resources are stored, in the terms the conventions kit works with: a resource
//! found by id through the caller's visibility ([`Stored`]), deleted by its stewards
//! ([`Deletable`]), and the items of a versioned sub-collection (the members of a
//! network, the agenda of a meeting, the findings of a dialogue: [`ItemStore`]). Every
//! write to a sub-collection locks the parent's row first, so writes to one collection
//! take turns, and moves the parent's version, so that sync clients see the parent
//! changed.

use crate::db::{DbConnection, Versioned};
use crate::error::ApiResult;
use crate::pagination::{Page, Slice};
use crate::policy::{Governed, Managed, Reach};

/// A resource that callers find by id.
pub trait Stored: Governed + Versioned + Sized + Send + 'static {
    /// What a `GET` serves: the row with what is loaded beside it.
    type Shown: Versioned + Send + 'static;

    /// The row, if the caller may see it (404 otherwise); `lock` locks its row for a
    /// write that follows in the same transaction.
    fn find(conn: &mut DbConnection, reach: &Reach, id: &str, lock: bool) -> ApiResult<Self>;

    /// What a `GET` of it serves, if the caller may see it.
    fn show(conn: &mut DbConnection, reach: &Reach, id: &str) -> ApiResult<Self::Shown>;
}

/// A resource that its stewards delete.
pub trait Deletable: Stored {
    /// Its type in the audit trail (`network`).
    const KIND: &'static str;
    /// The audit action of a delete, after the type (`network.delete`).
    const DELETED: &'static str = "delete";

    /// Deletes it (sync clients see a tombstone where the resource has them).
    fn delete(conn: &mut DbConnection, row: &Managed<Self>) -> ApiResult<()>;
}

/// Which items of a collection a query is for.
#[derive(Debug, Clone, Copy)]
pub enum Pick<'a> {
    /// All of them (a bulk replace, a document).
    All,
    /// The one with this key.
    One(&'a str),
    /// One page.
    Page(&'a Slice),
}

/// The storage of one kind of sub-collection.
pub trait ItemStore: 'static {
    /// The row the items belong to.
    type Parent: Stored;
    /// An item, with what is served of it.
    type Item: Versioned + Send + 'static;
    /// A new item, validated.
    type New: Send + 'static;
    /// A change to an item, validated.
    type Change: Send + 'static;

    /// The parent, if the caller may see it (404 otherwise); `lock` locks its row for a
    /// write that follows in the same transaction.
    fn parent(
        conn: &mut DbConnection,
        reach: &Reach,
        id: &str,
        lock: bool,
    ) -> ApiResult<Self::Parent> {
        Self::Parent::find(conn, reach, id, lock)
    }

    /// One page of the items, in the collection's order.
    fn items(
        conn: &mut DbConnection,
        parent: &Self::Parent,
        slice: &Slice,
    ) -> ApiResult<Page<Self::Item>>;

    /// One item (404 if it is not the parent's).
    fn item(conn: &mut DbConnection, parent: &Self::Parent, id: &str) -> ApiResult<Self::Item>;

    /// Adds an item (checking what it refers to).
    fn add(
        conn: &mut DbConnection,
        parent: &Managed<Self::Parent>,
        new: Self::New,
    ) -> ApiResult<Self::Item>;

    /// Changes an item if it is still at its version.
    fn change(
        conn: &mut DbConnection,
        parent: &Managed<Self::Parent>,
        item: &Self::Item,
        change: Self::Change,
    ) -> ApiResult<Self::Item>;

    /// Removes an item if it is still at its version.
    fn remove(
        conn: &mut DbConnection,
        parent: &Managed<Self::Parent>,
        item: &Self::Item,
    ) -> ApiResult<()>;
}

/// One page of the rows of `$table` whose `$parent` column is `$parent_id`, in id order
/// (ids are time-ordered, so this is the order they were added in).
#[macro_export]
macro_rules! items_by_id {
    ($conn:expr, $table:ident, $parent:ident = $parent_id:expr, $row:ty, $slice:expr) => {{
        use diesel::prelude::*;
        let slice: &$crate::pagination::Slice = $slice;
        let mut query = $crate::db::schema::$table::table
            .filter($crate::db::schema::$table::$parent.eq($parent_id.to_string()))
            .select(<$row>::as_select())
            .order($crate::db::schema::$table::id.asc())
            .limit(slice.fetch())
            .into_boxed();
        if let Some([after]) = slice.after::<1>()? {
            query = query.filter($crate::db::schema::$table::id.gt(after));
        }
        let rows: Vec<$row> = query.load($conn)?;
        Ok(slice.page(rows, |row: &$row| vec![row.id.clone()]))
    }};
}

/// Implements [`Stored`] for a row served as it is, found with `$find(conn, reach, id,
/// lock)`, or (`by_id`) with `$find(conn, id)` and `$locked(conn, id)` for rows every
/// signed-in caller sees; and [`Deletable`] with `$kind`, deleted with `$delete(conn, row)`.
#[macro_export]
macro_rules! stored {
    ($row:ty, find = $find:path $(, $($rest:tt)*)?) => {
        impl $crate::models::store::Stored for $row {
            type Shown = Self;
            fn find(
                conn: &mut $crate::db::DbConnection,
                reach: &$crate::policy::Reach,
                id: &str,
                lock: bool,
            ) -> $crate::error::ApiResult<Self> {
                $find(conn, reach, id, lock)
            }
            fn show(
                conn: &mut $crate::db::DbConnection,
                reach: &$crate::policy::Reach,
                id: &str,
            ) -> $crate::error::ApiResult<Self> {
                $find(conn, reach, id, false)
            }
        }
        $crate::stored!(@delete $row $(, $($rest)*)?);
    };
    ($row:ty, by_id = ($find:path, $locked:path) $(, $($rest:tt)*)?) => {
        impl $crate::models::store::Stored for $row {
            type Shown = Self;
            fn find(
                conn: &mut $crate::db::DbConnection,
                _reach: &$crate::policy::Reach,
                id: &str,
                lock: bool,
            ) -> $crate::error::ApiResult<Self> {
                if lock { $locked(conn, id) } else { $find(conn, id) }
            }
            fn show(
                conn: &mut $crate::db::DbConnection,
                _reach: &$crate::policy::Reach,
                id: &str,
            ) -> $crate::error::ApiResult<Self> {
                $find(conn, id)
            }
        }
        $crate::stored!(@delete $row $(, $($rest)*)?);
    };
    (@delete $row:ty) => {};
    (@delete $row:ty, delete = ($kind:literal, $delete:path)) => {
        impl $crate::models::store::Deletable for $row {
            const KIND: &'static str = $kind;
            fn delete(
                conn: &mut $crate::db::DbConnection,
                row: &$crate::policy::Managed<Self>,
            ) -> $crate::error::ApiResult<()> {
                $delete(conn, row)
            }
        }
    };
}

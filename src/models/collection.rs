//! How a versioned sub-collection (the members of a network, the agenda of a meeting,
//! the findings of a dialogue) is stored. Every write locks the parent's row first, so
//! writes to one collection take turns, and moves the parent's version, so that sync
//! clients see the parent changed.

use crate::db::{DbConnection, Versioned};
use crate::error::ApiResult;
use crate::policy::{Governed, Managed, Reach};

/// The storage of one kind of sub-collection.
pub trait ItemStore: 'static {
    /// The row the items belong to.
    type Parent: Governed + Versioned + Send + 'static;
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
    ) -> ApiResult<Self::Parent>;

    /// Every item, in the collection's order.
    fn items(conn: &mut DbConnection, parent: &Self::Parent) -> ApiResult<Vec<Self::Item>>;

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

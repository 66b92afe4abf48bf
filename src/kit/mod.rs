//! The conventions every resource follows, written once: preconditions, idempotency,
//! request parsing, lists and sub-collections.

pub mod body;
pub mod idempotency;
pub mod precondition;
pub mod query;

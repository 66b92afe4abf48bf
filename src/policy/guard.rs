//! The guards the policy hands out: a row together with the right to do one thing with
//! it. Their constructor is visible to the policy module only, so nothing else can make
//! one.

use std::marker::PhantomData;

/// The kinds of right a [`Permitted`] guard carries.
pub mod right {
    /// Change everything.
    #[derive(Debug)]
    pub struct Manage;
    /// Change only the status (the assignee).
    #[derive(Debug)]
    pub struct ChangeStatus;
    /// Edit or withdraw an open proposal (the proposer).
    #[derive(Debug)]
    pub struct EditProposal;
    /// Propose in a network.
    #[derive(Debug)]
    pub struct Propose;
    /// Support on behalf of one's organization.
    #[derive(Debug)]
    pub struct Support;
    /// Approve (justera).
    #[derive(Debug)]
    pub struct Approve;
    /// Answer a request on behalf of the organization asked.
    #[derive(Debug)]
    pub struct Answer;
    /// Change one's own name and password.
    #[derive(Debug)]
    pub struct EditSelf;
}

/// A row together with the right to do `R` with it. Only this module grants one.
#[derive(Debug)]
pub struct Permitted<T, R> {
    row: T,
    right: PhantomData<R>,
}

/// The right to change everything about the row.
pub type Managed<T> = Permitted<T, right::Manage>;

impl<T, R> Permitted<T, R> {
    pub(super) fn grant(row: T) -> Self {
        Self {
            row,
            right: PhantomData,
        }
    }

    /// The row.
    pub fn into_inner(self) -> T {
        self.row
    }
}

impl<T, R> std::ops::Deref for Permitted<T, R> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.row
    }
}

/// What the caller may change of an assigned resource.
#[derive(Debug)]
pub enum StatusRight<T> {
    /// Everything: they manage it.
    Manage(Managed<T>),
    /// Only the status: it is assigned to them.
    Assignee(Permitted<T, right::ChangeStatus>),
}

/// What the caller may change of a proposal.
#[derive(Debug)]
pub enum ProposalRight<T> {
    /// Everything: they manage it.
    Manage(Managed<T>),
    /// The text, while it is open: they proposed it.
    Proposer(Permitted<T, right::EditProposal>),
}

impl<T> ProposalRight<T> {
    /// The row the right is about.
    pub fn theme(&self) -> &T {
        match self {
            Self::Manage(g) => g,
            Self::Proposer(g) => g,
        }
    }

    /// Whether the caller may change more than the text (status, visibility, reasons).
    pub fn full(&self) -> bool {
        matches!(self, Self::Manage(_))
    }
}

impl<T> StatusRight<T> {
    /// The row the right is about.
    pub fn row(&self) -> &T {
        match self {
            Self::Manage(g) => g,
            Self::Assignee(g) => g,
        }
    }

    /// Whether the caller may change more than the status.
    pub fn full(&self) -> bool {
        matches!(self, Self::Manage(_))
    }
}

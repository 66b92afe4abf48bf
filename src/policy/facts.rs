//! What the policy knows of the rows it decides about: a few facts (a meeting's networks,
//! an organization's kind) and small traits the models implement (who stewards a row,
//! who it is assigned to, who proposed it), so that the models depend on the policy and
//! not the other way round.

/// What the policy needs to know of a meeting to decide about it.
#[derive(Debug, Clone, Copy)]
pub struct MeetingFacts<'a> {
    pub network_id: Option<&'a str>,
    /// The other networks holding it together with `network_id`.
    pub co_host_network_ids: &'a [String],
    pub organizer_organization_id: Option<&'a str>,
    /// The caller is on its attendee list.
    pub attending: bool,
}

/// What the policy needs to know of an organization that would supervise.
#[derive(Debug, Clone, Copy)]
pub struct SupervisoryFacts<'a> {
    pub id: &'a str,
    /// Its kind is `supervisory_authority`.
    pub supervisory_authority: bool,
}

/// Who manages a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steward<'a> {
    /// The coordinators of this network.
    Network(&'a str),
    /// The coordinators of any of these networks: a meeting's network and the networks
    /// co-hosting it.
    Networks {
        host: &'a str,
        co_hosts: &'a [String],
    },
    /// The users of this organization (`None`: nobody but admins).
    Organization(Option<&'a str>),
    /// A person: they themself (their user account) and the users of their organization.
    Person {
        user_id: Option<&'a str>,
        organization_id: Option<&'a str>,
    },
    /// Admins only.
    Admins,
}

impl Steward<'_> {
    pub(super) fn refusal(&self) -> &'static str {
        match self {
            Steward::Network(_) => "only the network's coordinators (and admins) may do this",
            Steward::Networks { .. } => {
                "only the coordinators of the networks holding it (and admins) may do this"
            }
            Steward::Organization(_) => {
                "only users of the responsible organization (and admins) may do this"
            }
            Steward::Person { .. } => {
                "only admins, the person's organization and the person may change them"
            }
            Steward::Admins => "only admins may do this",
        }
    }
}

/// A resource with stewards.
pub trait Governed {
    /// Who manages it.
    fn steward(&self) -> Steward<'_>;

    /// Who may delete it: its stewards, unless it belongs to fewer of them (a co-hosted
    /// meeting is its host network's to delete).
    fn owner(&self) -> Steward<'_> {
        self.steward()
    }
}

/// A resource assigned to a person, who may change its status.
pub trait Assigned: Governed {
    /// The person it is assigned to.
    fn assignee(&self) -> Option<&str>;
}

/// A proposal, which its proposer may edit while it is open.
pub trait Proposal: Governed {
    /// The person who proposed it.
    fn proposer(&self) -> Option<&str>;
    /// Whether it is still a proposal (not yet taken up by the coordinators).
    fn open(&self) -> bool;
}

/// Something of one user account (the account itself), which that user may change.
pub trait Personal {
    /// The user account it belongs to.
    fn user_id(&self) -> Option<&str>;
}

/// Something approved by named people.
pub trait Approvable {
    /// The people who approve it.
    fn approvers(&self) -> &[String];
}

//! Meetings held by several networks. A meeting's `co_host_network_ids` is the list as
//! written (shown in the meeting, in order); `meeting_co_hosts` holds the same list as
//! rows, which the visibility subqueries (`policy::sql`) and a network's lists
//! ([`held_by!`]) read. The two are written together, by the meeting's writes only.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::meeting_co_hosts;
use crate::error::ApiResult;

/// The row's meeting (`$meeting`, a meeting id column; `$host`, its network column) is
/// one `$network` holds: its own, or one it co-hosts. What a network's lists show.
#[macro_export]
macro_rules! held_by {
    ($meeting:expr, $host:expr, $network:expr) => {{
        use $crate::db::schema::meeting_co_hosts;
        $host
            .assume_not_null()
            .eq($network.clone())
            .or($meeting.eq_any(
                meeting_co_hosts::table
                    .filter(meeting_co_hosts::network_id.eq($network.clone()))
                    .select(meeting_co_hosts::meeting_id),
            ))
    }};
}

/// Makes the rows of `meeting_co_hosts` follow the meeting's list (`before` → `after`),
/// in the caller's transaction. Called by the meeting's insert and update only, which
/// write the list in the same transaction.
pub(super) fn set(
    conn: &mut DbConnection,
    meeting_id: &str,
    before: &[String],
    after: &[String],
) -> ApiResult<()> {
    let gone: Vec<&String> = before.iter().filter(|n| !after.contains(n)).collect();
    if !gone.is_empty() {
        diesel::delete(
            meeting_co_hosts::table
                .filter(meeting_co_hosts::meeting_id.eq(meeting_id))
                .filter(meeting_co_hosts::network_id.eq_any(gone)),
        )
        .execute(conn)?;
    }
    for network in after.iter().filter(|n| !before.contains(n)) {
        diesel::insert_into(meeting_co_hosts::table)
            .values((
                meeting_co_hosts::meeting_id.eq(meeting_id),
                meeting_co_hosts::network_id.eq(network),
            ))
            .execute(conn)?;
    }
    Ok(())
}

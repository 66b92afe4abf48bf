//! The common table expressions that name what is exported: the ids of each kind of
//! record (`org`, `per`, `net`, …), for the whole record or for one network.

/// A meeting its series planned is left to the series, which plans it again on import,
/// unless it carries something of its own: someone changed it (its version moved), it
/// has minutes, an agenda, attendees or a theme, or its series is not exported.
const MEETING_KEPT: &str = "(NOT m.generated_by_series OR m.version > 1 \
    OR m.series_id IS NULL OR m.series_id NOT IN (SELECT id FROM ser) \
    OR EXISTS (SELECT 1 FROM minutes x WHERE x.meeting_id = m.id) \
    OR EXISTS (SELECT 1 FROM agenda_items x WHERE x.meeting_id = m.id) \
    OR EXISTS (SELECT 1 FROM attendees x WHERE x.meeting_id = m.id) \
    OR EXISTS (SELECT 1 FROM themes x WHERE x.meeting_id = m.id \
        AND x.id IN (SELECT id FROM thm)))";

/// The sets of series, themes, meetings, agenda items and minutes, given `net`.
const NETWORK_PARTS: &str = "\
ser(id) AS (SELECT id FROM meeting_series WHERE deleted_at IS NULL \
    AND network_id IN (SELECT id FROM net) \
    AND id IN (SELECT series_id FROM series_timeline)), \
thm(id) AS (SELECT id FROM themes WHERE deleted_at IS NULL \
    AND network_id IN (SELECT id FROM net)), ";

/// Organizations in parent-first levels: `depth` 0 for those whose parent is not
/// exported, one more than the parent's otherwise. Given `org_chosen`.
const ORGANIZATION_TREE: &str = "\
org(id, depth) AS (\
    SELECT o.id, 0 FROM organizations o WHERE o.id IN (SELECT id FROM org_chosen) \
        AND NOT EXISTS (SELECT 1 FROM org_chosen p WHERE p.id = o.parent_id) \
    UNION ALL \
    SELECT o.id, org.depth + 1 FROM organizations o JOIN org ON o.parent_id = org.id \
        WHERE o.id IN (SELECT id FROM org_chosen))";

/// The ids of minutes' people lists (`recorded_by`, `approvers`: JSON arrays of ids).
fn minutes_people(pg: bool, column: &str) -> String {
    if pg {
        format!(
            "SELECT jsonb_array_elements_text(CAST(mi.{column} AS jsonb)) FROM minutes mi \
             WHERE mi.meeting_id IN (SELECT id FROM mtg)"
        )
    } else {
        format!(
            "SELECT j.value FROM minutes mi, json_each(mi.{column}) j \
             WHERE mi.meeting_id IN (SELECT id FROM mtg)"
        )
    }
}

/// The meetings, their agenda items, and those with minutes, given `net`, `ser`, `thm`.
fn meeting_sets(network_condition: &str) -> String {
    format!(
        "mtg(id) AS (SELECT m.id FROM meetings m WHERE m.deleted_at IS NULL \
            AND {network_condition} AND {MEETING_KEPT}), \
        agi(id) AS (SELECT id FROM agenda_items WHERE meeting_id IN (SELECT id FROM mtg)), \
        mnt(id) AS (SELECT meeting_id FROM minutes WHERE meeting_id IN (SELECT id FROM mtg)), "
    )
}

/// Everything that is not deleted (and whose required references are exported).
pub(super) fn whole_prefix() -> String {
    format!(
        "WITH RECURSIVE \
        org_chosen(id) AS (SELECT id FROM organizations WHERE deleted_at IS NULL), \
        {ORGANIZATION_TREE}, \
        per(id) AS (SELECT id FROM people WHERE deleted_at IS NULL), \
        usr(id) AS (SELECT id FROM users WHERE person_id IN (SELECT id FROM per)), \
        net(id) AS (SELECT id FROM networks WHERE deleted_at IS NULL \
            AND owner_organization_id IN (SELECT id FROM org)), \
        {NETWORK_PARTS}{meetings}\
        dlg(id) AS (SELECT id FROM supervisory_dialogues WHERE deleted_at IS NULL \
            AND supervising_organization_id IN (SELECT id FROM org))",
        meetings = meeting_sets("(m.network_id IS NULL OR m.network_id IN (SELECT id FROM net))"),
    )
}

/// One network, its parts, and the people and organizations they name (with the
/// organizations' parents).
pub(super) fn network_prefix(pg: bool, network: &str) -> String {
    let action_meetings = "SELECT meeting_id FROM minutes WHERE meeting_id IN (SELECT id FROM mtg)";
    let minutes_ids = "SELECT id FROM minutes WHERE meeting_id IN (SELECT id FROM mtg)";
    format!(
        "WITH RECURSIVE \
        net(id) AS (SELECT id FROM networks WHERE id = {network} AND deleted_at IS NULL \
            AND owner_organization_id IN \
                (SELECT id FROM organizations WHERE deleted_at IS NULL)), \
        {NETWORK_PARTS}{meetings}\
        per(id) AS (SELECT id FROM people WHERE deleted_at IS NULL AND id IN (\
            SELECT contact_person_id FROM networks WHERE id IN (SELECT id FROM net) \
            UNION SELECT person_id FROM network_participants \
                WHERE network_id IN (SELECT id FROM net) \
            UNION SELECT person_id FROM attendees WHERE meeting_id IN (SELECT id FROM mtg) \
            UNION SELECT presenter_person_id FROM agenda_items \
                WHERE meeting_id IN (SELECT id FROM mtg) \
            UNION SELECT owner_person_id FROM action_items WHERE deleted_at IS NULL \
                AND meeting_id IN ({action_meetings}) \
            UNION SELECT person_id FROM minutes_approvals WHERE minutes_id IN ({minutes_ids}) \
            UNION SELECT changed_by FROM minutes_amendments \
                WHERE minutes_id IN ({minutes_ids}) \
            UNION {recorded_by} \
            UNION {approvers} \
            UNION SELECT proposed_by_person_id FROM themes WHERE id IN (SELECT id FROM thm))), \
        org_up(id) AS (\
            SELECT owner_organization_id FROM networks WHERE id IN (SELECT id FROM net) \
            UNION SELECT organization_id FROM network_members \
                WHERE network_id IN (SELECT id FROM net) \
            UNION SELECT on_behalf_of_organization_id FROM network_participants \
                WHERE network_id IN (SELECT id FROM net) \
            UNION SELECT organization_id FROM people WHERE id IN (SELECT id FROM per) \
            UNION SELECT organizer_organization_id FROM meetings \
                WHERE id IN (SELECT id FROM mtg) \
            UNION SELECT organization_id FROM attendees \
                WHERE meeting_id IN (SELECT id FROM mtg) \
            UNION SELECT owner_organization_id FROM action_items WHERE deleted_at IS NULL \
                AND meeting_id IN ({action_meetings}) \
            UNION SELECT proposed_by_organization_id FROM themes \
                WHERE id IN (SELECT id FROM thm) \
            UNION SELECT organization_id FROM theme_supporters \
                WHERE theme_id IN (SELECT id FROM thm) \
            UNION SELECT o.parent_id FROM organizations o JOIN org_up ON o.id = org_up.id \
                WHERE o.deleted_at IS NULL), \
        org_chosen(id) AS (SELECT id FROM organizations WHERE deleted_at IS NULL \
            AND id IN (SELECT id FROM org_up)), \
        {ORGANIZATION_TREE}",
        meetings = meeting_sets("m.network_id IN (SELECT id FROM net)"),
        recorded_by = minutes_people(pg, "recorded_by"),
        approvers = minutes_people(pg, "approvers"),
    )
}

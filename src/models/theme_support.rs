//! Who supports a theme: organizations, once each, counted on the theme (`support_count`,
//! which orders the list by support).

use diesel::prelude::*;

use crate::db::schema::{theme_supporters, themes};
use crate::db::{DbConnection, now};
use crate::error::{ApiError, ApiResult};
use crate::models::theme::{Theme, advance};
use crate::policy::{Managed, Permitted, right};

/// Makes the theme's supporters exactly these organizations (an import: who supported
/// it is known, not who of them clicked), keeping those that stay.
pub fn set_supporters(
    conn: &mut DbConnection,
    theme: &Managed<Theme>,
    organization_ids: &[String],
) -> ApiResult<Theme> {
    let existing: Vec<String> = theme_supporters::table
        .filter(theme_supporters::theme_id.eq(&theme.id))
        .select(theme_supporters::organization_id)
        .load(conn)?;
    let gone: Vec<&String> = existing
        .iter()
        .filter(|o| !organization_ids.contains(o))
        .collect();
    let new: Vec<&String> = organization_ids
        .iter()
        .filter(|o| !existing.contains(o))
        .collect();
    if gone.is_empty() && new.is_empty() {
        return Ok((**theme).clone());
    }
    for org in gone {
        diesel::delete(
            theme_supporters::table
                .filter(theme_supporters::theme_id.eq(&theme.id))
                .filter(theme_supporters::organization_id.eq(org)),
        )
        .execute(conn)?;
    }
    for org in new {
        crate::models::organization::require_live(conn, org, "supporters")?;
        diesel::insert_into(theme_supporters::table)
            .values((
                theme_supporters::theme_id.eq(&theme.id),
                theme_supporters::organization_id.eq(org),
                theme_supporters::person_id.eq(None::<String>),
                theme_supporters::created_at.eq(now()),
            ))
            .execute(conn)?;
    }
    recount(conn, theme)
}

fn recount(conn: &mut DbConnection, theme: &Theme) -> ApiResult<Theme> {
    let count: i64 = theme_supporters::table
        .filter(theme_supporters::theme_id.eq(&theme.id))
        .count()
        .get_result(conn)?;
    advance(conn, theme, themes::support_count.eq(count as i32))
}

/// An organization supports the theme; 409 if it does already.
pub fn support(
    conn: &mut DbConnection,
    theme: &Permitted<Theme, right::Support>,
    organization_id: &str,
    person_id: &str,
) -> ApiResult<Theme> {
    let exists: i64 = theme_supporters::table
        .filter(theme_supporters::theme_id.eq(&theme.id))
        .filter(theme_supporters::organization_id.eq(organization_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(ApiError::conflict(
            "your organization supports this theme already",
        ));
    }
    diesel::insert_into(theme_supporters::table)
        .values((
            theme_supporters::theme_id.eq(&theme.id),
            theme_supporters::organization_id.eq(organization_id),
            theme_supporters::person_id.eq(person_id),
            theme_supporters::created_at.eq(now()),
        ))
        .execute(conn)?;
    recount(conn, theme)
}

/// An organization withdraws its support; 404 if it gave none.
pub fn unsupport(
    conn: &mut DbConnection,
    theme: &Permitted<Theme, right::Support>,
    organization_id: &str,
) -> ApiResult<Theme> {
    let removed = diesel::delete(
        theme_supporters::table
            .filter(theme_supporters::theme_id.eq(&theme.id))
            .filter(theme_supporters::organization_id.eq(organization_id)),
    )
    .execute(conn)?;
    if removed == 0 {
        return Err(
            ApiError::not_found().with_detail("your organization does not support this theme")
        );
    }
    recount(conn, theme)
}

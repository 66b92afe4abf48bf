//! Organizations, people and users: matched by key, by id (an export of this database
//! imported back) or by email, and written through the models under the importer's
//! admin reach.

use super::apply::Seen;
use super::format::{OrganizationRecord, PersonRecord, UserRecord};
use super::import::{Importer, Record, fingerprint};
use crate::db::DbConnection;
use crate::error::Validator;
use crate::models::{organization, person, user};
use crate::validation;

impl Record for OrganizationRecord {
    fn apply(self, imp: &mut Importer, conn: &mut DbConnection, at: &str) {
        let print = fingerprint(&self);
        let Some(seen) = imp.seen(conn, "organization", &self.key, at, &print) else {
            return;
        };
        if let Seen::Same(id) = &seen {
            imp.book(
                conn,
                "organization",
                &self.key,
                at,
                &print,
                &seen,
                |_, _| Ok(Some(id.clone())),
            );
            return;
        }
        let parent = imp.opt_id(
            conn,
            "organization",
            self.parent.as_deref(),
            &format!("{at}.parent"),
        );
        let key = self.key.clone();
        imp.book(
            conn,
            "organization",
            &key,
            at,
            &print,
            &seen,
            |imp, conn| {
                let mut fields = organization::OrganizationFields {
                    name: self.name,
                    short_name: self.short_name,
                    kind: organization::OrganizationKind::Other,
                    parent_id: None,
                    organization_number: self.organization_number,
                    municipality_code: self.municipality_code,
                    website: self.website,
                    email: self.email,
                };
                if let Err(e) =
                    crate::routes::organizations::validate(&mut fields, Some(&self.kind), None)
                {
                    imp.fail(at, e);
                    return Ok(None);
                }
                let Some(parent) = parent else {
                    return Ok(None);
                };
                fields.parent_id = parent;
                let org = match &seen {
                    Seen::Changed(id) => {
                        let current = imp.reach.manage(organization::find_for_write(conn, id)?)?;
                        if organization::OrganizationFields::of(&current) == fields {
                            return Ok(Some(id.clone()));
                        }
                        imp.wrote = true;
                        organization::update(conn, &current, fields)?
                    }
                    _ => organization::create(conn, fields)?,
                };
                Ok(Some(org.id))
            },
        );
    }
}

impl Record for PersonRecord {
    fn apply(self, imp: &mut Importer, conn: &mut DbConnection, at: &str) {
        let print = fingerprint(&self);
        let natural = match self
            .email
            .as_deref()
            .map(|e| person::find_by_email(conn, e))
        {
            Some(Ok(found)) => found.map(|p| p.id),
            Some(Err(e)) => {
                imp.fail(at, e);
                return;
            }
            None => None,
        };
        let Some(seen) = imp.seen_as(conn, "person", &self.key, at, &print, natural) else {
            return;
        };
        if let Seen::Same(id) = &seen {
            imp.book(conn, "person", &self.key, at, &print, &seen, |_, _| {
                Ok(Some(id.clone()))
            });
            return;
        }
        let org = imp.opt_id(
            conn,
            "organization",
            self.organization.as_deref(),
            &format!("{at}.organization"),
        );
        let key = self.key.clone();
        imp.book(conn, "person", &key, at, &print, &seen, |imp, conn| {
            let Some(organization_id) = org else {
                return Ok(None);
            };
            let mut fields = person::PersonFields {
                name: self.name,
                email: self.email,
                phone: self.phone,
                title: self.title,
                organization_id,
            };
            if let Err(e) = crate::routes::people::validate(&mut fields) {
                imp.fail(at, e);
                return Ok(None);
            }
            let row = match &seen {
                Seen::Changed(id) => {
                    let current = imp.reach.manage(person::find_for_write(conn, id)?)?;
                    let mut stored = person::PersonFields::of(&current);
                    stored.email = stored.email.map(|e| e.to_lowercase());
                    let mut given = fields.clone();
                    given.email = given.email.map(|e| e.to_lowercase());
                    if stored == given {
                        return Ok(Some(id.clone()));
                    }
                    imp.wrote = true;
                    person::update(conn, &current, fields)?
                }
                _ => person::create_contact(conn, fields)?,
            };
            Ok(Some(row.id))
        });
    }
}

/// The password hash of an imported account: no password verifies against it (it is
/// not a PHC string), so the account signs in once an admin sets a password.
const NO_PASSWORD: &str = "!imported";

impl Record for UserRecord {
    fn apply(self, imp: &mut Importer, conn: &mut DbConnection, at: &str) {
        let print = fingerprint(&self);
        let natural = match user::find_by_email(conn, &self.email) {
            Ok(found) => found.map(|u| u.id),
            Err(e) => {
                imp.fail(at, e);
                return;
            }
        };
        let Some(seen) = imp.seen_as(conn, "user", &self.key, at, &print, natural) else {
            return;
        };
        if let Seen::Same(id) = &seen {
            imp.book(conn, "user", &self.key, at, &print, &seen, |_, _| {
                Ok(Some(id.clone()))
            });
            return;
        }
        let org = imp.opt_id(
            conn,
            "organization",
            self.organization.as_deref(),
            &format!("{at}.organization"),
        );
        let person = imp.id_of(conn, "person", &self.person, &format!("{at}.person"));
        let key = self.key.clone();
        imp.book(conn, "user", &key, at, &print, &seen, |imp, conn| {
            let mut v = Validator::new();
            let email = crate::routes::users::check_email(&mut v, &self.email);
            let display_name = validation::text(&mut v, "display_name", &self.display_name, 1, 200);
            let role =
                crate::routes::users::parse_role(&mut v, self.role.as_deref().unwrap_or("user"));
            if !imp.checked(at, &mut v) {
                return Ok(None);
            }
            let (Some(organization_id), Some(person_id)) = (org, person) else {
                return Ok(None);
            };
            let active = self.active.unwrap_or(true);
            let row = match &seen {
                Seen::Changed(id) => {
                    let current = imp.reach.manage(user::find_for_write(conn, id)?)?;
                    if current.email == email
                        && current.display_name == display_name
                        && current.role == role
                        && current.organization_id == organization_id
                        && current.active == active
                    {
                        return Ok(Some(id.clone()));
                    }
                    imp.wrote = true;
                    let changes = user::UserChanges {
                        email: Some(email),
                        display_name: Some(display_name),
                        role: Some(role),
                        organization_id: Some(organization_id),
                        active: Some(active),
                        password_hash: None,
                    };
                    crate::models::account::update(conn, &current, changes)?
                }
                _ => {
                    let created = user::create(
                        conn,
                        user::NewUser {
                            email,
                            display_name,
                            role,
                            organization_id,
                            person_id: Some(person_id),
                            password_hash: NO_PASSWORD.to_string(),
                        },
                    )?;
                    if !active {
                        let current = imp.reach.manage(user::find_for_write(conn, &created.id)?)?;
                        crate::models::account::deactivate(conn, &current)?;
                    }
                    created
                }
            };
            Ok(Some(row.id))
        });
    }
}

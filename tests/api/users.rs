//! Users (admin): every route refuses non-admins, nobody raises their own role, every
//! user has a person, accounts are deactivated rather than removed.

use crate::common;

use common::PASSWORD;
use serde_json::json;

db_test! {
    async fn non_admins_get_403_on_every_users_route(app) {
        let org = app.organization("Lerums kommun", "municipality").await;
        let (me, token) = app.user("maria@lerum.se", Some(&org)).await;
        let my_id = me["id"].as_str().unwrap();
        let routes = [
            app.get("/api/v1/users").token(&token),
            app.post("/api/v1/users").token(&token).json(json!({"email": "x@lerum.se", "display_name": "X", "password": PASSWORD})),
            app.get(&format!("/api/v1/users/{my_id}")).token(&token),
            app.patch(&format!("/api/v1/users/{my_id}")).token(&token).json(json!({"role": "admin"})),
            app.delete(&format!("/api/v1/users/{my_id}")).token(&token),
            app.get("/api/v1/audit-events").token(&token),
        ];
        for req in routes {
            req.send().await.expect(403);
        }
        // Nor through /me: role is not a field one may change about oneself.
        let res = app.patch("/api/v1/me").token(&token).json(json!({"role": "admin"})).send().await.expect(422);
        assert_eq!(res.fields(), ["role"]);
        let me = app.get("/api/v1/me").token(&token).send().await.expect(200);
        assert_eq!(me.json["role"], "user");
        // And anonymous callers are 401 everywhere.
        app.get("/api/v1/users").send().await.expect(401);
        app.get(&format!("/api/v1/users/{my_id}")).send().await.expect(401);
    }
}

db_test! {
    async fn admins_create_users_with_a_person_record(app) {
        let org = app.organization("Partille kommun", "municipality").await;
        let res = app.post("/api/v1/users").token(&app.admin_token)
            .json(json!({"email": "Jessica.Svanstrom@Partille.se", "display_name": "Jessica Svanström", "organization_id": org, "password": PASSWORD}))
            .send().await.expect(201);
        let id = res.id();
        assert_eq!(res.json["email"], "jessica.svanstrom@partille.se", "stored in lower case");
        assert_eq!(res.json["role"], "user");
        assert_eq!(res.json["active"], true);
        assert!(res.json.get("password").is_none());
        assert_eq!(res.header("location"), Some(format!("/api/v1/users/{id}").as_str()));
        let person_id = res.json["person_id"].as_str().unwrap().to_string();
        let user_id = id.clone();
        let person = app.db.read(move |conn| samverkan::models::person::find(conn, &person_id)).await.unwrap();
        assert_eq!(person.user_id.as_deref(), Some(user_id.as_str()), "the person points back at the user");
        assert_eq!(person.name, "Jessica Svanström");
        assert_eq!(person.organization_id.as_deref(), Some(org.as_str()));

        // Email is unique regardless of case.
        app.post("/api/v1/users").token(&app.admin_token)
            .json(json!({"email": "JESSICA.SVANSTROM@partille.se", "display_name": "Dubblett", "password": PASSWORD}))
            .send().await.expect(409);
        let bad = app.post("/api/v1/users").token(&app.admin_token)
            .json(json!({"email": "inte-en-adress", "display_name": "", "role": "superuser", "password": "kort", "organization_id": "nope"}))
            .send().await.expect(422);
        let mut fields = bad.fields();
        fields.sort();
        assert_eq!(fields, ["display_name", "email", "organization_id", "password", "role"]);
        app.post("/api/v1/users").token(&app.admin_token)
            .json(json!({"email": "x@partille.se", "display_name": "X", "password": PASSWORD, "organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"}))
            .send().await.expect(422);

        // The new user signs in with the name on their person record.
        let token = app.sign_in("jessica.svanstrom@partille.se", PASSWORD).await;
        let me = app.get("/api/v1/me").token(&token).send().await.expect(200);
        assert_eq!(me.json["id"], id.as_str());
        assert_eq!(me.json["display_name"], "Jessica Svanström");
    }
}

db_test! {
    async fn admins_change_roles_but_keep_an_admin(app) {
        let me = app.get("/api/v1/me").token(&app.admin_token).send().await.expect(200);
        let admin_id = me.json["id"].as_str().unwrap().to_string();
        // The only admin cannot demote or deactivate themselves.
        app.patch(&format!("/api/v1/users/{admin_id}")).token(&app.admin_token).json(json!({"role": "user"})).send().await.expect(409);
        app.delete(&format!("/api/v1/users/{admin_id}")).token(&app.admin_token).send().await.expect(409);

        let (user, token) = app.user("helen@goteborg.se", None).await;
        let id = user["id"].as_str().unwrap();
        let promoted = app.patch(&format!("/api/v1/users/{id}")).token(&app.admin_token)
            .header("If-Match", "\"1\"").json(json!({"role": "admin", "display_name": "Helen Holmström"})).send().await.expect(200);
        assert_eq!(promoted.json["role"], "admin");
        assert_eq!(promoted.json["version"], 2);
        app.get("/api/v1/users").token(&token).send().await.expect(200);
        app.patch(&format!("/api/v1/users/{id}")).token(&app.admin_token)
            .header("If-Match", "\"1\"").json(json!({"role": "user"})).send().await.expect(412);
        // With two admins, one may step down.
        app.patch(&format!("/api/v1/users/{admin_id}")).token(&app.admin_token).json(json!({"role": "user"})).send().await.expect(200);
        app.get("/api/v1/users").token(&app.admin_token).send().await.expect(403);
    }
}

db_test! {
    async fn user_list_filters_searches_and_syncs(app) {
        let org = app.organization("Mölndals stad", "municipality").await;
        let (a, _) = app.user("irene.jansson@molndal.se", Some(&org)).await;
        let (b, _) = app.user("britta.timan@goteborg.se", None).await;
        let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B");
        let list = app.get(&format!("/api/v1/users?organization_id={org}")).token(&app.admin_token).send().await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
        assert_eq!(list.json["data"][0]["id"], a["id"]);
        let list = app.get("/api/v1/users?q=BRITTA").token(&app.admin_token).send().await.expect(200);
        assert_eq!(list.json["data"][0]["id"], b["id"]);
        let list = app.get("/api/v1/users?role=admin").token(&app.admin_token).send().await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
        let list = app.get("/api/v1/users?limit=2").token(&app.admin_token).send().await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 2);
        let next = list.json["links"]["next"].as_str().unwrap();
        let rest = app.get(next).token(&app.admin_token).send().await.expect(200);
        assert_eq!(rest.json["data"].as_array().unwrap().len(), 1);
        assert_eq!(rest.json["links"]["next"], json!(null));

        // Deactivation shows up as a change for sync clients, not as a tombstone.
        app.delete(&format!("/api/v1/users/{}", b["id"].as_str().unwrap())).token(&app.admin_token).send().await.expect(204);
        let changed = app.get(&format!("/api/v1/users?modified_since={since}")).token(&app.admin_token).send().await.expect(200);
        let data = changed.json["data"].as_array().unwrap();
        assert_eq!(data.len(), 1);
        assert_eq!(data[0]["id"], b["id"]);
        assert_eq!(data[0]["active"], false);
        let inactive = app.get("/api/v1/users?active=false").token(&app.admin_token).send().await.expect(200);
        assert_eq!(inactive.json["data"].as_array().unwrap().len(), 1);
    }
}

db_test! {
    async fn idempotent_user_creation(app) {
        let body = json!({"email": "susanne@harryda.se", "display_name": "Susanne Grabe", "password": PASSWORD});
        let first = app.post("/api/v1/users").token(&app.admin_token).header("Idempotency-Key", "u-1").json(body.clone()).send().await.expect(201);
        let again = app.post("/api/v1/users").token(&app.admin_token).header("Idempotency-Key", "u-1").json(body).send().await.expect(201);
        assert_eq!(first.json, again.json);
        let stored: Vec<String> = app.db.read(|conn| {
            use diesel::prelude::*;
            use samverkan::db::schema::idempotency_keys;
            Ok(idempotency_keys::table.select(idempotency_keys::body).load::<String>(conn)?)
        }).await.unwrap();
        assert!(stored.iter().all(|b| !b.contains(PASSWORD)), "no password kept with the key");
    }
}

db_test! {
    async fn me_changes_display_name_with_if_match(app) {
        let (_, token) = app.user("marie@kungsbacka.se", None).await;
        let res = app.patch("/api/v1/me").token(&token).header("If-Match", "\"1\"").json(json!({"display_name": "Marie Christiansson"})).send().await.expect(200);
        assert_eq!(res.json["display_name"], "Marie Christiansson");
        app.patch("/api/v1/me").token(&token).header("If-Match", "\"1\"").json(json!({"display_name": "X"})).send().await.expect(412);
        app.patch("/api/v1/me").token(&token).json(json!({"display_name": ""})).send().await.expect(422);
    }
}

//! One regression test for each finding of issue 7 ("The kernel"), named after it. Each
//! failed before the kernel and passes now. The findings tested elsewhere: lost updates in
//! `concurrency.rs` (PostgreSQL), slow lists in `query_budget.rs` and the benchmark, the
//! failure at scale in `scale.rs`, and the sign-in, token and refresh findings in
//! `auth.rs`.

use crate::common;

use serde_json::{Value, json};

/// A meeting of `network` with minutes of `visibility` holding one action item; returns
/// (meeting id, action item id).
async fn minutes_with_an_action(
    app: &common::TestApp,
    token: &str,
    network: &str,
    meeting_visibility: &str,
    minutes_visibility: &str,
) -> (String, String) {
    let m = app.post("/api/v1/meetings").token(token)
        .json(json!({"network_id": network, "title": "Nätverksträff", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "status": "held", "visibility": meeting_visibility}))
        .send().await.expect(201).id();
    let minutes = app.put(&format!("/api/v1/meetings/{m}/minutes")).token(token)
        .json(json!({"visibility": minutes_visibility, "sections": [{"heading": "Personalfrågor", "notes": "Sjukskrivningar och bemanning under pandemin.",
            "action_items": [{"title": "Sammanställ läget för bemanningen", "due_on": "2020-06-01"}]}]}))
        .send().await.expect(201);
    let item = minutes.json["sections"][0]["action_items"][0]["id"]
        .as_str()
        .expect("the action item has an id")
        .to_string();
    (m, item)
}

fn ids(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

db_test! {
    async fn restricted_minutes_do_not_leak_through_their_action_items(app) {
        let cast = app.cast("public").await;
        let (m, item) = minutes_with_an_action(&app, &cast.coordinator, &cast.network, "public", "restricted").await;
        let read_token = app.post("/api/v1/me/api-tokens").token(&cast.outsider)
            .json(json!({"name": "intranät", "scopes": ["read"]})).send().await.expect(201)
            .json["token"].as_str().unwrap().to_string();
        let n = &cast.network;
        let lists = [
            format!("/api/v1/action-items?network_id={n}"),
            "/api/v1/action-items?q=bemanningen".to_string(),
            "/api/v1/action-items?modified_since=2020-01-01T00:00:00Z".to_string(),
            "/api/v1/action-items".to_string(),
        ];
        for (who, token) in [("outsider", Some(cast.outsider.as_str())), ("read-scope API token", Some(read_token.as_str())), ("anonymous", None)] {
            let get = |path: String| {
                let req = app.get(&path);
                let req = match token { Some(t) => req.token(t), None => req };
                req.send()
            };
            assert_eq!(get(format!("/api/v1/meetings/{m}")).await.status, 200, "{who} sees the public meeting");
            assert_eq!(get(format!("/api/v1/meetings/{m}/minutes")).await.status, 404, "{who} minutes");
            assert_eq!(get(format!("/api/v1/action-items/{item}")).await.status, 404, "{who} action item");
            for list in &lists {
                let res = get(list.clone()).await.expect(200);
                assert!(!ids(&res.json).contains(&item), "{who} finds the item in {list}");
            }
        }
        // Insiders see it everywhere.
        app.get(&format!("/api/v1/action-items/{item}")).token(&cast.member).send().await.expect(200);
        for list in &lists {
            let res = app.get(list).token(&cast.participant).send().await.expect(200);
            assert!(ids(&res.json).contains(&item), "the participant finds the item in {list}");
        }
    }
}

db_test! {
    async fn if_match_is_compared_strongly_and_never_ignored(app) {
        let cast = app.cast("restricted").await;
        let token = &cast.coordinator;
        let (m, _) = minutes_with_an_action(&app, token, &cast.network, "restricted", "restricted").await;

        // A weak tag does not match, even of the current version.
        let agenda = app.post(&format!("/api/v1/meetings/{m}/agenda-items")).token(token)
            .json(json!({"title": "Välkommen och presentation"})).send().await.expect(201);
        let item = agenda.id();
        app.patch(&format!("/api/v1/meetings/{m}/agenda-items/{item}")).token(token).header("If-Match", "W/\"1\"")
            .json(json!({"title": "Välkomna"})).send().await.expect(412);
        app.patch(&format!("/api/v1/meetings/{m}/agenda-items/{item}")).token(token).header("If-Match", "\"1\"")
            .json(json!({"title": "Välkomna"})).send().await.expect(200);

        // PUT minutes: a tag that is not a version is stale, and nothing is replaced.
        let me = app.get("/api/v1/me").token(&cast.member).send().await.expect(200);
        let approver = me.json["person_id"].as_str().unwrap();
        app.put(&format!("/api/v1/meetings/{m}/minutes")).token(token).header("If-Match", "\"1\"")
            .json(json!({"approvers": [approver], "sections": [{"heading": "Personalfrågor"}]})).send().await.expect(200);
        let before = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(token).send().await.expect(200);
        app.put(&format!("/api/v1/meetings/{m}/minutes")).token(token).header("If-Match", "\"stale-0\"")
            .json(json!({"sections": []})).send().await.expect(412);
        let after = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(token).send().await.expect(200);
        assert_eq!(before.json, after.json, "a stale PUT changes nothing");
        assert_eq!(after.json["approvers"].as_array().map(Vec::len), Some(1), "the approvers are kept");

        // PUT minutes under If-Match when none exist: 412, and none are created.
        let empty = app.post("/api/v1/meetings").token(token)
            .json(json!({"network_id": cast.network, "title": "Planeringsträff", "starts_at": "2020-09-11T09:00", "ends_at": "2020-09-11T12:00"}))
            .send().await.expect(201).id();
        app.put(&format!("/api/v1/meetings/{empty}/minutes")).token(token).header("If-Match", "\"1\"")
            .json(json!({"sections": []})).send().await.expect(412);
        app.get(&format!("/api/v1/meetings/{empty}/minutes")).token(token).send().await.expect(404);

        // Findings and follow-ups honour If-Match.
        let ivo = app.organization("Inspektionen för vård och omsorg", "supervisory_authority").await;
        let (_, inspector) = app.user("yvonne.berneke@ivo.se", Some(&ivo)).await;
        let dialogue = app.post("/api/v1/supervisory-dialogues").token(&inspector)
            .json(json!({"title": "Dialog med socialcheferna", "supervising_organization_id": ivo, "supervision_name": "Nationell tillsyn",
                "findings": [{"text": "Kommunerna har kommit olika långt."}],
                "follow_ups": [{"description": "Återföra lärdomar till kommunerna"}]}))
            .send().await.expect(201);
        let path = format!("/api/v1/supervisory-dialogues/{}", dialogue.id());
        let finding = dialogue.json["findings"][0]["id"].as_str().unwrap();
        let follow_up = dialogue.json["follow_ups"][0]["id"].as_str().unwrap();
        for part in [format!("{path}/findings/{finding}"), format!("{path}/follow-ups/{follow_up}")] {
            let body = if part.contains("findings") { json!({"text": "Ändrad"}) } else { json!({"status": "done"}) };
            app.patch(&part).token(&inspector).header("If-Match", "\"999\"").json(body.clone()).send().await.expect(412);
            let res = app.patch(&part).token(&inspector).header("If-Match", "\"1\"").json(body).send().await.expect(200);
            assert_eq!(res.header("etag"), Some("\"2\""));
        }
    }
}

db_test! {
    async fn references_made_on_behalf_of_an_organization_are_checked(app) {
        let cast = app.cast("restricted").await;
        let n = &cast.network;
        // A member proposes a theme in their own organization's name only.
        app.post("/api/v1/themes").token(&cast.member)
            .json(json!({"title": "Krishantering för chefer", "network_id": n, "proposed_by_organization_id": cast.outsider_org}))
            .send().await.expect(403);
        app.post("/api/v1/themes").token(&cast.member)
            .json(json!({"title": "Krishantering för chefer", "network_id": n, "proposed_by_organization_id": cast.member_org}))
            .send().await.expect(201);
        // The coordinator may write one down on a member's behalf.
        app.post("/api/v1/themes").token(&cast.coordinator)
            .json(json!({"title": "Feriejobb för unga", "network_id": n, "proposed_by_organization_id": cast.member_org}))
            .send().await.expect(201);

        // A coordinator cannot hand the network to a foreign organization; an admin can.
        let network = format!("/api/v1/networks/{n}");
        app.patch(&network).token(&cast.coordinator).json(json!({"owner_organization_id": cast.outsider_org})).send().await.expect(403);
        let unchanged = app.get(&network).token(&cast.coordinator).send().await.expect(200);
        assert_eq!(unchanged.json["owner_organization_id"].as_str(), Some(cast.owner_org.as_str()));
        app.patch(&network).token(&app.admin_token).json(json!({"owner_organization_id": cast.member_org})).send().await.expect(200);
    }
}

db_test! {
    async fn a_dialogue_is_authorized_before_it_is_validated(app) {
        let cast = app.cast("restricted").await;
        // Not an authority user: 403 whatever the body holds.
        for body in [json!({}), json!({"title": ""}), json!({"title": 5, "mode": "telepati"})] {
            app.post("/api/v1/supervisory-dialogues").token(&cast.member).json(body).send().await.expect(403);
        }
    }
}

db_test! {
    async fn the_participation_report_counts_only_meetings_the_caller_may_see(app) {
        let cast = app.cast("public").await;
        let n = &cast.network;
        let person = app.person("Jessica Svanström", "js@partille.se", Some(&cast.member_org)).await;
        for visibility in ["public", "restricted"] {
            let m = app.post("/api/v1/meetings").token(&cast.coordinator)
                .json(json!({"network_id": n, "title": "Nätverksträff", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "status": "held", "visibility": visibility}))
                .send().await.expect(201).id();
            app.post(&format!("/api/v1/meetings/{m}/attendees")).token(&cast.coordinator)
                .json(json!({"person_id": person, "attendance": "present"})).send().await.expect(201);
        }
        let path = format!("/api/v1/networks/{n}/participation");
        let anonymous = app.get(&path).send().await.expect(200);
        assert_eq!(anonymous.json["meetings_held"], 1, "the restricted meeting is not counted");
        let outsider = app.get(&path).token(&cast.outsider).send().await.expect(200);
        assert_eq!(outsider.json["meetings_held"], 1);
        let member = app.get(&path).token(&cast.member).send().await.expect(200);
        assert_eq!(member.json["meetings_held"], 2);
    }
}

db_test! {
    async fn a_nul_byte_is_a_422_naming_the_field(app) {
        let res = app.post("/api/v1/people").token(&app.admin_token)
            .json(json!({"name": "Anna", "email": "a\u{0000}@example.se"})).send().await.expect(422);
        assert_eq!(res.fields(), ["email"]);
        let res = app.post("/api/v1/people").token(&app.admin_token)
            .json(json!({"name": "An\u{0000}na"})).send().await.expect(422);
        assert_eq!(res.fields(), ["name"]);
        let res = app.get("/api/v1/people?q=a%00").token(&app.admin_token).send().await.expect(422);
        assert_eq!(res.fields(), ["q"]);
        let res = app.get("/api/v1/action-items?q=a%00").token(&app.admin_token).send().await.expect(422);
        assert_eq!(res.fields(), ["q"]);
        assert_eq!(res.header("content-type"), Some("application/problem+json"));
    }
}

db_test! {
    async fn query_parameters_take_dates_and_bad_ones_are_named(app) {
        let cast = app.cast("restricted").await;
        let n = &cast.network;
        app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": n, "title": "Nätverksträff", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00"}))
            .send().await.expect(201);
        for path in [
            "/api/v1/meetings?from=2020-05-01".to_string(),
            "/api/v1/meetings?from=2020-05-01&to=2020-05-31".to_string(),
            "/api/v1/meetings?modified_since=2020-05-08".to_string(),
            "/api/v1/action-items?due_before=2099-03-01".to_string(),
            format!("/api/v1/networks/{n}/calendar.ics?from=2020-05-01"),
        ] {
            let res = app.get(&path).token(&cast.member).send().await;
            assert_eq!(res.status, 200, "{path}: {}", res.text);
        }
        let in_may = app.get("/api/v1/meetings?from=2020-05-01&to=2020-05-31").token(&cast.member).send().await.expect(200);
        assert_eq!(in_may.json["data"].as_array().unwrap().len(), 1);
        for (path, param) in [
            ("/api/v1/meetings?from=maj", "from"),
            ("/api/v1/meetings?modified_since=2020-13-01", "modified_since"),
            ("/api/v1/meetings?limit=many", "limit"),
            ("/api/v1/meetings?network_id=not-a-uuid", "network_id"),
            ("/api/v1/action-items?due_before=soon", "due_before"),
            ("/api/v1/action-items?mine=perhaps", "mine"),
        ] {
            let res = app.get(path).token(&cast.member).send().await.expect(422);
            assert_eq!(res.fields(), [param], "{path}");
        }
    }
}

db_test! {
    async fn attendees_are_added_with_post_like_members_and_participants(app) {
        let cast = app.cast("restricted").await;
        let m = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Nätverksträff", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00"}))
            .send().await.expect(201).id();
        let person = app.person("Maria Enbuske", "maria@lerum.se", None).await;
        let path = format!("/api/v1/meetings/{m}/attendees");
        app.post(&path).token(&cast.member).json(json!({"person_id": person})).send().await.expect(403);
        let added = app.post(&path).token(&cast.coordinator).json(json!({"person_id": person, "attendance": "present"})).send().await.expect(201);
        assert_eq!(added.json["attendance"], "present");
        assert_eq!(added.header("etag"), Some("\"1\""));
        assert!(added.header("location").unwrap().ends_with(&format!("/attendees/{person}")));
        app.post(&path).token(&cast.coordinator).json(json!({"person_id": person})).send().await.expect(409);
        let list = app.get(&path).token(&cast.member).send().await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
    }
}

db_test! {
    async fn a_conditional_get_answers_304(app) {
        let person = app.person("Juan Navas", "juan.navas@tjorn.se", None).await;
        let path = format!("/api/v1/people/{person}");
        let res = app.get(&path).token(&app.admin_token).send().await.expect(200);
        let etag = res.header("etag").unwrap().to_string();
        let same = app.get(&path).token(&app.admin_token).header("If-None-Match", &etag).send().await.expect(304);
        assert_eq!(same.header("etag"), Some(etag.as_str()));
        assert!(same.text.is_empty());
        app.get(&path).token(&app.admin_token).header("If-None-Match", &format!("W/{etag}")).send().await.expect(304);
        app.get(&path).token(&app.admin_token).header("If-None-Match", "\"99\"").send().await.expect(200);
    }
}

db_test! {
    async fn the_docs_page_asks_no_outside_validator(app) {
        let page = app.get("/docs/swagger-initializer.js").send().await.expect(200);
        assert!(page.text.contains("\"validatorUrl\": \"none\""), "{}", page.text);
        assert!(!page.text.contains("swagger.io"));
    }
}

#[cfg(unix)]
#[test]
fn the_server_creates_its_files_for_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("var").join("samverkan");
    let config = samverkan::config::Config::from_lookup(|name| match name {
        "SAMVERKAN_DATA_DIR" => Some(data.display().to_string()),
        _ => None,
    })
    .unwrap();
    let db = samverkan::db::Db::connect(config.database_url.expose()).unwrap();
    db.migrate().unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert_eq!(
        mode(data.parent().unwrap()),
        0o700,
        "a directory created on the way"
    );
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    assert!(data.join("samverkan.db").exists() && data.join("jwt_secret").exists());
}

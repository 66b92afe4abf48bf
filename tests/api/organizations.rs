//! Organizations, the model resource: CRUD, validation, pagination, sync, search,
//! concurrency, idempotency and audit.

use serde_json::json;

db_test! {
    async fn create_get_update_delete(app) {
        let res = app
            .post("/api/v1/organizations")
            .token(&app.admin_token)
            .json(json!({
                "name": "Göteborgs Stad",
                "short_name": "GBG",
                "kind": "municipality",
                "organization_number": "212000-1355",
                "municipality_code": "1480",
                "website": "https://goteborg.se",
                "email": "info@goteborg.se"
            }))
            .send()
            .await
            .expect(201);
        let id = res.id();
        assert_eq!(res.header("location"), Some(format!("/api/v1/organizations/{id}").as_str()));
        assert_eq!(res.header("etag"), Some("\"1\""));
        assert_eq!(res.json["name"], "Göteborgs Stad");
        assert_eq!(res.json["version"], 1);
        assert!(res.json["created_at"].as_str().unwrap().ends_with('Z'));

        let got = app.get(&format!("/api/v1/organizations/{id}")).token(&app.admin_token).send().await.expect(200);
        assert_eq!(got.json, res.json);
        assert_eq!(got.header("etag"), Some("\"1\""));

        let changed = app
            .patch(&format!("/api/v1/organizations/{id}"))
            .token(&app.admin_token)
            .header("If-Match", "\"1\"")
            .json(json!({"short_name": null, "website": "https://goteborg.se/sociala"}))
            .send()
            .await
            .expect(200);
        assert_eq!(changed.json["short_name"], json!(null));
        assert_eq!(changed.json["website"], "https://goteborg.se/sociala");
        assert_eq!(changed.json["name"], "Göteborgs Stad", "fields not sent stay");
        assert_eq!(changed.json["version"], 2);
        assert_eq!(changed.header("etag"), Some("\"2\""));

        app.delete(&format!("/api/v1/organizations/{id}")).token(&app.admin_token).send().await.expect(204);
        app.get(&format!("/api/v1/organizations/{id}")).token(&app.admin_token).send().await.expect(404);
        app.patch(&format!("/api/v1/organizations/{id}")).token(&app.admin_token).json(json!({"name": "x"})).send().await.expect(404);
        app.get("/api/v1/organizations/not-a-uuid").token(&app.admin_token).send().await.expect(404);
    }
}

db_test! {
    async fn validation_names_every_bad_field(app) {
        let res = app
            .post("/api/v1/organizations")
            .token(&app.admin_token)
            .json(json!({
                "name": "",
                "kind": "kommun",
                "organization_number": "212000-1356",
                "municipality_code": "148",
                "website": "goteborg.se",
                "email": "info-at-goteborg.se",
                "parent_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"
            }))
            .send()
            .await
            .expect(422);
        let mut fields = res.fields();
        fields.sort();
        assert_eq!(fields, ["email", "kind", "municipality_code", "name", "organization_number", "website"]);

        let long_name = "å".repeat(201);
        let res = app.post("/api/v1/organizations").token(&app.admin_token)
            .json(json!({"name": long_name, "kind": "region"})).send().await.expect(422);
        assert_eq!(res.fields(), ["name"]);

        for number in ["2120001355", "212000-135", "21200A-1355"] {
            let res = app.post("/api/v1/organizations").token(&app.admin_token)
                .json(json!({"name": "X", "kind": "region", "organization_number": number})).send().await.expect(422);
            assert_eq!(res.fields(), ["organization_number"], "{number}");
        }

        // The parent must exist.
        let res = app.post("/api/v1/organizations").token(&app.admin_token)
            .json(json!({"name": "X", "kind": "region", "parent_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"}))
            .send().await.expect(422);
        assert_eq!(res.fields(), ["parent_id"]);

        // Wrong types and unknown fields name the field; nothing was created.
        let res = app.post("/api/v1/organizations").token(&app.admin_token)
            .json(json!({"name": 5, "kind": "region"})).send().await.expect(422);
        assert_eq!(res.fields(), ["name"]);
        let res = app.post("/api/v1/organizations").token(&app.admin_token)
            .json(json!({"name": "X", "kind": "region", "colour": "blue"})).send().await.expect(422);
        assert_eq!(res.fields(), ["colour"]);
        let res = app.post("/api/v1/organizations").token(&app.admin_token)
            .json(json!({"kind": "region"})).send().await.expect(422);
        assert_eq!(res.fields(), ["name"]);
        let list = app.get("/api/v1/organizations").token(&app.admin_token).send().await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 0);
    }
}

db_test! {
    async fn parent_must_not_make_a_cycle(app) {
        let a = app.organization("Ekerö kommun", "municipality").await;
        let b = app.post("/api/v1/organizations").token(&app.admin_token)
            .json(json!({"name": "Socialförvaltningen", "kind": "other", "parent_id": a}))
            .send().await.expect(201).id();
        let c = app.post("/api/v1/organizations").token(&app.admin_token)
            .json(json!({"name": "Individ- och familjeomsorgen", "kind": "other", "parent_id": b}))
            .send().await.expect(201).id();
        let res = app.patch(&format!("/api/v1/organizations/{a}")).token(&app.admin_token)
            .json(json!({"parent_id": c})).send().await.expect(422);
        assert_eq!(res.fields(), ["parent_id"]);
        let res = app.patch(&format!("/api/v1/organizations/{a}")).token(&app.admin_token)
            .json(json!({"parent_id": a})).send().await.expect(422);
        assert_eq!(res.fields(), ["parent_id"]);
        // A parent with live children cannot be deleted.
        app.delete(&format!("/api/v1/organizations/{b}")).token(&app.admin_token).send().await.expect(409);
        let children = app.get(&format!("/api/v1/organizations?parent_id={b}")).token(&app.admin_token).send().await.expect(200);
        assert_eq!(children.json["data"][0]["id"], c.as_str());
    }
}

db_test! {
    async fn only_admins_write_and_everyone_signed_in_reads(app) {
        let org = app.organization("Partille kommun", "municipality").await;
        let (_, user) = app.user("jessica@partille.se", Some(&org)).await;
        app.get("/api/v1/organizations").send().await.expect(401);
        app.get(&format!("/api/v1/organizations/{org}")).send().await.expect(401);
        app.get("/api/v1/organizations").token(&user).send().await.expect(200);
        app.get(&format!("/api/v1/organizations/{org}")).token(&user).send().await.expect(200);
        app.post("/api/v1/organizations").token(&user).json(json!({"name": "X", "kind": "other"})).send().await.expect(403);
        app.patch(&format!("/api/v1/organizations/{org}")).token(&user).json(json!({"name": "X"})).send().await.expect(403);
        app.delete(&format!("/api/v1/organizations/{org}")).token(&user).send().await.expect(403);
    }
}

db_test! {
    async fn keyset_pagination_follows_links(app) {
        let mut ids = Vec::new();
        for i in 0..7 {
            ids.push(app.organization(&format!("Kommun {i}"), "municipality").await);
        }
        let mut seen = Vec::new();
        let mut next = Some("/api/v1/organizations?limit=3&kind=municipality".to_string());
        let mut pages = 0;
        while let Some(path) = next {
            let page = app.get(&path).token(&app.admin_token).send().await.expect(200);
            assert_eq!(page.json["pagination"]["limit"], 3);
            for item in page.json["data"].as_array().unwrap() {
                seen.push(item["id"].as_str().unwrap().to_string());
            }
            next = page.json["links"]["next"].as_str().map(String::from);
            assert_eq!(next.is_some(), page.json["pagination"]["next_cursor"].is_string());
            if let Some(n) = &next {
                assert!(n.contains("kind=municipality"), "links.next keeps filters: {n}");
            }
            // An insert between pages does not disturb the pages already handed out.
            if pages == 0 {
                ids.push(app.organization("Kommun sen", "municipality").await);
            }
            pages += 1;
        }
        assert_eq!(pages, 3);
        assert_eq!(seen, ids);

        for bad in ["limit=0", "limit=201", "cursor=bm90LWEtY3Vyc29y"] {
            let res = app.get(&format!("/api/v1/organizations?{bad}")).token(&app.admin_token).send().await.expect(422);
            assert_eq!(res.fields().len(), 1, "{bad}");
        }
        for (bad, field) in [("limit=x", "limit"), ("kind=kommun", "kind")] {
            let res = app.get(&format!("/api/v1/organizations?{bad}")).token(&app.admin_token).send().await.expect(422);
            assert_eq!(res.fields(), [field], "{bad}");
        }
    }
}

db_test! {
    async fn modified_since_returns_changes_and_tombstones(app) {
        let kept = app.organization("Lerums kommun", "municipality").await;
        let removed = app.organization("Alingsås kommun", "municipality").await;
        let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        app.patch(&format!("/api/v1/organizations/{kept}")).token(&app.admin_token)
            .json(json!({"short_name": "Lerum"})).send().await.expect(200);
        app.delete(&format!("/api/v1/organizations/{removed}")).token(&app.admin_token).send().await.expect(204);
        let added = app.organization("Ale kommun", "municipality").await;

        let plain = app.get("/api/v1/organizations").token(&app.admin_token).send().await.expect(200);
        let plain_ids: Vec<&str> = plain.json["data"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
        assert_eq!(plain_ids, [kept.as_str(), added.as_str()], "deleted ones leave plain lists");

        let since = since.replace('+', "%2B");
        let sync = app.get(&format!("/api/v1/organizations?modified_since={since}")).token(&app.admin_token).send().await.expect(200);
        let data = sync.json["data"].as_array().unwrap();
        assert_eq!(data.len(), 3, "{}", sync.text);
        assert_eq!(data[0]["id"], kept.as_str());
        assert_eq!(data[0]["short_name"], "Lerum");
        assert_eq!(data[1], json!({"id": removed, "deleted": true, "updated_at": data[1]["updated_at"]}));
        assert!(data[1]["updated_at"].is_string());
        assert_eq!(data[2]["id"], added.as_str());

        // Paging a sync list one item at a time yields the same items.
        let mut next = Some(format!("/api/v1/organizations?modified_since={since}&limit=1"));
        let mut ids = Vec::new();
        while let Some(path) = next {
            let page = app.get(&path).token(&app.admin_token).send().await.expect(200);
            ids.extend(page.json["data"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().to_string()));
            next = page.json["links"]["next"].as_str().map(String::from);
        }
        assert_eq!(ids, [kept.clone(), removed.clone(), added.clone()]);
        let res = app.get("/api/v1/organizations?modified_since=yesterday").token(&app.admin_token).send().await.expect(422);
        assert_eq!(res.fields(), ["modified_since"]);
        // A date is the start of that day (UTC).
        let today = chrono::Utc::now().date_naive();
        let res = app.get(&format!("/api/v1/organizations?modified_since={today}")).token(&app.admin_token).send().await.expect(200);
        assert_eq!(res.json["data"].as_array().unwrap().len(), 3);
    }
}

db_test! {
    async fn search_folds_swedish_letters_on_both_databases(app) {
        app.organization("Örebro kommun", "municipality").await;
        app.organization("Ängelholms kommun", "municipality").await;
        app.organization("Skåne läns landsting – “Region Skåne”", "region").await;
        app.organization("100% ideell förening_test", "civil_society").await;
        let search = |q: &'static str| {
            let app = &app;
            async move {
                let encoded: String = url_encode(q);
                let res = app.get(&format!("/api/v1/organizations?q={encoded}")).token(&app.admin_token).send().await.expect(200);
                res.json["data"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string()).collect::<Vec<_>>()
            }
        };
        assert_eq!(search("ÖREBRO").await, ["Örebro kommun"]);
        assert_eq!(search("O\u{308}rebro").await, ["Örebro kommun"], "a decomposed Ö finds the composed one");
        assert_eq!(search("änGELholm").await, ["Ängelholms kommun"]);
        assert_eq!(search("SKÅNE").await, ["Skåne läns landsting – “Region Skåne”"]);
        assert_eq!(search("“region").await, ["Skåne läns landsting – “Region Skåne”"]);
        assert_eq!(search("100%").await, ["100% ideell förening_test"]);
        assert_eq!(search("_").await, ["100% ideell förening_test"], "LIKE wildcards are literal");
        assert!(search("göteborg").await.is_empty());
        let got = app.get("/api/v1/organizations?q=%C3%B6rebro").token(&app.admin_token).send().await.expect(200);
        assert_eq!(got.json["data"][0]["name"], "Örebro kommun", "stored and returned as sent");
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

db_test! {
    async fn stale_if_match_is_refused(app) {
        let id = app.organization("Mölndals stad", "municipality").await;
        let path = format!("/api/v1/organizations/{id}");
        app.patch(&path).token(&app.admin_token).header("If-Match", "\"1\"").json(json!({"short_name": "Mölndal"})).send().await.expect(200);
        let stale = app.patch(&path).token(&app.admin_token).header("If-Match", "\"1\"").json(json!({"short_name": "X"})).send().await.expect(412);
        assert_eq!(stale.header("etag"), Some("\"2\""));
        app.delete(&path).token(&app.admin_token).header("If-Match", "\"1\"").send().await.expect(412);
        let now = app.get(&path).token(&app.admin_token).send().await.expect(200);
        assert_eq!(now.json["short_name"], "Mölndal", "the stale write changed nothing");
        // If-Match compares strongly: a weak tag, a foreign one and a malformed one never match.
        for tag in ["W/\"2\"", "\"stale-0\"", "2", "\"2"] {
            app.patch(&path).token(&app.admin_token).header("If-Match", tag).json(json!({"short_name": "Mdl"})).send().await.expect(412);
        }
        app.patch(&path).token(&app.admin_token).header("If-Match", "\"1\", \"2\"").json(json!({"short_name": "Mdl"})).send().await.expect(200);
        app.delete(&path).token(&app.admin_token).header("If-Match", "\"3\"").send().await.expect(204);
        // An absent resource satisfies no If-Match (but is a 404 without one).
        app.patch(&path).token(&app.admin_token).header("If-Match", "*").json(json!({"short_name": "X"})).send().await.expect(412);
        app.patch(&path).token(&app.admin_token).json(json!({"short_name": "X"})).send().await.expect(404);
    }
}

db_test! {
    async fn idempotency_key_replays_the_first_response(app) {
        let body = json!({"name": "Kungsbacka kommun", "kind": "municipality"});
        let first = app.post("/api/v1/organizations").token(&app.admin_token)
            .header("Idempotency-Key", "skapa-kungsbacka-1").json(body.clone()).send().await.expect(201);
        let again = app.post("/api/v1/organizations").token(&app.admin_token)
            .header("Idempotency-Key", "skapa-kungsbacka-1").json(body.clone()).send().await.expect(201);
        assert_eq!(again.json, first.json);
        assert_eq!(again.header("location"), first.header("location"));
        assert_eq!(again.header("idempotent-replayed"), Some("true"));
        let other = app.post("/api/v1/organizations").token(&app.admin_token)
            .header("Idempotency-Key", "skapa-kungsbacka-1").json(json!({"name": "Annat", "kind": "other"})).send().await.expect(422);
        assert_eq!(other.fields(), ["Idempotency-Key"]);
        let list = app.get("/api/v1/organizations").token(&app.admin_token).send().await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1, "created once");
        // Without a key every POST creates.
        app.post("/api/v1/organizations").token(&app.admin_token).json(body.clone()).send().await.expect(201);
        app.post("/api/v1/organizations").token(&app.admin_token).header("Idempotency-Key", "").json(body).send().await.expect(422);
    }
}

db_test! {
    async fn every_write_is_audited(app) {
        let id = app.organization("Härryda kommun", "municipality").await;
        app.patch(&format!("/api/v1/organizations/{id}")).token(&app.admin_token).json(json!({"short_name": "Härryda"})).send().await.expect(200);
        app.delete(&format!("/api/v1/organizations/{id}")).token(&app.admin_token).send().await.expect(204);
        // A failed write leaves no event.
        app.patch(&format!("/api/v1/organizations/{id}")).token(&app.admin_token).json(json!({"short_name": "X"})).send().await.expect(404);
        let me = app.get("/api/v1/me").token(&app.admin_token).send().await.expect(200);
        let events = app.get(&format!("/api/v1/audit-events?resource_type=organization&resource_id={id}"))
            .token(&app.admin_token).send().await.expect(200);
        let actions: Vec<&str> = events.json["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["organization.create", "organization.update", "organization.delete"]);
        for e in events.json["data"].as_array().unwrap() {
            assert_eq!(e["actor_user_id"], me.json["id"]);
            assert_eq!(e["outcome"], "success");
            assert!(e["request_id"].is_string());
        }
        let by_actor = app.get(&format!("/api/v1/audit-events?actor_user_id={}&since=2020-01-01T00:00:00Z&limit=1", me.json["id"].as_str().unwrap()))
            .token(&app.admin_token).send().await.expect(200);
        assert_eq!(by_actor.json["data"].as_array().unwrap().len(), 1);
        assert!(by_actor.json["links"]["next"].is_string());
    }
}

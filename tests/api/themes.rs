//! Themes: proposals by members, support once per organization, the lifecycle with its
//! impossible transitions, scheduling onto an agenda, and sorting by support.

use serde_json::json;

db_test! {
    async fn propose_support_and_schedule(app) {
        let cast = app.cast("restricted").await;
        let n = &cast.network;
        let lerum = app.organization("Lerums kommun", "municipality").await;
        app.post(&format!("/api/v1/networks/{n}/members")).token(&cast.coordinator).json(json!({"organization_id": lerum})).send().await.expect(201);
        let (_, maria) = app.user("maria.enbuske@lerum.se", Some(&lerum)).await;

        // Members propose; outsiders cannot even see the network.
        let crisis = app.post("/api/v1/themes").token(&cast.member)
            .json(json!({"title": "Krishantering för chefer", "network_id": n, "target_period": "HT 2020", "tags": ["kris", "ledarskap", "kris"]}))
            .send().await.expect(201);
        let crisis_id = crisis.id();
        assert_eq!(crisis.json["status"], "proposed");
        assert_eq!(crisis.json["proposed_by_organization_id"], cast.member_org.as_str());
        assert_eq!(crisis.json["tags"], json!(["kris", "ledarskap"]));
        assert_eq!(crisis.json["visibility"], "restricted");
        let money = app.post("/api/v1/themes").token(&maria)
            .json(json!({"title": "Ekonomiskt bistånd", "network_id": n})).send().await.expect(201).id();
        let violence = app.post("/api/v1/themes").token(&cast.participant)
            .json(json!({"title": "Våld i nära relationer", "network_id": n})).send().await.expect(201);
        assert_eq!(violence.json["proposed_by_organization_id"], json!(null), "a participant without an organization");
        let res = app.post("/api/v1/themes").token(&cast.outsider).json(json!({"title": "X", "network_id": n})).send().await.expect(422);
        assert_eq!(res.fields(), ["network_id"]);
        app.get(&format!("/api/v1/themes/{crisis_id}")).token(&cast.outsider).send().await.expect(404);
        app.get(&format!("/api/v1/themes/{crisis_id}")).send().await.expect(404);

        // Support: once per organization; the count and the supporters follow.
        let s = app.post(&format!("/api/v1/themes/{crisis_id}/support")).token(&cast.member).send().await.expect(200);
        assert_eq!(s.json["support_count"], 1);
        assert_eq!(s.json["supporters"], json!([cast.member_org]));
        app.post(&format!("/api/v1/themes/{crisis_id}/support")).token(&cast.member).send().await.expect(409);
        let s = app.post(&format!("/api/v1/themes/{crisis_id}/support")).token(&maria).send().await.expect(200);
        assert_eq!(s.json["support_count"], 2);
        app.post(&format!("/api/v1/themes/{money}/support")).token(&maria).send().await.expect(200);
        app.post(&format!("/api/v1/themes/{crisis_id}/support")).token(&cast.participant).send().await.expect(403);
        let s = app.delete(&format!("/api/v1/themes/{money}/support")).token(&maria).send().await.expect(200);
        assert_eq!(s.json["support_count"], 0);
        app.delete(&format!("/api/v1/themes/{money}/support")).token(&maria).send().await.expect(404);
        app.post(&format!("/api/v1/themes/{money}/support")).token(&maria).send().await.expect(200);

        // Most supported first, page by page.
        let page = app.get(&format!("/api/v1/themes?network_id={n}&sort=support&limit=2")).token(&cast.member).send().await.expect(200);
        let titles: Vec<&str> = page.json["data"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Krishantering för chefer", "Ekonomiskt bistånd"]);
        let next = page.json["links"]["next"].as_str().unwrap().to_string();
        let rest = app.get(&next).token(&cast.member).send().await.expect(200);
        let titles: Vec<&str> = rest.json["data"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Våld i nära relationer"]);
        assert_eq!(rest.json["links"]["next"], json!(null));
        app.get("/api/v1/themes?sort=popular").token(&cast.member).send().await.expect(422);
        let tagged = app.get("/api/v1/themes?tag=ledarskap").token(&cast.member).send().await.expect(200);
        assert_eq!(tagged.json["data"].as_array().unwrap().len(), 1);
        assert!(app.get("/api/v1/themes").token(&cast.outsider).send().await.expect(200).json["data"].as_array().unwrap().is_empty());

        // Members do not change status; coordinators do.
        app.patch(&format!("/api/v1/themes/{crisis_id}")).token(&cast.member).json(json!({"status": "accepted"})).send().await.expect(403);
        app.patch(&format!("/api/v1/themes/{crisis_id}")).token(&cast.member).json(json!({"description": "Långsiktiga effekter."})).send().await.expect(200);
        app.patch(&format!("/api/v1/themes/{crisis_id}")).token(&maria).json(json!({"description": "Inte min."})).send().await.expect(403);
        let accepted = app.patch(&format!("/api/v1/themes/{crisis_id}")).token(&cast.coordinator).json(json!({"status": "accepted"})).send().await.expect(200);
        assert_eq!(accepted.json["status"], "accepted");

        // Schedule onto a meeting's agenda, in one go.
        let meeting = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": n, "title": "Höstmöte", "starts_at": "2020-11-20T09:00", "ends_at": "2020-11-20T12:00"}))
            .send().await.expect(201).id();
        app.post(&format!("/api/v1/meetings/{meeting}/agenda-items")).token(&cast.coordinator).json(json!({"title": "Mötet inleds"})).send().await.expect(201);
        app.post(&format!("/api/v1/themes/{crisis_id}/schedule")).token(&cast.member).json(json!({"meeting_id": meeting})).send().await.expect(403);
        let other_network = app.post("/api/v1/networks").token(&cast.coordinator).json(json!({"name": "Annat", "owner_organization_id": cast.owner_org})).send().await.expect(201).id();
        let elsewhere = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": other_network, "title": "Annat möte", "starts_at": "2020-11-20T09:00", "ends_at": "2020-11-20T12:00"}))
            .send().await.expect(201).id();
        let res = app.post(&format!("/api/v1/themes/{crisis_id}/schedule")).token(&cast.coordinator).json(json!({"meeting_id": elsewhere})).send().await.expect(422);
        assert_eq!(res.fields(), ["meeting_id"]);
        let scheduled = app.post(&format!("/api/v1/themes/{crisis_id}/schedule")).token(&cast.coordinator)
            .json(json!({"meeting_id": meeting, "position": 2})).send().await.expect(200);
        assert_eq!(scheduled.json["status"], "scheduled");
        assert_eq!(scheduled.json["meeting_id"], meeting.as_str());
        let agenda = app.get(&format!("/api/v1/meetings/{meeting}/agenda-items")).token(&cast.member).send().await.expect(200);
        assert_eq!(agenda.json["data"][1]["title"], "Krishantering för chefer");
        assert_eq!(agenda.json["data"][1]["theme_id"], crisis_id.as_str());
        assert_eq!(agenda.json["data"][1]["id"], scheduled.json["agenda_item_id"]);
        let again = app.post(&format!("/api/v1/themes/{crisis_id}/schedule")).token(&cast.coordinator).json(json!({"meeting_id": meeting})).send().await.expect(409);
        assert_eq!(again.json["current_status"], "scheduled");
        let discussed = app.patch(&format!("/api/v1/themes/{crisis_id}")).token(&cast.coordinator).json(json!({"status": "discussed"})).send().await.expect(200);
        assert_eq!(discussed.json["status"], "discussed");
        let dead_end = app.patch(&format!("/api/v1/themes/{crisis_id}")).token(&cast.coordinator).json(json!({"status": "proposed"})).send().await.expect(409);
        assert_eq!(dead_end.json["current_status"], "discussed");
    }
}

db_test! {
    async fn lifecycle_transitions_and_reasons(app) {
        let cast = app.cast("internal").await;
        let t = app.post("/api/v1/themes").token(&cast.member)
            .json(json!({"title": "VFU socionomer", "network_id": cast.network})).send().await.expect(201).id();
        let patch = |body: serde_json::Value| {
            let app = &app;
            let token = cast.coordinator.clone();
            let t = t.clone();
            async move { app.patch(&format!("/api/v1/themes/{t}")).token(&token).json(body).send().await }
        };
        // Postponing needs a reason ("teman som har uteblivit på grund av rådande situation").
        let res = patch(json!({"status": "postponed"})).await.expect(422);
        assert_eq!(res.fields(), ["status_reason"]);
        let res = patch(json!({"status": "postponed", "status_reason": "Uteblev på grund av pandemin."})).await.expect(200);
        assert_eq!(res.json["status_reason"], "Uteblev på grund av pandemin.");
        let res = patch(json!({"status": "discussed"})).await.expect(409);
        assert_eq!(res.json["current_status"], "postponed");
        let res = patch(json!({"status": "scheduled"})).await.expect(409);
        assert_eq!(res.json["current_status"], "postponed");
        patch(json!({"status": "unknown"})).await.expect(422);
        let res = patch(json!({"status": "accepted"})).await.expect(200);
        assert_eq!(res.json["status_reason"], json!(null), "the reason goes with the postponement");
        patch(json!({"status": "rejected", "status_reason": "Tas upp i annat nätverk."})).await.expect(200);
        patch(json!({"status": "accepted"})).await.expect(409);
        patch(json!({"status": "proposed"})).await.expect(200);
        // Internal: any signed-in user sees it, but only insiders propose.
        app.get(&format!("/api/v1/themes/{t}")).token(&cast.outsider).send().await.expect(200);
        app.post("/api/v1/themes").token(&cast.outsider).json(json!({"title": "X", "network_id": cast.network})).send().await.expect(403);
        // The proposer may withdraw it while proposed.
        app.delete(&format!("/api/v1/themes/{t}")).token(&cast.outsider).send().await.expect(403);
        app.delete(&format!("/api/v1/themes/{t}")).token(&cast.member).send().await.expect(204);
        app.get(&format!("/api/v1/themes/{t}")).token(&cast.member).send().await.expect(404);
    }
}

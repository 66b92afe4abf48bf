//! Minutes: the draft, submission, approval by each approver, amendments that keep
//! history, the protocol document, and who may do what.

mod common;

use serde_json::json;

async fn meeting_with_agenda(app: &common::TestApp, cast: &common::Cast) -> (String, Vec<String>) {
    let m = app.post("/api/v1/meetings").token(&cast.coordinator)
        .json(json!({"network_id": cast.network, "title": "Nätverket för IFO-chefer", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "mode": "digital", "location": "Teams"}))
        .send().await.expect(201).id();
    let mut items = Vec::new();
    for title in ["Mötet inleds", "Information från GR"] {
        items.push(
            app.post(&format!("/api/v1/meetings/{m}/agenda-items"))
                .token(&cast.coordinator)
                .json(json!({"title": title}))
                .send()
                .await
                .expect(201)
                .id(),
        );
    }
    (m, items)
}

async fn person_of(app: &common::TestApp, token: &str) -> String {
    app.get("/api/v1/me")
        .token(token)
        .send()
        .await
        .expect(200)
        .json["person_id"]
        .as_str()
        .unwrap()
        .to_string()
}

db_test! {
    async fn draft_submit_approve_and_amend(app) {
        let cast = app.cast("restricted").await;
        let (m, items) = meeting_with_agenda(&app, &cast).await;
        let coordinator = person_of(&app, &cast.coordinator).await;
        let member = person_of(&app, &cast.member).await;
        let path = format!("/api/v1/meetings/{m}/minutes");
        app.get(&path).token(&cast.member).send().await.expect(404);

        let draft = json!({
            "recorded_by": [coordinator],
            "approvers": [member, cast.participant_person],
            "sections": [
                {"agenda_item_id": items[0], "heading": "Mötet inleds", "notes": "Inledning och kort introduktion."},
                {"agenda_item_id": items[1], "heading": "Information från GR", "notes": "Uppföljning av ekonomiskt bistånd pågår.",
                 "decisions": ["GR sammanställer uppföljningen till hösten."],
                 "action_items": [{"title": "Skicka ut VGR:s dokument om kris", "owner_person_id": coordinator, "due_on": "2020-05-22"}]}
            ]
        });
        let created = app.put(&path).token(&cast.coordinator).json(draft.clone()).send().await.expect(201);
        assert_eq!(created.json["status"], "draft");
        assert_eq!(created.json["approval_due_on"], "2020-05-22", "14 days after the meeting");
        let action_id = created.json["sections"][1]["action_items"][0]["id"].as_str().unwrap().to_string();
        assert_eq!(created.json["sections"][1]["action_items"][0]["network_id"], cast.network.as_str());

        // Saving again with the action item's id keeps its identity; without it, a new one.
        let mut again = draft.clone();
        again["sections"][1]["action_items"][0]["id"] = json!(action_id);
        again["sections"][1]["action_items"][0]["title"] = json!("Skicka ut VGR:s dokument om att arbeta i kris");
        let replaced = app.put(&path).token(&cast.coordinator).header("If-Match", "\"1\"").json(again.clone()).send().await.expect(200);
        assert_eq!(replaced.json["sections"][1]["action_items"][0]["id"], action_id.as_str());
        assert_eq!(replaced.json["version"], 2);
        app.put(&path).token(&cast.coordinator).header("If-Match", "\"1\"").json(again.clone()).send().await.expect(412);
        let mut foreign = again.clone();
        foreign["sections"][1]["action_items"][0]["id"] = json!("019a84f4-7b63-7ab2-bdf0-2e06c5de92d1");
        let bad = app.put(&path).token(&cast.coordinator).json(foreign).send().await.expect(422);
        assert_eq!(bad.fields(), ["sections[1].action_items[0].id"]);
        let bad = app.put(&path).token(&cast.coordinator)
            .json(json!({"sections": [{"heading": "", "agenda_item_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"}]})).send().await.expect(422);
        assert_eq!(bad.fields(), ["sections[0].heading"]);
        let bad = app.put(&path).token(&cast.coordinator)
            .json(json!({"sections": [{"heading": "X", "agenda_item_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"}]})).send().await.expect(422);
        assert_eq!(bad.fields(), ["sections[0].agenda_item_id"]);

        // Only coordinators write; members read.
        app.put(&path).token(&cast.member).json(again.clone()).send().await.expect(403);
        app.put(&path).token(&cast.outsider).json(again.clone()).send().await.expect(404);
        app.get(&path).token(&cast.member).send().await.expect(200);
        app.get(&path).token(&cast.outsider).send().await.expect(404);
        app.get(&path).send().await.expect(404);

        // Wrong transitions name the current state.
        let early = app.post(&format!("{path}/approve")).token(&cast.member).send().await.expect(409);
        assert_eq!(early.json["current_status"], "draft");
        app.post(&format!("{path}/submit")).token(&cast.member).send().await.expect(403);
        let submitted = app.post(&format!("{path}/submit")).token(&cast.coordinator).send().await.expect(200);
        assert_eq!(submitted.json["status"], "submitted");
        let twice = app.post(&format!("{path}/submit")).token(&cast.coordinator).send().await.expect(409);
        assert_eq!(twice.json["current_status"], "submitted");
        let locked = app.put(&path).token(&cast.coordinator).json(again.clone()).send().await.expect(409);
        assert_eq!(locked.json["current_status"], "submitted");

        // Each approver approves; a non-approver may not.
        app.post(&format!("{path}/approve")).token(&cast.coordinator).send().await.expect(403);
        let first = app.post(&format!("{path}/approve")).token(&cast.member).send().await.expect(200);
        assert_eq!(first.json["status"], "submitted");
        assert_eq!(first.json["approvals"].as_array().unwrap().len(), 1);
        let dup = app.post(&format!("{path}/approve")).token(&cast.member).send().await.expect(409);
        assert_eq!(dup.json["current_status"], "submitted");
        let last = app.post(&format!("{path}/approve")).token(&cast.participant).send().await.expect(200);
        assert_eq!(last.json["status"], "approved");
        assert!(last.json["approved_at"].is_string());
        assert_eq!(last.json["approvals"].as_array().unwrap().len(), 2);
        let approved_version = last.json["version"].as_i64().unwrap();

        // Approved minutes are read-only; a correction is an amendment that keeps the old text.
        let locked = app.put(&path).token(&cast.coordinator).json(again.clone()).send().await.expect(409);
        assert_eq!(locked.json["current_status"], "approved");
        let mut corrected = again["sections"].clone();
        corrected[0]["notes"] = json!("Inledning och kort introduktion till mötet via Teams.");
        corrected[1]["action_items"][0]["id"] = json!(action_id);
        app.post(&format!("{path}/amendments")).token(&cast.member).json(json!({"reason": "x", "sections": corrected})).send().await.expect(403);
        app.post(&format!("{path}/amendments")).token(&cast.coordinator).json(json!({"reason": "", "sections": corrected})).send().await.expect(422);
        let amended = app.post(&format!("{path}/amendments")).token(&cast.coordinator)
            .json(json!({"reason": "Förtydligande av § 1.", "sections": corrected})).send().await.expect(200);
        assert_eq!(amended.json["status"], "approved");
        assert_eq!(amended.json["sections"][0]["notes"], "Inledning och kort introduktion till mötet via Teams.");
        assert_eq!(amended.json["amendments"][0]["reason"], "Förtydligande av § 1.");
        assert_eq!(amended.json["amendments"][0]["changed_by"], coordinator.as_str());
        assert_eq!(amended.json["sections"][1]["action_items"][0]["id"], action_id.as_str());
        let old = app.get(&format!("{path}?version={approved_version}")).token(&cast.member).send().await.expect(200);
        assert_eq!(old.json["sections"][0]["notes"], "Inledning och kort introduktion.");
        assert_eq!(old.json["version"], approved_version);
        let first_draft = app.get(&format!("{path}?version=1")).token(&cast.member).send().await.expect(200);
        assert_eq!(first_draft.json["status"], "draft");
        app.get(&format!("{path}?version=999")).token(&cast.member).send().await.expect(404);
        let current = app.get(&path).token(&cast.member).send().await.expect(200);
        assert_eq!(current.json, amended.json);
        let audit = app.get("/api/v1/audit-events?resource_type=minutes").token(&app.admin_token).send().await.expect(200);
        let events = audit.json["data"].as_array().unwrap();
        let writes: Vec<&str> = events.iter().map(|e| e["action"].as_str().unwrap()).filter(|a| *a != "minutes.read").collect();
        assert_eq!(writes, ["minutes.create", "minutes.update", "minutes.submit", "minutes.approve", "minutes.approve", "minutes.amend"]);
        // These minutes are restricted: every read is recorded, with who read them.
        let me = app.get("/api/v1/me").token(&cast.member).send().await.expect(200);
        let reads: Vec<&serde_json::Value> = events.iter().filter(|e| e["action"] == "minutes.read").collect();
        assert_eq!(reads.len(), 4, "{events:?}");
        assert!(reads.iter().all(|e| e["actor_user_id"] == me.json["id"] && e["resource_id"] == current.json["id"]));
    }
}

db_test! {
    async fn submitting_needs_an_approver(app) {
        let cast = app.cast("restricted").await;
        let (m, _) = meeting_with_agenda(&app, &cast).await;
        let path = format!("/api/v1/meetings/{m}/minutes");
        app.post(&format!("{path}/submit")).token(&cast.coordinator).send().await.expect(404);
        app.put(&path).token(&cast.coordinator).json(json!({"sections": []})).send().await.expect(201);
        let res = app.post(&format!("{path}/submit")).token(&cast.coordinator).send().await.expect(422);
        assert_eq!(res.fields(), ["approvers"]);
        let res = app.put(&path).token(&cast.coordinator).json(json!({"approvers": ["019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"]})).send().await.expect(422);
        assert_eq!(res.fields(), ["approvers[0]"]);
        let res = app.put(&path).token(&cast.coordinator).json(json!({"approvers": [cast.participant_person, cast.participant_person]})).send().await.expect(422);
        assert_eq!(res.fields(), ["approvers[1]"]);
        let amend = app.post(&format!("{path}/amendments")).token(&cast.coordinator).json(json!({"reason": "x", "sections": []})).send().await.expect(409);
        assert_eq!(amend.json["current_status"], "draft");
    }
}

//! Minutes: the draft, submission, approval by each approver, amendments that keep
//! history, the protocol document, and who may do what.

use crate::common;

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

/// Minutes approved by the member and the participant, with two action items in § 2.
async fn approved_minutes(app: &common::TestApp, cast: &common::Cast) -> (String, Vec<String>) {
    let (m, items) = meeting_with_agenda(app, cast).await;
    let coordinator = person_of(app, &cast.coordinator).await;
    let member = person_of(app, &cast.member).await;
    let path = format!("/api/v1/meetings/{m}/minutes");
    let draft = json!({
        "document_type": "protocol",
        "recorded_by": [coordinator],
        "approvers": [member],
        "sections": [
            {"agenda_item_id": items[0], "heading": "Mötet inleds", "notes": "Inledning."},
            {"agenda_item_id": items[1], "heading": "Information från GR",
             "information_items": [
                {"title": "Uppföljning Ekonomiskt bistånd", "text": "Arbete för gemensam uppföljning pågår.", "organization_id": cast.owner_org},
                {"text": "Mötesplats IFO 20 nov planeras som vanligt."}
             ],
             "action_items": [
                {"title": "Skicka ut VGR:s dokument om kris", "owner_person_id": member},
                {"title": "Sammanställ statistik", "owner_organization_id": cast.owner_org}
             ]}
        ]
    });
    let created = app
        .put(&path)
        .token(&cast.coordinator)
        .json(draft)
        .send()
        .await
        .expect(201);
    let ids = created.json["sections"][1]["action_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    app.post(&format!("{path}/submit"))
        .token(&cast.coordinator)
        .send()
        .await
        .expect(200);
    app.post(&format!("{path}/approve"))
        .token(&cast.member)
        .send()
        .await
        .expect(200);
    (m, ids)
}

db_test! {
    async fn information_items_and_the_document_type(app) {
        let cast = app.cast("restricted").await;
        let (m, _) = approved_minutes(&app, &cast).await;
        let read = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&cast.member).send().await.expect(200);
        assert_eq!(read.json["document_type"], "protocol");
        let info = read.json["sections"][1]["information_items"].as_array().unwrap();
        assert_eq!(info.len(), 2);
        assert_eq!(info[0]["title"], "Uppföljning Ekonomiskt bistånd");
        assert_eq!(info[0]["organization_id"], cast.owner_org.as_str());
        assert_eq!(info[1]["organization_id"], serde_json::Value::Null);
        assert_eq!(read.json["sections"][0]["information_items"], json!([]));

        // Bad information items are named by place; a draft keeps its type when left out.
        let (m2, _) = meeting_with_agenda(&app, &cast).await;
        let path = format!("/api/v1/meetings/{m2}/minutes");
        let bad = app.put(&path).token(&cast.coordinator).json(json!({"document_type": "memo", "sections": [{"heading": "X", "information_items": [{"text": ""}, {"text": "ok", "organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"}]}]})).send().await.expect(422);
        assert_eq!(bad.fields(), ["document_type", "sections[0].information_items[0].text"]);
        let bad = app.put(&path).token(&cast.coordinator).json(json!({"sections": [{"heading": "X", "information_items": [{"text": "ok", "organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"}]}]})).send().await.expect(422);
        assert_eq!(bad.fields(), ["sections[0].information_items[0].organization_id"]);
        let notes = app.put(&path).token(&cast.coordinator).json(json!({"sections": []})).send().await.expect(201);
        assert_eq!(notes.json["document_type"], "notes");
        app.put(&path).token(&cast.coordinator).json(json!({"document_type": "protocol"})).send().await.expect(200);
        let kept = app.put(&path).token(&cast.coordinator).json(json!({"sections": []})).send().await.expect(200);
        assert_eq!(kept.json["document_type"], "protocol");
    }
}

db_test! {
    async fn approved_minutes_stay_as_approved(app) {
        let cast = app.cast("restricted").await;
        let (m, ids) = approved_minutes(&app, &cast).await;
        let path = format!("/api/v1/meetings/{m}/minutes");
        let approved = app.get(&path).token(&cast.member).send().await.expect(200);
        let etag = approved.header("ETag").unwrap().to_string();

        // Closing an action item is the item's own business: the minutes do not move.
        let done = app.patch(&format!("/api/v1/action-items/{}", ids[0])).token(&cast.member).json(json!({"status": "done"})).send().await.expect(200);
        assert_eq!(done.json["status"], "done");
        let after = app.get(&path).token(&cast.member).send().await.expect(200);
        assert_eq!(after.text, approved.text, "approved minutes changed when an item was closed");
        assert_eq!(after.header("ETag"), Some(etag.as_str()));
        app.get(&path).token(&cast.member).header("If-None-Match", &etag).send().await.expect(304);
        // What the minutes say about the item changes only by amendment.
        let renamed = app.patch(&format!("/api/v1/action-items/{}", ids[1])).token(&cast.coordinator).json(json!({"title": "Något annat"})).send().await.expect(409);
        assert_eq!(renamed.json["current_status"], "approved");
        app.patch(&format!("/api/v1/action-items/{}", ids[1])).token(&cast.coordinator).json(json!({"status": "cancelled"})).send().await.expect(200);
        assert_eq!(app.get(&path).token(&cast.member).send().await.expect(200).text, approved.text);
    }
}

db_test! {
    async fn an_amendment_says_what_it_changes_and_removes_only_what_it_names(app) {
        let cast = app.cast("restricted").await;
        let (m, ids) = approved_minutes(&app, &cast).await;
        let path = format!("/api/v1/meetings/{m}/minutes");
        let approved = app.get(&path).token(&cast.member).send().await.expect(200);
        app.patch(&format!("/api/v1/action-items/{}", ids[0])).token(&cast.member).json(json!({"status": "done"})).send().await.expect(200);
        // The README's way: sections without their action items. Nothing is removed.
        let mut sections = approved.json["sections"].clone();
        for s in sections.as_array_mut().unwrap() {
            s.as_object_mut().unwrap().remove("action_items");
        }
        sections[0]["notes"] = json!("Inledning via Teams.");
        let amended = app.post(&format!("{path}/amendments")).token(&cast.coordinator)
            .json(json!({"reason": "Förtydligande av § 1.", "sections": sections})).send().await.expect(200);
        let kept: Vec<&str> = amended.json["sections"][1]["action_items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
        assert_eq!(kept, [ids[0].as_str(), ids[1].as_str()]);
        assert_eq!(amended.json["amendments"][0]["changes"], json!([{"section": 1, "part": "notes", "action_item_id": null}]));
        let live = app.get(&format!("/api/v1/action-items?network_id={}&status=done", cast.network)).token(&cast.member).send().await.expect(200);
        assert_eq!(live.json["data"][0]["id"], ids[0].as_str(), "the amendment reopened nothing");

        // Nothing changed: refused. Removing the section that holds items: say so.
        let same = app.post(&format!("{path}/amendments")).token(&cast.coordinator).json(json!({"reason": "x", "sections": sections})).send().await.expect(422);
        assert_eq!(same.fields(), ["sections"]);
        let shorter = json!([sections[0]]);
        let silent = app.post(&format!("{path}/amendments")).token(&cast.coordinator).json(json!({"reason": "x", "sections": shorter})).send().await.expect(422);
        assert_eq!(silent.fields(), ["removed_action_item_ids"]);
        let foreign = app.post(&format!("{path}/amendments")).token(&cast.coordinator)
            .json(json!({"reason": "x", "sections": sections, "removed_action_item_ids": ["019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"]})).send().await.expect(422);
        assert_eq!(foreign.fields(), ["removed_action_item_ids[0]"]);

        // Named, it goes; the change says which.
        let removed = app.post(&format!("{path}/amendments")).token(&cast.coordinator)
            .json(json!({"reason": "Punkten var redan utförd före mötet.", "sections": sections, "removed_action_item_ids": [ids[1]]})).send().await.expect(200);
        let left: Vec<&str> = removed.json["sections"][1]["action_items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
        assert_eq!(left, [ids[0].as_str()]);
        assert_eq!(removed.json["amendments"][1]["changes"], json!([{"section": 2, "part": "action_item_removed", "action_item_id": ids[1]}]));
        let all = app.get(&format!("/api/v1/action-items?network_id={}", cast.network)).token(&cast.member).send().await.expect(200);
        assert_eq!(all.json["data"].as_array().unwrap().len(), 1);
    }
}

db_test! {
    async fn notes_agree_and_name_who_was_away(app) {
        let cast = app.cast("restricted").await;
        let (m, items) = meeting_with_agenda(&app, &cast).await;
        let coordinator = person_of(&app, &cast.coordinator).await;
        let member = person_of(&app, &cast.member).await;
        app.put(&format!("/api/v1/meetings/{m}/attendees")).token(&cast.coordinator).json(json!([
            {"person_id": coordinator, "organization_id": cast.owner_org, "role": "chair", "attendance": "present"},
            {"person_id": member, "organization_id": cast.member_org, "role": "participant", "attendance": "excused"},
            {"person_id": cast.participant_person, "role": "participant", "attendance": "absent"}
        ])).send().await.expect(200);
        let path = format!("/api/v1/meetings/{m}/minutes");
        app.put(&path).token(&cast.coordinator).json(json!({
            "recorded_by": [coordinator],
            "sections": [{"agenda_item_id": items[0], "heading": "Mötet inleds", "decisions": ["Nätverket ses igen i höst."],
                          "information_items": [{"text": "Planeringsgruppen träffas i eftermiddag.", "organization_id": cast.owner_org}]}]
        })).send().await.expect(201);
        let doc = app.get(&path).token(&cast.member).header("Accept", "text/markdown").send().await.expect(200);
        let text = &doc.text;
        for expected in [
            "**MINNESANTECKNINGAR**",
            "**Ordförande:** ",
            "## Anmält förhinder\n\n- ",
            " (Partille kommun)",
            "## Frånvarande\n\n- ",
            "## Anteckningar\n\n### § 1. Mötet inleds",
            "**Information:**\n\n- Information från Göteborgsregionen: Planeringsgruppen träffas i eftermiddag.",
            "**Överenskommelser:**\n\n- Nätverket ses igen i höst.",
            "## Nästa möte\n\nInget nytt möte är inplanerat.",
            "## Antecknat av",
            "## Justeras\n\nInga justerare är utsedda.",
            "*Utkast – ej justerat*",
        ] {
            assert!(text.contains(expected), "the notes lack {expected:?}:\n{text}");
        }
        assert!(!text.contains("Beslut"), "notes agree rather than decide: {text}");
        assert!(!text.contains("Vid protokollet"), "{text}");
    }
}

db_test! {
    async fn the_protocol_is_served_as_asked(app) {
        let cast = app.cast("restricted").await;
        let (m, _) = approved_minutes(&app, &cast).await;
        let path = format!("/api/v1/meetings/{m}/minutes");
        let get = |accept: &'static str| app.get(&path).token(&cast.member).header("Accept", accept);
        let json = get("application/json").send().await.expect(200);
        assert_eq!(json.header("content-type"), Some("application/json"));
        let version = json.json["version"].as_i64().unwrap();
        assert_eq!(json.header("etag"), Some(format!("\"{version}\"").as_str()));
        assert_eq!(get("*/*").send().await.expect(200).header("content-type"), Some("application/json"));
        assert!(get("text/*").send().await.expect(200).header("content-type").unwrap().starts_with("text/markdown"));
        let md = get("application/json;q=0.5, text/markdown").send().await.expect(200);
        assert!(md.header("content-type").unwrap().starts_with("text/markdown"));
        let tag = md.header("etag").unwrap().to_string();
        assert!(tag.starts_with(&format!("\"{version}-markdown-")), "{tag}");
        // The document shows more than the minutes (the next meeting): when that
        // changes, so does its tag, and a cached copy is not declared fresh.
        app.get(&path).token(&cast.member).header("Accept", "text/markdown").header("If-None-Match", &tag).send().await.expect(304);
        app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Mötesplats IFO", "starts_at": "2099-11-20T09:00", "ends_at": "2099-11-20T15:00"}))
            .send().await.expect(201);
        let next = app.get(&path).token(&cast.member).header("Accept", "text/markdown").header("If-None-Match", &tag).send().await.expect(200);
        assert!(next.text.contains("2099-11-20, 09:00–15:00: Mötesplats IFO"), "{}", next.text);
        let new_tag = next.header("etag").unwrap().to_string();
        assert_ne!(new_tag, tag);
        assert!(new_tag.starts_with(&format!("\"{version}-markdown-")), "the minutes' version is unchanged: {new_tag}");
        let md = get("application/json;q=0.5, text/markdown").send().await.expect(200);
        assert!(md.header("vary").unwrap().starts_with("Accept"), "{:?}", md.header("vary"));
        let pdf = get("application/pdf, application/json;q=0.1").send().await.expect(200);
        assert_eq!(pdf.header("content-type"), Some("application/pdf"));
        assert!(pdf.header("content-disposition").unwrap().contains(".pdf"));
        // Nothing it can give: 406, as problem+json naming what it offers.
        for accept in ["text/html", "image/png", "application/pdf;q=0, text/html"] {
            let refused = get(accept).send().await.expect(406);
            assert_eq!(refused.header("content-type"), Some("application/problem+json"));
            assert!(refused.json["detail"].as_str().unwrap().contains("application/pdf"), "{}", refused.text);
        }
        // Earlier versions are kept as JSON only.
        app.get(&format!("{path}?version=1")).token(&cast.member).header("Accept", "application/pdf").send().await.expect(406);
        app.get(&format!("{path}?version=1")).token(&cast.member).send().await.expect(200);
        // Not visible comes first: 404, whatever is asked for.
        app.get(&path).token(&cast.outsider).header("Accept", "text/html").send().await.expect(404);
    }
}

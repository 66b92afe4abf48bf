//! Requests to members: an action item addressed to every member organization of the
//! network (or to organizations by name), with a status and an answer from each; who
//! may answer for whom; the asker sees who has answered; `mine=true` shows a member what
//! is asked of its organization; the addressing is part of the minutes, the answers are
//! not; and the answers travel in the bundle.

use crate::common;

use serde_json::{Value, json};

struct World {
    cast: common::Cast,
    molndal: String,
    molndal_user: String,
    meeting: String,
    item: String,
}

/// The cast's network with a second member (Mölndal) and a member that left before the
/// meeting (Lerum), and draft minutes of 2020-05-08 asking every member, and GR by name.
async fn world(app: &common::TestApp) -> World {
    let cast = app.cast("restricted").await;
    let molndal = app.organization("Mölndals stad", "municipality").await;
    let (_, molndal_user) = app.user("maria@molndal.se", Some(&molndal)).await;
    let lerum = app.organization("Lerums kommun", "municipality").await;
    let members = format!("/api/v1/networks/{}/members", cast.network);
    app.post(&members)
        .token(&cast.coordinator)
        .json(json!({"organization_id": molndal}))
        .send()
        .await
        .expect(201);
    app.post(&members)
        .token(&cast.coordinator)
        .json(json!({"organization_id": lerum, "joined_on": "2018-01-01", "left_on": "2020-01-01"}))
        .send()
        .await
        .expect(201);
    let meeting = app.post("/api/v1/meetings").token(&cast.coordinator)
        .json(json!({"network_id": cast.network, "title": "Nätverksträff", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "status": "held"}))
        .send().await.expect(201).id();
    let minutes = app.put(&format!("/api/v1/meetings/{meeting}/minutes")).token(&cast.coordinator)
        .json(json!({"sections": [{"heading": "Information från GR", "action_items": [
            {"title": "Snabba svar till Nicholas om Yrkesresan – utförare", "addressed_to_members": true, "addressee_organization_ids": [cast.owner_org]}
        ]}]}))
        .send().await.expect(201);
    let item = minutes.json["sections"][0]["action_items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    World {
        cast,
        molndal,
        molndal_user,
        meeting,
        item,
    }
}

fn statuses(item: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = item["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["organization_id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn sorted(mut pairs: Vec<(&str, &str)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

db_test! {
    async fn a_request_to_every_member_collects_an_answer_from_each(app) {
        let w = world(&app).await;
        let c = &w.cast;
        let item_url = format!("/api/v1/action-items/{}", w.item);
        let got = app.get(&item_url).token(&c.coordinator).send().await.expect(200);
        assert_eq!(got.json["addressed_to_members"], true);
        assert_eq!(got.json["addressee_organization_ids"], json!([c.owner_org]));
        // The members on the meeting's day (not Lerum, which had left), and GR by name.
        assert_eq!(statuses(&got.json), sorted(vec![(&c.member_org, "open"), (&w.molndal, "open"), (&c.owner_org, "open")]));

        // Each member sees what is asked of its organization; others do not.
        let mine = app.get("/api/v1/action-items?mine=true").token(&c.member).send().await.expect(200);
        assert_eq!(mine.json["data"].as_array().unwrap().len(), 1);
        assert_eq!(mine.json["data"][0]["id"], w.item.as_str());
        let theirs = app.get("/api/v1/action-items?mine=true").token(&w.molndal_user).send().await.expect(200);
        assert_eq!(theirs.json["data"].as_array().unwrap().len(), 1);
        let nobody = app.get("/api/v1/action-items?mine=true").token(&c.participant).send().await.expect(200);
        assert_eq!(nobody.json["data"].as_array().unwrap().len(), 0, "a participant without an organization is asked nothing");
        app.get(&item_url).token(&c.outsider).send().await.expect(404);

        // Partille answers for itself, and only for itself.
        let partille = format!("{item_url}/replies/{}", c.member_org);
        let molndal = format!("{item_url}/replies/{}", w.molndal);
        let answer = json!({"status": "answered", "answer": "Materialet är läst."});
        app.put(&molndal).token(&c.member).json(answer.clone()).send().await.expect(403);
        app.put(&format!("{item_url}/replies/{}", c.outsider_org)).token(&c.member).json(answer.clone()).send().await.expect(404);
        app.put(&partille).token(&c.outsider).json(answer.clone()).send().await.expect(404);
        app.put(&partille).json(answer.clone()).send().await.expect(401);
        let res = app.put(&partille).token(&c.member).json(json!({"status": "answered"})).send().await.expect(422);
        assert_eq!(res.fields(), ["answer"]);
        let res = app.put(&partille).token(&c.member).json(json!({"status": "kanske"})).send().await.expect(422);
        assert_eq!(res.fields(), ["status"]);
        let before = app.get(&item_url).token(&c.coordinator).send().await.expect(200).json["version"].clone();
        let done = app.put(&partille).token(&c.member).header("If-Match", "\"1\"").json(answer.clone()).send().await.expect(200);
        assert_eq!(done.header("etag"), Some("\"2\""));
        assert_eq!(done.json["status"], "answered");
        assert_eq!(done.json["answer"], "Materialet är läst.");
        assert!(done.json["answered_at"].is_string() && done.json["answered_by_person_id"].is_string());
        // A stale answer is refused, never written over.
        app.put(&partille).token(&c.member).header("If-Match", "\"1\"").json(json!({"status": "declined"})).send().await.expect(412);
        // The coordinator enters Mölndal's answer, which came by mail.
        app.put(&molndal).token(&c.coordinator).json(json!({"status": "declined", "answer": "Berör inte Mölndal."})).send().await.expect(200);

        // The asker sees who has answered; the item moved, the minutes did not.
        let got = app.get(&item_url).token(&c.coordinator).send().await.expect(200);
        assert_eq!(statuses(&got.json), sorted(vec![(&c.member_org, "answered"), (&w.molndal, "declined"), (&c.owner_org, "open")]));
        assert!(got.json["version"].as_i64() > before.as_i64());
        let minutes = app.get(&format!("/api/v1/meetings/{}/minutes", w.meeting)).token(&c.coordinator).send().await.expect(200);
        assert_eq!(minutes.json["version"], 1, "answers are not the minutes' text");
        let asked = app.get(&format!("/api/v1/action-items?addressee_organization_id={}", w.molndal)).token(&c.member).send().await.expect(200);
        assert_eq!(asked.json["data"].as_array().unwrap().len(), 1);
        // Answering `open` again takes the answer back.
        let reopened = app.put(&partille).token(&c.member).json(json!({"status": "open"})).send().await.expect(200);
        assert_eq!(reopened.json["answered_at"], Value::Null);
    }
}

db_test! {
    async fn the_addressing_is_written_by_the_minutes_and_the_answers_stay(app) {
        let w = world(&app).await;
        let c = &w.cast;
        let item_url = format!("/api/v1/action-items/{}", w.item);
        let minutes_url = format!("/api/v1/meetings/{}/minutes", w.meeting);
        app.put(&format!("{item_url}/replies/{}", w.molndal)).token(&w.molndal_user)
            .json(json!({"status": "answered", "answer": "Två placeringar."})).send().await.expect(200);

        // The draft written again as it was keeps every answer.
        let section = |items: Value| json!({"sections": [{"heading": "Information från GR", "action_items": items}]});
        app.put(&minutes_url).token(&c.coordinator)
            .json(section(json!([{"id": w.item, "title": "Snabba svar till Nicholas om Yrkesresan – utförare", "addressed_to_members": true, "addressee_organization_ids": [c.owner_org]}])))
            .send().await.expect(200);
        let got = app.get(&item_url).token(&c.coordinator).send().await.expect(200);
        assert_eq!(statuses(&got.json), sorted(vec![(&c.member_org, "open"), (&w.molndal, "answered"), (&c.owner_org, "open")]));

        // Addressed to Mölndal alone: the others are no longer asked; Mölndal's answer stays.
        app.put(&minutes_url).token(&c.coordinator)
            .json(section(json!([{"id": w.item, "title": "Snabba svar till Nicholas om Yrkesresan – utförare", "addressee_organization_ids": [w.molndal]}])))
            .send().await.expect(200);
        let got = app.get(&item_url).token(&c.coordinator).send().await.expect(200);
        assert_eq!(statuses(&got.json), sorted(vec![(&w.molndal, "answered")]));
        let mine = app.get("/api/v1/action-items?mine=true").token(&c.member).send().await.expect(200);
        assert_eq!(mine.json["data"].as_array().unwrap().len(), 0);

        // Bad addressing is named.
        let res = app.put(&minutes_url).token(&c.coordinator)
            .json(section(json!([{"title": "Svar", "addressee_organization_ids": [c.member_org, c.member_org]}])))
            .send().await.expect(422);
        assert_eq!(res.fields(), ["sections[0].action_items[0].addressee_organization_ids[1]"]);
        let res = app.put(&minutes_url).token(&c.coordinator)
            .json(section(json!([{"title": "Svar", "addressee_organization_ids": ["019a84f5-0000-7000-8000-00000000dead"]}])))
            .send().await.expect(422);
        assert_eq!(res.fields(), ["sections[0].action_items[0].addressee_organization_ids[0]"]);
        let outside = app.post("/api/v1/meetings").token(&c.coordinator)
            .json(json!({"organizer_organization_id": c.owner_org, "title": "Eget möte", "starts_at": "2020-05-09T09:00", "ends_at": "2020-05-09T10:00"}))
            .send().await.expect(201).id();
        let res = app.put(&format!("/api/v1/meetings/{outside}/minutes")).token(&c.coordinator)
            .json(section(json!([{"title": "Svar", "addressed_to_members": true}])))
            .send().await.expect(422);
        assert_eq!(res.fields(), ["sections[0].action_items[0].addressed_to_members"]);

        // Submitted and approved, the minutes keep their addressing; an amendment that does
        // not mention the item leaves it and its answers as they are.
        let me = app.get("/api/v1/me").token(&c.member).send().await.expect(200).json["person_id"].as_str().unwrap().to_string();
        app.put(&minutes_url).token(&c.coordinator)
            .json(json!({"approvers": [me], "sections": [{"heading": "Information från GR", "action_items": [{"id": w.item, "title": "Snabba svar till Nicholas om Yrkesresan – utförare", "addressee_organization_ids": [w.molndal]}]}]}))
            .send().await.expect(200);
        app.post(&format!("{minutes_url}/submit")).token(&c.coordinator).send().await.expect(200);
        app.post(&format!("{minutes_url}/approve")).token(&c.member).send().await.expect(200);
        app.post(&format!("{minutes_url}/amendments")).token(&c.coordinator)
            .json(json!({"reason": "Rubriken rättad.", "sections": [{"heading": "Information från Göteborgsregionen"}]}))
            .send().await.expect(200);
        let got = app.get(&item_url).token(&c.coordinator).send().await.expect(200);
        assert_eq!(statuses(&got.json), sorted(vec![(&w.molndal, "answered")]));
        // Answering after approval is the item's business, not the minutes'.
        let version = app.get(&minutes_url).token(&c.coordinator).send().await.expect(200).json["version"].clone();
        app.put(&format!("{item_url}/replies/{}", w.molndal)).token(&w.molndal_user)
            .json(json!({"status": "answered", "answer": "Tre placeringar."})).send().await.expect(200);
        assert_eq!(app.get(&minutes_url).token(&c.coordinator).send().await.expect(200).json["version"], version);
    }
}

db_test! {
    async fn members_answering_at_once_lose_nothing(app) {
        // Real concurrency on PostgreSQL: every answer lands, and the item moves once per
        // answer (no lost update of its version).
        let w = world(&app).await;
        let c = &w.cast;
        let item_url = format!("/api/v1/action-items/{}", w.item);
        let before = app.get(&item_url).token(&c.coordinator).send().await.expect(200).json["version"].as_i64().unwrap();
        let answers = [
            (c.member.clone(), c.member_org.clone()),
            (w.molndal_user.clone(), w.molndal.clone()),
            (c.coordinator.clone(), c.owner_org.clone()),
        ];
        let sent = answers.iter().map(|(token, org)| {
            let app = &app;
            let url = format!("{item_url}/replies/{org}");
            async move {
                app.put(&url).token(token).json(json!({"status": "answered", "answer": format!("Svar från {org}")})).send().await.expect(200)
            }
        });
        futures_util::future::join_all(sent).await;
        let got = app.get(&item_url).token(&c.coordinator).send().await.expect(200);
        assert!(statuses(&got.json).iter().all(|(_, s)| s == "answered"), "{}", got.json);
        assert_eq!(got.json["version"].as_i64().unwrap(), before + 3);
    }
}

db_test! {
    async fn the_answers_travel_in_the_bundle(app) {
        let w = world(&app).await;
        let c = &w.cast;
        app.put(&format!("/api/v1/action-items/{}/replies/{}", w.item, c.member_org)).token(&c.member)
            .json(json!({"status": "answered", "answer": "Materialet är läst."})).send().await.expect(200);
        let bundle = app.get(&format!("/api/v1/export?network_id={}", c.network)).token(&app.admin_token).send().await.expect(200);
        let minutes = bundle.json["minutes"].as_array().unwrap();
        let action = &minutes[0]["sections"][0]["action_items"][0];
        assert_eq!(action["addressed_to_members"], true);
        assert_eq!(action["addressees"].as_array().unwrap().len(), 1);
        let replies = action["replies"].as_array().unwrap();
        assert_eq!(replies.len(), 1, "only the answered travel: everyone asked is open by default");
        assert_eq!(replies[0]["status"], "answered");
        assert_eq!(replies[0]["answer"], "Materialet är läst.");

        // Into a fresh database: the same request, asking the same members, with the answer.
        let fresh = common::TestApp::spawn(app.backend).await.unwrap();
        fresh.post("/api/v1/import").token(&fresh.admin_token).raw("application/json", bundle.text.clone()).send().await.expect(200);
        let items = fresh.get("/api/v1/action-items").token(&fresh.admin_token).send().await.expect(200);
        let item = &items.json["data"][0];
        let mut got: Vec<String> = item["replies"].as_array().unwrap().iter().map(|r| format!("{}:{}", r["status"].as_str().unwrap(), r["answer"].as_str().unwrap_or(""))).collect();
        got.sort();
        assert_eq!(got, ["answered:Materialet är läst.", "open:", "open:"]);
        let again = fresh.get(&format!("/api/v1/export?network_id={}", item["network_id"].as_str().unwrap())).token(&fresh.admin_token).send().await.expect(200);
        assert_eq!(again.json["minutes"][0]["sections"][0]["action_items"][0]["replies"], action["replies"]);
    }
}

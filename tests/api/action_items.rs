//! Action items across networks: `mine`, the filters, who may close them, and the
//! open items a chair goes through first.

use crate::common;

use serde_json::json;

async fn minutes_with_actions(
    app: &common::TestApp,
    token: &str,
    network: &str,
    day: &str,
    actions: serde_json::Value,
) -> String {
    let m = app.post("/api/v1/meetings").token(token)
        .json(json!({"network_id": network, "title": "Träff", "starts_at": format!("{day}T09:00"), "ends_at": format!("{day}T11:00"), "status": "held"}))
        .send().await.expect(201).id();
    app.put(&format!("/api/v1/meetings/{m}/minutes"))
        .token(token)
        .json(json!({"sections": [{"heading": "Uppföljning", "action_items": actions}]}))
        .send()
        .await
        .expect(201);
    m
}

db_test! {
    async fn my_action_items_across_two_networks(app) {
        let cast = app.cast("restricted").await;
        let other = app.post("/api/v1/networks").token(&cast.coordinator)
            .json(json!({"name": "Barn och unga-nätverket", "owner_organization_id": cast.owner_org, "visibility": "restricted"}))
            .send().await.expect(201).id();
        app.post(&format!("/api/v1/networks/{other}/members")).token(&cast.coordinator).json(json!({"organization_id": cast.member_org})).send().await.expect(201);
        let jessica = app.get("/api/v1/me").token(&cast.member).send().await.expect(200).json["person_id"].as_str().unwrap().to_string();
        let someone = app.person("Maria Enbuske", "maria@lerum.se", None).await;
        let first = minutes_with_actions(&app, &cast.coordinator, &cast.network, "2020-05-08", json!([
            {"title": "Sammanställ erfarenheter av distansarbete", "owner_person_id": jessica, "due_on": "2020-06-01"},
            {"title": "Bjud in Kommunforskning i Väst", "owner_person_id": someone, "due_on": "2099-01-01"}
        ])).await;
        minutes_with_actions(&app, &cast.coordinator, &other, "2020-05-15", json!([
            {"title": "Ta fram underlag om feriejobb", "owner_person_id": jessica, "owner_organization_id": cast.member_org, "due_on": "2099-06-01"}
        ])).await;

        let titles = |query: String, token: String| {
            let app = &app;
            async move {
                let res = app.get(&format!("/api/v1/action-items?{query}")).token(&token).send().await.expect(200);
                let mut t: Vec<String> = res.json["data"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_string()).collect();
                t.sort();
                t
            }
        };
        let member = cast.member.clone();
        assert_eq!(titles("mine=true".into(), member.clone()).await, ["Sammanställ erfarenheter av distansarbete", "Ta fram underlag om feriejobb"]);
        assert_eq!(titles(format!("mine=true&network_id={other}"), member.clone()).await, ["Ta fram underlag om feriejobb"]);
        assert_eq!(titles("overdue=true".into(), member.clone()).await, ["Sammanställ erfarenheter av distansarbete"]);
        assert_eq!(titles("due_before=2099-03-01".into(), member.clone()).await, ["Bjud in Kommunforskning i Väst", "Sammanställ erfarenheter av distansarbete"]);
        assert_eq!(titles(format!("owner_organization_id={}", cast.member_org), member.clone()).await, ["Ta fram underlag om feriejobb"]);
        assert_eq!(titles(format!("owner_person_id={someone}"), member.clone()).await, ["Bjud in Kommunforskning i Väst"]);
        assert_eq!(titles("q=FERIEJOBB".into(), member.clone()).await, ["Ta fram underlag om feriejobb"]);
        // The participant takes part only in the first network; the outsider in none.
        assert_eq!(titles(String::new(), cast.participant.clone()).await.len(), 2);
        assert!(titles(String::new(), cast.outsider.clone()).await.is_empty());
        // Without a token only the items of public minutes show; `mine` needs one.
        let anonymous = app.get("/api/v1/action-items").send().await.expect(200);
        assert!(anonymous.json["data"].as_array().unwrap().is_empty());
        app.get("/api/v1/action-items?mine=true").send().await.expect(401);

        // The owner closes their item; someone else's they may not touch.
        let mine = app.get("/api/v1/action-items?mine=true&overdue=true").token(&member).send().await.expect(200);
        let id = mine.json["data"][0]["id"].as_str().unwrap().to_string();
        let theirs = app.get(&format!("/api/v1/action-items?owner_person_id={someone}")).token(&member).send().await.expect(200);
        let their_id = theirs.json["data"][0]["id"].as_str().unwrap().to_string();
        app.patch(&format!("/api/v1/action-items/{their_id}")).token(&member).json(json!({"status": "done"})).send().await.expect(403);
        app.patch(&format!("/api/v1/action-items/{id}")).token(&member).json(json!({"due_on": "2030-01-01"})).send().await.expect(403);
        app.patch(&format!("/api/v1/action-items/{id}")).token(&member).json(json!({"status": "finished"})).send().await.expect(422);
        let done = app.patch(&format!("/api/v1/action-items/{id}")).token(&member).header("If-Match", "\"1\"").json(json!({"status": "done"})).send().await.expect(200);
        assert_eq!(done.json["status"], "done");
        assert!(done.json["completed_at"].is_string());
        app.patch(&format!("/api/v1/action-items/{id}")).token(&member).header("If-Match", "\"1\"").json(json!({"status": "open"})).send().await.expect(412);
        // A coordinator may change everything; reopening clears completed_at.
        let reopened = app.patch(&format!("/api/v1/action-items/{id}")).token(&cast.coordinator).json(json!({"status": "open", "due_on": "2020-09-01"})).send().await.expect(200);
        assert_eq!(reopened.json["completed_at"], json!(null));
        app.get(&format!("/api/v1/action-items/{id}")).token(&cast.outsider).send().await.expect(404);

        // What the chair goes through at the next meeting of the first network.
        let next = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Höstmöte", "starts_at": "2020-09-11T09:00", "ends_at": "2020-09-11T12:00"}))
            .send().await.expect(201).id();
        app.patch(&format!("/api/v1/action-items/{their_id}")).token(&cast.coordinator).json(json!({"status": "cancelled"})).send().await.expect(200);
        let open = app.get(&format!("/api/v1/meetings/{next}/open-action-items")).token(&member).send().await.expect(200);
        let titles: Vec<&str> = open.json["data"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Sammanställ erfarenheter av distansarbete"], "open ones of this network only, not cancelled");
        let at_first = app.get(&format!("/api/v1/meetings/{first}/open-action-items")).token(&member).send().await.expect(200);
        assert!(at_first.json["data"].as_array().unwrap().is_empty(), "nothing was handed out before the first meeting");
    }
}

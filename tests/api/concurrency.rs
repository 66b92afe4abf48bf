//! Concurrency, for PostgreSQL above all (SQLite has one writer at a time and hides
//! races, but runs the same tests). For every endpoint that honours `If-Match`, pairs of
//! writers send the same ETag at once: exactly one wins, the other gets 412, and what is
//! stored is the winner's. For every create that honours `Idempotency-Key`, 20 requests
//! with one key at once create one resource, and all 20 answers are that resource.

use crate::common;

use actix_web::http::Method;
use common::TestApp;
use futures_util::future::join_all;
use serde_json::{Value, json};

/// Rounds per endpoint that changes a resource (each round at the next version).
const ROUNDS: i32 = 8;

/// Two writes at once, both with `If-Match: "<version>"`.
struct Race<'a> {
    method: Method,
    path: String,
    token: &'a str,
    a: Option<Value>,
    b: Option<Value>,
    /// Where to read what was stored, and the JSON pointer of the field both bodies set
    /// (the same pointer in the body and in what `GET` answers).
    check: Option<(String, &'a str)>,
}

impl Race<'_> {
    async fn run(&self, app: &TestApp, version: i32) {
        let tag = format!("\"{version}\"");
        let send = |body: &Option<Value>| {
            let mut req = app
                .req(self.method.clone(), &self.path)
                .token(self.token)
                .header("If-Match", &tag);
            if let Some(body) = body {
                req = req.json(body.clone());
            }
            req.send()
        };
        let (a, b) = futures_util::future::join(send(&self.a), send(&self.b)).await;
        let mut statuses = [a.status, b.status];
        statuses.sort();
        let won = if self.method == Method::DELETE {
            204
        } else {
            200
        };
        assert_eq!(
            statuses,
            [won, 412],
            "{} {} at version {version}: {} / {}",
            self.method,
            self.path,
            a.text,
            b.text
        );
        if let Some((get, pointer)) = &self.check {
            let winner = if a.status == won { &self.a } else { &self.b };
            let stored = app.get(get).token(self.token).send().await.expect(200);
            let expected = winner.as_ref().and_then(|w| w.pointer(pointer)).unwrap();
            assert_eq!(
                stored.json.pointer(pointer),
                Some(expected),
                "{} {}: the winner's write is stored",
                self.method,
                self.path
            );
            let loser = if a.status == won { &b } else { &a };
            assert_eq!(loser.json["status"], 412);
        }
    }

    /// `ROUNDS` races on one resource, from `version` on.
    async fn rounds(&self, app: &TestApp, version: i32) {
        for round in 0..ROUNDS {
            self.run(app, version + round).await;
        }
    }
}

fn change<'a>(
    method: Method,
    path: String,
    token: &'a str,
    pointer: &'a str,
    a: Value,
    b: Value,
) -> Race<'a> {
    Race {
        method,
        check: Some((path.clone(), pointer)),
        path,
        token,
        a: Some(a),
        b: Some(b),
    }
}

fn delete(path: String, token: &str) -> Race<'_> {
    Race {
        method: Method::DELETE,
        path,
        token,
        a: None,
        b: None,
        check: None,
    }
}

/// The version of the resource at `path`, from its ETag.
async fn version(app: &TestApp, token: &str, path: &str) -> i32 {
    let res = app.get(path).token(token).send().await.expect(200);
    res.header("etag")
        .unwrap()
        .trim_matches('"')
        .parse()
        .unwrap()
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    app.post(path)
        .token(token)
        .json(body)
        .send()
        .await
        .expect(201)
        .json
}

db_test! {
    async fn two_writers_with_one_etag_one_wins_the_other_gets_412(app) {
        let cast = app.cast("restricted").await;
        let (c, n) = (cast.coordinator.as_str(), cast.network.clone());
        let admin = app.admin_token.clone();
        let meeting_body = json!({"network_id": n, "title": "Nätverksträff", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "status": "held"});
        let m = post(&app, c, "/api/v1/meetings", meeting_body.clone()).await["id"].as_str().unwrap().to_string();
        let person = app.person("Maria Enbuske", "maria@lerum.se", None).await;
        let other = app.person("Juan Navas", "juan@tjorn.se", None).await;

        // Meetings, agenda items, attendees, minutes and action items.
        let t = |s: &str| json!({"title": s});
        change(Method::PATCH, format!("/api/v1/meetings/{m}"), c, "/title", t("A"), t("B")).rounds(&app, 1).await;
        let item = post(&app, c, &format!("/api/v1/meetings/{m}/agenda-items"), t("Punkt")).await["id"].as_str().unwrap().to_string();
        let items = format!("/api/v1/meetings/{m}/agenda-items/{item}");
        let agenda = Race { check: None, ..change(Method::PATCH, items.clone(), c, "/title", t("A"), t("B")) };
        agenda.rounds(&app, 1).await;
        let stored = app.get(&format!("/api/v1/meetings/{m}/agenda-items")).token(c).send().await.expect(200);
        assert!(["A", "B"].contains(&stored.json["data"][0]["title"].as_str().unwrap()));
        delete(items, c).run(&app, 1 + ROUNDS).await;

        post(&app, c, &format!("/api/v1/meetings/{m}/attendees"), json!({"person_id": person})).await;
        let attendee = format!("/api/v1/meetings/{m}/attendees/{person}");
        let present = |s: &str| json!({"attendance": s});
        Race { check: None, ..change(Method::PATCH, attendee.clone(), c, "/attendance", present("present"), present("excused")) }.rounds(&app, 1).await;
        Race { check: None, ..change(Method::PUT, attendee.clone(), c, "/attendance", present("present"), present("excused")) }.rounds(&app, 1 + ROUNDS).await;
        delete(attendee, c).run(&app, 1 + 2 * ROUNDS).await;
        // The whole list is conditioned on the meeting's version.
        let at = version(&app, c, &format!("/api/v1/meetings/{m}")).await;
        let all = Race {
            method: Method::PUT,
            path: format!("/api/v1/meetings/{m}/attendees"),
            token: c,
            a: Some(json!([{"person_id": person}])),
            b: Some(json!([{"person_id": other}])),
            check: Some((format!("/api/v1/meetings/{m}/attendees"), "/0/person_id")),
        };
        for round in 0..ROUNDS {
            let tag = format!("\"{}\"", at + round);
            let (a, b) = futures_util::future::join(
                app.put(&all.path).token(c).header("If-Match", &tag).json(all.a.clone().unwrap()).send(),
                app.put(&all.path).token(c).header("If-Match", &tag).json(all.b.clone().unwrap()).send(),
            )
            .await;
            let mut statuses = [a.status, b.status];
            statuses.sort();
            assert_eq!(statuses, [200, 412], "PUT attendees: {} / {}", a.text, b.text);
            let winner = if a.status == 200 { &all.a } else { &all.b };
            let stored = app.get(&all.path).token(c).send().await.expect(200);
            assert_eq!(stored.json["data"][0]["person_id"], winner.as_ref().unwrap()[0]["person_id"]);
        }

        let minutes = |h: &str| json!({"sections": [{"heading": h, "action_items": [{"title": "Sammanställ läget"}]}]});
        let created = app.put(&format!("/api/v1/meetings/{m}/minutes")).token(c).json(minutes("Start")).send().await.expect(201);
        let minutes_path = format!("/api/v1/meetings/{m}/minutes");
        change(Method::PUT, minutes_path.clone(), c, "/sections/0/heading", minutes("A"), minutes("B")).rounds(&app, 1).await;
        assert!(created.json["sections"][0]["action_items"][0]["id"].is_string());
        // The minutes as the last PUT left them hold the action item to race on.
        let listed = app.get(&format!("/api/v1/action-items?network_id={n}")).token(c).send().await.expect(200);
        let action = listed.json["data"][0]["id"].as_str().unwrap().to_string();
        let action_path = format!("/api/v1/action-items/{action}");
        let at = version(&app, c, &action_path).await;
        change(Method::PATCH, action_path, c, "/title", t("A"), t("B")).rounds(&app, at).await;
        let doomed = post(&app, c, "/api/v1/meetings", meeting_body.clone()).await["id"].as_str().unwrap().to_string();
        delete(format!("/api/v1/meetings/{doomed}"), c).run(&app, 1).await;

        // Networks, members, participants, series, themes.
        let net = post(&app, c, "/api/v1/networks", json!({"name": "Barn och unga", "owner_organization_id": cast.owner_org})).await["id"].as_str().unwrap().to_string();
        let name = |s: &str| json!({"name": s});
        change(Method::PATCH, format!("/api/v1/networks/{net}"), c, "/name", name("A"), name("B")).rounds(&app, 1).await;
        let member = post(&app, c, &format!("/api/v1/networks/{net}/members"), json!({"organization_id": cast.member_org})).await["id"].as_str().unwrap().to_string();
        let members = format!("/api/v1/networks/{net}/members/{member}");
        let joined = |d: &str| json!({"joined_on": d});
        let race = Race { check: None, ..change(Method::PATCH, members.clone(), c, "/joined_on", joined("2019-01-01"), joined("2020-01-01")) };
        race.rounds(&app, 1).await;
        delete(members, c).run(&app, 1 + ROUNDS).await;
        let participant = post(&app, c, &format!("/api/v1/networks/{net}/participants"), json!({"person_id": person})).await["id"].as_str().unwrap().to_string();
        let participants = format!("/api/v1/networks/{net}/participants/{participant}");
        let role = |r: &str| json!({"role": r});
        let race = Race { check: None, ..change(Method::PATCH, participants.clone(), c, "/role", role("coordinator"), role("member")) };
        race.rounds(&app, 1).await;
        delete(participants, c).run(&app, 1 + ROUNDS).await;
        let series = post(&app, c, "/api/v1/meeting-series", json!({"network_id": n, "title": "Månadsträff", "frequency": "monthly", "weekday": "friday", "start_time": "09:00", "duration_minutes": 120, "starts_on": "2030-01-01"})).await["id"].as_str().unwrap().to_string();
        change(Method::PATCH, format!("/api/v1/meeting-series/{series}"), c, "/title", t("A"), t("B")).rounds(&app, 1).await;
        delete(format!("/api/v1/meeting-series/{series}"), c).run(&app, 1 + ROUNDS).await;
        let theme = post(&app, c, "/api/v1/themes", json!({"title": "Krishantering", "network_id": n})).await["id"].as_str().unwrap().to_string();
        change(Method::PATCH, format!("/api/v1/themes/{theme}"), c, "/title", t("A"), t("B")).rounds(&app, 1).await;
        delete(format!("/api/v1/themes/{theme}"), c).run(&app, 1 + ROUNDS).await;
        let network = format!("/api/v1/networks/{net}");
        delete(network.clone(), c).run(&app, version(&app, c, &network).await).await;

        // Dialogues, findings and follow-ups.
        let ivo = app.organization("Inspektionen för vård och omsorg", "supervisory_authority").await;
        let (_, inspector) = app.user("yvonne.berneke@ivo.se", Some(&ivo)).await;
        let i = inspector.as_str();
        let d = post(&app, i, "/api/v1/supervisory-dialogues", json!({"title": "Dialog", "supervising_organization_id": ivo, "supervision_name": "Nationell tillsyn"})).await["id"].as_str().unwrap().to_string();
        change(Method::PATCH, format!("/api/v1/supervisory-dialogues/{d}"), i, "/title", t("A"), t("B")).rounds(&app, 1).await;
        let finding = post(&app, i, &format!("/api/v1/supervisory-dialogues/{d}/findings"), json!({"text": "Fynd"})).await["id"].as_str().unwrap().to_string();
        let findings = format!("/api/v1/supervisory-dialogues/{d}/findings/{finding}");
        let text = |s: &str| json!({"text": s});
        Race { check: None, ..change(Method::PATCH, findings.clone(), i, "/text", text("A"), text("B")) }.rounds(&app, 1).await;
        delete(findings, i).run(&app, 1 + ROUNDS).await;
        let follow_up = post(&app, i, &format!("/api/v1/supervisory-dialogues/{d}/follow-ups"), json!({"description": "Följ upp"})).await["id"].as_str().unwrap().to_string();
        let follow_ups = format!("/api/v1/supervisory-dialogues/{d}/follow-ups/{follow_up}");
        let description = |s: &str| json!({"description": s});
        Race { check: None, ..change(Method::PATCH, follow_ups.clone(), i, "/description", description("A"), description("B")) }.rounds(&app, 1).await;
        delete(follow_ups, i).run(&app, 1 + ROUNDS).await;
        let dialogue = format!("/api/v1/supervisory-dialogues/{d}");
        delete(dialogue.clone(), i).run(&app, version(&app, i, &dialogue).await).await;

        // Organizations, people, users, me.
        let org = app.organization("Öckerö kommun", "municipality").await;
        change(Method::PATCH, format!("/api/v1/organizations/{org}"), &admin, "/name", name("A"), name("B")).rounds(&app, 1).await;
        delete(format!("/api/v1/organizations/{org}"), &admin).run(&app, 1 + ROUNDS).await;
        let title = |s: &str| json!({"title": s});
        change(Method::PATCH, format!("/api/v1/people/{other}"), &admin, "/title", title("A"), title("B")).rounds(&app, 1).await;
        delete(format!("/api/v1/people/{other}"), &admin).run(&app, 1 + ROUNDS).await;
        let (user, token) = app.user("irene@ale.se", None).await;
        let user_id = user["id"].as_str().unwrap();
        let display = |s: &str| json!({"display_name": s});
        change(Method::PATCH, "/api/v1/me".into(), &token, "/display_name", display("A"), display("B")).rounds(&app, 1).await;
        change(Method::PATCH, format!("/api/v1/users/{user_id}"), &admin, "/display_name", display("A"), display("B")).rounds(&app, 1 + ROUNDS).await;
        delete(format!("/api/v1/users/{user_id}"), &admin).run(&app, 1 + 2 * ROUNDS).await;
    }
}

/// `count` requests at once with one `Idempotency-Key` and one body.
async fn at_once(
    app: &TestApp,
    token: &str,
    path: &str,
    key: &str,
    body: Value,
    count: usize,
) -> Vec<common::Res> {
    join_all((0..count).map(|_| {
        app.post(path)
            .token(token)
            .header("Idempotency-Key", key)
            .json(body.clone())
            .send()
    }))
    .await
}

db_test! {
    async fn twenty_creates_with_one_key_make_one_resource(app) {
        let cast = app.cast("restricted").await;
        let (c, n) = (cast.coordinator.as_str(), cast.network.clone());
        let admin = app.admin_token.clone();
        let m = post(&app, c, "/api/v1/meetings", json!({"network_id": n, "title": "Träff", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00"})).await["id"].as_str().unwrap().to_string();
        let person = app.person("Maria Enbuske", "maria@lerum.se", None).await;
        let ivo = app.organization("Inspektionen för vård och omsorg", "supervisory_authority").await;
        let other_org = app.organization("Lerums kommun", "municipality").await;
        let (_, inspector) = app.user("yvonne.berneke@ivo.se", Some(&ivo)).await;
        let d = post(&app, &inspector, "/api/v1/supervisory-dialogues", json!({"title": "Dialog", "supervising_organization_id": ivo, "supervision_name": "Tillsyn"})).await["id"].as_str().unwrap().to_string();
        let cases: Vec<(&str, String, Value, String)> = vec![
            (c, "/api/v1/meetings".into(), json!({"network_id": n, "title": "Träff", "starts_at": "2021-05-08T09:00", "ends_at": "2021-05-08T12:00"}), format!("/api/v1/meetings?network_id={n}&limit=200")),
            (c, format!("/api/v1/meetings/{m}/agenda-items"), json!({"title": "Punkt"}), format!("/api/v1/meetings/{m}/agenda-items")),
            (c, format!("/api/v1/meetings/{m}/attendees"), json!({"person_id": person}), format!("/api/v1/meetings/{m}/attendees")),
            (c, "/api/v1/networks".into(), json!({"name": "Nytt nätverk", "owner_organization_id": cast.owner_org}), "/api/v1/networks?limit=200".into()),
            (c, format!("/api/v1/networks/{n}/members"), json!({"organization_id": other_org}), format!("/api/v1/networks/{n}/members")),
            (c, format!("/api/v1/networks/{n}/participants"), json!({"person_id": person}), format!("/api/v1/networks/{n}/participants")),
            (c, "/api/v1/meeting-series".into(), json!({"network_id": n, "title": "Serie", "frequency": "monthly", "weekday": "friday", "start_time": "09:00", "duration_minutes": 120, "starts_on": "2030-01-01"}), "/api/v1/meeting-series?limit=200".into()),
            (c, "/api/v1/themes".into(), json!({"title": "Krishantering", "network_id": n}), "/api/v1/themes?limit=200".into()),
            (&inspector, "/api/v1/supervisory-dialogues".into(), json!({"title": "Ny dialog", "supervising_organization_id": ivo, "supervision_name": "Tillsyn"}), "/api/v1/supervisory-dialogues?limit=200".into()),
            (&inspector, format!("/api/v1/supervisory-dialogues/{d}/findings"), json!({"text": "Fynd"}), format!("/api/v1/supervisory-dialogues/{d}/findings")),
            (&inspector, format!("/api/v1/supervisory-dialogues/{d}/follow-ups"), json!({"description": "Följ upp"}), format!("/api/v1/supervisory-dialogues/{d}/follow-ups")),
            (&admin, "/api/v1/organizations".into(), json!({"name": "Öckerö kommun", "kind": "municipality"}), "/api/v1/organizations?limit=200".into()),
            (&admin, "/api/v1/people".into(), json!({"name": "Ny person", "email": "ny@kommun.se"}), "/api/v1/people?limit=200".into()),
            (&admin, "/api/v1/users".into(), json!({"email": "ny.anvandare@kommun.se", "display_name": "Ny", "password": "ett-långt-lösenord-2026"}), "/api/v1/users?limit=200".into()),
            (c, "/api/v1/me/api-tokens".into(), json!({"name": "synk", "scopes": ["read"]}), "/api/v1/me/api-tokens".into()),
        ];
        for (token, path, body, list) in cases {
            let before = app.get(&list).token(token).send().await.expect(200).json["data"].as_array().unwrap().len();
            let answers = at_once(&app, token, &path, &format!("key-{path}"), body, 20).await;
            let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
            assert!(statuses.iter().all(|s| *s == 201), "POST {path}: {statuses:?} {}", answers.iter().find(|r| r.status != 201).map_or("", |r| r.text.as_str()));
            let ids: std::collections::HashSet<String> = answers.iter().map(|r| r.json["id"].as_str().unwrap_or_default().to_string()).collect();
            assert_eq!(ids.len(), 1, "POST {path}: one resource, answered 20 times");
            let replayed = answers.iter().filter(|r| r.header("idempotent-replayed") == Some("true")).count();
            assert_eq!(replayed, 19, "POST {path}: the first creates, the others replay");
            let after = app.get(&list).token(token).send().await.expect(200).json["data"].as_array().unwrap().len();
            assert_eq!(after, before + 1, "POST {path}: exactly one resource created");
        }
    }
}

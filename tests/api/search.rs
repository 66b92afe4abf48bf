//! `GET /api/v1/search`: Swedish as people type it, the five kinds, minutes by their
//! text, visibility, ranking, paging, bad input, the query budget, and rows written
//! before search existed. The same cases on SQLite and PostgreSQL.

use crate::common;

use common::{Cast, TestApp};
use diesel::RunQueryDsl;
use serde_json::{Value, json};

/// The hits of a search by `token` (anonymous when `None`).
async fn search(app: &TestApp, token: Option<&str>, query: &str) -> Value {
    let req = app.get(&format!("/api/v1/search?{query}"));
    let req = match token {
        Some(token) => req.token(token),
        None => req,
    };
    req.send().await.expect(200).json
}

/// The titles of the hits of `q` (URL-encoded by the caller).
async fn titles(app: &TestApp, token: Option<&str>, q: &str) -> Vec<String> {
    search(app, token, &format!("q={q}")).await["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}

fn encode(q: &str) -> String {
    form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

async fn meeting(app: &TestApp, cast: &Cast, body: Value) -> String {
    let mut body = body;
    body["network_id"] = json!(cast.network);
    body["starts_at"] = json!("2020-05-08T09:00");
    body["ends_at"] = json!("2020-05-08T12:00");
    body["mode"] = json!("digital");
    app.post("/api/v1/meetings")
        .token(&cast.coordinator)
        .json(body)
        .send()
        .await
        .expect(201)
        .id()
}

async fn theme(app: &TestApp, cast: &Cast, title: &str) -> String {
    app.post("/api/v1/themes")
        .token(&cast.coordinator)
        .json(json!({"title": title, "network_id": cast.network}))
        .send()
        .await
        .expect(201)
        .id()
}

db_test! {
    async fn swedish_as_people_type_it(app) {
        let cast = app.cast("restricted").await;
        meeting(&app, &cast, json!({"title": "Möte med Iréne Lindqvist", "description": "Vi går igenom kvalitetsarbete för äldre."})).await;
        theme(&app, &cast, "Får vi ses på plats?").await;
        let token = Some(cast.coordinator.as_str());
        for q in ["möten", "kvalitetsarbetet", "irene", "IRÉNE", "ÄLDRE", "Lindqvist kvalitet"] {
            assert_eq!(titles(&app, token, &encode(q)).await, ["Möte med Iréne Lindqvist"], "q={q}");
        }
        assert_eq!(titles(&app, token, &encode("får")).await, ["Får vi ses på plats?"]);
        assert!(titles(&app, token, "far").await.is_empty(), "a and å are different letters");
        assert!(titles(&app, token, &encode("möten lördag")).await.is_empty(), "a hit has every word");
    }
}

db_test! {
    async fn every_kind_is_found_and_minutes_by_their_text(app) {
        let cast = app.cast("restricted").await;
        let ivo = app.organization("Inspektionen för vård och omsorg", "supervisory_authority").await;
        let m = meeting(&app, &cast, json!({"title": "Trygghetslarm i hemtjänsten"})).await;
        let person = app.get("/api/v1/me").token(&cast.coordinator).send().await.expect(200).json["person_id"].clone();
        app.put(&format!("/api/v1/meetings/{m}/minutes")).token(&cast.coordinator)
            .json(json!({"recorded_by": [person], "approvers": [person], "sections": [
                {"heading": "Mötet inleds", "notes": "Inledning."},
                {"heading": "Upphandling", "notes": "Diskussion om leverantörer.",
                 "decisions": ["Nätverket beslutar att trygghetslarmen upphandlas gemensamt."],
                 "action_items": [{"title": "Beställ nya trygghetslarm", "owner_person_id": person}]}
            ]}))
            .send().await.expect(201);
        theme(&app, &cast, "Digitala trygghetslarm").await;
        app.post("/api/v1/supervisory-dialogues").token(&app.admin_token)
            .json(json!({"title": "Dialog om hemtjänst", "supervising_organization_id": ivo,
                "supervision_name": "Tillsyn av hemtjänst", "lessons_learned": ["Trygghetslarm måste provas regelbundet."]}))
            .send().await.expect(201);

        let found = search(&app, Some(&app.admin_token), "q=trygghetslarm").await;
        let mut kinds: Vec<&str> = found["data"].as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap()).collect();
        kinds.sort();
        assert_eq!(kinds, ["action_item", "meeting", "minutes", "supervisory_dialogue", "theme"], "{found}");

        // Restricted: the network's insiders find all but the dialogue; others nothing.
        assert_eq!(search(&app, Some(&cast.member), "q=trygghetslarm").await["data"].as_array().unwrap().len(), 4);
        assert!(titles(&app, Some(&cast.outsider), "trygghetslarm").await.is_empty());
        assert!(titles(&app, None, "trygghetslarm").await.is_empty());

        // Minutes are found by a decision's words, and say where to read them.
        let found = search(&app, Some(&cast.member), &format!("q={}", encode("gemensam upphandling"))).await;
        let hits = found["data"].as_array().unwrap();
        assert_eq!(hits.len(), 1, "{found}");
        assert_eq!(hits[0]["kind"], "minutes");
        assert_eq!(hits[0]["title"], "Trygghetslarm i hemtjänsten", "their meeting's title");
        assert_eq!(hits[0]["meeting_id"], m.as_str());
        assert_eq!(hits[0]["network_id"], cast.network.as_str());
        assert_eq!(hits[0]["href"], format!("/api/v1/meetings/{m}/minutes"));
        assert_eq!(hits[0]["snippet"], "Upphandling", "the first passage with a match: a heading");
        let found = search(&app, Some(&cast.member), "q=beslutar").await;
        assert_eq!(found["data"][0]["snippet"], "Nätverket beslutar att trygghetslarmen upphandlas gemensamt.");
        app.get(found["data"][0]["href"].as_str().unwrap()).token(&cast.member).send().await.expect(200);

        // One kind, or several.
        let only = search(&app, Some(&app.admin_token), "q=trygghetslarm&kind=action_item").await;
        assert_eq!(only["data"].as_array().unwrap().len(), 1);
        assert_eq!(only["data"][0]["kind"], "action_item");
        assert_eq!(only["data"][0]["meeting_id"], m.as_str());
        let two = search(&app, Some(&app.admin_token), "q=trygghetslarm&kind=theme,supervisory_dialogue").await;
        assert_eq!(two["data"].as_array().unwrap().len(), 2);
    }
}

db_test! {
    async fn only_what_the_caller_may_see(app) {
        let cast = app.cast("public").await;
        meeting(&app, &cast, json!({"title": "Julbord för alla", "visibility": "public"})).await;
        meeting(&app, &cast, json!({"title": "Julbord för inloggade", "visibility": "internal"})).await;
        meeting(&app, &cast, json!({"title": "Julbord för nätverket", "visibility": "restricted"})).await;
        let all = ["Julbord för alla", "Julbord för inloggade", "Julbord för nätverket"];
        let sorted = |mut v: Vec<String>| { v.sort(); v };
        assert_eq!(sorted(titles(&app, Some(&cast.coordinator), "julbord").await), all);
        assert_eq!(sorted(titles(&app, Some(&cast.member), "julbord").await), all);
        assert_eq!(sorted(titles(&app, Some(&cast.outsider), "julbord").await), all[..2]);
        assert_eq!(titles(&app, None, "julbord").await, all[..1]);
        assert!(titles(&app, None, &encode("nätverket julbord")).await.is_empty());
    }
}

db_test! {
    async fn title_matches_rank_above_text_matches(app) {
        let cast = app.cast("restricted").await;
        let title = meeting(&app, &cast, json!({"title": "Budget för 2021"})).await;
        let prefix = meeting(&app, &cast, json!({"title": "Budgetuppföljning"})).await;
        let text = meeting(&app, &cast, json!({"title": "Ekonomi", "description": "Vi talar om budget."})).await;
        let found = search(&app, Some(&cast.coordinator), "q=budget").await;
        let order: Vec<&str> = found["data"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
        assert_eq!(order, [title.as_str(), prefix.as_str(), text.as_str()], "{found}");
        let ranks: Vec<i64> = found["data"].as_array().unwrap().iter().map(|h| h["rank"].as_i64().unwrap()).collect();
        assert_eq!(ranks, [4, 3, 2]);
        assert_eq!(found["data"][2]["snippet"], "Vi talar om budget.");
    }
}

db_test! {
    async fn pages_follow_the_ranking(app) {
        let cast = app.cast("restricted").await;
        for title in ["Kris", "Krisledning", "Kriser och stöd", "Samverkan i kris"] {
            meeting(&app, &cast, json!({"title": title})).await;
        }
        let whole = search(&app, Some(&cast.coordinator), "q=kris&limit=50").await;
        let expected: Vec<Value> = whole["data"].as_array().unwrap().iter().map(|h| h["id"].clone()).collect();
        assert_eq!(expected.len(), 4);
        assert_eq!(whole["pagination"]["next_cursor"], Value::Null);
        let mut seen = Vec::new();
        let mut path = "/api/v1/search?q=kris&limit=1".to_string();
        loop {
            let page = app.get(&path).token(&cast.coordinator).send().await.expect(200);
            assert_eq!(page.json["data"].as_array().unwrap().len(), 1);
            seen.push(page.json["data"][0]["id"].clone());
            match page.json["links"]["next"].as_str() {
                Some(next) => {
                    assert!(page.header("link").unwrap().contains("rel=\"next\""));
                    path = next.to_string();
                }
                None => break,
            }
        }
        assert_eq!(seen, expected);
    }
}

db_test! {
    async fn bad_searches_name_the_parameter(app) {
        let token = app.admin_token.clone();
        let nine = encode("ett två tre fyra fem sex sju åtta nio");
        let long = "a".repeat(201);
        for (query, field) in [
            ("", "q"), ("q=", "q"), ("q=%20%20", "q"), ("q=%E2%80%93", "q"), (&format!("q={nine}")[..], "q"),
            (&format!("q={long}")[..], "q"), ("q=kris&kind=protokoll", "kind"), ("q=kris&limit=0", "limit"),
            ("q=kris&limit=201", "limit"), ("q=kris&cursor=inte-en-cursor", "cursor"),
            ("q=kris&cursor=WyJ4IiwieSIsInoiXQ", "cursor"),
        ] {
            let res = app.get(&format!("/api/v1/search?{query}")).token(&token).send().await.expect(422);
            assert_eq!(res.fields(), [field], "{query}: {}", res.text);
        }
        // Eight different words are enough; repeated words count once.
        search(&app, Some(&token), &format!("q={}", encode("ett två tre fyra fem sex sju åtta åtta"))).await;
    }
}

db_test! {
    async fn a_page_costs_the_same_whatever_it_holds(app) {
        let cast = app.cast("restricted").await;
        for i in 0..12 {
            meeting(&app, &cast, json!({"title": format!("Nätverksträff {i}"), "description": "Om kris och samverkan."})).await;
        }
        let cost = |query: String| {
            let app = &app;
            let token = cast.member.clone();
            async move {
                let before = app.db.statements();
                let res = app.get(&format!("/api/v1/search?{query}")).token(&token).send().await.expect(200);
                (app.db.statements() - before, res.json["data"].as_array().unwrap().len())
            }
        };
        let (one, rows) = cost("q=kris&limit=1".into()).await;
        assert_eq!(rows, 1);
        let (many, rows) = cost("q=kris&limit=50".into()).await;
        assert_eq!(rows, 12);
        let (words, _) = cost(format!("q={}", encode("kris samverkan nätverksträff"))).await;
        assert_eq!((one, words), (many, many), "statements for limit=1, limit=50, three words");
    }
}

db_test! {
    async fn rows_written_before_search_existed_are_filled_in(app) {
        let cast = app.cast("restricted").await;
        meeting(&app, &cast, json!({"title": "Gammalt möte om läkemedel"})).await;
        theme(&app, &cast, "Gammalt tema om läkemedel").await;
        {
            let mut conn = app.db.conn().unwrap();
            for table in ["meetings", "themes", "minutes", "action_items", "supervisory_dialogues"] {
                diesel::sql_query(format!("UPDATE {table} SET search_terms = ''")).execute(&mut *conn).unwrap();
            }
        }
        assert!(titles(&app, Some(&cast.coordinator), &encode("läkemedel")).await.is_empty());
        app.db.migrate().unwrap();
        let mut found = titles(&app, Some(&cast.coordinator), &encode("läkemedel")).await;
        found.sort();
        assert_eq!(found, ["Gammalt möte om läkemedel", "Gammalt tema om läkemedel"]);
    }
}

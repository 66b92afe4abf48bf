//! Import and export of the bundle: the demo bundle (five Swedish source documents)
//! imports with its real dates, importing it again changes nothing, a changed bundle
//! changes what changed, a bundle with errors names every one and stores nothing, and
//! what is exported imports into a fresh database and exports the same again.

use crate::common;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

fn demo() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo/seeds.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the demo bundle"))
        .expect("the demo bundle is JSON")
}

/// The top-level records of a bundle.
fn top_level_records(bundle: &Value) -> i64 {
    SECTIONS
        .iter()
        .map(|s| bundle[*s].as_array().map_or(0, Vec::len) as i64)
        .sum()
}

/// Asserts that `created` counts every record of `bundle`'s sections.
fn counts_every_record(report: &Value, bundle: &Value) {
    assert_eq!(
        report["created"].as_i64().unwrap(),
        top_level_records(bundle),
        "{report}"
    );
}

/// The bundle as JSON text with its sections in the order the format reads them (a
/// `serde_json::Value` alone would write its keys in alphabetical order).
fn ordered(bundle: &Value) -> Vec<u8> {
    let object = bundle.as_object().expect("a bundle is an object");
    let mut order: Vec<&str> = vec!["format", "version", "description"];
    order.extend(SECTIONS);
    let mut parts = Vec::new();
    for key in &order {
        if let Some(value) = object.get(*key) {
            parts.push(format!("{}: {}", json!(key), value));
        }
    }
    for (key, value) in object {
        if !order.contains(&key.as_str()) {
            parts.push(format!("{}: {}", json!(key), value));
        }
    }
    format!("{{{}}}", parts.join(", ")).into_bytes()
}

const SECTIONS: [&str; 9] = [
    "organizations",
    "people",
    "users",
    "networks",
    "series",
    "meetings",
    "minutes",
    "themes",
    "dialogues",
];

async fn import(app: &common::TestApp, bundle: &Value) -> common::Res {
    app.post("/api/v1/import")
        .token(&app.admin_token)
        .raw("application/json", ordered(bundle))
        .send()
        .await
}

async fn export(app: &common::TestApp, query: &str) -> common::Res {
    app.get(&format!("/api/v1/export{query}"))
        .token(&app.admin_token)
        .send()
        .await
}

/// Every item of a list, following its cursors (as admin).
async fn all(app: &common::TestApp, path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    let sep = if path.contains('?') { '&' } else { '?' };
    loop {
        let mut url = format!("{path}{sep}limit=200");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page = app
            .get(&url)
            .token(&app.admin_token)
            .send()
            .await
            .expect(200);
        out.extend(page.json["data"].as_array().unwrap().iter().cloned());
        match page.json["pagination"]["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    out
}

const LISTS: [&str; 9] = [
    "/api/v1/organizations",
    "/api/v1/people",
    "/api/v1/users",
    "/api/v1/networks",
    "/api/v1/meeting-series",
    "/api/v1/meetings",
    "/api/v1/themes",
    "/api/v1/supervisory-dialogues",
    "/api/v1/action-items",
];

/// The version of every resource the lists show, and of every meeting's minutes, agenda
/// items and attendees, by path.
async fn versions(app: &common::TestApp) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for list in LISTS {
        for item in all(app, list).await {
            let id = item["id"].as_str().unwrap().to_string();
            out.insert(format!("{list}/{id}"), item["version"].clone());
            if list == "/api/v1/meetings" {
                let minutes = app
                    .get(&format!("/api/v1/meetings/{id}/minutes"))
                    .token(&app.admin_token)
                    .send()
                    .await;
                if minutes.status == 200 {
                    out.insert(
                        format!("{list}/{id}/minutes"),
                        minutes.json["version"].clone(),
                    );
                }
                for sub in ["agenda-items", "attendees"] {
                    for item in all(app, &format!("/api/v1/meetings/{id}/{sub}")).await {
                        let key = item["id"]
                            .as_str()
                            .or(item["person_id"].as_str())
                            .unwrap_or_default()
                            .to_string();
                        out.insert(format!("{list}/{id}/{sub}/{key}"), item.clone());
                    }
                }
            }
        }
    }
    out
}

/// How many items each list shows.
async fn counts(app: &common::TestApp) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for list in LISTS {
        out.insert(list, all(app, list).await.len());
    }
    out
}

fn by<'a>(items: &'a [Value], field: &str, value: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i[field] == value)
        .unwrap_or_else(|| panic!("no item with {field} = {value:?} among {items:?}"))
}

fn recorded_during(at: &Value, before: DateTime<Utc>, after: DateTime<Utc>) {
    let text = at
        .as_str()
        .unwrap_or_else(|| panic!("an instant, not {at}"));
    let t = DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|_| panic!("RFC 3339: {text}"))
        .with_timezone(&Utc);
    assert!(
        t >= before - TimeDelta::seconds(2) && t <= after + TimeDelta::seconds(2),
        "{text} is not between {before} and {after}"
    );
}

db_test! {
    async fn only_admins_import_and_export(app) {
        let cast = app.cast("restricted").await;
        let bundle = json!({"format": "samverkan-bundle", "version": 1, "organizations": [{"key": "x", "name": "X kommun", "kind": "municipality"}]});
        app.post("/api/v1/import").raw("application/json", ordered(&bundle)).send().await.expect(401);
        app.post("/api/v1/import").token(&cast.coordinator).raw("application/json", ordered(&bundle)).send().await.expect(403);
        app.post("/api/v1/import").token(&cast.member).raw("application/json", ordered(&bundle)).send().await.expect(403);
        app.get("/api/v1/export").send().await.expect(401);
        app.get("/api/v1/export").token(&cast.coordinator).send().await.expect(403);
        app.get(&format!("/api/v1/export?network_id={}", cast.network)).token(&cast.coordinator).send().await.expect(403);
        // Nothing was imported by those refused.
        let orgs = all(&app, "/api/v1/organizations").await;
        assert!(orgs.iter().all(|o| o["name"] != "X kommun"));
        // Not a bundle.
        let res = app.post("/api/v1/import").token(&app.admin_token).json(json!({"format": "något-annat", "version": 1})).send().await;
        assert_eq!(res.status, 422, "{}", res.text);
        assert!(res.fields().iter().any(|f| f == "format"), "{}", res.text);
        let res = app.post("/api/v1/import").token(&app.admin_token).json(json!({"format": "samverkan-bundle", "version": 2})).send().await;
        assert_eq!(res.status, 422, "{}", res.text);
        assert!(res.fields().iter().any(|f| f == "version"), "{}", res.text);
        let res = app.post("/api/v1/import").token(&app.admin_token).raw("application/json", "{\"format\": \"samverkan-bundle\", ").send().await;
        assert!(res.status == 400 || res.status == 422, "{}", res.text);
        let res = app.post("/api/v1/import").token(&app.admin_token).raw("text/plain", ordered(&bundle)).send().await;
        assert_eq!(res.status, 415, "{}", res.text);
        // The admin imports it.
        let res = import(&app, &bundle).await.expect(200);
        assert_eq!(res.json["created"], 1);
        assert!(res.json["import_id"].is_string());
        let res = export(&app, "").await.expect(200);
        assert!(res.header("content-type").unwrap_or_default().starts_with("application/json"), "{:?}", res.headers);
        assert_eq!(res.json["format"], "samverkan-bundle");
        assert_eq!(res.json["version"], 1);
    }
}

db_test! {
    async fn the_demo_bundle_imports_with_its_real_dates(app) {
        let bundle = demo();
        let orgs_before = all(&app, "/api/v1/organizations").await.len();
        let before = Utc::now();
        let res = import(&app, &bundle).await.expect(200);
        let after = Utc::now();
        let _import_id = res.json["import_id"].as_str().expect("an import id").to_string();
        counts_every_record(&res.json, &bundle);
        assert_eq!(res.json["updated"], 0);
        assert_eq!(res.json["unchanged"], 0);
        assert_eq!(all(&app, "/api/v1/organizations").await.len() - orgs_before, 36);

        // GR's IFO chiefs' network met on 8 May 2020 (only the day is known), 13 present.
        let networks = all(&app, "/api/v1/networks").await;
        assert_eq!(networks.len(), 11);
        let ifo = by(&networks, "name", "IFO-chefsnätverket")["id"].as_str().unwrap().to_string();
        let may = all(&app, "/api/v1/meetings?from=2020-05-08&to=2020-05-08").await;
        let meeting = by(&may, "title", "IFO-chefsnätverket – nätverksmöte").clone();
        let m = meeting["id"].as_str().unwrap().to_string();
        assert_eq!(meeting["network_id"], ifo.as_str());
        assert_eq!(meeting["status"], "held");
        assert_eq!(meeting["time_unspecified"], true);
        assert_eq!(meeting["starts_at"], "2020-05-08T00:00:00+02:00");
        assert_eq!(meeting["visibility"], "restricted");
        let attendees = all(&app, &format!("/api/v1/meetings/{m}/attendees")).await;
        assert_eq!(attendees.len(), 13);
        assert!(attendees.iter().all(|a| a["attendance"] == "present"));
        let agenda = all(&app, &format!("/api/v1/meetings/{m}/agenda-items")).await;
        let titles: Vec<&str> = agenda.iter().map(|a| a["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Mötet inleds", "Gruppdialog – erfarenheter av pågående situation", "Information från GR", "Nästa möte i höst", "Utcheckning och erfarenheter av webbmöte"]);
        let minutes = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&app.admin_token).send().await.expect(200);
        assert_eq!(minutes.json["status"], "draft");
        assert_eq!(minutes.json["sections"].as_array().unwrap().len(), 5);
        assert_eq!(minutes.json["sections"][1]["agenda_item_id"], agenda[1]["id"]);
        assert_eq!(minutes.json["sections"][1]["action_items"].as_array().unwrap().len(), 1);
        assert_eq!(minutes.json["sections"][2]["action_items"].as_array().unwrap().len(), 4);
        let information = minutes.json["sections"][2]["information_items"].as_array().unwrap();
        let titles: Vec<&str> = information.iter().map(|i| i["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Uppföljning Ekonomiskt bistånd", "Utförarregister – förstudie", "Yrkesresan – utförare", "Mötesplats IFO 20 nov", "Länsstyrelsen erbjuder dialogforum med länets kommuner"]);
        assert!(information.iter().all(|i| i["organization_id"].is_string()), "each names who informs");
        assert!(minutes.json["sections"][1]["notes"].as_str().unwrap().contains("Tips om sommararbete i form av \"Hemestervärdar\" i Partille."));
        let themes = all(&app, &format!("/api/v1/themes?network_id={ifo}")).await;
        assert_eq!(themes.len(), 12);
        by(&themes, "title", "Hur skapar vi en hållbar sommar för ungdomarna i kommunen?");
        // The network wished for a theme as a network; the 20 November pass is held
        // together with Barn och unga nätverket.
        assert_eq!(by(&themes, "title", "Krishantering för chefer")["proposed_by_network_id"], ifo.as_str());
        let bou = by(&networks, "name", "Barn och unga nätverket")["id"].clone();
        let november = all(&app, "/api/v1/meetings?from=2020-11-20&to=2020-11-20").await;
        let joint = by(&november, "title", "Gemensamt pass med barn och unga nätverket – jämförelser och uppföljning");
        assert_eq!(joint["co_host_network_ids"], json!([bou]));
        let of_bou = all(&app, &format!("/api/v1/meetings?network_id={}", bou.as_str().unwrap())).await;
        assert_eq!(of_bou.len(), 1, "in the co-host's list too");
        let doc = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&app.admin_token).header("Accept", "text/markdown").send().await;
        assert!(doc.text.contains("**Datum:** 2020-05-08  \n"), "{}", doc.text);

        // Ekerö's Friday meetings: weekly in spring 2020, sparser (no rule), paused, resumed.
        let series = all(&app, "/api/v1/meeting-series").await;
        assert_eq!(series.len(), 1);
        let s = series[0]["id"].as_str().unwrap().to_string();
        let full = app.get(&format!("/api/v1/meeting-series/{s}")).token(&app.admin_token).send().await.expect(200);
        assert_eq!(full.json["title"], "Gemensamma fredagsmöten – lägesavstämning förvaltning och utförare");
        assert_eq!(full.json["status"], "active");
        assert_eq!(full.json["start_time"], json!(null));
        let timeline = full.json["timeline"].as_array().unwrap();
        let story: Vec<(&str, &str)> = timeline.iter().map(|e| (e["kind"].as_str().unwrap(), e["on"].as_str().unwrap())).collect();
        assert_eq!(story, [("started", "2020-03-01"), ("frequency_changed", "2020-06-01"), ("paused", "2020-09-01"), ("resumed", "2020-10-01")]);
        assert_eq!(timeline[1]["frequency"], "irregular");
        assert_eq!(timeline[2]["reason"], "”…när läget var mer under kontroll, ske mer glest och under en tid helt upphöra.”");
        assert!(timeline.iter().all(|e| e["approximate"] == true));
        // Entered by the import: no user (as `recorded_by` is documented), or the admin
        // who ran it.
        let admin = app.get("/api/v1/me").token(&app.admin_token).send().await.expect(200).json["id"].clone();
        assert!(timeline.iter().all(|e| e["recorded_by"].is_null() || e["recorded_by"] == admin), "{timeline:?}");
        for e in timeline {
            recorded_during(&e["recorded_at"], before, after);
        }
        // Its meetings: the Fridays of spring 2020 but for Långfredagen and Första maj,
        // held, known by their day; none since (irregular, then paused, then irregular).
        let held = all(&app, &format!("/api/v1/meetings?series_id={s}")).await;
        let mut days: Vec<&str> = held.iter().map(|m| &m["starts_at"].as_str().unwrap()[..10]).collect();
        days.sort();
        assert_eq!(days, ["2020-03-06", "2020-03-13", "2020-03-20", "2020-03-27", "2020-04-03", "2020-04-17", "2020-04-24", "2020-05-08", "2020-05-15", "2020-05-22", "2020-05-29"]);
        assert!(held.iter().all(|m| m["status"] == "held" && m["time_unspecified"] == true));

        // IVO's dialogue with the social chiefs, published 23 June 2021 (entered now).
        let dialogues = all(&app, "/api/v1/supervisory-dialogues").await;
        assert_eq!(dialogues.len(), 1);
        let d = dialogues[0]["id"].as_str().unwrap().to_string();
        let dialogue = app.get(&format!("/api/v1/supervisory-dialogues/{d}")).send().await.expect(200);
        assert_eq!(dialogue.json["title"], "Dialog med Sveriges socialchefer om socialtjänstinsatser under utbrottet av covid-19");
        assert_eq!(dialogue.json["period_start"], "2020-10-01");
        assert_eq!(dialogue.json["period_end"], "2021-03-31");
        assert_eq!(dialogue.json["status"], "follow_up");
        assert_eq!(dialogue.json["published_at"], "2021-06-22T22:00:00Z");
        recorded_during(&dialogue.json["publication_recorded_at"], before, after);
        let findings = dialogue.json["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 4);
        assert_eq!(findings[0]["category"], "Förändringar i socialtjänstinsatser");
        assert!(findings[1]["text"].as_str().unwrap().starts_with("IVO:s nationella tillsyn av förändringar i socialtjänstinsatser under perioden oktober 2020 till mars 2021"));
        assert_eq!(dialogue.json["follow_ups"].as_array().unwrap().len(), 3);
        assert_eq!(dialogue.json["lessons_learned"].as_array().unwrap().len(), 2);
        assert_eq!(dialogue.json["recommendations"].as_array().unwrap().len(), 3);

        // Socialchefsdagarna 2021 in Malmö, 24–26 November: public, three whole days.
        let november = app.get("/api/v1/meetings?from=2021-11-24&to=2021-11-26").send().await.expect(200);
        let conference = by(november.json["data"].as_array().unwrap(), "title", "Socialchefsdagarna 2021").clone();
        assert_eq!(conference["kind"], "conference");
        assert_eq!(conference["location"], "Malmö");
        assert_eq!(conference["network_id"], json!(null));
        assert_eq!(conference["time_unspecified"], true);
        assert_eq!(conference["starts_at"], "2021-11-24T00:00:00+01:00");
        assert_eq!(conference["ends_at"], "2021-11-27T00:00:00+01:00");
        let c = conference["id"].as_str().unwrap();
        let agenda = all(&app, &format!("/api/v1/meetings/{c}/agenda-items")).await;
        assert_eq!(agenda.iter().map(|a| a["title"].as_str().unwrap()).collect::<Vec<_>>(), ["Framtidens vård och omsorg", "God och nära vård"]);
    }
}

db_test! {
    async fn importing_the_same_bundle_again_changes_nothing(app) {
        let bundle = demo();
        let first = import(&app, &bundle).await.expect(200);
        let total = first.json["created"].as_i64().unwrap();
        let versions_before = versions(&app).await;
        let export_before = export(&app, "").await.expect(200);
        let again = import(&app, &bundle).await.expect(200);
        assert_eq!(again.json["created"], 0, "{}", again.text);
        assert_eq!(again.json["updated"], 0, "{}", again.text);
        assert_eq!(again.json["unchanged"], total, "{}", again.text);
        assert_ne!(again.json["import_id"], first.json["import_id"]);
        let versions_after = versions(&app).await;
        assert_eq!(versions_after.len(), versions_before.len());
        for (path, version) in &versions_before {
            assert_eq!(versions_after.get(path), Some(version), "{path} changed");
        }
        let export_after = export(&app, "").await.expect(200);
        assert_eq!(export_after.json, export_before.json);
    }
}

db_test! {
    async fn a_changed_bundle_changes_what_changed(app) {
        let bundle = demo();
        let first = import(&app, &bundle).await.expect(200);
        let total = first.json["created"].as_i64().unwrap();
        let versions_before = versions(&app).await;

        let mut changed = bundle.clone();
        let meeting = changed["meetings"].as_array_mut().unwrap().iter_mut().find(|m| m["key"] == "ifo-2020-05-08").unwrap();
        meeting["title"] = json!("IFO-chefsnätverket – nätverksmöte (digitalt)");
        meeting["agenda"].as_array_mut().unwrap().push(json!({"key": "ifo-2020-05-08/6", "title": "Övriga frågor"}));
        let res = import(&app, &changed).await.expect(200);
        // The meeting changed; its new agenda item is new (when nested records count).
        assert_eq!(res.json["updated"], 1, "the meeting: {}", res.text);
        let created = res.json["created"].as_i64().unwrap();
        assert!(created == 1 || (created == 0 && total == top_level_records(&bundle)), "{}", res.text);
        assert_eq!(res.json["unchanged"], total - 1, "{}", res.text);

        let may = all(&app, "/api/v1/meetings?from=2020-05-08&to=2020-05-08").await;
        let meeting = by(&may, "title", "IFO-chefsnätverket – nätverksmöte (digitalt)").clone();
        let m = meeting["id"].as_str().unwrap();
        let agenda = all(&app, &format!("/api/v1/meetings/{m}/agenda-items")).await;
        assert_eq!(agenda.len(), 6);
        assert_eq!(agenda[5]["title"], "Övriga frågor");
        assert_eq!(agenda[5]["position"], 6);
        assert_eq!(all(&app, &format!("/api/v1/meetings/{m}/attendees")).await.len(), 13);
        // The rest is as it was.
        let versions_after = versions(&app).await;
        let meeting_path = format!("/api/v1/meetings/{m}");
        assert!(versions_after[&meeting_path].as_i64() > versions_before[&meeting_path].as_i64());
        let mut moved: Vec<&String> = versions_before.iter()
            .filter(|(path, v)| versions_after.get(*path) != Some(*v)).map(|(p, _)| p).collect();
        moved.retain(|p| **p != meeting_path);
        assert!(moved.is_empty(), "changed besides the meeting: {moved:?}; the first was {} and is {}",
            moved.first().map_or(Value::Null, |p| versions_before[*p].clone()), moved.first().map_or(Value::Null, |p| versions_after[*p].clone()));
        assert_eq!(versions_after.len(), versions_before.len() + 1, "the new agenda item");
        // A record removed from the bundle is not deleted (the bundle is not the whole truth).
        let again = import(&app, &changed).await.expect(200);
        assert_eq!(again.json["created"], 0);
        assert_eq!(again.json["updated"], 0);
    }
}

db_test! {
    async fn a_bundle_with_errors_names_them_all_and_stores_nothing(app) {
        let mut bad = demo();
        bad["meetings"][3]["starts_at"] = json!("2020-11-31T11:00");
        bad["minutes"][0]["sections"][1]["action_items"][0]["owner_person"] = json!("ingen-sadan-person");
        bad["organizations"][2]["kind"] = json!("länsstyrelse");
        let duplicate = bad["people"][0]["key"].clone();
        bad["people"][1]["key"] = duplicate;
        // A meeting named as its own co-host (one without other faults).
        assert_eq!(bad["meetings"][2]["key"], "motesplats-ifo-2020-11-20");
        bad["meetings"][2]["co_hosts"] = json!(["ifo-chefsnatverket"]);
        let own_network = "meetings[2].co_hosts[0]";
        let expected = ["meetings[3].starts_at", "minutes[0].sections[1].action_items[0].owner_person", "organizations[2].kind", "people[1].key", own_network];

        // Into an empty database: nothing at all is stored.
        let counts_before = counts(&app).await;
        let export_before = export(&app, "").await.expect(200);
        let res = import(&app, &bad).await.expect(422);
        let fields = res.fields();
        for field in expected {
            assert!(fields.iter().any(|f| f == field), "{field} is not named: {}", res.text);
        }
        assert!(res.json["errors"].as_array().unwrap().iter().all(|e| e["message"].as_str().is_some_and(|m| !m.is_empty())));
        assert!(!res.text.contains("SQL") && !res.text.contains("constraint"), "{}", res.text);
        assert_eq!(counts(&app).await, counts_before);
        assert_eq!(export(&app, "").await.expect(200).json, export_before.json);
        let audit_after = all(&app, "/api/v1/audit-events").await;
        assert!(audit_after.iter().all(|e| !e["action"].as_str().unwrap_or_default().contains("import")), "{audit_after:?}");

        // Into a database that has the bundle: a valid change in the same bundle is not
        // stored either.
        import(&app, &demo()).await.expect(200);
        let versions_before = versions(&app).await;
        let export_before = export(&app, "").await.expect(200);
        let mut half = bad.clone();
        half["meetings"][0]["title"] = json!("Ett nytt namn");
        half["organizations"][0]["name"] = json!("GR – Göteborgsregionen");
        let res = import(&app, &half).await.expect(422);
        for field in expected {
            assert!(res.fields().iter().any(|f| f == field), "{field} is not named: {}", res.text);
        }
        assert_eq!(versions(&app).await, versions_before);
        assert_eq!(export(&app, "").await.expect(200).json, export_before.json);
        let orgs = all(&app, "/api/v1/organizations").await;
        assert!(orgs.iter().any(|o| o["name"] == "Göteborgsregionen"));
        assert!(all(&app, "/api/v1/meetings?from=2020-05-08&to=2020-05-08").await.iter().all(|m| m["title"] != "Ett nytt namn"));
    }
}

db_test! {
    async fn an_export_imports_into_a_fresh_database_and_exports_the_same(app) {
        import(&app, &demo()).await.expect(200);
        let x = export(&app, "").await.expect(200);
        assert_eq!(x.json["format"], "samverkan-bundle");
        for (section, n) in [("organizations", 36), ("people", 25), ("networks", 11), ("series", 1), ("minutes", 1), ("themes", 12), ("dialogues", 1)] {
            let got = x.json[section].as_array().map_or(0, Vec::len);
            assert!(got >= n, "{section}: {got} < {n}");
        }
        // The demo's keys are kept.
        assert!(x.json["meetings"].as_array().unwrap().iter().any(|m| m["key"] == "socialchefsdagarna-2021"));
        assert!(x.json["networks"].as_array().unwrap().iter().any(|m| m["key"] == "ifo-chefsnatverket"));
        // Co-hosts and proposing networks travel by key.
        assert!(x.json["meetings"].as_array().unwrap().iter().any(|m| m["co_hosts"] == json!(["barn-och-unga-natverket"])));
        assert!(x.json["themes"].as_array().unwrap().iter().any(|t| t["proposed_by_network"] == "ifo-chefsnatverket"));
        let b = common::TestApp::spawn(app.backend).await.expect("a second app");
        let res = import(&b, &x.json).await.expect(200);
        // Everything is new but the first admin (account and person), whom the fresh
        // database has already.
        let created = res.json["created"].as_i64().unwrap();
        let updated = res.json["updated"].as_i64().unwrap();
        assert!(updated <= 2 && created + updated + res.json["unchanged"].as_i64().unwrap() >= top_level_records(&x.json), "{}", res.text);
        let y = export(&b, "").await.expect(200);
        assert_eq!(y.json, x.json, "the export of the copy differs");
        assert_eq!(y.text, x.text, "the same bytes");
        // And the copy answers as the original does.
        assert_eq!(counts(&b).await, counts(&app).await);
    }
}

/// The bundle without the first admin's account and person, which every fresh
/// database has of its own.
fn without_admin(bundle: &Value) -> Value {
    let mut out = bundle.clone();
    let admin_people: Vec<Value> = out["users"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|u| u["email"] == common::ADMIN_EMAIL)
        .map(|u| u["person"].clone())
        .collect();
    if let Some(users) = out["users"].as_array_mut() {
        users.retain(|u| u["email"] != common::ADMIN_EMAIL);
    }
    if let Some(people) = out["people"].as_array_mut() {
        people.retain(|p| !admin_people.contains(&p["key"]) && p["email"] != common::ADMIN_EMAIL);
    }
    for section in ["users", "people"] {
        if out[section].as_array().is_some_and(Vec::is_empty) {
            out.as_object_mut().unwrap().remove(section);
        }
    }
    out
}

db_test! {
    async fn an_export_without_the_admin_round_trips(app) {
        // As above, but leaving out the first admin's account (and person), which the
        // fresh database has under its own id.
        import(&app, &demo()).await.expect(200);
        let x = export(&app, "").await.expect(200);
        let b = common::TestApp::spawn(app.backend).await.expect("a second app");
        let res = import(&b, &without_admin(&x.json)).await.expect(200);
        assert_eq!(res.json["updated"], 0, "{}", res.text);
        let y = export(&b, "").await.expect(200);
        assert_eq!(without_admin(&y.json), without_admin(&x.json), "the export of the copy differs");
        // The copy answers as the original does.
        assert_eq!(counts(&b).await, counts(&app).await);
        let series_a = all(&app, "/api/v1/meeting-series").await;
        let series_b = all(&b, "/api/v1/meeting-series").await;
        let meetings = |list: Vec<Value>| -> Vec<(String, String, String)> {
            let mut out: Vec<_> = list.iter().map(|m| (m["title"].as_str().unwrap().to_string(), m["starts_at"].as_str().unwrap().to_string(), m["status"].as_str().unwrap().to_string())).collect();
            out.sort();
            out
        };
        assert_eq!(
            meetings(all(&app, &format!("/api/v1/meetings?series_id={}", series_a[0]["id"].as_str().unwrap())).await),
            meetings(all(&b, &format!("/api/v1/meetings?series_id={}", series_b[0]["id"].as_str().unwrap())).await)
        );
    }
}

db_test! {
    async fn importing_an_export_back_changes_nothing(app) {
        // The export writes defaults and normalized values the demo leaves out (a
        // meeting's time zone, a series' duration, instants for dates); the same content
        // imported back is still the same content.
        import(&app, &demo()).await.expect(200);
        let versions_before = versions(&app).await;
        let x = export(&app, "").await.expect(200);
        // (Without the first admin, whom the database has but did not import: see
        // `an_export_imports_into_a_fresh_database_and_exports_the_same`.)
        let back = import(&app, &without_admin(&x.json)).await.expect(200);
        assert_eq!(back.json["created"], 0, "{}", back.text);
        assert_eq!(back.json["updated"], 0, "{}", back.text);
        assert_eq!(versions(&app).await, versions_before);
        assert_eq!(export(&app, "").await.expect(200).text, x.text);
    }
}

db_test! {
    async fn a_network_exports_alone(app) {
        import(&app, &demo()).await.expect(200);
        let networks = all(&app, "/api/v1/networks").await;
        let ifo = by(&networks, "name", "IFO-chefsnätverket")["id"].as_str().unwrap().to_string();
        let part = export(&app, &format!("?network_id={ifo}")).await.expect(200);
        let keys = |section: &str| -> Vec<String> {
            part.json[section].as_array().map(|a| a.iter().map(|r| r["key"].as_str().unwrap_or_default().to_string()).collect()).unwrap_or_default()
        };
        assert_eq!(keys("networks"), ["ifo-chefsnatverket"]);
        let mut meetings = keys("meetings");
        meetings.sort();
        assert_eq!(meetings, ["ifo-2020-05-08", "ifo-barn-unga-2020-11-20", "motesplats-ifo-2020-11-20"]);
        assert_eq!(part.json["minutes"].as_array().unwrap().len(), 1);
        assert_eq!(keys("themes").len(), 12);
        assert!(keys("series").is_empty());
        assert!(keys("dialogues").is_empty());
        // What it refers to comes along, so it imports on its own.
        let b = common::TestApp::spawn(app.backend).await.expect("a second app");
        let res = import(&b, &part.json).await.expect(200);
        assert!(res.json["created"].as_i64().unwrap() > 0);
        assert_eq!(export(&b, &format!("?network_id={}", all(&b, "/api/v1/networks").await[0]["id"].as_str().unwrap())).await.expect(200).json["meetings"], part.json["meetings"]);
        // Unknown or malformed networks.
        export(&app, "?network_id=019a84f4-7b63-7ab2-bdf0-2e06c5de92d1").await.expect(404);
        let res = export(&app, "?network_id=inte-ett-id").await;
        assert!(res.status == 400 || res.status == 422 || res.status == 404, "{}", res.text);
    }
}

db_test! {
    async fn history_in_a_bundle_keeps_its_dates(app) {
        let bundle = json!({
            "format": "samverkan-bundle",
            "version": 1,
            "description": "Pappersprotokoll inmatade i efterhand",
            "organizations": [
                {"key": "gr", "name": "Göteborgsregionen", "short_name": "GR", "kind": "regional_association"},
                {"key": "partille", "name": "Partille kommun", "kind": "municipality"},
                {"key": "ivo", "name": "Inspektionen för vård och omsorg", "short_name": "IVO", "kind": "supervisory_authority"}
            ],
            "people": [
                {"key": "jessica", "name": "Jessica Svanström", "organization": "partille"},
                {"key": "nicholas", "name": "Nicholas Singleton", "organization": "gr", "title": "utvecklingsledare"}
            ],
            "users": [
                {"key": "jessica-user", "email": "jessica.svanstrom@partille.se", "display_name": "Jessica Svanström", "organization": "partille", "person": "jessica"}
            ],
            "networks": [
                {"key": "ifo", "name": "IFO-chefsnätverket", "owner_organization": "gr", "visibility": "restricted",
                 "members": [{"organization": "partille", "joined_on": "2019-01-01"}],
                 "participants": [{"person": "nicholas", "role": "coordinator"}, {"person": "jessica", "on_behalf_of_organization": "partille"}]}
            ],
            "meetings": [
                {"key": "ifo-2020-05-08", "network": "ifo", "title": "Nätverket för IFO-chefer", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "status": "held",
                 "agenda": [{"key": "ifo-2020-05-08/1", "title": "Information från GR"}],
                 "attendees": [{"person": "jessica", "attendance": "present"}, {"person": "nicholas", "role": "note_taker", "attendance": "present"}]}
            ],
            "minutes": [
                {"meeting": "ifo-2020-05-08", "status": "approved", "recorded_by": ["nicholas"], "approvers": ["jessica", "nicholas"],
                 "submitted_at": "2020-05-11T08:00:00Z",
                 "approvals": [
                    {"person": "jessica", "approved_at": "2020-05-15"},
                    {"person": "nicholas", "approved_at": "2020-05-12T10:00:00Z", "recorded_at": "2021-01-10T08:00:00Z"}
                 ],
                 "sections": [{"agenda_item": "ifo-2020-05-08/1", "heading": "Information från GR", "notes": "Uppföljning av ekonomiskt bistånd pågår.",
                    "decisions": ["GR sammanställer uppföljningen."],
                    "action_items": [
                        {"key": "ifo-2020-05-08/a1", "title": "Sammanställ uppföljningen", "owner_person": "nicholas", "due_on": "2020-06-01", "status": "done", "completed_at": "2020-06-01"},
                        {"key": "ifo-2020-05-08/a2", "title": "Skicka ut VGR:s dokument om att arbeta i kris", "owner_organization": "gr", "status": "done", "completed_at": "2020-05-20", "completion_recorded_at": "2020-09-01T07:00:00Z"},
                        {"key": "ifo-2020-05-08/a3", "title": "Bjud in IVO", "status": "open"}
                    ]}]}
            ],
            "dialogues": [
                {"key": "ivo-dialog", "title": "Dialog med Sveriges socialchefer om socialtjänstinsatser under utbrottet av covid-19", "supervising_organization": "ivo",
                 "supervision_name": "Nationell tillsyn av förändringar i socialtjänstinsatser", "participants": ["partille"], "status": "follow_up", "visibility": "public",
                 "published_at": "2021-06-23",
                 "findings": [{"key": "ivo-dialog/f1", "category": "samverkan", "text": "Kommuner har hittat lösningar tillsammans med de berörda."}]},
                {"key": "ivo-dialog-2", "title": "Uppföljande dialog", "supervising_organization": "ivo", "supervision_name": "Nationell tillsyn", "visibility": "public",
                 "published_at": "2021-11-02T09:30:00+01:00", "publication_recorded_at": "2022-01-03T10:00:00Z"}
            ]
        });
        let before = Utc::now();
        let res = import(&app, &bundle).await.expect(200);
        let after = Utc::now();
        let _import_id = res.json["import_id"].as_str().unwrap().to_string();
        counts_every_record(&res.json, &bundle);

        // The approvals keep their days, and say when they were entered.
        let meeting = all(&app, "/api/v1/meetings?from=2020-05-08&to=2020-05-08").await[0].clone();
        let m = meeting["id"].as_str().unwrap();
        let minutes = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&app.admin_token).send().await.expect(200);
        assert_eq!(minutes.json["status"], "approved");
        assert_eq!(minutes.json["approved_at"], "2020-05-14T22:00:00Z", "the latest approval's day");
        assert_eq!(minutes.json["submitted_at"], "2020-05-11T08:00:00Z");
        let people = all(&app, "/api/v1/people").await;
        let jessica = by(&people, "name", "Jessica Svanström")["id"].as_str().unwrap().to_string();
        let nicholas = by(&people, "name", "Nicholas Singleton")["id"].as_str().unwrap().to_string();
        let approvals = minutes.json["approvals"].as_array().unwrap();
        let first = by(approvals, "person_id", &jessica);
        assert_eq!(first["approved_at"], "2020-05-14T22:00:00Z");
        recorded_during(&first["recorded_at"], before, after);
        let admin = app.get("/api/v1/me").token(&app.admin_token).send().await.expect(200).json["id"].clone();
        assert!(first["recorded_by"].is_null() || first["recorded_by"] == admin, "{first}");
        let second = by(approvals, "person_id", &nicholas);
        assert_eq!(second["approved_at"], "2020-05-12T10:00:00Z");
        assert_eq!(second["recorded_at"], "2021-01-10T08:00:00Z");
        let doc = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&app.admin_token).header("Accept", "text/markdown").send().await;
        assert!(doc.text.contains("*Justerat 2020-05-15*"), "{}", doc.text);

        // The action items keep the days they were done (their status is their own, not
        // the minutes' text).
        let written = minutes.json["sections"][0]["action_items"].as_array().unwrap();
        assert!(written[0].get("status").is_none(), "{}", written[0]);
        let live = all(&app, "/api/v1/action-items").await;
        let items: Vec<&Value> = written.iter().map(|w| by(&live, "id", w["id"].as_str().unwrap())).collect();
        assert_eq!(items[0]["status"], "done");
        assert_eq!(items[0]["completed_at"], "2020-05-31T22:00:00Z");
        recorded_during(&items[0]["completion_recorded_at"], before, after);
        assert_eq!(items[1]["completed_at"], "2020-05-19T22:00:00Z");
        assert_eq!(items[1]["completion_recorded_at"], "2020-09-01T07:00:00Z");
        assert_eq!(items[2]["completed_at"], json!(null));
        assert_eq!(items[2]["completion_recorded_at"], json!(null));

        // The dialogues keep the days they were published.
        let dialogues = all(&app, "/api/v1/supervisory-dialogues").await;
        let d = by(&dialogues, "title", "Dialog med Sveriges socialchefer om socialtjänstinsatser under utbrottet av covid-19");
        assert_eq!(d["published_at"], "2021-06-22T22:00:00Z");
        recorded_during(&d["publication_recorded_at"], before, after);
        let d2 = by(&dialogues, "title", "Uppföljande dialog");
        assert_eq!(d2["published_at"], "2021-11-02T08:30:00Z");
        assert_eq!(d2["publication_recorded_at"], "2022-01-03T10:00:00Z");
        let public = app.get(&format!("/api/v1/supervisory-dialogues/{}", d["id"].as_str().unwrap())).send().await.expect(200);
        assert_eq!(public.json["findings"][0]["text"], "Kommuner har hittat lösningar tillsammans med de berörda.");

        // The export gives the same history back.
        let x = export(&app, "").await.expect(200);
        let exported = &x.json["minutes"][0];
        assert_eq!(exported["status"], "approved");
        let approvals = exported["approvals"].as_array().unwrap();
        let first = by(approvals, "person", "jessica");
        assert!(first["recorded_at"].is_string(), "{first}");
        let second = by(approvals, "person", "nicholas");
        assert_eq!(second["recorded_at"], "2021-01-10T08:00:00Z");
        let items = exported["sections"][0]["action_items"].as_array().unwrap();
        assert_eq!(items[1]["completion_recorded_at"], "2020-09-01T07:00:00Z");
        assert!(items[0]["completion_recorded_at"].is_string());
        let d2 = by(x.json["dialogues"].as_array().unwrap(), "key", "ivo-dialog-2");
        assert_eq!(d2["publication_recorded_at"], "2022-01-03T10:00:00Z");

        // The imported user has no password that works; an admin sets one.
        let users = all(&app, "/api/v1/users").await;
        let user = by(&users, "email", "jessica.svanstrom@partille.se").clone();
        assert_eq!(user["person_id"], jessica.as_str());
        for password in ["", "lösenord", common::PASSWORD, common::ADMIN_PASSWORD] {
            let res = app.post("/api/v1/auth/token").json(json!({"email": "jessica.svanstrom@partille.se", "password": password})).send().await;
            assert!(res.status == 401 || res.status == 400 || res.status == 422, "{password:?}: {}", res.text);
            assert!(res.json["access_token"].is_null());
        }
        let set = app.patch(&format!("/api/v1/users/{}", user["id"].as_str().unwrap())).token(&app.admin_token).json(json!({"password": common::PASSWORD})).send().await;
        if set.status == 200 {
            let token = app.sign_in("jessica.svanstrom@partille.se", common::PASSWORD).await;
            app.get(&format!("/api/v1/meetings/{m}")).token(&token).send().await.expect(200);
        }

        // Once approved, the minutes change by amendment, not by another import.
        let mut later = bundle.clone();
        later["minutes"][0]["sections"][0]["notes"] = json!("Ändrad text.");
        let res = import(&app, &later).await.expect(422);
        assert!(res.fields().iter().any(|f| f.starts_with("minutes[0]")), "{}", res.text);

        // Into a fresh database: approved minutes need an approval from each approver,
        // and history lies in the past; nothing is stored.
        let fresh = common::TestApp::spawn(app.backend).await.expect("a second app");
        let mut short = bundle.clone();
        short["minutes"][0]["approvals"].as_array_mut().unwrap().pop();
        let res = import(&fresh, &short).await.expect(422);
        assert!(res.fields().iter().any(|f| f.starts_with("minutes[0].approvals") || f == "minutes[0].status"), "{}", res.text);
        let mut future = bundle.clone();
        future["dialogues"][0]["published_at"] = json!("2099-01-01");
        future["minutes"][0]["sections"][0]["action_items"][0]["completed_at"] = json!("2099-01-01");
        let res = import(&fresh, &future).await.expect(422);
        for field in ["dialogues[0].published_at", "minutes[0].sections[0].action_items[0].completed_at"] {
            assert!(res.fields().iter().any(|f| f == field), "{field}: {}", res.text);
        }
        assert!(all(&fresh, "/api/v1/organizations").await.iter().all(|o| o["name"] != "Göteborgsregionen"));
        let unchanged = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&app.admin_token).send().await.expect(200);
        assert_eq!(unchanged.json["sections"][0]["notes"], "Uppföljning av ekonomiskt bistånd pågår.");
    }
}

db_test! {
    async fn sections_out_of_order_are_named_and_nothing_is_stored(app) {
        // The bundle is read as a stream, its sections in the documented order. Tools
        // that sort keys (jq -S, PostgreSQL jsonb, serde_json's Value) write "dialogues"
        // before "organizations": the 422 says which section is out of place.
        let counts_before = counts(&app).await;
        let sorted = serde_json::to_vec(&demo()).unwrap();
        let res = app.post("/api/v1/import").token(&app.admin_token).raw("application/json", sorted).send().await.expect(422);
        let misplaced: Vec<&Value> = res.json["errors"].as_array().unwrap().iter()
            .filter(|e| e["field"] == "meetings" || e["field"] == "organizations").collect();
        assert!(!misplaced.is_empty(), "{}", &res.text[..res.text.len().min(3000)]);
        assert!(misplaced.iter().all(|e| e["message"].as_str().unwrap().contains("must come before")), "{misplaced:?}");
        assert_eq!(counts(&app).await, counts_before);
    }
}

db_test! {
    async fn the_report_counts_the_records_of_every_section(app) {
        // `created`/`updated`/`unchanged` count the records of the sections (an
        // organization, a meeting with its agenda and attendees, minutes with their
        // sections); nested items are part of their record.
        let bundle = demo();
        let res = import(&app, &bundle).await.expect(200);
        assert_eq!(res.json["created"], top_level_records(&bundle), "{}", res.text);
        let again = import(&app, &bundle).await.expect(200);
        assert_eq!(again.json["unchanged"], top_level_records(&bundle), "{}", again.text);
        assert_eq!(again.json["created"], 0, "{}", again.text);
    }
}

db_test! {
    async fn imported_records_name_the_import_in_the_audit_trail(app) {
        let res = import(&app, &demo()).await.expect(200);
        let import_id = res.json["import_id"].as_str().unwrap().to_string();
        let runs = all(&app, &format!("/api/v1/audit-events?resource_id={import_id}")).await;
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(runs[0]["action"], "import.run");
        let admin = app.get("/api/v1/me").token(&app.admin_token).send().await.expect(200).json["id"].clone();
        assert_eq!(runs[0]["actor_user_id"], admin);
        let networks = all(&app, "/api/v1/networks").await;
        let meetings = all(&app, "/api/v1/meetings?from=2020-05-08&to=2020-05-08").await;
        let dialogues = all(&app, "/api/v1/supervisory-dialogues").await;
        let series = all(&app, "/api/v1/meeting-series").await;
        for item in [&networks[0], &meetings[0], &dialogues[0], &series[0]] {
            let id = item["id"].as_str().unwrap();
            let events = all(&app, &format!("/api/v1/audit-events?resource_id={id}")).await;
            let imported: Vec<&Value> = events.iter().filter(|e| e["action"].as_str().unwrap_or_default().ends_with(".import")).collect();
            assert_eq!(imported.len(), 1, "{id}: {events:?}");
            assert!(imported[0]["detail"].as_str().unwrap_or_default().contains(&import_id), "the event names the import: {:?}", imported[0]);
        }
    }
}

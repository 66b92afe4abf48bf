//! Supervisory dialogues (seed 003): written by the authority, read by those involved
//! until published, findings and follow-ups with ids, and lessons across dialogues.

use serde_json::json;

db_test! {
    async fn the_covid_dialogue_with_the_social_chiefs(app) {
        let ivo = app.organization("Inspektionen för vård och omsorg", "supervisory_authority").await;
        let partille = app.organization("Partille kommun", "municipality").await;
        let malmo = app.organization("Malmö stad", "municipality").await;
        let county = app.organization("Länsstyrelsen i Västra Götaland", "county_board").await;
        let (_, inspector) = app.user("yvonne.berneke@ivo.se", Some(&ivo)).await;
        let (_, chief) = app.user("socialchef@partille.se", Some(&partille)).await;
        let (_, stranger) = app.user("someone@malmo.se", Some(&malmo)).await;
        let (_, county_user) = app.user("handlaggare@lansstyrelsen.se", Some(&county)).await;

        let body = json!({
            "title": "Dialog med Sveriges socialchefer om socialtjänstinsatser under utbrottet av covid-19",
            "supervising_organization_id": ivo,
            "supervision_name": "Nationell tillsyn av förändringar i socialtjänstinsatser",
            "period_start": "2020-10-01",
            "period_end": "2021-03-31",
            "held_on": "2021-05-20",
            "mode": "digital",
            "participant_organization_ids": [partille],
            "focus_questions": ["Hur har kommunen säkerställt kontakten med enskilda vid förändrade insatser?"],
            "findings": [{"category": "kvalitet", "text": "Kommunerna har kommit olika långt med att säkerställa god kvalitet och säkerhet."}],
            "lessons_learned": ["Om det finns en tydlig organisation och arbetssätt som fungerar i vardagen underlättar det arbetet i en kris."],
            "recommendations": ["Kontakten med enskilda behöver ske hela vägen – inför förändringen, vid åtgärder och vid uppföljning."],
            "follow_ups": [{"description": "Återföra lärdomar från tillsynen till kommunerna", "responsible_organization_id": ivo, "due_on": "2021-11-30"}],
            "status": "held"
        });
        // Only the authority writes; not a county board, not a municipality.
        app.post("/api/v1/supervisory-dialogues").token(&chief).json(body.clone()).send().await.expect(403);
        // A county board is no supervisory authority: its users may not write dialogues at
        // all, and learn that before anything about their body; an admin learns that the
        // organization named is not one.
        let mut as_county = body.clone();
        as_county["supervising_organization_id"] = json!(county);
        app.post("/api/v1/supervisory-dialogues").token(&county_user).json(as_county.clone()).send().await.expect(403);
        app.post("/api/v1/supervisory-dialogues").token(&county_user).json(json!({"title": ""})).send().await.expect(403);
        let res = app.post("/api/v1/supervisory-dialogues").token(&app.admin_token).json(as_county).send().await.expect(422);
        assert_eq!(res.fields(), ["supervising_organization_id"]);
        let created = app.post("/api/v1/supervisory-dialogues").token(&inspector).json(body.clone()).send().await.expect(201);
        let id = created.id();
        assert_eq!(created.json["visibility"], "restricted");
        assert_eq!(created.json["findings"][0]["category"], "kvalitet");
        assert!(created.json["findings"][0]["id"].is_string());
        assert_eq!(created.json["follow_ups"][0]["status"], "open");
        assert_eq!(created.json["participant_organization_ids"], json!([partille]));
        let bad = app.post("/api/v1/supervisory-dialogues").token(&inspector)
            .json(json!({"title": "", "supervising_organization_id": ivo, "supervision_name": "X", "period_start": "2021-01-01", "period_end": "2020-01-01", "mode": "telepati", "status": "pågår", "follow_ups": [{"description": ""}]}))
            .send().await.expect(422);
        let mut fields = bad.fields();
        fields.sort();
        assert_eq!(fields, ["follow_ups[0].description", "mode", "period_end", "status", "title"]);

        // Restricted: the authority and the participating municipality read it; others get 404.
        let path = format!("/api/v1/supervisory-dialogues/{id}");
        app.get(&path).token(&inspector).send().await.expect(200);
        app.get(&path).token(&chief).send().await.expect(200);
        app.get(&path).token(&stranger).send().await.expect(404);
        app.get(&path).send().await.expect(404);
        app.patch(&path).token(&chief).json(json!({"status": "closed"})).send().await.expect(403);
        app.patch(&path).token(&stranger).json(json!({"status": "closed"})).send().await.expect(404);
        let listed = app.get("/api/v1/supervisory-dialogues").token(&stranger).send().await.expect(200);
        assert!(listed.json["data"].as_array().unwrap().is_empty());
        let listed = app.get(&format!("/api/v1/supervisory-dialogues?participant_organization_id={partille}")).token(&chief).send().await.expect(200);
        assert_eq!(listed.json["data"].as_array().unwrap().len(), 1);

        // Findings and follow-ups have ids of their own.
        let finding = app.post(&format!("{path}/findings")).token(&inspector)
            .json(json!({"category": "samverkan", "text": "Kommuner har hittat lösningar tillsammans med de berörda."})).send().await.expect(201);
        let finding_id = finding.id();
        let replay = app.post(&format!("{path}/findings")).token(&inspector).header("Idempotency-Key", "fynd-1")
            .json(json!({"text": "Svårt att nå enskilda digitalt."})).send().await.expect(201);
        let again = app.post(&format!("{path}/findings")).token(&inspector).header("Idempotency-Key", "fynd-1")
            .json(json!({"text": "Svårt att nå enskilda digitalt."})).send().await.expect(201);
        assert_eq!(replay.json, again.json);
        app.delete(&format!("{path}/findings/{}", replay.id())).token(&inspector).send().await.expect(204);
        app.post(&format!("{path}/findings")).token(&chief).json(json!({"text": "X"})).send().await.expect(403);
        let changed = app.patch(&format!("{path}/findings/{finding_id}")).token(&inspector).json(json!({"category": null})).send().await.expect(200);
        assert_eq!(changed.json["category"], json!(null));
        let follow = app.post(&format!("{path}/follow-ups")).token(&inspector)
            .json(json!({"description": "Följa upp att samtliga kommuner utvecklar kvalitetsarbetet", "due_on": "2022-03-31"})).send().await.expect(201);
        let follow_id = follow.id();
        let done = app.patch(&format!("{path}/follow-ups/{follow_id}")).token(&inspector).json(json!({"status": "done"})).send().await.expect(200);
        assert_eq!(done.json["status"], "done");
        app.patch(&format!("{path}/follow-ups/{follow_id}")).token(&inspector).json(json!({"status": "klar"})).send().await.expect(422);
        let findings = app.get(&format!("{path}/findings")).token(&chief).send().await.expect(200);
        assert_eq!(findings.json["data"].as_array().unwrap().len(), 2);
        app.delete(&format!("{path}/findings/{finding_id}")).token(&inspector).send().await.expect(204);
        app.delete(&format!("{path}/findings/{finding_id}")).token(&inspector).send().await.expect(404);
        let follow_ups = app.get(&format!("{path}/follow-ups")).token(&chief).send().await.expect(200);
        assert_eq!(follow_ups.json["data"].as_array().unwrap().len(), 2);

        // Filters.
        let by_name = app.get("/api/v1/supervisory-dialogues?supervision_name=F%C3%96R%C3%84NDRINGAR").token(&inspector).send().await.expect(200);
        assert_eq!(by_name.json["data"].as_array().unwrap().len(), 1);
        let by_period = app.get("/api/v1/supervisory-dialogues?period_from=2021-04-01").token(&inspector).send().await.expect(200);
        assert!(by_period.json["data"].as_array().unwrap().is_empty());
        let by_period = app.get("/api/v1/supervisory-dialogues?period_from=2021-01-01&period_to=2021-02-01&status=held").token(&inspector).send().await.expect(200);
        assert_eq!(by_period.json["data"].as_array().unwrap().len(), 1);

        // Lessons across dialogues, for the authority to feed back.
        let lessons = app.get("/api/v1/supervisory-dialogues/lessons?q=KRIS").token(&chief).send().await.expect(200);
        let items = lessons.json["data"].as_array().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["kind"], "lesson_learned");
        assert_eq!(items[0]["dialogue_id"], id.as_str());
        let all = app.get("/api/v1/supervisory-dialogues/lessons?limit=1").token(&chief).send().await.expect(200);
        assert_eq!(all.json["data"].as_array().unwrap().len(), 1);
        let next = all.json["links"]["next"].as_str().unwrap().to_string();
        let rest = app.get(&next).token(&chief).send().await.expect(200);
        assert_eq!(rest.json["data"][0]["kind"], "recommendation");
        assert!(app.get("/api/v1/supervisory-dialogues/lessons").send().await.expect(200).json["data"].as_array().unwrap().is_empty());
        // "lessons" is not a dialogue id to other methods.
        let res = app.patch("/api/v1/supervisory-dialogues/lessons").token(&inspector).raw("text/plain", "x").send().await.expect(405);
        assert_eq!(res.header("allow"), Some("GET"));

        // Publishing makes it public, once.
        app.post(&format!("{path}/publish")).token(&chief).send().await.expect(403);
        let published = app.post(&format!("{path}/publish")).token(&inspector).send().await.expect(200);
        assert!(published.json["published_at"].is_string());
        assert_eq!(published.json["visibility"], "public");
        let again = app.post(&format!("{path}/publish")).token(&inspector).send().await.expect(409);
        assert_eq!(again.json["current_status"], "published");
        app.get(&path).send().await.expect(200);
        app.get(&path).token(&stranger).send().await.expect(200);
        let public_lessons = app.get("/api/v1/supervisory-dialogues/lessons").send().await.expect(200);
        assert_eq!(public_lessons.json["data"].as_array().unwrap().len(), 2);

        let updated = app.patch(&path).token(&inspector).header("If-Match", &format!("\"{}\"", published.json["version"]))
            .json(json!({"status": "follow_up", "recommendations": ["Kontakten med enskilda behöver ske hela vägen."]}))
            .send().await.expect(200);
        assert_eq!(updated.json["status"], "follow_up");
        app.patch(&path).token(&inspector).header("If-Match", "\"1\"").json(json!({"status": "closed"})).send().await.expect(412);
        app.delete(&path).token(&inspector).send().await.expect(204);
        app.get(&path).send().await.expect(404);
    }
}

//! Networks, members, participants, visibility and the participation report.

use serde_json::json;

db_test! {
    async fn creating_a_network_makes_you_its_coordinator(app) {
        let gr = app.organization("Göteborgsregionen", "regional_association").await;
        let other = app.organization("Borås stad", "municipality").await;
        let (user, token) = app.user("cecilia@goteborgsregionen.se", Some(&gr)).await;
        let res = app.post("/api/v1/networks").token(&token)
            .json(json!({
                "name": "Välfärdsteknik i vård och omsorg",
                "description": "Lärande nätverk för kommunernas arbete med välfärdsteknik.",
                "owner_organization_id": gr,
                "focus_areas": ["digitala nattbesök", "trygghetslarm"],
                "cadence": "1–2 gånger per termin",
                "started_on": "2019-09-01"
            }))
            .send().await.expect(201);
        let id = res.id();
        assert_eq!(res.json["status"], "active");
        assert_eq!(res.json["visibility"], "internal");
        assert_eq!(res.json["focus_areas"], json!(["digitala nattbesök", "trygghetslarm"]));
        let participants = app.get(&format!("/api/v1/networks/{id}/participants")).token(&token).send().await.expect(200);
        assert_eq!(participants.json["data"][0]["person_id"], user["person_id"]);
        assert_eq!(participants.json["data"][0]["role"], "coordinator");

        // Not for another organization, and the fields are checked.
        app.post("/api/v1/networks").token(&token).json(json!({"name": "X", "owner_organization_id": other})).send().await.expect(403);
        let bad = app.post("/api/v1/networks").token(&token)
            .json(json!({"name": "", "owner_organization_id": gr, "status": "sleeping", "visibility": "secret", "started_on": "2020-01-01", "ended_on": "2019-01-01"}))
            .send().await.expect(422);
        let mut fields = bad.fields();
        fields.sort();
        assert_eq!(fields, ["ended_on", "name", "status", "visibility"]);

        // A new network is at version 1 (adding its first coordinator is part of creating it).
        assert_eq!(res.json["version"], 1);
        let changed = app.patch(&format!("/api/v1/networks/{id}")).token(&token).header("If-Match", "\"1\"")
            .json(json!({"status": "paused", "cadence": null})).send().await.expect(200);
        assert_eq!(changed.json["status"], "paused");
        assert_eq!(changed.json["cadence"], json!(null));
        let list = app.get("/api/v1/networks?focus_area=NATTBESÖK".replace("Ö", "%C3%96").as_str()).token(&token).send().await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
        let list = app.get("/api/v1/networks?status=active").token(&token).send().await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 0);
    }
}

db_test! {
    async fn members_and_participants_are_managed_by_coordinators(app) {
        let cast = app.cast("restricted").await;
        let n = &cast.network;
        let extra = app.organization("Lerums kommun", "municipality").await;
        let members = app.get(&format!("/api/v1/networks/{n}/members")).token(&cast.member).send().await.expect(200);
        assert_eq!(members.json["data"].as_array().unwrap().len(), 1);
        let added = app.post(&format!("/api/v1/networks/{n}/members")).token(&cast.coordinator)
            .json(json!({"organization_id": extra, "joined_on": "2020-01-01"})).send().await.expect(201);
        let member_id = added.id();
        app.post(&format!("/api/v1/networks/{n}/members")).token(&cast.coordinator)
            .json(json!({"organization_id": extra})).send().await.expect(409);
        let res = app.patch(&format!("/api/v1/networks/{n}/members/{member_id}")).token(&cast.coordinator)
            .json(json!({"left_on": "2019-01-01"})).send().await.expect(422);
        assert_eq!(res.fields(), ["left_on"]);
        let left = app.patch(&format!("/api/v1/networks/{n}/members/{member_id}")).token(&cast.coordinator)
            .json(json!({"left_on": "2021-06-30"})).send().await.expect(200);
        assert_eq!(left.json["left_on"], "2021-06-30");
        app.delete(&format!("/api/v1/networks/{n}/members/{member_id}")).token(&cast.coordinator).send().await.expect(204);

        // A member may read but not manage.
        app.post(&format!("/api/v1/networks/{n}/members")).token(&cast.member).json(json!({"organization_id": extra})).send().await.expect(403);
        let person = app.person("Gustav Kastberg", "gk@kfi.se", None).await;
        app.post(&format!("/api/v1/networks/{n}/participants")).token(&cast.member).json(json!({"person_id": person})).send().await.expect(403);
        let p = app.post(&format!("/api/v1/networks/{n}/participants")).token(&cast.coordinator)
            .json(json!({"person_id": person, "role": "member", "on_behalf_of_organization_id": extra})).send().await.expect(201);
        assert_eq!(p.json["name"], "Gustav Kastberg");
        let pid = p.id();
        app.post(&format!("/api/v1/networks/{n}/participants")).token(&cast.coordinator).json(json!({"person_id": person})).send().await.expect(409);
        let res = app.patch(&format!("/api/v1/networks/{n}/participants/{pid}")).token(&cast.coordinator).json(json!({"role": "boss"})).send().await.expect(422);
        assert_eq!(res.fields(), ["role"]);
        let promoted = app.patch(&format!("/api/v1/networks/{n}/participants/{pid}")).token(&cast.coordinator).json(json!({"role": "coordinator"})).send().await.expect(200);
        assert_eq!(promoted.json["role"], "coordinator");
        app.delete(&format!("/api/v1/networks/{n}/participants/{pid}")).token(&cast.member).send().await.expect(403);
        app.delete(&format!("/api/v1/networks/{n}/participants/{pid}")).token(&cast.coordinator).send().await.expect(204);
        // Membership changes move the network, so sync clients see them.
        let net = app.get(&format!("/api/v1/networks/{n}")).token(&cast.coordinator).send().await.expect(200);
        assert!(net.json["version"].as_i64().unwrap() > 5);
    }
}

// Who sees a network of each visibility: (viewer, sees internal, sees restricted).
db_test! {
    async fn visibility_matrix_for_networks(app) {
        let restricted = app.cast("restricted").await;
        let n = &restricted.network;
        let internal = app.post("/api/v1/networks").token(&restricted.coordinator)
            .json(json!({"name": "Öppet nätverk", "owner_organization_id": restricted.owner_org, "visibility": "internal"}))
            .send().await.expect(201).id();
        let public = app.post("/api/v1/networks").token(&restricted.coordinator)
            .json(json!({"name": "Publikt nätverk", "owner_organization_id": restricted.owner_org, "visibility": "public"}))
            .send().await.expect(201).id();
        let viewers: [(&str, Option<&str>, bool, bool); 6] = [
            ("admin", Some(&app.admin_token), true, true),
            ("coordinator", Some(&restricted.coordinator), true, true),
            ("member organization", Some(&restricted.member), true, true),
            ("participant", Some(&restricted.participant), true, true),
            ("outsider", Some(&restricted.outsider), true, false),
            ("anonymous", None, false, false),
        ];
        for (who, token, sees_internal, sees_restricted) in viewers {
            let get = |path: String| {
                let mut req = app.get(&path);
                if let Some(t) = token {
                    req = req.token(t);
                }
                req.send()
            };
            assert_eq!(get(format!("/api/v1/networks/{public}")).await.status, 200, "{who} public");
            assert_eq!(get(format!("/api/v1/networks/{internal}")).await.status, if sees_internal { 200 } else { 404 }, "{who} internal");
            for path in [format!("/api/v1/networks/{n}"), format!("/api/v1/networks/{n}/members"), format!("/api/v1/networks/{n}/participants"), format!("/api/v1/networks/{n}/participation")] {
                let res = get(path.clone()).await;
                assert_eq!(res.status, if sees_restricted { 200 } else { 404 }, "{who} {path}");
            }
            let list = get("/api/v1/networks".into()).await;
            let ids: Vec<&str> = list.json["data"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
            assert_eq!(ids.contains(&n.as_str()), sees_restricted, "{who} list restricted");
            assert_eq!(ids.contains(&internal.as_str()), sees_internal, "{who} list internal");
            assert!(ids.contains(&public.as_str()), "{who} list public");
        }
        // Writes: only the coordinator and admins; an outsider does not learn it exists.
        for (who, token, status) in [
            ("member", &restricted.member, 403),
            ("participant", &restricted.participant, 403),
            ("outsider", &restricted.outsider, 404),
            ("coordinator", &restricted.coordinator, 200),
            ("admin", &app.admin_token, 200),
        ] {
            let res = app.patch(&format!("/api/v1/networks/{n}")).token(token).json(json!({"cadence": who})).send().await;
            assert_eq!(res.status, status, "{who}");
        }
        app.patch(&format!("/api/v1/networks/{n}")).json(json!({"cadence": "x"})).send().await.expect(401);
        // A member organization that has left no longer sees restricted content.
        let members = app.get(&format!("/api/v1/networks/{n}/members")).token(&restricted.coordinator).send().await.expect(200);
        let membership = members.json["data"][0]["id"].as_str().unwrap().to_string();
        app.patch(&format!("/api/v1/networks/{n}/members/{membership}")).token(&restricted.coordinator)
            .json(json!({"left_on": "2020-06-30"})).send().await.expect(200);
        app.get(&format!("/api/v1/networks/{n}")).token(&restricted.member).send().await.expect(404);
        app.delete(&format!("/api/v1/networks/{n}")).token(&restricted.coordinator).send().await.expect(204);
        app.get(&format!("/api/v1/networks/{n}")).token(&app.admin_token).send().await.expect(404);
    }
}

db_test! {
    async fn participation_report_counts_held_meetings_per_member(app) {
        let cast = app.cast("restricted").await;
        let n = &cast.network;
        let lerum = app.organization("Lerums kommun", "municipality").await;
        app.post(&format!("/api/v1/networks/{n}/members")).token(&cast.coordinator).json(json!({"organization_id": lerum})).send().await.expect(201);
        let partille_person = app.person("Jessica Svanström", "js@partille.se", Some(&cast.member_org)).await;
        let lerum_person = app.person("Maria Enbuske", "me@lerum.se", Some(&lerum)).await;
        let mut meetings = Vec::new();
        for (day, status) in [("2020-02-07", "held"), ("2020-05-08", "held"), ("2020-09-11", "held"), ("2020-11-20", "cancelled"), ("2021-02-05", "held")] {
            let m = app.post("/api/v1/meetings").token(&cast.coordinator)
                .json(json!({"network_id": n, "title": "Nätverksträff", "starts_at": format!("{day}T09:00"), "ends_at": format!("{day}T12:00"), "status": status}))
                .send().await.expect(201).id();
            meetings.push(m);
        }
        // Partille came to all held ones in 2020, Lerum to one; the cancelled one does not count.
        for (i, m) in meetings.iter().enumerate() {
            let mut list = vec![json!({"person_id": partille_person, "attendance": "present"})];
            if i == 1 {
                list.push(json!({"person_id": lerum_person, "attendance": "present"}));
            } else {
                list.push(json!({"person_id": lerum_person, "attendance": "excused"}));
            }
            app.put(&format!("/api/v1/meetings/{m}/attendees")).token(&cast.coordinator).json(json!(list)).send().await.expect(200);
        }
        let report = app.get(&format!("/api/v1/networks/{n}/participation?from=2020-01-01&to=2020-12-31")).token(&cast.member).send().await.expect(200);
        assert_eq!(report.json["meetings_held"], 3);
        let rows = report.json["organizations"].as_array().unwrap();
        let row = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap().clone();
        assert_eq!(row("Partille kommun")["meetings_attended"], 3);
        assert_eq!(row("Partille kommun")["share"], 1.0);
        assert_eq!(row("Lerums kommun")["meetings_attended"], 1);
        assert!((row("Lerums kommun")["share"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
        let all = app.get(&format!("/api/v1/networks/{n}/participation")).token(&cast.member).send().await.expect(200);
        assert_eq!(all.json["meetings_held"], 4);
        let none = app.get(&format!("/api/v1/networks/{n}/participation?from=2030-01-01")).token(&cast.member).send().await.expect(200);
        assert_eq!(none.json["organizations"][0]["share"], json!(null));
        app.get(&format!("/api/v1/networks/{n}/participation?from=2021-01-01&to=2020-01-01")).token(&cast.member).send().await.expect(422);
        // Partille joined in 2019 (the cast); Lerum, added without dates, counts everywhere.
        let before = app.get(&format!("/api/v1/networks/{n}/participation?from=2018-01-01&to=2018-12-31")).token(&cast.member).send().await.expect(200);
        let names: Vec<&str> = before.json["organizations"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Lerums kommun"], "not a member before it joined");
    }
}

//! Meetings: times with zones, agenda order, attendance in bulk, the online link, and
//! who may do what.

use serde_json::json;

db_test! {
    async fn meeting_times_carry_their_zone(app) {
        let cast = app.cast("internal").await;
        let n = &cast.network;
        // Local time in Stockholm in May is UTC+2.
        let res = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": n, "title": "IFO-chefsnätverket", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "mode": "digital", "location": "Teams"}))
            .send().await.expect(201);
        assert_eq!(res.json["starts_at"], "2020-05-08T09:00:00+02:00");
        assert_eq!(res.json["ends_at"], "2020-05-08T12:00:00+02:00");
        assert_eq!(res.json["time_zone"], "Europe/Stockholm");
        assert_eq!(res.json["kind"], "network_meeting");
        assert_eq!(res.json["visibility"], "internal", "inherits the network's visibility");
        assert_eq!(res.json["organizer_organization_id"], cast.owner_org.as_str());
        // The same instant sent in UTC; in winter the offset is +01:00.
        let winter = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": n, "title": "Vintermöte", "starts_at": "2020-11-20T08:00:00Z", "ends_at": "2020-11-20T10:00:00Z"}))
            .send().await.expect(201);
        assert_eq!(winter.json["starts_at"], "2020-11-20T09:00:00+01:00");
        let helsinki = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": n, "title": "Nordiskt möte", "starts_at": "2020-11-20T10:00", "ends_at": "2020-11-20T11:00", "time_zone": "Europe/Helsinki"}))
            .send().await.expect(201);
        assert_eq!(helsinki.json["starts_at"], "2020-11-20T10:00:00+02:00");

        let bad = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": n, "title": "", "starts_at": "2020-05-08T12:00", "ends_at": "2020-05-08T09:00", "time_zone": "Mars/Olympus", "kind": "party", "online_url": "teams"}))
            .send().await.expect(422);
        let mut fields = bad.fields();
        fields.sort();
        assert_eq!(fields, ["ends_at", "kind", "online_url", "time_zone", "title"]);
        let gap = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": n, "title": "X", "starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T04:00"}))
            .send().await.expect(422);
        assert_eq!(gap.fields(), ["starts_at"]);

        // Filters.
        let q = |query: &str| {
            let path = format!("/api/v1/meetings?{query}");
            let app = &app;
            let token = cast.coordinator.clone();
            async move {
                let res = app.get(&path).token(&token).send().await.expect(200);
                res.json["data"].as_array().unwrap().iter().map(|m| m["title"].as_str().unwrap().to_string()).collect::<Vec<_>>()
            }
        };
        assert_eq!(q(&format!("network_id={n}&from=2020-11-01T00:00:00Z")).await, ["Vintermöte", "Nordiskt möte"]);
        assert_eq!(q("to=2020-06-01T00:00:00Z").await, ["IFO-chefsnätverket"]);
        assert_eq!(q("q=NORDISKT").await, ["Nordiskt möte"]);
        assert_eq!(q("kind=network_meeting&status=planned").await.len(), 3);
        assert!(q("status=held").await.is_empty());

        let id = res.id();
        let held = app.patch(&format!("/api/v1/meetings/{id}")).token(&cast.coordinator).header("If-Match", "\"1\"")
            .json(json!({"status": "held", "ends_at": "2020-05-08T11:30"})).send().await.expect(200);
        assert_eq!(held.json["status"], "held");
        assert_eq!(held.json["ends_at"], "2020-05-08T11:30:00+02:00");
        app.patch(&format!("/api/v1/meetings/{id}")).token(&cast.coordinator).json(json!({"ends_at": "2020-05-08T08:00"})).send().await.expect(422);
        app.patch(&format!("/api/v1/meetings/{id}")).token(&cast.coordinator).header("If-Match", "\"1\"").json(json!({"title": "X"})).send().await.expect(412);
    }
}

db_test! {
    async fn agenda_positions_stay_one_to_n(app) {
        let cast = app.cast("restricted").await;
        let m = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Nätverksträff", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00"}))
            .send().await.expect(201);
        let id = m.id();
        let version_before = m.json["version"].as_i64().unwrap();
        let add = |title: &'static str, position: Option<i64>| {
            let app = &app;
            let token = cast.coordinator.clone();
            let id = id.clone();
            async move {
                let mut body = json!({"title": title});
                if let Some(p) = position {
                    body["position"] = json!(p);
                }
                app.post(&format!("/api/v1/meetings/{id}/agenda-items")).token(&token).json(body).send().await.expect(201).id()
            }
        };
        let titles = || {
            let app = &app;
            let token = cast.member.clone();
            let id = id.clone();
            async move {
                let res = app.get(&format!("/api/v1/meetings/{id}/agenda-items")).token(&token).send().await.expect(200);
                let items = res.json["data"].as_array().unwrap().clone();
                for (i, item) in items.iter().enumerate() {
                    assert_eq!(item["position"], i as i64 + 1, "positions are 1..n");
                }
                items.iter().map(|i| i["title"].as_str().unwrap().to_string()).collect::<Vec<_>>()
            }
        };
        add("Mötet inleds", None).await;
        let info = add("Information från GR", None).await;
        add("Gruppdialog", Some(2)).await;
        let first = add("Incheckning", Some(1)).await;
        add("Utcheckning", Some(99)).await;
        assert_eq!(titles().await, ["Incheckning", "Mötet inleds", "Gruppdialog", "Information från GR", "Utcheckning"]);
        // Move the last item but one to the top, then remove the first.
        app.patch(&format!("/api/v1/meetings/{id}/agenda-items/{info}")).token(&cast.coordinator).json(json!({"position": 1})).send().await.expect(200);
        assert_eq!(titles().await, ["Information från GR", "Incheckning", "Mötet inleds", "Gruppdialog", "Utcheckning"]);
        app.patch(&format!("/api/v1/meetings/{id}/agenda-items/{info}")).token(&cast.coordinator).json(json!({"position": 5, "duration_minutes": 30})).send().await.expect(200);
        assert_eq!(titles().await, ["Incheckning", "Mötet inleds", "Gruppdialog", "Utcheckning", "Information från GR"]);
        app.delete(&format!("/api/v1/meetings/{id}/agenda-items/{first}")).token(&cast.coordinator).send().await.expect(204);
        assert_eq!(titles().await, ["Mötet inleds", "Gruppdialog", "Utcheckning", "Information från GR"]);
        let res = app.post(&format!("/api/v1/meetings/{id}/agenda-items")).token(&cast.coordinator).json(json!({"title": "", "position": 0, "duration_minutes": 0})).send().await.expect(422);
        assert_eq!(res.fields().len(), 3);
        // The member reads but does not write.
        app.post(&format!("/api/v1/meetings/{id}/agenda-items")).token(&cast.member).json(json!({"title": "X"})).send().await.expect(403);
        // Every change moved the meeting, so sync clients see it.
        let meeting = app.get(&format!("/api/v1/meetings/{id}")).token(&cast.coordinator).send().await.expect(200);
        assert!(meeting.json["version"].as_i64().unwrap() >= version_before + 8);
        assert!(meeting.json["updated_at"].as_str().unwrap() > m.json["updated_at"].as_str().unwrap());
    }
}

db_test! {
    async fn attendance_is_set_in_bulk(app) {
        let cast = app.cast("restricted").await;
        let m = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Nätverksträff", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00"}))
            .send().await.expect(201).id();
        let mut people = Vec::new();
        for i in 0..13 {
            people.push(app.person(&format!("Deltagare {i:02}"), &format!("d{i}@kommun.se"), Some(&cast.member_org)).await);
        }
        let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B");
        let list: Vec<_> = people.iter().enumerate().map(|(i, p)| json!({
            "person_id": p,
            "role": if i == 0 { "chair" } else if i == 1 { "note_taker" } else { "participant" },
            "attendance": if i == 12 { "excused" } else { "present" }
        })).collect();
        let res = app.put(&format!("/api/v1/meetings/{m}/attendees")).token(&cast.coordinator).json(json!(list)).send().await.expect(200);
        let data = res.json["data"].as_array().unwrap();
        assert_eq!(data.len(), 13);
        assert_eq!(data[0]["name"], "Deltagare 00");
        assert_eq!(data[0]["role"], "chair");
        assert_eq!(data[0]["organization_id"], cast.member_org.as_str(), "the organization defaults to the person's");
        assert_eq!(data[12]["attendance"], "excused");
        // The meeting shows up as changed for sync clients.
        let changed = app.get(&format!("/api/v1/meetings?modified_since={since}")).token(&cast.coordinator).send().await.expect(200);
        assert_eq!(changed.json["data"][0]["id"], m.as_str());

        // Replacing the list drops who is left out; one entry can be set on its own.
        let res = app.put(&format!("/api/v1/meetings/{m}/attendees")).token(&cast.coordinator).json(json!([{"person_id": people[0], "attendance": "present"}])).send().await.expect(200);
        assert_eq!(res.json["data"].as_array().unwrap().len(), 1);
        let res = app.put(&format!("/api/v1/meetings/{m}/attendees/{}", people[5])).token(&cast.coordinator)
            .json(json!({"attendance": "absent", "organization_id": cast.owner_org})).send().await.expect(201);
        assert_eq!(res.json["attendance"], "absent");
        assert_eq!(res.header("etag"), Some("\"1\""));
        let list = app.get(&format!("/api/v1/meetings/{m}/attendees")).token(&cast.coordinator).send().await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 2);
        app.delete(&format!("/api/v1/meetings/{m}/attendees/{}", people[5])).token(&cast.coordinator).send().await.expect(204);
        app.delete(&format!("/api/v1/meetings/{m}/attendees/{}", people[5])).token(&cast.coordinator).send().await.expect(404);

        // Bad entries name their index; nothing changes.
        let res = app.put(&format!("/api/v1/meetings/{m}/attendees")).token(&cast.coordinator)
            .json(json!([{"person_id": people[1], "attendance": "maybe"}, {"person_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"}]))
            .send().await.expect(422);
        assert_eq!(res.fields(), ["[0].attendance"]);
        let res = app.put(&format!("/api/v1/meetings/{m}/attendees")).token(&cast.coordinator)
            .json(json!([{"person_id": people[1]}, {"person_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"}]))
            .send().await.expect(422);
        assert_eq!(res.fields(), ["[1].person_id"]);
        let res = app.put(&format!("/api/v1/meetings/{m}/attendees")).token(&cast.coordinator)
            .json(json!([{"person_id": people[1]}, {"person_id": people[1]}])).send().await.expect(422);
        assert_eq!(res.fields(), ["[1].person_id"]);
        let now = app.get(&format!("/api/v1/meetings/{m}/attendees")).token(&cast.member).send().await.expect(200);
        assert_eq!(now.json["data"].as_array().unwrap().len(), 1, "a failed request changes nothing");
        app.put(&format!("/api/v1/meetings/{m}/attendees")).token(&cast.member).json(json!([])).send().await.expect(403);
    }
}

db_test! {
    async fn access_matrix_for_meetings(app) {
        let cast = app.cast("restricted").await;
        let m = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Slutet möte", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "online_url": "https://teams.microsoft.com/l/meetup-join/hemlig"}))
            .send().await.expect(201).id();
        let internal = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Öppet seminarium", "visibility": "internal", "kind": "seminar", "starts_at": "2020-06-08T09:00", "ends_at": "2020-06-08T12:00", "online_url": "https://teams.microsoft.com/l/meetup-join/seminarium"}))
            .send().await.expect(201).id();
        // (viewer, sees the restricted meeting, may write, sees internal, sees its link).
        // An internal meeting in a restricted network is as restricted as its network.
        type Row<'a> = (&'a str, Option<&'a str>, bool, bool, bool, bool);
        let matrix: [Row; 6] = [
            ("admin", Some(&app.admin_token), true, true, true, true),
            ("coordinator", Some(&cast.coordinator), true, true, true, true),
            ("member", Some(&cast.member), true, false, true, true),
            ("participant", Some(&cast.participant), true, false, true, true),
            ("outsider", Some(&cast.outsider), false, false, false, false),
            ("anonymous", None, false, false, false, false),
        ];
        for (who, token, sees, writes, sees_internal, sees_link) in matrix {
            let req = |method: actix_web::http::Method, path: String| {
                let mut r = app.req(method, &path);
                if let Some(t) = token {
                    r = r.token(t);
                }
                r
            };
            use actix_web::http::Method;
            let read_status = if sees { 200 } else { 404 };
            for path in [format!("/api/v1/meetings/{m}"), format!("/api/v1/meetings/{m}/agenda-items"), format!("/api/v1/meetings/{m}/attendees"), format!("/api/v1/meetings/{m}/ical")] {
                assert_eq!(req(Method::GET, path.clone()).send().await.status, read_status, "{who} GET {path}");
            }
            let write_status = match (token, sees, writes) {
                (None, _, _) => 401,
                (_, false, _) => 404,
                (_, true, false) => 403,
                (_, true, true) => 0,
            };
            if write_status != 0 {
                assert_eq!(req(Method::PATCH, format!("/api/v1/meetings/{m}")).json(json!({"title": "X"})).send().await.status, write_status, "{who} PATCH");
                assert_eq!(req(Method::POST, format!("/api/v1/meetings/{m}/agenda-items")).json(json!({"title": "X"})).send().await.status, write_status, "{who} POST agenda");
                assert_eq!(req(Method::PUT, format!("/api/v1/meetings/{m}/attendees")).json(json!([])).send().await.status, write_status, "{who} PUT attendees");
                assert_eq!(req(Method::DELETE, format!("/api/v1/meetings/{m}")).send().await.status, write_status, "{who} DELETE");
                let create = req(Method::POST, "/api/v1/meetings".into())
                    .json(json!({"network_id": cast.network, "title": "X", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T10:00"})).send().await.status;
                assert_eq!(create, if token.is_none() { 401 } else if sees { 403 } else { 422 }, "{who} POST meeting");
            }
            let res = req(Method::GET, format!("/api/v1/meetings/{internal}")).send().await;
            assert_eq!(res.status, if sees_internal { 200 } else { 404 }, "{who} internal");
            if sees_internal {
                assert_eq!(res.json["online_url"].is_string(), sees_link, "{who} sees the link");
            }
            let list = req(Method::GET, "/api/v1/meetings".into()).send().await;
            let ids: Vec<&str> = list.json["data"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap()).collect();
            assert_eq!(ids.contains(&m.as_str()), sees, "{who} list");
        }
        // An outsider who is invited attends: they see the meeting and its link.
        let outsider_me = app.get("/api/v1/me").token(&cast.outsider).send().await.expect(200);
        let person = outsider_me.json["person_id"].as_str().unwrap();
        app.put(&format!("/api/v1/meetings/{m}/attendees/{person}")).token(&cast.coordinator).json(json!({"role": "guest"})).send().await.expect(201);
        let res = app.get(&format!("/api/v1/meetings/{m}")).token(&cast.outsider).send().await.expect(200);
        assert_eq!(res.json["online_url"], "https://teams.microsoft.com/l/meetup-join/hemlig");
    }
}

db_test! {
    async fn meetings_outside_networks_belong_to_their_organizer(app) {
        let ekero = app.organization("Ekerö kommun", "municipality").await;
        let other = app.organization("Sigtuna kommun", "municipality").await;
        let (_, nina) = app.user("nina.gustafsson@ekero.se", Some(&ekero)).await;
        let (_, stranger) = app.user("per@sigtuna.se", Some(&other)).await;
        let m = app.post("/api/v1/meetings").token(&nina)
            .json(json!({"title": "Lägesavstämning med utförare", "kind": "status_briefing", "visibility": "restricted", "starts_at": "2020-03-20T09:00", "ends_at": "2020-03-20T10:00", "mode": "digital"}))
            .send().await.expect(201);
        assert_eq!(m.json["organizer_organization_id"], ekero.as_str());
        let id = m.id();
        app.get(&format!("/api/v1/meetings/{id}")).token(&stranger).send().await.expect(404);
        app.patch(&format!("/api/v1/meetings/{id}")).token(&nina).json(json!({"status": "held"})).send().await.expect(200);
        app.post("/api/v1/meetings").token(&stranger)
            .json(json!({"title": "X", "organizer_organization_id": ekero, "starts_at": "2020-03-20T09:00", "ends_at": "2020-03-20T10:00"}))
            .send().await.expect(403);
    }
}

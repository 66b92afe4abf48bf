//! Many parties: a meeting co-hosted by several networks (insiders of each see it,
//! coordinators of each manage it, and it is in each network's list and calendar), and
//! a theme proposed by a network. From seed 001: IFO-chefsnätverket's meeting of
//! 20 November, "kl 11–12 gemensamt med barn och unga-nätverket", and "Önskemål framförs
//! från IFO-chefsnätverket".

use crate::common;

use serde_json::json;

struct World {
    cast: common::Cast,
    /// Barn och unga-nätverket (restricted).
    bou: String,
    /// Its coordinator, of Mölndals stad.
    bou_coordinator: String,
    /// A user of Kungälvs kommun, a member of Barn och unga-nätverket only.
    kungalv: String,
}

async fn world(app: &common::TestApp) -> World {
    let cast = app.cast("restricted").await;
    let molndal = app.organization("Mölndals stad", "municipality").await;
    let kungalv_org = app.organization("Kungälvs kommun", "municipality").await;
    let (_, bou_coordinator) = app
        .user("nicholas.singleton@molndal.se", Some(&molndal))
        .await;
    let (_, kungalv) = app.user("lena.berg@kungalv.se", Some(&kungalv_org)).await;
    let bou = app.post("/api/v1/networks").token(&bou_coordinator)
        .json(json!({"name": "Barn och unga-nätverket", "owner_organization_id": molndal, "visibility": "restricted"}))
        .send().await.expect(201).id();
    app.post(&format!("/api/v1/networks/{bou}/members"))
        .token(&bou_coordinator)
        .json(json!({"organization_id": kungalv_org, "joined_on": "2019-01-01"}))
        .send()
        .await
        .expect(201);
    World {
        cast,
        bou,
        bou_coordinator,
        kungalv,
    }
}

fn ids(list: &serde_json::Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect()
}

db_test! {
    async fn a_meeting_co_hosted_by_two_networks_is_seen_and_managed_by_both(app) {
        let w = world(&app).await;
        let c = &w.cast;
        let meeting = json!({
            "network_id": c.network,
            "co_host_network_ids": [w.bou],
            "title": "Jämförelser och uppföljning, gemensamt med barn och unga-nätverket",
            "starts_at": "2020-11-20T11:00",
            "ends_at": "2020-11-20T12:00",
            "online_url": "https://teams.microsoft.com/l/meetup-join/gemensamt",
        });
        // IFO's coordinator cannot name a network they cannot see: no different from one
        // that does not exist.
        let res = app.post("/api/v1/meetings").token(&c.coordinator).json(meeting.clone()).send().await.expect(422);
        assert_eq!(res.fields(), ["co_host_network_ids[0]"]);
        // Taking part in Barn och unga is not enough: a network becomes a co-host only by
        // its own coordinators, or anyone could put meetings in its members' calendars.
        let me = app.get("/api/v1/me").token(&c.coordinator).send().await.expect(200);
        let participants = format!("/api/v1/networks/{}/participants", w.bou);
        let taking_part = app.post(&participants).token(&w.bou_coordinator)
            .json(json!({"person_id": me.json["person_id"], "role": "member"}))
            .send().await.expect(201);
        let res = app.post("/api/v1/meetings").token(&c.coordinator).json(meeting.clone()).send().await.expect(403);
        assert!(res.json["detail"].as_str().unwrap().starts_with("co_host_network_ids[0]"), "{}", res.text);
        // GR's coordinator coordinates both networks, as in the region.
        app.patch(&format!("{participants}/{}", taking_part.id())).token(&w.bou_coordinator)
            .json(json!({"role": "coordinator"}))
            .send().await.expect(200);
        // Validation: not the host itself, not outside a network.
        let mut own = meeting.clone();
        own["co_host_network_ids"] = json!([c.network]);
        let res = app.post("/api/v1/meetings").token(&c.coordinator).json(own).send().await.expect(422);
        assert_eq!(res.fields(), ["co_host_network_ids[0]"]);
        let mut outside = meeting.clone();
        outside["network_id"] = json!(null);
        outside["organizer_organization_id"] = json!(c.owner_org);
        let res = app.post("/api/v1/meetings").token(&c.coordinator).json(outside).send().await.expect(422);
        assert_eq!(res.fields(), ["co_host_network_ids"]);
        let mut twice = meeting.clone();
        twice["co_host_network_ids"] = json!([w.bou, w.bou]);
        let created = app.post("/api/v1/meetings").token(&c.coordinator).json(twice).send().await.expect(201);
        assert_eq!(created.json["co_host_network_ids"], json!([w.bou]), "a network co-hosts once");
        let id = created.id();
        let path = format!("/api/v1/meetings/{id}");

        // Insiders of each network see it, with the link to join; outsiders do not.
        for token in [&c.coordinator, &c.member, &c.participant, &w.bou_coordinator, &w.kungalv] {
            let got = app.get(&path).token(token).send().await.expect(200);
            assert_eq!(got.json["online_url"], "https://teams.microsoft.com/l/meetup-join/gemensamt");
        }
        app.get(&path).token(&c.outsider).send().await.expect(404);
        app.get(&path).send().await.expect(404);
        // It is in each network's list and calendar.
        let of_bou = app.get(&format!("/api/v1/meetings?network_id={}", w.bou)).token(&w.kungalv).send().await.expect(200);
        assert_eq!(ids(&of_bou.json), vec![id.clone()]);
        let of_ifo = app.get(&format!("/api/v1/meetings?network_id={}", c.network)).token(&w.kungalv).send().await.expect(200);
        assert_eq!(ids(&of_ifo.json), vec![id.clone()], "the host's list shows the co-hosted meeting the caller sees");
        let feed = app.get(&format!("/api/v1/networks/{}/calendar.ics?from=2020-01-01", w.bou)).token(&w.kungalv).send().await.expect(200);
        assert!(feed.text.contains(&format!("UID:{id}@samverkan")), "{}", feed.text);

        // Coordinators of each manage it: the meeting, its attendees and its minutes.
        let patched = app.patch(&path).token(&w.bou_coordinator).json(json!({"location": "Teams"})).send().await.expect(200);
        assert_eq!(patched.json["location"], "Teams");
        let kungalv_person = app.get("/api/v1/me").token(&w.kungalv).send().await.expect(200).json["person_id"].clone();
        let kungalv_org = app.get("/api/v1/me").token(&w.kungalv).send().await.expect(200).json["organization_id"].clone();
        app.put(&format!("{path}/attendees/{}", kungalv_person.as_str().unwrap())).token(&w.bou_coordinator)
            .json(json!({"organization_id": kungalv_org, "role": "participant", "attendance": "present"}))
            .send().await.expect(201);
        let written = app.put(&format!("{path}/minutes")).token(&w.bou_coordinator)
            .json(json!({"sections": [{"heading": "Jämförelser och uppföljning", "notes": "Gustav Kastberg, Kommunforskning i Väst.",
                "action_items": [{"title": "Sammanställ jämförelserna till nätverken"}]}]}))
            .send().await.expect(201);
        let item = format!("/api/v1/action-items/{}", written.json["sections"][0]["action_items"][0]["id"].as_str().unwrap());
        app.patch(&item).token(&c.coordinator).json(json!({"owner_person_id": me.json["person_id"]})).send().await.expect(200);
        app.patch(&item).token(&w.bou_coordinator).json(json!({"status": "done"})).send().await.expect(200);
        app.patch(&item).token(&w.kungalv).json(json!({"status": "open"})).send().await.expect(403);
        // The item is in each network's list.
        for network in [&c.network, &w.bou] {
            let items = app.get(&format!("/api/v1/action-items?network_id={network}")).token(&w.kungalv).send().await.expect(200);
            assert_eq!(items.json["data"].as_array().unwrap().len(), 1, "{}", items.text);
        }
        let minutes = app.get(&format!("{path}/minutes")).token(&w.kungalv).send().await.expect(200);
        assert_eq!(minutes.json["sections"][0]["heading"], "Jämförelser och uppföljning");
        // The document names both networks, once.
        let document = app.get(&format!("{path}/minutes")).token(&w.kungalv).header("Accept", "text/markdown").send().await.expect(200);
        assert!(document.text.contains("IFO-chefsnätverket, gemensamt med Barn och unga-nätverket"), "{}", document.text);
        // The meeting is the host's: a co-host's coordinator may not delete it.
        app.delete(&path).token(&w.bou_coordinator).send().await.expect(403);
        // Insiders who coordinate neither may read, not write (403, before validation).
        app.patch(&path).token(&w.kungalv).json(json!({"title": ""})).send().await.expect(403);
        app.patch(&path).token(&c.member).json(json!({"title": ""})).send().await.expect(403);

        // A theme of the co-host is scheduled onto the shared meeting.
        let theme = app.post("/api/v1/themes").token(&w.kungalv)
            .json(json!({"network_id": w.bou, "title": "Jämförelser och uppföljning"}))
            .send().await.expect(201).id();
        let scheduled = app.post(&format!("/api/v1/themes/{theme}/schedule")).token(&w.bou_coordinator)
            .json(json!({"meeting_id": id})).send().await.expect(200);
        assert_eq!(scheduled.json["meeting_id"], id.as_str());

        // The host takes the co-host off: its insiders lose sight of it, its coordinator
        // the right to manage it.
        let taken_off = app.patch(&path).token(&c.coordinator).json(json!({"co_host_network_ids": []})).send().await.expect(200);
        assert_eq!(taken_off.json["co_host_network_ids"], json!([]));
        app.get(&path).token(&w.bou_coordinator).send().await.expect(404);
        app.patch(&path).token(&w.bou_coordinator).json(json!({"location": "Mötesplats IFO"})).send().await.expect(404);
        // Kungälv's user stays on the attendee list, and attendees see what they attend.
        app.get(&path).token(&w.kungalv).send().await.expect(200);
        let of_bou = app.get(&format!("/api/v1/meetings?network_id={}", w.bou)).token(&w.kungalv).send().await.expect(200);
        assert!(ids(&of_bou.json).is_empty());
        // A member who coordinates neither network may not change who hosts it.
        app.patch(&path).token(&c.member).json(json!({"co_host_network_ids": [w.bou]})).send().await.expect(403);
        // Nor may anyone name a network that is not there; every one at fault is named.
        let res = app.patch(&path).token(&c.coordinator).json(json!({"co_host_network_ids": [w.bou, "019a8600-0000-7000-8000-00000000dead", c.network]})).send().await.expect(422);
        assert_eq!(res.fields(), ["co_host_network_ids[1]", "co_host_network_ids[2]"]);
        // The host's coordinator deletes it.
        app.delete(&path).token(&c.coordinator).send().await.expect(204);
    }
}

db_test! {
    async fn a_theme_proposed_by_a_network(app) {
        let w = world(&app).await;
        let c = &w.cast;
        // IFO's member wishes a theme of IFO on behalf of the network.
        let created = app.post("/api/v1/themes").token(&c.member)
            .json(json!({"network_id": c.network, "proposed_by_network_id": c.network, "title": "Uppföljning av IFO-verksamheterna"}))
            .send().await.expect(201);
        assert_eq!(created.json["proposed_by_network_id"], c.network.as_str());
        // Barn och unga's coordinator records, in their own network, what IFO wished for.
        let me = app.get("/api/v1/me").token(&w.bou_coordinator).send().await.expect(200);
        app.post(&format!("/api/v1/networks/{}/participants", c.network)).token(&c.coordinator)
            .json(json!({"person_id": me.json["person_id"], "role": "member"}))
            .send().await.expect(201);
        let recorded = app.post("/api/v1/themes").token(&w.bou_coordinator)
            .json(json!({"network_id": w.bou, "proposed_by_network_id": c.network, "title": "Jämförelser och uppföljning"}))
            .send().await.expect(201);
        let theme = recorded.id();
        // Kungälv, in Barn och unga only, cannot name IFO (restricted, unseen) ...
        let res = app.post("/api/v1/themes").token(&w.kungalv)
            .json(json!({"network_id": w.bou, "proposed_by_network_id": c.network, "title": "Något"}))
            .send().await.expect(422);
        assert_eq!(res.fields(), ["proposed_by_network_id"]);
        // ... and IFO's member, who sees Barn och unga's theme nowhere, proposes nothing there.
        app.post("/api/v1/themes").token(&c.member)
            .json(json!({"network_id": w.bou, "proposed_by_network_id": c.network, "title": "Något"}))
            .send().await.expect(422);
        // Filtered by the proposing network.
        let list = app.get(&format!("/api/v1/themes?proposed_by_network_id={}", c.network)).token(&w.bou_coordinator).send().await.expect(200);
        let mut found = ids(&list.json);
        found.sort();
        let mut expected = vec![created.id(), theme.clone()];
        expected.sort();
        assert_eq!(found, expected);
        // A coordinator corrects it; a proposer may not move it to another network's name.
        let path = format!("/api/v1/themes/{theme}");
        let cleared = app.patch(&path).token(&w.bou_coordinator).json(json!({"proposed_by_network_id": null})).send().await.expect(200);
        assert_eq!(cleared.json["proposed_by_network_id"], serde_json::Value::Null);
        let own = app.post("/api/v1/themes").token(&w.kungalv)
            .json(json!({"network_id": w.bou, "title": "Placeringar"}))
            .send().await.expect(201).id();
        app.patch(&format!("/api/v1/themes/{own}")).token(&w.kungalv).json(json!({"proposed_by_network_id": w.bou})).send().await.expect(403);
        let res = app.patch(&path).token(&w.bou_coordinator).json(json!({"proposed_by_network_id": "inte-ett-id"})).send().await.expect(422);
        assert_eq!(res.fields(), ["proposed_by_network_id"]);
    }
}

//! History entered afterwards, through the API: minutes approved on paper, a dialogue
//! published elsewhere, an action item done long ago, meetings known only by their day,
//! and a series' timeline recorded from old notes — each keeps the day it really
//! happened and says when it was entered.

use crate::common;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use serde_json::{Value, json};

/// The Swedish day of an RFC 3339 instant.
fn swedish_day(at: &Value) -> NaiveDate {
    let text = at
        .as_str()
        .unwrap_or_else(|| panic!("an instant, not {at}"));
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|_| panic!("RFC 3339: {text}"))
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive()
}

/// Asserts that `at` is an instant within the window a request was made in.
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

/// Today in Sweden: the day the server plans from.
fn swedish_today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn me(app: &common::TestApp, token: &str) -> Value {
    app.get("/api/v1/me")
        .token(token)
        .send()
        .await
        .expect(200)
        .json
}

/// Every meeting of a series starting within `[from, to]` (Swedish days), in time order.
async fn series_meetings(
    app: &common::TestApp,
    token: &str,
    series: &str,
    from: &str,
    to: &str,
) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/meetings?series_id={series}&from={from}&to={to}&limit=200");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = app.get(&path).token(token).send().await.expect(200);
        all.extend(page.json["data"].as_array().unwrap().iter().cloned());
        match page.json["pagination"]["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    all.sort_by_key(|m| m["starts_at"].as_str().unwrap().to_string());
    all
}

fn days_of(meetings: &[Value]) -> Vec<NaiveDate> {
    meetings
        .iter()
        .map(|m| swedish_day(&m["starts_at"]))
        .collect()
}

db_test! {
    async fn minutes_approved_on_paper_keep_the_day_they_were_approved(app) {
        let cast = app.cast("restricted").await;
        let coordinator = me(&app, &cast.coordinator).await;
        let member_person = me(&app, &cast.member).await["person_id"].as_str().unwrap().to_string();
        let m = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Nätverket för IFO-chefer", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "status": "held", "mode": "digital"}))
            .send().await.expect(201).id();
        let path = format!("/api/v1/meetings/{m}/minutes");
        app.put(&path).token(&cast.coordinator)
            .json(json!({
                "recorded_by": [coordinator["person_id"]],
                "approvers": [member_person, cast.participant_person],
                "sections": [{"heading": "Mötet inleds", "notes": "Inledning och kort introduktion till mötet som genomförs via Teams."}]
            }))
            .send().await.expect(201);
        let approvals = format!("{path}/approvals");

        // Only submitted minutes take approvals.
        let early = app.post(&approvals).token(&cast.coordinator)
            .json(json!({"person_id": member_person, "approved_at": "2020-05-15"})).send().await.expect(409);
        assert_eq!(early.json["current_status"], "draft");
        app.post(&format!("{path}/submit")).token(&cast.coordinator).send().await.expect(200);

        // Only the network's coordinators (and admins) record approvals given on paper.
        app.post(&approvals).token(&cast.member)
            .json(json!({"person_id": member_person, "approved_at": "2020-05-15"})).send().await.expect(403);
        app.post(&approvals).token(&cast.outsider)
            .json(json!({"person_id": member_person, "approved_at": "2020-05-15"})).send().await.expect(404);
        app.post(&approvals)
            .json(json!({"person_id": member_person, "approved_at": "2020-05-15"})).send().await.expect(401);
        // Not in the future, not by someone who is no approver, not without a day.
        let tomorrow = (Utc::now() + TimeDelta::days(2)).date_naive().to_string();
        let future = app.post(&approvals).token(&cast.coordinator)
            .json(json!({"person_id": member_person, "approved_at": tomorrow})).send().await.expect(422);
        assert_eq!(future.fields(), ["approved_at"]);
        let future = app.post(&approvals).token(&cast.coordinator)
            .json(json!({"person_id": member_person, "approved_at": "2099-01-01T09:00:00Z"})).send().await.expect(422);
        assert_eq!(future.fields(), ["approved_at"]);
        let stranger = app.post(&approvals).token(&cast.coordinator)
            .json(json!({"person_id": coordinator["person_id"], "approved_at": "2020-05-15"})).send().await.expect(422);
        assert_eq!(stranger.fields(), ["person_id"]);
        let garbled = app.post(&approvals).token(&cast.coordinator)
            .json(json!({"person_id": member_person, "approved_at": "15 maj 2020"})).send().await;
        assert!(garbled.status == 400 || garbled.status == 422, "{}", garbled.text);
        let unchanged = app.get(&path).token(&cast.coordinator).send().await.expect(200);
        assert_eq!(unchanged.json["status"], "submitted");
        assert_eq!(unchanged.json["approvals"], json!([]));

        // The first approval, given on 15 May 2020 and entered today.
        let before = Utc::now();
        let first = app.post(&approvals).token(&cast.coordinator)
            .json(json!({"person_id": member_person, "approved_at": "2020-05-15"})).send().await.expect(200);
        let after = Utc::now();
        assert_eq!(first.json["status"], "submitted", "one of two approvers");
        assert_eq!(first.json["approved_at"], json!(null));
        let a = &first.json["approvals"][0];
        assert_eq!(a["person_id"], member_person.as_str());
        assert_eq!(a["approved_at"], "2020-05-14T22:00:00Z", "midnight of 15 May, Swedish summer time");
        assert_eq!(swedish_day(&a["approved_at"]), day(2020, 5, 15));
        recorded_during(&a["recorded_at"], before, after);
        assert_eq!(a["recorded_by"], coordinator["id"]);
        let dup = app.post(&approvals).token(&cast.coordinator)
            .json(json!({"person_id": member_person, "approved_at": "2020-05-16"})).send().await.expect(409);
        assert_eq!(dup.json["current_status"], "submitted");

        // The second approver approved earlier (12 May) but is entered last: the minutes
        // are approved as of the latest approval's day, not the day it was entered.
        let last = app.post(&approvals).token(&cast.coordinator)
            .json(json!({"person_id": cast.participant_person, "approved_at": "2020-05-12T14:30:00+02:00"})).send().await.expect(200);
        assert_eq!(last.json["status"], "approved");
        assert_eq!(last.json["approved_at"], "2020-05-14T22:00:00Z");
        let second = last.json["approvals"].as_array().unwrap().iter()
            .find(|a| a["person_id"] == cast.participant_person.as_str()).unwrap().clone();
        assert_eq!(second["approved_at"], "2020-05-12T12:30:00Z");
        assert!(second["recorded_at"].is_string());

        // As read back, and approved minutes take no more approvals.
        let read = app.get(&path).token(&cast.member).send().await.expect(200);
        assert_eq!(read.json["status"], "approved");
        assert_eq!(read.json["approved_at"], "2020-05-14T22:00:00Z");
        assert_eq!(read.json["approvals"].as_array().unwrap().len(), 2);
        let closed = app.post(&approvals).token(&cast.coordinator)
            .json(json!({"person_id": member_person, "approved_at": "2020-05-15"})).send().await.expect(409);
        assert_eq!(closed.json["current_status"], "approved");

        // The protocol says the days they were approved, not today.
        let doc = app.get(&path).token(&cast.member).header("Accept", "text/markdown").send().await;
        assert_eq!(doc.status, 200, "{}", doc.text);
        assert!(doc.text.contains("*Justerat 2020-05-15*"), "{}", doc.text);
        assert!(doc.text.contains("Datum: 2020-05-15"), "{}", doc.text);
        assert!(doc.text.contains("Datum: 2020-05-12"), "{}", doc.text);
        let today = swedish_today().to_string();
        assert!(!doc.text.contains(&today), "the day it was entered is not the day it was approved: {}", doc.text);

        // The trail says an approval was recorded.
        let audit = app.get(&format!("/api/v1/audit-events?resource_id={}&limit=200", read.json["id"].as_str().unwrap()))
            .token(&app.admin_token).send().await.expect(200);
        let actions: Vec<&str> = audit.json["data"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "minutes.approval_recorded").count(), 2, "{actions:?}");
    }
}

db_test! {
    async fn an_approval_given_here_is_not_marked_as_recorded_later(app) {
        let cast = app.cast("restricted").await;
        let member_person = me(&app, &cast.member).await["person_id"].as_str().unwrap().to_string();
        let m = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Nätverksträff", "starts_at": "2020-09-11", "status": "held"}))
            .send().await.expect(201).id();
        let path = format!("/api/v1/meetings/{m}/minutes");
        app.put(&path).token(&cast.coordinator)
            .json(json!({"approvers": [member_person, cast.participant_person], "sections": [{"heading": "Mötet inleds"}]}))
            .send().await.expect(201);
        app.post(&format!("{path}/submit")).token(&cast.coordinator).send().await.expect(200);
        // One approves paper minutes long ago; the other approves here, today.
        app.post(&format!("{path}/approvals")).token(&app.admin_token)
            .json(json!({"person_id": cast.participant_person, "approved_at": "2020-09-18"})).send().await.expect(200);
        let before = Utc::now();
        let done = app.post(&format!("{path}/approve")).token(&cast.member).send().await.expect(200);
        let after = Utc::now();
        assert_eq!(done.json["status"], "approved");
        let here = done.json["approvals"].as_array().unwrap().iter().find(|a| a["person_id"] == member_person.as_str()).unwrap().clone();
        recorded_during(&here["approved_at"], before, after);
        assert_eq!(here["recorded_at"], json!(null));
        assert_eq!(here["recorded_by"], json!(null));
        let paper = done.json["approvals"].as_array().unwrap().iter().find(|a| a["person_id"] == cast.participant_person.as_str()).unwrap().clone();
        assert_eq!(swedish_day(&paper["approved_at"]), day(2020, 9, 18));
        assert!(paper["recorded_at"].is_string());
        // Approved when the last approver approved: today.
        recorded_during(&done.json["approved_at"], before, after);
        // The protocol of a meeting known only by its day gives only the day.
        let doc = app.get(&path).token(&cast.member).header("Accept", "text/markdown").send().await;
        assert!(doc.text.contains("**Datum:** 2020-09-11  \n"), "{}", doc.text);
        assert!(doc.text.contains("Datum: 2020-09-18"), "{}", doc.text);
    }
}

db_test! {
    async fn a_dialogue_published_in_the_past_keeps_its_day(app) {
        let ivo = app.organization("Inspektionen för vård och omsorg", "supervisory_authority").await;
        let partille = app.organization("Partille kommun", "municipality").await;
        let (_, inspector) = app.user("yvonne.berneke@ivo.se", Some(&ivo)).await;
        let (_, chief) = app.user("socialchef@partille.se", Some(&partille)).await;
        let dialogue = |title: &str| json!({
            "title": title,
            "supervising_organization_id": ivo,
            "supervision_name": "Nationell tillsyn av förändringar i socialtjänstinsatser",
            "period_start": "2020-10-01",
            "period_end": "2021-03-31",
            "participant_organization_ids": [partille],
            "status": "held"
        });
        let old = app.post("/api/v1/supervisory-dialogues").token(&inspector)
            .json(dialogue("Dialog med Sveriges socialchefer om covid-19")).send().await.expect(201).id();
        let path = format!("/api/v1/supervisory-dialogues/{old}/publish");

        // Only the authority publishes; not in the future.
        app.post(&path).token(&chief).json(json!({"published_at": "2021-03-01"})).send().await.expect(403);
        app.post(&path).json(json!({"published_at": "2021-03-01"})).send().await.expect(401);
        let future = app.post(&path).token(&inspector).json(json!({"published_at": "2099-03-01"})).send().await.expect(422);
        assert_eq!(future.fields(), ["published_at"]);
        let unknown = app.post(&path).token(&inspector).json(json!({"published": "2021-03-01"})).send().await;
        assert!(unknown.status == 400 || unknown.status == 422, "{}", unknown.text);
        let still = app.get(&format!("/api/v1/supervisory-dialogues/{old}")).token(&inspector).send().await.expect(200);
        assert_eq!(still.json["published_at"], json!(null));
        assert_eq!(still.json["visibility"], "restricted");
        app.get(&format!("/api/v1/supervisory-dialogues/{old}")).send().await.expect(404);

        // Published on IVO's website on 1 March 2021, entered today.
        let before = Utc::now();
        let published = app.post(&path).token(&inspector).json(json!({"published_at": "2021-03-01"})).send().await.expect(200);
        let after = Utc::now();
        assert_eq!(published.json["published_at"], "2021-02-28T23:00:00Z", "midnight of 1 March, Swedish winter time");
        assert_eq!(swedish_day(&published.json["published_at"]), day(2021, 3, 1));
        recorded_during(&published.json["publication_recorded_at"], before, after);
        assert_eq!(published.json["visibility"], "public");
        let public = app.get(&format!("/api/v1/supervisory-dialogues/{old}")).send().await.expect(200);
        assert_eq!(public.json["published_at"], "2021-02-28T23:00:00Z");
        assert_eq!(public.json["publication_recorded_at"], published.json["publication_recorded_at"]);
        let again = app.post(&path).token(&inspector).send().await.expect(409);
        assert_eq!(again.json["current_status"], "published");

        // Published here and now: without a body, or with an empty one.
        for body in [None, Some(json!({}))] {
            let new = app.post("/api/v1/supervisory-dialogues").token(&inspector)
                .json(dialogue("Uppföljande dialog")).send().await.expect(201).id();
            let req = app.post(&format!("/api/v1/supervisory-dialogues/{new}/publish")).token(&inspector);
            let req = match &body { Some(b) => req.json(b.clone()), None => req };
            let before = Utc::now();
            let now = req.send().await.expect(200);
            let after = Utc::now();
            recorded_during(&now.json["published_at"], before, after);
            assert_eq!(now.json["publication_recorded_at"], json!(null), "body {body:?}");
            assert_eq!(now.json["visibility"], "public");
        }
    }
}

db_test! {
    async fn an_action_item_done_long_ago_keeps_its_day(app) {
        let cast = app.cast("restricted").await;
        let member_person = me(&app, &cast.member).await["person_id"].as_str().unwrap().to_string();
        let m = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Nätverket för IFO-chefer", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "status": "held"}))
            .send().await.expect(201).id();
        let minutes = app.put(&format!("/api/v1/meetings/{m}/minutes")).token(&cast.coordinator)
            .json(json!({"sections": [{"heading": "Information från GR", "action_items": [
                {"title": "Sammanställ hur covid-19 har påverkat ekonomiskt bistånd", "owner_person_id": member_person, "due_on": "2020-06-01"},
                {"title": "Skicka ut VGR:s dokument om att arbeta i kris", "due_on": "2020-05-22"},
                {"title": "Bjud in IVO till hösten", "due_on": "2020-09-01"}
            ]}]}))
            .send().await.expect(201);
        let ids: Vec<String> = minutes.json["sections"][0]["action_items"].as_array().unwrap().iter()
            .map(|a| a["id"].as_str().unwrap().to_string()).collect();
        let item = |i: usize| format!("/api/v1/action-items/{}", ids[i]);

        // A day only goes with done, and lies in the past.
        let open = app.patch(&item(0)).token(&cast.coordinator).json(json!({"completed_at": "2020-06-01"})).send().await.expect(422);
        assert_eq!(open.fields(), ["completed_at"]);
        let open = app.patch(&item(0)).token(&cast.coordinator).json(json!({"status": "cancelled", "completed_at": "2020-06-01"})).send().await.expect(422);
        assert_eq!(open.fields(), ["completed_at"]);
        let future = app.patch(&item(0)).token(&cast.coordinator).json(json!({"status": "done", "completed_at": "2099-06-01"})).send().await.expect(422);
        assert_eq!(future.fields(), ["completed_at"]);
        let null = app.patch(&item(0)).token(&cast.coordinator).json(json!({"status": "done", "completed_at": null})).send().await;
        assert!(null.status == 400 || null.status == 422, "{}", null.text);
        app.patch(&item(0)).token(&cast.outsider).json(json!({"status": "done", "completed_at": "2020-06-01"})).send().await.expect(404);
        let untouched = app.get(&format!("/api/v1/action-items?network_id={}&limit=200", cast.network)).token(&cast.coordinator).send().await.expect(200);
        assert!(untouched.json["data"].as_array().unwrap().iter().all(|a| a["status"] == "open" && a["completed_at"].is_null()));

        // Its owner closes it, as of the day it was really done.
        let before = Utc::now();
        let done = app.patch(&item(0)).token(&cast.member).json(json!({"status": "done", "completed_at": "2020-06-01"})).send().await.expect(200);
        let after = Utc::now();
        assert_eq!(done.json["status"], "done");
        assert_eq!(done.json["completed_at"], "2020-05-31T22:00:00Z");
        assert_eq!(swedish_day(&done.json["completed_at"]), day(2020, 6, 1));
        recorded_during(&done.json["completion_recorded_at"], before, after);
        // A later change of something else keeps the day.
        let renamed = app.patch(&item(0)).token(&cast.coordinator).json(json!({"title": "Sammanställ påverkan på ekonomiskt bistånd"})).send().await.expect(200);
        assert_eq!(renamed.json["completed_at"], "2020-05-31T22:00:00Z");
        assert_eq!(renamed.json["completion_recorded_at"], done.json["completion_recorded_at"]);
        // Reopened, it forgets both.
        let reopened = app.patch(&item(0)).token(&cast.coordinator).json(json!({"status": "open"})).send().await.expect(200);
        assert_eq!(reopened.json["completed_at"], json!(null));
        assert_eq!(reopened.json["completion_recorded_at"], json!(null));

        // Closed now, without a day: done today, nothing recorded afterwards.
        let before = Utc::now();
        let now = app.patch(&item(1)).token(&cast.coordinator).json(json!({"status": "done"})).send().await.expect(200);
        let after = Utc::now();
        recorded_during(&now.json["completed_at"], before, after);
        assert_eq!(now.json["completion_recorded_at"], json!(null));

        // An instant is taken as it is; a done item can have its day corrected.
        let exact = app.patch(&item(2)).token(&cast.coordinator).json(json!({"status": "done", "completed_at": "2020-08-20T15:45:00+02:00"})).send().await.expect(200);
        assert_eq!(exact.json["completed_at"], "2020-08-20T13:45:00Z");
        let corrected = app.patch(&item(2)).token(&cast.coordinator).json(json!({"completed_at": "2020-08-21"})).send().await.expect(200);
        assert_eq!(swedish_day(&corrected.json["completed_at"]), day(2020, 8, 21));
        assert!(corrected.json["completion_recorded_at"].is_string());

        // The list shows the same; the minutes' text carries no status.
        let listed = app.get(&format!("/api/v1/action-items?network_id={}", cast.network)).token(&cast.member).send().await.expect(200);
        let find = |id: &str| listed.json["data"].as_array().unwrap().iter().find(|a| a["id"] == id).cloned().unwrap();
        assert_eq!(find(&ids[1])["completion_recorded_at"], json!(null));
        assert_eq!(swedish_day(&find(&ids[2])["completed_at"]), day(2020, 8, 21));
        let read = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&cast.member).send().await.expect(200);
        assert!(read.json["sections"][0]["action_items"][2].get("completed_at").is_none());
    }
}

db_test! {
    async fn meetings_known_by_their_day_and_attached_to_a_series(app) {
        let cast = app.cast("restricted").await;
        // A network meeting of which the notes give only the day.
        let created = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Nätverket för IFO-chefer", "starts_at": "2020-05-08", "status": "held"}))
            .send().await.expect(201);
        let m = created.id();
        assert_eq!(created.json["time_unspecified"], true);
        assert_eq!(created.json["status"], "held");
        assert_eq!(created.json["starts_at"], "2020-05-08T00:00:00+02:00");
        assert_eq!(created.json["ends_at"], "2020-05-09T00:00:00+02:00");
        // Two days: Socialchefsdagarna in Malmö.
        let conference = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Socialchefsdagarna 2021", "kind": "conference", "starts_at": "2021-11-16", "ends_at": "2021-11-17", "location": "Malmö", "mode": "in_person", "status": "held"}))
            .send().await.expect(201);
        assert_eq!(conference.json["time_unspecified"], true);
        assert_eq!(conference.json["ends_at"], "2021-11-18T00:00:00+01:00");
        // Days and times do not mix; a time needs an end.
        let mixed = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "X", "starts_at": "2020-05-08", "ends_at": "2020-05-08T12:00"}))
            .send().await.expect(422);
        assert_eq!(mixed.fields(), ["ends_at"]);
        let open_ended = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "X", "starts_at": "2020-05-08T09:00"}))
            .send().await.expect(422);
        assert_eq!(open_ended.fields(), ["ends_at"]);
        let backwards = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "X", "starts_at": "2020-05-08", "ends_at": "2020-05-07"}))
            .send().await.expect(422);
        assert_eq!(backwards.fields(), ["ends_at"]);

        // In a calendar it is an all-day event.
        let ical = app.get(&format!("/api/v1/meetings/{m}/ical")).token(&cast.member).send().await;
        assert_eq!(ical.status, 200, "{}", ical.text);
        assert!(ical.text.contains("DTSTART;VALUE=DATE:20200508"), "{}", ical.text);
        assert!(ical.text.contains("DTEND;VALUE=DATE:20200509"), "{}", ical.text);

        // Its time turns up later.
        let timed = app.patch(&format!("/api/v1/meetings/{m}")).token(&cast.coordinator)
            .json(json!({"starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00"})).send().await.expect(200);
        assert_eq!(timed.json["time_unspecified"], false);
        assert_eq!(timed.json["starts_at"], "2020-05-08T09:00:00+02:00");
        assert_eq!(timed.json["status"], "held");

        // An irregular series of the network (it plans nothing), and one of another network.
        let irregular = app.post("/api/v1/meeting-series").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Nätverket för IFO-chefer", "frequency": "irregular", "weekday": "friday", "start_time": "09:00", "duration_minutes": 180, "starts_on": "2019-09-06"}))
            .send().await.expect(201).id();
        assert!(series_meetings(&app, &cast.coordinator, &irregular, "2019-01-01", "2199-12-31").await.is_empty());
        let other_network = app.post("/api/v1/networks").token(&cast.coordinator)
            .json(json!({"name": "Nätverket för äldreomsorgschefer", "owner_organization_id": cast.owner_org, "visibility": "restricted"}))
            .send().await.expect(201).id();
        let foreign = app.post("/api/v1/meeting-series").token(&cast.coordinator)
            .json(json!({"network_id": other_network, "title": "Äldreomsorgschefer", "frequency": "irregular", "weekday": "friday", "duration_minutes": 120, "starts_on": "2019-09-06"}))
            .send().await.expect(201).id();

        // Attached to its network's series; not to another network's, nor to one unknown.
        let path = format!("/api/v1/meetings/{m}");
        app.patch(&path).token(&cast.member).json(json!({"series_id": irregular})).send().await.expect(403);
        let wrong = app.patch(&path).token(&cast.coordinator).json(json!({"series_id": foreign})).send().await.expect(422);
        assert_eq!(wrong.fields(), ["series_id"]);
        let unknown = app.patch(&path).token(&cast.coordinator).json(json!({"series_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1"})).send().await.expect(422);
        assert_eq!(unknown.fields(), ["series_id"]);
        let garbled = app.patch(&path).token(&cast.coordinator).json(json!({"series_id": "inte-ett-id"})).send().await.expect(422);
        assert_eq!(garbled.fields(), ["series_id"]);
        let unchanged = app.get(&path).token(&cast.coordinator).send().await.expect(200);
        assert_eq!(unchanged.json["series_id"], json!(null));
        let attached = app.patch(&path).token(&cast.coordinator).json(json!({"series_id": irregular})).send().await.expect(200);
        assert_eq!(attached.json["series_id"], irregular.as_str());
        assert_eq!(attached.json["status"], "held");
        let listed = app.get(&format!("/api/v1/meeting-series/{irregular}/meetings")).token(&cast.member).send().await.expect(200);
        let ids: Vec<&str> = listed.json["data"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [m.as_str()]);
        // Created straight into a series: the same rule.
        let wrong = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "series_id": foreign, "title": "X", "starts_at": "2020-09-11", "status": "held"}))
            .send().await.expect(422);
        assert_eq!(wrong.fields(), ["series_id"]);
        let second = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "series_id": irregular, "title": "Nätverket för IFO-chefer", "starts_at": "2020-09-11", "status": "held"}))
            .send().await.expect(201);
        assert_eq!(second.json["series_id"], irregular.as_str());
        assert_eq!(series_meetings(&app, &cast.member, &irregular, "2019-01-01", "2199-12-31").await.len(), 2);
        // And detached again.
        let detached = app.patch(&path).token(&cast.coordinator).json(json!({"series_id": null})).send().await.expect(200);
        assert_eq!(detached.json["series_id"], json!(null));
        assert_eq!(series_meetings(&app, &cast.member, &irregular, "2019-01-01", "2199-12-31").await.len(), 1);
    }
}

db_test! {
    async fn a_series_entered_from_old_notes_keeps_its_timeline(app) {
        let cast = app.cast("restricted").await;
        let coordinator = me(&app, &cast.coordinator).await;
        // Ekerö's weekly status meetings with the care providers, from 20 March 2020.
        let before = Utc::now();
        let created = app.post("/api/v1/meeting-series").token(&cast.coordinator)
            .json(json!({
                "network_id": cast.network,
                "title": "Lägesavstämning med utförare",
                "frequency": "weekly",
                "weekday": "friday",
                "start_time": "09:00",
                "duration_minutes": 60,
                "starts_on": "2020-03-20",
                "kind": "status_briefing"
            }))
            .send().await.expect(201);
        let id = created.id();
        assert_eq!(created.json["timeline"].as_array().unwrap().len(), 1);
        assert_eq!(created.json["timeline"][0]["kind"], "started");
        assert_eq!(created.json["timeline"][0]["on"], "2020-03-20");
        assert_eq!(created.json["timeline"][0]["frequency"], "weekly");
        recorded_during(&created.json["timeline"][0]["recorded_at"], before, Utc::now());
        assert_eq!(created.json["timeline"][0]["recorded_by"], coordinator["id"]);

        // Its spring of 2020 is there, held, but for Långfredagen and Första maj.
        let spring = series_meetings(&app, &cast.member, &id, "2020-03-01", "2020-05-31").await;
        assert_eq!(days_of(&spring), [day(2020, 3, 20), day(2020, 3, 27), day(2020, 4, 3), day(2020, 4, 17), day(2020, 4, 24),
            day(2020, 5, 8), day(2020, 5, 15), day(2020, 5, 22), day(2020, 5, 29)]);
        assert!(spring.iter().all(|m| m["status"] == "held" && m["kind"] == "status_briefing"), "{spring:?}");
        assert_eq!(spring[0]["starts_at"], "2020-03-20T09:00:00+01:00");
        assert_eq!(spring[5]["starts_at"], "2020-05-08T09:00:00+02:00");

        // Paused from 1 May 2020 (recorded today), resumed on 2 October 2020.
        app.post(&format!("/api/v1/meeting-series/{id}/pause")).token(&cast.member)
            .json(json!({"reason": "x", "on": "2020-05-01"})).send().await.expect(403);
        let reason = "Läget är under kontroll; mötena upphör under en tid.";
        let paused = app.post(&format!("/api/v1/meeting-series/{id}/pause")).token(&cast.coordinator)
            .json(json!({"reason": reason, "on": "2020-05-01", "note": "under en tid helt upphöra"})).send().await.expect(200);
        assert_eq!(paused.json["status"], "paused");
        assert_eq!(paused.json["status_reason"], reason);
        let upcoming = series_meetings(&app, &cast.member, &id, &swedish_today().succ_opt().unwrap().to_string(), "2199-12-31").await;
        assert!(!upcoming.is_empty());
        assert!(upcoming.iter().all(|m| m["status"] == "cancelled"), "{upcoming:?}");
        assert!(series_meetings(&app, &cast.member, &id, "2020-05-01", "2020-12-31").await.is_empty(),
            "the meetings it planned while it did not meet are gone");

        // A resumption that cannot be: before the pause, the series was running.
        let impossible = app.post(&format!("/api/v1/meeting-series/{id}/timeline")).token(&cast.coordinator)
            .json(json!({"on": "2020-04-01", "kind": "resumed"})).send().await.expect(422);
        assert_eq!(impossible.fields(), ["kind"]);
        let unnamed = app.post(&format!("/api/v1/meeting-series/{id}/timeline")).token(&cast.coordinator)
            .json(json!({"on": "2020-04-01", "kind": "paused"})).send().await.expect(422);
        assert_eq!(unnamed.fields(), ["reason"]);
        let twice_started = app.post(&format!("/api/v1/meeting-series/{id}/timeline")).token(&cast.coordinator)
            .json(json!({"on": "2020-04-01", "kind": "started", "frequency": "weekly"})).send().await.expect(422);
        assert_eq!(twice_started.fields(), ["kind"]);
        // An end before the pause would leave the pause after the end: that entry is named.
        let ended_early = app.post(&format!("/api/v1/meeting-series/{id}/timeline")).token(&cast.coordinator)
            .json(json!({"on": "2020-04-15", "kind": "ended"})).send().await.expect(422);
        assert_eq!(ended_early.fields(), ["timeline[2]"]);
        app.post(&format!("/api/v1/meeting-series/{id}/timeline")).token(&cast.member)
            .json(json!({"on": "2020-10-02", "kind": "resumed"})).send().await.expect(403);

        let resumed = app.post(&format!("/api/v1/meeting-series/{id}/timeline")).token(&cast.coordinator)
            .json(json!({"on": "2020-10-02", "kind": "resumed", "note": "När pandemins andra våg kom kunde lägesavstämningarna lätt återupptas.", "approximate": true}))
            .send().await.expect(200);
        assert_eq!(resumed.json["status"], "active");
        assert_eq!(resumed.json["status_reason"], json!(null));

        // The timeline keeps each entry with its day, and the pause its reason.
        let series = app.get(&format!("/api/v1/meeting-series/{id}")).token(&cast.member).send().await.expect(200);
        let timeline = series.json["timeline"].as_array().unwrap();
        let kinds: Vec<(&str, &str)> = timeline.iter().map(|e| (e["kind"].as_str().unwrap(), e["on"].as_str().unwrap())).collect();
        assert_eq!(kinds, [("started", "2020-03-20"), ("paused", "2020-05-01"), ("resumed", "2020-10-02")]);
        assert_eq!(timeline[1]["reason"], reason);
        assert_eq!(timeline[1]["note"], "under en tid helt upphöra");
        assert_eq!(timeline[1]["approximate"], false);
        assert_eq!(timeline[2]["approximate"], true);
        assert_eq!(timeline[2]["reason"], json!(null));
        assert!(timeline.iter().all(|e| e["recorded_by"] == coordinator["id"]));
        assert!(timeline.iter().all(|e| swedish_day(&e["recorded_at"]) >= swedish_today() - TimeDelta::days(1)));

        // Its meetings: none from May to September 2020, held again from October.
        assert!(series_meetings(&app, &cast.member, &id, "2020-05-01", "2020-10-01").await.is_empty());
        let autumn = series_meetings(&app, &cast.member, &id, "2020-10-01", "2020-10-31").await;
        assert_eq!(days_of(&autumn), [day(2020, 10, 2), day(2020, 10, 9), day(2020, 10, 16), day(2020, 10, 23), day(2020, 10, 30)]);
        assert!(autumn.iter().all(|m| m["status"] == "held"));
        // The spring before the pause is untouched.
        let spring_again = series_meetings(&app, &cast.member, &id, "2020-03-01", "2020-04-30").await;
        assert_eq!(spring_again.len(), 5);
        assert_eq!(spring_again.iter().map(|m| m["id"].clone()).collect::<Vec<_>>(),
            spring[..5].iter().map(|m| m["id"].clone()).collect::<Vec<_>>());
    }
}

db_test! {
    async fn a_series_skips_holidays_and_replans_on_a_new_frequency(app) {
        let cast = app.cast("restricted").await;
        let id = app.post("/api/v1/meeting-series").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Lägesavstämning med utförare", "frequency": "weekly", "weekday": "friday",
                "start_time": "09:00", "duration_minutes": 60, "starts_on": "2020-03-20", "kind": "status_briefing"}))
            .send().await.expect(201).id();
        // Paused in May 2020 (recorded today), resumed today: the pause keeps its reason.
        let reason = "Läget är under kontroll; mötena upphör under en tid.";
        app.post(&format!("/api/v1/meeting-series/{id}/pause")).token(&cast.coordinator)
            .json(json!({"reason": reason, "on": "2020-05-01"})).send().await.expect(200);
        let resumed = app.post(&format!("/api/v1/meeting-series/{id}/resume")).token(&cast.coordinator).send().await.expect(200);
        assert_eq!(resumed.json["status"], "active");
        assert_eq!(resumed.json["status_reason"], json!(null));
        let timeline = resumed.json["timeline"].as_array().unwrap();
        let kinds: Vec<&str> = timeline.iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["started", "paused", "resumed"]);
        assert_eq!(timeline[1]["on"], "2020-05-01");
        assert_eq!(timeline[1]["reason"], reason);
        let spring = series_meetings(&app, &cast.member, &id, "2020-03-01", "2020-12-31").await;
        assert_eq!(days_of(&spring), [day(2020, 3, 20), day(2020, 3, 27), day(2020, 4, 3), day(2020, 4, 17), day(2020, 4, 24)]);
        assert!(spring.iter().all(|m| m["status"] == "held"));

        // Ahead, weekly on Fridays but for public holidays: none on juldagen 2026 nor
        // nyårsdagen 2027 (both Fridays).
        let today = swedish_today();
        let horizon = today + TimeDelta::days(56);
        let ahead = series_meetings(&app, &cast.member, &id, &(today + TimeDelta::days(1)).to_string(), "2199-12-31").await;
        let mut fridays = Vec::new();
        let mut d = today + TimeDelta::days(1);
        while d <= horizon {
            if d.weekday() == chrono::Weekday::Fri && !samverkan::holidays::is_holiday(d) {
                fridays.push(d);
            }
            d += TimeDelta::days(1);
        }
        assert_eq!(days_of(&ahead), fridays);
        assert!(ahead.iter().all(|m| m["status"] == "planned"), "{ahead:?}");
        assert!(samverkan::holidays::is_holiday(day(2026, 12, 25)));
        assert!(series_meetings(&app, &cast.member, &id, "2026-12-25", "2026-12-25").await.is_empty(), "no meeting on juldagen");
        assert!(series_meetings(&app, &cast.member, &id, "2027-01-01", "2027-01-01").await.is_empty(), "no meeting on nyårsdagen");
        if today < day(2026, 12, 18) {
            assert_eq!(series_meetings(&app, &cast.member, &id, "2026-12-18", "2026-12-18").await.len(), 1);
        }

        // Every other week from today on: the planned meetings ahead that the new
        // frequency does not meet on are cancelled; the past stays as it was.
        let past_before = series_meetings(&app, &cast.member, &id, "2020-01-01", &(today - TimeDelta::days(1)).to_string()).await;
        let changed = app.patch(&format!("/api/v1/meeting-series/{id}")).token(&cast.coordinator)
            .json(json!({"frequency": "biweekly"})).send().await.expect(200);
        assert_eq!(changed.json["frequency"], "biweekly");
        let timeline = changed.json["timeline"].as_array().unwrap();
        assert_eq!(timeline.len(), 4);
        assert_eq!(timeline[3]["kind"], "frequency_changed");
        assert_eq!(timeline[3]["frequency"], "biweekly");
        let changed_on: NaiveDate = timeline[3]["on"].as_str().unwrap().parse().unwrap();
        assert!((changed_on - today).num_days().abs() <= 1, "changed from today, not {changed_on}");
        assert_eq!(timeline[1]["reason"], reason, "the pause keeps its reason");
        let mut first = changed_on;
        while first.weekday() != chrono::Weekday::Fri {
            first += TimeDelta::days(1);
        }
        let biweekly: Vec<NaiveDate> = (0..).map(|w| first + TimeDelta::weeks(2 * w))
            .take_while(|d| *d <= horizon).filter(|d| !samverkan::holidays::is_holiday(*d)).collect();
        let ahead = series_meetings(&app, &cast.member, &id, &(today + TimeDelta::days(1)).to_string(), "2199-12-31").await;
        let planned: Vec<NaiveDate> = ahead.iter().filter(|m| m["status"] == "planned").map(|m| swedish_day(&m["starts_at"])).collect();
        let cancelled: Vec<NaiveDate> = ahead.iter().filter(|m| m["status"] == "cancelled").map(|m| swedish_day(&m["starts_at"])).collect();
        assert_eq!(planned, biweekly.iter().copied().filter(|d| *d > today).collect::<Vec<_>>());
        assert_eq!(cancelled, fridays.iter().copied().filter(|d| !biweekly.contains(d)).collect::<Vec<_>>());
        assert!(!cancelled.is_empty());
        let past_after = series_meetings(&app, &cast.member, &id, "2020-01-01", &(today - TimeDelta::days(1)).to_string()).await;
        assert_eq!(past_after.iter().map(|m| (m["id"].clone(), m["status"].clone())).collect::<Vec<_>>(),
            past_before.iter().map(|m| (m["id"].clone(), m["status"].clone())).collect::<Vec<_>>());
        // Back to weekly: the cancelled ones are planned again.
        app.patch(&format!("/api/v1/meeting-series/{id}")).token(&cast.coordinator)
            .json(json!({"frequency": "weekly"})).send().await.expect(200);
        let ahead = series_meetings(&app, &cast.member, &id, &(today + TimeDelta::days(1)).to_string(), "2199-12-31").await;
        assert_eq!(days_of(&ahead), fridays);
        assert!(ahead.iter().all(|m| m["status"] == "planned"), "{ahead:?}");
    }
}

//! Meeting series: planned eight weeks ahead, idempotently, paused and resumed, and
//! 09:00 stays 09:00 across daylight-saving changes.

use chrono::{Datelike, NaiveDate, TimeDelta, Utc};
use serde_json::json;

fn next(weekday: chrono::Weekday) -> NaiveDate {
    let mut day = Utc::now().date_naive() + TimeDelta::days(1);
    while day.weekday() != weekday {
        day += TimeDelta::days(1);
    }
    day
}

db_test! {
    async fn weekly_series_plans_eight_weeks_ahead_and_pauses_and_resumes(app) {
        let cast = app.cast("restricted").await;
        let starts_on = next(chrono::Weekday::Fri);
        let res = app.post("/api/v1/meeting-series").token(&cast.coordinator)
            .json(json!({
                "network_id": cast.network,
                "title": "Lägesavstämning med utförare",
                "frequency": "weekly",
                "weekday": "friday",
                "start_time": "09:00",
                "duration_minutes": 60,
                "starts_on": starts_on,
                "kind": "status_briefing",
                "online_url": "https://teams.microsoft.com/l/meetup-join/fredagsmote"
            }))
            .send().await.expect(201);
        let id = res.id();
        assert_eq!(res.json["status"], "active");
        let meetings = app.get(&format!("/api/v1/meeting-series/{id}/meetings?limit=200")).token(&cast.member).send().await.expect(200);
        let data = meetings.json["data"].as_array().unwrap().clone();
        // Fridays from the first one through today + 56 days, but for public holidays
        // (juldagen and nyårsdagen fall on Fridays in the winter of 2026).
        let horizon = Utc::now().date_naive() + TimeDelta::days(56);
        let expected = (0..).map(|w| starts_on + TimeDelta::weeks(w)).take_while(|d| *d <= horizon)
            .filter(|d| !samverkan::holidays::is_holiday(*d)).count();
        assert_eq!(data.len(), expected);
        for m in &data {
            assert!(m["starts_at"].as_str().unwrap().contains("T09:00:00+0"), "{}", m["starts_at"]);
            assert_eq!(m["status"], "planned");
            assert_eq!(m["series_id"], id.as_str());
            assert_eq!(m["kind"], "status_briefing");
        }

        // Planning again creates nothing twice.
        let today = Utc::now().date_naive();
        let series_id = id.clone();
        let created = app.db.write(move |conn| {
            let series = samverkan::models::series::find_unchecked(conn, &series_id)?;
            let a = samverkan::models::planning::plan(conn, &series, today)?;
            let b = samverkan::models::planning::plan_all(conn, today)?;
            Ok(a.created + a.cancelled + a.restored + a.removed + b)
        }).await.unwrap();
        assert_eq!(created, 0);

        // Pause with a reason: future planned meetings are cancelled.
        app.post(&format!("/api/v1/meeting-series/{id}/pause")).token(&cast.member).json(json!({"reason": "x"})).send().await.expect(403);
        let paused = app.post(&format!("/api/v1/meeting-series/{id}/pause")).token(&cast.coordinator)
            .json(json!({"reason": "Läget är under kontroll; mötena vilar."})).send().await.expect(200);
        assert_eq!(paused.json["status"], "paused");
        assert_eq!(paused.json["status_reason"], "Läget är under kontroll; mötena vilar.");
        let again = app.post(&format!("/api/v1/meeting-series/{id}/pause")).token(&cast.coordinator).json(json!({"reason": "igen"})).send().await.expect(409);
        assert_eq!(again.json["current_status"], "paused");
        app.post(&format!("/api/v1/meeting-series/{id}/pause")).token(&cast.coordinator).json(json!({"reason": ""})).send().await.expect(422);
        let meetings = app.get(&format!("/api/v1/meeting-series/{id}/meetings?limit=200")).token(&cast.member).send().await.expect(200);
        assert!(meetings.json["data"].as_array().unwrap().iter().all(|m| m["status"] == "cancelled"));

        // Resume: the second wave. Planned again, and nothing duplicated.
        let resumed = app.post(&format!("/api/v1/meeting-series/{id}/resume")).token(&cast.coordinator).send().await.expect(200);
        assert_eq!(resumed.json["status"], "active");
        assert_eq!(resumed.json["status_reason"], json!(null));
        app.post(&format!("/api/v1/meeting-series/{id}/resume")).token(&cast.coordinator).send().await.expect(409);
        let meetings = app.get(&format!("/api/v1/meeting-series/{id}/meetings?limit=200")).token(&cast.member).send().await.expect(200);
        let data = meetings.json["data"].as_array().unwrap();
        assert_eq!(data.len(), expected);
        assert!(data.iter().all(|m| m["status"] == "planned"));

        // Visibility follows the network.
        app.get(&format!("/api/v1/meeting-series/{id}")).token(&cast.outsider).send().await.expect(404);
        app.get(&format!("/api/v1/meeting-series/{id}/meetings")).token(&cast.outsider).send().await.expect(404);
        let list = app.get("/api/v1/meeting-series").token(&cast.outsider).send().await.expect(200);
        assert!(list.json["data"].as_array().unwrap().is_empty());
        let list = app.get(&format!("/api/v1/meeting-series?network_id={}", cast.network)).token(&cast.member).send().await.expect(200);
        assert_eq!(list.json["data"][0]["online_url"], "https://teams.microsoft.com/l/meetup-join/fredagsmote");

        // Every other week from now on.
        let changed = app.patch(&format!("/api/v1/meeting-series/{id}")).token(&cast.coordinator)
            .json(json!({"frequency": "biweekly", "ends_on": (starts_on - TimeDelta::days(1))})).send().await.expect(422);
        assert_eq!(changed.fields(), ["ends_on"]);
        app.patch(&format!("/api/v1/meeting-series/{id}")).token(&cast.coordinator).json(json!({"frequency": "biweekly"})).send().await.expect(200);
        app.delete(&format!("/api/v1/meeting-series/{id}")).token(&cast.coordinator).send().await.expect(204);
        app.get(&format!("/api/v1/meeting-series/{id}")).token(&cast.coordinator).send().await.expect(404);
    }
}

db_test! {
    async fn nine_oclock_stays_nine_oclock_across_daylight_saving(app) {
        let cast = app.cast("restricted").await;
        // Sweden moves to summer time on 2027-03-28. A weekly Friday series from 12 March.
        let res = app.post("/api/v1/meeting-series").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Fredagsmöte", "frequency": "weekly", "weekday": "friday", "start_time": "09:00", "duration_minutes": 45, "starts_on": "2027-03-12"}))
            .send().await.expect(201);
        let id = res.id();
        let series_id = id.clone();
        // Plan as if it were 10 March 2027.
        let created = app.db.write(move |conn| {
            let series = samverkan::models::series::find_unchecked(conn, &series_id)?;
            samverkan::models::planning::plan(conn, &series, NaiveDate::from_ymd_opt(2027, 3, 10).unwrap())
        }).await.unwrap();
        assert_eq!(created.created, 7, "12 March to 30 April, but for Långfredagen (26 March)");
        let meetings = app.get(&format!("/api/v1/meeting-series/{id}/meetings")).token(&cast.member).send().await.expect(200);
        let starts: Vec<&str> = meetings.json["data"].as_array().unwrap().iter().map(|m| m["starts_at"].as_str().unwrap()).collect();
        assert_eq!(&starts[..3], ["2027-03-12T09:00:00+01:00", "2027-03-19T09:00:00+01:00", "2027-04-02T09:00:00+02:00"]);
        let ends: Vec<&str> = meetings.json["data"].as_array().unwrap().iter().map(|m| m["ends_at"].as_str().unwrap()).collect();
        assert_eq!(ends[2], "2027-04-02T09:45:00+02:00");
        // And back to winter time in October.
        let res = app.post("/api/v1/meeting-series").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "Månadsmöte", "frequency": "monthly", "weekday": "tuesday", "start_time": "13:30", "duration_minutes": 90, "starts_on": "2027-09-14"}))
            .send().await.expect(201);
        let monthly = res.id();
        let series_id = monthly.clone();
        app.db.write(move |conn| {
            let series = samverkan::models::series::find_unchecked(conn, &series_id)?;
            samverkan::models::planning::plan(conn, &series, NaiveDate::from_ymd_opt(2027, 9, 20).unwrap())
        }).await.unwrap();
        let meetings = app.get(&format!("/api/v1/meeting-series/{monthly}/meetings")).token(&cast.member).send().await.expect(200);
        let starts: Vec<&str> = meetings.json["data"].as_array().unwrap().iter().map(|m| m["starts_at"].as_str().unwrap()).collect();
        assert_eq!(starts, ["2027-09-14T13:30:00+02:00", "2027-10-12T13:30:00+02:00", "2027-11-09T13:30:00+01:00"], "the second Tuesday, at 13:30 local");
    }
}

db_test! {
    async fn series_input_is_validated(app) {
        let cast = app.cast("restricted").await;
        let res = app.post("/api/v1/meeting-series").token(&cast.coordinator)
            .json(json!({"network_id": cast.network, "title": "", "frequency": "daily", "weekday": "fredag", "start_time": "9", "duration_minutes": 0, "starts_on": "2027-01-01", "ends_on": "2026-01-01", "time_zone": "Stockholm"}))
            .send().await.expect(422);
        let mut fields = res.fields();
        fields.sort();
        assert_eq!(fields, ["duration_minutes", "ends_on", "frequency", "start_time", "time_zone", "title", "weekday"]);
        app.post("/api/v1/meeting-series").token(&cast.member)
            .json(json!({"network_id": cast.network, "title": "X", "frequency": "weekly", "weekday": "friday", "start_time": "09:00", "duration_minutes": 60, "starts_on": "2027-01-01"}))
            .send().await.expect(403);
    }
}

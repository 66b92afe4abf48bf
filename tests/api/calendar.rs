//! Calendar feeds, checked with a real iCalendar parser: stable UIDs, SEQUENCE that
//! grows, cancelled meetings, the link for those who may attend, and `?token=`.

use icalendar::{Calendar, CalendarComponent, Component, EventLike, EventStatus};
use serde_json::json;

fn events(text: &str) -> Vec<icalendar::Event> {
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"),
        "CRLF framing"
    );
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line}");
    }
    let calendar: Calendar = text.parse().expect("a valid iCalendar file");
    calendar
        .components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

db_test! {
    async fn meeting_and_network_calendars_parse(app) {
        let cast = app.cast("restricted").await;
        let n = &cast.network;
        let m = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({
                "network_id": n,
                "title": "IFO-chefsnätverket – “dialog”; uppföljning, ekonomiskt bistånd",
                "description": "Rad ett\nRad två med ett långt stycke text som måste vikas eftersom iCalendar-rader får vara högst 75 oktetter långa.",
                "starts_at": "2020-05-08T09:00",
                "ends_at": "2020-05-08T12:00",
                "mode": "digital",
                "location": "Teams",
                "online_url": "https://teams.microsoft.com/l/meetup-join/ifo"
            }))
            .send().await.expect(201).id();
        let cancelled = app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": n, "title": "Höstmöte", "starts_at": "2020-11-20T09:00", "ends_at": "2020-11-20T12:00", "status": "cancelled"}))
            .send().await.expect(201).id();

        let res = app.get(&format!("/api/v1/meetings/{m}/ical")).token(&cast.member).send().await.expect(200);
        assert!(res.header("content-type").unwrap().starts_with("text/calendar"));
        let one = events(&res.text);
        assert_eq!(one.len(), 1);
        let e = &one[0];
        assert_eq!(e.get_uid(), Some(format!("{m}@samverkan").as_str()));
        assert_eq!(e.get_summary(), Some("IFO-chefsnätverket – “dialog”; uppföljning, ekonomiskt bistånd"));
        assert_eq!(e.get_location(), Some("Teams"));
        assert_eq!(e.get_url(), Some("https://teams.microsoft.com/l/meetup-join/ifo"));
        assert_eq!(e.get_status(), Some(EventStatus::Confirmed));
        assert!(e.get_description().unwrap().contains("Rad två"));
        assert!(res.text.contains("DTSTART:20200508T070000Z"), "09:00 in Stockholm is 07:00 UTC in May");
        let sequence = e.get_sequence().unwrap();

        // A change raises SEQUENCE and keeps the UID.
        app.patch(&format!("/api/v1/meetings/{m}")).token(&cast.coordinator).json(json!({"location": "Teams (ny länk)"})).send().await.expect(200);
        let again = events(&app.get(&format!("/api/v1/meetings/{m}/ical")).token(&cast.member).send().await.expect(200).text);
        assert_eq!(again[0].get_uid(), e.get_uid());
        assert!(again[0].get_sequence().unwrap() > sequence);

        // The network feed has both, the cancelled one as CANCELLED.
        // The default window reaches 90 days back; these meetings are from 2020.
        let recent = app.get(&format!("/api/v1/networks/{n}/calendar.ics")).token(&cast.member).send().await.expect(200);
        assert!(events(&recent.text).is_empty());
        let feed = app.get(&format!("/api/v1/networks/{n}/calendar.ics?from=2020-01-01")).token(&cast.member).send().await.expect(200);
        let all = events(&feed.text);
        assert_eq!(all.len(), 2);
        let c = all.iter().find(|e| e.get_uid() == Some(format!("{cancelled}@samverkan").as_str())).unwrap();
        assert_eq!(c.get_status(), Some(EventStatus::Cancelled));
        assert!(feed.text.contains("X-WR-CALNAME:IFO-chefsnätverket"));
    }
}

db_test! {
    async fn calendar_programs_subscribe_with_a_token_in_the_url(app) {
        let cast = app.cast("restricted").await;
        let n = &cast.network;
        app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": n, "title": "Nätverksträff", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "online_url": "https://teams.microsoft.com/l/meetup-join/ifo"}))
            .send().await.expect(201);
        let token = app.post("/api/v1/me/api-tokens").token(&cast.member)
            .json(json!({"name": "Outlook-kalender", "scopes": ["read"]})).send().await.expect(201);
        let secret = token.json["token"].as_str().unwrap().to_string();
        let feed = app.get(&format!("/api/v1/networks/{n}/calendar.ics?from=2020-05-01&to=2020-05-08&token={secret}")).send().await.expect(200);
        let all = events(&feed.text);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].get_url(), Some("https://teams.microsoft.com/l/meetup-join/ifo"), "members see the link");
        // Only calendar feeds take a token in the URL, and only API tokens.
        app.get(&format!("/api/v1/networks/{n}?token={secret}")).send().await.expect(404);
        app.get(&format!("/api/v1/me?token={secret}")).send().await.expect(401);
        app.get(&format!("/api/v1/networks/{n}/calendar.ics?token={}", cast.member)).send().await.expect(404);
        app.get(&format!("/api/v1/networks/{n}/calendar.ics?token=smv_wrong")).send().await.expect(401);
        app.get(&format!("/api/v1/networks/{n}/calendar.ics")).send().await.expect(404);
        // An outsider's token sees nothing of a restricted network.
        let outsider = app.post("/api/v1/me/api-tokens").token(&cast.outsider)
            .json(json!({"name": "kalender", "scopes": ["read"]})).send().await.expect(201);
        app.get(&format!("/api/v1/networks/{n}/calendar.ics?token={}", outsider.json["token"].as_str().unwrap())).send().await.expect(404);
        // An internal network's feed for an outsider: the meeting, but without the link.
        let internal = app.post("/api/v1/networks").token(&cast.coordinator)
            .json(json!({"name": "Öppet nätverk", "owner_organization_id": cast.owner_org, "visibility": "internal"})).send().await.expect(201).id();
        app.post("/api/v1/meetings").token(&cast.coordinator)
            .json(json!({"network_id": internal, "title": "Öppen träff", "starts_at": "2020-05-08T09:00", "ends_at": "2020-05-08T12:00", "online_url": "https://teams.microsoft.com/l/meetup-join/oppen"}))
            .send().await.expect(201);
        let feed = app.get(&format!("/api/v1/networks/{internal}/calendar.ics?from=2020-05-08&token={}", outsider.json["token"].as_str().unwrap())).send().await.expect(200);
        let all = events(&feed.text);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].get_url(), None);
        assert!(!feed.text.contains("meetup-join"));
    }
}

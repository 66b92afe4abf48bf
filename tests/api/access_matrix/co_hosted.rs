//! The co-hosted scenario: a restricted meeting of a network none of the callers is in
//! (the host), co-hosted by a restricted network the coordinator created, with the
//! member's organization as member and the participant taking part (the co-host). The
//! co-host's insiders must see the meeting and everything under it as insiders; its
//! coordinator must manage it; nobody else may see it.

use serde_json::json;

use super::{
    ADMIN, CALLERS, COORDINATOR, Cast, Line, MEMBER, Matrix, SINCE, contains, delete0, get, listed,
    patch0, post_each, put0, q, shown, status, str_of,
};

/// The co-hosted world's ids.
pub(super) struct CoHosted {
    host: String,
    co_host: String,
    meeting: String,
    action_item: String,
    theme: String,
}

const WORD: &str = "Utter";

pub(super) async fn world(m: &Matrix<'_>, c: &Cast) -> CoHosted {
    let app = m.app;
    let (admin, coordinator) = (m.token(ADMIN), m.token(COORDINATOR));
    let host = app
        .post("/api/v1/networks")
        .token(admin)
        .json(json!({"name": format!("Värdnätverk {WORD}"), "owner_organization_id": c.outsider_org, "visibility": "restricted"}))
        .send()
        .await
        .expect(201)
        .id();
    let co_host = app
        .post("/api/v1/networks")
        .token(coordinator)
        .json(json!({"name": format!("Barn och unga-nätverket {WORD}"), "owner_organization_id": c.owner_org, "visibility": "restricted"}))
        .send()
        .await
        .expect(201)
        .id();
    app.post(&format!("/api/v1/networks/{co_host}/members"))
        .token(coordinator)
        .json(json!({"organization_id": c.member_org, "joined_on": "2019-01-01"}))
        .send()
        .await
        .expect(201);
    app.post(&format!("/api/v1/networks/{co_host}/participants"))
        .token(coordinator)
        .json(json!({"person_id": c.participant_person, "role": "member"}))
        .send()
        .await
        .expect(201);
    let meeting = app
        .post("/api/v1/meetings")
        .token(admin)
        .json(json!({
            "network_id": host,
            "co_host_network_ids": [co_host],
            "title": format!("Gemensamt pass {WORD}: jämförelser och uppföljning"),
            "starts_at": "2025-11-20T11:00",
            "ends_at": "2025-11-20T12:00",
            "online_url": "https://teams.microsoft.com/l/meetup-join/gemensamt",
            "status": "held",
            "visibility": "restricted",
        }))
        .send()
        .await
        .expect(201)
        .id();
    let written = app
        .put(&format!("/api/v1/meetings/{meeting}/minutes"))
        .token(admin)
        .json(json!({"sections": [{
            "heading": "Jämförelser och uppföljning",
            "notes": format!("Gemensamt pass ({WORD})."),
            "action_items": [{"title": format!("Uppdrag {WORD}: sammanställ jämförelserna"), "owner_person_id": c.member_person}],
        }]}))
        .send()
        .await
        .expect(201);
    let action_item = str_of(&written.json["sections"][0]["action_items"][0]["id"]);
    let theme = app
        .post("/api/v1/themes")
        .token(m.token(MEMBER))
        .json(json!({"network_id": co_host, "proposed_by_network_id": co_host, "title": format!("Tema {WORD}: jämförelser")}))
        .send()
        .await
        .expect(201)
        .id();
    CoHosted {
        host,
        co_host,
        meeting,
        action_item,
        theme,
    }
}

pub(super) async fn read(m: &mut Matrix<'_>, w: &CoHosted) {
    let meeting = format!("/api/v1/meetings/{}", w.meeting);
    let action_item = format!("/api/v1/action-items/{}", w.action_item);
    let meetings = "/api/v1/meetings?limit=200";
    let uid = format!("UID:{}@samverkan", w.meeting);
    let calendar = format!(
        "/api/v1/networks/{}/calendar.ics?from=2000-01-01",
        w.co_host
    );
    let themes = "/api/v1/themes?limit=200";
    let lines: Vec<Line> = lines![
        "meeting", "GET" => get(&meeting), status();
        "meeting", "in list ?network_id=<co-host>" => get(format!("{meetings}&network_id={}", w.co_host)), listed(&w.meeting);
        "meeting", "in list ?network_id=<host>" => get(format!("{meetings}&network_id={}", w.host)), listed(&w.meeting);
        "meeting", "in list ?modified_since=" => get(format!("{meetings}&{SINCE}")), listed(&w.meeting);
        "meeting", "GET shows online_url" => get(&meeting), shown("online_url");
        "meeting", "agenda items GET" => get(format!("{meeting}/agenda-items")), status();
        "meeting", "attendees GET" => get(format!("{meeting}/attendees")), status();
        "network", "co-host calendar.ics has the meeting" => get(&calendar), contains(uid);
        "minutes", "GET" => get(format!("{meeting}/minutes")), status();
        "action-item", "GET" => get(&action_item), status();
        "action-item", "in list ?q=" => get(format!("/api/v1/action-items?limit=200&{}", q(WORD))), listed(&w.action_item);
        "search", "finds the meeting" => get(format!("/api/v1/search?limit=50&kind=meeting&{}", q(WORD))), listed(&w.meeting);
        "theme", "GET" => get(format!("/api/v1/themes/{}", w.theme)), status();
        "theme", "in list ?proposed_by_network_id=" => get(format!("{themes}&proposed_by_network_id={}", w.co_host)), listed(&w.theme);
    ];
    m.ask("co-hosted", lines).await;
}

pub(super) async fn write(m: &mut Matrix<'_>, c: &Cast, w: &CoHosted) {
    let meeting = format!("/api/v1/meetings/{}", w.meeting);
    let action_item = format!("/api/v1/action-items/{}", w.action_item);
    let minutes = json!({"sections": [{"heading": "Jämförelser och uppföljning", "notes": "Ändrad anteckning."}]});
    let theme = |i: usize, speaker: &str| json!({"network_id": w.co_host, "proposed_by_network_id": speaker, "title": format!("Önskemål från {}", CALLERS[i])});
    let (host, co_host) = (w.host.clone(), w.co_host.clone());
    let new_item = |i: usize| json!({"title": format!("Gemensam punkt från {}", CALLERS[i])});
    let lines: Vec<Line> = lines![
        "meeting", "PATCH If-Match:0" => patch0(&meeting, json!({"location": "Teams"})), status();
        "meeting", "PATCH co-hosts If-Match:0" => patch0(&meeting, json!({"co_host_network_ids": []})), status();
        "meeting", "DELETE If-Match:0 (the host's)" => delete0(&meeting), status();
        "meeting", "attendee PUT one If-Match:0" => put0(format!("{meeting}/attendees/{}", c.member_person), json!({"organization_id": c.member_org, "attendance": "present"})), status();
        "minutes", "PUT If-Match:0" => put0(format!("{meeting}/minutes"), minutes), status();
        "action-item", "PATCH status=done If-Match:0" => patch0(&action_item, json!({"status": "done"})), status();
        "meeting", "agenda item add POST" => post_each(format!("{meeting}/agenda-items"), new_item), status();
        "theme", "create POST by network <co-host>" => post_each("/api/v1/themes", move |i| theme(i, &co_host)), status();
        "theme", "create POST by network <host>" => post_each("/api/v1/themes", move |i| theme(i, &host)), status();
    ];
    m.ask("co-hosted", lines).await;
}

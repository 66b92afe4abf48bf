//! A small world around one restricted network, made through the API (about ten rows
//! of everything a member can list), grown in bulk to any size, and the probes: every
//! list, feed and report a member (or an admin) reads.

use serde_json::json;

use super::TestApp;

/// What `seed` made.
pub struct World {
    pub network: String,
    pub member_org: String,
    /// A member of the network (their organization is a member).
    pub member: String,
    pub coordinator: String,
    /// A planned meeting in the network, in the future, with agenda and attendees.
    pub planned: String,
    /// A held meeting in 2020 with minutes and action items owned by the member.
    pub held: String,
    pub minutes_of_held: String,
    pub dialogue: String,
    pub series: String,
    pub internal_network: String,
    pub user: String,
    pub person: String,
    pub organization: String,
    pub theme: String,
}

/// One request to measure.
#[derive(Debug, Clone)]
pub struct Probe {
    pub path: String,
    pub token: Option<String>,
    /// Whether it takes `limit`.
    pub paged: bool,
}

impl World {
    /// Every list, feed and report, with a caller who sees what `grow` adds.
    pub fn probes(&self, admin: &str) -> Vec<Probe> {
        let (n, planned, held, d, s) = (
            &self.network,
            &self.planned,
            &self.held,
            &self.dialogue,
            &self.series,
        );
        let member = Some(self.member.clone());
        let paged = |path: String, token: &Option<String>| Probe {
            path,
            token: token.clone(),
            paged: true,
        };
        let whole = |path: String, token: &Option<String>| Probe {
            path,
            token: token.clone(),
            paged: false,
        };
        let admin = Some(admin.to_string());
        vec![
            paged("/api/v1/meetings".into(), &member),
            paged(format!("/api/v1/meetings?network_id={n}"), &member),
            paged("/api/v1/meetings?q=n%C3%A4tverkstr%C3%A4ff".into(), &member),
            paged("/api/v1/meetings?modified_since=2020-01-01".into(), &member),
            paged(
                "/api/v1/meetings?from=2020-01-01&to=2199-12-31".into(),
                &member,
            ),
            paged("/api/v1/meetings".into(), &None),
            paged("/api/v1/action-items".into(), &member),
            paged("/api/v1/action-items?mine=true".into(), &member),
            paged(
                format!("/api/v1/action-items?network_id={n}&status=open"),
                &member,
            ),
            paged("/api/v1/action-items?q=sammanst%C3%A4ll".into(), &member),
            paged(
                "/api/v1/action-items?modified_since=2020-01-01".into(),
                &member,
            ),
            paged("/api/v1/action-items?overdue=true".into(), &member),
            paged("/api/v1/themes".into(), &member),
            paged(
                format!("/api/v1/themes?network_id={n}&sort=support"),
                &member,
            ),
            paged("/api/v1/themes?q=kris".into(), &member),
            paged("/api/v1/supervisory-dialogues".into(), &member),
            paged("/api/v1/supervisory-dialogues?q=socialchef".into(), &member),
            paged(
                "/api/v1/supervisory-dialogues?modified_since=2020-01-01".into(),
                &member,
            ),
            paged(
                "/api/v1/supervisory-dialogues/lessons?q=kris".into(),
                &member,
            ),
            paged("/api/v1/search?q=kris".into(), &member),
            paged(
                "/api/v1/search?q=n%C3%A4tverkstr%C3%A4ff&kind=meeting,minutes".into(),
                &member,
            ),
            paged("/api/v1/networks".into(), &member),
            paged("/api/v1/networks?q=n%C3%A4tverket".into(), &member),
            paged("/api/v1/people".into(), &member),
            paged("/api/v1/people?q=person".into(), &member),
            paged("/api/v1/organizations".into(), &member),
            paged("/api/v1/users".into(), &admin),
            paged("/api/v1/audit-events".into(), &admin),
            paged("/api/v1/meeting-series".into(), &member),
            paged(format!("/api/v1/meeting-series/{s}/meetings"), &member),
            paged(format!("/api/v1/networks/{n}/participation"), &member),
            paged(
                format!("/api/v1/networks/{n}/participation?from=2020-01-01&to=2020-12-31"),
                &member,
            ),
            paged(format!("/api/v1/networks/{n}/members"), &member),
            paged(format!("/api/v1/networks/{n}/participants"), &member),
            paged(format!("/api/v1/meetings/{planned}/agenda-items"), &member),
            paged(format!("/api/v1/meetings/{planned}/attendees"), &member),
            paged(
                format!("/api/v1/meetings/{planned}/open-action-items"),
                &member,
            ),
            whole(format!("/api/v1/meetings/{held}/minutes"), &member),
            paged(
                format!("/api/v1/supervisory-dialogues/{d}/findings"),
                &member,
            ),
            paged(
                format!("/api/v1/supervisory-dialogues/{d}/follow-ups"),
                &member,
            ),
            whole(format!("/api/v1/networks/{n}/calendar.ics"), &member),
            whole(
                format!("/api/v1/networks/{n}/calendar.ics?from=2020-01-01"),
                &member,
            ),
            whole(format!("/api/v1/meetings/{planned}/ical"), &member),
        ]
    }
}

impl TestApp {
    /// About ten rows of everything, through the API.
    pub async fn seed(&self) -> World {
        let cast = self.cast("restricted").await;
        let (n, c) = (cast.network.clone(), cast.coordinator.clone());
        let member_person = self
            .get("/api/v1/me")
            .token(&cast.member)
            .send()
            .await
            .expect(200)
            .json["person_id"]
            .as_str()
            .unwrap()
            .to_string();
        let mut people = Vec::new();
        for i in 0..10 {
            let org = self
                .organization(&format!("Kommun {i}"), "municipality")
                .await;
            self.post(&format!("/api/v1/networks/{n}/members"))
                .token(&c)
                .json(json!({"organization_id": org}))
                .send()
                .await
                .expect(201);
            let person = self
                .person(
                    &format!("Person {i}"),
                    &format!("person{i}@kommun.se"),
                    Some(&org),
                )
                .await;
            self.post(&format!("/api/v1/networks/{n}/participants"))
                .token(&c)
                .json(json!({"person_id": person}))
                .send()
                .await
                .expect(201);
            people.push(person);
            self.user(&format!("user{i}@kommun.se"), Some(&org)).await;
        }
        let meeting = |day: String, status: &'static str| {
            let body = json!({"network_id": n, "title": "Nätverksträff", "starts_at": format!("{day}T09:00"), "ends_at": format!("{day}T12:00"), "status": status});
            let c = c.clone();
            async move {
                self.post("/api/v1/meetings")
                    .token(&c)
                    .json(body)
                    .send()
                    .await
                    .expect(201)
                    .id()
            }
        };
        let mut held = Vec::new();
        for i in 0..5 {
            let m = meeting(format!("2020-0{}-08", i + 1), "held").await;
            self.put(&format!("/api/v1/meetings/{m}/minutes")).token(&c)
                .json(json!({"sections": [{"heading": "Uppföljning", "action_items": [
                    {"title": "Sammanställ erfarenheter", "owner_person_id": member_person, "due_on": "2020-06-01"},
                    {"title": "Sammanställ läget", "owner_person_id": people[0], "due_on": "2099-06-01"}]}]}))
                .send().await.expect(201);
            self.post(&format!("/api/v1/meetings/{m}/attendees"))
                .token(&c)
                .json(json!({"person_id": people[i], "attendance": "present"}))
                .send()
                .await
                .expect(201);
            held.push(m);
        }
        let mut planned = Vec::new();
        for i in 0..5 {
            planned.push(meeting(format!("2027-0{}-08", i + 1), "planned").await);
        }
        for (i, person) in people.iter().enumerate() {
            self.post(&format!("/api/v1/meetings/{}/agenda-items", planned[0]))
                .token(&c)
                .json(json!({"title": format!("Punkt {i}")}))
                .send()
                .await
                .expect(201);
            self.post(&format!("/api/v1/meetings/{}/attendees", planned[0]))
                .token(&c)
                .json(json!({"person_id": person}))
                .send()
                .await
                .expect(201);
        }
        let minutes_of_held = self
            .get(&format!("/api/v1/meetings/{}/minutes", held[0]))
            .token(&c)
            .send()
            .await
            .expect(200)
            .id();
        let series = self.post("/api/v1/meeting-series").token(&c)
            .json(json!({"network_id": n, "title": "Nätverksträff varje månad", "frequency": "monthly", "weekday": "friday", "start_time": "09:00", "duration_minutes": 180, "starts_on": chrono::Utc::now().date_naive().to_string()}))
            .send().await.expect(201).id();
        let mut theme = String::new();
        for i in 0..10 {
            theme = self
                .post("/api/v1/themes")
                .token(&cast.member)
                .json(json!({"title": format!("Krishantering {i}"), "network_id": n}))
                .send()
                .await
                .expect(201)
                .id();
        }
        let mut internal_network = String::new();
        for i in 0..10 {
            internal_network = self.post("/api/v1/networks").token(&c)
                .json(json!({"name": format!("Nätverket {i}"), "owner_organization_id": cast.owner_org, "visibility": "internal"}))
                .send().await.expect(201).id();
        }
        let ivo = self
            .organization("Inspektionen för vård och omsorg", "supervisory_authority")
            .await;
        let (_, inspector) = self.user("yvonne.berneke@ivo.se", Some(&ivo)).await;
        let mut dialogues = Vec::new();
        for i in 0..10 {
            dialogues.push(self.post("/api/v1/supervisory-dialogues").token(&inspector)
                .json(json!({"title": format!("Dialog med socialcheferna {i}"), "supervising_organization_id": ivo, "supervision_name": "Nationell tillsyn",
                    "participant_organization_ids": [cast.member_org], "lessons_learned": ["Planera för kris i vardagen."]}))
                .send().await.expect(201).id());
        }
        for i in 0..10 {
            let d = &dialogues[0];
            self.post(&format!("/api/v1/supervisory-dialogues/{d}/findings"))
                .token(&inspector)
                .json(json!({"text": format!("Fynd {i}")}))
                .send()
                .await
                .expect(201);
            self.post(&format!("/api/v1/supervisory-dialogues/{d}/follow-ups"))
                .token(&inspector)
                .json(json!({"description": format!("Uppföljning {i}")}))
                .send()
                .await
                .expect(201);
        }
        let user = self
            .get("/api/v1/users?limit=1")
            .token(&self.admin_token)
            .send()
            .await
            .expect(200)
            .json["data"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        World {
            network: n,
            member_org: cast.member_org,
            member: cast.member,
            coordinator: c,
            planned: planned[0].clone(),
            held: held[0].clone(),
            minutes_of_held,
            dialogue: dialogues[0].clone(),
            series,
            internal_network,
            user,
            person: people[0].clone(),
            organization: cast.outsider_org,
            theme,
        }
    }

    /// Adds `count` rows, in bulk, to everything the probes read.
    pub async fn grow(&self, world: &World, count: u32) {
        let by_id = |id: &str| format!("t.id = '{id}'");
        let w = world;
        // Meetings: planned ones ahead (in the calendar's window), held ones with minutes,
        // action items and attendance (in the reports).
        let days = self.days_later("starts_at", 1);
        let days_end = self.days_later("ends_at", 1);
        self.copies(
            "meetings",
            &by_id(&w.planned),
            count,
            &[("starts_at", days.clone()), ("ends_at", days_end.clone())],
        )
        .await;
        let held = self.copies("meetings", &by_id(&w.held), count, &[]).await;
        self.copies(
            "minutes",
            &by_id(&w.minutes_of_held),
            count,
            &[("meeting_id", held.nth())],
        )
        .await;
        self.copies(
            "action_items",
            &format!("t.meeting_id = '{}' AND t.position = 0", w.held),
            count,
            &[("meeting_id", held.nth())],
        )
        .await;
        self.copies(
            "attendees",
            &format!("t.meeting_id = '{}'", w.held),
            count,
            &[("meeting_id", held.nth())],
        )
        .await;
        self.copies("meetings", &format!("t.series_id = (SELECT id FROM meeting_series WHERE id = '{}') AND t.starts_at = (SELECT MAX(starts_at) FROM meetings WHERE series_id = '{}')", w.series, w.series), count,
            &[("starts_at", self.days_later("starts_at", 7)), ("ends_at", self.days_later("ends_at", 7))]).await;
        // People, organizations and users, and what hangs on them.
        let people = self
            .copies(
                "people",
                &by_id(&w.person),
                count,
                &[
                    ("email", "{id} || '@kommun.se'".into()),
                    ("user_id", "NULL".into()),
                ],
            )
            .await;
        self.copies(
            "network_participants",
            &format!(
                "t.network_id = '{}' AND t.person_id = '{}'",
                w.network, w.person
            ),
            count,
            &[("person_id", people.nth())],
        )
        .await;
        self.copies(
            "attendees",
            &format!(
                "t.meeting_id = '{}' AND t.person_id = '{}'",
                w.planned, w.person
            ),
            count,
            &[("person_id", people.nth())],
        )
        .await;
        let orgs = self
            .copies("organizations", &by_id(&w.organization), count, &[])
            .await;
        self.copies(
            "network_members",
            &format!(
                "t.network_id = '{}' AND t.organization_id = '{}'",
                w.network, w.member_org
            ),
            count,
            &[("organization_id", orgs.nth())],
        )
        .await;
        self.copies(
            "users",
            &by_id(&w.user),
            count,
            &[("email", "{id} || '@kommun.se'".into())],
        )
        .await;
        self.copies(
            "agenda_items",
            &format!("t.meeting_id = '{}' AND t.position = 1", w.planned),
            count,
            &[],
        )
        .await;
        // Themes, networks, series, dialogues and their parts, the audit trail.
        self.copies("themes", &by_id(&w.theme), count, &[]).await;
        self.copies("networks", &by_id(&w.internal_network), count, &[])
            .await;
        self.copies("meeting_series", &by_id(&w.series), count, &[])
            .await;
        let dialogues = self
            .copies("supervisory_dialogues", &by_id(&w.dialogue), count, &[])
            .await;
        self.copies(
            "dialogue_participants",
            &format!("t.dialogue_id = '{}'", w.dialogue),
            count,
            &[("dialogue_id", dialogues.nth())],
        )
        .await;
        self.copies(
            "dialogue_lessons",
            &format!("t.dialogue_id = '{}'", w.dialogue),
            count,
            &[("dialogue_id", dialogues.nth())],
        )
        .await;
        self.copies(
            "dialogue_findings",
            &format!("t.dialogue_id = '{}' AND t.text = 'Fynd 0'", w.dialogue),
            count,
            &[],
        )
        .await;
        self.copies(
            "dialogue_follow_ups",
            &format!(
                "t.dialogue_id = '{}' AND t.description = 'Uppföljning 0'",
                w.dialogue
            ),
            count,
            &[],
        )
        .await;
        self.copies(
            "audit_events",
            "t.id = (SELECT MIN(id) FROM audit_events)",
            count,
            &[],
        )
        .await;
        self.analyze().await;
    }
}

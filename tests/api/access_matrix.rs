//! The access matrix: every caller against every operation in every visibility world,
//! rendered as a plain-text table and compared with the checked-in snapshot
//! `tests/snapshots/access_matrix.txt`.
//!
//! It pins today's behaviour, today's bugs included, so that every change of who may do
//! what shows up as a deliberate diff of that file. `UPDATE_SNAPSHOTS=1 cargo test --test api
//! access_matrix` rewrites the snapshot first; review the diff before committing it.
//! Both databases must produce the same bytes, so the cells hold statuses, yes/no and
//! counts, never ids or times.

use crate::common;

use std::fmt::Write as _;

use actix_web::http::Method;
use chrono::{Datelike, NaiveDate, TimeDelta, Utc};
use serde_json::{Value, json};

use common::{Res, TestApp};

/// The callers, in column order.
const CALLERS: [&str; 8] = [
    "admin",
    "coordinator",
    "member",
    "participant",
    "outsider",
    "anonymous",
    "read_token",
    "inspector",
];
const ADMIN: usize = 0;
const COORDINATOR: usize = 1;
const MEMBER: usize = 2;
const PARTICIPANT: usize = 3;
const OUTSIDER: usize = 4;
const READ_TOKEN: usize = 6;
const INSPECTOR: usize = 7;

/// The order of the resources in the table.
const RESOURCES: [&str; 13] = [
    "network",
    "meeting",
    "minutes",
    "action-item",
    "theme",
    "series",
    "dialogue",
    "search",
    "organization",
    "person",
    "user",
    "audit",
    "api-token",
];

/// The order of the scenarios within a resource; `-` is for rows outside any scenario.
const SCENARIOS: [&str; 8] = [
    "public",
    "internal",
    "restricted",
    "pub-net/restricted-minutes",
    "pub-net/restricted-meeting",
    "co-hosted",
    "published",
    "-",
];

const RESOURCE_WIDTH: usize = 13;
const SCENARIO_WIDTH: usize = 27;
const OPERATION_WIDTH: usize = 38;

/// A network world: the visibility of each thing in it (`None`: left at its default).
struct NetSpec {
    name: &'static str,
    /// In every title of the world, so `q` can find it.
    word: &'static str,
    network: &'static str,
    meeting: &'static str,
    minutes: Option<&'static str>,
    theme: Option<&'static str>,
    series: Option<&'static str>,
}

const NETWORKS: [NetSpec; 5] = [
    NetSpec {
        name: "public",
        word: "Ekorre",
        network: "public",
        meeting: "public",
        minutes: Some("public"),
        theme: Some("public"),
        series: Some("public"),
    },
    NetSpec {
        name: "internal",
        word: "Hjort",
        network: "internal",
        meeting: "internal",
        minutes: Some("internal"),
        theme: Some("internal"),
        series: Some("internal"),
    },
    NetSpec {
        name: "restricted",
        word: "Lodjur",
        network: "restricted",
        meeting: "restricted",
        minutes: Some("restricted"),
        theme: Some("restricted"),
        series: Some("restricted"),
    },
    NetSpec {
        name: "pub-net/restricted-minutes",
        word: "Bäver",
        network: "public",
        meeting: "public",
        minutes: Some("restricted"),
        theme: None,
        series: None,
    },
    NetSpec {
        name: "pub-net/restricted-meeting",
        word: "Älg",
        network: "public",
        meeting: "restricted",
        minutes: None,
        theme: Some("restricted"),
        series: Some("restricted"),
    },
];

/// A supervisory-dialogue world.
struct DialogueSpec {
    name: &'static str,
    word: &'static str,
    visibility: &'static str,
    publish: bool,
}

const DIALOGUES: [DialogueSpec; 4] = [
    DialogueSpec {
        name: "public",
        word: "Björn",
        visibility: "public",
        publish: false,
    },
    DialogueSpec {
        name: "internal",
        word: "Varg",
        visibility: "internal",
        publish: false,
    },
    DialogueSpec {
        name: "restricted",
        word: "Järv",
        visibility: "restricted",
        publish: false,
    },
    DialogueSpec {
        name: "published",
        word: "Örn",
        visibility: "restricted",
        publish: true,
    },
];

/// One organization per caller, for that caller to add as a network member.
const NEW_MEMBERS: [&str; 8] = [
    "Ale kommun",
    "Alingsås kommun",
    "Härryda kommun",
    "Kungälvs kommun",
    "Lerums kommun",
    "Lilla Edets kommun",
    "Mölndals stad",
    "Stenungsunds kommun",
];

/// One person per caller, for that caller to add as a network participant.
const NEW_PARTICIPANTS: [(&str, &str); 8] = [
    ("Iréne Blomqvist", "irene.blomqvist@ale.se"),
    ("Juan Navas", "juan.navas@tjorn.se"),
    ("Susanne Grabe", "susanne.grabe@harryda.se"),
    ("Maria Enbuske", "maria.enbuske@lerum.se"),
    ("Iréne Jansson", "irene.jansson@molndal.se"),
    ("Robert Rydqvist", "robert.rydqvist@stenungsund.se"),
    ("Marie Christiansson", "marie.christiansson@kungsbacka.se"),
    ("Helen Holmström", "helen.holmstrom@goteborg.se"),
];

const HEADER: &str = r#"# Samverkan access matrix: today's behaviour, bugs included (tests/api/access_matrix.rs).
# Regenerate with UPDATE_SNAPSHOTS=1 cargo test --test api access_matrix, and review the diff before committing it.
#
# Callers (columns):
#   admin        the bootstrap admin
#   coordinator  user of Göteborgsregionen (regional_association), the owner organization; created every network
#   member       user of Partille kommun, a member organization of every network (and a participant of every dialogue)
#   participant  user without organization; their person takes part (role member) in every network
#   outsider     user of Malmö stad, unrelated to everything
#   anonymous    no token
#   read_token   an API token of the coordinator with scope read
#   inspector    user of Inspektionen för vård och omsorg (supervisory_authority), which supervises every dialogue
#
# Scenarios (one network per network scenario, with a held meeting with agenda item, attendee (the member, present)
# and online link, its minutes (approver: the member) with a decision and an action item owned by the member and
# Partille kommun that also asks Partille kommun for an answer (a request to members), a second later meeting created without visibility (so following the network), a theme proposed
# by the member, and a weekly meeting series):
#   public, internal, restricted   network, meetings, minutes, theme and series all with that visibility
#   pub-net/restricted-minutes     public network and meeting, restricted minutes; theme and series left at default
#   pub-net/restricted-meeting     public network; restricted meeting (minutes at their default: following it),
#                                  restricted theme and series
# co-hosted: a restricted meeting (held, with minutes and an action item owned by the member) of a restricted
#   network nobody of the cast is in, co-hosted by a restricted network the coordinator created (member: Partille
#   kommun; participant: the participant), and a theme in the co-host proposed by the member on behalf of the co-host.
# Dialogue scenarios: a supervisory dialogue by the inspector for IVO with Partille kommun as participant, with one
# finding, follow-up, lesson and recommendation: public, internal, restricted (not published), and published
# (created restricted, then published). Scenario - : global rows. The search rows ask GET /search for the
# scenario's word, one kind at a time.
#
# Values:
#   200, 404, ...  the HTTP status
#   yes / no       the item appears in the list or feed (when the list itself does not answer 200: its status)
#   a number       a count, or a number from the answer
#   -              no value: the request it derives from does not answer 200 (see the status row above it)
# Reads run first; then writes. "If-Match:0" sends a version that never matches: 412 means authorization passed.
# POST rows really create, with a body of each caller's own; "(own)" rows delete a target of each caller's
# own. State transitions (support, approve, submit, pause) run last, in column order, so a later caller sees the
# state an earlier one left (e.g. the admin's submit succeeds, the coordinator's then conflicts).
"#;

/// One line of the table.
struct Row {
    resource: &'static str,
    scenario: &'static str,
    operation: &'static str,
    cells: Vec<String>,
}

/// One request of one caller.
#[derive(Clone)]
struct Probe {
    method: Method,
    path: String,
    body: Option<Value>,
    stale: bool,
    accept: Option<&'static str>,
}

impl Probe {
    fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            body: None,
            stale: false,
            accept: None,
        }
    }

    fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// With `If-Match: "0"`, a version that never matches.
    fn stale(mut self) -> Self {
        self.stale = true;
        self
    }

    fn accept(mut self, accept: &'static str) -> Self {
        self.accept = Some(accept);
        self
    }
}

/// The request each caller (by column index) sends for a row.
type Ask<'a> = Box<dyn Fn(usize) -> Probe + 'a>;

/// What a row prints for one response.
type Cell = Box<dyn Fn(&Res) -> String>;

/// A row to ask: resource, operation, the requests and what to print.
type Line<'a> = (&'static str, &'static str, Ask<'a>, Cell);

/// Rows as a table, one per line: `resource, operation => requests, cell;`.
macro_rules! lines {
    ($($resource:literal, $operation:literal => $ask:expr, $cell:expr;)*) => {
        vec![$(($resource, $operation, $ask, $cell)),*]
    };
}

/// The same request for every caller.
fn all<'a>(probe: Probe) -> Ask<'a> {
    Box::new(move |_| probe.clone())
}

/// A request of each caller's own.
fn each<'a>(ask: impl Fn(usize) -> Probe + 'a) -> Ask<'a> {
    Box::new(ask)
}

fn get<'a>(path: impl Into<String>) -> Ask<'a> {
    all(Probe::new(Method::GET, path))
}

fn post<'a>(path: impl Into<String>, body: Value) -> Ask<'a> {
    all(Probe::new(Method::POST, path).json(body))
}

/// A POST without a body.
fn post_empty<'a>(path: impl Into<String>) -> Ask<'a> {
    all(Probe::new(Method::POST, path))
}

/// A POST with a body of each caller's own.
fn post_each<'a>(path: impl Into<String>, body: impl Fn(usize) -> Value + 'a) -> Ask<'a> {
    let path = path.into();
    each(move |i| Probe::new(Method::POST, &path).json(body(i)))
}

fn patch0<'a>(path: impl Into<String>, body: Value) -> Ask<'a> {
    all(Probe::new(Method::PATCH, path).json(body).stale())
}

fn put0<'a>(path: impl Into<String>, body: Value) -> Ask<'a> {
    all(Probe::new(Method::PUT, path).json(body).stale())
}

fn delete0<'a>(path: impl Into<String>) -> Ask<'a> {
    all(Probe::new(Method::DELETE, path).stale())
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// The status.
fn status() -> Cell {
    Box::new(|res: &Res| res.status.to_string())
}

/// Whether an element of `data` has `key` = `id`; the status when the list fails.
fn listed_by(key: &'static str, id: &str) -> Cell {
    let id = id.to_string();
    Box::new(move |res: &Res| {
        if res.status != 200 {
            return res.status.to_string();
        }
        let data = res.json["data"].as_array().expect("a list has data");
        yes_no(data.iter().any(|e| e[key] == id.as_str()))
    })
}

fn listed(id: &str) -> Cell {
    listed_by("id", id)
}

/// Whether `data` is not empty; the status when the list fails.
fn any_listed() -> Cell {
    Box::new(|res: &Res| {
        if res.status != 200 {
            return res.status.to_string();
        }
        yes_no(!res.json["data"].as_array().expect("data").is_empty())
    })
}

/// The length of `data`; `-` when the list fails.
fn count() -> Cell {
    Box::new(|res: &Res| {
        if res.status != 200 {
            return "-".into();
        }
        res.json["data"].as_array().expect("data").len().to_string()
    })
}

/// Whether `field` is set (not null); `-` unless 200.
fn shown(field: &'static str) -> Cell {
    Box::new(move |res: &Res| {
        if res.status != 200 {
            return "-".into();
        }
        yes_no(!res.json[field].is_null())
    })
}

/// The number in `field`; `-` unless 200.
fn number(field: &'static str) -> Cell {
    Box::new(move |res: &Res| {
        if res.status != 200 {
            return "-".into();
        }
        res.json[field].as_i64().expect("a number").to_string()
    })
}

/// Whether the body contains `needle`; `-` unless 200.
fn contains(needle: String) -> Cell {
    Box::new(move |res: &Res| {
        if res.status != 200 {
            return "-".into();
        }
        yes_no(res.text.contains(&needle))
    })
}

/// The callers and the rows asked so far.
struct Matrix<'a> {
    app: &'a TestApp,
    tokens: Vec<Option<String>>,
    rows: Vec<Row>,
}

impl Matrix<'_> {
    fn token(&self, caller: usize) -> &str {
        self.tokens[caller].as_deref().expect("a signed-in caller")
    }

    async fn send(&self, caller: usize, probe: &Probe) -> Res {
        let mut req = self.app.req(probe.method.clone(), &probe.path);
        if let Some(token) = &self.tokens[caller] {
            req = req.token(token);
        }
        if probe.stale {
            req = req.header("If-Match", "\"0\"");
        }
        if let Some(accept) = probe.accept {
            req = req.header("Accept", accept);
        }
        if let Some(body) = &probe.body {
            req = req.json(body.clone());
        }
        req.send().await
    }

    /// Asks the rows of `scenario` in order, each of every caller in column order.
    async fn ask(&mut self, scenario: &'static str, lines: Vec<Line<'_>>) {
        for (resource, operation, ask, cell) in lines {
            let mut cells = Vec::new();
            for (caller, name) in CALLERS.iter().enumerate() {
                let res = self.send(caller, &ask(caller)).await;
                assert!(
                    res.status < 500,
                    "{resource} {scenario} {operation} as {name}: {} {}",
                    res.status,
                    res.text
                );
                cells.push(cell(&res));
            }
            self.rows.push(Row {
                resource,
                scenario,
                operation,
                cells,
            });
        }
    }

    /// The table, grouped by resource and then scenario, rows in the order asked.
    fn render(&self) -> String {
        let rank = |r: &Row| {
            let resource = RESOURCES.iter().position(|x| *x == r.resource);
            let scenario = SCENARIOS.iter().position(|x| *x == r.scenario);
            (
                resource.expect("a known resource"),
                scenario.expect("a known scenario"),
            )
        };
        let mut rows: Vec<&Row> = self.rows.iter().collect();
        rows.sort_by_key(|r| rank(r));
        let mut out = String::from(HEADER);
        out.push('\n');
        let mut line = format!(
            "{:<RESOURCE_WIDTH$} {:<SCENARIO_WIDTH$} {:<OPERATION_WIDTH$}",
            "resource", "scenario", "operation"
        );
        for caller in CALLERS {
            write!(line, " {caller}").unwrap();
        }
        out.push_str(line.trim_end());
        out.push('\n');
        let mut last_resource = "";
        for row in rows {
            assert!(
                row.operation.chars().count() <= OPERATION_WIDTH,
                "operation name too long: {}",
                row.operation
            );
            if row.resource != last_resource {
                if !last_resource.is_empty() {
                    out.push('\n');
                }
                last_resource = row.resource;
            }
            let mut line = format!(
                "{:<RESOURCE_WIDTH$} {:<SCENARIO_WIDTH$} {:<OPERATION_WIDTH$}",
                row.resource, row.scenario, row.operation
            );
            for (caller, cell) in CALLERS.iter().zip(&row.cells) {
                write!(line, " {cell:<width$}", width = caller.len()).unwrap();
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

mod co_hosted;

/// The organizations, people and callers shared by every scenario.
struct Cast {
    owner_org: String,
    member_org: String,
    outsider_org: String,
    ivo: String,
    coordinator_person: String,
    member_person: String,
    participant_person: String,
    member_user: String,
    /// A contact person (no account) of the member organization.
    contact_person: String,
    /// Per caller, an organization to add as a member.
    new_members: Vec<String>,
    /// Per caller, a person to add as a participant.
    new_participants: Vec<String>,
}

/// One network world and the ids in it.
struct Net {
    spec: &'static NetSpec,
    network: String,
    membership: String,
    participation: String,
    meeting: String,
    second_meeting: String,
    agenda_item: String,
    action_item: String,
    theme: String,
    series: String,
}

/// One dialogue world and the ids in it.
struct Dialogue {
    spec: &'static DialogueSpec,
    id: String,
    finding: String,
    follow_up: String,
}

fn str_of(v: &Value) -> String {
    v.as_str().expect("a string").to_string()
}

/// The first Friday after today.
fn next_friday() -> NaiveDate {
    let mut day = Utc::now().date_naive() + TimeDelta::days(1);
    while day.weekday() != chrono::Weekday::Fri {
        day += TimeDelta::days(1);
    }
    day
}

async fn cast(app: &TestApp) -> (Cast, Vec<Option<String>>) {
    let owner_org = app
        .organization("Göteborgsregionen", "regional_association")
        .await;
    let member_org = app.organization("Partille kommun", "municipality").await;
    let outsider_org = app.organization("Malmö stad", "municipality").await;
    let ivo = app
        .organization("Inspektionen för vård och omsorg", "supervisory_authority")
        .await;
    let (coordinator_user, coordinator) = app
        .user("cecilia.axelsson@goteborgsregionen.se", Some(&owner_org))
        .await;
    let (member_user, member) = app
        .user("jessica.svanstrom@partille.se", Some(&member_org))
        .await;
    let (participant_user, participant) = app.user("gustav.kastberg@kfi.se", None).await;
    let (_, outsider) = app
        .user("anna.andersson@malmo.se", Some(&outsider_org))
        .await;
    let (_, inspector) = app.user("yvonne.berneke@ivo.se", Some(&ivo)).await;
    let read_token = str_of(
        &app.post("/api/v1/me/api-tokens")
            .token(&coordinator)
            .json(json!({"name": "matrix", "scopes": ["read"]}))
            .send()
            .await
            .expect(201)
            .json["token"],
    );
    let contact_person = app
        .person(
            "Karin Lindqvist",
            "karin.lindqvist@partille.se",
            Some(&member_org),
        )
        .await;
    let mut new_members = Vec::new();
    for name in NEW_MEMBERS {
        new_members.push(app.organization(name, "municipality").await);
    }
    let mut new_participants = Vec::new();
    for (name, email) in NEW_PARTICIPANTS {
        new_participants.push(app.person(name, email, None).await);
    }
    let tokens = vec![
        Some(app.admin_token.clone()),
        Some(coordinator),
        Some(member),
        Some(participant),
        Some(outsider),
        None,
        Some(read_token),
        Some(inspector),
    ];
    let cast = Cast {
        owner_org,
        member_org,
        outsider_org,
        ivo,
        coordinator_person: str_of(&coordinator_user["person_id"]),
        member_person: str_of(&member_user["person_id"]),
        participant_person: str_of(&participant_user["person_id"]),
        member_user: str_of(&member_user["id"]),
        contact_person,
        new_members,
        new_participants,
    };
    (cast, tokens)
}

async fn network_world(m: &Matrix<'_>, c: &Cast, spec: &'static NetSpec) -> Net {
    let app = m.app;
    let coordinator = m.token(COORDINATOR);
    let word = spec.word;
    let network = app
        .post("/api/v1/networks")
        .token(coordinator)
        .json(json!({
            "name": format!("Matrisnätverk {word}"),
            "description": "Nätverk för chefer inom individ- och familjeomsorgen i Göteborgsregionen.",
            "owner_organization_id": c.owner_org,
            "focus_areas": ["ekonomiskt bistånd", "missbruk"],
            "cadence": "1–2 gånger per termin",
            "visibility": spec.network,
        }))
        .send()
        .await
        .expect(201)
        .id();
    let membership = app
        .post(&format!("/api/v1/networks/{network}/members"))
        .token(coordinator)
        .json(json!({"organization_id": c.member_org, "joined_on": "2019-01-01"}))
        .send()
        .await
        .expect(201)
        .id();
    let participation = app
        .post(&format!("/api/v1/networks/{network}/participants"))
        .token(coordinator)
        .json(json!({"person_id": c.participant_person, "role": "member"}))
        .send()
        .await
        .expect(201)
        .id();
    let meeting = app
        .post("/api/v1/meetings")
        .token(coordinator)
        .json(json!({
            "network_id": network,
            "title": format!("Matrismöte {word}"),
            "starts_at": "2025-05-08T09:00",
            "ends_at": "2025-05-08T12:00",
            "mode": "digital",
            "location": "Teams",
            "online_url": "https://teams.microsoft.com/l/meetup-join/matrismote",
            "status": "held",
            "visibility": spec.meeting,
        }))
        .send()
        .await
        .expect(201)
        .id();
    let agenda_item = app
        .post(&format!("/api/v1/meetings/{meeting}/agenda-items"))
        .token(coordinator)
        .json(json!({"title": "Information från GR", "duration_minutes": 30}))
        .send()
        .await
        .expect(201)
        .id();
    app.put(&format!(
        "/api/v1/meetings/{meeting}/attendees/{}",
        c.member_person
    ))
    .token(coordinator)
    .json(json!({"organization_id": c.member_org, "role": "participant", "attendance": "present"}))
    .send()
    .await
    .expect(201);
    let mut minutes = json!({
        "recorded_by": [c.coordinator_person],
        "approvers": [c.member_person],
        "sections": [{
            "agenda_item_id": agenda_item,
            "heading": "Information från GR",
            "notes": format!("Arbete för gemensam uppföljning ({word}) av hur covid-19 har påverkat ekonomiskt bistånd pågår."),
            "decisions": ["GR sammanställer uppföljningen till nästa möte."],
            "action_items": [{
                "title": format!("Matrisuppdrag {word}: sammanställ erfarenheter av distansarbete"),
                "owner_person_id": c.member_person,
                "owner_organization_id": c.member_org,
                "due_on": "2025-06-01",
                "addressee_organization_ids": [c.member_org],
            }],
        }],
    });
    if let Some(visibility) = spec.minutes {
        minutes["visibility"] = json!(visibility);
    }
    let written = app
        .put(&format!("/api/v1/meetings/{meeting}/minutes"))
        .token(coordinator)
        .json(minutes)
        .send()
        .await
        .expect(201);
    let action_item = str_of(&written.json["sections"][0]["action_items"][0]["id"]);
    let second_meeting = app
        .post("/api/v1/meetings")
        .token(coordinator)
        .json(json!({
            "network_id": network,
            "title": format!("Uppföljningsmöte {word}"),
            "starts_at": "2025-09-11T09:00",
            "ends_at": "2025-09-11T11:00",
            "mode": "in_person",
            "location": "Göteborgsregionen, Anders Personsgatan 8",
        }))
        .send()
        .await
        .expect(201)
        .id();
    let mut theme = json!({
        "title": format!("Matristema {word}: krishantering för chefer"),
        "description": "Erfarenhetsutbyte efter den första krisen.",
        "network_id": network,
        "target_period": "HT 2025",
        "tags": ["kris", "ledarskap"],
    });
    if let Some(visibility) = spec.theme {
        theme["visibility"] = json!(visibility);
    }
    let theme = app
        .post("/api/v1/themes")
        .token(m.token(MEMBER))
        .json(theme)
        .send()
        .await
        .expect(201)
        .id();
    let mut series = json!({
        "network_id": network,
        "title": format!("Matrisserie {word}: lägesavstämning med utförare"),
        "frequency": "weekly",
        "weekday": "friday",
        "start_time": "09:00",
        "duration_minutes": 60,
        "starts_on": next_friday(),
        "kind": "status_briefing",
        "online_url": "https://teams.microsoft.com/l/meetup-join/fredagsmote",
    });
    if let Some(visibility) = spec.series {
        series["visibility"] = json!(visibility);
    }
    let series = app
        .post("/api/v1/meeting-series")
        .token(coordinator)
        .json(series)
        .send()
        .await
        .expect(201)
        .id();
    Net {
        spec,
        network,
        membership,
        participation,
        meeting,
        second_meeting,
        agenda_item,
        action_item,
        theme,
        series,
    }
}

async fn dialogue_world(m: &Matrix<'_>, c: &Cast, spec: &'static DialogueSpec) -> Dialogue {
    let app = m.app;
    let inspector = m.token(INSPECTOR);
    let word = spec.word;
    let created = app
        .post("/api/v1/supervisory-dialogues")
        .token(inspector)
        .json(json!({
            "title": format!("Matrisdialog {word} med socialchefer om socialtjänstinsatser under covid-19"),
            "supervising_organization_id": c.ivo,
            "supervision_name": "Nationell tillsyn av förändringar i socialtjänstinsatser",
            "period_start": "2020-10-01",
            "period_end": "2021-03-31",
            "held_on": "2021-05-20",
            "mode": "digital",
            "participant_organization_ids": [c.member_org],
            "focus_questions": [
                "Hur har kommunen säkerställt kontakten med enskilda vid förändrade insatser?"
            ],
            "findings": [{
                "category": "kvalitet",
                "text": "Kommunerna har kommit olika långt med att säkerställa god kvalitet och säkerhet."
            }],
            "lessons_learned": [format!(
                "Lärdom {word}: en tydlig organisation som fungerar i vardagen underlättar i en kris."
            )],
            "recommendations": [
                "Kontakten med enskilda behöver ske hela vägen – inför, under och efter förändringen."
            ],
            "follow_ups": [{
                "description": "Återföra lärdomar från tillsynen till kommunerna",
                "responsible_organization_id": c.ivo,
                "due_on": "2021-11-30"
            }],
            "status": "held",
            "visibility": spec.visibility,
        }))
        .send()
        .await
        .expect(201);
    let id = created.id();
    if spec.publish {
        app.post(&format!("/api/v1/supervisory-dialogues/{id}/publish"))
            .token(inspector)
            .send()
            .await
            .expect(200);
    }
    Dialogue {
        spec,
        id,
        finding: str_of(&created.json["findings"][0]["id"]),
        follow_up: str_of(&created.json["follow_ups"][0]["id"]),
    }
}

/// `q=word`, percent-encoded (the words have å, ä and ö).
fn q(word: &str) -> String {
    serde_urlencoded::to_string([("q", word)]).expect("a query string")
}

const SINCE: &str = "modified_since=2000-01-01T00:00:00Z";

async fn read_network(m: &mut Matrix<'_>, c: &Cast, n: &Net) {
    let word = n.spec.word;
    let net = format!("/api/v1/networks/{}", n.network);
    let meeting = format!("/api/v1/meetings/{}", n.meeting);
    let second = format!("/api/v1/meetings/{}", n.second_meeting);
    let (meetings, actions) = (
        "/api/v1/meetings?limit=200",
        "/api/v1/action-items?limit=200",
    );
    let series = format!("/api/v1/meeting-series/{}", n.series);
    let (themes, all_series) = (
        "/api/v1/themes?limit=200",
        "/api/v1/meeting-series?limit=200",
    );
    let uid = format!("UID:{}@samverkan", n.meeting);
    let markdown = Probe::new(Method::GET, format!("{meeting}/minutes")).accept("text/markdown");
    let pdf = Probe::new(Method::GET, format!("{meeting}/minutes")).accept("application/pdf");
    let html = Probe::new(Method::GET, format!("{meeting}/minutes")).accept("text/html");
    let search = |kind: &str| format!("/api/v1/search?limit=50&kind={kind}&{}", q(word));
    let open_items = format!("{second}/open-action-items");
    let lines: Vec<Line> = lines![
        "network", "GET" => get(&net), status();
        "network", "in list" => get("/api/v1/networks?limit=200"), listed(&n.network);
        "network", "in list ?q=" => get(format!("/api/v1/networks?limit=200&{}", q(word))), listed(&n.network);
        "network", "in list ?modified_since=" => get(format!("/api/v1/networks?limit=200&{SINCE}")), listed(&n.network);
        "network", "members GET" => get(format!("{net}/members")), status();
        "network", "participants GET" => get(format!("{net}/participants")), status();
        "network", "participation report GET" => get(format!("{net}/participation")), status();
        "network", "participation report: meetings_held" => get(format!("{net}/participation")), number("meetings_held");
        "network", "calendar.ics GET" => get(format!("{net}/calendar.ics?from=2000-01-01")), status();
        "network", "calendar.ics has the meeting's UID" => get(format!("{net}/calendar.ics?from=2000-01-01")), contains(uid);
        "meeting", "GET" => get(&meeting), status();
        "meeting", "in list" => get(meetings), listed(&n.meeting);
        "meeting", "in list ?network_id=" => get(format!("{meetings}&network_id={}", n.network)), listed(&n.meeting);
        "meeting", "in list ?q=" => get(format!("{meetings}&{}", q(word))), listed(&n.meeting);
        "meeting", "in list ?modified_since=" => get(format!("{meetings}&{SINCE}")), listed(&n.meeting);
        "meeting", "GET shows online_url" => get(&meeting), shown("online_url");
        "meeting", "ical GET" => get(format!("{meeting}/ical")), status();
        "meeting", "agenda items GET" => get(format!("{meeting}/agenda-items")), status();
        "meeting", "attendees GET" => get(format!("{meeting}/attendees")), status();
        "meeting", "2nd meeting GET" => get(&second), status();
        "meeting", "2nd meeting open-action-items has it" => get(open_items), listed(&n.action_item);
        "minutes", "GET" => get(format!("{meeting}/minutes")), status();
        "minutes", "GET Accept: text/markdown" => all(markdown), status();
        "minutes", "GET Accept: application/pdf" => all(pdf), status();
        "minutes", "GET Accept: text/html" => all(html), status();
        "action-item", "GET" => get(format!("/api/v1/action-items/{}", n.action_item)), status();
        "action-item", "in list ?network_id=" => get(format!("{actions}&network_id={}", n.network)), listed(&n.action_item);
        "action-item", "in list ?q=" => get(format!("{actions}&{}", q(word))), listed(&n.action_item);
        "action-item", "in list ?modified_since=" => get(format!("{actions}&{SINCE}")), listed(&n.action_item);
        "action-item", "in list ?mine=true" => get(format!("{actions}&mine=true")), listed(&n.action_item);
        "action-item", "in list ?addressee_organization_id=" => get(format!("{actions}&addressee_organization_id={}", c.member_org)), listed(&n.action_item);
        "search", "finds the meeting" => get(search("meeting")), listed(&n.meeting);
        "search", "finds the minutes" => get(search("minutes")), listed_by("meeting_id", &n.meeting);
        "search", "finds the action item" => get(search("action_item")), listed(&n.action_item);
        "search", "finds the theme" => get(search("theme")), listed(&n.theme);
        "theme", "GET" => get(format!("/api/v1/themes/{}", n.theme)), status();
        "theme", "in list" => get(themes), listed(&n.theme);
        "theme", "in list ?q=" => get(format!("{themes}&{}", q(word))), listed(&n.theme);
        "theme", "in list ?modified_since=" => get(format!("{themes}&{SINCE}")), listed(&n.theme);
        "series", "GET" => get(&series), status();
        "series", "GET shows online_url" => get(&series), shown("online_url");
        "series", "in list" => get(all_series), listed(&n.series);
        "series", "meetings GET" => get(format!("{series}/meetings?limit=200")), status();
        "series", "meetings GET lists any" => get(format!("{series}/meetings?limit=200")), any_listed();
    ];
    m.ask(n.spec.name, lines).await;
}

async fn read_dialogue(m: &mut Matrix<'_>, d: &Dialogue) {
    let path = format!("/api/v1/supervisory-dialogues/{}", d.id);
    let list = "/api/v1/supervisory-dialogues?limit=200";
    let lessons = "/api/v1/supervisory-dialogues/lessons?limit=200";
    let lines: Vec<Line> = lines![
        "dialogue", "GET" => get(&path), status();
        "dialogue", "in list" => get(list), listed(&d.id);
        "dialogue", "in list ?q=" => get(format!("{list}&{}", q(d.spec.word))), listed(&d.id);
        "dialogue", "search finds it" => get(format!("/api/v1/search?limit=50&kind=supervisory_dialogue&{}", q(d.spec.word))), listed(&d.id);
        "dialogue", "in list ?modified_since=" => get(format!("{list}&{SINCE}")), listed(&d.id);
        "dialogue", "findings GET" => get(format!("{path}/findings")), status();
        "dialogue", "follow-ups GET" => get(format!("{path}/follow-ups")), status();
        "dialogue", "lesson in /lessons" => get(lessons), listed_by("dialogue_id", &d.id);
    ];
    m.ask(d.spec.name, lines).await;
}

async fn read_global(m: &mut Matrix<'_>, c: &Cast) {
    let lines: Vec<Line> = lines![
        "organization", "list GET" => get("/api/v1/organizations?limit=200"), status();
        "organization", "GET (Partille kommun)" => get(format!("/api/v1/organizations/{}", c.member_org)), status();
        "person", "list GET" => get("/api/v1/people?limit=200"), status();
        "person", "GET (Partille contact)" => get(format!("/api/v1/people/{}", c.contact_person)), status();
        "person", "GET (the member's person)" => get(format!("/api/v1/people/{}", c.member_person)), status();
        "user", "list GET" => get("/api/v1/users?limit=200"), status();
        "user", "GET (the member's user)" => get(format!("/api/v1/users/{}", c.member_user)), status();
        "audit", "list GET" => get("/api/v1/audit-events?limit=200"), status();
        "api-token", "own list GET" => get("/api/v1/me/api-tokens"), status();
        "api-token", "own list: count" => get("/api/v1/me/api-tokens"), count();
    ];
    m.ask("-", lines).await;
}

async fn write_network(m: &mut Matrix<'_>, c: &Cast, n: &Net) {
    let net = format!("/api/v1/networks/{}", n.network);
    let membership = format!("{net}/members/{}", n.membership);
    let participation = format!("{net}/participants/{}", n.participation);
    let meeting = format!("/api/v1/meetings/{}", n.meeting);
    let item = format!("{meeting}/agenda-items/{}", n.agenda_item);
    let attendees = format!("{meeting}/attendees");
    let attendee = format!("{attendees}/{}", c.member_person);
    let present =
        json!({"organization_id": c.member_org, "role": "participant", "attendance": "present"});
    let mut listed_present = present.clone();
    listed_present["person_id"] = json!(c.member_person);
    let minutes = json!({
        "recorded_by": [c.coordinator_person],
        "approvers": [c.member_person],
        "sections": [{"heading": "Information från GR", "notes": "Ändrad anteckning."}],
    });
    let action_item = format!("/api/v1/action-items/{}", n.action_item);
    let theme = format!("/api/v1/themes/{}", n.theme);
    let series = format!("/api/v1/meeting-series/{}", n.series);
    let new_member =
        |i: usize| json!({"organization_id": c.new_members[i], "joined_on": "2025-01-01"});
    let new_participant = |i: usize| json!({"person_id": c.new_participants[i], "role": "member"});
    let new_attendee = |i: usize| json!({"person_id": c.new_participants[i], "role": "guest"});
    let new_item = |i: usize| json!({"title": format!("Punkt från {}", CALLERS[i])});
    let new_meeting = |i: usize| {
        json!({
            "network_id": n.network,
            "title": format!("Extramöte från {}", CALLERS[i]),
            "starts_at": "2025-10-10T09:00",
            "ends_at": "2025-10-10T11:00",
        })
    };
    let new_series = |i: usize| {
        json!({
            "network_id": n.network,
            "title": format!("Serie från {}", CALLERS[i]),
            "frequency": "monthly",
            "weekday": "tuesday",
            "start_time": "13:00",
            "duration_minutes": 90,
            "starts_on": next_friday(),
        })
    };
    let new_theme = |i: usize, on_behalf: Option<&str>| {
        let mut theme =
            json!({"title": format!("Tema från {}", CALLERS[i]), "network_id": n.network});
        if let Some(org) = on_behalf {
            theme["proposed_by_organization_id"] = json!(org);
        }
        theme
    };
    let outsiders_theme = move |i: usize| new_theme(i, Some(&c.outsider_org));
    let lines: Vec<Line> = lines![
        // Probes that change nothing: authorization passes, then the version does not match.
        "network", "PATCH If-Match:0" => patch0(&net, json!({"cadence": "En gång per månad"})), status();
        "network", "DELETE If-Match:0" => delete0(&net), status();
        "network", "member PATCH If-Match:0" => patch0(&membership, json!({"left_on": "2030-12-31"})), status();
        "network", "member DELETE If-Match:0" => delete0(&membership), status();
        "network", "participant PATCH If-Match:0" => patch0(&participation, json!({"role": "member"})), status();
        "network", "participant DELETE If-Match:0" => delete0(&participation), status();
        "meeting", "PATCH If-Match:0" => patch0(&meeting, json!({"location": "Teams"})), status();
        "meeting", "DELETE If-Match:0" => delete0(&meeting), status();
        "meeting", "agenda item PATCH If-Match:0" => patch0(&item, json!({"title": "Information"})), status();
        "meeting", "agenda item DELETE If-Match:0" => delete0(&item), status();
        "meeting", "attendees PUT list If-Match:0" => put0(&attendees, json!([listed_present])), status();
        "meeting", "attendee PUT one If-Match:0" => put0(&attendee, present), status();
        "meeting", "attendee DELETE one If-Match:0" => delete0(&attendee), status();
        "minutes", "PUT If-Match:0" => put0(format!("{meeting}/minutes"), minutes), status();
        "action-item", "PATCH status=done If-Match:0" => patch0(&action_item, json!({"status": "done"})), status();
        "action-item", "reply PUT for Partille If-Match:0" => put0(format!("{action_item}/replies/{}", c.member_org), json!({"status": "answered", "answer": "Svar från Partille."})), status();
        "theme", "PATCH If-Match:0" => patch0(&theme, json!({"description": "Erfarenhetsutbyte."})), status();
        "theme", "DELETE If-Match:0" => delete0(&theme), status();
        "series", "PATCH If-Match:0" => patch0(&series, json!({"location": "Teams"})), status();
        "series", "DELETE If-Match:0" => delete0(&series), status();
        // Creating writes, for real, each caller with a body of its own.
        "network", "member add POST" => post_each(format!("{net}/members"), new_member), status();
        "network", "participant add POST" => post_each(format!("{net}/participants"), new_participant), status();
        "meeting", "agenda item add POST" => post_each(format!("{meeting}/agenda-items"), new_item), status();
        "meeting", "attendees POST" => post_each(&attendees, new_attendee), status();
        "meeting", "create POST /meetings in the network" => post_each("/api/v1/meetings", new_meeting), status();
        "theme", "create POST" => post_each("/api/v1/themes", move |i| new_theme(i, None)), status();
        "theme", "create POST proposed_by outsider org" => post_each("/api/v1/themes", outsiders_theme), status();
        "series", "create POST" => post_each("/api/v1/meeting-series", new_series), status();
    ];
    m.ask(n.spec.name, lines).await;
}

async fn write_dialogue(m: &mut Matrix<'_>, d: &Dialogue) {
    let path = format!("/api/v1/supervisory-dialogues/{}", d.id);
    // The deletes take a target of each caller's own, so that one caller's success
    // cannot hide another's answer.
    let (mut findings, mut follow_ups) = (Vec::new(), Vec::new());
    for caller in CALLERS {
        let finding = json!({"text": format!("Fynd att ta bort ({caller})")});
        let follow_up = json!({"description": format!("Uppföljning att ta bort ({caller})")});
        for (kind, body, ids) in [
            ("findings", finding, &mut findings),
            ("follow-ups", follow_up, &mut follow_ups),
        ] {
            let res = m
                .app
                .post(&format!("{path}/{kind}"))
                .token(m.token(INSPECTOR))
                .json(body)
                .send()
                .await;
            ids.push(res.expect(201).id());
        }
    }
    let finding = format!("{path}/findings/{}", d.finding);
    let follow_up = format!("{path}/follow-ups/{}", d.follow_up);
    let own = |kind: &'static str, ids: Vec<String>| {
        let path = path.clone();
        each(move |i| Probe::new(Method::DELETE, format!("{path}/{kind}/{}", ids[i])).stale())
    };
    let new_finding =
        |i: usize| json!({"category": "samverkan", "text": format!("Fynd från {}", CALLERS[i])});
    let new_follow_up = |i: usize| json!({"description": format!("Uppföljning från {}", CALLERS[i]), "due_on": "2026-11-30"});
    let lines: Vec<Line> = lines![
        "dialogue", "PATCH If-Match:0" => patch0(&path, json!({"status": "follow_up"})), status();
        "dialogue", "DELETE If-Match:0" => delete0(&path), status();
        "dialogue", "finding PATCH If-Match:0" => patch0(&finding, json!({"text": "Olika långt."})), status();
        "dialogue", "follow-up PATCH If-Match:0" => patch0(&follow_up, json!({"description": "Återföra"})), status();
        "dialogue", "finding DELETE If-Match:0 (own)" => own("findings", findings), status();
        "dialogue", "follow-up DELETE If-Match:0 (own)" => own("follow-ups", follow_ups), status();
        "dialogue", "finding add POST" => post_each(format!("{path}/findings"), new_finding), status();
        "dialogue", "follow-up add POST" => post_each(format!("{path}/follow-ups"), new_follow_up), status();
    ];
    m.ask(d.spec.name, lines).await;
}

async fn write_global(m: &mut Matrix<'_>, c: &Cast) {
    let dialogues = "/api/v1/supervisory-dialogues";
    let supervision = "Nationell tillsyn av förändringar i socialtjänstinsatser";
    let valid = |i: usize| {
        json!({
            "title": format!("Tillsynsdialog från {}", CALLERS[i]),
            "supervising_organization_id": c.ivo,
            "supervision_name": supervision,
            "participant_organization_ids": [c.member_org],
            "status": "planned",
        })
    };
    let invalid =
        json!({"title": "", "supervising_organization_id": c.ivo, "supervision_name": supervision});
    let org = format!("/api/v1/organizations/{}", c.member_org);
    let person = format!("/api/v1/people/{}", c.contact_person);
    let user = format!("/api/v1/users/{}", c.member_user);
    let lines: Vec<Line> = lines![
        "dialogue", "create POST (valid body)" => post_each(dialogues, valid), status();
        "dialogue", "create POST (invalid body: title \"\")" => post(dialogues, invalid), status();
        "organization", "PATCH If-Match:0 (Partille kommun)" => patch0(&org, json!({"short_name": "Partille"})), status();
        "organization", "DELETE If-Match:0 (Partille kommun)" => delete0(&org), status();
        "person", "PATCH If-Match:0 (Partille contact)" => patch0(&person, json!({"phone": "031-792 10 00"})), status();
        "person", "DELETE If-Match:0 (Partille contact)" => delete0(&person), status();
        "user", "PATCH If-Match:0 (the member's user)" => patch0(&user, json!({"display_name": "Jessica"})), status();
        "user", "DELETE If-Match:0 (the member's user)" => delete0(&user), status();
    ];
    m.ask("-", lines).await;
}

/// State transitions: last, callers in column order.
async fn transitions(m: &mut Matrix<'_>, n: &Net) {
    let minutes = format!("/api/v1/meetings/{}/minutes", n.meeting);
    let support = format!("/api/v1/themes/{}/support", n.theme);
    let pause = format!("/api/v1/meeting-series/{}/pause", n.series);
    let lines: Vec<Line> = lines![
        "theme", "support POST (in caller order)" => post_empty(support), status();
        "minutes", "approve POST while draft" => post_empty(format!("{minutes}/approve")), status();
        "minutes", "submit POST (in caller order)" => post_empty(format!("{minutes}/submit")), status();
        "series", "pause POST (in caller order)" => post(pause, json!({"reason": "Sommaruppehåll"})), status();
    ];
    m.ask(n.spec.name, lines).await;
}

/// At most `limit` differing lines of a line diff (longest common subsequence).
fn line_diff(expected: &str, actual: &str, limit: usize) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut shown, mut total) = (0, 0);
    let mut out = String::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        total += 1;
        let removed = i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]);
        if removed {
            if shown < limit {
                writeln!(out, "- expected {:>4}: {}", i + 1, a[i]).unwrap();
                shown += 1;
            }
            i += 1;
        } else {
            if shown < limit {
                writeln!(out, "+ actual   {:>4}: {}", j + 1, b[j]).unwrap();
                shown += 1;
            }
            j += 1;
        }
    }
    if total > shown {
        writeln!(out, "... and {} more differing lines", total - shown).unwrap();
    }
    out
}

fn compare_with_snapshot(actual: &str, backend: common::Backend) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/access_matrix.txt"
    );
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        let dir = std::path::Path::new(path).parent().expect("a directory");
        std::fs::create_dir_all(dir).expect("create tests/snapshots");
        // Written whole and renamed, so the other backend never reads half a file.
        let temp = dir.join(format!("access_matrix.txt.{backend:?}.tmp"));
        std::fs::write(&temp, actual).expect("write the snapshot");
        std::fs::rename(&temp, path).expect("move the snapshot in place");
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("no snapshot at {path} ({e}); create it with UPDATE_SNAPSHOTS=1")
    });
    if expected != actual {
        let header = actual
            .lines()
            .find(|l| l.starts_with("resource "))
            .unwrap_or_default();
        panic!(
            "the access matrix on {backend:?} differs from {path}.\n\
             If the change is deliberate, rerun with UPDATE_SNAPSHOTS=1 and commit the diff.\n\n\
             {:17}{header}\n{}",
            "",
            line_diff(&expected, actual, 40)
        );
    }
}

async fn access_matrix(app: &TestApp) {
    let (cast, tokens) = cast(app).await;
    let mut m = Matrix {
        app,
        tokens,
        rows: Vec::new(),
    };
    // Every token works, with the role the header says.
    for (caller, expected) in [
        (ADMIN, "admin"),
        (MEMBER, "user"),
        (PARTICIPANT, "user"),
        (OUTSIDER, "user"),
        (READ_TOKEN, "user"),
    ] {
        let me = app
            .get("/api/v1/me")
            .token(m.token(caller))
            .send()
            .await
            .expect(200);
        assert_eq!(me.json["role"], expected, "{}", CALLERS[caller]);
    }

    let mut nets = Vec::new();
    for spec in &NETWORKS {
        nets.push(network_world(&m, &cast, spec).await);
    }
    let shared = co_hosted::world(&m, &cast).await;
    let mut dialogues = Vec::new();
    for spec in &DIALOGUES {
        dialogues.push(dialogue_world(&m, &cast, spec).await);
    }

    // Reads first, so that no write disturbs them.
    for n in &nets {
        read_network(&mut m, &cast, n).await;
    }
    co_hosted::read(&mut m, &shared).await;
    for d in &dialogues {
        read_dialogue(&mut m, d).await;
    }
    read_global(&mut m, &cast).await;

    // Then writes: probes that change nothing, then real creations.
    for n in &nets {
        write_network(&mut m, &cast, n).await;
    }
    co_hosted::write(&mut m, &cast, &shared).await;
    for d in &dialogues {
        write_dialogue(&mut m, d).await;
    }
    write_global(&mut m, &cast).await;

    // Last, state transitions.
    for n in &nets {
        transitions(&mut m, n).await;
    }

    let table = m.render();
    compare_with_snapshot(&table, app.backend);
}

db_test! {
    async fn access_matrix_snapshot(app) {
        access_matrix(&app).await;
    }
}

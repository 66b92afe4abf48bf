//! Seed 001 built end to end through the API: the IFO chiefs' network of
//! Göteborgsregionen meets over Teams on 8 May 2020 — 13 people, five agenda items.

use serde_json::json;

const PRESENT: [(&str, &str); 13] = [
    ("Juan Navas", "Tjörns kommun"),
    ("Iréne Blomqvist", "Ale kommun"),
    ("Jessica Svanström", "Partille kommun"),
    ("Helen Holmström", "Göteborgs Stad"),
    ("Jörgen Larzon", "Göteborgs Stad"),
    ("Iréne Jansson", "Mölndals stad"),
    ("Robert Rydqvist", "Stenungsunds kommun"),
    ("Susanne Grabe", "Härryda kommun"),
    ("Maria Enbuske", "Lerums kommun"),
    ("Britta Timan", "Göteborgs Stad"),
    ("Marie Christiansson", "Kungsbacka kommun"),
    ("Cecilia Axelsson", "Göteborgsregionen"),
    ("Nicholas Singleton", "Göteborgsregionen"),
];

const AGENDA: [&str; 5] = [
    "Mötet inleds",
    "Gruppdialog – erfarenheter av pågående situation",
    "Information från GR",
    "Nästa möte i höst",
    "Utcheckning och erfarenheter av webbmöte",
];

fn ascii(name: &str) -> String {
    name.to_lowercase()
        .replace(['å', 'ä'], "a")
        .replace('ö', "o")
        .replace('é', "e")
        .replace(' ', ".")
}

db_test! {
    async fn the_may_2020_network_meeting(app) {
        let gr = app.organization("Göteborgsregionen", "regional_association").await;
        let (_, cecilia) = app.user("cecilia.axelsson@goteborgsregionen.se", Some(&gr)).await;
        app.patch("/api/v1/me").token(&cecilia).json(json!({"display_name": "Cecilia Axelsson"})).send().await.expect(200);
        let network = app.post("/api/v1/networks").token(&cecilia)
            .json(json!({
                "name": "Nätverket för IFO-chefer",
                "owner_organization_id": gr,
                "focus_areas": ["ekonomiskt bistånd", "missbruk", "våld i nära relationer", "VFU socionomer"],
                "cadence": "2 gånger per termin",
                "visibility": "restricted"
            }))
            .send().await.expect(201).id();

        let mut organizations = std::collections::BTreeMap::new();
        organizations.insert("Göteborgsregionen", gr.clone());
        let mut people = Vec::new();
        for (name, org_name) in PRESENT {
            let org = match organizations.get(org_name) {
                Some(id) => id.clone(),
                None => {
                    let id = app.organization(org_name, "municipality").await;
                    app.post(&format!("/api/v1/networks/{network}/members")).token(&cecilia)
                        .json(json!({"organization_id": id})).send().await.expect(201);
                    organizations.insert(org_name, id.clone());
                    id
                }
            };
            let email = format!("{}@example.se", ascii(name));
            let person = if name == "Cecilia Axelsson" {
                app.get("/api/v1/me").token(&cecilia).send().await.expect(200).json["person_id"].as_str().unwrap().to_string()
            } else {
                app.post("/api/v1/people").token(&cecilia)
                    .json(json!({"name": name, "email": email, "organization_id": org}))
                    .send().await.expect(201).id()
            };
            people.push((name, person, org));
        }
        assert_eq!(organizations.len(), 10, "nine municipalities and the regional body");

        let meeting = app.post("/api/v1/meetings").token(&cecilia)
            .header("Idempotency-Key", "ifo-2020-05-08")
            .json(json!({
                "network_id": network,
                "title": "Nätverket för IFO-chefer",
                "starts_at": "2020-05-08T09:00",
                "ends_at": "2020-05-08T12:00",
                "mode": "digital",
                "location": "Mötet genomförs digitalt, genom länk på Teams",
                "online_url": "https://teams.microsoft.com/l/meetup-join/ifo-chefer"
            }))
            .send().await.expect(201);
        let m = meeting.id();
        assert_eq!(meeting.json["starts_at"], "2020-05-08T09:00:00+02:00");
        for title in AGENDA {
            app.post(&format!("/api/v1/meetings/{m}/agenda-items")).token(&cecilia).json(json!({"title": title})).send().await.expect(201);
        }
        let attendance: Vec<_> = people.iter().map(|(name, person, org)| json!({
            "person_id": person,
            "organization_id": org,
            "role": match *name { "Cecilia Axelsson" => "chair", "Nicholas Singleton" => "note_taker", _ => "participant" },
            "attendance": "present"
        })).collect();
        app.put(&format!("/api/v1/meetings/{m}/attendees")).token(&cecilia).json(json!(attendance)).send().await.expect(200);
        app.patch(&format!("/api/v1/meetings/{m}")).token(&cecilia).json(json!({"status": "held"})).send().await.expect(200);

        // What a member from Partille sees.
        let (_, jessica) = app.user("jessica.s@partille.se", Some(&organizations["Partille kommun"])).await;
        app.patch("/api/v1/me").token(&jessica).json(json!({"display_name": "Jessica Svanström"})).send().await.expect(200);
        let got = app.get(&format!("/api/v1/meetings/{m}")).token(&jessica).send().await.expect(200);
        assert_eq!(got.json["status"], "held");
        assert_eq!(got.json["online_url"], "https://teams.microsoft.com/l/meetup-join/ifo-chefer");
        let agenda = app.get(&format!("/api/v1/meetings/{m}/agenda-items")).token(&jessica).send().await.expect(200);
        let titles: Vec<&str> = agenda.json["data"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
        assert_eq!(titles, AGENDA);
        let attendees = app.get(&format!("/api/v1/meetings/{m}/attendees")).token(&jessica).send().await.expect(200);
        let names: Vec<&str> = attendees.json["data"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert_eq!(names.len(), 13);
        assert!(names.contains(&"Iréne Blomqvist") && names.contains(&"Jörgen Larzon"));
        let gbg = &organizations["Göteborgs Stad"];
        let from_gbg = attendees.json["data"].as_array().unwrap().iter().filter(|a| a["organization_id"] == gbg.as_str()).count();
        assert_eq!(from_gbg, 3);

        // Every municipality took part in the one meeting held.
        let report = app.get(&format!("/api/v1/networks/{network}/participation?from=2020-01-01&to=2020-06-30")).token(&jessica).send().await.expect(200);
        assert_eq!(report.json["meetings_held"], 1);
        let rows = report.json["organizations"].as_array().unwrap();
        assert_eq!(rows.len(), 9);
        assert!(rows.iter().all(|r| r["share"] == 1.0));

        // A neighbouring municipality outside the network does not see it.
        let (_, outsider) = app.user("someone@boras.se", None).await;
        app.get(&format!("/api/v1/meetings/{m}")).token(&outsider).send().await.expect(404);
        // Its calendar entry for members.
        let ics = app.get(&format!("/api/v1/meetings/{m}/ical")).token(&jessica).send().await.expect(200);
        assert!(ics.text.contains("SUMMARY:Nätverket för IFO-chefer"));

        // The minutes: written by GR, approved by Partille, exported as a protocol.
        let person = |name: &str| people.iter().find(|(n, _, _)| *n == name).unwrap().1.clone();
        let jessica_person = app.get("/api/v1/me").token(&jessica).send().await.expect(200).json["person_id"].as_str().unwrap().to_string();
        let agenda_ids: Vec<String> = agenda.json["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect();
        let notes = [
            "Inledning och kort introduktion till mötet som på grund av rådande situation genomförs via Teams.",
            "Dialog utifrån särskilt angelägna frågor i nuläget samt genom en blick framåt.\n\n- Bemanningsmässigt har det varit stabilt i verksamheterna.\n- Den digitala utvecklingen har gått snabbt under våren.",
            "**Uppföljning Ekonomiskt bistånd** – Arbete för gemensam uppföljning av hur Covid-19 har påverkat ekonomiskt bistånd pågår.",
            "Dialog kring vilka frågor nätverket önskar fokusera på under hösten.",
            "Kort utvärdering av mötet. Nätverket anser att det har fungerat bra med Teams.",
        ];
        let sections: Vec<_> = AGENDA.iter().enumerate().map(|(i, title)| {
            let mut s = json!({"agenda_item_id": agenda_ids[i], "heading": title, "notes": notes[i]});
            if i == 1 {
                s["action_items"] = json!([{"title": "Skicka ut VGR:s dokument om att jobba i kris till nätverket", "owner_person_id": person("Cecilia Axelsson"), "owner_organization_id": gr, "due_on": "2020-05-15"}]);
            }
            if i == 2 {
                s["information_items"] = json!([
                    {"title": "Uppföljning Ekonomiskt bistånd", "text": "Arbete för gemensam uppföljning av hur Covid-19 har påverkat ekonomiskt bistånd pågår i dialog med enhetscheferna inom GR.", "organization_id": gr},
                    {"title": "Utförarregister – förstudie", "text": "Intervjuer med chefer från kommunerna har inletts. En sammanställning skickas ut i nästa vecka.", "organization_id": gr},
                    {"title": "Mötesplats IFO 20 nov", "text": "Planerar för genomförande som vanligt.", "organization_id": gr}
                ]);
                // "tacksam för snabba svar till Nicholas": one request to every member.
                s["action_items"] = json!([{"title": "Snabba svar till Nicholas om Yrkesresan – utförare", "owner_person_id": person("Nicholas Singleton"), "addressed_to_members": true}]);
            }
            if i == 3 {
                s["decisions"] = json!(["Gustav Kastberg bjuds in till den 20 november kl 11–12, gemensamt med barn och unga-nätverket."]);
            }
            s
        }).collect();
        app.put(&format!("/api/v1/meetings/{m}/minutes")).token(&cecilia)
            .json(json!({"document_type": "protocol", "recorded_by": [person("Nicholas Singleton"), person("Cecilia Axelsson")], "approvers": [jessica_person], "sections": sections}))
            .send().await.expect(201);
        app.post(&format!("/api/v1/meetings/{m}/minutes/submit")).token(&cecilia).send().await.expect(200);
        app.post(&format!("/api/v1/meetings/{m}/minutes/approve")).token(&jessica).send().await.expect(200);
        app.post("/api/v1/meetings").token(&cecilia)
            .json(json!({"network_id": network, "title": "Mötesplats IFO", "starts_at": "2020-11-20T09:00", "ends_at": "2020-11-20T15:00", "mode": "in_person", "location": "Göteborg"}))
            .send().await.expect(201);
        let doc = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&jessica).header("Accept", "text/markdown").send().await.expect(200);
        assert!(doc.header("content-type").unwrap().starts_with("text/markdown"));
        let text = &doc.text;
        if std::env::var("SHOW_PROTOCOL").is_ok() {
            println!("{text}");
        }
        let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Stockholm).date_naive().to_string();
        for expected in [
            "**PROTOKOLL**\n\n# Nätverket för IFO-chefer",
            "**Datum:** 2020-05-08, 09:00–12:00",
            "**Plats:** Mötet genomförs digitalt, genom länk på Teams (digitalt)",
            "**Ordförande:** Cecilia Axelsson",
            "**Sekreterare:** Nicholas Singleton",
            "## Närvarande",
            "**Göteborgs Stad:** Britta Timan, Helen Holmström, Jörgen Larzon",
            "**Göteborgsregionen:** Cecilia Axelsson (ordförande), Nicholas Singleton (sekreterare)",
            "**Tjörns kommun:** Juan Navas",
            "## Ärenden",
            "### § 1. Mötet inleds",
            "### § 2. Gruppdialog – erfarenheter av pågående situation",
            "- Bemanningsmässigt har det varit stabilt i verksamheterna.",
            "- Skicka ut VGR:s dokument om att jobba i kris till nätverket – ansvarig: Cecilia Axelsson (Göteborgsregionen), senast 2020-05-15",
            "**Information:**\n\n- Uppföljning Ekonomiskt bistånd (Göteborgsregionen): Arbete för gemensam uppföljning",
            "- Mötesplats IFO 20 nov (Göteborgsregionen): Planerar för genomförande som vanligt.",
            "- Snabba svar till Nicholas om Yrkesresan – utförare – ansvarig: Nicholas Singleton, svar från: alla medlemsorganisationer",
            "### § 4. Nästa möte i höst",
            "**Beslut:**",
            "### § 5. Utcheckning och erfarenheter av webbmöte",
            "## Nästa möte\n\n2020-11-20, 09:00–15:00: Mötesplats IFO, Göteborg",
            "## Vid protokollet",
            "Nicholas Singleton  \nDatum:",
            "## Justeras",
        ] {
            assert!(text.contains(expected), "the protocol lacks {expected:?}:\n{text}");
        }
        assert!(text.contains(&format!("Jessica Svanström  \nDatum: {today}")), "{text}");
        assert!(text.contains(&format!("*Justerat {today}*")), "{text}");
        assert!(!text.contains("Överenskommelser"), "a protocol decides: {text}");
        let one = text.find("### § 1.").unwrap();
        let five = text.find("### § 5.").unwrap();
        assert!(one < five && text.find("## Närvarande").unwrap() < one);
        assert!(five < text.find("## Nästa möte").unwrap() && text.find("## Vid protokollet").unwrap() < text.find("## Justeras").unwrap());

        // The request reaches every member municipality: Partille sees what is asked of it,
        // answers, and GR sees who has answered. The approved minutes do not move.
        let version = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&jessica).send().await.expect(200).json["version"].clone();
        let mine = app.get("/api/v1/action-items?mine=true").token(&jessica).send().await.expect(200);
        let asked = &mine.json["data"][0];
        assert_eq!(mine.json["data"].as_array().unwrap().len(), 1, "{}", mine.json);
        assert_eq!(asked["title"], "Snabba svar till Nicholas om Yrkesresan – utförare");
        let replies = asked["replies"].as_array().unwrap();
        assert_eq!(replies.len(), 9, "the nine member organizations on the meeting's day");
        assert!(replies.iter().all(|r| r["status"] == "open"));
        let partille = &organizations["Partille kommun"];
        let url = format!("/api/v1/action-items/{}/replies/{partille}", asked["id"].as_str().unwrap());
        let answered = app.put(&url).token(&jessica).json(json!({"status": "answered", "answer": "Materialet är läst; finansieringen tas upp i ledningsgruppen."})).send().await.expect(200);
        assert_eq!(answered.json["answered_by_person_id"], jessica_person.as_str());
        let seen = app.get(&format!("/api/v1/action-items?addressee_organization_id={partille}")).token(&cecilia).send().await.expect(200);
        let by_org: Vec<(&str, &str)> = seen.json["data"][0]["replies"].as_array().unwrap().iter().map(|r| (r["organization_id"].as_str().unwrap(), r["status"].as_str().unwrap())).collect();
        assert_eq!(by_org.iter().filter(|(_, s)| *s == "answered").collect::<Vec<_>>(), vec![&(partille.as_str(), "answered")]);
        let after = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&jessica).send().await.expect(200);
        assert_eq!(after.json["version"], version, "answers never move approved minutes");
        assert_eq!(after.json["sections"][2]["action_items"][0]["addressed_to_members"], true);

        // The same protocol as a PDF/A with its fonts embedded, read back as text.
        let pdf = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&jessica).header("Accept", "application/pdf").send().await.expect(200);
        assert_eq!(pdf.header("content-type"), Some("application/pdf"));
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        let raw = String::from_utf8_lossy(&pdf.bytes);
        assert!(raw.contains("FontFile2") && raw.contains("pdfaid"), "embedded font and PDF/A identification");
        let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf.bytes).expect("a readable PDF");
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        if std::env::var("SHOW_PROTOCOL").is_ok() {
            println!("--- PDF page 1 ---\n{}", pages[0]);
        }
        let all = words(&pages.join("\n"));
        for expected in [
            "PROTOKOLL", "Nätverket för IFO-chefer", "Datum: 2020-05-08, 09:00–12:00", "Ordförande: Cecilia Axelsson",
            "Sekreterare: Nicholas Singleton", "Närvarande", "Göteborgsregionen: Cecilia Axelsson (ordförande), Nicholas Singleton (sekreterare)",
            "Tjörns kommun: Juan Navas", "§ 1. Mötet inleds", "§ 3. Information från GR", "Uppföljning Ekonomiskt bistånd (Göteborgsregionen): Arbete för gemensam uppföljning",
            "Beslut:", "Nästa möte", "2020-11-20, 09:00–15:00: Mötesplats IFO, Göteborg", "Vid protokollet", "Justeras",
            &format!("Jessica Svanström Datum: {today}"), "Sida 1 av",
        ] {
            assert!(all.contains(expected), "the PDF lacks {expected:?}:\n{all}");
        }
        assert!(!all.contains("**"), "no Markdown marks in the PDF");
        // One version is one file; its tag names the format.
        let again = app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&jessica).header("Accept", "application/pdf").send().await.expect(200);
        assert!(again.bytes == pdf.bytes, "the same version renders the same file");
        let tag = pdf.header("etag").unwrap().to_string();
        assert!(tag.contains("-pdf-"), "{tag}");
        app.get(&format!("/api/v1/meetings/{m}/minutes")).token(&jessica).header("Accept", "application/pdf").header("If-None-Match", &tag).send().await.expect(304);
    }
}

#!/usr/bin/env python3
"""Benchmark data for Samverkan: generated once as CSV files, loaded into SQLite or
PostgreSQL directly (not through HTTP).

    datagen.py generate OUT_DIR [--scale S]   writes OUT_DIR/<table>.csv, meta.json, *.ids
    datagen.py load-sqlite DB_FILE OUT_DIR    inserts the CSV files into a migrated SQLite db
    datagen.py tables OUT_DIR                 prints "table<TAB>col,col,..." in load order
                                              (run.sh feeds them to psql's \\copy)

Only the standard library. Deterministic: the same scale gives the same rows, ids
included. Ids are UUIDv7-shaped and grow with insertion order within each table (their
time part is the row's created_at, bumped by a millisecond when two rows share it), so
the API's id-ordered pages see the rows in the order they were "created".

Conventions follow the migrations and the models: lower-case hyphenated UUID text,
timestamps `YYYY-MM-DD HH:MM:SS.ffffff` UTC (read by both databases' TIMESTAMP), dates
`YYYY-MM-DD`, JSON text in list columns, `search_text` = the searchable fields folded
(NFC, lower case) and joined by "\\n", `version` 1, `deleted_at` NULL. Columns left out
keep their defaults. An empty CSV field is NULL: no generated text is empty.
"""

import csv
import datetime as dt
import json
import os
import random
import sys
import unicodedata

# --- sizes at scale 1.0 --------------------------------------------------------------
ORGS = 300
NETWORKS = 60
PEOPLE = 5000
MEETINGS = 100_000
AGENDA_PER_MEETING = 5
ATTENDEES_PER_MEETING = 10
MINUTES = 20_000
THEMES = 10_000
BENCH_ACTION_ITEMS = 200  # action items owned by the benchmark user's person
DEEP_PAGE = 2000  # the "deep page" of GET /meetings, in pages of 50

FIRST_DAY = dt.date(2016, 1, 1)
LAST_DAY = dt.date(2026, 12, 31)
# The generated world's "now": meetings before it were held, later ones are planned.
# Fixed so that the data does not depend on the day it is generated.
REF_NOW = dt.datetime(2026, 11, 20, 12, 0, 0)
EPOCH = dt.datetime(1970, 1, 1)

BENCH_EMAIL = "bench.user@example.org"
BENCH_NAME = "Bänk Testsson"

MUNICIPALITIES = [
    ("Partille", "1402"), ("Ale", "1440"), ("Tjörn", "1407"), ("Mölndal", "1481"),
    ("Stenungsund", "1415"), ("Härryda", "1401"), ("Lerum", "1441"), ("Kungsbacka", "1384"),
    ("Göteborg", "1480"), ("Alingsås", "1489"), ("Kungälv", "1482"), ("Öckerö", "1407"),
    ("Lilla Edet", "1462"), ("Ekerö", "0125"), ("Järfälla", "0123"), ("Sollentuna", "0163"),
    ("Upplands Väsby", "0114"), ("Täby", "0160"), ("Nacka", "0182"), ("Värmdö", "0120"),
    ("Södertälje", "0181"), ("Norrtälje", "0188"), ("Uppsala", "0380"), ("Enköping", "0381"),
    ("Västerås", "1980"), ("Örebro", "1880"), ("Linköping", "0580"), ("Norrköping", "0581"),
    ("Jönköping", "0680"), ("Växjö", "0780"), ("Kalmar", "0880"), ("Malmö", "1280"),
    ("Lund", "1281"), ("Helsingborg", "1283"), ("Borås", "1490"), ("Trollhättan", "1488"),
    ("Umeå", "2480"), ("Luleå", "2580"), ("Östersund", "2380"), ("Sundsvall", "2281"),
    ("Gävle", "2180"), ("Falun", "2080"), ("Karlstad", "1780"), ("Skövde", "1496"),
]
ORG_FORMS = [
    ("municipality", "{m} kommun", None),
    ("municipality", "Socialförvaltningen {m}", "SOF {m}"),
    ("municipality", "Individ- och familjeomsorgen {m}", "IFO {m}"),
    ("care_provider", "Omsorgsgruppen {m} AB", None),
    ("care_provider", "Hemtjänst Väst i {m}", None),
    ("civil_society", "Brukarföreningen i {m}", None),
    ("research_unit", "FoU-enheten {m}", "FoU {m}"),
    ("region", "Region {m}", None),
    ("regional_association", "Kommunförbundet {m}", None),
]
FIRST = ["Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Iréne", "Jessica", "Helen",
         "Susanne", "Britta", "Marie", "Cecilia", "Åsa", "Märta", "Lars", "Jörgen", "Robert",
         "Nicholas", "Juan", "Mikael", "Anders", "Johan", "Per", "Björn", "Örjan", "Göran",
         "Håkan", "Magnus", "Ulf", "Sofia", "Emma", "Linnéa", "Ingrid", "Agneta", "Kerstin"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Blomqvist", "Svanström", "Holmström",
        "Larzon", "Jansson", "Rydqvist", "Grabe", "Enbuske", "Timan", "Christiansson",
        "Axelsson", "Singleton", "Navas", "Lindström", "Åberg", "Öberg", "Ängström",
        "Söderberg", "Björklund", "Wikström", "Sjöberg", "Hellström"]
TITLES = ["Socialchef", "Enhetschef IFO", "Verksamhetsutvecklare", "Avdelningschef",
          "Förvaltningschef", "Utvecklingsledare", "Processledare", "Socialsekreterare",
          "Inspektör", "Samordnare", "Kvalitetsstrateg", "Forskare"]
NETWORK_TOPICS = [
    "IFO-chefer", "Ekonomiskt bistånd", "Välfärdsteknik", "IBIC", "Demens", "Barn och unga",
    "Missbruk och beroende", "Våld i nära relationer", "Socialpsykiatri", "Äldreomsorg",
    "Funktionsstöd", "Hemlöshet", "Ensamkommande", "Kvalitet och uppföljning",
    "Digitalisering", "Kompetensförsörjning", "Krisberedskap", "Familjehem",
]
FOCUS = ["kompetensutveckling", "erfarenhetsutbyte", "uppföljning", "digitalisering",
         "brukarinflytande", "kunskapsstyrning", "samverkan med regionen", "kris och beredskap",
         "jämlik vård och omsorg", "barnrättsperspektiv"]
CADENCES = ["1–2 gånger per termin", "2 gånger per termin", "varje månad",
            "varannan vecka", "en gång per kvartal", "vid behov"]
AGENDA = [
    ("Mötet inleds", "Inledning och kort introduktion till mötet."),
    ("Gruppdialog – erfarenheter av pågående situation",
     "Dialog utifrån särskilt angelägna frågor i nuläget samt en blick framåt."),
    ("Information från GR", "Uppföljning av ekonomiskt bistånd och pågående förstudier."),
    ("Aktuellt från kommunerna", "Varje kommun berättar kort om läget."),
    ("Tema: kompetensförsörjning", "Hur rustar vi våra verksamheter för långsiktiga utmaningar?"),
    ("Tema: digitala arbetssätt", "Nybesök via Teams, e-tjänster och utredningstider."),
    ("Övriga frågor", None),
    ("Nästa möte", None),
]
NOTES = [
    "Inledning och kort introduktion till mötet som genomförs via Teams.",
    "Bemanningsmässigt har det varit stabilt i verksamheterna.",
    "Den digitala utvecklingen har gått snabbt och nya arbetsmetoder har införts. "
    "Utredningstider har förbättrats.",
    "Det finns olika tolkningar av Folkhälsomyndighetens allmänna råd och kommunerna har "
    "olika riktlinjer för till exempel distansarbete.",
    "Oro inför sommaren då ungdomar inte får feriejobb på samma sätt som andra år.",
    "Arbete för gemensam uppföljning av ekonomiskt bistånd pågår i dialog med enhetscheferna.",
]
DECISIONS = ["Nästa möte hålls i november.", "GR sammanställer uppföljningen till nästa möte.",
             "Nätverket ställer sig bakom förslaget.", "Frågan tas upp igen efter sommaren.",
             "Arbetsgruppen får i uppdrag att ta fram ett underlag."]
ACTIONS = ["Skicka ut VGR:s dokument om att arbeta i kris till nätverket",
           "Sammanställa statistik om ekonomiskt bistånd",
           "Återkoppla synpunkter på förstudien om utförarregister",
           "Boka lokal för Mötesplats IFO", "Bjuda in IVO till nästa möte",
           "Ta fram förslag på gemensamma riktlinjer för distansarbete",
           "Svara på frågan om finansiering av Yrkesresan"]
THEME_TITLES = ["Ekonomiskt bistånd efter pandemin", "Hemestervärdar och feriejobb",
                "Äldre som inte söker stöd", "Psykisk ohälsa bland unga",
                "Digitala nybesök", "Kompetensförsörjning i IFO", "Våld i nära relationer",
                "Samverkan med regionen kring missbruk", "Utredningstider inom barn och unga",
                "Brukarmedverkan i uppföljning"]
TAGS = ["ekonomiskt bistånd", "barn och unga", "äldre", "digitalisering", "kompetens",
        "missbruk", "våld", "psykisk hälsa", "uppföljning", "covid-19"]
PLACES = ["GR, Göteborg", "Stadshuset, Partille", "Kommunhuset, Ale", "Konferens Styrsö",
          "FoU-huset, Stockholm", "Socialkontoret, Mölndal"]


def fold(text):
    return unicodedata.normalize("NFC", text).lower()


def search_text(*parts):
    return "\n".join(fold(p) for p in parts if p is not None)


def ts(t):
    """A naive UTC datetime as stored: YYYY-MM-DD HH:MM:SS.ffffff."""
    return t.isoformat(" ", "microseconds")


def last_sunday(year, month):
    d = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return d - dt.timedelta(days=(d.weekday() + 1) % 7)


_dst_cache = {}


def stockholm_to_utc(local):
    """Europe/Stockholm local time to naive UTC (EU rule: CEST from the last Sunday of
    March to the last Sunday of October, switching at 01:00 UTC)."""
    y = local.year
    if y not in _dst_cache:
        _dst_cache[y] = (dt.datetime.combine(last_sunday(y, 3), dt.time(1)),
                         dt.datetime.combine(last_sunday(y, 10), dt.time(1)))
    start, end = _dst_cache[y]
    utc = local - dt.timedelta(hours=2)
    if not (start <= utc < end):
        utc = local - dt.timedelta(hours=1)
    return utc


class Ids:
    """UUIDv7-shaped ids, strictly increasing within one table."""

    def __init__(self, rng):
        self.rng = rng
        self.prev = 0

    def next(self, at):
        ms = int((at - EPOCH).total_seconds() * 1000)
        if ms <= self.prev:
            ms = self.prev + 1
        self.prev = ms
        r = self.rng.getrandbits(74)
        h = f"{ms:012x}"
        rb = r & ((1 << 62) - 1)
        return (f"{h[:8]}-{h[8:]}-7{(r >> 62) & 0xfff:03x}-"
                f"{(0x8000000000000000 | rb) >> 48:04x}-{rb & 0xffffffffffff:012x}")


def org_number(rng):
    """A Swedish organisation number NNNNNN-NNNN with a valid check digit."""
    digits = [2, 1, 2, 0] + [rng.randrange(10) for _ in range(5)]
    total = 0
    for i, d in enumerate(digits):
        v = d * 2 if i % 2 == 0 else d
        total += v - 9 if v > 9 else v
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return f"{s[:6]}-{s[6:]}"


# Load order and columns of every table that is generated.
TABLES = {
    "organizations": ["id", "name", "short_name", "kind", "organization_number",
                      "municipality_code", "website", "email", "search_text", "version",
                      "created_at", "updated_at"],
    "people": ["id", "name", "email", "phone", "title", "organization_id", "search_text",
               "version", "created_at", "updated_at"],
    "networks": ["id", "name", "description", "owner_organization_id", "status",
                 "focus_areas", "cadence", "visibility", "contact_person_id", "started_on",
                 "search_text", "version", "created_at", "updated_at"],
    "network_members": ["id", "network_id", "organization_id", "joined_on", "version",
                        "created_at", "updated_at"],
    "network_participants": ["id", "network_id", "person_id", "role",
                             "on_behalf_of_organization_id", "version", "created_at",
                             "updated_at"],
    "meetings": ["id", "network_id", "organizer_organization_id", "title", "kind",
                 "description", "starts_at", "ends_at", "time_zone", "mode", "location",
                 "online_url", "status", "visibility", "search_text", "version",
                 "created_at", "updated_at"],
    "agenda_items": ["id", "meeting_id", "position", "title", "description",
                     "presenter_person_id", "duration_minutes", "version", "created_at",
                     "updated_at"],
    "attendees": ["id", "meeting_id", "person_id", "organization_id", "role", "attendance",
                  "created_at", "updated_at"],
    "minutes": ["id", "meeting_id", "status", "recorded_by", "approvers", "approval_due_on",
                "sections", "visibility", "submitted_at", "approved_at", "version",
                "created_at", "updated_at"],
    "minutes_approvals": ["minutes_id", "person_id", "approved_at"],
    "action_items": ["id", "meeting_id", "network_id", "section_index", "position", "title",
                     "description", "owner_person_id", "owner_organization_id", "due_on",
                     "status", "completed_at", "search_text", "version", "created_at",
                     "updated_at"],
    "themes": ["id", "title", "description", "network_id", "proposed_by_organization_id",
               "proposed_by_person_id", "status", "status_reason", "target_period",
               "meeting_id", "agenda_item_id", "tags", "visibility", "support_count",
               "search_text", "version", "created_at", "updated_at"],
    "theme_supporters": ["theme_id", "organization_id", "person_id", "created_at"],
}


def scaled(n, scale, minimum):
    return max(minimum, int(round(n * scale)))


def generate(out, scale):
    rng = random.Random(20261125)
    os.makedirs(out, exist_ok=True)
    files = {}
    writers = {}
    counts = {}
    for table, cols in TABLES.items():
        f = open(os.path.join(out, f"{table}.csv"), "w", newline="", encoding="utf-8")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        files[table], writers[table], counts[table] = f, w, 0

    def row(table, values):
        writers[table].writerow(values)
        counts[table] += 1

    n_orgs = scaled(ORGS, scale, 12)
    n_networks = scaled(NETWORKS, scale, 4)
    n_people = scaled(PEOPLE, scale, 150)
    n_meetings = scaled(MEETINGS, scale, 200)
    n_minutes = scaled(MINUTES, scale, 40)
    n_themes = scaled(THEMES, scale, 20)
    n_bench_items = scaled(BENCH_ACTION_ITEMS, scale, 20)

    setup_at = dt.datetime(2015, 11, 2, 8, 0, 0)

    # Organizations ----------------------------------------------------------------------
    ids = Ids(rng)
    orgs = []  # (id, kind)
    for i in range(n_orgs):
        m, code = MUNICIPALITIES[i % len(MUNICIPALITIES)]
        kind, name_f, short_f = ORG_FORMS[(i // len(MUNICIPALITIES)) % len(ORG_FORMS)]
        name = name_f.format(m=m)
        if i >= len(MUNICIPALITIES) * len(ORG_FORMS):
            name += f" {i // (len(MUNICIPALITIES) * len(ORG_FORMS)) + 1}"
        short = short_f.format(m=m) if short_f else None
        number = org_number(rng) if kind == "municipality" and rng.random() < 0.5 else None
        muni_code = code if kind == "municipality" else None
        at = setup_at + dt.timedelta(minutes=i)
        oid = ids.next(at)
        slug = fold(m).replace(" ", "").replace("å", "a").replace("ä", "a").replace("ö", "o")
        row("organizations", [oid, name, short, kind, number, muni_code,
                              f"https://www.{slug}.se", f"info{i}@{slug}.se",
                              search_text(name, short, number, muni_code), 1, ts(at), ts(at)])
        orgs.append((oid, kind))

    # People (the benchmark user's person last, unlinked: POST /users links it) ---------
    people_ids = Ids(rng)
    people = []  # (id, org index)
    people_of_org = [[] for _ in orgs]
    at0 = setup_at + dt.timedelta(days=1)
    for i in range(n_people):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}"
        org = rng.randrange(len(orgs))
        title = rng.choice(TITLES)
        email = f"{fold(first)}.{fold(last)}.{i}@example.se"
        phone = f"070-{rng.randrange(1000000, 9999999)}" if rng.random() < 0.6 else None
        at = at0 + dt.timedelta(seconds=30 * i)
        pid = people_ids.next(at)
        row("people", [pid, name, email, phone, title, orgs[org][0],
                       search_text(name, email, title), 1, ts(at), ts(at)])
        people.append((pid, org))
        people_of_org[org].append(len(people) - 1)

    # Networks: mostly internal, some public, some restricted. R = the first restricted.
    n_restricted = max(1, round(n_networks * 0.12))
    n_public = max(1, round(n_networks * 0.13))
    vis = (["restricted"] * n_restricted + ["public"] * n_public
           + ["internal"] * (n_networks - n_restricted - n_public))
    rng.shuffle(vis)
    r_index = vis.index("restricted")
    ids = Ids(rng)
    networks = []  # dicts
    at0 = setup_at + dt.timedelta(days=2)
    for i in range(n_networks):
        topic = NETWORK_TOPICS[i % len(NETWORK_TOPICS)]
        owner = rng.randrange(len(orgs))
        name = f"Nätverket för {topic}"
        if i >= len(NETWORK_TOPICS):
            name += f" {i // len(NETWORK_TOPICS) + 1}"
        focus = rng.sample(FOCUS, 3)
        cadence = rng.choice(CADENCES)
        desc = f"Ett lärande nätverk om {fold(topic)} för kommunerna i regionen."
        status = "active" if rng.random() < 0.85 else rng.choice(["paused", "planned", "closed"])
        at = at0 + dt.timedelta(hours=i)
        nid = ids.next(at)
        owner_people = people_of_org[owner]
        contact = people[owner_people[0]][0] if owner_people else None
        row("networks", [nid, name, desc, orgs[owner][0], status,
                         json.dumps(focus, ensure_ascii=False), cadence, vis[i], contact,
                         "2015-12-01", search_text(name, desc, cadence, "\n".join(focus)),
                         1, ts(at), ts(at)])
        networks.append({"id": nid, "vis": vis[i], "owner": owner, "members": []})

    # Network members: 8–20 organizations each. The benchmark user's organization is a
    # member of R and of two other networks.
    bench_org = None
    ids = Ids(rng)
    at0 = setup_at + dt.timedelta(days=3)
    k = 0
    for ni, net in enumerate(networks):
        size = min(len(orgs), rng.randint(8, 20))
        members = set(rng.sample(range(len(orgs)), size))
        members.add(net["owner"])
        if ni == r_index:
            # A municipality with people, member of R: the benchmark user's organization.
            bench_org = next(o for o in sorted(members)
                             if orgs[o][1] == "municipality" and people_of_org[o])
        net["members"] = sorted(members)
    others = [i for i in range(len(networks)) if i != r_index]
    for ni in rng.sample(others, min(2, len(others))):
        if bench_org not in networks[ni]["members"]:
            networks[ni]["members"] = sorted(networks[ni]["members"] + [bench_org])
    for net in networks:
        for o in net["members"]:
            at = at0 + dt.timedelta(seconds=10 * k)
            k += 1
            row("network_members", [ids.next(at), net["id"], orgs[o][0], "2016-01-01", 1,
                                    ts(at), ts(at)])
        pool = [p for o in net["members"] for p in people_of_org[o]]
        net["pool"] = pool
    bench_networks = {net["id"] for net in networks if bench_org in net["members"]}

    # The benchmark user's person: in the bench organization, no network role yet
    # (run.sh makes the user a coordinator of R through the API).
    bench_at = at0 + dt.timedelta(days=1)
    bench_pid = people_ids.next(bench_at)
    row("people", [bench_pid, BENCH_NAME, BENCH_EMAIL, None, "Verksamhetsutvecklare",
                   orgs[bench_org][0], search_text(BENCH_NAME, BENCH_EMAIL,
                                                   "Verksamhetsutvecklare"),
                   1, ts(bench_at), ts(bench_at)])

    # Network participants: 1–2 coordinators and ~10 members from member organizations.
    ids = Ids(rng)
    k = 0
    for net in networks:
        chosen = rng.sample(net["pool"], min(len(net["pool"]), 12))
        for j, p in enumerate(chosen):
            at = at0 + dt.timedelta(days=1, seconds=10 * k)
            k += 1
            role = "coordinator" if j < 2 else "member"
            row("network_participants", [ids.next(at), net["id"], people[p][0], role,
                                         orgs[people[p][1]][0], 1, ts(at), ts(at)])

    # Meetings: start times uniform over 2016–2026 (local 08:30–14:00), inserted in time
    # order; ≈2 % outside any network; visibility ≈90 % internal, 5 % public, 5 % restricted.
    days = (LAST_DAY - FIRST_DAY).days + 1
    starts = []
    for _ in range(n_meetings):
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(days))
        hour, minute = rng.choice([(8, 30), (9, 0), (9, 0), (10, 0), (13, 0), (14, 0)])
        starts.append(dt.datetime(day.year, day.month, day.day, hour, minute))
    starts.sort()
    m_ids = Ids(rng)
    a_ids = Ids(rng)
    t_ids = Ids(rng)
    meetings = []  # (id, network index or -1, start utc, visibility, status, agenda ids, attendee people)
    for i, local in enumerate(starts):
        start = stockholm_to_utc(local)
        end = start + dt.timedelta(hours=rng.choice([2, 3, 3, 4]))
        created = min(start - dt.timedelta(days=21), REF_NOW)
        held = start < REF_NOW
        status = ("held" if rng.random() < 0.95 else "cancelled") if held else (
            "planned" if rng.random() < 0.97 else "postponed")
        u = rng.random()
        visibility = "internal" if u < 0.90 else ("public" if u < 0.95 else "restricted")
        if rng.random() < 0.02:
            ni = -1
            organizer = rng.randrange(len(orgs))
            pool = range(len(people))
            title = "Samverkansmöte"
            kind = rng.choice(["seminar", "workshop", "conference", "other"])
        else:
            ni = rng.randrange(len(networks))
            net = networks[ni]
            organizer = net["owner"]
            pool = net["pool"] if len(net["pool"]) >= ATTENDEES_PER_MEETING else range(len(people))
            title = "Nätverksträff" if rng.random() < 0.8 else "Lägesavstämning"
            kind = "network_meeting" if title == "Nätverksträff" else "status_briefing"
        mode = rng.choice(["digital", "in_person", "hybrid"])
        location = rng.choice(PLACES) if mode != "digital" else None
        url = (f"https://teams.microsoft.com/l/meetup-join/{i:08d}" if mode != "in_person"
               else None)
        desc = f"{title} {local.date().isoformat()}. Dagordning och underlag skickas ut i förväg."
        updated = min(end + dt.timedelta(days=1), REF_NOW) if held else created
        updated = max(updated, created)
        mid = m_ids.next(created)
        row("meetings", [mid, networks[ni]["id"] if ni >= 0 else None, orgs[organizer][0],
                         title, kind, desc, ts(start), ts(end), "Europe/Stockholm", mode,
                         location, url, status, visibility,
                         search_text(title, desc, location), 1, ts(created), ts(updated)])
        agenda = []
        chosen_agenda = [AGENDA[0]] + rng.sample(AGENDA[1:6], 3) + [AGENDA[6]]
        for pos, (atitle, adesc) in enumerate(chosen_agenda[:AGENDA_PER_MEETING], start=1):
            aid = a_ids.next(created)
            presenter = people[rng.choice(pool)][0] if rng.random() < 0.3 else None
            row("agenda_items", [aid, mid, pos, atitle, adesc, presenter,
                                 rng.choice([15, 20, 30, 45, 60]), 1, ts(created), ts(created)])
            agenda.append((aid, atitle))
        who = rng.sample(pool, ATTENDEES_PER_MEETING)
        for j, p in enumerate(who):
            role = "chair" if j == 0 else ("note_taker" if j == 1 else "participant")
            if held:
                attendance = "present" if rng.random() < 0.85 else rng.choice(["absent", "excused"])
            else:
                attendance = "invited"
            row("attendees", [t_ids.next(created), mid, people[p][0], orgs[people[p][1]][0],
                              role, attendance, ts(created), ts(updated)])
        meetings.append((mid, ni, start, visibility, status, agenda, who, organizer))

    # Minutes for held meetings in networks, with 2–3 action items each -----------------
    candidates = [i for i, m in enumerate(meetings) if m[4] == "held" and m[1] >= 0]
    with_minutes = sorted(rng.sample(candidates, min(n_minutes, len(candidates))))
    # Written some days after the meeting: insert in that order (= meeting order).
    min_ids = Ids(rng)
    act_ids = Ids(rng)
    minutes_status = {}
    action_rows = []  # collected, to give some to the benchmark user before writing
    for mi in with_minutes:
        mid, ni, start, visibility, _, agenda, who, _ = meetings[mi]
        written = start + dt.timedelta(days=rng.randint(1, 6))
        u = rng.random()
        status = "approved" if u < 0.80 else ("submitted" if u < 0.85 else "draft")
        recorder = people[who[1]][0]
        approvers = [people[who[0]][0]]
        sections = []
        for aid, atitle in agenda:
            sections.append({"agenda_item_id": aid, "heading": atitle,
                             "notes": rng.choice(NOTES),
                             "decisions": [rng.choice(DECISIONS)] if rng.random() < 0.4 else []})
        submitted = written + dt.timedelta(days=1) if status != "draft" else None
        approved = written + dt.timedelta(days=rng.randint(3, 12)) if status == "approved" else None
        updated = min(approved or submitted or written, REF_NOW)
        minid = min_ids.next(min(written, REF_NOW))
        row("minutes", [minid, mid, status, json.dumps([recorder]), json.dumps(approvers),
                        (start.date() + dt.timedelta(days=14)).isoformat(),
                        json.dumps(sections, ensure_ascii=False), visibility,
                        ts(submitted) if submitted else None,
                        ts(approved) if approved else None, 1,
                        ts(min(written, REF_NOW)), ts(updated)])
        if approved:
            row("minutes_approvals", [minid, approvers[0], ts(min(approved, REF_NOW))])
        minutes_status[mi] = status
        n_items = rng.choice([2, 3])
        placed = sorted(rng.sample(range(len(agenda)), n_items))
        per_section = {}
        for s in placed:
            pos = per_section.get(s, 0)
            per_section[s] = pos + 1
            owner = people[rng.choice(who)]
            due = start.date() + dt.timedelta(days=rng.randint(14, 60))
            if due < REF_NOW.date():
                u = rng.random()
                astatus = "done" if u < 0.7 else ("open" if u < 0.9 else "cancelled")
            else:
                astatus = "open"
            completed = (ts(dt.datetime.combine(due, dt.time(10))) if astatus == "done"
                         else None)
            title = rng.choice(ACTIONS)
            desc = "Se protokollet." if rng.random() < 0.3 else None
            created = min(written, REF_NOW)
            action_rows.append([act_ids.next(created), mid, networks[ni]["id"], s, pos, title,
                                desc, owner[0], orgs[owner[1]][0], due.isoformat(), astatus,
                                completed, search_text(title, desc), 1, ts(created),
                                ts(created), mi])

    # Which meetings the benchmark user sees (the API's rule): public and internal ones,
    # those of networks where their organization is a member or they take part (R), and
    # network-less ones their organization organizes.
    r_id = networks[r_index]["id"]
    insider = set(bench_networks) | {r_id}

    def visible(m):
        return (m[3] in ("public", "internal")
                or (m[1] >= 0 and networks[m[1]]["id"] in insider)
                or (m[1] < 0 and m[7] == bench_org))

    # Action items of the benchmark user's person: spread over visible meetings.
    vis_items = [i for i, a in enumerate(action_rows) if visible(meetings[a[-1]])]
    for i in rng.sample(vis_items, min(n_bench_items, len(vis_items))):
        action_rows[i][7] = bench_pid
        action_rows[i][8] = orgs[bench_org][0]
    for a in action_rows:
        row("action_items", a[:-1])

    # Themes -----------------------------------------------------------------------------
    ids = Ids(rng)
    meetings_of = [[] for _ in networks]
    for i, m in enumerate(meetings):
        if m[1] >= 0:
            meetings_of[m[1]].append(i)
    theme_times = sorted(dt.datetime(2016, 1, 1) + dt.timedelta(
        seconds=rng.randrange(int((REF_NOW - dt.datetime(2016, 1, 1)).total_seconds())))
        for _ in range(n_themes))
    for at in theme_times:
        ni = rng.randrange(len(networks))
        net = networks[ni]
        proposer = rng.choice(net["pool"]) if net["pool"] else rng.randrange(len(people))
        status = rng.choice(["proposed", "proposed", "accepted", "scheduled", "discussed",
                             "postponed", "rejected"])
        reason = "Tas upp nästa termin." if status in ("postponed", "rejected") else None
        half = "VT" if at.month <= 6 else "HT"
        period = f"{half} {at.year + (1 if half == 'HT' and rng.random() < 0.5 else 0)}"
        meeting_id = agenda_id = None
        if status in ("scheduled", "discussed") and meetings_of[ni]:
            m = meetings[rng.choice(meetings_of[ni])]
            meeting_id, agenda_id = m[0], m[5][rng.randrange(len(m[5]))][0]
        title = rng.choice(THEME_TITLES)
        desc = "Förslag från medlemmarna att ta upp vid ett kommande möte."
        tags = rng.sample(TAGS, rng.randint(1, 3))
        supporters = rng.sample(net["members"], min(len(net["members"]), rng.randint(0, 3)))
        tid = ids.next(at)
        row("themes", [tid, title, desc, net["id"], orgs[people[proposer][1]][0],
                       people[proposer][0], status, reason, period, meeting_id, agenda_id,
                       json.dumps(tags, ensure_ascii=False), net["vis"], len(supporters),
                       search_text(title, desc, period, "\n".join(tags)), 1, ts(at), ts(at)])
        for o in supporters:
            row("theme_supporters", [tid, orgs[o][0], None, ts(at + dt.timedelta(days=1))])

    for f in files.values():
        f.close()

    # What the benchmark needs to know ----------------------------------------------------
    r_meetings = [i for i, m in enumerate(meetings) if m[1] == r_index]
    approved_r = [i for i in r_meetings if minutes_status.get(i) in ("approved", "submitted")]
    put_pool = [meetings[i][0] for i in r_meetings if minutes_status.get(i, "draft") == "draft"]
    approved_set = set(approved_r)
    patch_pool = [a[0] for a in action_rows if a[-1] in approved_set]
    visible_ids = sorted(m[0] for m in meetings if visible(m))
    depth = max(2, min(DEEP_PAGE, len(visible_ids) // 50))
    deep_after = visible_ids[(depth - 1) * 50 - 1]

    def write_ids(name, values):
        with open(os.path.join(out, name), "w") as f:
            f.write("\n".join(values) + "\n")

    write_ids("r_meetings.ids", [meetings[i][0] for i in r_meetings])
    write_ids("r_minutes.ids", [meetings[i][0] for i in approved_r])
    write_ids("put_minutes.ids", put_pool)
    write_ids("patch_actions.ids", patch_pool)
    meta = {
        "scale": scale,
        "r_network_id": r_id,
        "bench_organization_id": orgs[bench_org][0],
        "bench_person_id": bench_pid,
        "bench_email": BENCH_EMAIL,
        "bench_name": BENCH_NAME,
        "bench_action_items": sum(1 for a in action_rows if a[7] == bench_pid),
        "visible_meetings": len(visible_ids),
        "deep_page": depth,
        "deep_after_id": deep_after,
        "r_meetings": len(r_meetings),
        "r_calendar_window": sum(
            1 for i in r_meetings
            if meetings[i][2] >= REF_NOW - dt.timedelta(days=90)),
        "counts": counts,
    }
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2, ensure_ascii=False)
    print(json.dumps({"counts": counts, "visible_meetings": len(visible_ids),
                      "deep_page": depth, "r_meetings": len(r_meetings),
                      "put_pool": len(put_pool), "patch_pool": len(patch_pool),
                      "r_minutes": len(approved_r)}, ensure_ascii=False))


def load_sqlite(db, out):
    import sqlite3
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    conn.execute("BEGIN")
    for table, cols in TABLES.items():
        with open(os.path.join(out, f"{table}.csv"), newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            assert header == cols, (table, header)
            sql = (f"INSERT INTO {table} ({', '.join(cols)}) "
                   f"VALUES ({', '.join('?' * len(cols))})")
            conn.executemany(sql, ([v if v != "" else None for v in r] for r in reader))
    conn.execute("COMMIT")
    bad = conn.execute("PRAGMA foreign_key_check").fetchall()
    if bad:
        sys.exit(f"foreign key violations: {bad[:5]}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def main():
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "generate":
        scale = 1.0
        if "--scale" in args:
            scale = float(args[args.index("--scale") + 1])
        generate(args[1], scale)
    elif len(args) == 3 and args[0] == "load-sqlite":
        load_sqlite(args[1], args[2])
    elif len(args) == 2 and args[0] == "tables":
        for table, cols in TABLES.items():
            print(f"{table}\t{','.join(cols)}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

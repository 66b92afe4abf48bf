#!/usr/bin/env python3
"""Writes a bundle of N top-level records (default 100 000) to standard output, for
measuring `samverkan import`: organizations, people, networks with members and
participants, meetings with agenda and attendees, minutes with action items, themes.

    python3 bench/bundle.py 100000 > /tmp/bundle.json
    /usr/bin/time -v target/release/samverkan import /tmp/bundle.json
"""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
rng = random.Random(7)
orgs, people, networks = max(10, n // 330), max(20, n // 20), max(2, n // 1600)
minutes = n // 20
themes = n // 10
meetings = n - orgs - people - networks - minutes - themes
out = sys.stdout
out.write('{"format":"samverkan-bundle","version":1,"description":"bench/bundle.py %d"' % n)


def section(name, items):
    out.write(',"%s":[' % name)
    for i, item in enumerate(items):
        if i:
            out.write(",")
        out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
    out.write("]")


section("organizations", ({"key": f"o{i}", "name": f"Kommun {i}", "kind": "municipality",
                           "municipality_code": f"{1000 + i % 9000:04d}"} for i in range(orgs)))
section("people", ({"key": f"p{i}", "name": f"Person {i} Andersson", "organization": f"o{i % orgs}",
                    "title": "enhetschef"} for i in range(people)))
section("networks", ({"key": f"n{i}", "name": f"Nätverk {i}", "owner_organization": f"o{i % orgs}",
                      "visibility": "restricted", "focus_areas": ["Barn och unga", "Äldre"],
                      "members": [{"organization": f"o{(i + k) % orgs}"} for k in range(10)],
                      "participants": [{"person": f"p{(i * 10 + k) % people}",
                                        "role": "coordinator" if k == 0 else "member"} for k in range(10)]}
                     for i in range(networks)))


def meeting(i):
    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    year = 2010 + (i // 336) % 15
    return {"key": f"m{i}", "network": f"n{i % networks}", "title": f"Nätverksmöte {i}",
            "starts_at": f"{year}-{month:02d}-{day:02d}T09:00", "ends_at": f"{year}-{month:02d}-{day:02d}T12:00",
            "status": "held", "mode": "digital",
            "agenda": [{"key": f"m{i}/{k}", "title": t} for k, t in enumerate(["Inledning", "Aktuellt", "Nästa möte"])],
            "attendees": [{"person": f"p{(i + k * 7) % people}", "attendance": "present"} for k in range(5)]}


section("meetings", (meeting(i) for i in range(meetings)))
section("minutes", ({"meeting": f"m{i * (meetings // minutes)}", "recorded_by": [f"p{i % people}"],
                     "sections": [{"agenda_item": f"m{i * (meetings // minutes)}/1", "heading": "Aktuellt",
                                   "notes": "Dialog kring läget i verksamheterna.",
                                   "decisions": ["Nätverket följer upp frågan."],
                                   "action_items": [{"key": f"a{i}", "title": "Sammanställ erfarenheter",
                                                     "owner_person": f"p{(i + 1) % people}", "due_on": "2021-06-30"}]}]}
                    for i in range(minutes)))
section("themes", ({"key": f"t{i}", "network": f"n{i % networks}", "title": f"Tema {i}",
                    "proposed_by_organization": f"o{i % orgs}", "tags": ["äldre"],
                    "supporters": [f"o{(i + 1) % orgs}"]} for i in range(themes)))
out.write("}\n")

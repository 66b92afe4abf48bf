#!/usr/bin/env python3
"""The HTTP side of bench/run.sh (standard library only).

    benchctl.py wait BASE SECONDS          until GET /health/ready answers 200
    benchctl.py setup BASE META OUT_JSON   the benchmark user: created by the admin, made a
                                           coordinator of the restricted network R; checks
                                           what the scenarios rely on; writes OUT_JSON
    benchctl.py token BASE                 a fresh access token of the benchmark user
    benchctl.py report RESULTS_DIR OUT_MD  the summary table from the raw results
"""

import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request

ADMIN_EMAIL = "bench-admin@example.org"
ADMIN_PASSWORD = "bench-admin-password-0123"
USER_PASSWORD = "bench-user-password-0123"
BENCH_EMAIL = "bench.user@example.org"


def call(base, method, path, body=None, token=None, expect=(200,)):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=120) as res:
            status, text = res.status, res.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    if status not in expect:
        sys.exit(f"{method} {path}: HTTP {status}: {text[:500]}")
    ctype = text.lstrip()[:1]
    return json.loads(text) if ctype in "{[" and text else text


def sign_in(base, email, password):
    return call(base, "POST", "/api/v1/auth/token",
                {"email": email, "password": password})["access_token"]


def wait(base, seconds):
    deadline = time.time() + float(seconds)
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/health/ready", timeout=2) as res:
                if res.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    sys.exit(f"the server did not become ready within {seconds} s")


def setup(base, meta_path, out):
    meta = json.load(open(meta_path))
    r = meta["r_network_id"]
    admin = sign_in(base, ADMIN_EMAIL, ADMIN_PASSWORD)
    # The generator made the user's person (unlinked, in an organization that is a member
    # of R): link it, as the API does for an existing person without an account.
    user = call(base, "POST", "/api/v1/users", {
        "email": BENCH_EMAIL, "display_name": meta["bench_name"], "role": "user",
        "organization_id": meta["bench_organization_id"],
        "person_id": meta["bench_person_id"], "password": USER_PASSWORD,
    }, admin, expect=(201,))
    if user["person_id"] != meta["bench_person_id"]:
        sys.exit(f"the user was not linked to the generated person: {user}")
    call(base, "POST", f"/api/v1/networks/{r}/participants",
         {"person_id": user["person_id"], "role": "coordinator"}, admin, expect=(201,))
    token = sign_in(base, BENCH_EMAIL, USER_PASSWORD)
    me = call(base, "GET", "/api/v1/me", token=token)
    # The deep page: the cursor of page N is the id of the last row of page N-1 among the
    # meetings the user may see (computed by the generator); check that it is full.
    depth = meta["deep_page"]
    cursor = base64.urlsafe_b64encode(meta["deep_after_id"].encode()).decode().rstrip("=")
    page = call(base, "GET", f"/api/v1/meetings?limit=50&cursor={cursor}", token=token)

    # What the other scenarios will see; an error here is reported, and the scenario
    # itself then counts its non-2xx answers.
    def rows(path):
        try:
            body = call(base, "GET", path, token=token)
        except SystemExit as e:
            return str(e)
        return len(body["data"]) if isinstance(body, dict) else body.count("BEGIN:VEVENT")

    info = {
        "user_id": user["id"], "person_id": user["person_id"], "me_email": me["email"],
        "r_network_id": r, "deep_page": depth, "deep_cursor": cursor,
        "deep_page_rows": len(page["data"]),
        "first_page_rows": rows("/api/v1/meetings?limit=50"),
        "network_page_rows": rows(f"/api/v1/meetings?network_id={r}&limit=50"),
        "mine_rows": rows("/api/v1/action-items?mine=true"),
        "calendar_events": rows(f"/api/v1/networks/{r}/calendar.ics"),
    }
    if info["deep_page_rows"] == 0:
        sys.exit(f"the deep page is empty: {info}")
    json.dump(info, open(out, "w"), indent=2)
    print(json.dumps(info))


def fmt(v, digits=1):
    return f"{v:,.{digits}f}".replace(",", " ")


def report(results, out):
    meta = json.load(open(os.path.join(results, "run.json")))
    lines = [
        "# Samverkan benchmark",
        "",
        f"- commit `{meta['commit']}`, {meta['date']}; {meta['machine']}",
        f"- scale {meta['scale']}: {meta['dataset']}",
        f"- wrk {meta['threads']} threads, {meta['connections']} connections, "
        f"{meta['warmup']} s warm-up + {meta['duration']} s per scenario, over loopback; "
        "every request as the benchmark user (a coordinator of a restricted network R "
        "whose organization is a member of it)",
        "- ratio = the scenario's req/s ÷ `/health/live` req/s of the same backend and run",
        "",
        "| backend | scenario | req/s | p50 ms | p99 ms | non-2xx | socket errors | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    problems = []
    for backend in meta["backends"]:
        rows = []
        path = os.path.join(results, f"{backend}.jsonl")
        if os.path.exists(path):
            rows = [json.loads(l) for l in open(path) if l.strip()]
        health = next((r["rps"] for r in rows if r["scenario"] == "health_live"), None)
        for r in rows:
            ratio = ""
            if r["kind"] == "read" and r["scenario"] != "health_live" and health:
                ratio = f"{r['rps'] / health:.3f}"
            errs = r["socket_errors"] + r["timeouts"]
            if r["requests"] == 0:
                p50 = p99 = "—"
                problems.append(f"{backend} {r['label']}: no request completed within "
                                f"{r['duration_us'] / 1e6:.0f} s")
            else:
                p50, p99 = fmt(r["p50_ms"], 2), fmt(r["p99_ms"], 2)
            lines.append(
                f"| {backend} | {r['label']} | {fmt(r['rps'])} | {p50} | "
                f"{p99} | {r['non2xx']} | {errs} | {ratio} |")
            if r["non2xx"] or errs:
                problems.append(f"{backend} {r['label']}: {r['non2xx']} non-2xx, {errs} "
                                f"socket errors/timeouts; first: {r['first_error'][:300]}")
    lines += ["", "| backend | peak RSS of the server (VmHWM) | load | server |",
              "|---|---:|---:|---|"]
    for backend in meta["backends"]:
        b = meta.get("backend_info", {}).get(backend, {})
        lines.append(f"| {backend} | {b.get('vmhwm', '?')} | {b.get('load_seconds', '?')} s | "
                     f"{b.get('status', 'not run')} |")
        if b.get("status", "not run") != "ok":
            problems.append(f"{backend}: {b.get('status', 'not run')}")
        if b.get("log_errors"):
            problems.append(f"{backend}: {b['log_errors']} ERROR/WARN lines in the server log; "
                            f"first: `{b.get('first_log_error', '')}`")
    for backend in meta["backends"]:
        s = meta.get("setup", {}).get(backend)
        if s:
            def n(v, unit):
                return f"{v} {unit}" if isinstance(v, int) else f"failed ({v[:160]})"
            lines.append("")
            lines.append(
                f"{backend}: deep page = page {s['deep_page']} of `GET /meetings?limit=50` "
                f"({s['deep_page_rows']} rows); first page of `mine=true`: "
                f"{n(s['mine_rows'], 'rows')}; R's calendar: "
                f"{n(s['calendar_events'], 'events')}.")
    lines.append("")
    if problems:
        lines.append("**Not valid figures** (errors or a failed backend):")
        lines.append("")
        lines += [f"- {p}" for p in problems]
    else:
        lines.append("No errors: every request answered 2xx.")
    text = "\n".join(lines) + "\n"
    open(out, "w").write(text)
    print(text)
    return 1 if problems else 0


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "wait":
        wait(a[1], a[2])
    elif len(a) == 4 and a[0] == "setup":
        setup(a[1], a[2], a[3])
    elif len(a) == 2 and a[0] == "token":
        print(sign_in(a[1], BENCH_EMAIL, USER_PASSWORD))
    elif len(a) == 3 and a[0] == "report":
        sys.exit(report(a[1], a[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# One-command benchmark of the Samverkan API, on SQLite and then on PostgreSQL.
#
# What it does:
#   1. Installs what is missing, from Debian's packages only (wrk, postgresql, python3),
#      and starts the local PostgreSQL cluster the way .ci/run does (settings untouched:
#      fsync stays on); creates the role and the database samverkan_bench (dropped and
#      recreated on every run).
#   2. Builds the release binary once: cargo build --release --bin samverkan.
#   3. Generates the data set once per scale into bench/data/ (bench/datagen.py, Python
#      standard library only; kept and reused while datagen.py is unchanged): 300
#      organizations, 60 networks (mostly internal, some public, some restricted), 5 000
#      people, 100 000 meetings 2016–2026 with 5 agenda items and 10 attendees each,
#      20 000 minutes with 2–3 action items each, 10 000 themes. Each backend gets a
#      fresh database: the server's own `samverkan migrate` creates the schema, then the
#      rows are inserted directly (SQLite: Python's sqlite3; PostgreSQL: psql \copy),
#      not through HTTP.
#   4. Starts the server (SAMVERKAN_DATA_DIR in a temporary directory, a free loopback
#      port, RUST_LOG=warn so that the access log does not fill the disk), creates the
#      benchmark user through the API (POST /users as the first admin, then a
#      coordinator of the restricted network R via POST /networks/R/participants; the
#      user's organization is a member of R and 200 action items are theirs), and signs
#      in again before every scenario (access tokens live 15 minutes).
#   5. Drives it with wrk (2 threads, 32 connections, warm-up then a fixed duration per
#      scenario) as that user: /health/live (baseline), a meeting by id, a network's
#      list, the first and a ~2 000-page-deep page of all meetings, action-items?mine=true,
#      minutes, R's calendar.ics, and the writes POST /meetings, PATCH /action-items/{id},
#      PUT /meetings/{id}/minutes. Reads the server's peak RSS (VmHWM) at the end.
#   6. Prints one markdown table (req/s, p50, p99, non-2xx, socket errors, ratio of each
#      read to /health/live of the same run) and writes it to bench/results/latest.md
#      (raw wrk output beside it in bench/results/raw/).
#
# How long: about 7.5 minutes at full scale on 2 shared cores once the binary is built
# (measured 449 s: generation 25 s, the first time only; loading 25 s into SQLite and
# 60 s into PostgreSQL; 11 scenarios × (2 + 10 s) per backend, plus waiting for the
# server to finish abandoned requests between scenarios). The first release build of
# a fresh clone adds about 10 minutes on such a machine. BENCH_SCALE=0.05 BENCH_DURATION=3
# takes about 2.5 minutes.
#
# Options (environment):
#   BENCH_SCALE=1.0              multiplies every count (0.05 for a quick check)
#   BENCH_DURATION=10            measured seconds per scenario
#   BENCH_WARMUP=2               warm-up seconds per scenario (not measured)
#   BENCH_BACKENDS="sqlite postgres"
#   BENCH_CONNECTIONS=32 BENCH_THREADS=2
#
# Exit status: 0 when every scenario ran without errors (it reports figures, it does not
# judge them against targets); 1 when a scenario had non-2xx answers or socket errors,
# the server died, or a step failed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SCALE=${BENCH_SCALE:-1.0}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
PG_ROLE=samverkan_bench
PG_DB=samverkan_bench
ADMIN_EMAIL=bench-admin@example.org
ADMIN_PASSWORD=bench-admin-password-0123

started=$(date +%s)
log() { printf '== %s (%ds)\n' "$*" "$(($(date +%s) - started))" >&2; }

RESULTS=$ROOT/bench/results
RAW=$RESULTS/raw
DATA=$ROOT/bench/data/scale-$SCALE
WORK=$(mktemp -d /tmp/samverkan-bench.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- 1. tools ------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v python3 >/dev/null || missing+=(python3)
if [[ " $BACKENDS " == *" postgres "* ]]; then
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  command -v psql >/dev/null || missing+=(postgresql-client)
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi
}

PG_PORT=5432
if [[ " $BACKENDS " == *" postgres "* ]]; then
  log "PostgreSQL"
  pg_version=$(ls /etc/postgresql | sort -V | tail -n 1)
  # Start it if it is not running; never restart a cluster others may be using.
  pg_ctlcluster "$pg_version" main status >/dev/null 2>&1 || pg_ctlcluster "$pg_version" main start
  PG_PORT=$(pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" {print $3}')
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 1; done
  as_postgres "psql -q -v ON_ERROR_STOP=1 -p $PG_PORT" <<SQL
SELECT 'CREATE ROLE $PG_ROLE LOGIN PASSWORD ''$PG_ROLE'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE')\gexec
SQL
fi
PG_URL=postgres://$PG_ROLE:$PG_ROLE@127.0.0.1:$PG_PORT/$PG_DB

# --- 2. the binary ---------------------------------------------------------------------
log "cargo build --release --bin samverkan"
cargo build --release --bin samverkan 2>&1 | tail -n 3 >&2
BIN=$ROOT/target/release/samverkan

# --- 3. the data set -----------------------------------------------------------------
stamp="$(sha256sum bench/datagen.py | cut -c1-16) scale=$SCALE"
if [ "$(cat "$DATA/.stamp" 2>/dev/null)" != "$stamp" ]; then
  log "generating the data set (scale $SCALE) into $DATA"
  rm -rf "$DATA"
  mkdir -p "$DATA"
  timeout 600 python3 bench/datagen.py generate "$DATA" --scale "$SCALE" >&2
  echo "$stamp" >"$DATA/.stamp"
else
  log "data set of scale $SCALE already generated"
fi

rm -rf "$RAW"
mkdir -p "$RAW"
# run.json gathers what the report needs; jset KEY.PATH JSON-VALUE
echo '{}' >"$RAW/run.json"
jset() {
  python3 - "$RAW/run.json" "$1" "$2" <<'PY'
import json, sys
path, key, value = sys.argv[1], sys.argv[2].split("."), sys.argv[3]
d = json.load(open(path))
node = d
for k in key[:-1]:
    node = node.setdefault(k, {})
try:
    node[key[-1]] = json.loads(value)
except ValueError:
    node[key[-1]] = value
json.dump(d, open(path, "w"), indent=2, ensure_ascii=False)
PY
}
jset commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
jset date "$(date -u +%Y-%m-%dT%H:%MZ)"
jset machine "$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'; true)), $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo)"
jset scale "$SCALE"
jset dataset "$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; print(", ".join(f"{v} {k}" for k, v in c.items()))' "$DATA/meta.json")"
jset threads "$THREADS"
jset connections "$CONNECTIONS"
jset warmup "$WARMUP"
jset duration "$DURATION"
jset backends "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1].split()))' "$BACKENDS")"

meta() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$DATA/meta.json" "$1"; }
R=$(meta r_network_id)
PERSON=$(meta bench_person_id)

failed=0

# --- 4./5. one backend -----------------------------------------------------------------
prepare_sqlite() {
  DB_URL=sqlite://$WORK/sqlite/samverkan.db
  mkdir -p "$WORK/sqlite"
  DATABASE_URL=$DB_URL SAMVERKAN_DATA_DIR=$WORK/sqlite timeout 120 "$BIN" migrate >&2 || return 1
  timeout 600 python3 bench/datagen.py load-sqlite "$WORK/sqlite/samverkan.db" "$DATA" || return 1
}

prepare_postgres() {
  DB_URL=$PG_URL
  as_postgres "psql -q -v ON_ERROR_STOP=1 -p $PG_PORT" <<SQL
DROP DATABASE IF EXISTS $PG_DB WITH (FORCE);
CREATE DATABASE $PG_DB OWNER $PG_ROLE;
SQL
  [ $? = 0 ] || return 1
  mkdir -p "$WORK/postgres"
  DATABASE_URL=$DB_URL SAMVERKAN_DATA_DIR=$WORK/postgres timeout 120 "$BIN" migrate >&2 || return 1
  {
    echo '\set ON_ERROR_STOP on'
    echo 'BEGIN;'
    python3 bench/datagen.py tables "$DATA" | while IFS=$'\t' read -r table cols; do
      echo "\\copy $table ($cols) FROM '$DATA/$table.csv' WITH (FORMAT csv, HEADER true)"
    done
    echo 'COMMIT;'
    # What autovacuum would do soon after a bulk load anyway.
    python3 bench/datagen.py tables "$DATA" | while IFS=$'\t' read -r table _; do
      echo "VACUUM ANALYZE $table;"
    done
  } >"$WORK/load.sql"
  timeout 900 psql -q "$PG_URL" -f "$WORK/load.sql" >&2
}

# Waits until the work of requests wrk gave up on is done (the server goes on with a
# request whose client left), so that it does not spill into the next measurement:
# the server under 10 % of a core for half a second and, on PostgreSQL, no query of
# its database running. At most 60 s.
quiesce() {
  local deadline=$(($(date +%s) + 60)) a b active
  while [ "$(date +%s)" -lt "$deadline" ]; do
    a=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat" 2>/dev/null) || return 0
    sleep 0.5
    b=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat" 2>/dev/null) || return 0
    active=0
    if [ "$backend" = postgres ]; then
      active=$(psql -Atq "$PG_URL" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()" 2>/dev/null || echo 0)
    fi
    # /proc/PID/stat counts clock ticks of 1/100 s: fewer than 5 in 0.5 s is under 10 %.
    if [ $((b - a)) -lt 5 ] && [ "$active" = 0 ]; then
      return 0
    fi
  done
  echo "   (the server was still busy after 60 s)" >&2
}

# scenario NAME KIND LABEL MODE PATH [IDS_FILE [PATH_TEMPLATE]]
scenario() {
  local name=$1 kind=$2 label=$3 mode=$4 path=$5 ids=${6:-} template=${7:-}
  local token out
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    return 1
  fi
  token=$(timeout 60 python3 bench/benchctl.py token "$BASE") || return 1
  out=$RAW/$backend-$name.txt
  export BENCH_TOKEN=$token BENCH_MODE=$mode BENCH_IDS=$ids BENCH_PATH=$template \
    BENCH_PERSON=$PERSON BENCH_NETWORK=$R BENCH_THREADS=$THREADS
  if [ "$WARMUP" != 0 ]; then
    timeout $((WARMUP + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 30s \
      -s bench/wrk.lua "$BASE$path" >"$RAW/$backend-$name.warmup.txt" 2>&1 || true
    quiesce
  fi
  if ! timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s \
    --latency -s bench/wrk.lua "$BASE$path" >"$out" 2>&1; then
    echo "wrk failed for $name:" >&2
    cat "$out" >&2
    return 1
  fi
  unset BENCH_TOKEN
  quiesce
  python3 - "$out" "$RAW/$backend.jsonl" "$name" "$kind" "$label" <<'PY'
import json, sys
out, jsonl, name, kind, label = sys.argv[1:6]
line = next(l for l in open(out) if l.startswith("BENCHJSON "))
r = json.loads(line[len("BENCHJSON "):])
r.update(scenario=name, kind=kind, label=label)
open(jsonl, "a").write(json.dumps(r, ensure_ascii=False) + "\n")
print(f"   {label}: {r['rps']:.1f} req/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
      f"non-2xx {r['non2xx']}, socket errors {r['socket_errors'] + r['timeouts']}", file=sys.stderr)
if r["first_error"]:
    print(f"   first error: {r['first_error'][:300]}", file=sys.stderr)
PY
}

run_backend() {
  backend=$1
  local t0 port deep
  log "$backend: fresh database, schema by 'samverkan migrate', data loaded directly"
  t0=$(date +%s)
  "prepare_$backend" || { jset "backend_info.$backend.status" "loading failed"; return 1; }
  jset "backend_info.$backend.load_seconds" "$(($(date +%s) - t0))"
  log "$backend: loaded in $(($(date +%s) - t0)) s; starting the server"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  BASE=http://127.0.0.1:$port
  DATABASE_URL=$DB_URL SAMVERKAN_DATA_DIR=$WORK/$backend SAMVERKAN_BIND=127.0.0.1:$port \
    SAMVERKAN_ADMIN_EMAIL=$ADMIN_EMAIL SAMVERKAN_ADMIN_PASSWORD=$ADMIN_PASSWORD RUST_LOG=warn \
    "$BIN" serve >"$RAW/$backend-server.log" 2>&1 &
  SERVER_PID=$!
  if ! timeout 90 python3 bench/benchctl.py wait "$BASE" 60; then
    jset "backend_info.$backend.status" "server did not start"
    return 1
  fi
  if ! timeout 300 python3 bench/benchctl.py setup "$BASE" "$DATA/meta.json" "$RAW/$backend-setup.json" >&2; then
    jset "backend_info.$backend.status" "setting up the benchmark user failed"
    return 1
  fi
  jset "setup.$backend" "$(cat "$RAW/$backend-setup.json")"
  deep=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["deep_cursor"])' "$RAW/$backend-setup.json")
  log "$backend: scenarios"
  local ok=1
  # Reads first (the writes change R), then writes.
  scenario health_live read '`GET /health/live`' static /health/live &&
  scenario meeting_by_id read '`GET /meetings/{id}` (R)' get_ids /api/v1/meetings \
    "$DATA/r_meetings.ids" /api/v1/meetings/%s &&
  scenario network_list read '`GET /meetings?network_id=R&limit=50`' static \
    "/api/v1/meetings?network_id=$R&limit=50" &&
  scenario first_page read '`GET /meetings?limit=50`' static "/api/v1/meetings?limit=50" &&
  scenario deep_page read "\`GET /meetings?limit=50&cursor=…\` (page $(meta deep_page))" static \
    "/api/v1/meetings?limit=50&cursor=$deep" &&
  scenario mine read '`GET /action-items?mine=true`' static "/api/v1/action-items?mine=true" &&
  scenario minutes read '`GET /meetings/{id}/minutes` (R)' get_ids /api/v1/meetings \
    "$DATA/r_minutes.ids" /api/v1/meetings/%s/minutes &&
  scenario calendar read '`GET /networks/R/calendar.ics`' static "/api/v1/networks/$R/calendar.ics" &&
  scenario post_meeting write '`POST /meetings` (R)' post_meeting /api/v1/meetings &&
  scenario patch_action write '`PATCH /action-items/{id}` (R)' patch_action /api/v1/action-items \
    "$DATA/patch_actions.ids" &&
  scenario put_minutes write '`PUT /meetings/{id}/minutes` (R, drafts)' put_minutes /api/v1/meetings \
    "$DATA/put_minutes.ids" || ok=0
  local status=ok
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    jset "backend_info.$backend.vmhwm" "$(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$SERVER_PID/status")"
    kill -TERM "$SERVER_PID"
    timeout 40 tail --pid="$SERVER_PID" -f /dev/null || kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    [ "$ok" = 1 ] || status="a scenario failed to run"
  else
    wait "$SERVER_PID" 2>/dev/null || true
    status="the server died (see bench/results/raw/$backend-server.log)"
  fi
  SERVER_PID=""
  jset "backend_info.$backend.log_errors" "$(grep -c -E ' (ERROR|WARN) ' "$RAW/$backend-server.log" || true)"
  jset "backend_info.$backend.first_log_error" "$(grep -m1 -E ' (ERROR|WARN) ' "$RAW/$backend-server.log" | cut -c1-400 || true)"
  jset "backend_info.$backend.status" "$status"
  [ "$status" = ok ]
}

for backend in $BACKENDS; do
  run_backend "$backend" || failed=1
done

# --- 6. the report ---------------------------------------------------------------------
log "report"
if ! python3 bench/benchctl.py report "$RAW" "$RESULTS/latest.md"; then
  failed=1
fi
log "done in $(($(date +%s) - started)) s"
exit $failed

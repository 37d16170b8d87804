#!/usr/bin/env bash
# `make bench`: mutu's public SKM form and the peer (django-survey-and-report) under the same
# locust load on this machine, in one run. Peak (USERS closed-loop users): mutu with the peer's
# server configuration (WORKERS sync workers), for the ratio; then mutu as deployed
# (deploy/gunicorn.conf.py): its peak, THINK_USERS users with think time offering THINK_SHARE of
# that peak, and the same users offering TARGET_RATE submissions/s (issue 5: 250/s, p95 < 150 ms;
# the default offers 4 % more, so that the jitter of arrivals does not decide). Then the results
# benchmark (Pemda-year IKM over RESULTS_RESPONSES responses vs a hand-written GROUP BY, unit
# result page). Writes BENCHMARKS.md.
# Loopback only; every loop is bounded by RUN_TIME/THINK_RUN_TIME and a timeout; it stops what
# it starts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER="${PEER_DIR:-$ROOT/bench/peer}"  # the peer kit; the peer itself comes from PyPI
USERS="${USERS:-50}"; SPAWN_RATE="${SPAWN_RATE:-50}"; RUN_TIME="${RUN_TIME:-30}"
WORKERS="${WORKERS:-4}"; WAIT_SECONDS="${WAIT_SECONDS:-0}"
THINK_USERS="${THINK_USERS:-200}"; THINK_SHARE="${THINK_SHARE:-0.7}"
THINK_RUN_TIME="${THINK_RUN_TIME:-60}"; THINK_SPAWN_RATE="${THINK_SPAWN_RATE:-20}"
TARGET_RATE="${TARGET_RATE:-260}"
RESULTS_RESPONSES="${RESULTS_RESPONSES:-1000000}"
WORK="${BENCH_WORKDIR:-$ROOT/.bench}"
PY="$ROOT/.venv/bin/python"
mkdir -p "$WORK"
cd "$ROOT"

if [ ! -x "$WORK/locust-venv/bin/locust" ]; then
  "$PY" -m venv "$WORK/locust-venv"
  "$WORK/locust-venv/bin/pip" install -q "locust==2.47.0"
fi

MUTU_BENCH_DB="${MUTU_BENCH_DB:-mutu_bench}"  # mutu's database for the run (kept between runs)
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$MUTU_BENCH_DB"
export SECRET_KEY=bench-only-not-secret DEBUG=false SECURE_HTTPS=false ALLOWED_HOSTS=127.0.0.1
export RATELIMIT_SURVEY=100000000 STATIC_ROOT="$WORK/static" LOG_LEVEL=WARNING
# As deployed: deploy/gunicorn.conf.py refuses to start on a per-process cache or the console
# mail backend (`check --deploy`, issue 11).
export CACHE_URL=rediscache://127.0.0.1:6379/0 CACHE_KEY_PREFIX="$MUTU_BENCH_DB" EMAIL_HOST=127.0.0.1
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$MUTU_BENCH_DB'" \
  | grep -q 1 || createdb -h 127.0.0.1 -U postgres "$MUTU_BENCH_DB"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
# The bench-only commands (bench_setup, bench_results) are in the app bench/settings.py adds;
# the server measured runs config.settings, as deployed.
bench_manage() { DJANGO_SETTINGS_MODULE=bench.settings "$PY" manage.py "$@"; }
read -r TOKEN _ < <(bench_manage bench_setup --reset)

# CPU accounting, as the peer's run.sh does: the machine is shared, so each summary says how
# busy it was and how much CPU mutu's gunicorn got during the run.
# Steal (field 9): time the hypervisor gave to other guests. On a shared host it makes the
# same code slower from one run to the next, so each summary reports it.
cpu_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8+$9, $9}' /proc/stat; }
gunicorn_cpu() {
  for p in $(pgrep -P "$GPID") "$GPID"; do awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null; done \
    | awk -v t="$(getconf CLK_TCK)" '{s+=$1} END{printf "%.1f", s/t}'
}
cpu_start() { read -r B0 T0 S0 < <(cpu_busy); G0="$(gunicorn_cpu)"; W0="$(date +%s.%N)"; }
cpu_stop() {  # writes "machine-busy-% gunicorn-cpu-s wall-s steal-%" to $1
  read -r B1 T1 S1 < <(cpu_busy)
  awk -v b="$((B1 - B0))" -v t="$((T1 - T0))" -v g0="$G0" -v g1="$(gunicorn_cpu)" \
    -v w0="$W0" -v w1="$(date +%s.%N)" -v st="$((S1 - S0))" \
    'BEGIN{printf "%.0f %.1f %.1f %.0f\n", t ? 100 * b / t : 0, g1 - g0, w1 - w0, t ? 100 * st / t : 0}' > "$1"
}

# mutu's gunicorn on a free port, started with the options given, warmed up.
start_mutu() {
  PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  URL="http://127.0.0.1:$PORT"
  "$ROOT/.venv/bin/gunicorn" config.wsgi:application "$@" --bind "127.0.0.1:$PORT" \
    --log-level warning --error-logfile "$WORK/gunicorn-error.log" &
  GPID=$!
  trap 'kill -TERM $GPID 2>/dev/null || true; wait $GPID 2>/dev/null || true' EXIT
  for i in $(seq 1 60); do
    [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$URL/s/$TOKEN/")" = 200 ] && break
    [ "$i" = 60 ] && { echo "mutu did not start" >&2; exit 1; }
    sleep 0.5
  done
  for _ in $(seq 1 16); do curl -s -m 5 -o /dev/null "$URL/s/$TOKEN/"; done
}
stop_mutu() { kill -TERM $GPID; wait $GPID 2>/dev/null || true; trap - EXIT; }

# One locust run against mutu: OUT USERS SPAWN_RATE SECONDS [GET+POST loops/s per user], then
# the stored rows are counted and summarised (LABEL, "think" for a paced run).
load_mutu() {
  local out="$1" users="$2" spawn="$3" seconds="$4" per_user="${5:-}" label="$6" before after
  mkdir -p "$out"
  before="$(bench_manage bench_setup --count)"
  cpu_start
  SURVEY_PATH="/s/$TOKEN/" ACCEPTED_FILE="$out/accepted.json" WAIT_SECONDS="$WAIT_SECONDS" \
  THROUGHPUT_PER_USER="$per_user" \
  timeout $((seconds + 120)) "$WORK/locust-venv/bin/locust" -f "$ROOT/bench/locustfile.py" \
    --headless --host "$URL" -u "$users" -r "$spawn" -t "${seconds}s" --stop-timeout 30 \
    --csv "$out/locust" --only-summary --loglevel WARNING > "$out/locust.log" 2>&1 || true
  cpu_stop "$out/cpu.txt"
  sleep 1
  after="$(bench_manage bench_setup --count)"
  "$PY" bench/summary.py "$out" "$before" "$after" "$label" ${per_user:+think} > "$out/summary.md"
  cat "$out/summary.md"
}

# GET+POST loops a second per user so that THINK_USERS users offer RATE submissions/s in all.
per_user() { awk -v r="$1" -v u="$THINK_USERS" 'BEGIN{printf "%.5f", r / u}'; }
STAMP="$(date +%Y%m%dT%H%M%S)"

# 1. Peak with the peer's server configuration (sync workers), for the ratio.
start_mutu --workers "$WORKERS"
OUT="$WORK/results/mutu-u$USERS-$STAMP"
load_mutu "$OUT" "$USERS" "$SPAWN_RATE" "$RUN_TIME" "" "mutu (gunicorn $WORKERS sync workers)"
stop_mutu

# 2. mutu as deployed (deploy/gunicorn.conf.py): peak; then THINK_USERS users with think time
# offering THINK_SHARE of that peak (docs/benchmarking.md), and offering TARGET_RATE (issue 5).
start_mutu -c deploy/gunicorn.conf.py --access-logfile /dev/null
PROD_LABEL="$("$PY" -c 'import runpy; c = runpy.run_path("deploy/gunicorn.conf.py")
print("{workers} {worker_class} workers × {threads} threads, keep-alive".format(**c))')"
PROD_OUT="$WORK/results/mutu-prod-u$USERS-$STAMP"
load_mutu "$PROD_OUT" "$USERS" "$SPAWN_RATE" "$RUN_TIME" "" "mutu as deployed ($PROD_LABEL)"
PROD_RATE="$(sed -n 's/^submissions\/s .*: //p' "$PROD_OUT/summary.md")"
SHARE_RATE="$(awk -v p="$PROD_RATE" -v s="$THINK_SHARE" 'BEGIN{print p * s}')"
THINK_OUT="$WORK/results/mutu-think-u$THINK_USERS-$STAMP"
load_mutu "$THINK_OUT" "$THINK_USERS" "$THINK_SPAWN_RATE" "$THINK_RUN_TIME" \
  "$(per_user "$SHARE_RATE")" "mutu as deployed, $THINK_USERS users with think time"
TARGET_OUT="$WORK/results/mutu-target-u$THINK_USERS-$STAMP"
load_mutu "$TARGET_OUT" "$THINK_USERS" "$THINK_SPAWN_RATE" "$THINK_RUN_TIME" \
  "$(per_user "$TARGET_RATE")" "mutu as deployed, $THINK_USERS users offering $TARGET_RATE submissions/s"
stop_mutu

# The peer, built and loaded the same way (its own scripts, unchanged).
if [ ! -f "$WORK/peer/bench.env" ]; then
  BENCH_WORKDIR="$WORK/peer" bash "$PEER/setup.sh" > /dev/null
fi
USERS="$USERS" SPAWN_RATE="$SPAWN_RATE" RUN_TIME="$RUN_TIME" WORKERS="$WORKERS" \
  WAIT_SECONDS="$WAIT_SECONDS" bash "$PEER/run.sh" "$WORK/peer" > "$WORK/peer-last.txt" 2>&1
PEER_SUMMARY="$(ls -t "$WORK"/peer/results/*/summary.md | head -n1)"

# Fresh statistics and visibility map after the load runs' inserts, as autovacuum would leave
# them on a live server (index-only scans depend on the visibility map).
psql -h 127.0.0.1 -U postgres -d "$MUTU_BENCH_DB" -qc "VACUUM (ANALYZE) surveys_answer, surveys_response"

# Results: a Pemda-year of RESULTS_RESPONSES synthetic responses (kept between runs when the
# count is the same), the app's IKM against a hand-written GROUP BY, the unit result page.
RESULTS_OUT="$WORK/results/results-$(date +%Y%m%dT%H%M%S)"
GENERATED="$(DJANGO_SETTINGS_MODULE=bench.settings timeout 1200 "$PY" manage.py bench_results \
  --responses "$RESULTS_RESPONSES")"
read -r PEMDA_ID YEAR _ _ STATE SECONDS_TAKEN <<< "$GENERATED"
if [ "$STATE" = generated ]; then
  STATE="generated in $SECONDS_TAKEN s on $(date -u +%Y-%m-%d)"
  echo "$STATE" > "$WORK/results-data.txt"
else
  STATE="kept from an earlier run$(sed 's/^/: /' "$WORK/results-data.txt" 2>/dev/null || true)"
fi
timeout 900 "$PY" bench/results.py "$PEMDA_ID" "$YEAR" "$RESULTS_OUT" "$STATE" > /dev/null

"$PY" bench/report.py --mutu "$OUT/summary.md" --peer "$PEER_SUMMARY" --users "$USERS" \
  --run-time "$RUN_TIME" --prod "$PROD_OUT/summary.md" --think "$THINK_OUT/summary.md" \
  --target "$TARGET_OUT/summary.md" --target-rate "$TARGET_RATE" --think-users "$THINK_USERS" \
  --think-share "$THINK_SHARE" --think-run-time "$THINK_RUN_TIME" \
  --results "$RESULTS_OUT/results.md" > "$ROOT/BENCHMARKS.md"
cat "$ROOT/BENCHMARKS.md"

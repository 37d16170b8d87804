#!/usr/bin/env bash
# `make bench`: mutu's public SKM form and the peer (django-survey-and-report) under the same
# locust load on this machine, one after the other in one run (peak: USERS closed-loop users);
# then mutu alone with THINK_USERS users with think time offering THINK_SHARE of the peak just
# measured (latency under a realistic load); then the results benchmark (Pemda-year IKM over
# RESULTS_RESPONSES responses vs a hand-written GROUP BY, unit result page). Writes BENCHMARKS.md.
# Loopback only; every loop is bounded by RUN_TIME/THINK_RUN_TIME and a timeout; it stops what
# it starts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER="${PEER_DIR:-$ROOT/../shared/bench/peer-django-survey}"
USERS="${USERS:-50}"; SPAWN_RATE="${SPAWN_RATE:-50}"; RUN_TIME="${RUN_TIME:-30}"
WORKERS="${WORKERS:-4}"; WAIT_SECONDS="${WAIT_SECONDS:-0}"
THINK_USERS="${THINK_USERS:-200}"; THINK_SHARE="${THINK_SHARE:-0.7}"
THINK_RUN_TIME="${THINK_RUN_TIME:-60}"; THINK_SPAWN_RATE="${THINK_SPAWN_RATE:-20}"
RESULTS_RESPONSES="${RESULTS_RESPONSES:-1000000}"
WORK="${BENCH_WORKDIR:-$ROOT/.bench}"
PY="$ROOT/.venv/bin/python"
mkdir -p "$WORK"
cd "$ROOT"

if [ ! -x "$WORK/locust-venv/bin/locust" ]; then
  "$PY" -m venv "$WORK/locust-venv"
  "$WORK/locust-venv/bin/pip" install -q "locust==2.47.0"
fi

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/mutu_bench"
export SECRET_KEY=bench-only-not-secret DEBUG=false SECURE_HTTPS=false ALLOWED_HOSTS=127.0.0.1
export RATELIMIT_SURVEY=100000000 STATIC_ROOT="$WORK/static" LOG_LEVEL=WARNING
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='mutu_bench'" \
  | grep -q 1 || createdb -h 127.0.0.1 -U postgres mutu_bench
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
read -r TOKEN R0 < <("$PY" manage.py bench_setup)

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

PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"
OUT="$WORK/results/mutu-u$USERS-$(date +%Y%m%dT%H%M%S)"
mkdir -p "$OUT"
"$ROOT/.venv/bin/gunicorn" config.wsgi:application --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
  --log-level warning --error-logfile "$OUT/gunicorn-error.log" &
GPID=$!
trap 'kill -TERM $GPID 2>/dev/null || true; wait $GPID 2>/dev/null || true' EXIT
for i in $(seq 1 60); do
  [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$URL/s/$TOKEN/")" = 200 ] && break
  [ "$i" = 60 ] && { echo "mutu did not start" >&2; exit 1; }
  sleep 0.5
done
for _ in $(seq 1 $((WORKERS * 4))); do curl -s -m 5 -o /dev/null "$URL/s/$TOKEN/"; done

cpu_start
SURVEY_PATH="/s/$TOKEN/" ACCEPTED_FILE="$OUT/accepted.json" WAIT_SECONDS="$WAIT_SECONDS" \
timeout $((RUN_TIME + 120)) "$WORK/locust-venv/bin/locust" -f "$ROOT/bench/locustfile.py" \
  --headless --host "$URL" -u "$USERS" -r "$SPAWN_RATE" -t "${RUN_TIME}s" --stop-timeout 30 \
  --csv "$OUT/locust" --only-summary --loglevel WARNING > "$OUT/locust.log" 2>&1 || true
cpu_stop "$OUT/cpu.txt"
sleep 1
R1="$("$PY" manage.py bench_setup --count)"
"$PY" bench/summary.py "$OUT" "$R0" "$R1" "mutu (gunicorn $WORKERS sync workers)" > "$OUT/summary.md"
cat "$OUT/summary.md"

# Think time: the same server, THINK_USERS users each pacing its GET+POST loops so that all of
# them together offer THINK_SHARE of the peak rate just measured (locust constant_throughput).
# Spawning over several pacing periods spreads the users' phases (no synchronised bursts).
PER_USER="$("$PY" - "$OUT/accepted.json" "$THINK_SHARE" "$THINK_USERS" <<'PY'
import json, sys
acc = json.load(open(sys.argv[1]))
window = acc["last_post_end"] - acc["first_post_start"] if acc["accepted"] else 0
if not window:
    sys.exit("no accepted submission in the peak run: no rate to offer a share of")
print(f"{float(sys.argv[2]) * acc['accepted'] / window / int(sys.argv[3]):.5f}")
PY
)"
THINK_OUT="$WORK/results/mutu-think-u$THINK_USERS-$(date +%Y%m%dT%H%M%S)"
mkdir -p "$THINK_OUT"
cpu_start
SURVEY_PATH="/s/$TOKEN/" ACCEPTED_FILE="$THINK_OUT/accepted.json" THROUGHPUT_PER_USER="$PER_USER" \
timeout $((THINK_RUN_TIME + 120)) "$WORK/locust-venv/bin/locust" -f "$ROOT/bench/locustfile.py" \
  --headless --host "$URL" -u "$THINK_USERS" -r "$THINK_SPAWN_RATE" -t "${THINK_RUN_TIME}s" \
  --stop-timeout 30 --csv "$THINK_OUT/locust" --only-summary --loglevel WARNING \
  > "$THINK_OUT/locust.log" 2>&1 || true
cpu_stop "$THINK_OUT/cpu.txt"
kill -TERM $GPID; wait $GPID 2>/dev/null || true; trap - EXIT
sleep 1
R2="$("$PY" manage.py bench_setup --count)"
"$PY" bench/summary.py "$THINK_OUT" "$R1" "$R2" \
  "mutu, $THINK_USERS users with think time (gunicorn $WORKERS sync workers)" think \
  > "$THINK_OUT/summary.md"
cat "$THINK_OUT/summary.md"

# The peer, built and loaded the same way (its own scripts, unchanged).
if [ ! -f "$WORK/peer/bench.env" ]; then
  BENCH_WORKDIR="$WORK/peer" bash "$PEER/setup.sh" > /dev/null
fi
USERS="$USERS" SPAWN_RATE="$SPAWN_RATE" RUN_TIME="$RUN_TIME" WORKERS="$WORKERS" \
  WAIT_SECONDS="$WAIT_SECONDS" bash "$PEER/run.sh" "$WORK/peer" > "$WORK/peer-last.txt" 2>&1
PEER_SUMMARY="$(ls -t "$WORK"/peer/results/*/summary.md | head -n1)"

# Results: a Pemda-year of RESULTS_RESPONSES synthetic responses (kept between runs when the
# count is the same), the app's IKM against a hand-written GROUP BY, the unit result page.
RESULTS_OUT="$WORK/results/results-$(date +%Y%m%dT%H%M%S)"
GENERATED="$(timeout 1200 "$PY" manage.py bench_results --responses "$RESULTS_RESPONSES")"
read -r PEMDA_ID YEAR _ _ STATE SECONDS_TAKEN <<< "$GENERATED"
if [ "$STATE" = generated ]; then
  STATE="generated in $SECONDS_TAKEN s on $(date -u +%Y-%m-%d)"
  echo "$STATE" > "$WORK/results-data.txt"
else
  STATE="kept from an earlier run$(sed 's/^/: /' "$WORK/results-data.txt" 2>/dev/null || true)"
fi
timeout 900 "$PY" bench/results.py "$PEMDA_ID" "$YEAR" "$RESULTS_OUT" "$STATE" > /dev/null

"$PY" bench/report.py --mutu "$OUT/summary.md" --peer "$PEER_SUMMARY" --users "$USERS" \
  --run-time "$RUN_TIME" --think "$THINK_OUT/summary.md" --think-users "$THINK_USERS" \
  --think-share "$THINK_SHARE" --think-run-time "$THINK_RUN_TIME" \
  --results "$RESULTS_OUT/results.md" > "$ROOT/BENCHMARKS.md"
cat "$ROOT/BENCHMARKS.md"

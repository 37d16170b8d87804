#!/usr/bin/env bash
# `make bench`: mutu's public SKM form and the peer (django-survey-and-report) under the same
# locust load on this machine, one after the other in one run; writes BENCHMARKS.md with the
# ratio. Loopback only; every loop is bounded by RUN_TIME; it stops what it starts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER="${PEER_DIR:-$ROOT/../shared/bench/peer-django-survey}"
USERS="${USERS:-50}"; SPAWN_RATE="${SPAWN_RATE:-50}"; RUN_TIME="${RUN_TIME:-30}"
WORKERS="${WORKERS:-4}"; WAIT_SECONDS="${WAIT_SECONDS:-0}"
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

SURVEY_PATH="/s/$TOKEN/" ACCEPTED_FILE="$OUT/accepted.json" WAIT_SECONDS="$WAIT_SECONDS" \
timeout $((RUN_TIME + 120)) "$WORK/locust-venv/bin/locust" -f "$ROOT/bench/locustfile.py" \
  --headless --host "$URL" -u "$USERS" -r "$SPAWN_RATE" -t "${RUN_TIME}s" --stop-timeout 30 \
  --csv "$OUT/locust" --only-summary --loglevel WARNING > "$OUT/locust.log" 2>&1 || true
kill -TERM $GPID; wait $GPID 2>/dev/null || true; trap - EXIT
sleep 1
R1="$("$PY" manage.py bench_setup --count)"
"$PY" bench/summary.py "$OUT" "$R0" "$R1" "mutu (gunicorn $WORKERS sync workers)" > "$OUT/summary.md"
cat "$OUT/summary.md"

# The peer, built and loaded the same way (its own scripts, unchanged).
if [ ! -f "$WORK/peer/bench.env" ]; then
  BENCH_WORKDIR="$WORK/peer" bash "$PEER/setup.sh" > /dev/null
fi
USERS="$USERS" SPAWN_RATE="$SPAWN_RATE" RUN_TIME="$RUN_TIME" WORKERS="$WORKERS" \
  WAIT_SECONDS="$WAIT_SECONDS" bash "$PEER/run.sh" "$WORK/peer" > "$WORK/peer-last.txt" 2>&1
PEER_SUMMARY="$(ls -t "$WORK"/peer/results/*/summary.md | head -n1)"
"$PY" bench/report.py "$OUT/summary.md" "$PEER_SUMMARY" "$USERS" "$RUN_TIME" > "$ROOT/BENCHMARKS.md"
cat "$ROOT/BENCHMARKS.md"

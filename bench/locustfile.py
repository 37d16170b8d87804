"""Locust load for mutu's public SKM form: the same flow as the peer benchmark.

Each user loops: GET the form (csrftoken cookie + form token), POST the nine unsur, three
profile answers and consent, without following the redirect. Accepted = 302 to /terima-kasih/.
Env: SURVEY_PATH, ACCEPTED_FILE, WAIT_SECONDS (peak: closed loop, zero think time) or
THROUGHPUT_PER_USER (think time: each user starts on average that many GET+POST loops a second,
the time between two loop starts drawn between half and one and a half pacing periods, the
first start at a random moment).
Strict pacing (locust's constant_throughput) made users fall into step with any periodic
hiccup of the load generator: at exactly one loop a second per user, 200 users answered in a
p50 of 190 ms while 1.1 loops a second gave 17 ms, and a plain threaded client at 1.0 gave 4 ms.
Citizens do not arrive in step, so the bench does not either. Latencies and the rate are also
kept for the steady state alone (after every user has spawned), which is what the think-time
scenarios report.
Loopback targets only.
"""

import ipaddress
import json
import os
import random
import re
import time
from urllib.parse import urlparse

import gevent
from locust import FastHttpUser, events, task

SURVEY_PATH = os.environ.get("SURVEY_PATH", "/s/token/")
ACCEPTED_FILE = os.environ.get("ACCEPTED_FILE", "accepted.json")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UNSUR = [
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "sarana",
    "pengaduan",
]
PROFILE = {
    "gender": ["L", "P"],
    "education": ["SD", "SMP", "SMA", "D4-S1"],
    "occupation": ["PNS", "Swasta", "Wirausaha", "Lainnya"],
}
COUNTS = {
    "accepted": 0,
    "rejected": 0,
    "get_errors": 0,
    "first_post_start": None,
    "last_post_end": None,
    "steady_start": None,  # when the last user spawned
    "steady_accepted": 0,
}
TIMES: dict[str, list[float]] = {}
STEADY_TIMES: dict[str, list[float]] = {}
THROUGHPUT_PER_USER = float(os.environ.get("THROUGHPUT_PER_USER") or 0)
WAIT_SECONDS = float(os.environ.get("WAIT_SECONDS") or 0)


@events.init.add_listener
def _only_loopback(environment, **_kwargs):
    host = urlparse(environment.host or "").hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise SystemExit(f"refusing non-loopback target {environment.host!r}")


@events.spawning_complete.add_listener
def _steady(**_kwargs):
    COUNTS["steady_start"] = time.time()


@events.request.add_listener
def _record(name, response_time, **_kwargs):
    TIMES.setdefault(name, []).append(response_time)
    if COUNTS["steady_start"] is not None:
        STEADY_TIMES.setdefault(name, []).append(response_time)


def _pct(values, q):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None


def _latencies(times):
    return {
        name: {
            "n": len(v),
            "p50": _pct(v, 0.5),
            "p95": _pct(v, 0.95),
            "p99": _pct(v, 0.99),
            "max": round(max(v), 1),
        }
        for name, v in times.items()
    }


@events.quitting.add_listener
def _write(environment, **_kwargs):
    COUNTS["latency_ms"] = _latencies(TIMES)
    COUNTS["steady_latency_ms"] = _latencies(STEADY_TIMES)
    COUNTS["users"] = environment.parsed_options.num_users if environment.parsed_options else None
    COUNTS["throughput_per_user"] = THROUGHPUT_PER_USER or None
    with open(ACCEPTED_FILE, "w") as fh:
        json.dump(COUNTS, fh, indent=1)


class Respondent(FastHttpUser):
    def wait_time(self):
        if not THROUGHPUT_PER_USER:
            return WAIT_SECONDS
        # The next loop starts a jittered period after this one started; a loop that ran over
        # starts the next at once, without catching up on the missed ones.
        now = time.time()
        start = max(self.loop_start + random.uniform(0.5, 1.5) / THROUGHPUT_PER_USER, now)
        self.loop_start = start
        return start - now

    def on_start(self):
        if THROUGHPUT_PER_USER:
            gevent.sleep(random.uniform(0, 1 / THROUGHPUT_PER_USER))
        self.loop_start = time.time()

    @task
    def answer(self):
        with self.client.get(SURVEY_PATH + "?qr=1", name="GET survey", catch_response=True) as resp:
            match = CSRF_RE.search(resp.text or "") if resp.status_code == 200 else None
            if not match:
                COUNTS["get_errors"] += 1
                resp.failure(f"no form (status {resp.status_code})")
                return
        data = {f"u_{code}": str(random.randint(1, 4)) for code in UNSUR}
        data.update({name: random.choice(values) for name, values in PROFILE.items()})
        data.update({"consent": "on", "qr": "1", "csrfmiddlewaretoken": match.group(1)})
        start = time.time()
        if COUNTS["first_post_start"] is None:
            COUNTS["first_post_start"] = start
        with self.client.post(
            SURVEY_PATH, data=data, name="POST submit", allow_redirects=False, catch_response=True
        ) as resp:
            location = resp.headers.get("Location", "") if resp.headers else ""
            if resp.status_code == 302 and "/terima-kasih/" in location:
                COUNTS["accepted"] += 1
                COUNTS["last_post_end"] = time.time()
                if COUNTS["steady_start"] is not None:
                    COUNTS["steady_accepted"] += 1
                resp.success()
            else:
                COUNTS["rejected"] += 1
                resp.failure(f"status {resp.status_code} location {location!r}")

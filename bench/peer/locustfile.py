"""Locust load for the django-survey-and-report peer: GET the public survey, POST a valid answer.

Each simulated user loops: GET the survey page (csrftoken cookie + form token), then POST one
random but valid submission without following the redirect. A POST is accepted when the peer
answers 302 to its confirmation page (/survey/confirm/<uuid>/).
Env: SURVEY_PATH (e.g. /survey/1/), ACCEPTED_FILE (JSON written at the end), WAIT_SECONDS
(think time).
Loopback targets only: any other host is refused.
"""

import contextlib
import ipaddress
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from urllib.parse import urlparse

from locust import FastHttpUser, constant, events, task

SURVEY_PATH = os.environ.get("SURVEY_PATH", "/survey/1/")
ACCEPTED_FILE = os.environ.get("ACCEPTED_FILE", "accepted.json")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

COUNTS = {
    "accepted": 0,
    "rejected": 0,
    "get_errors": 0,
    "first_post_start": None,
    "last_post_end": None,
}
FORM = {}  # field name -> list of valid option values, parsed once from the first page
# request name -> every response time in ms (exact percentiles, not locust's rounded ones)
TIMES = {}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields, self._select = {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "radio":
            self.fields.setdefault(a["name"], []).append(a["value"])
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and a.get("value"):
            self.fields.setdefault(self._select, []).append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


@events.init.add_listener
def _only_loopback(environment, **_kwargs):
    host = urlparse(environment.host or "").hostname or ""
    ok = host == "localhost"
    with contextlib.suppress(ValueError):
        ok = ok or ipaddress.ip_address(host).is_loopback
    if not ok:
        raise SystemExit(f"refusing non-loopback target {environment.host!r}")


@events.request.add_listener
def _record_time(name, response_time, **_kwargs):
    TIMES.setdefault(name, []).append(response_time)


def _pct(values, q):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None


@events.quitting.add_listener
def _write_counts(environment, **_kwargs):
    COUNTS["latency_ms"] = {
        name: {
            "n": len(v),
            "p50": _pct(v, 0.50),
            "p95": _pct(v, 0.95),
            "p99": _pct(v, 0.99),
            "max": round(max(v), 1),
        }
        for name, v in TIMES.items()
    }
    with open(ACCEPTED_FILE, "w") as fh:
        json.dump(COUNTS, fh, indent=1)


class Respondent(FastHttpUser):
    wait_time = constant(float(os.environ.get("WAIT_SECONDS", "0")))

    @task
    def answer_survey(self):
        with self.client.get(SURVEY_PATH, name="GET survey", catch_response=True) as resp:
            match = CSRF_RE.search(resp.text or "") if resp.status_code == 200 else None
            if not match:
                COUNTS["get_errors"] += 1
                resp.failure(f"no form (status {resp.status_code})")
                return
            if not FORM:
                parser = _FormParser()
                parser.feed(resp.text)
                FORM.update(parser.fields)
                if len(FORM) != 12:
                    raise SystemExit(f"expected 12 questions, found {len(FORM)}: {sorted(FORM)}")
            token = match.group(1)
        data = {name: random.choice(values) for name, values in FORM.items()}
        data["csrfmiddlewaretoken"] = token
        start = time.time()
        if COUNTS["first_post_start"] is None:
            COUNTS["first_post_start"] = start
        with self.client.post(
            SURVEY_PATH, data=data, name="POST submit", allow_redirects=False, catch_response=True
        ) as resp:
            location = resp.headers.get("Location", "") if resp.headers else ""
            if resp.status_code == 302 and "/survey/confirm/" in location:
                COUNTS["accepted"] += 1
                COUNTS["last_post_end"] = time.time()
                resp.success()
            else:
                COUNTS["rejected"] += 1
                resp.failure(f"status {resp.status_code} location {location!r}")

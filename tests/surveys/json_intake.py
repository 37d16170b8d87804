"""Posting one respondent's answers as JSON, as an app does to the API and a tablet to the
kiosk endpoint: shared by the tests of what those endpoints accept."""

import json
import uuid

from django.urls import reverse

from mutu.indices.ikm import UNSUR_CODES

DEVICE = {"REMOTE_ADDR": "10.1.2.3", "HTTP_USER_AGENT": "AplikasiSKM/1.0"}


def json_payload(**overrides):
    payload = {
        "client_id": str(uuid.uuid4()),
        "answers": dict.fromkeys(UNSUR_CODES, 3),
        "consent": True,
    }
    return payload | overrides


def post_api(client, link, payload):
    url = reverse("api:survey_submit", args=[link.token])
    return client.post(url, json.dumps(payload), content_type="application/json", **DEVICE)


def post_kiosk(client, kiosk, payload):
    url = reverse("surveys:kiosk_submit", args=[kiosk.token])
    return client.post(url, json.dumps(payload), content_type="application/json")

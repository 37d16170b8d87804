"""The one JSON intake path and its one error body, on a made-up complaint endpoint
(tests/core/intake/urls.py): size, JSON, shape, the endpoint's own refusals, junk counting."""

import json

import pytest
from django.test import override_settings

from mutu.core.intake.json_intake import MAX_JSON_DEPTH

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.intake.urls")]
URL = "/aduan/loket-1/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.RATELIMITS = {
        **settings.RATELIMITS,
        "complaint": (30, 600),
        "complaint_junk": (3, 600),
    }


def _post(client, body, url=URL, content_type="application/json", **extra):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, text, content_type=content_type, **extra)


def _error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "code", "fields"} and body["error"]
    return body


def test_a_valid_submission_passes(client):
    response = _post(client, {"subject": "Antrean", "details": {"menit": 90}})
    assert response.status_code == 201 and response.json()["subject"] == "Antrean"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ({"subject": "x" * 2000}, "application/json", 413, "payload_too_large"),
        ("{not json", "application/json", 400, "parse_error"),
        (
            "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),
            "application/json",
            400,
            "parse_error",
        ),
        ("subject=x", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ([1, 2], "application/json", 400, "invalid"),
    ],
    ids=["too-large", "not-json", "too-deep", "not-json-content-type", "not-an-object"],
)
def test_a_body_that_cannot_be_read_is_refused_in_the_one_error_body(
    client, body, content_type, status, code
):
    assert _error(_post(client, body, content_type=content_type), status)["code"] == code


def test_each_field_at_fault_is_named_by_its_dotted_path(client):
    body = _error(_post(client, {"details": {"menit": "lama"}}), 400)
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"subject", "details.menit"}


def test_the_endpoints_own_refusals_keep_their_status_and_code(client):
    assert _error(_post(client, {}, url="/aduan/closed/"), 409)["code"] == "desk_closed"
    assert _error(_post(client, {}, url="/aduan/revoked/"), 403)["code"] == "forbidden"


def test_an_unknown_language_is_refused_and_english_is_offered(client):
    body = _error(_post(client, "{", url=URL + "?lang=xx"), 400)
    assert set(body["fields"]) == {"lang"}
    english = _post(client, "{", url=URL + "?lang=en")
    assert english["Content-Language"] == "en"
    assert _error(english, 400)["error"] != _error(_post(client, "{"), 400)["error"]


def test_junk_past_its_limit_is_429_and_a_valid_submission_still_passes(client):
    for _ in range(3):
        _error(_post(client, "{"), 400)
    refused = _post(client, "{")
    assert _error(refused, 429)["code"] == "rate_limited"
    assert refused["Retry-After"] == "600"
    assert _post(client, {"subject": "Antrean"}).status_code == 201


@override_settings(RATELIMITS={"complaint": (30, 600), "complaint_junk": (1, 600)})
def test_refusals_other_than_junk_are_not_counted(client):
    for _ in range(3):
        _error(_post(client, {}, url="/aduan/closed/"), 409)
    _error(_post(client, "{"), 400)  # the first junk: still within its limit

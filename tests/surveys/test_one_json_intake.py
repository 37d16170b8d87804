"""The kiosk's queue and the public API take a submission by one path (surveys.api.intake on
mutu.core.intake): for the same bad input they answer the same status and the same body, with
the same codes and field paths."""

import json

import pytest
from django.urls import reverse

from mutu.core.intake.meta import ReviewFlag
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.models import KioskDevice, Response, SurveyPeriod
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory
from tests.surveys.json_intake import DEVICE, json_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def doors():
    seat = PeriodUnitFactory()
    link = SurveyLinkFactory(unit=seat.unit)
    kiosk = KioskDevice.objects.create(unit=seat.unit, name="Tablet loket 1")
    return {
        "api": reverse("api:survey_submit", args=[link.token]),
        "kiosk": reverse("surveys:kiosk_submit", args=[kiosk.token]),
    }


def _both(client, doors, body, content_type="application/json"):
    text = body if isinstance(body, str) else json.dumps(body)
    return [
        client.post(doors[door], text, content_type=content_type, **DEVICE)
        for door in ("api", "kiosk")
    ]


NINE = dict.fromkeys(UNSUR_CODES, 3)
BAD_INPUT = {
    "answer-out-of-range": json_payload(answers=NINE | {"waktu": 5}),
    "answer-missing": json_payload(answers={"persyaratan": 3}),
    "unknown-unsur": json_payload(answers=NINE | {"rahasia": 3}),
    "list-for-one-answer": json_payload(suggestion=["a", "b"]),
    "unknown-own-question": json_payload(extra={"q9": "Usul"}),
    "unknown-profile-field": json_payload(profile={"hobby": "catur"}),
    "no-consent": json_payload(consent=False),
    "unknown-field": json_payload(is_admin=True),
    "client-id-not-a-uuid": json_payload(client_id="bukan-uuid"),
    "answers-not-an-object": json_payload(answers=[3, 3, 3]),
    "not-an-object": [1, 2, 3],
    "not-json": "{not json",
    "too-deep": "[" * 20 + "]" * 20,
}


@pytest.mark.parametrize("body", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_the_kiosk_and_the_api_give_the_same_error_body_for_the_same_bad_input(client, doors, body):
    api, kiosk = _both(client, doors, body)
    assert api.status_code == kiosk.status_code == 400, (api.content, kiosk.content)
    assert api.json() == kiosk.json()
    assert set(api.json()) == {"error", "code", "fields"}
    assert not Response.objects.exists()


def test_both_refuse_another_content_type_alike(client, doors):
    api, kiosk = _both(client, doors, "consent=on", "application/x-www-form-urlencoded")
    assert api.status_code == kiosk.status_code == 415
    assert api.json() == kiosk.json() and api.json()["code"] == "unsupported_media_type"


def test_both_answer_a_closed_period_alike(client, doors):
    SurveyPeriod.objects.update(status=SurveyPeriod.Status.CLOSED)
    api, kiosk = _both(client, doors, json_payload())
    assert api.status_code == kiosk.status_code == 409
    assert api.json() == kiosk.json() and api.json()["code"] == "period_closed"


def test_each_keeps_its_own_size_limit_with_the_same_code(client, doors):
    api, kiosk = _both(client, doors, json_payload(suggestion="x" * 9000))
    assert (api.status_code, kiosk.status_code) == (400, 413)  # 9 KB: only the tablet's limit
    assert kiosk.json()["code"] == "payload_too_large"
    api, kiosk = _both(client, doors, json_payload(suggestion="x" * 40_000))
    assert api.json()["code"] == kiosk.json()["code"] == "payload_too_large"


def test_the_toolkits_review_flags_are_the_responses_flags():
    assert {flag.value for flag in ReviewFlag} <= set(Response.Flag.values)

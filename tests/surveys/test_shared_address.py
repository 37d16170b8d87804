"""One user behind a shared address must not block everyone on it (issue 11, item 6): what is
accepted is counted per link and per address; junk — unknown tokens, malformed or invalid
requests — is limited in its own bucket, which never spills onto valid submissions."""

import json
import uuid

import pytest
from django.urls import reverse

from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.models import Response
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory

pytestmark = pytest.mark.django_db
CARRIER_NAT = {"REMOTE_ADDR": "10.77.0.1"}


@pytest.fixture
def link():
    return SurveyLinkFactory(unit=PeriodUnitFactory().unit)


def _payload(n=0, **overrides):
    answers = dict.fromkeys(UNSUR_CODES, 3) | {"waktu": 1 + n % 4, "biaya": 1 + n // 4 % 4}
    return {"client_id": str(uuid.uuid4()), "answers": answers, "consent": True} | overrides


def _api(client, token, body):
    return client.post(
        reverse("api:survey_submit", args=[token]),
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        **CARRIER_NAT,
    )


def _bad_request(client, link, n):
    """Three kinds of junk, in turn: an unknown token, broken JSON, an invalid answer."""
    if n % 3 == 0:
        return _api(client, f"tidak-ada-{n}", _payload(n))
    if n % 3 == 1:
        return _api(client, link.token, "{rusak")
    return _api(client, link.token, _payload(n, answers={"waktu": 9}))


@pytest.mark.slow
def test_300_bad_requests_do_not_turn_away_a_citizen_on_the_same_address(client, link):
    statuses = {_bad_request(client, link, n).status_code for n in range(300)}
    assert statuses == {400, 404}
    assert _api(client, link.token, _payload()).status_code == 201
    form = {f"u_{code}": "4" for code in UNSUR_CODES} | {"consent": "on"}
    web = client.post(reverse("surveys:form", args=[link.token]), form, **CARRIER_NAT)
    assert web.status_code == 302
    assert Response.objects.count() == 2


def test_junk_past_its_own_limit_is_refused_and_valid_answers_still_pass(client, link, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "survey_junk": (5, 600)}
    statuses = [_bad_request(client, link, n).status_code for n in range(5)]
    assert statuses == [404, 400, 400, 404, 400]
    refused = _bad_request(client, link, 5)
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    bad_form = client.post(reverse("surveys:form", args=[link.token]), {}, **CARRIER_NAT)
    assert bad_form.status_code == 429  # a form with errors is junk too
    assert _api(client, link.token, _payload()).status_code == 201


def test_the_hard_limit_counts_stored_answers_per_link_and_address(client, link, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "survey": (1, 600)}  # hard limit: 10
    statuses = [_api(client, link.token, _payload(n)).status_code for n in range(11)]
    assert statuses == [201] * 10 + [429]
    other = SurveyLinkFactory(unit=link.unit)
    assert _api(client, other.token, _payload(99)).status_code == 201
    assert Response.objects.count() == 11

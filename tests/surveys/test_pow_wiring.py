"""The public form carries a per-visitor challenge; the proof's verdict reaches the response."""

import base64
import json
import re

import altcha
import pytest
from django.test import Client
from django.urls import reverse

from mutu.core.intake import pow
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.models import Response
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory

pytestmark = pytest.mark.django_db
CHALLENGE_RE = re.compile(r'name="altcha" value="" data-challenge="([^"]+)"')
ANSWERS = {f"u_{code}": "4" for code in UNSUR_CODES} | {"consent": "on"}


@pytest.fixture
def url():
    seat = PeriodUnitFactory()
    return reverse("surveys:form", args=[SurveyLinkFactory(unit=seat.unit).token])


def _proof(page: str) -> str:
    challenge = altcha.Challenge.from_dict(
        json.loads(base64.b64decode(CHALLENGE_RE.findall(page)[0]))
    )
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


def test_each_visitor_of_the_cached_page_gets_a_fresh_challenge(client, url):
    first, second = client.get(url).content.decode(), Client().get(url).content.decode()
    assert CHALLENGE_RE.findall(first) != CHALLENGE_RE.findall(second)
    assert pow.PLACEHOLDER not in second and '<script defer src="/static/js/pow.js">' in second


def test_a_proof_is_stored_unflagged_and_a_replay_is_flagged(client, url):
    proof = _proof(client.get(url).content.decode())
    assert client.post(url, ANSWERS | {"altcha": proof}).status_code == 302
    other = ANSWERS | {"u_waktu": "2", "altcha": proof}  # other answers: not a duplicate
    assert Client().post(url, other).status_code == 302
    assert list(Response.objects.order_by("pk").values_list("flag", flat=True)) == ["", "pow"]


@pytest.mark.parametrize("value, flag", [("", ""), ("bm90IGEgcHJvb2Y=", "pow")])
def test_no_proof_is_not_flagged_a_bad_one_is(client, url, value, flag):
    assert client.post(url, ANSWERS | {"altcha": value}).status_code == 302
    assert Response.objects.get().flag == flag


def test_a_form_with_errors_comes_back_with_a_new_challenge(client, url):
    page = client.post(url, {"consent": "on"}).content.decode()
    assert CHALLENGE_RE.findall(page) and pow.PLACEHOLDER not in page


def test_a_solved_proof_lifts_the_soft_rate_flag_of_a_shared_address(settings, url):
    settings.RATELIMITS = {**settings.RATELIMITS, "survey": (1, 600)}
    phones = [Client(), Client(), Client()]
    answers = [ANSWERS | {"u_waktu": str(n)} for n in (1, 2, 3)]  # three different people
    phones[0].post(url, answers[0], REMOTE_ADDR="10.1.1.1")
    # The page is opened after the address's first answer: its proof costs what that asks.
    page = phones[1].get(url, REMOTE_ADDR="10.1.1.1").content.decode()
    phones[1].post(url, answers[1] | {"altcha": _proof(page)}, REMOTE_ADDR="10.1.1.1")
    phones[2].post(url, answers[2], REMOTE_ADDR="10.1.1.1")
    flags = list(Response.objects.order_by("pk").values_list("flag", flat=True))
    assert flags == ["", "", "rate"]

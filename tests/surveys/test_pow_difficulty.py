"""The proof-of-work lowers suspicion without erasing it (issue 11, item 7): its work rises
with the address's recent accepted volume, a proof fetched where the volume is low does not
lift the rate flag, and past a second, higher threshold even a good proof is flagged. The
proofs are really solved, as the browser solves them."""

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

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # solves many proofs of work
CHALLENGE_RE = re.compile(r'name="altcha" value="" data-challenge="([^"]+)"')
SHARED = {"REMOTE_ADDR": "10.45.0.1"}


@pytest.fixture
def url(settings):
    # Soft limit 3: the work doubles at 3 accepted answers and again at 4 (MAX_FACTOR);
    # past 6 (twice the limit) even a good proof is flagged.
    settings.RATELIMITS = {**settings.RATELIMITS, "survey": (3, 600)}
    seat = PeriodUnitFactory()
    return reverse("surveys:form", args=[SurveyLinkFactory(unit=seat.unit).token])


def _solved(page: str) -> tuple[str, int]:
    challenge = altcha.Challenge.from_dict(
        json.loads(base64.b64decode(CHALLENGE_RE.findall(page)[0]))
    )
    solution = altcha.solve_challenge(challenge)
    return altcha.Payload(challenge, solution).to_base64(), solution.counter


def _answer(n: int) -> dict[str, str]:  # a different citizen each time: never a duplicate
    values = {"u_waktu": str(1 + n % 4), "u_biaya": str(1 + n // 4 % 4)}
    return {f"u_{code}": "3" for code in UNSUR_CODES} | values | {"consent": "on"}


def _post(url: str, n: int, proof: str = "") -> None:
    assert Client().post(url, _answer(n) | {"altcha": proof}, **SHARED).status_code == 302


def _flags() -> list[str]:
    return list(Response.objects.order_by("pk").values_list("flag", flat=True))


def test_the_work_rises_with_volume_and_a_cheap_proof_does_not_lift_the_flag(url):
    cheap, cheap_work = _solved(Client().get(url, REMOTE_ADDR="10.45.9.9").content.decode())
    assert cheap_work <= pow.MAX_COUNTER  # fetched from an address with no answers
    for n in range(3):
        _post(url, n)  # within the soft limit: never flagged
    _post(url, 3, cheap)  # past it, with a proof worth less than the volume asks
    page = Client().get(url, **SHARED).content.decode()
    proof, work = _solved(page)
    assert work > 2 * pow.MAX_COUNTER  # four times the work now
    _post(url, 4, proof)
    _post(url, 5)  # no proof at all past the limit
    assert _flags() == ["", "", "", "rate", "", "rate"]


def test_past_twice_the_limit_even_a_good_proof_is_flagged(url):
    for n in range(6):
        _post(url, n)
    proof, _work = _solved(Client().get(url, **SHARED).content.decode())
    _post(url, 6, proof)
    assert _flags()[-1] == "rate"
    assert Response.objects.filter(flag="pow").count() == 0  # the proof itself was fine


def test_the_api_instrument_asks_the_same_rising_work(client, url, settings):
    token = url.rstrip("/").split("/")[-1]
    instrument = reverse("api:survey_instrument", args=[token])
    for n in range(4):
        _post(url, n)
    challenge = altcha.Challenge.from_dict(
        json.loads(base64.b64decode(client.get(instrument, **SHARED).json()["pow_challenge"]))
    )
    assert altcha.solve_challenge(challenge).counter > 2 * pow.MAX_COUNTER

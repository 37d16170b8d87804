"""Rate-limit counters and spent proofs live in their own cache alias: whatever happens to the
page cache (junk GETs filling it, a deploy clearing it) leaves them intact (issue 11, item 4)."""

import base64
import json

import altcha
import pytest
from django.core.cache import cache, caches

from mutu.core.intake import pow
from mutu.core.ratelimit import hit

ADDRESS = "10.4.4.4"


def _fill_page_cache() -> None:
    # Far more keys than the per-process cache keeps: it culls old entries to make room.
    for n in range(3_000):
        cache.set(f"skm:form:junk:{n}", "x" * 10)


@pytest.mark.parametrize("spoil", [cache.clear, _fill_page_cache], ids=["cleared", "filled"])
def test_the_page_cache_cannot_reset_rate_counters(spoil):
    assert [hit("survey", ADDRESS, 3, 600) for _ in range(3)] == [True, True, True]
    spoil()
    assert not hit("survey", ADDRESS, 3, 600)  # the fourth is still the fourth


def test_a_spent_proof_stays_spent_when_the_page_cache_is_cleared():
    challenge = altcha.Challenge.from_dict(json.loads(base64.b64decode(pow.new_challenge())))
    proof = altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()
    assert pow.check_solution(proof) == pow.PowVerdict.OK
    cache.clear()
    assert pow.check_solution(proof) == pow.PowVerdict.REPLAYED


def test_the_ratelimit_alias_is_its_own_store():
    caches["ratelimit"].set("probe", 1)
    assert cache.get("probe") is None

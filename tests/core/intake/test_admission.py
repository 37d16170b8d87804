"""Soft and hard limits per address, the junk bucket and the proof that lifts the soft flag,
for any public intake: here a made-up "complaint" form's (issue 11, items 6 and 7)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from mutu.core.intake import pow
from mutu.core.intake.admission import IntakeLimits, over_limit_at

LIMITS = IntakeLimits(accepted="complaint", junk="complaint_junk")
ADDRESS = "10.7.7.7"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.RATELIMITS = {
        **settings.RATELIMITS,
        "complaint": (3, 600),
        "complaint_junk": (2, 600),
        "desk": (2, 60),
    }


def _admit(n: int, target: object = "desk-1", ip: str = ADDRESS) -> list:
    return [LIMITS.admit(target, ip) for _ in range(n)]


def test_past_the_soft_limit_a_submission_is_admitted_but_flagged():
    admitted = _admit(4)
    assert all(a.admitted for a in admitted)
    no_proof = pow.Proof(pow.PowVerdict.MISSING)
    assert [a.over_rate_limit(no_proof) for a in admitted] == [False, False, False, True]
    assert LIMITS.recent_volume(ADDRESS) == 4 and LIMITS.recent_volume("10.7.7.8") == 0


def test_the_hard_limit_is_per_target_and_address():
    admitted = _admit(31)  # ten times the soft limit of 3
    assert [a.admitted for a in admitted[-2:]] == [True, False]
    assert LIMITS.admit("desk-2", ADDRESS).admitted  # another target: its own count
    assert LIMITS.admit("desk-1", "10.7.7.8").admitted  # another address too


def _proof_worth(factor: int) -> pow.Proof:
    return pow.Proof(pow.PowVerdict.OK, counter=pow.MAX_COUNTER * factor)


def test_a_proof_as_hard_as_the_volume_asks_lifts_the_flag_up_to_a_ceiling():
    admitted = _admit(7)  # soft limit 3, ceiling twice that
    fourth, seventh = admitted[3], admitted[6]
    assert not fourth.over_rate_limit(_proof_worth(pow.factor_for(3, 3)))
    assert fourth.over_rate_limit(_proof_worth(1))  # fetched before the burst: too cheap
    assert fourth.over_rate_limit(pow.Proof(pow.PowVerdict.INVALID))
    assert seventh.over_rate_limit(_proof_worth(pow.MAX_FACTOR))  # past the ceiling


def test_the_work_of_a_challenge_rises_with_the_volume():
    assert [pow.factor_for(volume, 3) for volume in range(7)] == [1, 1, 1, 2, 4, 4, 4]
    assert pow.factor_for(29, 30) == 1 and pow.factor_for(30, 30) == 2
    assert pow.factor_for(40, 30) == 4  # another third of the limit, and the cap


def test_junk_is_refused_past_its_own_limit_and_never_counts_against_submissions():
    assert [LIMITS.count_junk(ADDRESS) for _ in range(3)] == [True, True, False]
    assert LIMITS.recent_volume(ADDRESS) == 0
    assert LIMITS.admit("desk-1", ADDRESS).admitted


def test_a_burst_is_counted_in_the_window_of_the_moment_it_was_made():
    now = timezone.now()
    with time_machine.travel(now.replace(second=10), tick=False):
        at_once = [over_limit_at("desk", "tablet-1", timezone.now()) for _ in range(3)]
        earlier = now.replace(second=10) - timedelta(minutes=5)
        queued = [over_limit_at("desk", "tablet-1", earlier) for _ in range(2)]
    assert at_once == [False, False, True]
    assert queued == [False, False]  # answered five minutes ago: not this minute's burst

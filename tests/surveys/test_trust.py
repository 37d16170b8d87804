"""The trust question is reported (issue 12 item 3): share agreeing and distribution, apart from
the IKM, quarantined responses left out like everywhere else."""

from decimal import Decimal

import pytest

from mutu.surveys import selectors
from tests.surveys.factories import PeriodUnitFactory, add_responses, uniform_row


@pytest.fixture
def seat(db):
    seat = PeriodUnitFactory()
    rows = [
        {**uniform_row(3), "trust": 4},
        {**uniform_row(3), "trust": 3},
        {**uniform_row(3), "trust": 1},
        {**uniform_row(3), "trust": None},  # skipped the question
        {**uniform_row(3), "trust": 4, "quarantined": True},  # not counted
    ]
    add_responses(seat.period, seat.unit, rows)
    return seat


def test_trust_summary_counts_answered_not_quarantined(seat, django_assert_num_queries):
    with django_assert_num_queries(1):
        summary = selectors.trust_summary(seat.period, seat.unit_id)
    assert summary.counts == {1: 1, 2: 0, 3: 1, 4: 1}
    assert summary.answered == 3
    assert summary.agreeing_share == Decimal(200) / Decimal(3)
    assert summary.share_display() == "66,7"


def test_trust_summary_of_a_unit_without_answers(seat):
    other = PeriodUnitFactory(period=seat.period)
    summary = selectors.trust_summary(seat.period, other.unit_id)
    assert (summary.answered, summary.agreeing_share) == (0, None)

"""Trust question summary: agreeing = 3–4 on the 1–4 scale, exact share, half-up display."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutu.indices import InputError
from mutu.indices.trust import summarize_trust


def test_share_of_agreeing_is_exact_and_displayed_half_up() -> None:
    summary = summarize_trust({1: 1, 2: 0, 3: 1, 4: 1})
    assert summary.counts == {1: 1, 2: 0, 3: 1, 4: 1}
    assert summary.answered == 3
    assert summary.agreeing == 2
    assert summary.agreeing_share == Decimal(200) / Decimal(3)
    assert summary.share_display() == "66,7"
    assert summary.share_display(0) == "67"


def test_half_up_not_bankers_rounding() -> None:
    # 1 of 8 = 12.5 % → "13", where banker's rounding would print "12".
    assert summarize_trust({3: 1, 2: 7}).share_display(0) == "13"


def test_missing_answers_count_as_zero_and_distribution_sums_to_100() -> None:
    summary = summarize_trust({4: 3, 2: 1})
    assert summary.counts == {1: 0, 2: 1, 3: 0, 4: 3}
    assert summary.distribution == [
        (1, 0, Decimal(0)),
        (2, 1, Decimal(25)),
        (3, 0, Decimal(0)),
        (4, 3, Decimal(75)),
    ]


def test_nobody_answered_has_no_share() -> None:
    summary = summarize_trust({})
    assert (summary.answered, summary.agreeing_share, summary.share_display()) == (0, None, None)
    assert [p for _, _, p in summary.distribution] == [Decimal(0)] * 4


@pytest.mark.parametrize(
    ("counts", "field"),
    [({5: 1}, "counts"), ({0: 1}, "counts"), ({3: -1}, "counts[3]"), ({3: True}, "counts[3]")],
)
def test_invalid_counts_are_refused(counts: dict[int, int], field: str) -> None:
    with pytest.raises(InputError) as error:
        summarize_trust(counts)
    assert error.value.field == field


@given(st.dictionaries(st.integers(1, 4), st.integers(0, 10_000)))
def test_share_between_0_and_100_and_matches_counts(counts: dict[int, int]) -> None:
    summary = summarize_trust(counts)
    assert summary.answered == sum(counts.values())
    if summary.agreeing_share is None:
        assert summary.answered == 0
    else:
        assert Decimal(0) <= summary.agreeing_share <= Decimal(100)
        agreeing = counts.get(3, 0) + counts.get(4, 0)
        assert summary.agreeing_share * summary.answered == pytest.approx(
            Decimal(100 * agreeing), abs=Decimal("1e-20")
        )

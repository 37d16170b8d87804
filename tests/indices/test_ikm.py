"""IKM (docs/methodology.md §2): worked example, band boundaries, legacy weightings, invalid
input."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutu.indices import InputError, categorize_ikm, compute_ikm, ikm_from_answers
from mutu.indices.decimals import round_half_up
from mutu.indices.ikm import UNSUR_CODES, unsur_weight, weighted_nrr

EXAMPLE_TOTALS = dict(zip(UNSUR_CODES, (170, 165, 150, 180, 160, 175, 185, 140, 155), strict=True))
EXAMPLE_COUNTS = dict.fromkeys(UNSUR_CODES, 50)


def uniform(total: int, count: int) -> tuple[dict[str, int], dict[str, int]]:
    """Every unsur with the same sum and n: the score is 25 × total / count."""
    return dict.fromkeys(UNSUR_CODES, total), dict.fromkeys(UNSUR_CODES, count)


def test_worked_example_exact_weighting() -> None:
    result = compute_ikm(EXAMPLE_TOTALS, EXAMPLE_COUNTS)
    expected_nrr = ("3.40", "3.30", "3.00", "3.60", "3.20", "3.50", "3.70", "2.80", "3.10")
    assert {c: round_half_up(v, 2) for c, v in result.nrr.items()} == {
        c: Decimal(v) for c, v in zip(UNSUR_CODES, expected_nrr, strict=True)
    }
    assert round_half_up(result.ikm, 4) == Decimal("3.2889")
    assert result.ikm == Decimal(1480) / Decimal(450)  # unrounded
    assert round_half_up(result.score, 2) == Decimal("82.22")
    assert result.score_display == "82,22"
    assert (result.grade, result.label, result.weighting) == ("B", "Baik", "exact")


@pytest.mark.parametrize(
    ("weighting", "ikm", "display"), [("0.111", "3.2856", "82,14"), ("0.11", "3.2560", "81,40")]
)
def test_worked_example_legacy_weightings(weighting: str, ikm: str, display: str) -> None:
    result = compute_ikm(EXAMPLE_TOTALS, EXAMPLE_COUNTS, weighting=weighting)
    assert round_half_up(result.ikm, 4) == Decimal(ikm)
    assert result.score_display == display
    assert (result.grade, result.label, result.weighting) == ("B", "Baik", weighting)


@pytest.mark.parametrize(
    ("weighting", "display", "grade"),
    [("exact", "100,00", "A"), ("0.111", "99,90", "A"), ("0.11", "99,00", "A")],
)
def test_all_fours_shows_why_legacy_weights_are_wrong(
    weighting: str, display: str, grade: str
) -> None:
    result = compute_ikm(*uniform(400, 100), weighting=weighting)
    assert (result.score_display, result.grade) == (display, grade)


def test_all_ones_legacy_minimum_below_25_is_still_d() -> None:
    result = compute_ikm(*uniform(100, 100), weighting="0.11")
    assert (result.score_display, result.grade, result.label) == ("24,75", "D", "Tidak Baik")
    assert compute_ikm(*uniform(100, 100)).score == Decimal(25)


def test_order_of_keys_does_not_matter() -> None:
    reversed_totals = dict(reversed(EXAMPLE_TOTALS.items()))
    assert compute_ikm(reversed_totals, EXAMPLE_COUNTS) == compute_ikm(
        EXAMPLE_TOTALS, EXAMPLE_COUNTS
    )
    assert list(compute_ikm(reversed_totals, EXAMPLE_COUNTS).nrr) == list(UNSUR_CODES)


# (total, count) giving score = 25 × total / count; grade decided on the score rounded half-up.
@pytest.mark.parametrize(
    ("total", "count", "shown", "grade", "label"),
    [
        (25996, 10000, "64,99", "D", "Tidak Baik"),
        (2599796, 1000000, "64,99", "D", "Tidak Baik"),  # 64.9949 rounds down
        (25998, 10000, "65,00", "C", "Kurang Baik"),  # 64.995 rounds half-up into C
        (26, 10, "65,00", "C", "Kurang Baik"),
        (30640, 10000, "76,60", "C", "Kurang Baik"),
        (3064196, 1000000, "76,60", "C", "Kurang Baik"),  # 76.6049
        (30642, 10000, "76,61", "B", "Baik"),  # 76.605 → 76.61
        (30644, 10000, "76,61", "B", "Baik"),
        (35320, 10000, "88,30", "B", "Baik"),
        (3532196, 1000000, "88,30", "B", "Baik"),  # 88.3049
        (35322, 10000, "88,31", "A", "Sangat Baik"),  # 88.305 → 88.31
        (35324, 10000, "88,31", "A", "Sangat Baik"),
    ],
)
def test_band_boundaries_with_half_up_rounding(
    total: int, count: int, shown: str, grade: str, label: str
) -> None:
    result = compute_ikm(*uniform(total, count))
    assert (result.score_display, result.grade, result.label) == (shown, grade, label)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("25", ("D", "Tidak Baik")),
        ("64.994", ("D", "Tidak Baik")),
        ("64.995", ("C", "Kurang Baik")),
        ("76.604", ("C", "Kurang Baik")),
        ("76.605", ("B", "Baik")),
        ("88.304", ("B", "Baik")),
        ("88.305", ("A", "Sangat Baik")),
        ("100", ("A", "Sangat Baik")),
    ],
)
def test_categorize_ikm(score: str, expected: tuple[str, str]) -> None:
    assert categorize_ikm(Decimal(score)) == expected


@pytest.mark.parametrize("score", ["24.994", "100.005", "-1"])
def test_categorize_ikm_out_of_range(score: str) -> None:
    with pytest.raises(InputError, match="score"):
        categorize_ikm(Decimal(score))


def test_unsur_answered_by_nobody_is_left_out_of_exact_weighting() -> None:
    totals, counts = dict(EXAMPLE_TOTALS), dict(EXAMPLE_COUNTS)
    totals["biaya"], counts["biaya"] = 0, 0
    result = compute_ikm(totals, counts)
    assert "biaya" not in result.nrr
    assert result.ikm == Decimal(1480 - 180) / Decimal(400)
    del totals["biaya"], counts["biaya"]
    assert compute_ikm(totals, counts) == result


def test_legacy_weighting_needs_all_nine_unsur() -> None:
    totals = {k: v for k, v in EXAMPLE_TOTALS.items() if k != "biaya"}
    with pytest.raises(InputError, match=r"^weighting: 0\.111 is defined only"):
        compute_ikm(totals, EXAMPLE_COUNTS | {"biaya": 0}, weighting="0.111")


def test_different_n_per_unsur_is_mean_of_nrr() -> None:
    result = compute_ikm({"persyaratan": 7, "prosedur": 8}, {"persyaratan": 2, "prosedur": 4})
    assert result.ikm == Decimal("2.75")  # (3.5 + 2) / 2, not 15 / 6


@pytest.mark.parametrize(
    ("totals", "counts", "kwargs", "field"),
    [
        ({"persyaratan": 4}, {"persyaratan": 1}, {"weighting": "1/9"}, "weighting"),
        ({"unknown": 4}, {"persyaratan": 1}, {}, "totals['unknown']"),
        ({"persyaratan": 4}, {"Persyaratan": 1}, {}, "counts['Persyaratan']"),
        ({"persyaratan": 4}, {}, {}, "counts['persyaratan']"),  # count zero, total non-zero
        ({"persyaratan": 4}, {"persyaratan": 0}, {}, "counts['persyaratan']"),
        ({"persyaratan": 5}, {"persyaratan": 1}, {}, "totals['persyaratan']"),  # above 4 × n
        ({"persyaratan": 1}, {"persyaratan": 2}, {}, "totals['persyaratan']"),  # below 1 × n
        ({"persyaratan": -1}, {"persyaratan": 1}, {}, "totals['persyaratan']"),
        ({"persyaratan": 4}, {"persyaratan": -1}, {}, "counts['persyaratan']"),
        ({"persyaratan": 4.0}, {"persyaratan": 1}, {}, "totals['persyaratan']"),
        ({"persyaratan": 4}, {"persyaratan": True}, {}, "counts['persyaratan']"),
        ({}, {}, {}, "counts"),
        ({"persyaratan": 0}, {"persyaratan": 0}, {}, "counts"),
    ],
)
def test_invalid_input_names_the_field(
    totals: dict[str, object], counts: dict[str, object], kwargs: dict[str, str], field: str
) -> None:
    with pytest.raises(InputError) as excinfo:
        compute_ikm(totals, counts, **kwargs)  # type: ignore[arg-type]
    assert excinfo.value.field == field
    assert str(excinfo.value).startswith(f"{field}: ")
    assert isinstance(excinfo.value, ValueError)


def test_ikm_from_answers_matches_aggregates_and_skips_none() -> None:
    answers: list[dict[str, int | None]] = [
        {"persyaratan": 4, "prosedur": 3, "biaya": None},
        {"persyaratan": 3, "prosedur": 3, "biaya": 4},
        {"prosedur": 2, "persyaratan": 1},
    ]
    result = ikm_from_answers(answers, weighting="exact")
    expected = compute_ikm(
        {"persyaratan": 8, "prosedur": 8, "biaya": 4}, {"persyaratan": 3, "prosedur": 3, "biaya": 1}
    )
    assert result == expected


def test_ikm_from_answers_example_reproduced_from_rows() -> None:
    # 50 respondents whose sums give the worked example: answers 3 and 4 mixed per unsur.
    rows: list[dict[str, int | None]] = [{} for _ in range(50)]
    for code, total in EXAMPLE_TOTALS.items():
        fours = total - 3 * 50 if total >= 150 else 0
        twos = 150 - total if total < 150 else 0
        for i, row in enumerate(rows):
            row[code] = 4 if i < fours else 2 if i < twos else 3
    assert ikm_from_answers(rows).score_display == "82,22"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([{"persyaratan": 5}], "answers[0]['persyaratan']"),
        ([{"persyaratan": 4}, {"waktu": 0}], "answers[1]['waktu']"),
        ([{"persyaratan": "4"}], "answers[0]['persyaratan']"),
        ([{"persyaratan": True}], "answers[0]['persyaratan']"),
        ([{"kecepatan": 4}], "answers[0]['kecepatan']"),
        ([], "counts"),
        ([{"persyaratan": None}], "counts"),
    ],
)
def test_ikm_from_answers_invalid(answers: list[dict[str, object]], field: str) -> None:
    with pytest.raises(InputError) as excinfo:
        ikm_from_answers(answers)  # type: ignore[arg-type]
    assert excinfo.value.field == field


unsur_totals = st.integers(min_value=1, max_value=500).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.integers(min_value=n, max_value=4 * n), min_size=9, max_size=9),
    )
)


@given(unsur_totals)
def test_property_exact_ikm_is_total_over_answers_for_equal_n(
    data: tuple[int, list[int]],
) -> None:
    n, sums = data
    result = compute_ikm(dict(zip(UNSUR_CODES, sums, strict=True)), dict.fromkeys(UNSUR_CODES, n))
    assert result.ikm == Decimal(sum(sums)) / Decimal(9 * n)
    assert Decimal(25) <= result.score <= Decimal(100)


@given(unsur_totals)
def test_property_legacy_0111_is_exact_times_0999(data: tuple[int, list[int]]) -> None:
    n, sums = data
    totals, counts = dict(zip(UNSUR_CODES, sums, strict=True)), dict.fromkeys(UNSUR_CODES, n)
    exact = compute_ikm(totals, counts).score
    legacy = compute_ikm(totals, counts, weighting="0.111").score
    assert abs(legacy - exact * Decimal("0.999")) < Decimal("1e-20")


@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(UNSUR_CODES), st.one_of(st.none(), st.integers(1, 4)), min_size=1
        ),
        min_size=1,
        max_size=40,
    ).filter(lambda rows: any(v is not None for row in rows for v in row.values()))
)
def test_property_score_in_range_and_grade_consistent(rows: list[dict[str, int | None]]) -> None:
    result = ikm_from_answers(rows)
    assert Decimal(25) <= result.score <= Decimal(100)
    assert (result.grade, result.label) == categorize_ikm(result.score)
    assert Decimal(1) <= min(result.nrr.values()) <= result.ikm <= max(result.nrr.values())


def test_weighted_nrr_is_nrr_times_the_weight_and_sums_to_the_ikm():
    first, second = UNSUR_CODES[:2]
    totals = {code: 3 * 10 for code in UNSUR_CODES} | {first: 40}
    exact = compute_ikm(totals, dict.fromkeys(UNSUR_CODES, 10))
    assert unsur_weight(exact) == Fraction(1, 9)
    weighted = weighted_nrr(exact)
    assert weighted[first] == Decimal(4) / 9  # NRR 4 × 1/9, exact to the Decimal context
    assert weighted[second] == Decimal(3) / 9
    legacy = compute_ikm(totals, dict.fromkeys(UNSUR_CODES, 10), weighting="0.111")
    assert unsur_weight(legacy) == Fraction(111, 1000)
    assert weighted_nrr(legacy)[second] == Decimal("0.333")

"""IPP (docs/methodology.md §4): worked examples, categories, N/A redistribution, F-03 blend."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutu.indices import (
    InputError,
    categorize_ipp,
    compute_ipp,
    compute_ipp_from_aspects,
    load_instrument,
    mean_index,
    rescale_f03,
)
from mutu.indices.decimals import round_half_up
from mutu.indices.ipp import IPP_CATEGORIES

PEKPPP_2022 = load_instrument("pekppp-2022")
CODES = [indicator.code for indicator in PEKPPP_2022.indicators]


def all_scored(score: int | None) -> dict[str, int | None]:
    return dict.fromkeys(CODES, score)


def test_worked_example_all_threes() -> None:
    result = compute_ipp(PEKPPP_2022, all_scored(3))
    assert result.aspects == dict.fromkeys("abcdef", Decimal(3))
    assert (result.index, result.index_display) == (Decimal(3), "3,00")
    assert (result.category, result.label) == ("C", "Cukup")
    assert (result.f03, result.f03_weight, result.not_applicable) == (None, None, ())


def test_worked_example_innovation_fives() -> None:
    scores = all_scored(3) | {"29.f.B": 5, "30.f.B": 5}
    result = compute_ipp(PEKPPP_2022, scores)
    assert result.aspects["f"] == Decimal(5)
    assert result.index == Decimal("3.24")  # 3 + 0.12 × 2
    assert (result.category, result.label) == ("B-", "Baik (dengan catatan)")


def test_aspect_is_weighted_mean_of_indicators() -> None:
    # Aspect a weights 17,14,7,14,10,17,7,7,7: only 1.a.Ak at 5 → 3 + 0.17 × 2 = 3.34.
    result = compute_ipp(PEKPPP_2022, all_scored(3) | {"1.a.Ak": 5})
    assert result.aspects["a"] == Decimal("3.34")
    assert result.index == Decimal("3") + Decimal("0.24") * Decimal("0.34")


def test_not_applicable_weight_is_redistributed_inside_its_aspect() -> None:
    # Aspect c: 15,23,20,20,11,11. 15.c.K (parkir) N/A, 16.c.As = 5, others 3:
    # (23·5 + (20+20+11+11)·3) / 85 = 301/85.
    scores = all_scored(3) | {"15.c.K": None, "16.c.As": 5}
    result = compute_ipp(PEKPPP_2022, scores)
    assert result.aspects["c"] == Decimal(301) / Decimal(85)
    assert result.not_applicable == ("15.c.K",)
    assert result.aspects["a"] == Decimal(3)  # other aspects untouched


def test_aspect_with_every_indicator_not_applicable_is_refused() -> None:
    scores = all_scored(3) | {"29.f.B": None, "30.f.B": None}
    with pytest.raises(InputError, match=r"^scores: aspect f \(Inovasi\)"):
        compute_ipp(PEKPPP_2022, scores)


def test_f03_blend_default_and_custom_weight() -> None:
    result = compute_ipp(PEKPPP_2022, all_scored(4), f03=Decimal("2"))
    assert (result.f02, result.f03, result.f03_weight) == (Decimal(4), Decimal(2), Decimal("0.25"))
    assert result.index == Decimal("3.5")  # 0.75·4 + 0.25·2
    assert (result.category, result.index_display) == ("B-", "3,50")
    custom = compute_ipp(PEKPPP_2022, all_scored(4), f03=Decimal("2"), f03_weight=Decimal("0.5"))
    assert custom.index == Decimal(3)


# Every category boundary, on the index rounded half-up to 2 dp.
@pytest.mark.parametrize(
    ("index", "category", "label"),
    [
        ("5", "A", "Pelayanan Prima"),
        ("4.51", "A", "Pelayanan Prima"),
        ("4.505", "A", "Pelayanan Prima"),
        ("4.5049", "A-", "Sangat Baik"),
        ("4.50", "A-", "Sangat Baik"),
        ("4.01", "A-", "Sangat Baik"),
        ("4.00", "B", "Baik"),
        ("3.51", "B", "Baik"),
        ("3.50", "B-", "Baik (dengan catatan)"),
        ("3.01", "B-", "Baik (dengan catatan)"),
        ("3.00", "C", "Cukup"),
        ("2.51", "C", "Cukup"),
        ("2.50", "C-", "Cukup (dengan catatan)"),
        ("2.01", "C-", "Cukup (dengan catatan)"),
        ("2.00", "D", "Buruk"),
        ("1.51", "D", "Buruk"),
        ("1.50", "E", "Sangat Buruk"),
        ("1.01", "E", "Sangat Buruk"),
        ("1.0049", "F", "Gagal"),
        ("1.00", "F", "Gagal"),
        ("0", "F", "Gagal"),
    ],
)
def test_category_boundaries(index: str, category: str, label: str) -> None:
    assert categorize_ipp(Decimal(index)) == (category, label)


@pytest.mark.parametrize("index", [Decimal("-0.01"), Decimal("5.001"), Decimal("NaN"), 4.5])
def test_categorize_rejects_out_of_range(index: object) -> None:
    with pytest.raises(InputError, match=r"^index: "):
        categorize_ipp(index)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("scores", "kwargs", "field"),
    [
        (all_scored(3) | {"31.g.X": 3}, {}, "scores['31.g.X']"),
        ({k: 3 for k in CODES if k != "1.a.Ak"}, {}, "scores['1.a.Ak']"),
        (all_scored(3) | {"2.a.P": 6}, {}, "scores['2.a.P']"),
        (all_scored(3) | {"2.a.P": -1}, {}, "scores['2.a.P']"),
        (all_scored(3) | {"2.a.P": 2.5}, {}, "scores['2.a.P']"),
        (all_scored(3) | {"2.a.P": True}, {}, "scores['2.a.P']"),
        (all_scored(3), {"f03": Decimal("5.5")}, "f03"),
        (all_scored(3), {"f03": Decimal(4), "f03_weight": Decimal("1.5")}, "f03_weight"),
        (all_scored(3), {"f03_weight": Decimal("-0.1")}, "f03_weight"),
    ],
)
def test_invalid_input_names_the_field(
    scores: dict[str, object], kwargs: dict[str, Decimal], field: str
) -> None:
    with pytest.raises(InputError) as excinfo:
        compute_ipp(PEKPPP_2022, scores, **kwargs)  # type: ignore[arg-type]
    assert excinfo.value.field == field


def test_from_aspects_for_old_results() -> None:
    pekppp_2017 = load_instrument("pekppp-2017")
    aspects = {"a": Decimal("4"), "b": Decimal("3"), "c": 3, "d": "3", "e": Decimal(3), "f": 3}
    result = compute_ipp_from_aspects(pekppp_2017, aspects)  # type: ignore[arg-type]
    assert result.index == Decimal("3.3")  # 3 + 0.30 × 1
    assert result.aspects["a"] == Decimal(4)
    blended = compute_ipp_from_aspects(pekppp_2017, aspects, f03=Decimal(5))  # type: ignore[arg-type]
    assert blended.index == Decimal("0.75") * Decimal("3.3") + Decimal("1.25")


@pytest.mark.parametrize(
    ("aspects", "field"),
    [
        (dict.fromkeys("abcdef", Decimal(3)) | {"g": Decimal(3)}, "aspect_scores['g']"),
        (dict.fromkeys("abcde", Decimal(3)), "aspect_scores['f']"),
        (dict.fromkeys("abcdef", Decimal(3)) | {"b": Decimal(6)}, "aspect_scores['b']"),
    ],
)
def test_from_aspects_invalid(aspects: dict[str, Decimal], field: str) -> None:
    with pytest.raises(InputError) as excinfo:
        compute_ipp_from_aspects(PEKPPP_2022, aspects)
    assert excinfo.value.field == field


def test_pemda_ipp_is_mean_of_unrounded_indices() -> None:
    indices = [Decimal("3.0049"), Decimal("3.0049"), Decimal("3.0149")]
    assert mean_index(indices) == Decimal("9.0247") / Decimal(3)
    assert categorize_ipp(mean_index(indices))[0] == "B-"  # 3.0082… → 3.01
    # The forbidden way, a mean of rounded values (3.00, 3.00, 3.01 → 3.0033…), would say C.
    rounded = [round_half_up(value, 2) for value in indices]
    assert categorize_ipp(mean_index(rounded))[0] == "C"


def test_mean_index_invalid() -> None:
    with pytest.raises(InputError, match=r"^indices: "):
        mean_index([])
    with pytest.raises(InputError, match=r"^indices\[1\]: "):
        mean_index([Decimal(3), Decimal(7)])


@pytest.mark.parametrize(
    ("mean", "low", "high", "expected"),
    [
        ("1", 1, 4, "0"),
        ("4", 1, 4, "5"),
        ("2.5", 1, 4, "2.5"),
        ("3", 0, 5, "3"),
        ("3", 1, 5, "2.5"),
    ],
)
def test_rescale_f03(mean: str, low: int, high: int, expected: str) -> None:
    assert rescale_f03(Decimal(mean), scale_min=low, scale_max=high) == Decimal(expected)


def test_rescale_f03_invalid() -> None:
    with pytest.raises(InputError, match=r"^scale_max: "):
        rescale_f03(Decimal(3), scale_min=4, scale_max=4)
    with pytest.raises(InputError, match=r"^mean: "):
        rescale_f03(Decimal("4.5"), scale_min=1, scale_max=4)


@given(st.integers(min_value=0, max_value=5))
def test_property_all_scores_s_give_index_s(score: int) -> None:
    result = compute_ipp(PEKPPP_2022, all_scored(score))
    assert result.index == Decimal(score)
    assert set(result.aspects.values()) == {Decimal(score)}


@given(st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=30, max_size=30))
def test_property_index_between_lowest_and_highest_score(values: list[int | None]) -> None:
    scores = dict(zip(CODES, values, strict=True))
    for aspect in PEKPPP_2022.aspects:  # keep one applicable indicator per aspect
        first = aspect.indicators[0].code
        scores[first] = 0 if scores[first] is None else scores[first]
    result = compute_ipp(PEKPPP_2022, scores)
    applicable = [v for v in scores.values() if v is not None]
    assert min(applicable) <= result.index <= max(applicable)
    assert (result.category, result.label) == categorize_ipp(result.index)
    assert len(result.not_applicable) == list(scores.values()).count(None)


@given(st.decimals(min_value=0, max_value=5, places=4), st.decimals(min_value=0, max_value=5))
def test_property_categories_are_monotonic(a: Decimal, b: Decimal) -> None:
    order = [category for _, category, _ in IPP_CATEGORIES]
    low, high = sorted((a, b))
    assert order.index(categorize_ipp(low)[0]) >= order.index(categorize_ipp(high)[0])

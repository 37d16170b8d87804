"""Ombudsman RI categories by year (docs/methodology.md §5): published figures and every
boundary."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutu.indices import InputError, classify, load_schemes, scheme_for_year
from mutu.indices.ombudsman import Band, Scheme


# Figures from public news reports (docs/methodology.md §5).
@pytest.mark.parametrize(
    ("region", "year", "score", "zone", "grade"),
    [
        ("Kab. Penajam Paser Utara", 2022, "55.18", "kuning", "C"),
        ("Kab. Gunung Mas", 2016, "56.98", "kuning", None),
        ("Kab. Gunung Mas", 2017, "32.03", "merah", None),
        ("Kab. Gunung Mas", 2018, "87.14", "hijau", None),
        ("Kab. Gunung Mas", 2021, "57.79", "kuning", None),
        ("Kab. Gunung Mas", 2022, "73.87", "kuning", "C"),
        ("Kab. Gunung Mas", 2023, "82.35", "hijau", "B"),
    ],
)
def test_published_results(
    region: str, year: int, score: str, zone: str, grade: str | None
) -> None:
    result = classify(score, year=year)
    assert (result.zone, result.grade, result.year) == (zone, grade, year), region
    assert not result.provisional


@pytest.mark.parametrize("year", range(2015, 2022))
@pytest.mark.parametrize(
    ("score", "zone", "label"),
    [
        ("100", "hijau", "Kepatuhan Tinggi"),
        ("81", "hijau", "Kepatuhan Tinggi"),
        ("80.995", "hijau", "Kepatuhan Tinggi"),  # rounds half-up to 81.00
        ("80.99", "kuning", "Kepatuhan Sedang"),
        ("51.00", "kuning", "Kepatuhan Sedang"),
        ("50.99", "merah", "Kepatuhan Rendah"),
        ("0", "merah", "Kepatuhan Rendah"),
    ],
)
def test_2015_2021_zones_without_grade(year: int, score: str, zone: str, label: str) -> None:
    result = classify(score, year=year)
    assert (result.zone, result.grade, result.label) == (zone, None, label)
    assert result.scheme == "kepatuhan-2015"


BANDS_2022 = [
    ("100", "A", "Kualitas Tertinggi", "hijau"),
    ("88.00", "A", "Kualitas Tertinggi", "hijau"),
    ("87.99", "B", "Kualitas Tinggi", "hijau"),
    ("78.00", "B", "Kualitas Tinggi", "hijau"),
    ("77.99", "C", "Kualitas Sedang", "kuning"),
    ("77.994", "C", "Kualitas Sedang", "kuning"),
    ("54.00", "C", "Kualitas Sedang", "kuning"),
    ("53.99", "D", "Kualitas Rendah", "merah"),
    ("32.00", "D", "Kualitas Rendah", "merah"),
    ("31.995", "D", "Kualitas Rendah", "merah"),
    ("31.99", "E", "Kualitas Terendah", "merah"),
    ("0", "E", "Kualitas Terendah", "merah"),
]


@pytest.mark.parametrize("year", [2022, 2023, 2024])
@pytest.mark.parametrize(("score", "grade", "label", "zone"), BANDS_2022)
def test_2022_2024_bands(year: int, score: str, grade: str, label: str, zone: str) -> None:
    result = classify(Decimal(score), year=year)
    assert (result.grade, result.label, result.zone) == (grade, label, zone)


@pytest.mark.parametrize("year", [2025, 2026, 2040])
@pytest.mark.parametrize(("score", "grade", "label", "zone"), BANDS_2022)
def test_2025_onwards_opinion_labels_are_provisional(
    year: int, score: str, grade: str, label: str, zone: str
) -> None:
    result = classify(score, year=year)
    assert (result.grade, result.label, result.zone) == (grade, f"Opini {label}", zone)
    assert result.provisional
    complied = classify(score, year=year, complied=True)
    assert complied.label == f"Opini {label} Tanpa Maladministrasi"


def test_compliance_suffix_does_not_exist_before_2025() -> None:
    with pytest.raises(InputError, match=r"^complied: the 2023 scheme"):
        classify("90", year=2023, complied=True)


@pytest.mark.parametrize(
    ("score", "year", "field"),
    [
        ("100.01", 2022, "score"),
        ("-0.5", 2022, "score"),
        ("sembilan", 2022, "score"),
        ("82,35", 2023, "score"),  # a decimal comma is refused rather than guessed
        (82.35, 2023, "score"),  # float is inexact
        ("NaN", 2023, "score"),
        ("50", 2014, "year"),
        ("50", "2022", "year"),
    ],
)
def test_invalid_input(score: object, year: object, field: str) -> None:
    with pytest.raises(InputError) as excinfo:
        classify(score, year=year)  # type: ignore[arg-type]
    assert excinfo.value.field == field


def test_string_with_spaces_and_int_scores() -> None:
    assert classify(" 88 ", year=2022).grade == "A"
    assert classify(88, year=2022).grade == "A"  # type: ignore[arg-type]


def test_edited_schemes_can_be_passed_in() -> None:
    published_2025 = Scheme(
        code="opini-2025-resmi",
        name="Opini Ombudsman",
        legal_basis="Peraturan Ombudsman 61/2025",
        first_year=2025,
        last_year=None,
        published=True,
        complied_suffix=None,
        bands=(
            Band(Decimal(90), "A", "Opini Kualitas Tertinggi", "hijau"),
            Band(Decimal(10), "B", "Opini Kualitas Tinggi", "kuning"),
            Band(Decimal(0), "X", "Opini Kualitas Terendah", "hitam"),
        ),
    )
    schemes = (*load_schemes()[:2], published_2025)
    result = classify("89.99", year=2025, schemes=schemes)
    assert (result.grade, result.zone, result.provisional) == ("B", "kuning", False)
    assert classify("9", year=2025, schemes=schemes).zone == "hitam"
    assert scheme_for_year(2016, schemes).code == "kepatuhan-2015"


@given(
    st.decimals(min_value=0, max_value=100, places=3),
    st.decimals(min_value=0, max_value=100, places=3),
    st.integers(min_value=2015, max_value=2030),
)
def test_property_higher_score_never_gets_a_worse_zone(a: Decimal, b: Decimal, year: int) -> None:
    zones = ["hijau", "kuning", "merah"]
    low, high = sorted((a, b))
    assert zones.index(classify(low, year=year).zone) >= zones.index(classify(high, year=year).zone)

"""Krejcie & Morgan (1970) sample sizes (docs/methodology.md §3)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutu.indices import InputError, krejcie_morgan

# The published table (Krejcie & Morgan 1970, Table 1), every row.
PUBLISHED_TABLE = {
    10: 10, 15: 14, 20: 19, 25: 24, 30: 28, 35: 32, 40: 36, 45: 40, 50: 44, 55: 48, 60: 52,
    65: 56, 70: 59, 75: 63, 80: 66, 85: 70, 90: 73, 95: 76, 100: 80, 110: 86, 120: 92, 130: 97,
    140: 103, 150: 108, 160: 113, 170: 118, 180: 123, 190: 127, 200: 132, 210: 136, 220: 140,
    230: 144, 240: 148, 250: 152, 260: 155, 270: 159, 280: 162, 290: 165, 300: 169, 320: 175,
    340: 181, 360: 186, 380: 191, 400: 196, 420: 201, 440: 205, 460: 210, 480: 214, 500: 217,
    550: 226, 600: 234, 650: 242, 700: 248, 750: 254, 800: 260, 850: 265, 900: 269, 950: 274,
    1000: 278, 1100: 285, 1200: 291, 1300: 297, 1400: 302, 1500: 306, 1600: 310, 1700: 313,
    1800: 317, 1900: 320, 2000: 322, 2200: 327, 2400: 331, 2600: 335, 2800: 338, 3000: 341,
    3500: 346, 4000: 351, 4500: 354, 5000: 357, 6000: 361, 7000: 364, 8000: 367, 9000: 368,
    10000: 370, 15000: 375, 20000: 377, 30000: 379, 40000: 380, 50000: 381, 75000: 382,
    1000000: 384,
}  # fmt: skip


@pytest.mark.parametrize(("population", "sample"), [(100, 80), (1000, 278), (10000, 370)])
def test_spec_examples(population: int, sample: int) -> None:
    assert krejcie_morgan(population) == sample


@pytest.mark.parametrize(("population", "sample"), sorted(PUBLISHED_TABLE.items()))
def test_published_table_row(population: int, sample: int) -> None:
    assert krejcie_morgan(population) == sample


@pytest.mark.parametrize(("population", "sample"), [(0, 0), (1, 1), (2, 2), (5, 5)])
def test_tiny_populations_survey_everyone(population: int, sample: int) -> None:
    assert krejcie_morgan(population) == sample


@pytest.mark.parametrize("population", [-1, 1.5, "100", True, None])
def test_invalid_population(population: object) -> None:
    with pytest.raises(InputError, match=r"^population: "):
        krejcie_morgan(population)  # type: ignore[arg-type]


def test_limit_for_very_large_populations() -> None:
    assert krejcie_morgan(10**12) == 384


@given(st.integers(min_value=0, max_value=10**9))
def test_property_bounded_by_population_and_384(population: int) -> None:
    sample = krejcie_morgan(population)
    assert 0 <= sample <= population
    assert sample <= 384


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=10**5))
def test_property_monotonic(population: int, extra: int) -> None:
    assert krejcie_morgan(population) <= krejcie_morgan(population + extra)


@given(st.integers(min_value=10**6, max_value=10**12))
def test_property_tends_to_384(population: int) -> None:
    assert krejcie_morgan(population) == 384

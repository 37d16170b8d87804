"""Sample size for the SKM (Krejcie & Morgan 1970), as required by PermenPANRB 14/2017.

S = X²·N·P(1−P) / (d²·(N−1) + X²·P(1−P)) with X² = 3.841, P = 0.5, d = 0.05, rounded half-up to
the nearest integer. Evaluated with exact rationals, this reproduces every row of the published
table (10 → 10, 100 → 80, 1000 → 278, 10000 → 370, 1000000 → 384).
"""

from __future__ import annotations

from fractions import Fraction

from mutu.indices.errors import InputError

CHI_SQUARE = Fraction("3.841")  # χ² for 1 degree of freedom at 95 % confidence
PROPORTION = Fraction(1, 2)  # P = 0.5 gives the largest (safest) sample
MARGIN = Fraction(5, 100)  # d = 0.05


def krejcie_morgan(population: int) -> int:
    """Minimum number of respondents for a population of ``population`` service users."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 0:
        raise InputError("population", f"must be a non-negative integer, got {population!r}")
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    exact = spread * population / (MARGIN**2 * (population - 1) + spread)
    return int(exact + Fraction(1, 2))  # half-up; exact is never negative

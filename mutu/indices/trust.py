"""The trust question ("Saya percaya pada layanan ini", 1–4): kept apart from the IKM.

Share agreeing = answers 3 (setuju) and 4 (sangat setuju) / all answers, as a percentage. It is
never averaged with the nine unsur and never enters the NRR or the IKM (docs/methodology.md §3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from mutu.indices.decimals import fraction_to_decimal
from mutu.indices.errors import InputError

TRUST_SCALE: tuple[int, ...] = (1, 2, 3, 4)
AGREEING: frozenset[int] = frozenset({3, 4})


@dataclass(frozen=True, slots=True)
class TrustSummary:
    counts: dict[int, int]  # every answer 1–4, zero included, in scale order
    answered: int
    agreeing: int
    share_agreeing: Decimal | None  # percent 0–100, None when nobody answered


def trust_summary_from_counts(counts: Mapping[int, int]) -> TrustSummary:
    """Distribution and share agreeing from {answer 1–4: number of people}."""
    unknown = sorted(set(counts) - set(TRUST_SCALE), key=str)
    if unknown:
        raise InputError(f"counts[{unknown[0]!r}]", "answer must be 1, 2, 3 or 4")
    full: dict[int, int] = {}
    for answer in TRUST_SCALE:
        n = counts.get(answer, 0)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InputError(f"counts[{answer}]", f"must be a non-negative integer, got {n!r}")
        full[answer] = n
    answered = sum(full.values())
    agreeing = sum(full[a] for a in AGREEING)
    share = fraction_to_decimal(Fraction(agreeing * 100, answered)) if answered else None
    return TrustSummary(counts=full, answered=answered, agreeing=agreeing, share_agreeing=share)

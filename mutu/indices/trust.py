"""The trust question ("Saya percaya pada layanan ini.", 1–4 agreement scale), see
docs/methodology.md. It is asked beside the SKM and never enters the IKM.

Agreeing = answers 3 (Setuju) and 4 (Sangat setuju). The share is a percentage of those who
answered the question, exact until display (half-up, like every published number).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from mutu.indices.decimals import format_id, fraction_to_decimal
from mutu.indices.errors import InputError

TRUST_SCALE: tuple[int, ...] = (1, 2, 3, 4)
AGREEING: frozenset[int] = frozenset({3, 4})


@dataclass(frozen=True, slots=True)
class TrustSummary:
    counts: dict[int, int]  # people per answer, every point of the scale present (zeros too)
    answered: int
    agreeing_share: Decimal | None  # percent 0–100 of those who answered; None if nobody did

    def share_display(self, places: int = 1) -> str | None:
        """The agreeing share for people, decimal comma, half-up: "66,7"."""
        return None if self.agreeing_share is None else format_id(self.agreeing_share, places)

    @property
    def agreeing(self) -> int:
        return sum(n for answer, n in self.counts.items() if answer in AGREEING)

    @property
    def distribution(self) -> list[tuple[int, int, Decimal]]:
        """(answer, people, exact percent of those who answered) for every scale point."""
        return [
            (answer, n, _percent(n, self.answered) if self.answered else Decimal(0))
            for answer, n in self.counts.items()
        ]


def _percent(part: int, whole: int) -> Decimal:
    return fraction_to_decimal(Fraction(100 * part, whole))


def summarize_trust(counts: Mapping[int, int]) -> TrustSummary:
    """TrustSummary from {answer 1–4: people}; missing answers count as 0."""
    for answer, n in counts.items():
        if answer not in TRUST_SCALE:
            raise InputError("counts", f"answer must be one of 1–4, got {answer!r}")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InputError(f"counts[{answer}]", f"must be a whole number >= 0, got {n!r}")
    full = {answer: counts.get(answer, 0) for answer in TRUST_SCALE}
    answered = sum(full.values())
    agreeing = sum(full[a] for a in AGREEING)
    share = _percent(agreeing, answered) if answered else None
    return TrustSummary(counts=full, answered=answered, agreeing_share=share)

"""Exact arithmetic helpers shared by the calculators.

Formulas are evaluated with ``Fraction`` (exact rationals) and converted to ``Decimal`` once, so
that no intermediate rounding can leak into a published number. Rounding happens only for display
and for deciding a grade, always half-up as the regulations print them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction

from mutu.indices.errors import InputError

# A fixed context, so results never depend on the caller's thread-local decimal settings.
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)


def fraction_to_decimal(value: Fraction) -> Decimal:
    """The exact rational as a Decimal with 28 significant digits (correctly rounded)."""
    return _CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round for display or grading: 82.225 → 82.23, never banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_id(value: Decimal, places: int) -> str:
    """Indonesian display format, decimal comma: Decimal("82.2222") → "82,22"."""
    return f"{round_half_up(value, places):f}".replace(".", ",")


def to_decimal(value: object, field: str) -> Decimal:
    """Accept Decimal, int or a numeric string; floats are refused because they are inexact."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InputError(field, f"expected a decimal number, got {value!r}")
    try:
        result = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise InputError(field, f"not a number: {value!r}") from None
    if not result.is_finite():
        raise InputError(field, f"not a finite number: {value!r}")
    return result

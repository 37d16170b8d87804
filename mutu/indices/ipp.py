"""IPP — Indeks Pelayanan Publik from a PEKPPP evaluation (PermenPANRB 29/2022 jo. 4/2023).

Aspect score A_a = Σ (w_i/100)·s_i; F-02 index = Σ (W_a/100)·A_a; with F-03, the final index is
(1 − f03_weight)·F-02 + f03_weight·F-03. Instruments are data files (``data/<code>.json``) so that
an administrator can correct a weight or text without touching code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

from mutu.indices.datafile import DATA_DIR, Node, read_json
from mutu.indices.decimals import format_id, fraction_to_decimal, round_half_up, to_decimal
from mutu.indices.errors import DataFileError, InputError

IPP_MAX = 5
HUNDRED = Decimal(100)

# (lowest index rounded to 2 dp, category, label), best first.
IPP_CATEGORIES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("4.51"), "A", "Pelayanan Prima"),
    (Decimal("4.01"), "A-", "Sangat Baik"),
    (Decimal("3.51"), "B", "Baik"),
    (Decimal("3.01"), "B-", "Baik (dengan catatan)"),
    (Decimal("2.51"), "C", "Cukup"),
    (Decimal("2.01"), "C-", "Cukup (dengan catatan)"),
    (Decimal("1.51"), "D", "Buruk"),
    (Decimal("1.01"), "E", "Sangat Buruk"),
    (Decimal("0.00"), "F", "Gagal"),
)
_INSTRUMENT_CODE = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    text: str
    weight: Decimal  # % within its aspect
    weight_verified: bool
    descriptors: tuple[str, ...]  # one per score, lowest first; empty when not transcribed


@dataclass(frozen=True, slots=True)
class Aspect:
    code: str
    number: int
    name: str
    weight: Decimal  # % of the index
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True, slots=True)
class Instrument:
    code: str
    name: str
    legal_basis: str
    confidence: str
    score_min: int
    score_max: int
    aspects: tuple[Aspect, ...]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(indicator for aspect in self.aspects for indicator in aspect.indicators)


@dataclass(frozen=True, slots=True)
class IppResult:
    index: Decimal
    aspects: dict[str, Decimal]
    category: str
    label: str
    index_display: str
    f02: Decimal
    f03: Decimal | None
    f03_weight: Decimal | None
    not_applicable: tuple[str, ...]  # reports must say which indicators were left out


def categorize_ipp(index: Decimal) -> tuple[str, str]:
    """(category, label) for an index 0–5, decided on the index rounded half-up to 2 dp."""
    rounded = round_half_up(_index_value(index, "index"), 2)
    return next((cat, label) for lower, cat, label in IPP_CATEGORIES if rounded >= lower)


def compute_ipp(
    instrument: Instrument,
    scores: Mapping[str, int | None],
    *,
    f03: Decimal | None = None,
    f03_weight: Decimal = Decimal("0.25"),
) -> IppResult:
    """IPP from one score per indicator code (None = not applicable, weight moved inside aspect)."""
    known = {indicator.code for indicator in instrument.indicators}
    unknown = sorted(set(scores) - known)
    if unknown:
        raise InputError(f"scores[{unknown[0]!r}]", f"unknown indicator code in {instrument.code}")
    aspects = {
        aspect.code: _aspect_score(instrument, aspect, scores) for aspect in instrument.aspects
    }
    not_applicable = tuple(i.code for i in instrument.indicators if scores[i.code] is None)
    return _result(instrument, aspects, f03, f03_weight, not_applicable)


def compute_ipp_from_aspects(
    instrument: Instrument,
    aspect_scores: Mapping[str, Decimal],
    *,
    f03: Decimal | None = None,
    f03_weight: Decimal = Decimal("0.25"),
) -> IppResult:
    """IPP from aspect scores 0–5 (for importing old results published per aspect only)."""
    codes = [aspect.code for aspect in instrument.aspects]
    extra = sorted(set(aspect_scores) - set(codes))
    if extra:
        raise InputError(f"aspect_scores[{extra[0]!r}]", f"unknown aspect in {instrument.code}")
    aspects: dict[str, Fraction] = {}
    for code in codes:
        field = f"aspect_scores[{code!r}]"
        if code not in aspect_scores:
            raise InputError(field, "missing")
        aspects[code] = Fraction(_index_value(aspect_scores[code], field))
    return _result(instrument, aspects, f03, f03_weight, ())


def mean_index(indices: Iterable[Decimal]) -> Decimal:
    """A Pemda's IPP: the mean of its lokus units' unrounded indices (never of rounded ones)."""
    values = [Fraction(_index_value(value, f"indices[{i}]")) for i, value in enumerate(indices)]
    if not values:
        raise InputError("indices", "at least one unit index is needed")
    return fraction_to_decimal(sum(values, Fraction(0)) / len(values))


def rescale_f03(mean: Decimal, *, scale_min: int, scale_max: int) -> Decimal:
    """Map an F-03 mean on a scale_min–scale_max questionnaire linearly onto 0–5."""
    if scale_max <= scale_min:
        raise InputError("scale_max", f"must be greater than scale_min ({scale_min})")
    value = to_decimal(mean, "mean")
    if not scale_min <= value <= scale_max:
        raise InputError("mean", f"must be within {scale_min}–{scale_max}, got {value}")
    rescaled = (Fraction(value) - scale_min) / (scale_max - scale_min) * IPP_MAX
    return fraction_to_decimal(rescaled)


def _index_value(value: object, field: str) -> Decimal:
    number = to_decimal(value, field)
    if not 0 <= number <= IPP_MAX:
        raise InputError(field, f"must be within 0–{IPP_MAX}, got {number}")
    return number


def _aspect_score(
    instrument: Instrument, aspect: Aspect, scores: Mapping[str, int | None]
) -> Fraction:
    weighted, applicable_weight = Fraction(0), Fraction(0)
    for indicator in aspect.indicators:
        score = _indicator_score(instrument, indicator.code, scores)
        if score is not None:
            weighted += Fraction(indicator.weight) * score
            applicable_weight += Fraction(indicator.weight)
    if applicable_weight == 0:
        raise InputError(
            "scores", f"aspect {aspect.code} ({aspect.name}) has no applicable indicator"
        )
    # Dividing by the applicable weight redistributes N/A weight proportionally in the aspect.
    return weighted / applicable_weight


def _indicator_score(
    instrument: Instrument, code: str, scores: Mapping[str, int | None]
) -> int | None:
    field = f"scores[{code!r}]"
    if code not in scores:
        raise InputError(field, "missing (use None for not applicable)")
    score = scores[code]
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int):
        raise InputError(field, f"must be an integer, got {score!r}")
    if not instrument.score_min <= score <= instrument.score_max:
        raise InputError(
            field, f"must be within {instrument.score_min}–{instrument.score_max}, got {score}"
        )
    return score


def _result(
    instrument: Instrument,
    aspects: Mapping[str, Fraction],
    f03: Decimal | None,
    f03_weight: Decimal,
    not_applicable: tuple[str, ...],
) -> IppResult:
    blend = to_decimal(f03_weight, "f03_weight")
    if not 0 <= blend <= 1:
        raise InputError("f03_weight", f"must be within 0–1, got {blend}")
    f02 = sum(
        (Fraction(aspect.weight) / 100 * aspects[aspect.code] for aspect in instrument.aspects),
        Fraction(0),
    )
    index = f02
    if f03 is not None:
        f03 = _index_value(f03, "f03")
        index = (1 - Fraction(blend)) * f02 + Fraction(blend) * Fraction(f03)
    exact = fraction_to_decimal(index)
    category, label = categorize_ipp(exact)
    return IppResult(
        index=exact,
        aspects={code: fraction_to_decimal(value) for code, value in aspects.items()},
        category=category,
        label=label,
        index_display=format_id(exact, 2),
        f02=fraction_to_decimal(f02),
        f03=f03,
        f03_weight=None if f03 is None else blend,
        not_applicable=not_applicable,
    )


@cache
def load_instrument(code: str) -> Instrument:
    """A packaged instrument by code: "pekppp-2022" (30 indicators) or "pekppp-2017"."""
    path = DATA_DIR / f"{code}.json"
    if not _INSTRUMENT_CODE.fullmatch(code) or not path.is_file():
        raise InputError("code", f"unknown instrument {code!r}")
    instrument = load_instrument_file(path)
    if instrument.code != code:
        raise DataFileError(path, "code", f"is {instrument.code!r}, the file name says {code!r}")
    return instrument


def load_instrument_file(path: Path) -> Instrument:
    """Read and validate an instrument file (also for copies an administrator edits)."""
    root = read_json(path)
    code, name = root.child("code").text(), root.child("name").text()
    scale = root.child("scale")
    score_min, score_max = scale.child("min").integer(), scale.child("max").integer()
    if not 0 <= score_min < score_max <= IPP_MAX:
        raise scale.error(f"must satisfy 0 ≤ min < max ≤ {IPP_MAX}")
    aspects_node = root.child("aspects")
    levels = score_max - score_min + 1
    aspects = tuple(_parse_aspect(node, levels) for node in aspects_node.items())
    indicator_codes = [i.code for a in aspects for i in a.indicators]
    _check_unique(aspects_node, [a.code for a in aspects], "aspect code")
    _check_unique(aspects_node, indicator_codes, "indicator code")
    _check_total(aspects_node, [a.weight for a in aspects], "aspect weights")
    return Instrument(
        code=code,
        name=name,
        legal_basis=root.child("legal_basis").text(),
        confidence=root.child("confidence").text(),
        score_min=score_min,
        score_max=score_max,
        aspects=aspects,
    )


def _parse_aspect(node: Node, levels: int) -> Aspect:
    indicators_node = node.child("indicators")
    indicators = tuple(_parse_indicator(item, levels) for item in indicators_node.items())
    _check_total(indicators_node, [i.weight for i in indicators], "indicator weights")
    return Aspect(
        code=node.child("code").text(),
        number=node.child("number").integer(),
        name=node.child("name").text(),
        weight=_positive(node.child("weight")),
        indicators=indicators,
    )


def _parse_indicator(node: Node, levels: int) -> Indicator:
    descriptors_node = node.optional("descriptors")
    descriptors = tuple(d.text() for d in descriptors_node.items()) if descriptors_node else ()
    if descriptors_node and len(descriptors) != levels:
        raise descriptors_node.error(f"expected {levels} descriptors, one per score")
    return Indicator(
        code=node.child("code").text(),
        text=node.child("text").text(),
        weight=_positive(node.child("weight")),
        weight_verified=node.child("weight_verified").flag(),
        descriptors=descriptors,
    )


def _positive(node: Node) -> Decimal:
    value = node.decimal()
    if value <= 0:
        raise node.error(f"must be positive, got {value}")
    return value


def _check_unique(node: Node, codes: list[str], what: str) -> None:
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise node.error(f"duplicate {what} {duplicates[0]!r}")


def _check_total(node: Node, weights: list[Decimal], what: str) -> None:
    total = sum(weights, Decimal(0))
    if total != HUNDRED:
        raise node.error(f"{what} must sum to 100, got {total}")

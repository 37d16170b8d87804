"""IKM — Indeks Kepuasan Masyarakat (PermenPANRB 14/2017), see docs/methodology.md.

NRR_u = sum of answers to unsur u / answers to u; IKM = Σ NRR_u × w_u; converted value = IKM × 25.
Official weighting: w = 1/(number of unsur). The legacy weights 0.111 and 0.11 are supported only to
reproduce old regional reports: they cap the top score at 99.90 and 99.00.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from mutu.indices.decimals import format_id, fraction_to_decimal, round_half_up
from mutu.indices.errors import InputError

# Keyed by code, never by position: regional questionnaires order the unsur differently.
UNSUR_CODES: tuple[str, ...] = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "sarana",
    "pengaduan",
)
WEIGHTINGS: tuple[str, ...] = ("exact", "0.111", "0.11")
ANSWER_MIN, ANSWER_MAX = 1, 4
CONVERSION_FACTOR = 25

# (lowest converted value rounded to 2 dp, grade, kinerja unit), best first.
IKM_BANDS: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)


@dataclass(frozen=True, slots=True)
class IkmResult:
    nrr: dict[str, Decimal]
    ikm: Decimal
    score: Decimal
    score_display: str
    grade: str
    label: str
    weighting: str


def categorize_ikm(score: Decimal) -> tuple[str, str]:
    """(grade, label) for a converted value 25–100, decided on the value rounded half-up to 2 dp."""
    rounded = round_half_up(score, 2)
    if not Decimal(25) <= rounded <= Decimal(100):
        raise InputError("score", f"converted value must be within 25–100, got {score}")
    # The last band starts at 25.00 and rounded >= 25, so the loop always returns.
    return next((grade, label) for lower, grade, label in IKM_BANDS if rounded >= lower)


def compute_ikm(
    totals: Mapping[str, int], counts: Mapping[str, int], *, weighting: str = "exact"
) -> IkmResult:
    """IKM from the sum of answers and the number of answers per unsur code.

    An unsur with no answers (count 0, total 0) is left out, so the exact weighting becomes
    1/(unsur answered). The legacy weightings exist only for the nine-unsur questionnaire.
    """
    if weighting not in WEIGHTINGS:
        raise InputError("weighting", f"must be one of {', '.join(WEIGHTINGS)}, got {weighting!r}")
    nrr = _nrr_by_unsur(totals, counts)
    if not nrr:
        raise InputError("counts", "no answers at all: at least one unsur needs answers")
    if weighting != "exact" and len(nrr) != len(UNSUR_CODES):
        raise InputError(
            "weighting", f"{weighting} is defined only when all nine unsur are answered"
        )
    weight = Fraction(1, len(nrr)) if weighting == "exact" else Fraction(weighting)
    ikm = sum(nrr.values(), Fraction(0)) * weight
    score = fraction_to_decimal(ikm * CONVERSION_FACTOR)
    grade, label = categorize_ikm(score) if weighting == "exact" else _legacy_grade(score)
    return IkmResult(
        nrr={code: fraction_to_decimal(value) for code, value in nrr.items()},
        ikm=fraction_to_decimal(ikm),
        score=score,
        score_display=format_id(score, 2),
        grade=grade,
        label=label,
        weighting=weighting,
    )


def _legacy_grade(score: Decimal) -> tuple[str, str]:
    # Legacy weights can push the minimum below 25 (9 × 1 × 0.11 × 25 = 24.75); such a report
    # is still graded D, as the regions that used these weights did.
    return categorize_ikm(max(score, Decimal(25)))


def _nrr_by_unsur(totals: Mapping[str, int], counts: Mapping[str, int]) -> dict[str, Fraction]:
    for name, mapping in (("totals", totals), ("counts", counts)):
        unknown = sorted(set(mapping) - set(UNSUR_CODES))
        if unknown:
            raise InputError(f"{name}[{unknown[0]!r}]", "unknown unsur code")
    nrr: dict[str, Fraction] = {}
    for code in UNSUR_CODES:  # canonical order, whatever order the caller used
        total = _non_negative(totals.get(code, 0), f"totals[{code!r}]")
        count = _non_negative(counts.get(code, 0), f"counts[{code!r}]")
        if count == 0 and total != 0:
            raise InputError(f"counts[{code!r}]", f"is 0 but the total is {total}")
        if not ANSWER_MIN * count <= total <= ANSWER_MAX * count:
            raise InputError(
                f"totals[{code!r}]", f"{total} is impossible for {count} answers between 1 and 4"
            )
        if count:
            nrr[code] = Fraction(total, count)
    return nrr


def _non_negative(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(field, f"must be a non-negative integer, got {value!r}")
    return value


def ikm_from_answers(
    answers: Iterable[Mapping[str, int | None]], *, weighting: str = "exact"
) -> IkmResult:
    """IKM from raw responses: one mapping per respondent, unsur code → 1–4 or None (skipped)."""
    totals = dict.fromkeys(UNSUR_CODES, 0)
    counts = dict.fromkeys(UNSUR_CODES, 0)
    for index, response in enumerate(answers):
        for code, answer in response.items():
            field = f"answers[{index}][{code!r}]"
            if code not in totals:
                raise InputError(field, "unknown unsur code")
            if answer is None:
                continue
            if isinstance(answer, bool) or not isinstance(answer, int):
                raise InputError(field, f"answer must be an integer 1–4, got {answer!r}")
            if not ANSWER_MIN <= answer <= ANSWER_MAX:
                raise InputError(field, f"answer must be between 1 and 4, got {answer}")
            totals[code] += answer
            counts[code] += 1
    return compute_ikm(totals, counts, weighting=weighting)


def unsur_weight(result: IkmResult) -> Fraction:
    """The weight each answered unsur had in ``result``: 1/(unsur answered), or the legacy one."""
    if result.weighting == "exact":
        return Fraction(1, len(result.nrr))
    return Fraction(result.weighting)


def weighted_nrr(result: IkmResult) -> dict[str, Decimal]:
    """NRR tertimbang per unsur (NRR × weight), the column PermenPANRB 14/2017 prints; their
    sum is the IKM."""
    weight = unsur_weight(result)
    return {code: fraction_to_decimal(Fraction(nrr) * weight) for code, nrr in result.nrr.items()}

"""A unit's and a Pemda's results: aggregated in the database, every number from mutu.indices."""

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from mutu.indices.ikm import UNSUR_CODES, IkmResult, compute_ikm
from mutu.indices.sampling import krejcie_morgan
from mutu.indices.trust import TrustSummary
from mutu.surveys.models import Answer, PeriodUnit, Response, SurveyPeriod
from mutu.surveys.selectors.result_cache import cached_result, result_state
from mutu.surveys.selectors.unit_details import (
    ExtraResult,
    extra_results,
    suggestion_keywords,
    trust_summary,
)
from mutu.surveys.themes import Theme

SMALL_CELL = 5  # demographic cells with fewer respondents are not shown (privacy)
PROFILE_FIELDS = ("service", "gender", "age_band", "education", "occupation", "channel")


@dataclass(frozen=True)
class Breakdown:
    field: str
    label: str
    rows: list[tuple[str, int, IkmResult | None]]  # (shown value, people, IKM or None if < 5)


@dataclass(frozen=True)
class UnitResult:
    respondents: int
    quarantined: int
    target: int | None
    ikm: IkmResult | None  # without quarantined responses: the official number
    ikm_with_quarantined: IkmResult | None
    lowest: list[tuple[str, Decimal]]
    previous: IkmResult | None

    @property
    def short_of_target(self) -> int:
        return max((self.target or 0) - self.respondents, 0)

    @property
    def change(self) -> Decimal | None:
        """Converted value now minus the previous period's (unrounded), or None."""
        if self.ikm is None or self.previous is None:
            return None
        return self.ikm.score - self.previous.score

    def dropped_more_than(self, margin: Decimal) -> bool:
        return self.change is not None and self.change < -margin


def _ikm(rows: Any, weighting: str) -> IkmResult | None:
    totals = {code: 0 for code in UNSUR_CODES}
    counts = {code: 0 for code in UNSUR_CODES}
    for row in rows:
        totals[row["unsur"]] += row["total"]
        counts[row["unsur"]] += row["n"]
    if not any(counts.values()):
        return None
    return compute_ikm(totals, counts, weighting=weighting)


def _subtract(all_rows: list[dict[str, Any]], minus: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = {r["unsur"]: dict(r) for r in all_rows}
    for r in minus:
        out[r["unsur"]]["total"] -= r["total"]
        out[r["unsur"]]["n"] -= r["n"]
    return list(out.values())


def _grouped(answers: QuerySet[Answer]) -> list[dict[str, Any]]:
    rows: Any = answers.values("unsur").annotate(total=Sum("value"), n=Count("value"))
    return list(rows)


@dataclass(frozen=True)
class UnitPage:
    """Everything the unit's result page shows, each part cached under one shared state."""

    result: UnitResult
    breakdowns: list[Breakdown]
    keywords: list[Theme]
    extras: list[ExtraResult]
    trust: TrustSummary | None = None  # the trust question, apart from the IKM


def unit_page(period: SurveyPeriod, member: PeriodUnit) -> UnitPage:
    """The unit page's numbers with one state probe for all its cached parts (a cached page
    runs a handful of small queries, whatever the number of responses)."""
    state = result_state(period, member.unit_id)
    core: UnitResult = cached_result(
        "unit", period, member, lambda: _compute_unit_result(period, member), state
    )
    return UnitPage(
        result=replace(core, previous=_previous_ikm(period, member.unit_id)),
        breakdowns=cached_result(
            "breakdown",
            period,
            member,
            lambda: _breakdowns(period, member.unit_id),
            state,
        ),
        keywords=cached_result(
            "themes", period, member, lambda: suggestion_keywords(period, member.unit_id), state
        ),
        extras=extra_results(period, member, state),
        trust=cached_result(
            "trust", period, member, lambda: trust_summary(period, member.unit_id), state
        ),
    )


def unit_result(period: SurveyPeriod, member: PeriodUnit) -> UnitResult:
    """IKM of one unit in one period (cached until its responses change), with the IKM of the
    unit's previous published period (itself cached the same way)."""
    core: UnitResult = cached_result(
        "unit", period, member, lambda: _compute_unit_result(period, member)
    )
    return replace(core, previous=_previous_ikm(period, member.unit_id))


def _compute_unit_result(period: SurveyPeriod, member: PeriodUnit) -> UnitResult:
    answers = Answer.objects.filter(period=period, unit_id=member.unit_id)
    all_rows = _grouped(answers)
    held = _grouped(answers.filter(response__quarantined=True))
    counts = Response.objects.filter(period=period, unit_id=member.unit_id).aggregate(
        n=Count("id", filter=Q(quarantined=False)), q=Count("id", filter=Q(quarantined=True))
    )
    return _result(period, member.population, all_rows, held, counts["n"], counts["q"], None)


def _result(
    period: SurveyPeriod,
    population: int | None,
    all_rows: list[dict[str, Any]],
    held: list[dict[str, Any]],
    respondents: int,
    quarantined: int,
    previous: IkmResult | None,
) -> UnitResult:
    ikm = _ikm(_subtract(all_rows, held), period.weighting)
    return UnitResult(
        respondents=respondents,
        quarantined=quarantined,
        target=krejcie_morgan(population) if population else None,
        ikm=ikm,
        ikm_with_quarantined=_ikm(all_rows, period.weighting) if held else ikm,
        lowest=sorted(ikm.nrr.items(), key=lambda kv: kv[1])[:3] if ikm else [],
        previous=previous,
    )


def _breakdowns(period: SurveyPeriod, unit_id: int) -> list[Breakdown]:
    """IKM per value of each profile field. Two GROUP BYs over all the fields at once (one join
    of answers to responses, not one per field); each field's sums are then rolled up from those
    groups, which only adds sums and counts. A value with fewer than 5 people shows no IKM."""
    paths = {name: "service__name" if name == "service" else name for name in PROFILE_FIELDS}
    answers = Answer.objects.filter(period=period, unit_id=unit_id, response__quarantined=False)
    groups = list(
        answers.values(*(f"response__{path}" for path in paths.values()), "unsur").annotate(
            total=Sum("value"), n=Count("value")
        )
    )
    people = list(
        Response.objects.filter(period=period, unit_id=unit_id, quarantined=False)
        .values(*paths.values())
        .annotate(n=Count("id"))
    )
    return [_rolled_up(period, name, path, groups, people) for name, path in paths.items()]


def _rolled_up(
    period: SurveyPeriod,
    name: str,
    path: str,
    groups: list[dict[str, Any]],
    people_groups: list[dict[str, Any]],
) -> Breakdown:
    sums: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for group in groups:
        cell = sums[group[f"response__{path}"] or ""][group["unsur"]]
        cell[0] += group["total"]
        cell[1] += group["n"]
    people: Counter[str] = Counter()
    for group in people_groups:
        people[group[path] or ""] += group["n"]
    model_field: Any = Response._meta.get_field(name)
    shown = dict(model_field.choices or [])
    # Values in the order of their choices (education SD … S3, not alphabetical), blank last.
    rank = {value: index for index, value in enumerate(shown)}
    ordered = sorted(sums.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
    return Breakdown(
        field=name,
        label=str(model_field.verbose_name),
        rows=[
            (
                str(shown.get(value, value)),
                people[value],
                _ikm(
                    [{"unsur": u, "total": t, "n": n} for u, (t, n) in by_unsur.items()],
                    period.weighting,
                )
                if people[value] >= SMALL_CELL
                else None,
            )
            for value, by_unsur in ordered
        ],
    )


def _previous_member(period: SurveyPeriod, unit_id: int) -> PeriodUnit | None:
    return (
        PeriodUnit.objects.filter(
            unit_id=unit_id,
            period__pemda_id=period.pemda_id,
            period__status=SurveyPeriod.Status.CLOSED,
            period__ends_on__lt=period.starts_on,
        )
        .select_related("period")
        .order_by("-period__ends_on")
        .first()
    )


def _previous_ikm(period: SurveyPeriod, unit_id: int) -> IkmResult | None:
    """The IKM of the unit's last published (closed) period before this one."""
    member = _previous_member(period, unit_id)
    if member is None:
        return None
    core: UnitResult = cached_result(
        "unit", member.period, member, lambda: _compute_unit_result(member.period, member)
    )
    return core.ikm


def period_summaries(period: SurveyPeriod, members: list[PeriodUnit]) -> dict[int, UnitResult]:
    """Every unit's result in a period with a fixed number of GROUP BY queries, whatever the
    number of units (the period page); breakdowns are left to the unit page."""
    answers = Answer.objects.filter(period=period)
    rows = _by_unit(answers)
    held = _by_unit(answers.filter(response__quarantined=True))
    counts = {
        c["unit_id"]: c
        for c in Response.objects.filter(period=period)
        .values("unit_id")
        .annotate(
            n=Count("id", filter=Q(quarantined=False)), q=Count("id", filter=Q(quarantined=True))
        )
    }
    previous = _previous_by_unit(period)
    out = {}
    for member in members:
        count = counts.get(member.unit_id, {"n": 0, "q": 0})
        out[member.unit_id] = _result(
            period,
            member.population,
            rows.get(member.unit_id, []),
            held.get(member.unit_id, []),
            count["n"],
            count["q"],
            previous.get(member.unit_id),
        )
    return out


def _by_unit(answers: QuerySet[Answer]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    rows: Any = answers.values("unit_id", "unsur").annotate(total=Sum("value"), n=Count("value"))
    for row in rows:
        grouped.setdefault(row["unit_id"], []).append(row)
    return grouped


def _previous_by_unit(period: SurveyPeriod) -> dict[int, IkmResult | None]:
    previous = (
        SurveyPeriod.objects.filter(
            pemda_id=period.pemda_id,
            ends_on__lt=period.starts_on,
            status=SurveyPeriod.Status.CLOSED,
        )
        .order_by("-ends_on")
        .first()
    )
    if previous is None:
        return {}
    answers = Answer.objects.filter(period=previous)
    rows, held = _by_unit(answers), _by_unit(answers.filter(response__quarantined=True))
    return {
        unit_id: _ikm(_subtract(unit_rows, held.get(unit_id, [])), previous.weighting)
        for unit_id, unit_rows in rows.items()
    }


def pemda_result(period: SurveyPeriod) -> IkmResult | None:
    """The Pemda's IKM for the period: every unit's counted answers together (one GROUP BY)."""
    answers = Answer.objects.filter(period=period)
    rows = _subtract(_grouped(answers), _grouped(answers.filter(response__quarantined=True)))
    return _ikm(rows, period.weighting)


def pemda_year_result(pemda: Any, year: int) -> IkmResult | None:
    """The Pemda's IKM for a year: the counted answers of every period starting in that year
    together, as pemda_result does for one period. The periods' weighting when they share one,
    else the official exact weighting."""
    periods = list(
        SurveyPeriod.objects.filter(pemda=pemda, starts_on__year=year).values_list(
            "pk", "weighting"
        )
    )
    answers = Answer.objects.filter(period_id__in=[pk for pk, _ in periods])
    rows = _subtract(_grouped(answers), _grouped(answers.filter(response__quarantined=True)))
    weightings = {weighting for _, weighting in periods}
    return _ikm(rows, weightings.pop() if len(weightings) == 1 else "exact")

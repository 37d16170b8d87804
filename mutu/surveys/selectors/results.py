"""Reads of the SKM. Aggregation happens in the database; every number comes from mutu.indices."""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models.fields.json import KT
from django.http import Http404
from django.utils import timezone

from mutu.core.permissions import pemdas_visible_to, units_visible_to
from mutu.indices.ikm import UNSUR_CODES, IkmResult, compute_ikm
from mutu.indices.sampling import krejcie_morgan
from mutu.indices.trust import TrustSummary, summarize_trust
from mutu.surveys.instrument import ExtraKind, ExtraQuestion, extra_questions_of
from mutu.surveys.models import (
    Answer,
    PeriodUnit,
    Response,
    ReviewRequest,
    SurveyLink,
    SurveyPeriod,
)
from mutu.surveys.services import SurveyTarget, today_in
from mutu.surveys.themes import Theme, distinct, themes

SMALL_CELL = 5  # demographic cells with fewer respondents are not shown (privacy)
PROFILE_FIELDS = ("service", "gender", "age_band", "education", "occupation", "channel")


# --- public form --------------------------------------------------------------------------


def _open_member_for(unit_id: int, tz_name: str, day: date | None = None) -> PeriodUnit | None:
    return _member_on(unit_id, day or today_in(tz_name), period__status=SurveyPeriod.Status.OPEN)


def _member_closed_since(unit_id: int, day: date, moment: datetime) -> PeriodUnit | None:
    return _member_on(
        unit_id, day, period__status=SurveyPeriod.Status.CLOSED, period__closed_at__gt=moment
    )


def _member_on(unit_id: int, day: date, **period_lookup: Any) -> PeriodUnit | None:
    """The unit's place in the latest period that covers `day` and matches `period_lookup`."""
    return (
        PeriodUnit.objects.filter(
            unit_id=unit_id,
            period__starts_on__lte=day,
            period__ends_on__gte=day,
            **period_lookup,
        )
        .select_related("period")
        .order_by("-period__starts_on")
        .first()
    )


def link_for_token(token: str) -> SurveyLink | None:
    return (
        SurveyLink.objects.filter(token=token, is_active=True)
        .select_related("unit__pemda", "service")
        .first()
    )


def retired_link_for_token(token: str) -> SurveyLink | None:
    """A link that no longer takes answers (rotated), for the page its old QR code lands on."""
    return (
        SurveyLink.objects.filter(token=token, is_active=False)
        .select_related("unit__pemda", "service")
        .first()
    )


def link_with_resend_check(token: str, client_id: Any) -> SurveyLink | None:
    """The active link of a token, annotated `already_received` when this client_id is stored
    already through it. One query for both keeps an API submission within six: this, the open
    period and the INSERTs (one statement on PostgreSQL). (public_target would save two when
    warm but cost more when cold, with the resend check on top.)"""
    # Through this link only: a client id is unique per link, and another link's (another
    # Pemda's) answers must not make this one a "duplicate".
    stored = Response.objects.filter(link=OuterRef("pk"), client_id=client_id)
    return (
        SurveyLink.objects.filter(token=token, is_active=True)
        .select_related("unit__pemda", "service")
        .annotate(already_received=Exists(stored))
        .first()
    )


def target_for_link(link: SurveyLink) -> SurveyTarget | None:
    member = _open_member_for(link.unit_id, link.unit.pemda.timezone)
    if member is None:
        return None
    return SurveyTarget(
        period=member.period,
        unit=link.unit,
        service=link.service,
        link=link,
        channel=Response.Channel.QR,
        skippable=frozenset(member.skippable),
        extra_questions=extra_questions_of(member.extra_questions),
    )


# The resolved link and target of a public token, cached: resolving them is most of the cost of
# a citizen's request. mutu.surveys.signals drops the entry when anything it was built from
# changes; the short lifetime bounds what a day boundary (a period opening or closing at
# midnight) or a cache not shared between workers can leave stale.
PUBLIC_TARGET_TTL = 60


def public_target_key(token: str) -> str:
    return f"skm:target:{token}"


def public_target(token: str) -> tuple[SurveyLink | None, SurveyTarget | None]:
    """(active link or None, open target or None) for a QR token, from the cache when it can."""
    key = public_target_key(token)
    cached: tuple[SurveyLink | None, SurveyTarget | None] | None = cache.get(key)
    if cached is None:
        link = link_for_token(token)
        target = target_for_link(link) if link else None
        cached = (link, _with_service_choices(target) if target else None)
        if link is not None:  # unknown tokens are not kept: nobody can fill the cache with junk
            cache.set(key, cached, timeout=PUBLIC_TARGET_TTL)
    return cached


def _with_service_choices(target: SurveyTarget) -> SurveyTarget:
    """A unit-level link of a unit with several active services asks which one was used, so
    that per-service results fill from unit posters too (issue 12 item 9). Resolved with the
    cached target: mutu.surveys.signals drops it when a service of the unit changes."""
    if target.service is not None:
        return target
    from mutu.organisations.models import Service

    # In the citizen's alphabetical order whatever the database's collation.
    active = Service.objects.filter(unit_id=target.unit.pk, is_active=True)
    choices = tuple(sorted(active, key=lambda service: service.name.casefold()))
    return replace(target, service_choices=choices) if len(choices) > 1 else target


# --- results ------------------------------------------------------------------------------


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


def _state(period: SurveyPeriod, unit_id: int) -> str:
    """What the cached result depends on: the last response and exactly which are held."""
    s = Response.objects.filter(period=period, unit_id=unit_id).aggregate(
        last=Max("id"),
        held=Count("id", filter=Q(quarantined=True)),
        held_max=Max("id", filter=Q(quarantined=True)),
        held_sum=Sum("id", filter=Q(quarantined=True)),
    )
    return f"{period.pk}:{unit_id}:{s['last']}:{s['held']}:{s['held_max']}:{s['held_sum']}"


def _cached(
    kind: str, period: SurveyPeriod, member: PeriodUnit, compute: Any, state: str | None = None
) -> Any:
    state = state or _state(period, member.unit_id)
    key = f"skm:{kind}:{state}:{period.weighting}:{member.population}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=24 * 3600)
    return value


@dataclass(frozen=True)
class UnitPage:
    """Everything the unit's result page shows, each part cached under one shared state."""

    result: UnitResult
    breakdowns: list[Breakdown]
    keywords: list[Theme]
    extras: list["ExtraResult"]
    trust: TrustSummary | None = None  # the trust question, apart from the IKM


def unit_page(period: SurveyPeriod, member: PeriodUnit) -> UnitPage:
    """The unit page's numbers with one state probe for all its cached parts (a cached page
    runs a handful of small queries, whatever the number of responses)."""
    state = _state(period, member.unit_id)
    core: UnitResult = _cached(
        "unit", period, member, lambda: _compute_unit_result(period, member), state
    )
    return UnitPage(
        result=replace(core, previous=_previous_ikm(period, member.unit_id)),
        breakdowns=_cached(
            "breakdown",
            period,
            member,
            lambda: _breakdowns(period, member.unit_id),
            state,
        ),
        keywords=_cached(
            "themes", period, member, lambda: suggestion_keywords(period, member.unit_id), state
        ),
        extras=extra_results(period, member, state),
        trust=_cached(
            "trust", period, member, lambda: trust_summary(period, member.unit_id), state
        ),
    )


def unit_result(period: SurveyPeriod, member: PeriodUnit) -> UnitResult:
    """IKM of one unit in one period (cached until its responses change), with the IKM of the
    unit's previous published period (itself cached the same way)."""
    core: UnitResult = _cached("unit", period, member, lambda: _compute_unit_result(period, member))
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
    core: UnitResult = _cached(
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


def latest_published(unit_id: int) -> tuple[SurveyPeriod, IkmResult] | None:
    """The unit's IKM of its last closed period, for the thank-you page."""
    published = latest_published_result(unit_id)
    return (published[0], published[1].ikm) if published and published[1].ikm else None


def latest_published_result(unit_id: int) -> tuple[SurveyPeriod, UnitResult] | None:
    """The unit's last closed period with its result (IKM, respondents against the sample
    target), for the badge; None when nothing was published or it has no answers."""
    member = (
        PeriodUnit.objects.filter(unit_id=unit_id, period__status=SurveyPeriod.Status.CLOSED)
        .select_related("period")
        .order_by("-period__ends_on")
        .first()
    )
    if member is None:
        return None
    result = unit_result(member.period, member)
    return (member.period, result) if result.ikm else None


# --- staff pages --------------------------------------------------------------------------


def periods_visible_to(user: Any) -> QuerySet[SurveyPeriod]:
    return (
        SurveyPeriod.objects.filter(pemda__in=pemdas_visible_to(user))
        .select_related("pemda")
        .annotate(unit_count=Count("members", distinct=True))
    )


def period_get(user: Any, pk: int) -> SurveyPeriod:
    period = periods_visible_to(user).filter(pk=pk).first()
    if period is None:
        raise Http404
    return period


def period_members(user: Any, period: SurveyPeriod) -> QuerySet[PeriodUnit]:
    return (
        PeriodUnit.objects.filter(period=period, unit__in=units_visible_to(user).values("pk"))
        .select_related("unit")
        .order_by("unit__path")
    )


def member_get(user: Any, period: SurveyPeriod, unit_id: int) -> PeriodUnit:
    member = period_members(user, period).filter(unit_id=unit_id).first()
    if member is None:
        raise Http404
    return member


def current_member(user: Any, unit_id: int) -> PeriodUnit | None:
    """The unit's seat in its open period, else in its latest one: where its SKM pages are."""
    open_first = Case(When(period__status=SurveyPeriod.Status.OPEN, then=0), default=1)
    return (
        PeriodUnit.objects.filter(unit_id=unit_id, unit__in=units_visible_to(user).values("pk"))
        .select_related("period")
        .order_by(open_first, "-period__starts_on", "-period_id")
        .first()
    )


def links_of(user: Any, unit_id: int) -> QuerySet[SurveyLink]:
    return SurveyLink.objects.filter(
        unit_id=unit_id, unit__in=units_visible_to(user).values("pk"), is_active=True
    ).select_related("unit", "service")


def published_history(unit_id: int) -> list[tuple[SurveyPeriod, UnitResult]]:
    """Every closed period of a unit with its result, newest first: the public record."""
    members = (
        PeriodUnit.objects.filter(unit_id=unit_id, period__status=SurveyPeriod.Status.CLOSED)
        .select_related("period")
        .order_by("-period__ends_on")
    )
    return [(m.period, unit_result(m.period, m)) for m in members]


def public_unit(unit_id: int) -> Any:
    """A unit whose results may be shown publicly: active and in at least one closed period."""
    from mutu.organisations.models import Unit

    unit = Unit.objects.filter(pk=unit_id, is_active=True).select_related("pemda").first()
    if unit is None:
        raise Http404
    return unit


def responses_of(period: SurveyPeriod, unit_id: int, *, flagged_only: bool = False) -> Any:
    """Responses of a unit in a period, newest first, answers and open review requests
    prefetched (three queries a page). Flagged: marked, quarantined or asked to be reviewed."""
    open_reviews = ReviewRequest.objects.filter(closed_at=None).select_related("requested_by")
    responses = (
        Response.objects.filter(period=period, unit_id=unit_id)
        .prefetch_related(
            "answers", Prefetch("reviews", queryset=open_reviews, to_attr="open_reviews")
        )
        .order_by("-submitted_at", "-id")
    )
    if flagged_only:
        asked = ReviewRequest.objects.filter(response=OuterRef("pk"), closed_at=None)
        responses = responses.filter(Q(quarantined=True) | ~Q(flag="") | Exists(asked))
    return responses


def responses_chosen(period: SurveyPeriod, unit_id: int, ids: list[int]) -> list[Response]:
    """The ticked responses, only those of this unit and period (others are ignored)."""
    return list(
        Response.objects.filter(period=period, unit_id=unit_id, pk__in=ids).select_related(
            "unit__pemda"
        )
    )


def open_review_count(period: SurveyPeriod, unit_id: int) -> int:
    return ReviewRequest.objects.filter(
        response__period=period, response__unit_id=unit_id, closed_at=None
    ).count()


TABULATION_FIELDS = (
    "id",
    "submitted_at",
    "channel",
    "gender",
    "age_band",
    "education",
    "occupation",
    "trust",
    "extra",
)


def tabulation_rows(period: SurveyPeriod, unit_id: int) -> list[dict[str, Any]]:
    """Counted (not quarantined) responses with their answers, for the XLSX tabulation."""
    responses = (
        Response.objects.filter(period=period, unit_id=unit_id, quarantined=False)
        .order_by("submitted_at", "id")
        .values(*TABULATION_FIELDS)
    )
    rows: dict[int, dict[str, Any]] = {r["id"]: {**r, "answers": {}} for r in responses}
    answers = Answer.objects.filter(
        period=period, unit_id=unit_id, response__quarantined=False
    ).values_list("response_id", "unsur", "value")
    for response_id, unsur, value in answers:
        rows[response_id]["answers"][unsur] = value
    return list(rows.values())


def kiosk_for_token(token: str) -> Any:
    from mutu.surveys.models import KioskDevice, token_digest

    return (
        KioskDevice.objects.filter(token_hash=token_digest(token))
        .select_related("unit__pemda")
        .first()
    )


def kiosk_answer_received(kiosk: Any, client_id: Any) -> bool:
    """Whether this kiosk already sent the answer with this id (a resend after a lost reply).
    Looked up on this kiosk only: nothing about other devices' answers."""
    return Response.objects.filter(kiosk=kiosk, client_id=client_id).exists()


def target_for_kiosk(kiosk: Any, answered_at: datetime | None = None) -> SurveyTarget | None:
    """The period of the kiosk's unit when the citizen answered (now unless the tablet says
    otherwise): the open one of that day (answers queued offline on a period's last day still
    count), else one closed since that moment (kept, quarantined: see response_submit)."""
    tz_name = kiosk.unit.pemda.timezone
    if answered_at is None:
        member = _open_member_for(kiosk.unit_id, tz_name)
    else:
        day = timezone.localtime(answered_at, ZoneInfo(tz_name)).date()
        member = _open_member_for(kiosk.unit_id, tz_name, day) or _member_closed_since(
            kiosk.unit_id, day, answered_at
        )
    if member is None:
        return None
    return SurveyTarget(
        period=member.period,
        unit=kiosk.unit,
        kiosk=kiosk,
        channel=Response.Channel.KIOSK,
        skippable=frozenset(member.skippable),
        extra_questions=extra_questions_of(member.extra_questions),
    )


def kiosks_of(user: Any, unit_id: int) -> Any:
    from mutu.surveys.models import KioskDevice

    return KioskDevice.objects.filter(
        unit_id=unit_id, unit__in=units_visible_to(user).values("pk")
    ).order_by("-is_active", "name")


def rtl_items(period: SurveyPeriod, unit_id: int) -> Any:
    from mutu.surveys.models import RtlItem

    return RtlItem.objects.filter(period=period, unit_id=unit_id).select_related(
        "carried_from__period"
    )


def fkp_records(period: SurveyPeriod, unit_id: int) -> Any:
    from mutu.surveys.models import FkpRecord

    return FkpRecord.objects.filter(period=period, unit_id=unit_id)


def rtl_item_get(user: Any, pk: int) -> Any:
    from mutu.surveys.models import RtlItem

    item = (
        RtlItem.objects.filter(pk=pk, unit__in=units_visible_to(user).values("pk"))
        .select_related("unit__pemda", "period")
        .first()
    )
    if item is None:
        raise Http404
    return item


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


def suggestion_keywords(period: SurveyPeriod, unit_id: int, top: int = 10) -> list[Theme]:
    """The themes of the counted open-text suggestions (mutu.surveys.themes), newest quotes
    first."""
    texts = list(
        Response.objects.filter(period=period, unit_id=unit_id, quarantined=False)
        .exclude(suggestion="")
        .order_by("-id")
        .values_list("suggestion", flat=True)[:5000]
    )
    return themes(texts, top)


def trust_summary(period: SurveyPeriod, unit_id: int) -> TrustSummary:
    """The trust question of a unit in a period (counted responses only), never part of the IKM.
    One grouped query; answered == 0 when the period did not ask it or nobody answered."""
    rows = (
        Response.objects.filter(
            period=period, unit_id=unit_id, quarantined=False, trust__isnull=False
        )
        .order_by()
        .values_list("trust")
        .annotate(n=Count("id"))
    )
    return summarize_trust(dict(rows))


@dataclass(frozen=True)
class ExtraResult:
    """What respondents answered to one of the unit's own questions (never part of the IKM)."""

    question: ExtraQuestion
    answered: int
    counts: list[tuple[Any, int]]  # (answer words, people) for a scale or a choice
    mean: Decimal | None  # a scale's average, 1–4
    keywords: list[Theme]  # an open question's themes
    latest: list[str]  # an open question's latest answers

    @property
    def shares(self) -> list[tuple[Any, int, int]]:
        """(answer words, people, whole percent of those who answered) for a bar chart."""
        return [
            (words, n, round(100 * n / self.answered) if self.answered else 0)
            for words, n in self.counts
        ]


def extra_results(
    period: SurveyPeriod, member: PeriodUnit, state: str | None = None
) -> list[ExtraResult]:
    """Every own question of the unit in the period, counted in the database, cached like the
    IKM until a response arrives (or the questions change)."""
    questions = extra_questions_of(member.extra_questions)
    if not questions:
        return []
    kind = "extra" + hashlib.md5(repr(questions).encode(), usedforsecurity=False).hexdigest()[:8]
    results: list[ExtraResult] = _cached(
        kind,
        period,
        member,
        lambda: [_extra_result(period, member.unit_id, q) for q in questions],
        state,
    )
    return results


def _extra_result(period: SurveyPeriod, unit_id: int, question: ExtraQuestion) -> ExtraResult:
    answered = Response.objects.filter(
        period=period, unit_id=unit_id, quarantined=False, extra__has_key=question.id
    ).order_by("-id")
    value = KT(f"extra__{question.id}")
    if question.kind == ExtraKind.TEXT:
        texts = list(answered.annotate(v=value).values_list("v", flat=True)[:5000])
        latest = distinct(texts[:200])[:5]  # the same answer typed twice is quoted once
        return ExtraResult(question, len(texts), [], None, themes(texts), latest)
    people = Counter(
        {
            int(row["v"]): row["n"]
            for row in answered.order_by().values(v=value).annotate(n=Count("id"))
        }
    )
    total = sum(people.values())
    words = question.answer_words()
    mean = None
    if question.kind == ExtraKind.SCALE and total:
        mean = (Decimal(sum(i * n for i, n in people.items())) / total).quantize(Decimal("0.01"))
    counts = [(words[i - 1], people.get(i, 0)) for i in range(1, len(words) + 1)]
    return ExtraResult(question, total, counts, mean, [], [])


@dataclass(frozen=True)
class ServiceSample:
    """A service's respondents against its own Krejcie–Morgan target (when its population is
    known)."""

    service: Any
    population: int | None
    respondents: int

    @property
    def target(self) -> int | None:
        return krejcie_morgan(self.population) if self.population else None

    @property
    def short_of_target(self) -> int:
        return max((self.target or 0) - self.respondents, 0)


def service_samples(period: SurveyPeriod, unit_id: int) -> list[ServiceSample]:
    """The unit's active services, each with its population in the period and its counted
    respondents (three queries whatever the number of services)."""
    from mutu.organisations.models import Service
    from mutu.surveys.models import PeriodService

    services = list(Service.objects.filter(unit_id=unit_id, is_active=True).order_by("name"))
    populations = dict(
        PeriodService.objects.filter(period=period, service__unit_id=unit_id).values_list(
            "service_id", "population"
        )
    )
    respondents = dict(
        Response.objects.filter(period=period, unit_id=unit_id, quarantined=False)
        .exclude(service=None)
        .values_list("service_id")
        .annotate(n=Count("id"))
        .values_list("service_id", "n")
    )
    return [ServiceSample(s, populations.get(s.pk), respondents.get(s.pk, 0)) for s in services]

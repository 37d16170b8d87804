"""The SKM cards of the landing page (registered with mutu.core.dashboard).

Every number comes from the selectors the result pages use (period_summaries: Krejcie–Morgan
target, IKM without quarantined responses, the fall against the previous published period), so
the dashboard never disagrees with the page its numbers link to. Queries: a fixed handful per
period shown (at most MAX_PERIODS), never one per unit.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef

from mutu.core.access import Scope, can, scope_of
from mutu.core.dashboard import Card, register
from mutu.organisations.models import ImportJob, Unit
from mutu.surveys import selectors
from mutu.surveys.actions import SurveyAction
from mutu.surveys.models import PeriodUnit, Response, RtlItem, SurveyPeriod
from mutu.surveys.selectors import UnitResult

# A national or provincial reader sees many Pemda: the newest periods only, the rest through
# the period list (keeps the page's queries bounded).
MAX_PERIODS = 5
PAPER_JOBS_SHOWN = 5


@dataclass(frozen=True)
class UnitProgress:
    """One unit of an open period: its result and what the user may do about it."""

    period: SurveyPeriod
    member: PeriodUnit
    result: UnitResult
    may_enter: bool  # may type or import paper forms for the unit

    @property
    def percent(self) -> int | None:
        """Respondents as a share of the sample target, capped at 100 (the bar's value)."""
        if not self.result.target:
            return None
        return min(100, self.result.respondents * 100 // self.result.target)

    @property
    def reached(self) -> bool:
        return self.result.target is not None and not self.result.short_of_target

    @property
    def drop(self) -> Any:
        """How far the IKM fell (positive), for "turun 2,50" rather than "turun -2,50"."""
        return -self.result.change if self.result.change is not None else None

    @property
    def dropped(self) -> bool:
        return self.result.dropped_more_than(self.period.drop_alert_margin)


@dataclass(frozen=True)
class PeriodProgress:
    period: SurveyPeriod
    units: list[UnitProgress]

    @property
    def short(self) -> list[UnitProgress]:
        """Units below their target, or whose target is unknown (no population yet)."""
        return [u for u in self.units if not u.reached]


def _open_periods(user: Any) -> list[PeriodProgress]:
    periods = list(
        selectors.periods_visible_to(user)
        .filter(status=SurveyPeriod.Status.OPEN)
        .order_by("-starts_on", "pk")[:MAX_PERIODS]
    )
    out = []
    for period in periods:
        members = list(selectors.period_members(user, period).select_related("unit__pemda"))
        summaries = selectors.period_summaries(period, members)
        units = [
            UnitProgress(
                period, m, summaries[m.unit_id], can(user, SurveyAction.ENTER_PAPER, m.unit)
            )
            for m in members
        ]
        units.sort(key=lambda u: (u.reached, u.percent or 0))  # who needs attention first
        out.append(PeriodProgress(period, units))
    return out


def _without_rtl(user: Any) -> list[tuple[PeriodUnit, bool]]:
    """Units of each Pemda's latest published period that have answers but no follow-up plan
    (RTL), with whether the user may write one. One query for the periods, one for the units."""
    latest: dict[int, tuple[Any, int]] = {}
    closed = (
        selectors.periods_visible_to(user)
        .filter(status=SurveyPeriod.Status.CLOSED)
        .order_by("pemda_id", "-ends_on", "-pk")
        .values_list("pemda_id", "ends_on", "pk")
    )
    for pemda_id, ends_on, period_id in closed:
        latest.setdefault(pemda_id, (ends_on, period_id))
    newest = [pk for _ends, pk in sorted(latest.values(), reverse=True)[:MAX_PERIODS]]
    members = (
        PeriodUnit.objects.filter(
            period_id__in=newest,
            unit__in=Unit.objects.visible_to(user).values("pk"),
        )
        .filter(
            Exists(
                Response.objects.filter(
                    period_id=OuterRef("period_id"), unit_id=OuterRef("unit_id"), quarantined=False
                )
            )
        )
        .exclude(
            Exists(
                RtlItem.objects.filter(period_id=OuterRef("period_id"), unit_id=OuterRef("unit_id"))
            )
        )
        .select_related("unit__pemda", "period")
        .order_by("period__pemda__name", "unit__path")
    )
    return [(m, can(user, SurveyAction.ENTER_PAPER, m.unit)) for m in members]


def _paper_jobs(user: Any) -> list[ImportJob]:
    """Paper imports of the user's units still running or refused (to be fixed and sent again)."""
    waiting = (*ImportJob.ACTIVE, ImportJob.Status.REJECTED, ImportJob.Status.FAILED)
    jobs = (
        ImportJob.objects.filter(
            kind="kertas", status__in=waiting, unit__in=Unit.objects.visible_to(user).values("pk")
        )
        .select_related("unit__pemda")
        .order_by("-created_at")[: PAPER_JOBS_SHOWN * 2]
    )
    mine = [j for j in jobs if j.unit and can(user, SurveyAction.ENTER_PAPER, j.unit)]
    return mine[:PAPER_JOBS_SHOWN]


def _reads(scope: Scope) -> bool:
    """Roles that follow results (all but an operator who only enters data)."""
    return bool(
        scope.everything
        or scope.national
        or scope.admin_pemdas
        or scope.province_codes
        or scope.inspected_pemdas
        or scope.head_units
        or scope.evaluated_units
    )


def _read_only(scope: Scope) -> bool:
    """A reader with no role that writes (national, provincial over others, inspector,
    evaluator); a provincial admin also administers its own Pemda, so it is not here."""
    return not (scope.everything or scope.admin_pemdas or scope.head_units or scope.operator_units)


@register
def skm_cards(user: Any) -> list[Card]:
    scope = scope_of(user)
    if scope.is_empty:
        return []
    cards = []
    progress = _open_periods(user)
    if _read_only(scope):
        cards.append(
            Card(
                "surveys/dashboard/read_only.html",
                {"scope": scope, "can_audit": bool(scope.inspected_pemdas)},
                order=1,
            )
        )
    if scope.operator_units:
        to_enter = [u for p in progress for u in p.short if u.may_enter]
        cards.append(
            Card(
                "surveys/dashboard/to_enter.html",
                {"units": to_enter, "jobs": _paper_jobs(user)},
                order=5,
            )
        )
    if _reads(scope):
        dropped = [u for p in progress for u in p.units if u.dropped]
        cards += [
            Card("surveys/dashboard/sample.html", {"periods": progress}, order=10, wide=True),
            Card("surveys/dashboard/falling.html", {"units": dropped}, order=20),
            Card("surveys/dashboard/no_rtl.html", {"members": _without_rtl(user)}, order=30),
        ]
    return cards

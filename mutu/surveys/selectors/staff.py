"""Reads of the staff pages, each scoped to what the user may see."""

from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, When
from django.http import Http404

from mutu.surveys.models import (
    Answer,
    KioskDevice,
    PeriodUnit,
    Response,
    ReviewRequest,
    SurveyLink,
    SurveyPeriod,
)


def periods_visible_to(user: Any) -> QuerySet[SurveyPeriod]:
    return (
        SurveyPeriod.objects.visible_to(user)
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
        PeriodUnit.objects.visible_to(user)
        .filter(period=period)
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
        PeriodUnit.objects.visible_to(user)
        .filter(unit_id=unit_id)
        .select_related("period")
        .order_by(open_first, "-period__starts_on", "-period_id")
        .first()
    )


def links_of(user: Any, unit_id: int) -> QuerySet[SurveyLink]:
    links = SurveyLink.objects.visible_to(user).filter(unit_id=unit_id, is_active=True)
    return links.select_related("unit", "service")


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


def kiosks_of(user: Any, unit_id: int) -> Any:
    from mutu.surveys.models import KioskDevice

    kiosks = KioskDevice.objects.visible_to(user).filter(unit_id=unit_id)
    return kiosks.order_by("-is_active", "name")


def kiosk_get(user: Any, pk: int) -> KioskDevice:
    """A tablet of a unit the user may see (404 otherwise)."""
    kiosk = KioskDevice.objects.visible_to(user).filter(pk=pk).select_related("unit__pemda").first()
    if kiosk is None:
        raise Http404
    return kiosk


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
        RtlItem.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("unit__pemda", "period")
        .first()
    )
    if item is None:
        raise Http404
    return item

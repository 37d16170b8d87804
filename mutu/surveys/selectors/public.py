"""Reads without a user: what a public token, a kiosk or a public results page resolves to."""

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone

from mutu.indices.ikm import IkmResult
from mutu.surveys.instrument import extra_questions_of
from mutu.surveys.models import PeriodUnit, Response, SurveyLink, SurveyPeriod
from mutu.surveys.selectors.results import UnitResult, unit_result
from mutu.surveys.services import SurveyTarget, today_in


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

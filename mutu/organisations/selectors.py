"""Reads for organisation views, always through the permission-scoped querysets."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from mutu.indices.calendar import WorkingCalendar
from mutu.organisations.models import Holiday, Invitation, Pemda, Service, Unit
from mutu.organisations.permissions import (
    holidays_visible_to,
    pemdas_visible_to,
    services_visible_to,
    units_visible_to,
)


def pemda_list(user: Any) -> QuerySet[Pemda]:
    return pemdas_visible_to(user).annotate(
        unit_count=Count("units", filter=Q(units__is_active=True), distinct=True)
    )


def pemda_get(user: Any, pk: int) -> Pemda:
    pemda = pemdas_visible_to(user).filter(pk=pk).first()
    if pemda is None:
        raise Http404
    return pemda


def unit_list(
    user: Any, *, pemda_id: int | None = None, kind: str = "", q: str = ""
) -> QuerySet[Unit]:
    units = units_visible_to(user).annotate(
        service_count=Count("services", filter=Q(services__is_active=True))
    )
    if pemda_id:
        units = units.filter(pemda_id=pemda_id)
    if kind:
        units = units.filter(kind=kind)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return units.order_by("pemda__region__code", "path")


def unit_get(user: Any, pk: int) -> Unit:
    unit = units_visible_to(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def unit_services(user: Any, unit: Unit) -> QuerySet[Service]:
    return services_visible_to(user).filter(unit=unit).order_by("-is_active", "name")


def service_get(user: Any, pk: int) -> Service:
    service = services_visible_to(user).filter(pk=pk).first()
    if service is None:
        raise Http404
    return service


def holidays_of_year(user: Any, pemda: Pemda, year: int) -> QuerySet[Holiday]:
    return holidays_visible_to(user, pemda).filter(date__year=year).select_related("pemda")


def holiday_get(user: Any, pemda: Pemda, pk: int) -> Holiday:
    holiday = holidays_visible_to(user, pemda).filter(pk=pk).first()
    if holiday is None:
        raise Http404
    return holiday


def working_calendar(pemda: Pemda) -> WorkingCalendar:
    """The Pemda's working-day calendar: national days off plus its own, in its time zone.

    SLA clocks (complaints, follow-up) take their deadlines from this; never from a fixed list.
    """
    days = Holiday.objects.filter(Q(pemda__isnull=True) | Q(pemda=pemda)).values_list(
        "date", flat=True
    )
    return WorkingCalendar(days, pemda.timezone)


def invitations_for(user: Any) -> QuerySet[Invitation]:
    """The open invitations addressed to the signed-in user (to accept or decline)."""
    from mutu.organisations.services import invitations_open

    return invitations_open().filter(user=user).select_related("pemda", "unit")


def invitation_get(user: Any, pk: int) -> Invitation:
    invitation = invitations_for(user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def invitations_pending_in(user: Any, pemda: Pemda) -> QuerySet[Invitation]:
    """Open invitations of a Pemda, for those who manage its members (addresses only)."""
    from mutu.core.access import can
    from mutu.organisations.actions import OrgAction
    from mutu.organisations.services import invitations_open

    if not can(user, OrgAction.MANAGE_MEMBERS, pemda):
        return Invitation.objects.none()
    return invitations_open().filter(pemda=pemda).select_related("user", "unit")

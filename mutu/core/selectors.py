"""Reads for core views, scoped through mutu.core.permissions."""

from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mutu.core.models import DomainEvent
from mutu.core.permissions import events_visible_to


def events_for(
    user: Any,
    *,
    verb: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[DomainEvent]:
    events = events_visible_to(user)
    if verb:
        events = events.filter(verb__icontains=verb)
    if actor:
        events = events.filter(actor__email__icontains=actor)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        events = events.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return events

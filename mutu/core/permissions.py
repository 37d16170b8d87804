"""Permission helpers for views. The decisions live in mutu.core.access (declared scope paths and
one action table per app); views ask `can(...)` there and answer a refusal with `deny_unless`."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from mutu.core.access import CoreAction


def events_visible_to(user: Any) -> QuerySet[Any]:
    from mutu.core.models import DomainEvent

    events = DomainEvent.objects.allowed(user, CoreAction.VIEW_AUDIT)
    return events.select_related("actor", "pemda", "object_type")


def deny_unless(allowed: bool) -> None:
    """For views: a visible object the user may not change answers 403."""
    if not allowed:
        raise PermissionDenied

"""Permission helpers for views and services. The decisions live in mutu.core.access (declared
scope paths and per-app action tables); this module keeps the names callers use.

Transitional: `Action` and the visibility querysets re-exported below are being replaced by each
app's own actions (mutu/<app>/actions.py) and `Model.objects.visible_to(user)`; the re-exports
from mutu.organisations go once no caller needs them (import-linter then keeps core below the
apps).
"""

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from mutu.core.access import Scope, can, require, scope_of
from mutu.organisations.permissions import (
    holidays_visible_to,
    memberships_visible_to,
    pemdas_administered_by,
    pemdas_visible_to,
    services_visible_to,
    units_visible_to,
)

__all__ = [
    "Action",
    "Scope",
    "can",
    "deny_unless",
    "events_visible_to",
    "holidays_visible_to",
    "memberships_visible_to",
    "pemdas_administered_by",
    "pemdas_visible_to",
    "require",
    "scope_of",
    "services_visible_to",
    "units_visible_to",
]


class Action(StrEnum):
    VIEW = "view"  # see a Pemda, unit or service
    MANAGE_UNITS = "manage_units"  # create/import units and services of a Pemda
    EDIT_UNIT = "edit_unit"  # change a unit's own profile
    MANAGE_SERVICES = "manage_services"  # add/change services of a unit
    VIEW_AUDIT = "view_audit"  # read the event log of a Pemda
    MANAGE_CALENDAR = "manage_calendar"  # edit a Pemda's holidays
    MANAGE_MEMBERS = "manage_members"  # give and take roles inside a Pemda
    # Have a report made: it runs a job and writes to the Pemda's event log, so it is a write,
    # refused to the read-only roles (national, provincial over others, inspector, evaluator).
    REQUEST_REPORT = "request_report"
    # Quarantine or release a unit's responses: the Pemda admin, never someone of the unit
    # itself (it would grade itself). The unit head may only ask for a review.
    MODERATE_RESPONSES = "moderate_responses"
    REQUEST_REVIEW = "request_review"


def events_visible_to(user: Any) -> QuerySet[Any]:
    from mutu.core.models import DomainEvent

    events = DomainEvent.objects.allowed(user, Action.VIEW_AUDIT)
    return events.select_related("actor", "pemda", "object_type")


def deny_unless(allowed: bool) -> None:
    """For views: a visible object the user may not change answers 403."""
    if not allowed:
        raise PermissionDenied

"""What a user may see and do. Every selector and every view asks this module, nothing else.

Visibility is expressed as querysets (the permission is inside the SQL, as in NetBox's
RestrictedQuerySet), and actions as `can(user, action, obj)`. Memberships are read once per
request and cached on the user object.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from mutu.core import access
from mutu.core.roles import Role
from mutu.organisations.models import Holiday, Membership, Pemda, Service, Unit


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


@dataclass(frozen=True)
class Scope:
    """The user's memberships, flattened into sets of ids."""

    everything: bool = False  # superuser
    national: bool = False  # national viewer: reads everything, writes nothing
    admin_pemdas: frozenset[int] = field(default_factory=frozenset)
    province_codes: frozenset[str] = field(default_factory=frozenset)
    inspected_pemdas: frozenset[int] = field(default_factory=frozenset)
    head_units: frozenset[str] = field(default_factory=frozenset)  # unit paths
    operator_units: frozenset[str] = field(default_factory=frozenset)
    evaluated_units: frozenset[int] = field(default_factory=frozenset)
    unit_pemdas: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (
            self.everything
            or self.national
            or self.admin_pemdas
            or self.province_codes
            or self.inspected_pemdas
            or self.head_units
            or self.operator_units
            or self.evaluated_units
        )


def scope_of(user: Any) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached: Scope | None = getattr(user, "_mutu_scope", None)
    if cached is not None:
        return cached
    scope = _build_scope(user)
    user._mutu_scope = scope
    return scope


def _build_scope(user: Any) -> Scope:
    if user.is_superuser:
        return Scope(everything=True)
    rows = Membership.objects.filter(user=user).values_list(
        "role", "pemda_id", "unit_id", "unit__path", "pemda__region__code", "pemda__region__level"
    )
    sets: dict[str, set[Any]] = {
        k: set() for k in ("admin", "prov", "insp", "head", "oper", "eval", "unit_pemdas")
    }
    national = False
    for role, pemda_id, unit_id, unit_path, region_code, region_level in rows:
        match role:
            case Role.NATIONAL_VIEWER:
                national = True
            case Role.PEMDA_ADMIN:
                sets["admin"].add(pemda_id)
            case Role.PROVINCIAL_ADMIN:
                sets["admin"].add(pemda_id)
                if region_level == "provinsi":
                    sets["prov"].add(region_code)
            case Role.INSPECTOR:
                sets["insp"].add(pemda_id)
            case Role.UNIT_HEAD:
                sets["head"].add(unit_path)
                sets["unit_pemdas"].add(pemda_id)
            case Role.UNIT_OPERATOR:
                sets["oper"].add(unit_path)
                sets["unit_pemdas"].add(pemda_id)
            case Role.EVALUATOR:
                sets["eval"].add(unit_id)
                sets["unit_pemdas"].add(pemda_id)
    return Scope(
        national=national,
        admin_pemdas=frozenset(sets["admin"]),
        province_codes=frozenset(sets["prov"]),
        inspected_pemdas=frozenset(sets["insp"]),
        head_units=frozenset(sets["head"]),
        operator_units=frozenset(sets["oper"]),
        evaluated_units=frozenset(sets["eval"]),
        unit_pemdas=frozenset(sets["unit_pemdas"]),
    )


# --- visibility as querysets (declared in mutu.core.access) ----------------------------------


def pemdas_visible_to(user: Any) -> QuerySet[Pemda]:
    return Pemda.objects.visible_to(user).select_related("region")


def units_visible_to(user: Any) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).select_related("pemda__region", "parent")


def services_visible_to(user: Any) -> QuerySet[Service]:
    return Service.objects.visible_to(user).select_related("unit", "unit__pemda")


def pemdas_administered_by(user: Any) -> QuerySet[Pemda]:
    """Pemda whose units, calendar and members the user may manage."""
    return Pemda.objects.allowed(user, "manage_units").select_related("region")


def holidays_visible_to(user: Any, pemda: Pemda) -> QuerySet[Holiday]:
    if not can(user, Action.VIEW, pemda):
        return Holiday.objects.none()
    return Holiday.objects.filter(Q(pemda__isnull=True) | Q(pemda=pemda))


def memberships_visible_to(user: Any, pemda: Pemda) -> QuerySet[Membership]:
    """The people of a Pemda and their roles: for those who manage or inspect it."""
    if not can(user, Action.VIEW_AUDIT, pemda):
        return Membership.objects.none()
    return Membership.objects.filter(pemda=pemda).select_related("user", "unit")


def events_visible_to(user: Any) -> QuerySet[Any]:
    from mutu.core.models import DomainEvent

    events = DomainEvent.objects.allowed(user, Action.VIEW_AUDIT)
    return events.select_related("actor", "pemda", "object_type")


# --- actions on one object --------------------------------------------------------------------

# One table per app decides (mutu.core.access); these names stay for the callers not yet moved
# to their app's own actions.
can = access.can
require = access.require


def deny_unless(allowed: bool) -> None:
    """For views: a visible object the user may not change answers 403."""
    if not allowed:
        raise PermissionDenied


def roles_of(user: Any) -> set[str]:
    """Role codes the user holds (for navigation only; never for a permission decision)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_mutu_roles", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("role", flat=True))
        user._mutu_roles = cached
    return cached

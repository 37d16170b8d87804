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
from django.utils.translation import gettext as _

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


def _paths_q(paths: frozenset[str], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def _province_q(codes: frozenset[str], prefix: str) -> Q:
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{f"{prefix}region__code__startswith": f"{code}."})
    return q


# --- visibility as querysets ------------------------------------------------------------------


def pemdas_visible_to(user: Any) -> QuerySet[Pemda]:
    scope = scope_of(user)
    qs = Pemda.objects.select_related("region")
    if scope.everything or scope.national:
        return qs
    q = Q(pk__in=scope.admin_pemdas | scope.inspected_pemdas | scope.unit_pemdas)
    return qs.filter(q | _province_q(scope.province_codes, ""))


def units_visible_to(user: Any) -> QuerySet[Unit]:
    scope = scope_of(user)
    qs = Unit.objects.select_related("pemda__region", "parent")
    if scope.everything or scope.national:
        return qs
    q = (
        Q(pemda_id__in=scope.admin_pemdas | scope.inspected_pemdas)
        | _province_q(scope.province_codes, "pemda__")
        | _paths_q(scope.head_units | scope.operator_units)
        | Q(pk__in=scope.evaluated_units)
    )
    return qs.filter(q)


def services_visible_to(user: Any) -> QuerySet[Service]:
    units = units_visible_to(user)
    return Service.objects.select_related("unit", "unit__pemda").filter(unit__in=units.values("pk"))


def pemdas_administered_by(user: Any) -> QuerySet[Pemda]:
    """Pemda whose units, calendar and members the user may manage."""
    scope = scope_of(user)
    qs = Pemda.objects.select_related("region")
    return qs if scope.everything else qs.filter(pk__in=scope.admin_pemdas)


def holidays_visible_to(user: Any, pemda: Pemda) -> QuerySet[Holiday]:
    if not can(user, Action.VIEW, pemda):
        return Holiday.objects.none()
    return Holiday.objects.filter(Q(pemda__isnull=True) | Q(pemda=pemda))


def memberships_visible_to(user: Any, pemda: Pemda) -> QuerySet[Membership]:
    """The people of a Pemda and their roles: for those who manage or inspect it."""
    scope = scope_of(user)
    if not (scope.everything or pemda.pk in scope.admin_pemdas | scope.inspected_pemdas):
        return Membership.objects.none()
    return Membership.objects.filter(pemda=pemda).select_related("user", "unit")


def events_visible_to(user: Any) -> QuerySet[Any]:
    from mutu.core.models import DomainEvent

    scope = scope_of(user)
    qs = DomainEvent.objects.select_related("actor", "pemda", "object_type")
    if scope.everything:
        return qs
    return qs.filter(pemda_id__in=scope.admin_pemdas | scope.inspected_pemdas)


# --- actions on one object --------------------------------------------------------------------


def can(user: Any, action: Action, obj: Pemda | Unit | Service) -> bool:
    scope = scope_of(user)
    if scope.everything:
        return True
    if isinstance(obj, Service):
        return _can_on_service(scope, user, action, obj)
    if isinstance(obj, Unit):
        return _can_on_unit(scope, user, action, obj)
    return _can_on_pemda(scope, user, action, obj)


def _can_on_pemda(scope: Scope, user: Any, action: Action, pemda: Pemda) -> bool:
    match action:
        case Action.VIEW:
            return pemdas_visible_to(user).filter(pk=pemda.pk).exists()
        case Action.MANAGE_UNITS | Action.MANAGE_CALENDAR | Action.MANAGE_MEMBERS:
            return pemda.pk in scope.admin_pemdas
        case Action.VIEW_AUDIT:
            return pemda.pk in scope.admin_pemdas | scope.inspected_pemdas
        case Action.REQUEST_REPORT:  # the recap of every unit, for the head of region
            return pemda.pk in scope.admin_pemdas
    return False


def _can_on_unit(scope: Scope, user: Any, action: Action, unit: Unit) -> bool:
    is_admin = unit.pemda_id in scope.admin_pemdas
    heads = any(unit.path.startswith(p) for p in scope.head_units)
    operates = any(unit.path.startswith(p) for p in scope.operator_units)
    match action:
        case Action.VIEW:
            return units_visible_to(user).filter(pk=unit.pk).exists()
        case Action.EDIT_UNIT:
            return is_admin or heads
        case Action.MANAGE_SERVICES | Action.REQUEST_REPORT:
            return is_admin or heads or operates
        case Action.MODERATE_RESPONSES:
            return is_admin and not (heads or operates)
        case Action.REQUEST_REVIEW:
            return heads
    return False


def _can_on_service(scope: Scope, user: Any, action: Action, service: Service) -> bool:
    if action == Action.VIEW:
        return services_visible_to(user).filter(pk=service.pk).exists()
    return _can_on_unit(scope, user, Action.MANAGE_SERVICES, service.unit)


def require(actor: Any, action: Action, obj: Pemda | Unit | Service) -> None:
    """For services: refuse an actor without the right. actor=None is a trusted system caller
    (management command, seed)."""
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


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

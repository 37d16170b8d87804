"""Who may see what of the organisations, read from the memberships: the scope reader that
mutu.core.access uses for every app, and the visibility querysets of Pemda, units, services,
holidays and people (each a `visible_to`/`allowed` of mutu.core.access)."""

from typing import Any

from django.db.models import Q, QuerySet

from mutu.core.access import CoreAction, Scope, can
from mutu.core.roles import Role
from mutu.organisations.actions import OrgAction
from mutu.organisations.models import Holiday, Membership, Pemda, Service, Unit


def read_scope(user: Any) -> Scope:
    """The user's memberships flattened into a Scope (registered with mutu.core.access)."""
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
        roles=frozenset(role for role, *_ in rows),
        national=national,
        admin_pemdas=frozenset(sets["admin"]),
        province_codes=frozenset(sets["prov"]),
        inspected_pemdas=frozenset(sets["insp"]),
        head_units=frozenset(sets["head"]),
        operator_units=frozenset(sets["oper"]),
        evaluated_units=frozenset(sets["eval"]),
        unit_pemdas=frozenset(sets["unit_pemdas"]),
    )


def pemdas_visible_to(user: Any) -> QuerySet[Pemda]:
    return Pemda.objects.visible_to(user).select_related("region")


def units_visible_to(user: Any) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).select_related("pemda__region", "parent")


def services_visible_to(user: Any) -> QuerySet[Service]:
    return Service.objects.visible_to(user).select_related("unit", "unit__pemda")


def pemdas_administered_by(user: Any) -> QuerySet[Pemda]:
    """Pemda whose units, calendar and members the user may manage."""
    return Pemda.objects.allowed(user, OrgAction.MANAGE_UNITS).select_related("region")


def holidays_visible_to(user: Any, pemda: Pemda) -> QuerySet[Holiday]:
    if not can(user, CoreAction.VIEW, pemda):
        return Holiday.objects.none()
    return Holiday.objects.filter(Q(pemda__isnull=True) | Q(pemda=pemda))


def memberships_visible_to(user: Any, pemda: Pemda) -> QuerySet[Membership]:
    """The people of a Pemda and their roles: for those who manage or inspect it."""
    if not can(user, CoreAction.VIEW_AUDIT, pemda):
        return Membership.objects.none()
    return Membership.objects.filter(pemda=pemda).select_related("user", "unit")

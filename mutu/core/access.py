"""Declared access, NetBox-style: each model says where its Pemda and unit are (`ScopePath`),
each app says which relations grant its actions (one `declare_actions` table per app), and this
module turns both into a filter (`Model.objects.visible_to(user)`, `.allowed(user, action)`) and
a yes/no on one object (`can`). No view or selector writes its own scoping.

A relation is how a user stands to an object, read from the user's scope (`scope_of`, filled
once per request by the reader mutu.organisations registers from the memberships): admin of its
Pemda, head of its unit or a unit above it, and so on. Integrity rules (nobody grades their own
unit) are part of the grant, so the same table refuses them in the query and on the object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Manager, Model, Q, QuerySet
from django.utils.translation import gettext as _


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
    roles: frozenset[str] = field(default_factory=frozenset)  # for the menu only, never a decision

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


ScopeReader = Callable[[Any], Scope]
_scope_reader: ScopeReader | None = None


def set_scope_reader(reader: ScopeReader) -> None:
    """The app that holds the memberships (mutu.organisations) says how to read a user's scope;
    core knows the shape of a scope, not where it is stored."""
    global _scope_reader
    _scope_reader = reader


def scope_of(user: Any) -> Scope:
    """The user's scope, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached: Scope | None = getattr(user, "_mutu_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(everything=True)
    elif _scope_reader is None:
        raise ImproperlyConfigured("no app has set the scope reader (mutu.organisations does)")
    else:
        scope = _scope_reader(user)
    user._mutu_scope = scope
    return scope


class Relation(StrEnum):
    NATIONAL = "national"  # national viewer: every Pemda
    PROVINCE = "province"  # provincial admin: the Pemda of its province
    ADMIN = "admin"  # admin of the object's Pemda (Bagian Organisasi; provincial admin at home)
    INSPECTOR = "inspector"  # Inspektorat of the object's Pemda
    HEAD = "head"  # head of the object's unit or of a unit above it
    OPERATOR = "operator"  # operator of the object's unit or of a unit above it
    EVALUATOR = "evaluator"  # evaluator assigned to exactly the object's unit
    UNIT_PEMDA = "unit_pemda"  # any unit role, on an object of its Pemda that has no unit


UNIT_RELATIONS = frozenset({Relation.HEAD, Relation.OPERATOR, Relation.EVALUATOR})
OWN_UNIT = frozenset({Relation.HEAD, Relation.OPERATOR})


@dataclass(frozen=True)
class Grant:
    """Who may do an action: any of `relations`; with `not_own_unit`, never someone who heads
    or operates the object's unit (a unit does not grade itself)."""

    relations: frozenset[Relation]
    not_own_unit: bool = False
    # For the role table of docs/panduan-admin-pemda.md: what the action is, in Indonesian,
    # and whether it is done to a Pemda, to a unit, or to either.
    doc: str = ""
    on: frozenset[str] = frozenset({"unit"})

    @classmethod
    def of(
        cls, *relations: Relation, not_own_unit: bool = False, doc: str = "", on: str = "unit"
    ) -> Grant:
        return cls(frozenset(relations), not_own_unit, doc, frozenset(on.split()))


@dataclass(frozen=True)
class ScopePath:
    """Lookups from a model to its Pemda and unit: "" is the model itself, None means the model
    has no unit (a Pemda-wide object such as a survey period)."""

    pemda: str
    unit: str | None = None

    def field(self, lookup: str, name: str) -> str:
        return f"{lookup}__{name}" if lookup else name


class CoreAction(StrEnum):
    VIEW = "view"  # see the object (every role that oversees it)
    VIEW_AUDIT = "view_audit"  # read the event log of a Pemda
    # Have a document made (mutu.reports, on top of every domain, makes it; any app offers the
    # button). It runs a job and writes to the event log, so it is a write, refused to the
    # read-only roles; on a Pemda (the recap for the head of region) only its admin.
    REQUEST_REPORT = "request_report"


VIEW_GRANT = Grant.of(
    Relation.NATIONAL,
    Relation.PROVINCE,
    Relation.ADMIN,
    Relation.INSPECTOR,
    Relation.HEAD,
    Relation.OPERATOR,
    Relation.EVALUATOR,
    Relation.UNIT_PEMDA,
    doc="melihat",
    on="pemda unit",
)

_GRANTS: dict[str, Grant] = {
    CoreAction.VIEW: VIEW_GRANT,
    CoreAction.VIEW_AUDIT: Grant.of(
        Relation.ADMIN, Relation.INSPECTOR, doc="membaca log peristiwa", on="pemda"
    ),
    CoreAction.REQUEST_REPORT: Grant.of(
        Relation.ADMIN,
        Relation.HEAD,
        Relation.OPERATOR,
        doc="meminta laporan SKM",
        on="pemda unit",
    ),
}
_TABLES: dict[str, Mapping[Any, Grant]] = {
    "core": {action: _GRANTS[action] for action in CoreAction}
}


def declare_actions(app_label: str, table: Mapping[Any, Grant]) -> None:
    """Register an app's actions (called from its AppConfig.ready()). Action values are unique
    across apps, so a grant can never be read from another app's table by mistake."""
    for action, grant in table.items():
        if _GRANTS.get(action, grant) != grant:
            raise ImproperlyConfigured(f"action {action!r} is declared twice")
        _GRANTS[action] = grant
    _TABLES[app_label] = table


def action_tables() -> dict[str, Mapping[Any, Grant]]:
    """Every app's table, for the role documentation and the permission matrix test."""
    return dict(_TABLES)


def grant_of(action: str) -> Grant:
    try:
        return _GRANTS[action]
    except KeyError:
        raise ImproperlyConfigured(f"action {action!r} is not declared by any app") from None


def scope_path_of(model: type[Model]) -> ScopePath:
    path = getattr(model, "scope_path", None)
    if not isinstance(path, ScopePath):
        raise ImproperlyConfigured(f"{model.__name__} declares no scope_path")
    return path


# --- the filter -------------------------------------------------------------------------------


def allowed_q(model: type[Model], scope: Scope, action: str) -> Q | None:
    """The rows of `model` the scope may `action`, as a Q; None means every row."""
    grant = grant_of(action)
    if scope.everything:
        return None
    if Relation.NATIONAL in grant.relations and scope.national:
        return None
    path = scope_path_of(model)
    q = Q(pk__in=[])
    for relation in grant.relations:
        q |= _relation_q(relation, scope, path)
    if grant.not_own_unit and path.unit is not None:
        for relation in OWN_UNIT:
            q &= ~_relation_q(relation, scope, path)
    return q


def _relation_q(relation: Relation, scope: Scope, path: ScopePath) -> Q:
    pemda_id = path.field(path.pemda, "id") if path.pemda else "pk"
    match relation:
        case Relation.ADMIN:
            return Q(**{f"{pemda_id}__in": scope.admin_pemdas})
        case Relation.INSPECTOR:
            return Q(**{f"{pemda_id}__in": scope.inspected_pemdas})
        case Relation.PROVINCE:
            code = path.field(path.pemda, "region__code")
            return _any_prefix(code, {f"{c}." for c in scope.province_codes})
        case Relation.UNIT_PEMDA:
            if path.unit is not None:
                return Q(pk__in=[])
            return Q(**{f"{pemda_id}__in": scope.unit_pemdas})
        case Relation.NATIONAL:
            return Q(pk__in=[])  # handled before: it sees every row
    if path.unit is None:
        return Q(pk__in=[])
    if relation == Relation.EVALUATOR:
        unit_id = path.field(path.unit, "id") if path.unit else "pk"
        return Q(**{f"{unit_id}__in": scope.evaluated_units})
    paths = scope.head_units if relation == Relation.HEAD else scope.operator_units
    return _any_prefix(path.field(path.unit, "path"), paths)


def _any_prefix(field: str, prefixes: frozenset[str] | set[str]) -> Q:
    q = Q(pk__in=[])
    for prefix in sorted(prefixes):
        q |= Q(**{f"{field}__startswith": prefix})
    return q


_M = TypeVar("_M", bound=Model)


class AccessQuerySet(QuerySet[_M]):
    """The default manager of every model with a scope_path: `visible_to` and `allowed` are the
    only ways staff code reads rows on a user's behalf."""

    def allowed(self, user: Any, action: str) -> Self:
        q = allowed_q(self.model, scope_of(user), action)
        if q is None:
            return self
        return self.filter(q)

    def visible_to(self, user: Any) -> Self:
        return self.allowed(user, CoreAction.VIEW)


# The manager of every model with a scope_path (typed for mypy's Django plugin).
AccessManager = Manager.from_queryset(AccessQuerySet)


# --- one object -------------------------------------------------------------------------------


def can(user: Any, action: str, obj: Model) -> bool:
    """May `user` do `action` on `obj`? Decided from the object's own fields (no query when the
    path to its Pemda and unit is loaded), by the same table as the filter."""
    scope = scope_of(user)
    grant = grant_of(action)
    if scope.everything:
        return True
    where = _Place(obj)
    allowed = any(_relates(relation, scope, where) for relation in grant.relations)
    if allowed and grant.not_own_unit:
        allowed = not any(_relates(relation, scope, where) for relation in OWN_UNIT)
    return allowed


def require(actor: Any, action: str, obj: Model) -> None:
    """For services: refuse an actor without the right. actor=None is a trusted system caller
    (management command, seed)."""
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


class _Place:
    """Where an object sits: its Pemda and (if it has one) its unit, read through the declared
    lookups. Ids come from the foreign key columns, so a unit whose Pemda is not loaded costs no
    query; the Pemda row is loaded only for the provincial check."""

    def __init__(self, obj: Model) -> None:
        self.obj, self.path = obj, scope_path_of(type(obj))

    @property
    def pemda_id(self) -> Any:
        if not self.path.pemda:
            return self.obj.pk
        *hops, last = self.path.pemda.split("__")
        return getattr(_follow(self.obj, "__".join(hops)), f"{last}_id")

    @property
    def region_code(self) -> str:
        return str(_follow(self.obj, self.path.pemda).region.code)

    @property
    def unit(self) -> Any | None:
        return None if self.path.unit is None else _follow(self.obj, self.path.unit)


def _follow(obj: Any, lookup: str) -> Any:
    for name in lookup.split("__") if lookup else ():
        obj = getattr(obj, name)
    return obj


def _relates(relation: Relation, scope: Scope, where: _Place) -> bool:
    match relation:
        case Relation.NATIONAL:
            return scope.national
        case Relation.ADMIN:
            return where.pemda_id in scope.admin_pemdas
        case Relation.INSPECTOR:
            return where.pemda_id in scope.inspected_pemdas
        case Relation.PROVINCE:
            codes = scope.province_codes
            return bool(codes) and any(where.region_code.startswith(f"{c}.") for c in codes)
        case Relation.UNIT_PEMDA:
            return where.path.unit is None and where.pemda_id in scope.unit_pemdas
    unit = where.unit
    if unit is None:
        return False
    if relation == Relation.EVALUATOR:
        return unit.pk in scope.evaluated_units
    paths = scope.head_units if relation == Relation.HEAD else scope.operator_units
    return any(unit.path.startswith(p) for p in paths)

"""Declared access (mutu.core.access): the filter and the yes/no on one object come from the same
table, for every action every app declares and every role, on Pemda-wide and unit objects."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from mutu.core import access
from mutu.core.access import Grant, Relation, action_tables, can, declare_actions, grant_of
from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.organisations.models import Holiday, Membership, Pemda, Service, Unit
from mutu.surveys.actions import SurveyAction
from mutu.surveys.models import PeriodUnit, SurveyLink, SurveyPeriod
from tests.factories import member
from tests.organisations.test_roles_doc import COLUMNS, _user, _world
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory, SurveyPeriodFactory

pytestmark = pytest.mark.django_db

MODELS: list[type[Model]] = [Pemda, Unit, Service, SurveyPeriod, PeriodUnit, SurveyLink]


@pytest.fixture
def world():
    pemdas = _world()
    province, regency = pemdas[:2]
    for place in pemdas:
        period = SurveyPeriodFactory(pemda=place["pemda"])
        for name in ("unit", "child", "sibling"):
            PeriodUnitFactory(period=period, unit=place[name])
            SurveyLinkFactory(unit=place[name])
        Service.objects.create(unit=place["child"], name="Akta kelahiran")
    users = [
        _user(role, province if role == Role.PROVINCIAL_ADMIN else regency) for role, _ in COLUMNS
    ]
    return users


def _every_action() -> list[str]:
    return [action for table in action_tables().values() for action in table]


def test_every_app_declares_its_table():
    assert {"core", "organisations", "surveys"} <= set(action_tables())
    assert len(_every_action()) == len(set(_every_action()))  # no action in two tables


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_filter_and_the_object_check_agree_for_every_action_and_role(world, model):
    rows = list(model.objects.all())
    assert len(rows) >= 4
    for user in world:
        for action in _every_action():
            by_filter = set(model.objects.allowed(user, action).values_list("pk", flat=True))
            by_object = {row.pk for row in rows if can(user, action, row)}
            assert by_filter == by_object, (user.email, action, model.__name__)


def test_the_admin_who_heads_a_unit_cannot_moderate_its_responses():
    seat = PeriodUnitFactory()
    admin = member(Role.PEMDA_ADMIN, pemda=seat.unit.pemda)
    other = PeriodUnitFactory(period=seat.period)
    assert can(admin, SurveyAction.MODERATE_RESPONSES, seat.unit)
    Membership.objects.create(
        user=admin, role=Role.UNIT_HEAD, pemda=seat.unit.pemda, unit=seat.unit
    )
    admin = type(admin).objects.get(pk=admin.pk)  # memberships are read once per request
    assert not can(admin, SurveyAction.MODERATE_RESPONSES, seat.unit)
    assert can(admin, SurveyAction.MODERATE_RESPONSES, other.unit)
    moderated = PeriodUnit.objects.allowed(admin, SurveyAction.MODERATE_RESPONSES)
    assert list(moderated.values_list("pk", flat=True)) == [other.pk]


def test_checking_a_loaded_unit_costs_no_query(django_assert_num_queries):
    unit = PeriodUnitFactory().unit
    head = member(Role.UNIT_HEAD, pemda=unit.pemda, unit=unit)
    unit = Unit.objects.get(pk=unit.pk)  # its Pemda not loaded
    can(head, "view", unit)  # reads the memberships once
    with django_assert_num_queries(0):
        assert can(head, "manage_services", unit)
        assert not can(head, "manage_units", unit)


def test_events_are_read_by_the_admin_and_the_inspector_of_their_pemda_only():
    unit = PeriodUnitFactory().unit
    mine = DomainEvent.objects.create(verb="uji", pemda=unit.pemda)
    DomainEvent.objects.create(verb="uji", pemda=PeriodUnitFactory().unit.pemda)
    DomainEvent.objects.create(verb="uji", pemda=None)
    for role in (Role.PEMDA_ADMIN, Role.INSPECTOR):
        user = member(role, pemda=unit.pemda)
        assert list(DomainEvent.objects.allowed(user, "view_audit")) == [mine]
    head = member(Role.UNIT_HEAD, pemda=unit.pemda, unit=unit)
    assert not DomainEvent.objects.allowed(head, "view_audit").exists()


def test_an_action_declared_twice_with_another_grant_is_refused():
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        declare_actions("other", {SurveyAction.REQUEST_REVIEW: Grant.of(Relation.ADMIN)})
    declare_actions("surveys", action_tables()["surveys"])  # the same grant again is harmless


def test_an_undeclared_action_or_an_undeclared_model_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="not declared"):
        grant_of("fly_to_the_moon")
    with pytest.raises(ImproperlyConfigured, match="declares no scope_path"):
        access.scope_path_of(Holiday)

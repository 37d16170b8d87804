"""DomainEvent: written by services, read on the event log (scoped) and in the admin."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutu.core.events import record_event
from mutu.core.models import DomainEvent
from mutu.organisations import services
from mutu.organisations.models import Unit
from tests.factories import UserFactory

EVENTS = reverse("core:event_list")


def _rows(response) -> list[DomainEvent]:
    return list(response.context["page"].object_list)


# --- services write events --------------------------------------------------------------------


def test_unit_create_records_who_did_what_where(world):
    unit = services.unit_create(
        pemda=world.own, actor=world.admin, name="Badan Pendapatan Daerah", kind=Unit.Kind.BADAN
    )

    event = DomainEvent.objects.get(verb="unit.created")
    assert event.actor == world.admin
    assert event.pemda == world.own
    assert event.object_type == ContentType.objects.get_for_model(Unit)
    assert event.object_id == str(unit.pk)
    assert event.object_repr == str(unit)
    assert event.data == {"kind": "badan"}
    assert event.at is not None


def test_refused_unit_create_records_nothing(world):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            pemda=world.other, actor=world.admin, name="Dinas Asing", kind=Unit.Kind.DINAS
        )

    assert not DomainEvent.objects.filter(verb="unit.created").exists()
    assert not Unit.objects.filter(name="Dinas Asing").exists()


def test_system_event_has_no_actor(world):
    event = record_event(actor=None, verb="holiday.imported", pemda=world.own, data={"rows": 3})

    assert event.actor is None
    assert event.object_type is None
    assert event.object_id == ""
    assert DomainEvent.objects.get(pk=event.pk).data == {"rows": 3}


# --- the event log is scoped ------------------------------------------------------------------


@pytest.fixture
def two_pemda_events(world):
    own = services.unit_create(
        pemda=world.own, actor=world.admin, name="Dinas Jayapura Baru", kind=Unit.Kind.DINAS
    )
    other = services.unit_create(
        pemda=world.other, actor=world.other_admin, name="Dinas Bandung Baru", kind=Unit.Kind.DINAS
    )
    return own, other


def test_pemda_admin_sees_own_pemda_events_only(client, world, two_pemda_events):
    client.force_login(world.admin)

    response = client.get(EVENTS)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dinas Jayapura Baru" in html
    assert "Dinas Bandung Baru" not in html
    assert {e.pemda_id for e in _rows(response)} == {world.own.pk}


def test_other_pemda_admin_sees_only_its_own(client, world, two_pemda_events):
    client.force_login(world.other_admin)

    response = client.get(EVENTS)

    html = response.content.decode()
    assert "Dinas Bandung Baru" in html
    assert "Dinas Jayapura Baru" not in html


def test_inspector_sees_own_pemda_events(client, world, two_pemda_events):
    client.force_login(world.inspector)

    response = client.get(EVENTS)

    assert response.status_code == 200
    assert [e.object_repr for e in _rows(response)] == ["Dinas Jayapura Baru"]
    assert "Dinas Bandung Baru" not in response.content.decode()


def test_unit_operator_sees_no_events(client, world, two_pemda_events):
    client.force_login(world.operator)

    response = client.get(EVENTS)

    assert response.status_code == 200
    html = response.content.decode()
    assert _rows(response) == []
    assert "Dinas Jayapura Baru" not in html
    assert "Dinas Bandung Baru" not in html
    assert "Belum ada peristiwa." in html


def test_superuser_sees_every_pemda(client, world, two_pemda_events):
    client.force_login(world.superuser)

    response = client.get(EVENTS)

    assert {e.pemda_id for e in _rows(response)} == {world.own.pk, world.other.pk}


def test_event_log_needs_sign_in(client, world):
    response = client.get(EVENTS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- filters ----------------------------------------------------------------------------------


@pytest.fixture
def dated_events(world):
    """Three events of the own Pemda (WIT, UTC+9) at known instants."""
    other_actor = UserFactory(email="operator.lain@x.go.id")
    specs = [
        ("unit.created", world.admin, datetime(2026, 3, 1, 2, 0, tzinfo=UTC)),  # 1 Mar 11.00 WIT
        ("service.updated", other_actor, datetime(2026, 3, 5, 2, 0, tzinfo=UTC)),  # 5 Mar
        # 10 Mar 16.00 UTC is already 11 Mar 01.00 WIT: its local date is the 11th.
        ("holiday.saved", world.admin, datetime(2026, 3, 10, 16, 0, tzinfo=UTC)),
    ]
    events = {}
    for verb, actor, at in specs:
        event = record_event(actor=actor, verb=verb, pemda=world.own)
        DomainEvent.objects.filter(pk=event.pk).update(at=at)
        events[verb] = event
    return events


def _verbs(client, **params) -> list[str]:
    response = client.get(EVENTS, params)
    assert response.status_code == 200
    return sorted(e.verb for e in _rows(response))


def test_filter_by_verb(client, world, dated_events):
    client.force_login(world.admin)

    assert _verbs(client, verb="unit.") == ["unit.created"]
    assert _verbs(client, verb="UPDATED") == ["service.updated"]
    assert _verbs(client, verb="tidak-ada") == []


def test_filter_by_actor_email(client, world, dated_events):
    client.force_login(world.admin)

    assert _verbs(client, actor="operator.lain") == ["service.updated"]
    assert _verbs(client, actor=world.admin.email.upper()) == ["holiday.saved", "unit.created"]


def test_filter_by_dates_in_the_pemda_time_zone(client, world, dated_events):
    client.force_login(world.admin)

    assert _verbs(client, date_from="2026-03-02") == ["holiday.saved", "service.updated"]
    assert _verbs(client, date_to="2026-03-05") == ["service.updated", "unit.created"]
    assert _verbs(client, date_from="2026-03-05", date_to="2026-03-05") == ["service.updated"]
    # The event at 16.00 UTC on the 10th happened on the 11th in Jayapura.
    assert _verbs(client, date_from="2026-03-11", date_to="2026-03-11") == ["holiday.saved"]
    assert _verbs(client, date_from="2026-03-10", date_to="2026-03-10") == []


def test_filters_combine_and_keep_the_scope(client, world, dated_events):
    record_event(actor=world.other_admin, verb="unit.created", pemda=world.other)
    client.force_login(world.admin)

    assert _verbs(client, verb="unit", date_to=date(2026, 3, 31).isoformat()) == ["unit.created"]
    assert _verbs(client, actor=world.other_admin.email) == []


def test_invalid_date_filter_shows_all_events_and_the_error(client, world, dated_events):
    client.force_login(world.admin)

    response = client.get(EVENTS, {"date_from": "bukan-tanggal"})

    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]
    assert len(_rows(response)) == 3


# --- query count ------------------------------------------------------------------------------


def _make_events(world, n: int) -> None:
    actors = [world.admin, world.inspector, None]
    for i in range(n):
        record_event(
            actor=actors[i % 3], verb="unit.updated", obj=world.unit, pemda=world.own, data={}
        )


def _count_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(EVENTS)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(_rows(response))


def test_event_log_query_count_is_bounded(client, world, django_assert_max_num_queries):
    _make_events(world, 60)
    client.force_login(world.admin)

    with django_assert_max_num_queries(8):
        response = client.get(EVENTS)

    assert len(_rows(response)) == 50  # one page


def test_event_log_query_count_does_not_grow_with_events(client, world):
    client.force_login(world.admin)
    _make_events(world, 5)
    client.get(EVENTS)  # warm caches (content types, session)
    few, shown_few = _count_queries(client)

    _make_events(world, 55)
    many, shown_many = _count_queries(client)

    assert (shown_few, shown_many) == (5, 50)
    assert many == few


# --- Django admin -----------------------------------------------------------------------------


def test_admin_changelist_loads_with_filters(client, world, two_pemda_events):
    client.force_login(world.superuser)

    response = client.get(reverse("admin:core_domainevent_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="changelist-filter"' in html
    assert "Dinas Jayapura Baru" in html
    assert "Dinas Bandung Baru" in html
    spec_titles = [spec.title for spec in response.context["cl"].filter_specs]
    assert len(spec_titles) == 4


def test_admin_changelist_filters_by_verb(client, world, two_pemda_events):
    record_event(actor=None, verb="holiday.saved", pemda=world.own)
    client.force_login(world.superuser)

    response = client.get(reverse("admin:core_domainevent_changelist"), {"verb": "holiday.saved"})

    assert response.status_code == 200
    assert [e.verb for e in response.context["cl"].result_list] == ["holiday.saved"]


def test_admin_refuses_to_add_change_or_delete_events(client, world, two_pemda_events):
    client.force_login(world.superuser)
    event = DomainEvent.objects.first()

    assert client.get(reverse("admin:core_domainevent_add")).status_code == 403
    assert client.post(reverse("admin:core_domainevent_add"), {"verb": "x"}).status_code == 403
    delete = reverse("admin:core_domainevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert DomainEvent.objects.filter(pk=event.pk).exists()
    # The change page only shows the event.
    change = client.get(reverse("admin:core_domainevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert 'type="submit"' not in change.content.decode().split('id="content-main"')[1]


def test_admin_event_log_is_for_staff_only(client, world):
    client.force_login(world.admin)

    response = client.get(reverse("admin:core_domainevent_changelist"))

    assert response.status_code == 302

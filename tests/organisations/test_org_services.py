"""Organisation services (every write with a DomainEvent), unit tree, views and query counts."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.organisations import services
from mutu.organisations.models import Membership, Region, Service, Unit
from tests.factories import (
    PemdaFactory,
    RegionFactory,
    ServiceFactory,
    UnitFactory,
    UserFactory,
    member,
)


@pytest.fixture
def pemda(db):
    return PemdaFactory()


@pytest.fixture
def admin(pemda):
    return member(Role.PEMDA_ADMIN, pemda=pemda)


@pytest.fixture
def tree(pemda, admin):
    """Dinkes → PKM Waru → Pustu Waru; Setda stands alone."""
    dinkes = services.unit_create(pemda=pemda, actor=admin, name="Dinas Kesehatan", kind="dinas")
    pkm = services.unit_create(
        pemda=pemda, actor=admin, name="UPT Puskesmas Waru", kind="puskesmas", parent=dinkes
    )
    pustu = services.unit_create(
        pemda=pemda, actor=admin, name="Pustu Waru", kind="puskesmas", parent=pkm
    )
    setda = services.unit_create(
        pemda=pemda, actor=admin, name="Sekretariat Daerah", kind="sekretariat"
    )
    return {"dinkes": dinkes, "pkm": pkm, "pustu": pustu, "setda": setda}


def paths(*units: Unit) -> list[str]:
    return [Unit.objects.get(pk=u.pk).path for u in units]


def last_event(verb: str) -> DomainEvent:
    return DomainEvent.objects.filter(verb=verb).order_by("-id").first()


# --- services and their events ---------------------------------------------------------------


def test_unit_create_records_an_event_and_a_path(pemda, admin):
    unit = services.unit_create(
        pemda=pemda, actor=admin, name="Dinas Sosial", kind="dinas", latitude=Decimal("-1.2")
    )

    unit.refresh_from_db()
    assert unit.path == f"{unit.pk}/"
    assert unit.depth == 0
    event = last_event("unit.created")
    assert (event.actor, event.pemda, event.object_id) == (admin, pemda, str(unit.pk))
    assert event.object_repr == "Dinas Sosial"
    assert event.data == {"kind": "dinas"}
    assert unit.history.count() == 1


def test_unit_update_records_changes_and_history(tree, admin, pemda):
    unit = tree["setda"]

    services.unit_update(unit=unit, actor=admin, name="Setda Kabupaten", phone="0542-21000")

    event = last_event("unit.updated")
    assert (event.actor, event.pemda, event.object_id) == (admin, pemda, str(unit.pk))
    assert event.data == {
        "changes": {
            "name": ["Sekretariat Daerah", "Setda Kabupaten"],
            "phone": ["", "0542-21000"],
        }
    }
    assert unit.history.count() == 2
    assert unit.history.first().name == "Setda Kabupaten"
    assert unit.history.last().name == "Sekretariat Daerah"
    assert Unit.objects.get(pk=unit.pk).name == "Setda Kabupaten"


def test_unit_update_without_a_change_records_no_event(tree, admin):
    services.unit_update(unit=tree["setda"], actor=admin, name="Sekretariat Daerah")
    assert not DomainEvent.objects.filter(verb="unit.updated").exists()


def test_service_create_and_update_record_events_and_history(tree, admin, pemda):
    operator = member(Role.UNIT_OPERATOR, unit=tree["pkm"])

    service = services.service_create(unit=tree["pkm"], actor=operator, name="Imunisasi")
    created = last_event("service.created")
    assert (created.actor, created.pemda, created.object_id) == (operator, pemda, str(service.pk))
    assert created.data == {"unit": tree["pkm"].pk}

    services.service_update(
        service=service, actor=admin, name="Imunisasi dasar lengkap", is_online=True
    )

    updated = last_event("service.updated")
    assert (updated.actor, updated.pemda) == (admin, pemda)
    assert updated.data == {
        "changes": {
            "name": ["Imunisasi", "Imunisasi dasar lengkap"],
            "is_online": ["False", "True"],
        }
    }
    assert service.history.count() == 2
    service.refresh_from_db()
    assert (service.name, service.is_online) == ("Imunisasi dasar lengkap", True)


def test_service_name_is_unique_in_its_unit(tree, admin):
    services.service_create(unit=tree["pkm"], actor=admin, name="Imunisasi")

    with pytest.raises(ValidationError):
        services.service_create(unit=tree["pkm"], actor=admin, name="Imunisasi")
    services.service_create(unit=tree["dinkes"], actor=admin, name="Imunisasi")  # another unit

    assert Service.objects.filter(name="Imunisasi").count() == 2


def test_membership_grant_records_an_event_once(tree, admin, pemda):
    user = UserFactory(email="operator@example.go.id")

    membership = services.membership_grant(
        user=user, role=Role.UNIT_OPERATOR, unit=tree["pkm"], actor=admin
    )
    again = services.membership_grant(
        user=user, role=Role.UNIT_OPERATOR, unit=tree["pkm"], actor=admin
    )

    assert again.pk == membership.pk
    assert (membership.unit, membership.pemda) == (tree["pkm"], pemda)  # pemda follows the unit
    events = DomainEvent.objects.filter(verb="membership.granted")
    assert events.count() == 1
    event = events.get()
    assert (event.actor, event.pemda, event.object_id) == (admin, pemda, str(membership.pk))
    assert event.data == {
        "user": "operator@example.go.id",
        "role": "unit_operator",
        "unit": tree["pkm"].pk,
    }


def test_membership_grant_pemda_role(admin, pemda):
    user = UserFactory()
    membership = services.membership_grant(user=user, role=Role.INSPECTOR, pemda=pemda, actor=admin)
    assert (membership.pemda, membership.unit) == (pemda, None)
    event = last_event("membership.granted")
    assert (event.actor, event.pemda) == (admin, pemda)
    assert event.data == {"user": user.email, "role": "inspector", "unit": None}


def test_membership_grant_with_a_wrong_scope_writes_nothing(tree, admin):
    user = UserFactory()

    with pytest.raises(ValidationError):
        services.membership_grant(user=user, role=Role.PEMDA_ADMIN, unit=tree["pkm"], actor=admin)

    assert not Membership.objects.filter(user=user).exists()
    assert not DomainEvent.objects.filter(verb="membership.granted").exists()


def test_membership_grant_needs_the_pemda_admin(tree, pemda):
    user = UserFactory()
    head = member(Role.UNIT_HEAD, unit=tree["dinkes"])
    other_admin = member(Role.PEMDA_ADMIN, pemda=PemdaFactory())

    for actor in (head, other_admin):
        with pytest.raises(PermissionDenied):
            services.membership_grant(
                user=user, role=Role.UNIT_OPERATOR, unit=tree["pkm"], actor=actor
            )
    assert not Membership.objects.filter(user=user).exists()


def test_platform_admin_grants_the_national_viewer_role(db):
    root = UserFactory(is_superuser=True)
    user = UserFactory()

    membership = services.membership_grant(user=user, role=Role.NATIONAL_VIEWER, actor=root)

    assert (membership.role, membership.pemda, membership.unit) == ("national_viewer", None, None)
    assert last_event("membership.granted").actor == root


# --- the unit tree ---------------------------------------------------------------------------


def test_paths_of_a_new_tree(tree):
    d, p, s = tree["dinkes"], tree["pkm"], tree["pustu"]
    assert paths(d, p, s) == [f"{d.pk}/", f"{d.pk}/{p.pk}/", f"{d.pk}/{p.pk}/{s.pk}/"]
    assert Unit.objects.get(pk=s.pk).depth == 2


def test_moving_a_unit_moves_its_whole_subtree(tree, admin):
    d, p, s, setda = tree["dinkes"], tree["pkm"], tree["pustu"], tree["setda"]

    services.unit_update(unit=p, actor=admin, parent=setda)

    assert paths(d, p, s, setda) == [
        f"{d.pk}/",
        f"{setda.pk}/{p.pk}/",
        f"{setda.pk}/{p.pk}/{s.pk}/",
        f"{setda.pk}/",
    ]
    assert last_event("unit.updated").data == {
        "changes": {"parent": ["Dinas Kesehatan", "Sekretariat Daerah"]}
    }

    services.unit_update(unit=Unit.objects.get(pk=p.pk), actor=admin, parent=None)

    assert paths(p, s) == [f"{p.pk}/", f"{p.pk}/{s.pk}/"]
    assert Unit.objects.get(pk=s.pk).depth == 1


def test_moving_does_not_touch_units_outside_the_subtree(pemda, admin):
    # Enough units that some ids share a prefix ("1/" and "11/"); the slash keeps them apart.
    units = [
        services.unit_create(pemda=pemda, actor=admin, name=f"Unit {n}", kind="dinas")
        for n in range(12)
    ]
    before = dict(Unit.objects.values_list("pk", "path"))
    moved, target = units[0], units[1]

    services.unit_update(unit=moved, actor=admin, parent=target)

    after = dict(Unit.objects.values_list("pk", "path"))
    assert after.pop(moved.pk) == f"{target.pk}/{moved.pk}/"
    before.pop(moved.pk)
    assert after == before


def test_a_parent_in_another_pemda_is_rejected(tree, admin, pemda):
    foreign = UnitFactory(name="Dinas Kesehatan Kota Lain")

    with pytest.raises(ValidationError) as error:
        services.unit_create(pemda=pemda, actor=admin, name="UPT Baru", kind="upt", parent=foreign)
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.unit_update(unit=tree["pkm"], actor=admin, parent=foreign)

    assert not Unit.objects.filter(name="UPT Baru").exists()
    assert Unit.objects.get(pk=tree["pkm"].pk).parent_id == tree["dinkes"].pk


@pytest.mark.parametrize("target", ["pustu", "pkm", "dinkes"])
def test_a_unit_cannot_move_under_itself_or_its_descendant(tree, admin, target):
    before = paths(*tree.values())

    with pytest.raises(ValidationError) as error:
        services.unit_update(
            unit=Unit.objects.get(pk=tree["dinkes"].pk), actor=admin, parent=tree[target]
        )

    assert "parent" in error.value.message_dict
    assert paths(*tree.values()) == before
    assert Unit.objects.get(pk=tree["dinkes"].pk).parent_id is None


def test_unit_name_is_unique_per_pemda(tree, admin, pemda):
    with pytest.raises(ValidationError):
        services.unit_create(pemda=pemda, actor=admin, name="Dinas Kesehatan", kind="dinas")
    with pytest.raises(ValidationError):
        services.unit_update(unit=tree["setda"], actor=admin, name="Dinas Kesehatan")

    other = PemdaFactory()
    services.unit_create(pemda=other, actor=None, name="Dinas Kesehatan", kind="dinas")

    assert Unit.objects.filter(name="Dinas Kesehatan").count() == 2
    assert Unit.objects.get(pk=tree["setda"].pk).name == "Sekretariat Daerah"


def test_unit_latitude_out_of_range_is_rejected(pemda, admin):
    with pytest.raises(ValidationError):
        services.unit_create(
            pemda=pemda, actor=admin, name="Dinas X", kind="dinas", latitude=Decimal("91")
        )
    assert not Unit.objects.filter(name="Dinas X").exists()


# --- Membership.clean ------------------------------------------------------------------------


@pytest.fixture
def scopes(db):
    province = PemdaFactory(
        region=RegionFactory(code="98", name="Provinsi Uji", level=Region.Level.PROVINSI)
    )
    kabupaten = PemdaFactory()
    return {"province": province, "kab": kabupaten, "unit": UnitFactory(pemda=kabupaten)}


# role, scope ("" = none, "kab", "province", "unit", "kab+unit"), valid?
MEMBERSHIP_CASES = [
    (Role.PEMDA_ADMIN, "kab", True),
    (Role.PEMDA_ADMIN, "", False),
    (Role.PEMDA_ADMIN, "unit", False),
    (Role.PEMDA_ADMIN, "kab+unit", False),
    (Role.INSPECTOR, "kab", True),
    (Role.INSPECTOR, "", False),
    (Role.INSPECTOR, "unit", False),
    (Role.PROVINCIAL_ADMIN, "province", True),
    (Role.PROVINCIAL_ADMIN, "kab", False),
    (Role.PROVINCIAL_ADMIN, "", False),
    (Role.UNIT_HEAD, "unit", True),
    (Role.UNIT_HEAD, "kab", False),
    (Role.UNIT_HEAD, "", False),
    (Role.UNIT_OPERATOR, "unit", True),
    (Role.UNIT_OPERATOR, "kab", False),
    (Role.EVALUATOR, "unit", True),
    (Role.EVALUATOR, "", False),
    (Role.NATIONAL_VIEWER, "", True),
    (Role.NATIONAL_VIEWER, "kab", False),
    (Role.NATIONAL_VIEWER, "unit", False),
]


@pytest.mark.parametrize(("role", "scope", "valid"), MEMBERSHIP_CASES)
def test_membership_clean_per_role(scopes, role, scope, valid):
    pemda = scopes["province"] if scope == "province" else scopes["kab"] if "kab" in scope else None
    unit = scopes["unit"] if "unit" in scope else None
    membership = Membership(user=UserFactory(), role=role, pemda=pemda, unit=unit)

    if valid:
        membership.full_clean()
    else:
        with pytest.raises(ValidationError):
            membership.full_clean()


def test_every_role_has_a_valid_membership_case():
    assert {role for role, _scope, valid in MEMBERSHIP_CASES if valid} == set(Role)


# --- who may call what -----------------------------------------------------------------------


def test_unit_operator_cannot_create_or_edit_units(tree, pemda):
    operator = member(Role.UNIT_OPERATOR, unit=tree["pkm"])

    with pytest.raises(PermissionDenied):
        services.unit_create(pemda=pemda, actor=operator, name="Dinas Baru", kind="dinas")
    with pytest.raises(PermissionDenied):
        services.unit_update(unit=tree["pkm"], actor=operator, name="Diubah")

    assert not Unit.objects.filter(name__in=["Dinas Baru", "Diubah"]).exists()


def test_unit_head_edits_but_does_not_move_a_unit(tree):
    head = member(Role.UNIT_HEAD, unit=tree["dinkes"])

    services.unit_update(unit=tree["pkm"], actor=head, head_name="dr. Sari")
    with pytest.raises(PermissionDenied):
        services.unit_update(unit=tree["pkm"], actor=head, parent=None)

    pkm = Unit.objects.get(pk=tree["pkm"].pk)
    assert (pkm.head_name, pkm.parent_id) == ("dr. Sari", tree["dinkes"].pk)


def test_services_of_other_units_are_out_of_reach(tree, pemda):
    operator = member(Role.UNIT_OPERATOR, unit=tree["pkm"])
    inspector = member(Role.INSPECTOR, pemda=pemda)
    other_admin = member(Role.PEMDA_ADMIN, pemda=PemdaFactory())
    service = ServiceFactory(unit=tree["pkm"], name="Imunisasi")

    with pytest.raises(PermissionDenied):
        services.service_create(unit=tree["setda"], actor=operator, name="PPID")
    for actor in (inspector, other_admin):
        with pytest.raises(PermissionDenied):
            services.service_update(service=service, actor=actor, name="Diubah")
        with pytest.raises(PermissionDenied):
            services.unit_create(pemda=pemda, actor=actor, name="Dinas Baru", kind="dinas")

    assert Service.objects.get(pk=service.pk).name == "Imunisasi"
    assert not tree["setda"].services.exists()


# --- views -----------------------------------------------------------------------------------


def _unit_data(**overrides):
    data = {"name": "Dinas Sosial", "short_name": "Dinsos", "kind": "dinas", "is_active": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_unit_create_view(client, pemda, admin, tree):
    client.force_login(admin)

    response = client.post(
        reverse("organisations:unit_create", args=[pemda.pk]),
        _unit_data(parent=tree["dinkes"].pk, latitude="-1.25", longitude="116.8"),
    )

    unit = Unit.objects.get(pemda=pemda, name="Dinas Sosial")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:unit_detail", args=[unit.pk])
    assert (unit.short_name, unit.parent, unit.latitude) == (
        "Dinsos",
        tree["dinkes"],
        Decimal("-1.25"),
    )
    assert unit.path == f"{tree['dinkes'].pk}/{unit.pk}/"
    assert last_event("unit.created").actor == admin


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": None}, "kind"),
        ({"name": ""}, "name"),
        ({"latitude": "abc"}, "latitude"),
        ({"kind": "kantor_pos"}, "kind"),
        ({"email": "bukan-email"}, "email"),
        ({"name": "Dinas Kesehatan"}, "__all__"),  # name taken in this Pemda
    ],
    ids=["no-kind", "no-name", "latitude", "bad-kind", "email", "duplicate"],
)
def test_unit_create_view_invalid(client, pemda, admin, tree, data, field):
    client.force_login(admin)
    units, events = Unit.objects.count(), DomainEvent.objects.count()

    response = client.post(
        reverse("organisations:unit_create", args=[pemda.pk]), _unit_data(**data)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Unit.objects.count() == units
    assert DomainEvent.objects.count() == events


def test_unit_create_view_latitude_out_of_range_is_shown_on_the_field(client, pemda, admin):
    # The user must see which field is wrong and why, not the name of a database constraint.
    client.force_login(admin)

    response = client.post(
        reverse("organisations:unit_create", args=[pemda.pk]),
        _unit_data(latitude="95", longitude="116"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert not Unit.objects.filter(name="Dinas Sosial").exists()
    assert "unit_latitude_range" not in str(errors)
    assert "latitude" in errors


def test_unit_create_view_with_a_foreign_parent_is_invalid(client, pemda, admin):
    foreign = UnitFactory(name="Dinas Kota Lain")
    client.force_login(admin)

    response = client.post(
        reverse("organisations:unit_create", args=[pemda.pk]), _unit_data(parent=foreign.pk)
    )

    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Unit.objects.filter(name="Dinas Sosial").exists()


def test_unit_create_view_denied_to_an_operator(client, pemda, tree):
    client.force_login(member(Role.UNIT_OPERATOR, unit=tree["pkm"]))

    response = client.post(reverse("organisations:unit_create", args=[pemda.pk]), _unit_data())

    assert response.status_code == 403
    assert not Unit.objects.filter(name="Dinas Sosial").exists()


def test_unit_edit_view_moves_a_unit(client, admin, tree):
    client.force_login(admin)
    pkm, pustu, setda = tree["pkm"], tree["pustu"], tree["setda"]

    response = client.post(
        reverse("organisations:unit_edit", args=[pkm.pk]),
        _unit_data(name="UPT Puskesmas Waru Baru", kind="puskesmas", parent=setda.pk),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:unit_detail", args=[pkm.pk])
    pkm.refresh_from_db()
    assert (pkm.name, pkm.parent_id, pkm.path) == (
        "UPT Puskesmas Waru Baru",
        setda.pk,
        f"{setda.pk}/{pkm.pk}/",
    )
    assert paths(pustu) == [f"{setda.pk}/{pkm.pk}/{pustu.pk}/"]
    changes = last_event("unit.updated").data["changes"]
    assert changes["name"] == ["UPT Puskesmas Waru", "UPT Puskesmas Waru Baru"]
    assert changes["parent"] == ["Dinas Kesehatan", "Sekretariat Daerah"]
    assert pkm.history.count() == 2


def test_unit_edit_view_by_a_head_keeps_the_parent(client, tree):
    client.force_login(member(Role.UNIT_HEAD, unit=tree["pkm"]))
    pkm = tree["pkm"]

    response = client.post(
        reverse("organisations:unit_edit", args=[pkm.pk]),
        _unit_data(name="UPT Puskesmas Waru", kind="puskesmas", phone="0542-1", parent=""),
    )

    assert response.status_code == 302
    pkm.refresh_from_db()
    assert (pkm.phone, pkm.parent_id) == ("0542-1", tree["dinkes"].pk)


def test_unit_edit_view_cannot_move_under_a_descendant(client, admin, tree):
    client.force_login(admin)
    dinkes = tree["dinkes"]
    before = paths(*tree.values())

    response = client.post(
        reverse("organisations:unit_edit", args=[dinkes.pk]),
        _unit_data(name="Dinas Kesehatan", parent=tree["pustu"].pk),
    )

    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert paths(*tree.values()) == before
    assert not DomainEvent.objects.filter(verb="unit.updated").exists()


def test_unit_edit_view_invalid_changes_nothing(client, admin, tree):
    client.force_login(admin)
    setda = tree["setda"]

    response = client.post(
        reverse("organisations:unit_edit", args=[setda.pk]),
        _unit_data(name="Dinas Kesehatan", kind="sekretariat"),  # name taken
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Unit.objects.get(pk=setda.pk).name == "Sekretariat Daerah"
    assert setda.history.count() == 1


def test_service_create_view_by_an_operator(client, tree, pemda):
    operator = member(Role.UNIT_OPERATOR, unit=tree["pkm"])
    client.force_login(operator)

    response = client.post(
        reverse("organisations:service_create", args=[tree["pkm"].pk]),
        {
            "name": "Imunisasi",
            "description": "Imunisasi dasar",
            "is_online": "on",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:unit_detail", args=[tree["pkm"].pk])
    service = tree["pkm"].services.get()
    assert (service.name, service.description, service.is_online, service.is_active) == (
        "Imunisasi",
        "Imunisasi dasar",
        True,
        True,
    )
    event = last_event("service.created")
    assert (event.actor, event.pemda) == (operator, pemda)


@pytest.mark.parametrize("name", ["", "Imunisasi"], ids=["empty", "duplicate"])
def test_service_create_view_invalid(client, tree, admin, name):
    ServiceFactory(unit=tree["pkm"], name="Imunisasi")
    client.force_login(admin)

    response = client.post(
        reverse("organisations:service_create", args=[tree["pkm"].pk]), {"name": name}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert tree["pkm"].services.count() == 1
    assert not DomainEvent.objects.filter(verb="service.created").exists()


def test_service_edit_view(client, tree, pemda):
    head = member(Role.UNIT_HEAD, unit=tree["dinkes"])
    service = ServiceFactory(unit=tree["pustu"], name="Rawat jalan")
    client.force_login(head)

    response = client.post(
        reverse("organisations:service_edit", args=[service.pk]),
        {"name": "Rawat jalan umum", "description": "", "is_active": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:unit_detail", args=[tree["pustu"].pk])
    service.refresh_from_db()
    assert (service.name, service.is_active) == ("Rawat jalan umum", False)
    event = last_event("service.updated")
    assert (event.actor, event.pemda) == (head, pemda)
    assert event.data["changes"]["name"] == ["Rawat jalan", "Rawat jalan umum"]
    assert event.data["changes"]["is_active"] == ["True", "False"]
    assert service.history.count() == 2


def test_service_edit_view_invalid_changes_nothing(client, tree, admin):
    ServiceFactory(unit=tree["pkm"], name="Imunisasi")
    service = ServiceFactory(unit=tree["pkm"], name="Gizi")
    client.force_login(admin)

    for data in ({"name": ""}, {"name": "Imunisasi", "is_active": "on"}):
        response = client.post(reverse("organisations:service_edit", args=[service.pk]), data)
        assert response.status_code == 200
        assert response.context["form"].errors

    service.refresh_from_db()
    assert (service.name, service.is_active) == ("Gizi", True)
    assert not DomainEvent.objects.filter(verb="service.updated").exists()


# --- list pages: query counts and htmx -------------------------------------------------------


def _units(pemda, count):
    top = UnitFactory(pemda=pemda, name="Dinas Induk")
    for n in range(count - 1):
        unit = UnitFactory(pemda=pemda, parent=top if n % 2 else None)
        ServiceFactory(unit=unit)
    return top


# Observed on SQLite and PostgreSQL for a Pemda admin: unit_list 8 (session, user, scope, managed
# Pemda, count, navigation, roles, rows) plus, today, one Region query per row, which is the bug
# these tests catch; unit_detail 8; pemda_list 6 (4 for a superuser). Each bound is that +2.
@pytest.mark.parametrize("count", [2, 35])
def test_unit_list_query_count_does_not_grow(
    client, pemda, admin, count, django_assert_max_num_queries
):
    _units(pemda, count)
    client.force_login(admin)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("organisations:unit_list"))

    assert response.status_code == 200
    assert len(response.context["page"]) == count


@pytest.mark.parametrize("count", [2, 12])
def test_pemda_list_query_count_does_not_grow(client, db, count, django_assert_max_num_queries):
    pemdas = [PemdaFactory() for _ in range(count)]
    for pemda in pemdas:
        UnitFactory.create_batch(2, pemda=pemda)
    client.force_login(UserFactory(is_superuser=True))

    with django_assert_max_num_queries(6):
        response = client.get(reverse("organisations:pemda_list"))

    assert response.status_code == 200
    listed = {p.pk: p.unit_count for p in response.context["pemdas"]}
    assert listed == {p.pk: 2 for p in pemdas}


def test_pemda_list_query_count_for_a_pemda_admin(
    client, pemda, admin, django_assert_max_num_queries
):
    UnitFactory.create_batch(3, pemda=pemda)
    PemdaFactory.create_batch(3)
    client.force_login(admin)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("organisations:pemda_list"))

    assert [p.pk for p in response.context["pemdas"]] == [pemda.pk]
    assert response.context["pemdas"][0].unit_count == 3


@pytest.mark.parametrize("count", [1, 25])
def test_unit_detail_query_count_does_not_grow(
    client, pemda, admin, count, django_assert_max_num_queries
):
    top = UnitFactory(pemda=pemda, name="Dinas Kesehatan")
    child = UnitFactory(pemda=pemda, parent=top, name="UPT Puskesmas Waru")
    for n in range(count):
        UnitFactory(pemda=pemda, parent=child)
        ServiceFactory(unit=child, name=f"Layanan {n}")
    client.force_login(admin)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("organisations:unit_detail", args=[child.pk]))

    assert response.status_code == 200
    assert len(response.context["children"]) == count
    assert len(response.context["services"]) == count
    assert "Dinas Kesehatan" in response.content.decode()  # the parent in the breadcrumb


def test_unit_list_htmx_returns_only_the_rows(client, pemda, admin):
    _units(pemda, 3)
    UnitFactory(pemda=pemda, name="Dinas Sosial")
    client.force_login(admin)
    url = reverse("organisations:unit_list")

    partial = client.get(url, {"q": "sosial"}, headers={"HX-Request": "true"})
    full = client.get(url, {"q": "sosial"})

    assert partial.status_code == full.status_code == 200
    body = partial.content.decode()
    assert "<html" not in body
    assert "<table" in body
    assert "Dinas Sosial" in body
    assert "Dinas Induk" not in body
    assert partial.templates[0].name == "organisations/_unit_rows.html"
    assert "<html" in full.content.decode()
    assert full.templates[0].name == "organisations/unit_list.html"


def test_unit_list_filters_and_scope(client, pemda, admin):
    UnitFactory(pemda=pemda, name="UPT Puskesmas Waru", kind="puskesmas")
    UnitFactory(pemda=pemda, name="Dinas Sosial", kind="dinas")
    UnitFactory(name="UPT Puskesmas Kota Lain", kind="puskesmas")  # another Pemda
    client.force_login(admin)

    response = client.get(reverse("organisations:unit_list"), {"kind": "puskesmas"})

    assert [u.name for u in response.context["page"]] == ["UPT Puskesmas Waru"]


def test_unit_list_next_page_keeps_the_filter(client, pemda, admin):
    for n in range(51):
        UnitFactory(pemda=pemda, name=f"UPT Puskesmas {n:02d}", kind="puskesmas")
    UnitFactory(pemda=pemda, name="Dinas Sosial", kind="dinas")
    client.force_login(admin)

    response = client.get(reverse("organisations:unit_list"), {"kind": "puskesmas"})

    page = response.context["page"]
    assert (page.paginator.count, page.paginator.num_pages) == (51, 2)
    links = re.findall(r'href="\?([^"]*page=2)"', response.content.decode())
    assert links, "no link to page 2"
    assert all("kind=puskesmas" in link for link in links), links

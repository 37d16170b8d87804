"""Kiosk tokens (issue 11, item 3): only those who manage the unit see one, once, when it is
issued; the database keeps its SHA-256; read-only roles never see an address that works."""

import hashlib
import re

import pytest
from django.urls import reverse

from mutu.core.roles import Role
from mutu.organisations.models import Region
from mutu.surveys.models import KioskDevice
from tests.factories import PemdaFactory, RegionFactory, member
from tests.surveys.factories import PeriodUnitFactory

pytestmark = pytest.mark.django_db

KIOSK_URL = re.compile(r"/kios/([A-Za-z0-9_-]{12,})/")
PROVINCE = {"code": "99", "name": "Provinsi Uji", "level": Region.Level.PROVINSI}


@pytest.fixture
def unit():
    # A unit in an open period, as tests.surveys.factories builds it.
    return PeriodUnitFactory(unit__name="Mal Pelayanan Publik").unit


def _list_url(unit):
    return reverse("surveys:kiosk_list", args=[unit.pk])


def _register_url(unit):
    return reverse("surveys:kiosk_register", args=[unit.pk])


def _rotate_url(kiosk):
    return reverse("surveys:kiosk_rotate", args=[kiosk.pk])


def _tokens(page) -> list[str]:
    return sorted(set(KIOSK_URL.findall(page.content.decode())))


def test_the_token_is_shown_once_at_registration_and_stored_hashed(client, unit):
    client.force_login(member(Role.UNIT_OPERATOR, unit=unit))
    registered = client.post(_register_url(unit), {"name": "Tablet loket 1"})
    assert registered.status_code == 200 and "no-store" in registered["Cache-Control"]
    [token] = _tokens(registered)
    kiosk = KioskDevice.objects.get()
    assert kiosk.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = KioskDevice.objects.filter(pk=kiosk.pk).values().get()
    assert not any(token in str(value) for value in stored.values())  # nowhere in plain
    assert client.get(reverse("surveys:kiosk", args=[token])).status_code == 200
    again = client.get(_list_url(unit))
    assert _tokens(again) == [] and f"{token[:4]}…" in again.content.decode()


@pytest.mark.parametrize(
    "role", [Role.NATIONAL_VIEWER, Role.PROVINCIAL_ADMIN, Role.INSPECTOR, Role.EVALUATOR]
)
def test_read_only_roles_see_no_working_kiosk_address(client, unit, role):
    kiosk = KioskDevice.objects.create(unit=unit, name="Tablet loket 1")
    scope = {
        Role.NATIONAL_VIEWER: {},
        # The Pemda of the province around the unit's kabupaten (codes 99 and 99.NN).
        Role.PROVINCIAL_ADMIN: {"pemda": PemdaFactory(region=RegionFactory(**PROVINCE))},
        Role.INSPECTOR: {"pemda": unit.pemda},
        Role.EVALUATOR: {"unit": unit},
    }[role]
    client.force_login(member(role, **scope))
    page = client.get(_list_url(unit))
    assert page.status_code == 200 and "Tablet loket 1" in page.content.decode()
    assert kiosk.token not in page.content.decode() and _tokens(page) == []
    assert client.post(_rotate_url(kiosk)).status_code in (403, 404)
    assert KioskDevice.objects.get().token_hash == kiosk.token_hash


def test_rotating_shows_a_new_token_once_and_retires_the_old(client, unit):
    kiosk = KioskDevice.objects.create(unit=unit, name="Tablet loket 1")
    old = kiosk.token
    client.force_login(member(Role.UNIT_HEAD, unit=unit))
    rotated = client.post(_rotate_url(kiosk))
    [new] = _tokens(rotated)
    assert new != old
    assert client.get(reverse("surveys:kiosk", args=[old])).status_code == 404
    assert client.get(reverse("surveys:kiosk", args=[new])).status_code == 200
    assert _tokens(client.get(_list_url(unit))) == []


@pytest.mark.slow  # migrates back and forth
def test_existing_kiosks_keep_working_after_the_migration(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("surveys", "0009_period_closed_at")],
        [("surveys", "0011_kiosk_token_plain_dropped")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    unit = old_apps.get_model("organisations", "Unit").objects.create(
        pemda=old_apps.get_model("organisations", "Pemda").objects.create(
            region=old_apps.get_model("organisations", "Region").objects.create(
                code="99.99", name="Kabupaten Uji", level="kabupaten", timezone="Asia/Jakarta"
            ),
            name="Pemerintah Kabupaten Uji",
        ),
        name="Dinas Uji",
        kind="dinas",
    )
    old_apps.get_model("surveys", "KioskDevice").objects.create(
        unit=unit, name="Tablet lama", token="token-lama-yang-masih-dipakai"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from mutu.surveys import selectors

    found = selectors.kiosk_for_token("token-lama-yang-masih-dipakai")
    assert found is not None and found.name == "Tablet lama" and found.token_prefix == "toke"

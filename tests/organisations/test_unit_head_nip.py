"""The unit's head signs the Laporan SKM: name, title and NIP are kept on the unit profile,
editable by the unit head and the Pemda admin; a malformed NIP is refused in Indonesian."""

import pytest
from django.urls import reverse

from mutu.core.roles import Role
from tests.factories import PemdaFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return UnitFactory(pemda=PemdaFactory(), name="Dinas Perhubungan", kind="dinas")


def _post(client, unit, nip):
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "head_name": "Ir. Budi Santoso, M.T.",
        "head_title": "Kepala Dinas Perhubungan",
        "head_nip": nip,
        "is_active": "on",
    }
    return client.post(reverse("organisations:unit_edit", args=[unit.pk]), data)


def test_head_saves_name_and_nip_and_the_profile_shows_them(client, unit):
    client.force_login(member(Role.UNIT_HEAD, unit=unit))
    assert _post(client, unit, "19750317 200003 1 002").status_code == 302
    unit.refresh_from_db()
    assert (unit.head_name, unit.head_nip) == ("Ir. Budi Santoso, M.T.", "19750317 200003 1 002")
    page = client.get(reverse("organisations:unit_detail", args=[unit.pk])).content.decode()
    assert "NIP 19750317 200003 1 002" in page


@pytest.mark.parametrize("nip", ["1975031720000310", "19750317-200003-1-002", "NIP 123"])
def test_a_malformed_nip_is_refused_and_nothing_changes(client, unit, nip):
    client.force_login(member(Role.UNIT_HEAD, unit=unit))
    response = _post(client, unit, nip)
    assert response.status_code == 200
    assert "NIP terdiri dari 18 angka" in response.content.decode()
    unit.refresh_from_db()
    assert (unit.head_name, unit.head_nip) == ("", "")

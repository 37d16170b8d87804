"""Fixtures for the core tests: two Pemda in different time zones with one person per role."""

from dataclasses import dataclass

import pytest

from mutu.core.models import User
from mutu.core.roles import Role
from mutu.organisations.models import Pemda, Region, Unit
from tests.factories import PemdaFactory, RegionFactory, UnitFactory, UserFactory, member

PASSWORD = "sandi-uji-123"  # what tests.factories.UserFactory sets


@dataclass
class World:
    own: Pemda  # Kota Jayapura, WIT
    other: Pemda  # Kota Bandung, WIB
    unit: Unit
    other_unit: Unit
    admin: User
    other_admin: User
    inspector: User
    operator: User
    superuser: User


@pytest.fixture
def world(db) -> World:
    papua = RegionFactory(
        code="91", name="Papua", level=Region.Level.PROVINSI, timezone="Asia/Jayapura"
    )
    jabar = RegionFactory(
        code="32", name="Jawa Barat", level=Region.Level.PROVINSI, timezone="Asia/Jakarta"
    )
    own = PemdaFactory(
        region=RegionFactory(
            code="91.71",
            name="Kota Jayapura",
            level=Region.Level.KOTA,
            parent=papua,
            timezone="Asia/Jayapura",
        )
    )
    other = PemdaFactory(
        region=RegionFactory(
            code="32.73",
            name="Kota Bandung",
            level=Region.Level.KOTA,
            parent=jabar,
            timezone="Asia/Jakarta",
        )
    )
    unit = UnitFactory(pemda=own, name="Dinas Kependudukan Jayapura")
    other_unit = UnitFactory(pemda=other, name="Dinas Kependudukan Bandung")
    return World(
        own=own,
        other=other,
        unit=unit,
        other_unit=other_unit,
        admin=member(Role.PEMDA_ADMIN, pemda=own),
        other_admin=member(Role.PEMDA_ADMIN, pemda=other),
        inspector=member(Role.INSPECTOR, pemda=own),
        operator=member(Role.UNIT_OPERATOR, unit=unit),
        superuser=UserFactory(is_superuser=True, is_staff=True),
    )

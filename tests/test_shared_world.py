"""tests/shared_world.py: a world built once per module keeps the id guard (ids past a million),
and each test sees the world as built, whatever the test before it wrote or changed."""

import pytest

from mutu.organisations.models import Unit
from tests.conftest import FIRST_ID
from tests.factories import UnitFactory, UserFactory
from tests.shared_world import a_shared_world_is_open, built_once, fresh_copy

pytestmark = pytest.mark.django_db


def _build():
    return {"unit": UnitFactory(name="Dinas Bersama"), "user": UserFactory()}


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, _build) as world:
        yield world


@pytest.fixture
def world(_world, db):
    return fresh_copy(_world)


def test_rows_built_once_get_ids_past_a_million(world):
    assert a_shared_world_is_open()
    unit = world["unit"]
    assert min(unit.pk, unit.pemda.pk, unit.pemda.region.pk, world["user"].pk) >= FIRST_ID


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_starts_from_the_world_as_built(world, turn):
    # Whichever turn runs second finds neither the other's row nor its changes.
    assert list(Unit.objects.values_list("name", flat=True)) == ["Dinas Bersama"]
    assert world["unit"].name == "Dinas Bersama"
    UnitFactory(pemda=world["unit"].pemda, name=f"Unit giliran {turn}")
    world["unit"].name = f"Diubah pada giliran {turn}"
    world["unit"].save()

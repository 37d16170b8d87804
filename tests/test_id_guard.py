"""The guard of issue 12, item 1: every table's ids start past a million in the test database,
so an id a template renders as "1.000.001" in a form value, URL or data attribute breaks the
test that posts or follows it."""

import pytest

from mutu.core.models import DomainEvent
from tests.conftest import FIRST_ID
from tests.factories import UnitFactory, UserFactory


def _fresh_ids():
    user = UserFactory()
    unit = UnitFactory()
    event = DomainEvent.objects.create(actor=user, verb="uji.guard", pemda=unit.pemda)
    return [user.pk, unit.pk, unit.pemda.pk, unit.pemda.region.pk, event.pk]


@pytest.mark.django_db
def test_new_rows_get_ids_past_a_million():
    assert all(pk >= FIRST_ID for pk in _fresh_ids())


@pytest.mark.django_db(transaction=True)
def test_ids_stay_past_a_million_in_transactional_tests():
    # A transactional test's flush empties the tables; the sequences must not start again at 1.
    assert all(pk >= FIRST_ID for pk in _fresh_ids())


@pytest.mark.django_db(transaction=True)
def test_ids_stay_past_a_million_after_a_flush():
    assert all(pk >= FIRST_ID for pk in _fresh_ids())

"""mutu.core.sql: the PostgreSQL single statement and the portable fallback must store the same
rows, all or nothing, and read back what the database computed. Runs on both databases."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from mutu.core.sql import case_exists, insert_with_children, row_exists
from mutu.surveys.models import Answer, Response, SurveyPeriod
from tests.surveys.factories import SurveyPeriodFactory

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def period(world):
    return SurveyPeriodFactory(pemda=world.own)


def _response(period, unit, **fields):
    values = {"channel": "web", "submitted_at": timezone.now(), "device_hash": "d" * 16}
    return Response(period=period, unit=unit, **(values | fields))


def _answers(period, unit, values):
    return [
        Answer(period=period, unit=unit, unsur=code, value=value) for code, value in values.items()
    ]


def test_parent_and_children_are_stored_together(world, period, django_assert_num_queries):
    response = _response(period, world.unit, extra={"q1": "ramah"}, trust=3)
    answers = _answers(period, world.unit, {"waktu": 4, "biaya": 1, "sarana": 2})
    # PostgreSQL: one statement. Elsewhere: INSERT, bulk INSERT (the transaction is the test's).
    with django_assert_num_queries(1 if ON_POSTGRES else 2):
        insert_with_children(response, answers, link="response")
    stored = Response.objects.get()
    assert response.pk == stored.pk and not response._state.adding
    assert (stored.extra, stored.trust, stored.device_hash) == ({"q1": "ramah"}, 3, "d" * 16)
    assert dict(stored.answers.values_list("unsur", "value")) == {
        "waktu": 4,
        "biaya": 1,
        "sarana": 2,
    }
    assert set(Answer.objects.values_list("period_id", "unit_id")) == {(period.pk, world.unit.pk)}
    assert all(answer.response_id == stored.pk for answer in answers)


def test_a_bad_child_stores_nothing(world, period):
    response = _response(period, world.unit)
    answers = _answers(period, world.unit, {"waktu": 4, "biaya": 9})  # 9 breaks a CHECK
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_with_children(response, answers, link="response")
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def _flag(period, unit, since):
    return case_exists(
        Response,
        equal={"unit": unit.pk, "device_hash": "d" * 16},
        since=("submitted_at", since),
        then="duplicate",
        otherwise="pow",
    )


def test_an_expression_is_computed_by_the_insert_and_read_back(world, period):
    now = timezone.now()
    first = _response(period, world.unit, flag=_flag(period, world.unit, now - timedelta(hours=1)))
    insert_with_children(first, _answers(period, world.unit, {"waktu": 3}), link="response")
    second = _response(period, world.unit, flag=_flag(period, world.unit, now - timedelta(hours=1)))
    insert_with_children(second, _answers(period, world.unit, {"waktu": 3}), link="response")
    # Outside the window, and for another unit, there is nothing to repeat.
    later = _response(period, world.unit, flag=_flag(period, world.unit, now + timedelta(hours=1)))
    insert_with_children(later, _answers(period, world.unit, {"waktu": 3}), link="response")
    elsewhere = _response(
        period, world.other_unit, flag=_flag(period, world.other_unit, now - timedelta(hours=1))
    )
    insert_with_children(
        elsewhere, _answers(period, world.other_unit, {"waktu": 3}), link="response"
    )
    flags = [first.flag, second.flag, later.flag, elsewhere.flag]
    assert flags == ["pow", "duplicate", "pow", "pow"]
    stored = dict(Response.objects.values_list("pk", "flag"))
    assert [stored[r.pk] for r in (first, second, later, elsewhere)] == flags


@pytest.mark.parametrize("status, stored", [("open", True), ("closed", False)])
def test_a_condition_is_checked_by_the_statement_that_inserts(
    world, period, status, stored, django_assert_num_queries
):
    SurveyPeriod.objects.filter(pk=period.pk).update(status=status)
    response = _response(period, world.unit)
    condition = row_exists(SurveyPeriod, pk=period.pk, any_of=[{"status": "open"}])
    with django_assert_num_queries(1 if ON_POSTGRES else (2 if stored else 1)):
        inserted = insert_with_children(
            response, _answers(period, world.unit, {"waktu": 4}), link="response", only_if=condition
        )
    assert inserted is stored
    assert (Response.objects.count(), Answer.objects.count()) == ((1, 1) if stored else (0, 0))

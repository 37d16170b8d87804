"""The results benchmark's data generator (manage.py bench_results) and the Pemda-year IKM
selector it measures (selectors.pemda_year_result)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench.mutu_bench.management.commands.bench_results import BENCH_PEMDA_NAME, BENCH_REGION
from mutu.indices.ikm import UNSUR_CODES, compute_ikm
from mutu.organisations.models import Pemda, Region
from mutu.surveys.models import Answer, PeriodUnit, Response, SurveyPeriod
from mutu.surveys.selectors import pemda_year_result
from tests.factories import PemdaFactory, RegionFactory, UnitFactory
from tests.surveys.factories import SurveyPeriodFactory, add_responses, uniform_row

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="bench_results writes with PostgreSQL-only SQL (generate_series); run with "
    "DATABASE_URL=postgres://...",
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="checks the refusal on SQLite")


def _generate(**options):
    out = StringIO()
    call_command("bench_results", stdout=out, **options)
    pemda_id, year, responses, answers, state, _seconds = out.getvalue().split()
    return Pemda.objects.get(pk=pemda_id), int(year), int(responses), int(answers), state


def _hand_written(period_ids):
    """The counted answers of the periods, summed per unsur in SQL (no app code)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.unsur, SUM(a.value), COUNT(*) FROM surveys_answer a "
            "JOIN surveys_response r ON r.id = a.response_id "
            f"WHERE a.period_id IN ({', '.join(['%s'] * len(period_ids))}) "
            "AND NOT r.quarantined GROUP BY a.unsur",
            period_ids,
        )
        rows = cursor.fetchall()
    return compute_ikm({u: int(t) for u, t, _ in rows}, {u: n for u, _, n in rows})


@pytest.fixture
def bench_region(db):
    return RegionFactory(code=BENCH_REGION, name="Kota Samarinda", level=Region.Level.KOTA)


# --- the generator ------------------------------------------------------------------------------


@on_postgres
def test_generates_the_requested_responses_with_nine_answers_each(bench_region):
    pemda, _, responses, answers, state = _generate(responses=300, units=5, year=2024)

    periods = SurveyPeriod.objects.filter(pemda=pemda, starts_on__year=2024)
    assert (pemda.name, pemda.is_demo, state) == (BENCH_PEMDA_NAME, True, "generated")
    assert sorted(periods.values_list("name", flat=True)) == ["Semester I 2024", "Semester II 2024"]
    assert PeriodUnit.objects.filter(period__in=periods).count() == 10
    assert Response.objects.filter(period__in=periods).count() == responses == 300
    assert Answer.objects.filter(period__in=periods).count() == answers
    # Nine answers per response, except biaya where a unit lets it be skipped.
    skippers = {m.unit_id for m in PeriodUnit.objects.filter(period__in=periods) if m.skippable}
    for response in Response.objects.filter(period__in=periods).prefetch_related("answers"):
        codes = {a.unsur for a in response.answers.all()}
        assert set(UNSUR_CODES) - codes <= ({"biaya"} if response.unit_id in skippers else set())
        assert all(a.period_id == response.period_id for a in response.answers.all())
        assert all(a.unit_id == response.unit_id for a in response.answers.all())
        assert all(1 <= a.value <= 4 for a in response.answers.all())


@on_postgres
def test_a_second_run_with_the_same_count_keeps_the_data(bench_region):
    _generate(responses=120, units=3, year=2024)
    first_ids = set(Response.objects.values_list("id", flat=True))

    pemda, _, _, _, state = _generate(responses=120, units=3, year=2024)

    assert state == "reused"
    assert set(Response.objects.values_list("id", flat=True)) == first_ids
    state = _generate(responses=80, units=3, year=2024)[4]
    assert (state, Response.objects.filter(period__pemda=pemda).count()) == ("generated", 80)


@on_postgres
def test_pemda_year_result_equals_the_hand_written_aggregate(bench_region):
    pemda, year, _, _, _ = _generate(responses=400, units=4, year=2024)
    periods = list(SurveyPeriod.objects.filter(pemda=pemda).values_list("pk", flat=True))
    # Hold some responses so that leaving them out changes the figure.
    held = Response.objects.filter(period__pemda=pemda).order_by("id")[:60]
    Response.objects.filter(pk__in=[r.pk for r in held]).update(quarantined=True)

    result = pemda_year_result(pemda, year)

    expected = _hand_written(periods)
    assert result is not None
    assert (result.nrr, result.ikm, result.score) == (expected.nrr, expected.ikm, expected.score)


@on_postgres
def test_refuses_a_region_held_by_another_pemda(bench_region):
    PemdaFactory(region=bench_region, name="Pemerintah Kota Samarinda")

    with pytest.raises(CommandError, match="bukan Pemda benchmark"):
        _generate(responses=10, units=2, year=2024)

    assert Response.objects.count() == 0


@on_sqlite
@pytest.mark.django_db
def test_refuses_sqlite_and_changes_nothing():
    with pytest.raises(CommandError, match="hanya berjalan di PostgreSQL"):
        _generate(responses=10)

    assert (Pemda.objects.count(), Response.objects.count()) == (0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("options", [{"responses": 0}, {"units": 0}])
def test_refuses_impossible_sizes(options):
    with pytest.raises(CommandError, match="minimal 1"):
        _generate(**options)


# --- the selector, on any database --------------------------------------------------------------


def _period(pemda, starts_on, ends_on, weighting="exact"):
    return SurveyPeriodFactory(
        pemda=pemda, starts_on=starts_on, ends_on=ends_on, weighting=weighting
    )


@pytest.mark.django_db
def test_pemda_year_result_counts_the_periods_of_that_year_without_held_responses():
    unit = UnitFactory()
    first = _period(unit.pemda, date(2025, 1, 1), date(2025, 6, 30))
    second = _period(unit.pemda, date(2025, 7, 1), date(2025, 12, 31))
    other_year = _period(unit.pemda, date(2024, 7, 1), date(2024, 12, 31))
    add_responses(first, unit, [uniform_row(4), uniform_row(4)])
    add_responses(second, unit, [uniform_row(2), uniform_row(2), uniform_row(1, quarantined=True)])
    add_responses(other_year, unit, [uniform_row(1)] * 3)

    result = pemda_year_result(unit.pemda, 2025)

    # (4 + 4 + 2 + 2) / 4 = 3.00 on every unsur; the held 1 and the 2024 answers stay out.
    assert result is not None
    assert set(result.nrr.values()) == {3}
    assert (result.score_display, result.grade, result.weighting) == ("75,00", "C", "exact")


@pytest.mark.django_db
def test_pemda_year_result_uses_the_shared_legacy_weighting_else_exact():
    unit = UnitFactory()
    first = _period(unit.pemda, date(2025, 1, 1), date(2025, 6, 30), weighting="0.111")
    second = _period(unit.pemda, date(2025, 7, 1), date(2025, 12, 31), weighting="0.111")
    add_responses(first, unit, [uniform_row(4)])
    add_responses(second, unit, [uniform_row(4)])

    assert pemda_year_result(unit.pemda, 2025).score_display == "99,90"
    SurveyPeriod.objects.filter(pk=second.pk).update(weighting="0.11")
    assert pemda_year_result(unit.pemda, 2025).score_display == "100,00"


@pytest.mark.django_db
def test_pemda_year_result_is_none_without_periods_or_answers():
    unit = UnitFactory()
    assert pemda_year_result(unit.pemda, 2025) is None
    _period(unit.pemda, date(2025, 1, 1), date(2025, 6, 30))
    assert pemda_year_result(unit.pemda, 2025) is None

"""Synthetic SKM data for the results benchmark: one Pemda-year holding N responses (default 1M).

A clearly marked bench Pemda with ~40 units and two closed periods (Semester I/II of one year);
each response answers the nine unsur (some units let "biaya" be skipped, so that unsur's n is
smaller, as in real data) and a few are quarantined. Used only by `make bench` (bench/run.sh) and
its test. Prints "<pemda id> <year> <responses> <answers> <generated|reused> <seconds>".

It writes PostgreSQL-only SQL of its own (bench code, so outside mutu/core/sql.py): a million
responses made one row at a time through the ORM would take an hour, set-based INSERT ... SELECT
FROM generate_series takes minutes. It refuses to run on SQLite.
"""

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone

from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.models import Pemda, Region, Unit
from mutu.organisations.regions import regions_import
from mutu.organisations.services import unit_save_path
from mutu.surveys.demo import SUGGESTIONS
from mutu.surveys.models import Answer, PeriodUnit, Response, SurveyPeriod

BENCH_REGION = "64.72"  # Kota Samarinda's code; the Pemda on it is named as synthetic
BENCH_PEMDA_NAME = "Pemda Benchmark Hasil (data sintetis, bukan data nyata)"
UNIT_PREFIX = "Unit Benchmark"
QUARANTINED_SHARE = 0.005
SUGGESTION_SHARE = 0.10
BIAYA_SKIPPED_SHARE = 0.4  # in the units where biaya may be skipped
# Unsur citizens usually rate lower or higher than the unit's level (as in the demo data).
UNSUR_SHIFT = {"waktu": -0.25, "sarana": -0.2, "pengaduan": -0.15, "biaya": 0.3, "perilaku": 0.1}


class Command(BaseCommand):
    help = (
        "Data sintetis untuk benchmark hasil: satu Pemda, ~40 unit, dua periode, N respons "
        "(hanya PostgreSQL, hanya untuk make bench)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--responses", type=int, default=1_000_000, help="Jumlah respons.")
        parser.add_argument("--units", type=int, default=40, help="Jumlah unit.")
        parser.add_argument(
            "--year", type=int, default=None, help="Tahun periode (bawaan: tahun lalu)."
        )
        parser.add_argument(
            "--fresh", action="store_true", help="Buat ulang walau jumlahnya sudah sama."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        responses, unit_count = options["responses"], options["units"]
        if responses < 1 or not 1 <= unit_count <= 500:
            raise CommandError("Jumlah respons minimal 1 dan jumlah unit antara 1 dan 500.")
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_results hanya berjalan di PostgreSQL (DATABASE_URL=postgres://...): "
                "sejuta respons dibuat dengan SQL khusus PostgreSQL. Tidak ada yang diubah."
            )
        year = options["year"] or timezone.localdate().year - 1
        started = time.monotonic()
        with transaction.atomic():
            pemda = _bench_pemda()
            units = _bench_units(pemda, unit_count)
            periods = _bench_periods(pemda, year)
            reuse = not options["fresh"] and _holds_exactly(periods, units, responses)
            if not reuse:
                _clear(periods)
        if not reuse:
            _vacuum_analyze()  # the new rows reuse the space of the deleted ones
            with transaction.atomic():
                _members(periods, units)
                _insert_responses(periods, units, responses)
                _insert_answers(periods, units)
            _vacuum_analyze()
        answers = Answer.objects.filter(period__in=periods).count()
        state = "reused" if reuse else "generated"
        self.stdout.write(
            f"{pemda.pk} {year} {responses} {answers} {state} {time.monotonic() - started:.1f}"
        )


# --- the skeleton: Pemda, units, periods (ORM, a few rows) ------------------------------------


def _bench_pemda() -> Pemda:
    region = Region.objects.filter(code=BENCH_REGION).first()
    if region is None:
        regions_import(with_districts=False)
        region = Region.objects.get(code=BENCH_REGION)
    pemda = Pemda.objects.filter(region=region).first()
    if pemda is None:
        return Pemda.objects.create(region=region, name=BENCH_PEMDA_NAME, is_demo=True)
    if pemda.name != BENCH_PEMDA_NAME:
        # Never write synthetic responses into a Pemda that is not ours.
        raise CommandError(
            f"Wilayah {BENCH_REGION} sudah dipakai {pemda.name}, bukan Pemda benchmark. "
            "Pakai database khusus benchmark (mutu_bench). Tidak ada yang diubah."
        )
    return pemda


def _bench_units(pemda: Pemda, count: int) -> list[Unit]:
    units = []
    for number in range(1, count + 1):
        unit, _ = Unit.objects.get_or_create(
            pemda=pemda, name=f"{UNIT_PREFIX} {number:03d}", defaults={"kind": Unit.Kind.DINAS}
        )
        unit_save_path(unit)
        units.append(unit)
    return units


def _bench_periods(pemda: Pemda, year: int) -> list[SurveyPeriod]:
    halves = [("Semester I", date(year, 1, 1), date(year, 6, 30))]
    halves.append(("Semester II", date(year, 7, 1), date(year, 12, 31)))
    periods = []
    for name, starts_on, ends_on in halves:
        period, _ = SurveyPeriod.objects.update_or_create(
            pemda=pemda,
            name=f"{name} {year}",
            defaults={
                "starts_on": starts_on,
                "ends_on": ends_on,
                "status": SurveyPeriod.Status.CLOSED,
            },
        )
        periods.append(period)
    return periods


def _skips_biaya(index: int) -> bool:
    return index % 5 == 0


def _members(periods: list[SurveyPeriod], units: list[Unit]) -> None:
    PeriodUnit.objects.bulk_create(
        PeriodUnit(
            period=period,
            unit=unit,
            population=2000 * (index + 1),
            skippable=["biaya"] if _skips_biaya(index) else [],
        )
        for period in periods
        for index, unit in enumerate(units)
    )


def _holds_exactly(periods: list[SurveyPeriod], units: list[Unit], responses: int) -> bool:
    held = Response.objects.filter(period__in=periods).count()
    members = PeriodUnit.objects.filter(period__in=periods, unit__in=units).count()
    return held == responses and members == len(periods) * len(units)


def _clear(periods: list[SurveyPeriod]) -> None:
    period_ids = [p.pk for p in periods]
    with connection.cursor() as cursor:
        _without_fk_triggers(cursor)
        for model in (Answer, Response):  # table names from the models, ids as parameters
            sql = f"DELETE FROM {_table(model)} WHERE period_id = ANY(%s)"  # noqa: S608
            cursor.execute(sql, [period_ids])
        _with_fk_triggers(cursor)
    PeriodUnit.objects.filter(period__in=periods).delete()


# --- the bulk: set-based SQL ------------------------------------------------------------------


def _without_fk_triggers(cursor: Any) -> None:
    # The rows are consistent by construction; checking 9M foreign keys one by one (and locking
    # each referenced response) would take longer than writing them. Superuser only, this
    # transaction only, switched back right after.
    cursor.execute("SET LOCAL session_replication_role = replica")


def _with_fk_triggers(cursor: Any) -> None:
    cursor.execute("SET LOCAL session_replication_role = origin")


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column_defaults(model: type[models.Model], generated: set[str]) -> tuple[list[str], list[Any]]:
    """Columns the SQL does not generate, with each field's own default: a column added to the
    model later is filled the way the ORM would fill it, so this command keeps working."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        if field.primary_key or column is None or column in generated:
            continue
        columns.append(connection.ops.quote_name(column))
        values.append(field.get_db_prep_save(field.get_default(), connection))
    return columns, values


# One row per response: period alternates; units are skewed (a few big units, many small ones,
# as in a real Pemda); the day falls in the period; profile fields are drawn from the choices.
RESPONSE_SELECT = """
SELECT
  CASE WHEN s.half = 0 THEN %(p1)s ELSE %(p2)s END,
  (%(unit_ids)s::bigint[])[1 + floor(%(unit_count)s * power(random(), 1.5))::int],
  (ARRAY['qr','qr','qr','web','paper','kiosk'])[1 + floor(random() * 6)::int],
  ((s.day + make_interval(hours => 1 + floor(random() * 8)::int,
                          mins => floor(random() * 60)::int)) AT TIME ZONE 'UTC'),
  s.day,
  (ARRAY['L','L','P','P','P'])[1 + floor(random() * 5)::int],
  (ARRAY['<20','20-29','20-29','30-39','30-39','40-49','50-59','60+'])
    [1 + floor(random() * 8)::int],
  (ARRAY['SD','SMP','SMA','SMA','SMA','D1-D3','D4-S1','D4-S1','S2'])
    [1 + floor(random() * 9)::int],
  (ARRAY['PNS','Swasta','Swasta','Wirausaha','Wirausaha','Lainnya','Lainnya','TNI','POLRI'])
    [1 + floor(random() * 9)::int],
  (ARRAY[2,3,3,3,4,4])[1 + floor(random() * 6)::int],
  CASE WHEN random() < %(suggestion_share)s
       THEN (%(suggestions)s::text[])[1 + floor(random() * %(suggestion_count)s)::int]
       ELSE '' END,
  s.held,
  CASE WHEN s.held THEN 'data sintetis benchmark: ditahan' ELSE '' END
FROM (
  SELECT g %% 2 AS half,
         CASE WHEN g %% 2 = 0 THEN %(start1)s::date + floor(random() * %(days1)s)::int
              ELSE %(start2)s::date + floor(random() * %(days2)s)::int END AS day,
         random() < %(quarantined_share)s AS held
  FROM generate_series(1, %(responses)s) AS g
) AS s
"""
RESPONSE_COLUMNS = [
    "period_id",
    "unit_id",
    "channel",
    "submitted_at",
    "served_on",
    "gender",
    "age_band",
    "education",
    "occupation",
    "trust",
    "suggestion",
    "quarantined",
    "quarantine_reason",
]


def _insert_responses(periods: list[SurveyPeriod], units: list[Unit], responses: int) -> None:
    first, second = periods
    columns, defaults = _column_defaults(Response, set(RESPONSE_COLUMNS))
    # The other columns get their field defaults as parameters d0, d1, ... after the generated ones.
    extra = "".join(f", %(d{index})s" for index in range(len(defaults)))
    select = RESPONSE_SELECT.replace("\nFROM (", f"{extra}\nFROM (", 1)
    sql = f"INSERT INTO {_table(Response)} ({', '.join(RESPONSE_COLUMNS + columns)}) {select}"
    params = {
        "p1": first.pk,
        "p2": second.pk,
        "unit_ids": [u.pk for u in units],
        "unit_count": len(units),
        "start1": first.starts_on,
        "days1": (first.ends_on - first.starts_on).days + 1,
        "start2": second.starts_on,
        "days2": (second.ends_on - second.starts_on).days + 1,
        "suggestion_share": SUGGESTION_SHARE,
        "suggestions": list(SUGGESTIONS),
        "suggestion_count": len(SUGGESTIONS),
        "quarantined_share": QUARANTINED_SHARE,
        "responses": responses,
        **{f"d{index}": value for index, value in enumerate(defaults)},
    }
    with connection.cursor() as cursor:
        _without_fk_triggers(cursor)
        cursor.execute(sql, params)
        _with_fk_triggers(cursor)


# Nine answers per response (fewer where biaya is skipped): the unit's level, the unsur's usual
# shift and a bell-shaped noise (sum of three uniforms), rounded into 1-4.
ANSWER_SQL = """
INSERT INTO {answer} (response_id, period_id, unit_id, unsur, value)
SELECT r.id, r.period_id, r.unit_id, u.code,
       LEAST(4, GREATEST(1, round(lv.level + u.shift
                                  + (random() + random() + random() - 1.5) * 0.9)))::smallint
FROM {response} AS r
JOIN unnest(%(unit_ids)s::bigint[], %(levels)s::float8[], %(skips)s::boolean[])
     AS lv(unit_id, level, skips_biaya) ON lv.unit_id = r.unit_id
CROSS JOIN unnest(%(codes)s::text[], %(shifts)s::float8[]) AS u(code, shift)
WHERE r.period_id = ANY(%(period_ids)s)
  AND NOT (u.code = 'biaya' AND lv.skips_biaya AND random() < %(skipped_share)s)
"""


def _unit_level(index: int, count: int) -> float:
    """Units spread from weak (2.6) to very good (3.6), so every grade appears."""
    return 2.6 + (index * 7 % count) / max(count - 1, 1)


def _insert_answers(periods: list[SurveyPeriod], units: list[Unit]) -> None:
    params: dict[str, Any] = {
        "unit_ids": [u.pk for u in units],
        "levels": [_unit_level(i, len(units)) for i in range(len(units))],
        "skips": [_skips_biaya(i) for i in range(len(units))],
        "codes": list(UNSUR_CODES),
        "shifts": [UNSUR_SHIFT.get(code, 0.0) for code in UNSUR_CODES],
        "period_ids": [p.pk for p in periods],
        "skipped_share": BIAYA_SKIPPED_SHARE,
    }
    sql = ANSWER_SQL.format(answer=_table(Answer), response=_table(Response))
    with connection.cursor() as cursor:
        _without_fk_triggers(cursor)
        cursor.execute(sql, params)
        _with_fk_triggers(cursor)


def _vacuum_analyze() -> None:
    """Fresh planner statistics; outside a transaction also VACUUM, which frees deleted rows'
    space, sets the visibility map (index-only scans) and spares later runs an autovacuum pass
    over 9M new rows. Inside one (a test) only ANALYZE is possible."""
    tables = f"{_table(Response)}, {_table(Answer)}"
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute(f"ANALYZE {tables}")
        else:
            cursor.execute(f"VACUUM (ANALYZE) {tables}")

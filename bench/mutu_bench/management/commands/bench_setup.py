"""Prepare a benchmark database: one Pemda, one unit in an open period, one QR link.

Prints "<token> <response count>" for bench/run.sh. Used only by `make bench`. With --reset the
load period's responses of earlier runs are deleted first: kept, they grew the answers table by
half a million rows a run and changed the plans the results benchmark measures.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from mutu.organisations.models import Pemda, Region, Unit
from mutu.organisations.regions import regions_import
from mutu.surveys.models import Answer, PeriodUnit, Response, SurveyLink, SurveyPeriod


class Command(BaseCommand):
    help = "Data untuk benchmark (bukan data demo, bukan data nyata)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--count", action="store_true", help="Hanya cetak jumlah respons.")
        parser.add_argument(
            "--reset", action="store_true", help="Hapus respons beban dari run sebelumnya."
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["count"]:
            self.stdout.write(str(Response.objects.count()))
            return
        if not Region.objects.filter(code="64.09").exists():
            regions_import(with_districts=False)
        pemda, _ = Pemda.objects.get_or_create(
            region=Region.objects.get(code="64.09"),
            defaults={"name": "Pemda Benchmark", "is_demo": True},
        )
        unit, _ = Unit.objects.get_or_create(
            pemda=pemda, name="Unit Benchmark", defaults={"kind": Unit.Kind.DINAS}
        )
        today = timezone.localdate()
        period, _ = SurveyPeriod.objects.get_or_create(
            pemda=pemda,
            name="Benchmark",
            defaults={
                "starts_on": today - timedelta(days=400),
                "ends_on": today + timedelta(days=400),
                "status": "open",
            },
        )
        PeriodUnit.objects.get_or_create(period=period, unit=unit)
        if options["reset"]:
            _delete_responses(period)
        link, _ = SurveyLink.objects.get_or_create(unit=unit, service=None, label="bench")
        self.stdout.write(f"{link.token} {Response.objects.count()}")


def _delete_responses(period: SurveyPeriod) -> None:
    """Plain DELETEs: the ORM would load every response to cascade to its answers."""
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Answer, Response):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE period_id = %s", [period.pk])  # noqa: S608

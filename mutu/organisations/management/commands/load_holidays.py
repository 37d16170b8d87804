from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mutu.core.tabular import TabularFileError
from mutu.organisations.imports import holidays_import, holidays_load_national


class Command(BaseCommand):
    help = (
        "Muat libur nasional dan cuti bersama dari paket `holidays`, atau impor CSV "
        "(date,kind,name) yang mengoreksinya."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            help="Tahun (boleh berulang). Bawaan: tahun ini dan tahun depan.",
        )
        parser.add_argument("--csv", type=Path, help="Berkas CSV/XLSX libur (date,kind,name).")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["csv"]:
            with options["csv"].open("rb") as upload:
                try:
                    report = holidays_import(upload=upload, actor=None)
                except TabularFileError as error:
                    raise CommandError(str(error)) from error
            for line, message in report.errors:
                self.stderr.write(f"baris {line}: {message}")
            if not report.ok:
                raise CommandError("Tidak ada yang diimpor.")
            self.stdout.write(self.style.SUCCESS(f"{report.created} hari libur diimpor."))
            return
        this_year = timezone.localdate().year
        for year in options["year"] or [this_year, this_year + 1]:
            added = holidays_load_national(year=year)
            self.stdout.write(self.style.SUCCESS(f"{year}: {added} hari libur baru."))

from django.core.management.base import BaseCommand

from mutu.organisations.regions import regions_import


class Command(BaseCommand):
    help = "Muat/ perbarui kode wilayah Kemendagri (provinsi, kabupaten/kota, kecamatan)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--no-districts", action="store_true", help="Lewati kecamatan (lebih cepat)."
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        counts = regions_import(with_districts=not options["no_districts"])
        self.stdout.write(
            self.style.SUCCESS(
                "Wilayah: {provinsi} provinsi, {kabupaten_kota} kabupaten/kota, "
                "{kecamatan} kecamatan.".format(**counts)
            )
        )

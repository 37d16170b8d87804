from django.core.management.base import BaseCommand
from django.utils import timezone

from mutu.organisations import demo
from mutu.surveys import demo as surveys_demo


class Command(BaseCommand):
    help = "Buat data DEMO (Kab. Penajam Paser Utara). Aman dijalankan berulang kali."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        today = timezone.localdate()
        pemda = demo.seed(year=today.year)
        surveys_demo.seed(pemda, year=today.year, today=today)
        self.stdout.write(
            self.style.SUCCESS(f"Data DEMO siap: {pemda.name} ({pemda.units.count()} unit).")
        )
        self.stdout.write(f"Akun demo (kata sandi untuk semua: {demo.DEMO_PASSWORD}):")
        for email, role in demo.demo_logins():
            self.stdout.write(f"  {email:<42} {role}")

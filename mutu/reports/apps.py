from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "mutu.reports"
    label = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        from mutu.core.files import register
        from mutu.reports.selectors import job_file

        register("laporan", job_file)

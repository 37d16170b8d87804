"""Report jobs: a document generated in the background, with its progress and result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutu.core.access import AccessManager, ScopePath
from mutu.core.files import RandomName, private_storage
from mutu.core.jobs import no_worker_yet
from mutu.core.models import TimeStampedModel
from mutu.organisations.models import Pemda


class ReportJob(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Sedang dibuat")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    class Kind:
        """What the worker makes (free text in the column: new kinds need no migration)."""

        SKM_UNIT_PDF = "skm_unit_pdf"  # Laporan SKM of a unit
        SKM_UNIT_XLSX = "skm_unit_xlsx"  # the unit's tabulation, with its formulas
        PEMDA_RECAP_PDF = "pemda_recap_pdf"  # every unit of a period, for the head of region
        UNIT_KINDS = (SKM_UNIT_PDF, SKM_UNIT_XLSX)

    kind = models.CharField(max_length=40)  # one of Kind
    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="report_jobs")
    params = models.JSONField(default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=120, blank=True)
    # Private storage under a random name (decision 0006); the name people see is download_name.
    file = models.FileField(storage=private_storage, upload_to=RandomName("reports"), blank=True)
    download_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    scope_path = ScopePath(pemda="pemda")
    objects = AccessManager["ReportJob"]()

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_spreadsheet(self) -> bool:
        return self.kind == self.Kind.SKM_UNIT_XLSX

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def waiting_for_worker(self) -> bool:
        """Still queued a minute after the request: no task worker is running."""
        return no_worker_yet(queued=self.status == self.Status.QUEUED, created_at=self.created_at)

"""Background generation of reports (Django Tasks; `manage.py db_worker` in production)."""

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.tasks import task
from django.utils.text import slugify

from mutu.reports.models import ReportJob

if TYPE_CHECKING:
    from mutu.surveys.models import PeriodUnit

log = logging.getLogger(__name__)


@task()
def generate_report(job_id: int) -> str:
    job = ReportJob.objects.get(pk=job_id)
    _update(job, status=ReportJob.Status.RUNNING, progress=5, step="Mulai")
    try:
        content, name = _render(job)
    except Exception as error:  # a failed report must say so, never hang at "running"
        log.exception("report %s failed", job_id)
        _update(job, status=ReportJob.Status.FAILED, step="Gagal", error=str(error)[:500])
        return ReportJob.Status.FAILED
    job.file.save(name, ContentFile(content), save=False)  # stored under a random name
    _update(
        job,
        status=ReportJob.Status.DONE,
        progress=100,
        step="Selesai",
        file=job.file,
        download_name=name,
    )
    return ReportJob.Status.DONE


def _update(job: ReportJob, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def _render(job: ReportJob) -> tuple[bytes, str]:
    renderers = {
        ReportJob.Kind.SKM_UNIT_PDF: _skm_unit_pdf,
        ReportJob.Kind.SKM_UNIT_XLSX: _skm_unit_xlsx,
        ReportJob.Kind.PEMDA_RECAP_PDF: _pemda_recap,
    }
    if job.kind not in renderers:
        raise ValueError(f"unknown report kind {job.kind}")
    return renderers[job.kind](job)


def _progress(job: ReportJob) -> Callable[[int, str], None]:
    return lambda pct, step: _update(job, progress=pct, step=step)


def _member(job: ReportJob) -> "PeriodUnit":
    from mutu.surveys.models import PeriodUnit

    return PeriodUnit.objects.select_related("period__pemda", "unit").get(
        period_id=job.params["period"], unit_id=job.params["unit"]
    )


def _skm_unit_pdf(job: ReportJob) -> tuple[bytes, str]:
    from mutu.reports.skm_pdf import render_skm_unit_pdf

    member = _member(job)
    pdf = render_skm_unit_pdf(member, _progress(job))
    name = slugify(f"laporan-skm-{member.unit.short_name or member.unit.name}-{member.period.name}")
    return pdf, f"{name}.pdf"


def _skm_unit_xlsx(job: ReportJob) -> tuple[bytes, str]:
    from mutu.reports.skm_xlsx import render_skm_unit_xlsx

    member = _member(job)
    _update(job, progress=20, step="Menyusun tabulasi")
    content = render_skm_unit_xlsx(member)
    name = slugify(
        f"tabulasi-skm-{member.unit.short_name or member.unit.name}-{member.period.name}"
    )
    return content, f"{name}.xlsx"


def _pemda_recap(job: ReportJob) -> tuple[bytes, str]:
    from mutu.reports.recap_pdf import render_pemda_recap_pdf
    from mutu.surveys.models import SurveyPeriod

    period = SurveyPeriod.objects.select_related("pemda__region").get(
        pk=job.params["period"], pemda=job.pemda
    )
    pdf = render_pemda_recap_pdf(period, _progress(job))
    return pdf, f"{slugify(f'rekap-skm-{period.pemda.name}-{period.name}')}.pdf"

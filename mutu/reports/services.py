from django.db import transaction

from mutu.core.access import CoreAction, require
from mutu.core.events import record_event
from mutu.core.models import User
from mutu.reports.events import ReportEvent
from mutu.reports.models import ReportJob
from mutu.surveys.models import PeriodUnit, SurveyPeriod


def skm_report_request(
    *, member: PeriodUnit, actor: User, kind: str = ReportJob.Kind.SKM_UNIT_PDF
) -> ReportJob:
    """Queue a document of a unit (the Laporan SKM PDF or the XLSX tabulation); the worker
    makes it and the job page shows the progress, then the download."""
    require(actor, CoreAction.REQUEST_REPORT, member.unit)
    if kind not in ReportJob.Kind.UNIT_KINDS:
        raise ValueError(f"unknown report kind {kind}")
    from mutu.reports.tasks import generate_report

    with transaction.atomic():
        job = ReportJob.objects.create(
            kind=kind,
            pemda=member.period.pemda,
            requested_by=actor,
            params={"period": member.period_id, "unit": member.unit_id},
        )
        record_event(
            actor=actor,
            verb=ReportEvent.REPORT_REQUESTED,
            obj=job,
            pemda=job.pemda,
            data={**job.params, "kind": kind},
        )
        transaction.on_commit(lambda: generate_report.enqueue(job.pk))
    return job


def recap_report_request(*, period: SurveyPeriod, actor: User) -> ReportJob:
    """Queue the Pemda's recap of the period (every unit's IKM, mutu, sample and RTL)."""
    require(actor, CoreAction.REQUEST_REPORT, period.pemda)
    from mutu.reports.tasks import generate_report

    with transaction.atomic():
        job = ReportJob.objects.create(
            kind=ReportJob.Kind.PEMDA_RECAP_PDF,
            pemda=period.pemda,
            requested_by=actor,
            params={"period": period.pk},
        )
        record_event(
            actor=actor,
            verb=ReportEvent.REPORT_REQUESTED,
            obj=job,
            pemda=job.pemda,
            data=job.params,
        )
        transaction.on_commit(lambda: generate_report.enqueue(job.pk))
    return job

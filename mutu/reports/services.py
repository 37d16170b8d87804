from django.db import transaction

from mutu.core.events import record_event
from mutu.core.models import User
from mutu.core.permissions import Action, require
from mutu.reports.models import ReportJob
from mutu.surveys.models import PeriodUnit, SurveyPeriod


def skm_report_request(*, member: PeriodUnit, actor: User) -> ReportJob:
    """Queue the Laporan SKM of a unit; the worker makes it and the page shows the progress."""
    require(actor, Action.REQUEST_REPORT, member.unit)
    from mutu.reports.tasks import generate_report

    with transaction.atomic():
        job = ReportJob.objects.create(
            kind="skm_unit_pdf",
            pemda=member.period.pemda,
            requested_by=actor,
            params={"period": member.period_id, "unit": member.unit_id},
        )
        record_event(
            actor=actor, verb="report.requested", obj=job, pemda=job.pemda, data=job.params
        )
        transaction.on_commit(lambda: generate_report.enqueue(job.pk))
    return job


def recap_report_request(*, period: SurveyPeriod, actor: User) -> ReportJob:
    """Queue the Pemda's recap of the period (every unit's IKM, mutu, sample and RTL)."""
    require(actor, Action.REQUEST_REPORT, period.pemda)
    from mutu.reports.tasks import generate_report

    with transaction.atomic():
        job = ReportJob.objects.create(
            kind="pemda_recap_pdf",
            pemda=period.pemda,
            requested_by=actor,
            params={"period": period.pk},
        )
        record_event(
            actor=actor, verb="report.requested", obj=job, pemda=job.pemda, data=job.params
        )
        transaction.on_commit(lambda: generate_report.enqueue(job.pk))
    return job

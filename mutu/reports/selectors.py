from typing import Any

from django.http import Http404

from mutu.core.permissions import pemdas_visible_to
from mutu.reports.models import ReportJob


def job_get(user: Any, pk: int) -> ReportJob:
    """A report job the user asked for, or any of a Pemda the user administers or inspects."""
    job = ReportJob.objects.filter(pk=pk, pemda__in=pemdas_visible_to(user)).first()
    if job is None or not (
        job.requested_by_id == user.pk or user.is_superuser or _oversees(user, job)
    ):
        raise Http404
    return job


def _oversees(user: Any, job: ReportJob) -> bool:
    from mutu.core.permissions import Action, can

    return can(user, Action.VIEW_AUDIT, job.pemda)

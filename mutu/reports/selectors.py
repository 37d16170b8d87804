from typing import Any

from django.http import Http404

from mutu.core.access import CoreAction, can
from mutu.core.files import PrivateFile
from mutu.reports.models import ReportJob


def job_get(user: Any, pk: int) -> ReportJob:
    """A report job the user asked for, or any of a Pemda the user administers or inspects.
    Anything else does not exist for the user (404, never 403)."""
    job = ReportJob.objects.visible_to(user).filter(pk=pk).first()
    if job is None or not (
        job.requested_by_id == user.pk or user.is_superuser or _oversees(user, job)
    ):
        raise Http404
    return job


def job_file(user: Any, pk: int) -> PrivateFile:
    """The finished report's file, for core's private-file view (registered as "laporan")."""
    job = job_get(user, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    return PrivateFile(file=job.file, download_name=job.download_name or "laporan.pdf")


def _oversees(user: Any, job: ReportJob) -> bool:
    return can(user, CoreAction.VIEW_AUDIT, job.pemda)

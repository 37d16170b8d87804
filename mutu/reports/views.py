from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mutu.core.http import AuthedHttpRequest
from mutu.reports import selectors, services
from mutu.reports.models import ReportJob
from mutu.surveys import selectors as survey_selectors


@login_required
@require_POST
def skm_report(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period = survey_selectors.period_get(request.user, pk)
    member = survey_selectors.member_get(request.user, period, unit_pk)
    job = services.skm_report_request(member=member, actor=request.user)
    return redirect("reports:job", pk=job.pk)


@login_required
@require_POST
def skm_tabulation(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The XLSX tabulation, made by the worker like the PDF (a big unit takes a while)."""
    period = survey_selectors.period_get(request.user, pk)
    member = survey_selectors.member_get(request.user, period, unit_pk)
    job = services.skm_report_request(
        member=member, actor=request.user, kind=ReportJob.Kind.SKM_UNIT_XLSX
    )
    return redirect("reports:job", pk=job.pk)


@login_required
@require_POST
def pemda_recap(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    period = survey_selectors.period_get(request.user, pk)
    job = services.recap_report_request(period=period, actor=request.user)
    return redirect("reports:job", pk=job.pk)


@login_required
def job_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Progress page; it reloads itself every few seconds until the report is ready, and says
    what to do when no worker has taken the job within a minute."""
    job = selectors.job_get(request.user, pk)
    return render(request, "reports/job.html", {"job": job})

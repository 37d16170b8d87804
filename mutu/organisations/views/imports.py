"""Uploading a spreadsheet of units or services: the upload page, the job's progress page and
the templates (the ImportJob machinery is shared with the other apps' imports)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from mutu.core.access import can
from mutu.core.forms import ImportForm
from mutu.core.http import AuthedHttpRequest
from mutu.core.permissions import deny_unless
from mutu.core.tabular import XLSX_TYPE
from mutu.organisations import import_jobs, imports, selectors
from mutu.organisations.actions import OrgAction

IMPORTERS = {
    "unit": (imports.units_import, imports.unit_template, gettext_lazy("unit")),
    "layanan": (imports.services_import, imports.service_template, gettext_lazy("layanan")),
}


@login_required
def import_view(request: AuthedHttpRequest, pemda_pk: int, kind: str) -> HttpResponse:
    pemda = selectors.pemda_get(request.user, pemda_pk)
    deny_unless(can(request.user, OrgAction.MANAGE_UNITS, pemda) and kind in IMPORTERS)
    _run, _template, label = IMPORTERS[kind]
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_jobs.queue_from_form(form, actor=request.user, kind=kind, pemda=pemda)
        if job is not None:
            return redirect("organisations:import_job", pk=job.pk)
    return render(
        request,
        "organisations/import.html",
        {"form": form, "pemda": pemda, "kind": kind, "label": label},
    )


@login_required
def import_job(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """An import's progress, then its report; reloads itself (no JavaScript) until finished."""
    job = import_jobs.import_job_get(request.user, pk)
    importer = import_jobs.importer_of(job.kind)
    return render(
        request,
        "organisations/import_job.html",
        {"job": job, "label": importer.label, "form_url": importer.form_url(job)},
    )


@login_required
def import_template(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    deny_unless(kind in {*IMPORTERS, "libur"})
    make = imports.holiday_template if kind == "libur" else IMPORTERS[kind][1]
    response = HttpResponse(make(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="templat-impor-{kind}.xlsx"'
    return response

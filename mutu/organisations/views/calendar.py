"""A Pemda's working calendar: its holidays, added, changed, deleted or imported."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutu.core.forms import ImportForm
from mutu.core.http import AuthedHttpRequest, form_page
from mutu.core.params import id_param, int_param
from mutu.core.permissions import deny_unless
from mutu.core.tabular import TabularFileError
from mutu.organisations import imports, selectors, services
from mutu.organisations.forms import HolidayForm
from mutu.organisations.permissions import pemdas_administered_by


def _calendar_pemda(request: AuthedHttpRequest) -> Any:
    managed = pemdas_administered_by(request.user)
    query = request.GET if request.GET.get("pemda") else request.POST
    if not query.get("pemda"):
        pemda = managed.first()
    else:  # junk ("abc", -5) is an id nobody manages, like any other: refused below
        pemda_id = id_param(query, "pemda")
        pemda = managed.filter(pk=pemda_id).first() if pemda_id else None
    if pemda is None:
        raise PermissionDenied
    return pemda


@login_required
def holiday_list(request: AuthedHttpRequest) -> HttpResponse:
    pemda = _calendar_pemda(request)
    this_year = timezone.localdate().year
    year = int_param(request.GET, "tahun", this_year, min_value=1900, max_value=2999)
    holidays = selectors.holidays_of_year(request.user, pemda, year)
    return render(
        request,
        "organisations/holiday_list.html",
        {
            "pemda": pemda,
            "year": year,
            "holidays": holidays,
            "form": HolidayForm(),
            "import_form": ImportForm(),
            "can_edit_national": request.user.is_superuser,
        },
    )


@login_required
def holiday_edit(request: AuthedHttpRequest, pk: int | None = None) -> HttpResponse:
    pemda = _calendar_pemda(request)
    holiday = selectors.holiday_get(request.user, pemda, pk) if pk else None
    # National days are the platform admin's; a Pemda admin sees them but cannot open the form.
    deny_unless(holiday is None or holiday.pemda is not None or request.user.is_superuser)
    return form_page(
        request,
        HolidayForm(request.POST or None, instance=holiday),
        save=lambda data: services.holiday_save(
            actor=request.user,
            pemda=holiday.pemda if holiday else pemda,
            day=data["date"],
            name=data["name"],
            kind=data["kind"],
            holiday=selectors.holiday_get(request.user, pemda, pk) if pk else None,
        ),
        success=_("Hari libur disimpan."),
        then=lambda saved: redirect(f"{_holiday_url(pemda)}&tahun={saved.date.year}"),
        title=_("Hari libur — %(p)s") % {"p": pemda.name},
        hidden={"pemda": pemda.pk},
    )


def _holiday_url(pemda: Any) -> str:
    return f"{reverse('organisations:holiday_list')}?pemda={pemda.pk}"


@login_required
@require_POST
def holiday_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    pemda = _calendar_pemda(request)
    holiday = selectors.holiday_get(request.user, pemda, pk)
    services.holiday_delete(actor=request.user, holiday=holiday)
    messages.success(request, _("Hari libur dihapus."))
    return redirect(f"{_holiday_url(pemda)}&tahun={holiday.date.year}")


@login_required
@require_POST
def holiday_import(request: AuthedHttpRequest) -> HttpResponse:
    pemda = _calendar_pemda(request)
    form = ImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        try:
            report = imports.holidays_import(
                upload=form.cleaned_data["file"],
                actor=request.user,
                pemda=pemda,
                keep_valid=form.cleaned_data["keep_valid"],
            )
        except TabularFileError as error:
            form.add_error("file", str(error))
    return render(
        request,
        "organisations/import.html",
        {
            "form": form,
            "report": report,
            "pemda": pemda,
            "kind": "libur",
            "label": _("hari libur daerah"),
        },
    )

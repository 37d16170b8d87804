"""Survey periods: listed, created, opened and closed (with a confirmation page)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutu.core.access import CoreAction, can
from mutu.core.forms import ImportForm
from mutu.core.http import AuthedHttpRequest, run_with_message, save_through_service
from mutu.core.permissions import deny_unless
from mutu.organisations import selectors as org_selectors
from mutu.organisations.import_jobs import queue_from_form
from mutu.organisations.models import Pemda
from mutu.surveys import selectors, services
from mutu.surveys.actions import SurveyAction
from mutu.surveys.forms import PeriodForm
from mutu.surveys.models import SurveyPeriod
from mutu.surveys.views.confirmation import confirmation_page, confirmed


@login_required
def period_list(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/period_list.html",
        {
            "periods": selectors.periods_visible_to(request.user),
            "managed_pemdas": list(
                Pemda.objects.allowed(request.user, SurveyAction.MANAGE_PERIODS)
            ),
        },
    )


@login_required
def period_create(request: AuthedHttpRequest, pemda_pk: int) -> HttpResponse:
    pemda = org_selectors.pemda_get(request.user, pemda_pk)
    deny_unless(can(request.user, SurveyAction.MANAGE_PERIODS, pemda))
    form = PeriodForm(request.POST or None, pemda=pemda)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = list(data.pop("units"))
        period = save_through_service(
            form,
            lambda: services.period_create(pemda=pemda, actor=request.user, units=units, **data),
        )
        if period:
            messages.success(request, _("Periode survei dibuat sebagai draf."))
            return redirect("surveys:period_detail", pk=period.pk)
        form.ask_to_confirm_overlap()
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("Periode survei baru — %(p)s") % {"p": pemda.name}},
    )


@login_required
def period_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get(request.user, pk)
    members = list(selectors.period_members(request.user, period))
    summaries = selectors.period_summaries(period, members)
    rows = [(m, summaries[m.unit_id]) for m in members]
    pemda_ikm = selectors.pemda_result(period)
    return render(
        request,
        "surveys/period_detail.html",
        {
            "period": period,
            "rows": rows,
            "pemda_ikm": pemda_ikm,
            "can_manage": can(request.user, SurveyAction.MANAGE_PERIODS, period.pemda),
            "can_request_recap": can(
                request.user, CoreAction.REQUEST_REPORT, period.pemda
            ),  # declared by mutu.reports,
        },
    )


@login_required
@require_POST
def period_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get(request.user, pk)
    deny_unless(can(request.user, SurveyAction.MANAGE_PERIODS, period.pemda))
    status = request.POST.get("status", "")
    if not confirmed(request) and (confirmation := _status_confirmation(request, period, status)):
        return confirmation
    run_with_message(
        request,
        lambda: services.period_set_status(period=period, status=status, actor=request.user),
    )
    return redirect("surveys:period_detail", pk=period.pk)


def _status_confirmation(
    request: AuthedHttpRequest, period: Any, status: str
) -> HttpResponse | None:
    """Closing publishes the results; reopening withdraws them: both ask first."""
    closed = SurveyPeriod.Status.CLOSED
    if status == closed and period.status != closed:
        title = _("Tutup dan terbitkan %(name)s?") % {"name": period.name}
        consequences = _closing_consequences(request, period)
        button = _("Ya, tutup dan terbitkan")
    elif period.status == closed and status in SurveyPeriod.Status.values and status != closed:
        title = _("Buka kembali %(name)s yang sudah diterbitkan?") % {"name": period.name}
        consequences = [
            _(
                "Hasil periode ini ditarik dari halaman hasil publik dan lencana IKM sampai "
                "periode ditutup kembali."
            ),
            _(
                "Respons baru dapat masuk dan nilai IKM dapat berubah: laporan yang sudah "
                "dicetak atau ditandatangani tidak lagi sama dengan angka di aplikasi."
            ),
        ]
        button = _("Ya, buka kembali")
    else:
        return None
    return confirmation_page(
        request,
        title=title,
        consequences=consequences,
        button=button,
        cancel_url=reverse("surveys:period_detail", args=[period.pk]),
        hidden={"status": status},
    )


def _closing_consequences(request: AuthedHttpRequest, period: Any) -> list[str]:
    consequences = [
        _("Warga tidak dapat lagi mengisi survei periode ini lewat kode QR, tautan, maupun kios."),
        _("Nilai IKM setiap unit langsung diterbitkan di halaman hasil publik dan lencana IKM."),
    ]
    members = list(selectors.period_members(request.user, period))
    summaries = selectors.period_summaries(period, members)
    short = [m.unit.name for m in members if summaries[m.unit_id].short_of_target]
    if short:
        consequences.append(
            _("%(n)s unit belum mencapai target sampel: %(names)s.")
            % {"n": len(short), "names": ", ".join(short)}
        )
    return consequences


@login_required
def population_import(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get(request.user, pk)
    deny_unless(can(request.user, SurveyAction.MANAGE_PERIODS, period.pemda))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = queue_from_form(
            form,
            actor=request.user,
            kind="populasi",
            pemda=period.pemda,
            params={"period": period.pk},
        )
        if job is not None:
            return redirect("organisations:import_job", pk=job.pk)
    return render(request, "surveys/population_import.html", {"period": period, "form": form})

"""Paper forms: keyed in (single or double entry), imported, and their templates."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mutu.core.forms import ImportForm
from mutu.core.http import AuthedHttpRequest
from mutu.core.tabular import XLSX_TYPE
from mutu.organisations.import_jobs import queue_from_form
from mutu.surveys import services
from mutu.surveys.actions import SurveyAction
from mutu.surveys.forms import PaperEntryForm
from mutu.surveys.imports import paper_template_xlsx
from mutu.surveys.instrument import extra_questions_of
from mutu.surveys.models import Response
from mutu.surveys.views.seat import unit_seat

PENDING_KEY = "paper-first-entry"


@login_required
def paper_entry(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Keyboard-only entry of paper forms; with double entry a form is stored only once two
    keyings agree, and the fields that differ are shown."""
    period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.ENTER_PAPER)
    double = request.POST.get("double", request.GET.get("ganda")) in {"1", "on"}
    form = PaperEntryForm(
        request.POST or None,
        period=period,
        skippable=frozenset(member.skippable),
        extra_questions=extra_questions_of(member.extra_questions),
    )
    mismatch: list[str] = []
    if request.method == "POST" and form.is_valid():
        pending = request.session.pop(PENDING_KEY, None)
        if double and pending is None:
            request.session[PENDING_KEY] = form.digest()
            messages.info(
                request,
                _(
                    "Entri pertama tersimpan sementara. Ketik ulang formulir "
                    "yang sama untuk pemeriksaan."
                ),
            )
            return redirect(f"{request.path}?ganda=1")
        if double and pending != form.digest():
            mismatch = _differences(pending, form)
        elif _store_paper(request, period, member.unit, form):
            return redirect(f"{request.path}{'?ganda=1' if double else ''}")
    return render(
        request,
        "surveys/paper_entry.html",
        {
            "period": period,
            "member": member,
            "form": form,
            "double": double,
            "mismatch": mismatch,
            "awaiting_second": PENDING_KEY in request.session,
            "entered": Response.objects.filter(
                period=period, unit=member.unit, channel=Response.Channel.PAPER
            ).count(),
        },
    )


def _differences(first: list[list[str]], form: PaperEntryForm) -> list[str]:
    before = {name: value for name, value in first}
    return [
        str(form.fields[name].label)
        for name, value in form.digest()
        if before.get(name) != value and name in form.fields
    ]


def _store_paper(request: AuthedHttpRequest, period: Any, unit: Any, form: PaperEntryForm) -> bool:
    """Store the keyed form; a refusal (its number entered before, the period closed) becomes
    an error on the form, which is shown again as typed."""
    target = services.SurveyTarget(
        period=period,
        unit=unit,
        channel=Response.Channel.PAPER,
        skippable=form.skippable,
        extra_questions=form.extra_questions,
    )
    try:
        services.response_submit(
            target=target,
            answers=form.answers(),
            profile=form.profile(),
            meta=services.SubmissionMeta(entered_by=request.user),
            extra=form.extra_answers(),
        )
    except ValidationError as error:
        for name, problems in getattr(error, "error_dict", {None: error.messages}).items():
            form.add_error(name if name in form.fields else None, problems)
        return False
    messages.success(request, _("Formulir tersimpan. Lanjutkan formulir berikutnya."))
    return True


@login_required
def paper_import(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.ENTER_PAPER)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = queue_from_form(
            form,
            actor=request.user,
            kind="kertas",
            pemda=period.pemda,
            unit=member.unit,
            params={"period": period.pk},
        )
        if job is not None:
            return redirect("organisations:import_job", pk=job.pk)
    return render(
        request, "surveys/paper_import.html", {"period": period, "member": member, "form": form}
    )


@login_required
def paper_template(request: AuthedHttpRequest) -> HttpResponse:
    """The general template (no unit's own questions): the upload page links each unit's."""
    return _xlsx_download(paper_template_xlsx(None, ask_trust=True), "templat-kuesioner-kertas")


@login_required
def paper_template_unit(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The template of one unit in one period: its own questions and, if asked, the trust
    question, as columns."""
    period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.ENTER_PAPER)
    name = slugify(f"templat-kuesioner-kertas-{member.unit.short_name or member.unit.name}")
    return _xlsx_download(paper_template_xlsx(member, ask_trust=period.ask_trust), name)


def _xlsx_download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def paper_blank_pdf(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit's blank questionnaire for this period, to print and hand out (A4 PDF)."""
    from mutu.surveys.blank_form import blank_questionnaire_pdf

    period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.ENTER_PAPER)
    response = HttpResponse(blank_questionnaire_pdf(member), content_type="application/pdf")
    name = slugify(f"kuesioner-skm-{member.unit.short_name or member.unit.name}-{period.name}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response

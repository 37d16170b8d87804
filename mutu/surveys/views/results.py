"""A unit's result page in a period, and what its staff set there."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mutu.core.access import CoreAction, can
from mutu.core.http import AuthedHttpRequest, form_post, run_with_message, save_through_service
from mutu.indices.trust import TrustSummary
from mutu.surveys import selectors, services
from mutu.surveys.actions import SurveyAction
from mutu.surveys.charts import nrr_bars
from mutu.surveys.forms import PopulationForm, ServicePopulationForm
from mutu.surveys.instrument import TRUST_ANSWERS, TRUST_QUESTION
from mutu.surveys.models import PeriodUnit, SurveyPeriod, Unsur
from mutu.surveys.selectors import ServiceSample
from mutu.surveys.views.links import badge_embed
from mutu.surveys.views.seat import unit_seat


@login_required
@require_safe
def unit_result(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period, member = unit_seat(request, pk, unit_pk)
    return _unit_result_page(request, period, member)


def _back_to_result(member: PeriodUnit) -> HttpResponse:
    return redirect("surveys:unit_result", pk=member.period_id, unit_pk=member.unit_id)


@login_required
@require_POST
def unit_population(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.SET_UNIT_SAMPLING)
    return form_post(
        request,
        PopulationForm(request.POST),
        save=lambda data: services.population_set(
            member=member, population=data["population"], actor=request.user
        ),
        success=_("Populasi disimpan."),
        then=lambda _saved: _back_to_result(member),
        again=lambda form: _unit_result_page(request, period, member, form=form),
    )


@login_required
@require_POST
def unit_service_populations(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.SET_UNIT_SAMPLING)
    samples = selectors.service_samples(period, member.unit_id)
    form = ServicePopulationForm(request.POST, samples=samples)
    if form.is_valid():
        changed = form.populations()
        save_through_service(
            form,
            lambda: services.service_populations_set(
                period=period, populations=changed, actor=request.user
            ),
        )
    if form.errors:
        return _unit_result_page(request, period, member, samples=samples, service_form=form)
    messages.success(request, _("Populasi per layanan disimpan."))
    return _back_to_result(member)


@login_required
@require_POST
def unit_skippable(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    _period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.SET_UNIT_SAMPLING)
    codes = request.POST.getlist("skippable")
    run_with_message(
        request,
        lambda: services.skippable_set(member=member, codes=codes, actor=request.user),
        _("Unsur yang boleh dilewati disimpan."),
    )
    return _back_to_result(member)


def _unit_result_page(
    request: AuthedHttpRequest,
    period: SurveyPeriod,
    member: PeriodUnit,
    *,
    samples: list[ServiceSample] | None = None,
    form: PopulationForm | None = None,
    service_form: ServicePopulationForm | None = None,
) -> HttpResponse:
    """The result page; a form that was sent with errors is shown as sent."""
    if samples is None:
        samples = selectors.service_samples(period, member.unit_id)
    page = selectors.unit_page(period, member)
    result = page.result
    return render(
        request,
        "surveys/unit_result.html",
        {
            "period": period,
            "member": member,
            "result": result,
            "form": form or PopulationForm(initial={"population": member.population}),
            "can_edit": can(request.user, SurveyAction.SET_UNIT_SAMPLING, member.unit),
            "chart": nrr_bars(result),
            "breakdowns": page.breakdowns,
            "keywords": page.keywords,
            "extra_results": page.extras,
            "trust": _trust_card(period, page.trust),
            "samples": samples,
            "service_form": service_form or ServicePopulationForm(samples=samples),
            "dropped": result.dropped_more_than(period.drop_alert_margin),
            "unsur_choices": [
                (code, label, code in member.skippable) for code, label in Unsur.choices
            ],
            "can_enter_paper": can(request.user, SurveyAction.ENTER_PAPER, member.unit),
            "can_request_report": can(request.user, CoreAction.REQUEST_REPORT, member.unit),
            "badge_embed": badge_embed(request, member.unit_id),
        },
    )


def _trust_card(period: SurveyPeriod, trust: TrustSummary | None) -> dict[str, Any] | None:
    """The trust question's card (never part of the IKM), when the period asks it or asked it."""
    if trust is None or not (period.ask_trust or trust.answered):
        return None
    rows = [(TRUST_ANSWERS[answer - 1], n, share) for answer, n, share in trust.distribution]
    return {"summary": trust, "question": TRUST_QUESTION, "rows": rows}

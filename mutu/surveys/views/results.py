"""A unit's result page in a period, and what its staff set there."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutu.core.http import AuthedHttpRequest, run_with_message, save_through_service
from mutu.core.permissions import Action, can, deny_unless
from mutu.indices.trust import TrustSummary
from mutu.surveys import selectors, services
from mutu.surveys.charts import nrr_bars
from mutu.surveys.forms import PopulationForm, ServicePopulationForm
from mutu.surveys.instrument import TRUST_ANSWERS, TRUST_QUESTION
from mutu.surveys.models import SurveyPeriod, Unsur
from mutu.surveys.views.links import badge_embed


@login_required
def unit_result(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    action = request.POST.get("action", "population") if request.method == "POST" else ""
    form = PopulationForm(
        request.POST if action == "population" else None,
        initial={"population": member.population},
    )
    samples = selectors.service_samples(period, member.unit_id)
    service_form = ServicePopulationForm(
        request.POST if action == "service_populations" else None, samples=samples
    )
    can_edit = can(request.user, Action.EDIT_UNIT, member.unit)
    if request.method == "POST":
        deny_unless(can_edit)
        if action == "service_populations":
            if service_form.is_valid():
                changed = service_form.populations()
                save_through_service(
                    service_form,
                    lambda: services.service_populations_set(
                        period=period, populations=changed, actor=request.user
                    ),
                )
            if not service_form.errors:
                messages.success(request, _("Populasi per layanan disimpan."))
                return redirect("surveys:unit_result", pk=period.pk, unit_pk=unit_pk)
        elif action == "skippable":
            codes = request.POST.getlist("skippable")
            run_with_message(
                request,
                lambda: services.skippable_set(member=member, codes=codes, actor=request.user),
                _("Unsur yang boleh dilewati disimpan."),
            )
            return redirect("surveys:unit_result", pk=period.pk, unit_pk=unit_pk)
        elif form.is_valid():
            services.population_set(
                member=member, population=form.cleaned_data["population"], actor=request.user
            )
            messages.success(request, _("Populasi disimpan."))
            return redirect("surveys:unit_result", pk=period.pk, unit_pk=unit_pk)
    page = selectors.unit_page(period, member)
    result = page.result
    return render(
        request,
        "surveys/unit_result.html",
        {
            "period": period,
            "member": member,
            "result": result,
            "form": form,
            "can_edit": can_edit,
            "chart": nrr_bars(result),
            "breakdowns": page.breakdowns,
            "keywords": page.keywords,
            "extra_results": page.extras,
            "trust": _trust_card(period, page.trust),
            "samples": samples,
            "service_form": service_form,
            "dropped": result.dropped_more_than(period.drop_alert_margin),
            "unsur_choices": [
                (code, label, code in member.skippable) for code, label in Unsur.choices
            ],
            "can_enter_paper": can(request.user, Action.MANAGE_SERVICES, member.unit),
            "can_request_report": can(request.user, Action.REQUEST_REPORT, member.unit),
            "badge_embed": badge_embed(request, member.unit_id),
        },
    )


def _trust_card(period: SurveyPeriod, trust: TrustSummary | None) -> dict[str, Any] | None:
    """The trust question's card (never part of the IKM), when the period asks it or asked it."""
    if trust is None or not (period.ask_trust or trust.answered):
        return None
    rows = [(TRUST_ANSWERS[answer - 1], n, share) for answer, n, share in trust.distribution]
    return {"summary": trust, "question": TRUST_QUESTION, "rows": rows}

"""A unit's responses: quarantined, released, or sent to the Pemda admin for review."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mutu.core.access import can
from mutu.core.http import AuthedHttpRequest, run_with_message
from mutu.core.params import ids_param
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys import selectors, services
from mutu.surveys.actions import SurveyAction
from mutu.surveys.views.seat import unit_seat


@login_required
@require_safe
def response_list(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Responses of one unit, with the flags. The Pemda admin quarantines or releases many at
    once with one reason; the unit head may only ask the admin for a review."""
    period, member = unit_seat(request, pk, unit_pk)
    can_moderate = can(request.user, SurveyAction.MODERATE_RESPONSES, member.unit)
    flagged = request.GET.get("tanda") == "1"
    page = Paginator(selectors.responses_of(period, unit_pk, flagged_only=flagged), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "surveys/response_list.html",
        {
            "period": period,
            "member": member,
            "page": page,
            "flagged": flagged,
            "can_moderate": can_moderate,
            "can_request_review": can(request.user, SurveyAction.REQUEST_REVIEW, member.unit),
            "open_reviews": selectors.open_review_count(period, unit_pk) if can_moderate else 0,
            "codes": UNSUR_CODES,
            "query": "tanda=1" if flagged else "",
            "list_query": request.GET.urlencode(),  # where a moderation POST comes back to
        },
    )


@login_required
@require_POST
def response_quarantine(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    return _moderate(
        request,
        pk,
        unit_pk,
        SurveyAction.MODERATE_RESPONSES,
        services.responses_quarantine,
        _("Respons dikarantina."),
    )


@login_required
@require_POST
def response_release(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    return _moderate(
        request,
        pk,
        unit_pk,
        SurveyAction.MODERATE_RESPONSES,
        services.responses_release,
        _("Respons dikembalikan ke perhitungan."),
    )


@login_required
@require_POST
def response_review_request(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    return _moderate(
        request,
        pk,
        unit_pk,
        SurveyAction.REQUEST_REVIEW,
        services.review_request,
        _("Permintaan tinjauan dikirim ke admin Pemda."),
    )


MODERATION_LIMIT = 200  # ticked boxes one POST may carry: a page shows 50


def _moderate(
    request: AuthedHttpRequest,
    pk: int,
    unit_pk: int,
    needs: SurveyAction,
    service: Callable[..., Any],
    done: str,
) -> HttpResponse:
    """Apply `service` to the ticked responses with one reason, and go back to the list as it
    was shown (its filter and page travel in the query string)."""
    period, member = unit_seat(request, pk, unit_pk, needs=needs)
    ids = ids_param(request.POST, "response", limit=MODERATION_LIMIT)
    if ids is None:
        raise Http404  # junk or a localized id ("1.000.001"): no such response
    chosen = selectors.responses_chosen(period, member.unit_id, ids)
    if len(chosen) != len(ids):
        raise Http404  # an id of another unit or period: as if it did not exist
    reason = request.POST.get("reason", "")
    user = request.user
    run_with_message(request, lambda: service(responses=chosen, actor=user, reason=reason), done)
    back = reverse("surveys:response_list", args=[period.pk, member.unit_id])
    query = request.GET.urlencode()
    return redirect(f"{back}?{query}" if query else back)

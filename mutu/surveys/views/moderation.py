"""A unit's responses: quarantined, released, or sent to the Pemda admin for review."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutu.core.http import AuthedHttpRequest, run_with_message
from mutu.core.params import ids_param
from mutu.core.permissions import Action, can, deny_unless
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys import selectors, services


@login_required
def response_list(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Responses of one unit, with the flags. The Pemda admin quarantines or releases many at
    once with one reason; the unit head may only ask the admin for a review."""
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    can_moderate = can(request.user, Action.MODERATE_RESPONSES, member.unit)
    can_request_review = can(request.user, Action.REQUEST_REVIEW, member.unit)
    if request.method == "POST":
        _act_on_responses(request, period, member.unit_id, can_moderate, can_request_review)
        return redirect(request.get_full_path())
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
            "can_request_review": can_request_review,
            "open_reviews": selectors.open_review_count(period, unit_pk) if can_moderate else 0,
            "codes": UNSUR_CODES,
            "query": "tanda=1" if flagged else "",
        },
    )


MODERATION_LIMIT = 200  # ticked boxes one POST may carry: a page shows 50


def _act_on_responses(
    request: AuthedHttpRequest,
    period: Any,
    unit_id: int,
    can_moderate: bool,
    can_request_review: bool,
) -> None:
    action = request.POST.get("action", "")
    deny_unless(can_request_review if action == "review" else can_moderate)
    ids = ids_param(request.POST, "response", limit=MODERATION_LIMIT)
    if ids is None:
        raise Http404  # junk or a localized id ("1.000.001"): no such response
    chosen = selectors.responses_chosen(period, unit_id, ids)
    if len(chosen) != len(ids):
        raise Http404  # an id of another unit or period: as if it did not exist
    reason = request.POST.get("reason", "")
    service: Any
    service, done = {
        "review": (services.review_request, _("Permintaan tinjauan dikirim ke admin Pemda.")),
        "release": (services.responses_release, _("Respons dikembalikan ke perhitungan.")),
    }.get(action, (services.responses_quarantine, _("Respons dikarantina.")))
    user = request.user
    run_with_message(request, lambda: service(responses=chosen, actor=user, reason=reason), done)

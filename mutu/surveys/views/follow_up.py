"""Follow-up of a period: the unit's action plan (RTL) and public consultations (FKP)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mutu.core.access import can
from mutu.core.http import AuthedHttpRequest, form_post
from mutu.core.permissions import deny_unless
from mutu.surveys import selectors, services
from mutu.surveys.actions import SurveyAction
from mutu.surveys.forms import FkpForm, RtlForm
from mutu.surveys.models import PeriodUnit, SurveyPeriod
from mutu.surveys.views.seat import unit_seat


@login_required
@require_safe
def follow_up(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit's follow-up plan (RTL) for the weakest unsur and its public consultations."""
    period, member = unit_seat(request, pk, unit_pk)
    return _page(request, period, member)


@login_required
@require_POST
def rtl_carry_over(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.MANAGE_FOLLOW_UP)
    copied = services.rtl_carry_over(period=period, unit=member.unit, actor=request.user)
    messages.success(
        request, _("%(n)s rencana yang belum selesai dibawa ke periode ini.") % {"n": copied}
    )
    return redirect("surveys:follow_up", pk=pk, unit_pk=unit_pk)


@login_required
@require_POST
def rtl_create(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.MANAGE_FOLLOW_UP)
    return form_post(
        request,
        RtlForm(request.POST),
        save=lambda data: services.rtl_save(
            period=period, unit=member.unit, actor=request.user, **data
        ),
        success=_("Tersimpan."),
        then=lambda _saved: redirect("surveys:follow_up", pk=pk, unit_pk=unit_pk),
        again=lambda form: _page(request, period, member, rtl_form=form),
    )


@login_required
@require_POST
def fkp_create(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.MANAGE_FOLLOW_UP)
    return form_post(
        request,
        FkpForm(request.POST),
        save=lambda data: services.fkp_record(
            period=period, unit=member.unit, actor=request.user, **data
        ),
        success=_("Tersimpan."),
        then=lambda _saved: redirect("surveys:follow_up", pk=pk, unit_pk=unit_pk),
        again=lambda form: _page(request, period, member, fkp_form=form),
    )


def _page(
    request: AuthedHttpRequest,
    period: SurveyPeriod,
    member: PeriodUnit,
    *,
    rtl_form: RtlForm | None = None,
    fkp_form: FkpForm | None = None,
) -> HttpResponse:
    """The follow-up page; a form that was sent with errors is shown as sent."""
    result = selectors.unit_result(period, member)
    if rtl_form is None:  # a new plan starts on the weakest unsur
        lowest = [code for code, _v in result.lowest]
        rtl_form = RtlForm(initial={"unsur": lowest[0] if lowest else None})
    return render(
        request,
        "surveys/follow_up.html",
        {
            "period": period,
            "member": member,
            "can_edit": can(request.user, SurveyAction.MANAGE_FOLLOW_UP, member.unit),
            "lowest": result.lowest,
            "items": selectors.rtl_items(period, member.unit_id),
            "fkps": selectors.fkp_records(period, member.unit_id),
            "rtl_form": rtl_form,
            "fkp_form": fkp_form or FkpForm(),
        },
    )


@login_required
def rtl_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.rtl_item_get(request.user, pk)
    deny_unless(can(request.user, SurveyAction.MANAGE_FOLLOW_UP, item.unit))
    form = RtlForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        fresh = selectors.rtl_item_get(request.user, pk)
        services.rtl_save(
            period=fresh.period,
            unit=fresh.unit,
            actor=request.user,
            item=fresh,
            **form.cleaned_data,
        )
        messages.success(request, _("Tersimpan."))
        return redirect("surveys:follow_up", pk=item.period_id, unit_pk=item.unit_id)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("Rencana tindak lanjut — %(u)s") % {"u": item.unit}},
    )

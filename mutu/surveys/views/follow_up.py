"""Follow-up of a period: the unit's action plan (RTL) and public consultations (FKP)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutu.core.http import AuthedHttpRequest
from mutu.core.permissions import Action, can, deny_unless
from mutu.surveys import selectors, services
from mutu.surveys.forms import FkpForm, RtlForm


@login_required
def follow_up(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit's follow-up plan (RTL) for the weakest unsur and its public consultations."""
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    can_edit = can(request.user, Action.MANAGE_SERVICES, member.unit)
    result = selectors.unit_result(period, member)
    lowest = [code for code, _v in result.lowest]
    rtl_form: Any = RtlForm(initial={"unsur": lowest[0] if lowest else None})
    fkp_form: Any = FkpForm()
    if request.method == "POST":
        deny_unless(can_edit)
        action = request.POST.get("action")
        if action == "carry":
            copied = services.rtl_carry_over(period=period, unit=member.unit, actor=request.user)
            messages.success(
                request,
                _("%(n)s rencana yang belum selesai dibawa ke periode ini.") % {"n": copied},
            )
            return redirect(request.path)
        bound = RtlForm(request.POST) if action == "rtl" else FkpForm(request.POST)
        if bound.is_valid():
            save = services.rtl_save if action == "rtl" else services.fkp_record
            save(period=period, unit=member.unit, actor=request.user, **bound.cleaned_data)
            messages.success(request, _("Tersimpan."))
            return redirect(request.path)
        rtl_form, fkp_form = (bound, fkp_form) if action == "rtl" else (rtl_form, bound)
    return render(
        request,
        "surveys/follow_up.html",
        {
            "period": period,
            "member": member,
            "can_edit": can_edit,
            "lowest": result.lowest,
            "items": selectors.rtl_items(period, member.unit_id),
            "fkps": selectors.fkp_records(period, member.unit_id),
            "rtl_form": rtl_form,
            "fkp_form": fkp_form,
        },
    )


@login_required
def rtl_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.rtl_item_get(request.user, pk)
    deny_unless(can(request.user, Action.MANAGE_SERVICES, item.unit))
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
        "organisations/form.html",
        {"form": form, "title": _("Rencana tindak lanjut — %(u)s") % {"u": item.unit}},
    )

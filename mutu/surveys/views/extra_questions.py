"""A unit's own questions in a period."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutu.core.http import AuthedHttpRequest, run_with_message, save_through_service
from mutu.core.permissions import Action, can, deny_unless
from mutu.surveys import selectors, services
from mutu.surveys.forms import ExtraQuestionForm
from mutu.surveys.instrument import extra_questions_of


@login_required
def extra_questions(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit's own questions in this period: added, listed and retired (never deleted)."""
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    can_manage = can(request.user, Action.MANAGE_SERVICES, member.unit)
    form = ExtraQuestionForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        deny_unless(can_manage)
        if request.POST.get("action") == "retire":
            question_id = request.POST.get("question", "")
            run_with_message(
                request,
                lambda: services.extra_question_retire(
                    member=member, actor=request.user, question_id=question_id
                ),
                _("Pertanyaan tidak lagi ditanyakan."),
            )
            return redirect("surveys:extra_questions", pk=period.pk, unit_pk=unit_pk)
        if form.is_valid():
            added = save_through_service(
                form,
                lambda: services.extra_question_add(
                    member=member, actor=request.user, **form.cleaned_data
                ),
            )
            if added:
                messages.success(request, _("Pertanyaan ditambahkan."))
                return redirect("surveys:extra_questions", pk=period.pk, unit_pk=unit_pk)
    return render(
        request,
        "surveys/extra_questions.html",
        {
            "period": period,
            "member": member,
            "questions": extra_questions_of(member.extra_questions),
            "form": form,
            "can_manage": can_manage,
        },
    )

"""A unit's own questions in a period."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mutu.core.access import can
from mutu.core.http import AuthedHttpRequest, form_post, run_with_message
from mutu.surveys import services
from mutu.surveys.actions import SurveyAction
from mutu.surveys.forms import ExtraQuestionForm
from mutu.surveys.instrument import extra_questions_of
from mutu.surveys.models import PeriodUnit, SurveyPeriod
from mutu.surveys.views.seat import unit_seat


@login_required
@require_safe
def extra_questions(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit's own questions in this period: added, listed and retired (never deleted)."""
    period, member = unit_seat(request, pk, unit_pk)
    return _page(request, period, member)


@login_required
@require_POST
def extra_question_add(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.MANAGE_OWN_QUESTIONS)
    return form_post(
        request,
        ExtraQuestionForm(request.POST),
        save=lambda data: services.extra_question_add(member=member, actor=request.user, **data),
        success=_("Pertanyaan ditambahkan."),
        then=lambda _added: redirect("surveys:extra_questions", pk=pk, unit_pk=unit_pk),
        again=lambda form: _page(request, period, member, form),
    )


@login_required
@require_POST
def extra_question_retire(request: AuthedHttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    _period, member = unit_seat(request, pk, unit_pk, needs=SurveyAction.MANAGE_OWN_QUESTIONS)
    question_id = request.POST.get("question", "")
    run_with_message(
        request,
        lambda: services.extra_question_retire(
            member=member, actor=request.user, question_id=question_id
        ),
        _("Pertanyaan tidak lagi ditanyakan."),
    )
    return redirect("surveys:extra_questions", pk=pk, unit_pk=unit_pk)


def _page(
    request: AuthedHttpRequest,
    period: SurveyPeriod,
    member: PeriodUnit,
    form: ExtraQuestionForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "surveys/extra_questions.html",
        {
            "period": period,
            "member": member,
            "questions": extra_questions_of(member.extra_questions),
            "form": form or ExtraQuestionForm(),
            "can_manage": can(request.user, SurveyAction.MANAGE_OWN_QUESTIONS, member.unit),
        },
    )

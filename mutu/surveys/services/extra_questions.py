"""A unit's own questions, asked after the nine unsur and never in the IKM."""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mutu.core.access import require
from mutu.core.events import record_event
from mutu.core.models import User
from mutu.surveys.actions import SurveyAction
from mutu.surveys.events import SurveyEvent
from mutu.surveys.instrument import EXTRA_CHOICES_MAX, ExtraKind, ExtraQuestion, extra_questions_of
from mutu.surveys.models import PeriodUnit


def extra_question_add(
    *,
    member: PeriodUnit,
    actor: User | None,
    kind: str,
    text: str,
    choices: list[str] | None = None,
    required: bool = False,
) -> ExtraQuestion:
    """Add a unit's own question to a period (asked after the nine unsur, never in the IKM)."""
    require(actor, SurveyAction.MANAGE_OWN_QUESTIONS, member.unit)
    text, options = text.strip(), [c.strip() for c in choices or [] if c.strip()]
    if kind not in ExtraKind.ALL:
        raise ValidationError({"kind": _("Jenis pertanyaan tidak dikenal.")})
    if not text:
        raise ValidationError({"text": _("Teks pertanyaan wajib diisi.")})
    if kind == ExtraKind.CHOICE and not 2 <= len(options) <= EXTRA_CHOICES_MAX:
        raise ValidationError(
            {"choices": _("Isi 2 sampai %(n)s pilihan, satu per baris.") % {"n": EXTRA_CHOICES_MAX}}
        )
    existing = extra_questions_of(member.extra_questions)
    question = ExtraQuestion(
        id=f"q{len(existing) + 1}",  # ids are never reused: retired questions stay in the list
        kind=kind,
        text=text[:300],
        choices=tuple(o[:100] for o in options) if kind == ExtraKind.CHOICE else (),
        required=required,
    )
    _save_extra(member, actor, [*existing, question], SurveyEvent.EXTRA_QUESTION_ADDED, question)
    return question


def extra_question_retire(*, member: PeriodUnit, actor: User | None, question_id: str) -> None:
    """Stop asking a question; the answers already given stay in the results."""
    require(actor, SurveyAction.MANAGE_OWN_QUESTIONS, member.unit)
    existing = extra_questions_of(member.extra_questions)
    match = [q for q in existing if q.id == question_id and not q.retired]
    if not match:
        raise ValidationError(_("Pertanyaan tidak ditemukan."))
    updated = [replace(q, retired=True) if q.id == question_id else q for q in existing]
    _save_extra(member, actor, updated, SurveyEvent.EXTRA_QUESTION_RETIRED, match[0])


def _save_extra(
    member: PeriodUnit,
    actor: User | None,
    questions: list[ExtraQuestion],
    verb: SurveyEvent,
    question: ExtraQuestion,
) -> None:
    with transaction.atomic():
        member.extra_questions = [q.to_json() for q in questions]
        member.save(update_fields=["extra_questions"])
        record_event(
            actor=actor,
            verb=verb,
            obj=member.unit,
            pemda=member.period.pemda,
            data={"period": member.period_id, "question": question.to_json()},
        )

"""The blank paper questionnaire of one unit in one period, as an A4 PDF (WeasyPrint): what
the counter hands a citizen who does not scan the QR code, and what the operator later types
into the entry grid (the same order, the same numbers).

WeasyPrint is imported only when a form is printed, as for the reports.
"""

from typing import Any

from django.template.loader import render_to_string

from mutu.surveys.instrument import (
    STANDARD_QUESTIONS,
    TRUST_ANSWERS,
    TRUST_QUESTION,
    ExtraKind,
    extra_questions_of,
    still_asked,
)
from mutu.surveys.models import PeriodUnit, Response


def blank_questionnaire_context(member: PeriodUnit) -> dict[str, Any]:
    period = member.period
    skippable = frozenset(member.skippable)
    return {
        "pemda": period.pemda,
        "period": period,
        "unit": member.unit,
        "questions": [
            {"number": n, "question": q, "skippable": q.code in skippable}
            for n, q in enumerate(STANDARD_QUESTIONS, start=1)
        ],
        "trust": (TRUST_QUESTION, TRUST_ANSWERS) if period.ask_trust else None,
        "own": [
            {"number": n, "question": q, "text": q.kind == ExtraKind.TEXT}
            for n, q in enumerate(still_asked(extra_questions_of(member.extra_questions)), 1)
        ],
        "profile": [
            _profile_field(name) for name in ("gender", "age_band", "education", "occupation")
        ],
        "services": list(member.unit.services.filter(is_active=True).order_by("name")),
    }


def _profile_field(name: str) -> tuple[Any, list[Any]]:
    """A profile question as printed: its label and the words of its boxes."""
    field: Any = Response._meta.get_field(name)
    return field.verbose_name, [label for _value, label in field.choices or []]


def blank_questionnaire_pdf(member: PeriodUnit) -> bytes:
    from weasyprint import HTML

    html = render_to_string("surveys/blank_questionnaire.html", blank_questionnaire_context(member))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf

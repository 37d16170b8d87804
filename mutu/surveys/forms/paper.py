"""Paper forms keyed in by an operator, and the columns of a paper import."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mutu.surveys.instrument import (
    EXTRA_TEXT_MAX,
    STANDARD_QUESTIONS,
    TRUST_QUESTION,
    ExtraKind,
    ExtraQuestion,
    still_asked,
)
from mutu.surveys.models import PAPER_NUMBER_MAX, Response, SurveyPeriod, Unsur

if TYPE_CHECKING:
    pass
from mutu.surveys.forms.public import PROFILE_FIELDS

DIGIT_ERRORS = {
    "required": _("Wajib 1–4."),
    "min_value": _("Wajib 1–4."),
    "max_value": _("Wajib 1–4."),
    "invalid": _("Wajib 1–4."),
}


def _digit_box(
    label: Any, required: bool, highest: int = 4, errors: dict[str, Any] | None = None
) -> forms.IntegerField:
    """One answer box of the entry grid: a single digit; paper-entry.js moves the cursor to
    the next box once it is typed (found by the data attribute: the `control` filter sets the
    class)."""
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=highest,
        required=required,
        error_messages=errors or DIGIT_ERRORS,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "maxlength": "1",
                "pattern": f"[1-{highest}]",
                "autocomplete": "off",
                "data-paper-digit": "",
            }
        ),
    )


class PaperEntryForm(forms.Form):
    """One paper questionnaire typed in with the keyboard: its number, nine digits 1–4 (and
    the trust question), then the profile and the unit's own questions."""

    def __init__(
        self,
        *args: Any,
        period: SurveyPeriod | None = None,
        skippable: frozenset[str] = frozenset(),
        extra_questions: tuple[ExtraQuestion, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.period = period
        self.skippable = skippable
        self.extra_questions = still_asked(extra_questions)
        self.fields["paper_number"] = forms.CharField(
            label=_("Nomor kuesioner"),
            required=False,
            max_length=PAPER_NUMBER_MAX,
            help_text=_("Nomor yang ditulis petugas di kotak pojok kanan atas formulir."),
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )
        for q in STANDARD_QUESTIONS:
            # left blank = does not apply
            self.fields[f"u_{q.code}"] = _digit_box(Unsur(q.code).label, q.code not in skippable)
        if period is None or period.ask_trust:
            self.fields["trust"] = _digit_box(TRUST_QUESTION, required=False)
        self.fields["served_on"] = forms.DateField(
            label=_("Tanggal layanan"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        for name in PROFILE_FIELDS:
            model_field: Any = Response._meta.get_field(name)
            self.fields[name] = forms.ChoiceField(
                label=str(model_field.verbose_name).capitalize(),
                choices=[("", "—"), *model_field.choices],
                required=False,
            )
        self.fields["suggestion"] = forms.CharField(
            label=_("Saran tertulis"), required=False, max_length=2000
        )
        for number, question in enumerate(self.extra_questions, start=1):
            self.fields[f"x_{question.id}"] = _paper_extra_field(number, question)

    def clean_paper_number(self) -> str:
        from mutu.surveys.services import paper_number_clean

        return paper_number_clean(self.cleaned_data.get("paper_number") or "")

    def clean_served_on(self) -> Any:
        from mutu.surveys.services import served_outside_message

        served_on = self.cleaned_data.get("served_on")
        period = self.period
        if served_on and period and not period.starts_on <= served_on <= period.ends_on:
            raise forms.ValidationError(served_outside_message(period, served_on))
        return served_on

    def unsur_fields(self) -> list[Any]:
        return [self[f"u_{q.code}"] for q in STANDARD_QUESTIONS]

    def answers(self) -> dict[str, int | None]:
        return {q.code: self.cleaned_data[f"u_{q.code}"] for q in STANDARD_QUESTIONS}

    def extra_answers(self) -> dict[str, Any]:
        return {q.id: self.cleaned_data.get(f"x_{q.id}") for q in self.extra_questions}

    def extra_fields(self) -> list[Any]:
        return [self[f"x_{q.id}"] for q in self.extra_questions]

    def profile(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name, "") for name in PROFILE_FIELDS}
        data["suggestion"] = self.cleaned_data.get("suggestion", "")
        data["served_on"] = self.cleaned_data.get("served_on")
        data["paper_number"] = self.cleaned_data.get("paper_number", "")
        if "trust" in self.fields:
            data["trust"] = self.cleaned_data.get("trust")
        return data

    def digest(self) -> list[list[str]]:
        """What must match between the first and the second keying of one form, as
        [field name, value] pairs (kept in the session between the two keyings)."""
        pairs = [(f"u_{code}", v) for code, v in self.answers().items()]
        pairs += list(self.profile().items())
        pairs += [(f"x_{qid}", v) for qid, v in self.extra_answers().items()]
        return [[name, "" if value is None else str(value)] for name, value in pairs]


def _paper_extra_field(number: int, question: ExtraQuestion) -> forms.Field:
    label = f"T{number}. {question.text}"
    if question.kind == ExtraKind.TEXT:
        return forms.CharField(label=label, required=question.required, max_length=EXTRA_TEXT_MAX)
    words = question.answer_words()
    message = _("Wajib 1–%(n)s.") % {"n": len(words)}
    errors = {k: message for k in ("required", "min_value", "max_value", "invalid")}
    field = _digit_box(label, question.required, highest=len(words), errors=errors)
    field.help_text = " · ".join(f"{i} = {word}" for i, word in enumerate(words, start=1))
    return field


def paper_row_errors(
    values: dict[str, str],
    skippable: frozenset[str] = frozenset(),
    extra_questions: tuple[ExtraQuestion, ...] = (),
    period: SurveyPeriod | None = None,
    column_of: dict[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]:
    """Check one imported paper row (keyed by the entry grid's field names: unsur codes,
    paper_number, trust, served_on, the profile, x_<id>) with the same rules as the grid:
    (answers, profile, own answers, "") or ({}, {}, {}, the reason, naming the file's column:
    `column_of` maps a field to it when the file used other names)."""
    data = {f"u_{code}": values.get(code, "") for code in (q.code for q in STANDARD_QUESTIONS)}
    names = (*PROFILE_FIELDS, "suggestion", "served_on", "paper_number", "trust")
    data.update({name: values.get(name, "") for name in names})
    data.update({f"x_{q.id}": values.get(f"x_{q.id}", "") for q in extra_questions})
    form = PaperEntryForm(data, period=period, skippable=skippable, extra_questions=extra_questions)
    if form.is_valid():
        return form.answers(), form.profile(), form.extra_answers(), ""
    parts = []
    for name, errors in form.errors.items():
        column = (column_of or {}).get(name) or paper_column_of(name)
        parts.append(f"{column}: {' '.join(str(e) for e in errors)}")
    return {}, {}, {}, "; ".join(parts)


# The import file's Indonesian column for each field of the grid (unsur keep their codes; a
# unit's own question is tambahan_<id>).
PAPER_FIELD_COLUMNS = {
    "paper_number": "nomor_kuesioner",
    "served_on": "tanggal_layanan",
    "trust": "kepercayaan",
    "gender": "jenis_kelamin",
    "age_band": "usia",
    "education": "pendidikan",
    "occupation": "pekerjaan",
    "suggestion": "saran",
}


def paper_column_of(field_name: str) -> str:
    """The import column that feeds a field of the entry grid, to name it in a row's error."""
    if field_name.startswith("u_"):
        return field_name[2:]
    if field_name.startswith("x_"):
        return f"tambahan_{field_name[2:]}"
    return PAPER_FIELD_COLUMNS.get(field_name, field_name)

"""The citizen's questionnaire (the web form, the kiosk and the API all judge answers by it)."""

import functools
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mutu.core.intake import honeypot
from mutu.organisations.models import Service
from mutu.surveys.instrument import (
    EXTRA_TEXT_MAX,
    FACES,
    STANDARD_QUESTIONS,
    TRUST_ANSWERS,
    TRUST_QUESTION,
    ExtraKind,
    ExtraQuestion,
    still_asked,
)
from mutu.surveys.models import Response

if TYPE_CHECKING:
    from mutu.surveys.services import SurveyTarget


PROFILE_FIELDS = ("gender", "age_band", "education", "occupation")


NOT_APPLICABLE = _("Tidak berlaku bagi saya")


def _scale(
    question: Any, words: Any, required: bool = True, skippable: bool = False
) -> forms.TypedChoiceField:
    choices = [(str(i + 1), word) for i, word in enumerate(words)]
    return forms.TypedChoiceField(
        label=question,
        choices=[*choices, ("", NOT_APPLICABLE)] if skippable else choices,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=required and not skippable,
        error_messages={"required": _("Pilih salah satu jawaban.")},
    )


def _extra_field(question: ExtraQuestion) -> forms.Field:
    if question.kind == ExtraKind.TEXT:
        return forms.CharField(
            label=question.text,
            required=question.required,
            max_length=EXTRA_TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": _("Pertanyaan ini wajib dijawab.")},
        )
    return _scale(question.text, question.answer_words(), required=question.required)


@functools.lru_cache(maxsize=512)
def _questionnaire_fields(
    ask_trust: bool, skippable: frozenset[str], extra_questions: tuple[ExtraQuestion, ...]
) -> dict[str, forms.Field]:
    """The fields of one instrument, built once per process and shared by every SurveyForm of
    it. Building them was a third of the work of a public submission, and nothing changes a
    field after this (labels are lazy, so one set serves every language); a form gets its own
    dict, so adding or removing a field stays private to it."""
    fields: dict[str, forms.Field] = {}
    for q in STANDARD_QUESTIONS:
        fields[f"u_{q.code}"] = _scale(q.question, q.answers, skippable=q.code in skippable)
    if ask_trust:
        fields["trust"] = _scale(TRUST_QUESTION, TRUST_ANSWERS, required=False)
    for question in extra_questions:
        fields[f"x_{question.id}"] = _extra_field(question)
    for name in PROFILE_FIELDS:
        model_field: Any = Response._meta.get_field(name)
        fields[name] = forms.ChoiceField(
            label=capfirst(model_field.verbose_name),  # lazy: these fields serve every language
            choices=[("", _("— pilih —")), *model_field.choices],
            required=False,
        )
    fields["suggestion"] = forms.CharField(
        label=_("Saran dan masukan (boleh dikosongkan)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    fields["consent"] = forms.BooleanField(
        label=_(
            "Saya setuju jawaban ini diolah tanpa identitas untuk memperbaiki pelayanan "
            "(UU 27/2022 tentang Pelindungan Data Pribadi)."
        ),
        error_messages={"required": _("Centang persetujuan untuk mengirim.")},
    )
    fields[honeypot.FIELD_NAME] = honeypot.honeypot_field()
    return fields


UNKNOWN_SERVICE = _("Tidak tahu / lainnya")


def _service_field(services: tuple[Service, ...]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Layanan yang Anda gunakan"),
        choices=[("", UNKNOWN_SERVICE), *((str(s.pk), s.name) for s in services)],
        required=False,
        error_messages={"invalid_choice": _("Pilih layanan dari daftar, atau “Tidak tahu”.")},
    )


NOT_ONE_VALUE = _(
    "Harus berupa satu jawaban (angka atau teks), bukan daftar, objek atau true/false."
)
NO_LONGER_ASKED = _(
    "Sebagian pertanyaan sudah tidak ditanyakan lagi oleh unit ini. Periksa jawaban Anda di "
    "bawah, lalu kirim lagi."
)
ANSWER_PREFIXES = ("u_", "x_")


class SurveyForm(forms.Form):
    """The public questionnaire: nine unsur first, then the profile, then consent.

    Stored as given (issue 11): an answer must be one value, never a list or an object (a
    text field would otherwise store its Python repr), and an answer to a question the form
    does not ask (retired, or never asked) is refused, never silently dropped: the web form
    says so and shows the current questions again, the API and the kiosk answer 400 naming it.
    """

    def __init__(
        self,
        *args: Any,
        ask_trust: bool = True,
        skippable: frozenset[str] = frozenset(),
        extra_questions: tuple[ExtraQuestion, ...] = (),
        service_choices: tuple[Service, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.extra_questions = still_asked(extra_questions)
        self.fields = dict(_questionnaire_fields(ask_trust, skippable, self.extra_questions))
        self.service_choices = service_choices
        if service_choices:
            self.fields["service"] = _service_field(service_choices)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.fields:
            if isinstance(self.data.get(name), list | dict | bool):
                self.errors.pop(name, None)  # one message, not "not a valid choice" as well
                self.add_error(name, NOT_ONE_VALUE)
        if any(
            name.startswith(ANSWER_PREFIXES) and name not in self.fields and self.data.get(name)
            for name in self.data
        ):
            self.add_error(None, NO_LONGER_ASKED)
        return cleaned

    def unsur_fields(self) -> list[tuple[Any, list[tuple[Any, str]]]]:
        """Each unsur with its choices paired with a face (1 = 😞 … 4 = 😀)."""
        fields = [self[f"u_{q.code}"] for q in STANDARD_QUESTIONS]
        # A "does not apply" choice, where the unit allows it, has no face.
        return [
            (
                field,
                [(choice, FACES[i] if i < len(FACES) else "") for i, choice in enumerate(field)],
            )
            for field in fields
        ]

    def chosen_service(self) -> Service | None:
        """The service the citizen picked on a unit-level link, or None ("Tidak tahu")."""
        picked = self.cleaned_data.get("service") or ""
        return next((s for s in self.service_choices if str(s.pk) == picked), None)

    def extra_fields(self) -> list[tuple[ExtraQuestion, Any]]:
        return [(q, self[f"x_{q.id}"]) for q in self.extra_questions]

    def extra_answers(self) -> dict[str, Any]:
        return {q.id: self.cleaned_data.get(f"x_{q.id}") for q in self.extra_questions}

    def answers(self) -> dict[str, int | None]:
        return {q.code: self.cleaned_data[f"u_{q.code}"] for q in STANDARD_QUESTIONS}

    def profile(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name, "") for name in PROFILE_FIELDS}
        data["trust"] = self.cleaned_data.get("trust") or None
        data["suggestion"] = self.cleaned_data.get("suggestion", "")
        return data


JSON_TEXT_KEYS = ("trust", "suggestion")  # at the top level (API) or inside "profile" (kiosk.js)


def json_survey_form(
    payload: dict[str, Any], target: "SurveyTarget"
) -> tuple[SurveyForm, list[str]]:
    """The web form bound to a JSON submission (kiosk queue, public API), so that one set of
    rules judges every channel, and the paths of the answers it does not ask for: those are
    refused, never silently dropped.

    {"answers": {unsur code: 1-4 or null}, "profile": {"gender", "age_band", "education",
    "occupation"}, "trust": 1-4, "suggestion": "...", "extra": {question id: answer},
    "consent": true}. Raises TypeError or ValueError when a section is not an object.
    """
    answers, profile = dict(payload.get("answers") or {}), dict(payload.get("profile") or {})
    data = {f"u_{code}": value for code, value in answers.items()}
    # The unit's own questions are the form's x_<id> fields: this is their one mapping.
    data |= {f"x_{qid}": value for qid, value in dict(payload.get("extra") or {}).items()}
    profile_keys = (*PROFILE_FIELDS, *JSON_TEXT_KEYS)
    data |= {key: value for key, value in profile.items() if key in profile_keys}
    data |= {key: payload[key] for key in JSON_TEXT_KEYS if key in payload}
    data["consent"] = "on" if payload.get("consent") is True else ""
    form = SurveyForm(
        data,
        ask_trust=target.period.ask_trust,
        skippable=target.skippable,
        extra_questions=target.extra_questions,
    )
    unknown = [f"profile.{key}" for key in profile if key not in profile_keys]
    unknown += [
        json_path(name) for name in data if name[:2] in ("u_", "x_") and name not in form.fields
    ]
    return form, sorted(unknown)


def json_path(field_name: str) -> str:
    """Where a SurveyForm field sits in a JSON submission, e.g. u_waktu -> answers.waktu."""
    if field_name.startswith("u_"):
        return f"answers.{field_name[2:]}"
    if field_name.startswith("x_"):
        return f"extra.{field_name[2:]}"
    return f"profile.{field_name}" if field_name in PROFILE_FIELDS else field_name

import functools
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mutu.organisations.models import Service, Unit
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
from mutu.surveys.models import (
    PAPER_NUMBER_MAX,
    FkpRecord,
    Response,
    RtlItem,
    SurveyPeriod,
    Unsur,
)

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
    # Honeypot: hidden from people by CSS and from screen readers; bots fill it in.
    fields["website"] = forms.CharField(required=False, label=_("Jangan diisi"))
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


class PeriodForm(forms.ModelForm[SurveyPeriod]):
    units = forms.ModelMultipleChoiceField(
        label=_("Unit peserta"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    # Hidden until the period turns out to overlap another one of the same units.
    overlap_confirmed = forms.BooleanField(
        label=_("Ya, saya tetap membuat periode yang tumpang tindih ini"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = SurveyPeriod
        fields = ["name", "starts_on", "ends_on", "weighting", "ask_trust", "drop_alert_margin"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, pemda: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(pemda=pemda, is_active=True).order_by("path")
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        self.fields["units"].initial = list(units.values_list("pk", flat=True))
        self.instance.pemda = pemda

    def ask_to_confirm_overlap(self) -> bool:
        """Show the confirmation box when the service refused an overlapping period."""
        if not self.has_error(NON_FIELD_ERRORS, code="overlap"):
            return False
        self.fields["overlap_confirmed"].widget = forms.CheckboxInput()
        return True


class PopulationForm(forms.Form):
    population = forms.IntegerField(
        label=_("Populasi pengguna layanan dalam periode"), min_value=0, required=False
    )


class LinkForm(forms.Form):
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(
        label=_("Layanan (opsional)"), queryset=Service.objects.none(), required=False
    )
    label = forms.CharField(label=_("Keterangan, mis. “Loket 2”"), max_length=100, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = unit.services.filter(is_active=True)  # type: ignore[attr-defined]


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


class RtlForm(forms.ModelForm[RtlItem]):
    class Meta:
        model = RtlItem
        fields = ["unsur", "program", "schedule", "responsible", "status", "evidence"]
        widgets = {
            "program": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }


class FkpForm(forms.ModelForm[FkpRecord]):
    class Meta:
        model = FkpRecord
        fields = ["held_on", "participants", "agreed_actions"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "agreed_actions": forms.Textarea(attrs={"rows": 3}),
        }


class ExtraQuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis pertanyaan"),
        choices=[
            (ExtraKind.SCALE, _("Pernyataan dengan skala setuju 1–4")),
            (ExtraKind.CHOICE, _("Pilihan (satu jawaban)")),
            (ExtraKind.TEXT, _("Isian bebas")),
        ],
    )
    text = forms.CharField(
        label=_("Pertanyaan atau pernyataan"),
        max_length=300,
        error_messages={"required": _("Teks pertanyaan wajib diisi.")},
    )
    choices = forms.CharField(
        label=_("Pilihan jawaban (untuk jenis pilihan; satu per baris)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required = forms.BooleanField(label=_("Wajib dijawab"), required=False)

    def clean_choices(self) -> list[str]:
        return [line for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class ServicePopulationForm(forms.Form):
    """One population field per service of the unit (blank = not known)."""

    def __init__(self, *args: Any, samples: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.samples = samples
        for sample in samples:
            self.fields[f"service_{sample.service.pk}"] = forms.IntegerField(
                label=sample.service.name,
                min_value=0,
                required=False,
                initial=sample.population,
            )

    def populations(self) -> list[tuple[Any, int | None]]:
        """(service, population) for every service whose value changed."""
        return [
            (s.service, self.cleaned_data[f"service_{s.service.pk}"])
            for s in self.samples
            if self.cleaned_data[f"service_{s.service.pk}"] != s.population
        ]


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

"""The staff's forms: periods, populations, links, follow-up and a unit's own questions."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from mutu.organisations.models import Service, Unit
from mutu.surveys.instrument import ExtraKind
from mutu.surveys.models import FkpRecord, RtlItem, SurveyPeriod

if TYPE_CHECKING:
    pass


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

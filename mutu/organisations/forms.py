from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mutu.organisations.models import Holiday, Service, Unit


class UnitForm(forms.ModelForm[Unit]):
    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "address",
            "latitude",
            "longitude",
            "head_name",
            "head_title",
            "phone",
            "email",
            "is_active",
        ]

    def __init__(self, *args: Any, pemda: Any, can_move: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(pemda=pemda)
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.instance.pemda = pemda
        if not can_move:
            del self.fields["parent"]


class ServiceForm(forms.ModelForm[Service]):
    class Meta:
        model = Service
        fields = ["name", "description", "is_online", "is_active"]

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.unit = unit


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas XLSX atau CSV"))
    keep_valid = forms.BooleanField(
        label=_("Impor baris yang valid saja dan lewati baris yang salah"), required=False
    )


class HolidayForm(forms.ModelForm[Holiday]):
    class Meta:
        model = Holiday
        fields = ["date", "name", "kind"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False)
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *Unit.Kind.choices]
    )
    pemda = forms.IntegerField(required=False, widget=forms.HiddenInput)

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mutu.core.roles import UNIT_SCOPED
from mutu.organisations.models import Holiday, Pemda, Service, Unit


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
            "head_nip",
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


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    role = forms.ChoiceField(label=_("Peran"))
    unit = forms.ModelChoiceField(
        label=_("Unit (untuk kepala unit, operator dan evaluator)"),
        queryset=Unit.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, pemda: Any, roles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(pemda=pemda)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        needs_unit = cleaned.get("role") in UNIT_SCOPED
        if needs_unit and not cleaned.get("unit"):
            self.add_error("unit", _("Peran ini harus terkait dengan satu unit."))
        if not needs_unit:
            cleaned["unit"] = None
        return cleaned


LOGO_MAX_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}


class PemdaForm(forms.ModelForm[Pemda]):
    class Meta:
        model = Pemda
        fields = ["name", "logo", "address", "website"]

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "image"):
            return logo  # unchanged or cleared
        if logo.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("Logo terlalu besar (maksimum 1 MB)."))
        # ImageField has already opened the file with Pillow: the content decides, not the name.
        if logo.image.format not in LOGO_FORMATS:
            raise forms.ValidationError(_("Logo harus berupa gambar PNG, JPEG atau WebP."))
        return logo

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class LoginForm(AuthenticationForm):
    """Email + password, and the authenticator code when the user has turned on 2FA."""

    otp_token = forms.CharField(
        label=_("Kode autentikator (jika 2FA aktif)"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Email atau kata sandi salah."),
        "otp_required": _("Masukkan kode dari aplikasi autentikator Anda."),
        "otp_invalid": _("Kode autentikator salah atau kedaluwarsa."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["password"].label = _("Kata sandi")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )
        self.otp_device: TOTPDevice | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True)) if user else []
        if devices:
            token = (cleaned.get("otp_token") or "").strip()
            if not token:
                raise forms.ValidationError(
                    self.error_messages["otp_required"], code="otp_required"
                )
            self.otp_device = next((d for d in devices if d.verify_token(token)), None)
            if self.otp_device is None:
                raise forms.ValidationError(self.error_messages["otp_invalid"], code="otp_invalid")
        return cleaned


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose email goes through the task queue instead of the request."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from mutu.core.tasks import send_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email.enqueue(subject=subject, body=body, to=[to_email], from_email=from_email)


class TotpConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Kode 6 digit dari aplikasi autentikator"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EventFilterForm(forms.Form):
    verb = forms.CharField(label=_("Aksi"), required=False)
    actor = forms.CharField(label=_("Pelaku (email)"), required=False)
    date_from = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas XLSX atau CSV"))
    keep_valid = forms.BooleanField(
        label=_("Impor baris yang valid saja dan lewati baris yang salah"), required=False
    )

"""The bot trap: a text field that people never see (hidden by CSS, skipped by the keyboard and
screen readers) and bots fill. A filled trap is not refused: the submission is stored
quarantined (SubmissionMeta.honeypot), so a bot learns nothing and a person is never lost."""

from django import forms
from django.utils.translation import gettext_lazy as _

# A name that a form-filling bot wants to fill. The template renders the field as
# templates/intake/_honeypot.html does.
FIELD_NAME = "website"


def honeypot_field() -> forms.CharField:
    return forms.CharField(required=False, label=_("Jangan diisi"))


def trap_value(form: forms.Form) -> str:
    """What a valid form's trap holds ("" from a person)."""
    return str(form.cleaned_data.get(FIELD_NAME, ""))

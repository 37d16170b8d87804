"""A service's ValidationError becomes form errors, whatever names it uses; never a 500."""

from django import forms
from django.core.exceptions import ValidationError

from mutu.core.http import save_through_service


class _Form(forms.Form):
    name = forms.CharField()


def _raise(error):
    def call():
        raise error

    return call


def test_errors_for_known_fields_land_on_the_field_and_others_on_top():
    form = _Form({"name": "x"})
    assert form.is_valid()
    error = ValidationError({"name": "Nama sudah dipakai.", "waktu": "Jawaban harus 1 sampai 4."})
    assert save_through_service(form, _raise(error)) is None
    assert form.errors["name"] == ["Nama sudah dipakai."]
    assert form.non_field_errors() == ["Jawaban harus 1 sampai 4."]


def test_a_plain_error_goes_on_top_and_a_result_is_passed_through():
    form = _Form({"name": "x"})
    form.is_valid()
    assert save_through_service(form, _raise(ValidationError("Periode ditutup."))) is None
    assert form.non_field_errors() == ["Periode ditutup."]
    assert save_through_service(_Form({"name": "y"}), lambda: 42) == 42

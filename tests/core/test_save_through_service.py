"""A service's ValidationError becomes form errors, whatever names it uses; never a 500. The
form helpers of every view (form_post, form_page) are built on it."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from mutu.core.http import form_post, save_through_service


class _Form(forms.Form):
    name = forms.CharField()


def _raise(error):
    def call(*args):
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


# --- form_post / form_page: the skeleton of a form saved by a service ------------------------


def _post(rf, data):
    request = rf.post("/x/", data)
    request._messages = CookieStorage(request)
    return request


def _answer(label):
    return lambda *args: HttpResponse(label)


def test_form_post_saves_says_and_sends_on(rf):
    request = _post(rf, {"name": "Dinas"})
    saved = []
    reply = form_post(
        request,
        _Form(request.POST),
        save=lambda data: saved.append(data["name"]) or "row",
        success=lambda row: f"{row} disimpan.",
        then=_answer("next"),
        again=_answer("again"),
    )
    assert reply.content == b"next" and saved == ["Dinas"]
    assert [str(m) for m in get_messages(request)] == ["row disimpan."]


def test_form_post_shows_the_page_again_with_the_refusal_and_says_nothing(rf):
    request = _post(rf, {"name": "Dinas"})
    shown = []
    reply = form_post(
        request,
        _Form(request.POST),
        save=_raise(ValidationError({"name": "Nama sudah dipakai."})),
        success="tidak terbaca",
        then=_answer("next"),
        again=lambda form: shown.append(form.errors["name"]) or HttpResponse("again"),
    )
    assert reply.content == b"again" and shown == [["Nama sudah dipakai."]]
    assert list(get_messages(request)) == []


def test_form_post_does_not_call_the_service_for_an_invalid_form(rf):
    request = _post(rf, {"name": ""})
    reply = form_post(
        request,
        _Form(request.POST),
        save=_raise(AssertionError("the service must not run")),
        success="",
        then=_answer("next"),
        again=_answer("again"),
    )
    assert reply.content == b"again"

"""Stored as given (issue 11, item 12): a list or an object where one answer is expected is
refused naming the field, never stored as its Python repr; the API refuses fields it does not
know; the web form, the API and the kiosk all refuse an answer to a retired question."""

import pytest
from django.urls import reverse

from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys import services
from mutu.surveys.models import KioskDevice, Response
from tests.factories import member
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory
from tests.surveys.json_intake import DEVICE, json_payload, post_api, post_kiosk

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat():
    seat = PeriodUnitFactory()
    head = member(Role.UNIT_HEAD, unit=seat.unit)
    for kind, text in [("text", "Usul Anda"), ("scale", "Ruang tunggu nyaman.")]:
        services.extra_question_add(
            member=seat, actor=head, kind=kind, text=text, choices=[], required=False
        )
    seat.head = head
    return seat


@pytest.fixture
def link(seat):
    return SurveyLinkFactory(unit=seat.unit)


@pytest.fixture
def kiosk(seat):
    return KioskDevice.objects.create(unit=seat.unit, name="Tablet")


STRUCTURED = [["a", "b"], {"a": 1}, True]


@pytest.mark.parametrize("value", STRUCTURED, ids=repr)
@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        (lambda v: {"extra": {"q1": v}}, "extra.q1"),
        (lambda v: {"extra": {"q2": v}}, "extra.q2"),
        (lambda v: {"suggestion": v}, "suggestion"),
        (lambda v: {"profile": {"gender": v}}, "profile.gender"),
        (lambda v: {"answers": dict.fromkeys(UNSUR_CODES, 3) | {"waktu": v}}, "answers.waktu"),
    ],
    ids=["extra-text", "extra-scale", "suggestion", "profile", "unsur"],
)
def test_api_refuses_a_list_or_object_for_one_answer_and_names_it(
    client, link, value, overrides, path
):
    response = post_api(client, link, json_payload(**overrides(value)))
    assert response.status_code == 400, response.content
    assert path in response.json()["fields"]
    assert not Response.objects.exists()


@pytest.mark.parametrize("value", STRUCTURED, ids=repr)
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (lambda v: {"extra": {"q1": v}}, "extra.q1"),
        (lambda v: {"profile": {"suggestion": v}}, "suggestion"),
    ],
    ids=["extra-text", "suggestion"],
)
def test_kiosk_refuses_a_list_or_object_for_one_answer(client, kiosk, value, overrides, field):
    response = post_kiosk(client, kiosk, json_payload(**overrides(value)))
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert not Response.objects.exists()


def test_text_is_stored_exactly_as_sent(client, link):
    text = "Antrean <b>panjang</b> ['a'] {\"x\": 1}"
    assert (
        post_api(client, link, json_payload(extra={"q1": text}, suggestion=text)).status_code == 201
    )
    stored = Response.objects.get()
    assert stored.extra["q1"] == text and stored.suggestion == text


@pytest.mark.parametrize("unknown", ["clientid", "answer", "extras", "is_admin", "id"])
def test_api_refuses_fields_it_does_not_know_and_names_them(client, link, unknown):
    response = post_api(client, link, json_payload(**{unknown: 1}))
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == [unknown]
    assert not Response.objects.exists()


# --- retired questions: refused alike everywhere -----------------------------------------------


def _retire_q1(seat):
    services.extra_question_retire(member=seat, actor=seat.head, question_id="q1")


def test_api_refuses_an_answer_to_a_retired_question(client, seat, link):
    _retire_q1(seat)
    response = post_api(client, link, json_payload(extra={"q1": "Usul lama", "q2": 3}))
    assert response.status_code == 400
    assert "extra.q1" in response.json()["fields"]
    assert not Response.objects.exists()


def test_kiosk_refuses_an_answer_to_a_retired_question(client, seat, kiosk):
    _retire_q1(seat)
    response = post_kiosk(client, kiosk, json_payload(extra={"q1": "Usul lama"}))
    assert response.status_code == 400
    assert "extra.q1" in response.json()["fields"]
    assert not Response.objects.exists()


def test_web_form_refuses_an_answer_to_a_retired_question_and_shows_the_form_again(
    client, seat, link
):
    """A citizen who opened the page before the question was retired: told, shown the current
    questions with the other answers kept, and the second press stores them."""
    url = reverse("surveys:form", args=[link.token])
    data = {f"u_{code}": "3" for code in UNSUR_CODES} | {"consent": "on", "x_q2": "4"}
    _retire_q1(seat)

    refused = client.post(url, data | {"x_q1": "Usul lama"}, **DEVICE)

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "tidak ditanyakan lagi" in html
    assert 'name="x_q1"' not in html and 'name="x_q2"' in html
    assert not Response.objects.exists()
    assert client.post(url, data, **DEVICE).status_code == 302
    assert Response.objects.get().extra == {"q2": 4}


def test_web_form_ignores_an_empty_field_of_a_retired_question(client, seat, link):
    url = reverse("surveys:form", args=[link.token])
    data = {f"u_{code}": "3" for code in UNSUR_CODES} | {"consent": "on", "x_q1": ""}
    _retire_q1(seat)
    assert client.post(url, data, **DEVICE).status_code == 302

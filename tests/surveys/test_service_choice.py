"""A unit-level QR code asks which service was used when the unit has several (issue 12 item
9), so that per-service results fill from unit posters too; "Tidak tahu / lainnya" is allowed.
The web form, its page cache and the JSON API."""

import json
import uuid

import pytest
from django.urls import reverse

from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys import selectors
from mutu.surveys.models import Response
from tests.factories import ServiceFactory
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat():
    seat = PeriodUnitFactory()
    ServiceFactory(unit=seat.unit, name="KTP-el")
    ServiceFactory(unit=seat.unit, name="Kartu Keluarga")
    ServiceFactory(unit=seat.unit, name="Akta lama", is_active=False)
    return seat


@pytest.fixture
def link(seat):
    return SurveyLinkFactory(unit=seat.unit)


def _answers(**extra):
    return {f"u_{code}": "3" for code in UNSUR_CODES} | {"consent": "on"} | extra


def _service(seat, name):
    return seat.unit.services.get(name=name)


def test_unit_level_form_asks_for_one_of_the_active_services(client, seat, link):
    html = client.get(reverse("surveys:form", args=[link.token])).content.decode()
    assert '<select name="service" id="id_service">' in html
    assert "Layanan yang Anda gunakan" in html and "Tidak tahu / lainnya" in html
    ktp = _service(seat, "KTP-el")
    assert f'<option value="{ktp.pk}">KTP-el</option>' in html
    assert "Kartu Keluarga" in html and "Akta lama" not in html


def test_the_picked_service_is_stored_and_fills_the_per_service_sample(client, seat, link):
    url = reverse("surveys:form", args=[link.token])
    kk = _service(seat, "Kartu Keluarga")
    assert client.post(url, _answers(service=str(kk.pk))).status_code == 302
    assert client.post(url, _answers(service=""), HTTP_USER_AGENT="hp 2").status_code == 302
    assert list(Response.objects.order_by("id").values_list("service_id", flat=True)) == [
        kk.pk,
        None,
    ]
    samples = {
        s.service.name: s.respondents for s in selectors.service_samples(seat.period, seat.unit_id)
    }
    assert samples == {"Kartu Keluarga": 1, "KTP-el": 0}


def test_another_units_or_retired_service_is_refused_and_nothing_stored(client, seat, link):
    url = reverse("surveys:form", args=[link.token])
    elsewhere = ServiceFactory()
    retired = seat.unit.services.get(is_active=False)
    for bad in (str(elsewhere.pk), str(retired.pk), "abc", "1.000.000"):
        page = client.post(url, _answers(service=bad))
        assert page.status_code == 200
        assert "Pilih layanan dari daftar" in page.content.decode()
    assert Response.objects.count() == 0


def test_no_select_for_a_service_link_or_a_unit_with_one_service(client, seat):
    ktp = _service(seat, "KTP-el")
    service_link = SurveyLinkFactory(unit=seat.unit, service=ktp)
    html = client.get(reverse("surveys:form", args=[service_link.token])).content.decode()
    assert 'name="service"' not in html
    # a service link keeps its own service, whatever is posted
    other = _service(seat, "Kartu Keluarga")
    client.post(reverse("surveys:form", args=[service_link.token]), _answers(service=other.pk))
    assert Response.objects.get().service_id == ktp.pk
    lone = PeriodUnitFactory()
    ServiceFactory(unit=lone.unit)
    lone_link = SurveyLinkFactory(unit=lone.unit)
    assert (
        'name="service"'
        not in client.get(reverse("surveys:form", args=[lone_link.token])).content.decode()
    )


def test_the_cached_form_follows_the_units_services(client, seat, link):
    url = reverse("surveys:form", args=[link.token])
    assert "Legalisir" not in client.get(url).content.decode()  # now cached
    added = ServiceFactory(unit=seat.unit, name="Legalisir")
    assert "Legalisir" in client.get(url).content.decode()
    added.name = "Legalisir dokumen"
    added.save()
    assert "Legalisir dokumen" in client.get(url).content.decode()
    added.is_active = False
    added.save()
    page = client.get(url).content.decode()
    assert "Legalisir" not in page and "KTP-el" in page
    # a posted choice is judged against the current services too
    client.post(url, _answers(service=str(added.pk)))
    assert Response.objects.count() == 0


# --- the JSON API -----------------------------------------------------------------------------


def _submit(client, link, **extra):
    payload = {
        "client_id": str(uuid.uuid4()),
        "answers": dict.fromkeys(UNSUR_CODES, 3),
        "consent": True,
    } | extra
    url = reverse("api:survey_submit", args=[link.token])
    return client.post(url, json.dumps(payload), content_type="application/json")


def test_api_instrument_lists_the_services_to_pick_from(client, seat, link):
    body = client.get(reverse("api:survey_instrument", args=[link.token])).json()
    assert [s["name"] for s in body["services"]] == ["Kartu Keluarga", "KTP-el"]
    assert body["services"][0]["id"] == _service(seat, "Kartu Keluarga").pk


def test_api_stores_a_picked_service_of_the_unit(client, seat, link):
    ktp = _service(seat, "KTP-el")
    assert _submit(client, link, service=ktp.pk).status_code == 201
    assert _submit(client, link, service=None).status_code == 201
    assert _submit(client, link).status_code == 201
    assert sorted(Response.objects.values_list("service_id", flat=True), key=str) == sorted(
        [ktp.pk, None, None], key=str
    )


@pytest.mark.parametrize("bad", ["other unit", "retired", "text", "zero"])
def test_api_refuses_a_service_not_of_the_unit(client, seat, link, bad):
    value = {
        "other unit": ServiceFactory().pk,
        "retired": seat.unit.services.get(is_active=False).pk,
        "text": "KTP-el",
        "zero": 0,
    }[bad]
    response = _submit(client, link, service=value)
    assert response.status_code == 400
    assert "service" in response.json()["fields"]
    assert Response.objects.count() == 0


def test_api_refuses_another_service_on_a_service_link(client, seat):
    ktp, kk = _service(seat, "KTP-el"), _service(seat, "Kartu Keluarga")
    service_link = SurveyLinkFactory(unit=seat.unit, service=ktp)
    assert _submit(client, service_link, service=kk.pk).status_code == 400
    assert _submit(client, service_link, service=ktp.pk).status_code == 201
    assert Response.objects.get().service_id == ktp.pk


def test_api_submission_with_a_service_stays_within_seven_queries(
    client, seat, link, django_assert_max_num_queries
):
    client.get(reverse("api:survey_instrument", args=[link.token]))
    ktp = _service(seat, "KTP-el")
    with django_assert_max_num_queries(7):  # the usual six and the service's own check
        assert _submit(client, link, service=ktp.pk).status_code == 201

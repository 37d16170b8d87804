"""An old QR code (its link rotated) lands on a human page that names the unit and sends the
citizen to the counter (issue 12 item 8); an unknown token names nothing."""

import pytest
from django.urls import reverse

from mutu.surveys import services
from mutu.surveys.models import Response
from tests.factories import ServiceFactory
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_link():
    seat = PeriodUnitFactory(unit__name="Dinas Kependudukan dan Pencatatan Sipil")
    link = SurveyLinkFactory(unit=seat.unit, service=ServiceFactory(unit=seat.unit, name="KTP-el"))
    services.link_rotate(link=link, actor=None)
    return link


@pytest.mark.parametrize("name", ["surveys:form", "surveys:thanks"])
def test_old_qr_code_is_gone_with_a_page_naming_the_unit(client, old_link, name):
    page = client.get(reverse(name, args=[old_link.token]) + "?qr=1")
    assert page.status_code == 410
    html = page.content.decode()
    assert "Kode QR ini sudah tidak berlaku" in html
    assert "Dinas Kependudukan dan Pencatatan Sipil" in html and "KTP-el" in html
    assert "petugas di loket" in html
    assert "<script" not in html and 'name="viewport"' in html  # no JS, phone-sized
    fresh = old_link.unit.survey_links.get(is_active=True)
    assert fresh.token not in html  # the new code is asked for at the counter, never linked


def test_answers_sent_to_an_old_code_are_not_stored(client, old_link):
    data = {"consent": "on"}
    page = client.post(reverse("surveys:form", args=[old_link.token]), data)
    assert page.status_code == 410 and Response.objects.count() == 0


def test_unknown_token_is_a_plain_not_found(client, old_link):
    for name in ("surveys:form", "surveys:thanks"):
        page = client.get(reverse(name, args=["tidakadatokenini"]))
        assert page.status_code == 404
        html = page.content.decode()
        assert old_link.unit.name not in html and "Kode QR" not in html

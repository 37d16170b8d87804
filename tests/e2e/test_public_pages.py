"""Issue 12 items 8 and 9 on a phone: a unit poster asks which service was used, an old
(rotated) QR code lands on a page that names the unit, the public results say when the sample
is below target. Without JavaScript; axe checks each page (in a context that has it)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from mutu.surveys import services
from mutu.surveys.models import PeriodUnit, Response, SurveyLink, SurveyPeriod
from tests.e2e.questionnaire import answer_and_send
from tests.factories import PemdaFactory, ServiceFactory, UnitFactory
from tests.surveys.factories import add_responses, uniform_row

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def world():
    unit = UnitFactory(pemda=PemdaFactory(), name="Dinas Kependudukan dan Pencatatan Sipil")
    ServiceFactory(unit=unit, name="KTP-el")
    ServiceFactory(unit=unit, name="Kartu Keluarga")
    today = timezone.localdate()
    period = SurveyPeriod.objects.create(
        pemda=unit.pemda,
        name="Semester II",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        status=SurveyPeriod.Status.OPEN,
    )
    PeriodUnit.objects.create(period=period, unit=unit, population=1000)
    return {"unit": unit, "period": period, "link": SurveyLink.objects.create(unit=unit)}


def _checked_with_js(browser, url, assert_accessible, screenshot=None):
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    page.goto(url)
    if screenshot:
        page.screenshot(path=str(screenshot), full_page=True)
    assert_accessible(page)
    context.close()


def test_unit_poster_asks_the_service_and_an_old_code_names_the_unit(
    live_server, browser, world, assert_accessible, tmp_path
):
    url = live_server.url + reverse("surveys:form", args=[world["link"].token]) + "?qr=1"
    phone = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="id-ID")
    citizen = phone.new_page()
    citizen.goto(url)
    _checked_with_js(browser, url, assert_accessible)
    citizen.get_by_label(re.compile("Layanan yang Anda gunakan")).select_option(
        label="Kartu Keluarga"
    )
    answer_and_send(citizen)
    citizen.wait_for_url(re.compile(r"/terima-kasih/$"))
    assert Response.objects.get().service.name == "Kartu Keluarga"

    # The poster is replaced: its old code lands on a page that names the unit.
    services.link_rotate(link=world["link"], actor=None)
    gone = citizen.goto(url)
    assert gone is not None and gone.status == 410
    assert citizen.get_by_role("heading", name="Kode QR ini sudah tidak berlaku").is_visible()
    assert citizen.get_by_text(re.compile("minta kode QR atau tautan yang baru")).is_visible()
    assert citizen.get_by_role("heading", name=world["unit"].name).is_visible()
    width = citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone
    _checked_with_js(browser, url, assert_accessible, _artefact(tmp_path, "old-qr-code.png"))
    phone.close()


def test_public_results_say_the_sample_is_below_target(
    live_server, browser, world, assert_accessible
):
    period = world["period"]
    period.status = SurveyPeriod.Status.CLOSED
    period.save()
    Response.objects.all().delete()
    add_responses(period, world["unit"], [uniform_row(3)] * 12)
    url = live_server.url + reverse("surveys:public_results", args=[world["unit"].pk])
    phone = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="id-ID")
    citizen = phone.new_page()
    citizen.goto(url)
    assert citizen.get_by_text("Sampel belum memenuhi target (12 dari 278)").is_visible()
    phone.close()
    _checked_with_js(browser, url, assert_accessible)


def _artefact(tmp_path: Path, name: str) -> Path:
    return tmp_path / name

"""The landing page after login on a phone (390 px) and an office screen (1366 px): a bar and a
text value per unit, nothing wider than the screen, axe clean (issue 12 item 11)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mutu.core.roles import Role
from mutu.surveys.models import SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member
from tests.surveys.factories import (
    PeriodUnitFactory,
    SurveyPeriodFactory,
    add_responses,
    uniform_row,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "sandi-uji-123"
UNITS = (
    ("Dinas Kependudukan dan Pencatatan Sipil", 400, 4, 3, 140),
    ("Dinas Perhubungan", 120, 4, 2, 60),
    ("RSUD Ratu Aji Putri Botung", 2000, 3, 3, 90),
    ("Kecamatan Penajam", None, 3, 3, 12),
)


@pytest.fixture
def world():
    pemda = PemdaFactory()
    now = SurveyPeriodFactory(pemda=pemda, name="Semester II 2026")
    before = SurveyPeriodFactory(
        pemda=pemda,
        name="Semester I 2026",
        status=SurveyPeriod.Status.CLOSED,
        starts_on=now.starts_on - timedelta(days=200),
        ends_on=now.starts_on - timedelta(days=1),
        closed_at=timezone.now(),
    )
    units = []
    for name, population, value_before, value_now, n in UNITS:
        unit = UnitFactory(pemda=pemda, name=name)
        units.append(unit)
        PeriodUnitFactory(period=before, unit=unit, population=population)
        add_responses(before, unit, [uniform_row(value_before)] * 20)
        PeriodUnitFactory(period=now, unit=unit, population=population)
        add_responses(now, unit, [uniform_row(value_now)] * n)
    return {
        "admin": member(Role.PEMDA_ADMIN, pemda=pemda),
        "operator": member(Role.UNIT_OPERATOR, unit=units[1]),
    }


def _login(page, base, email):
    page.goto(base + reverse("login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dasbor/$"))


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("who", ["admin", "operator"])
def test_the_dashboard_fits_and_reads_at_phone_and_desktop_width(
    live_server, browser, world, who, width, tmp_path, assert_accessible
):
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        _login(page, live_server.url, world[who].email)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
        if width > 1200:  # the menu is open: the language choice keeps its words (it shrank)
            select = page.locator("#lang-select")
            assert select.evaluate(
                "el => el.scrollWidth <= el.clientWidth + 1 && el.clientWidth > 80"
            )
        if who == "admin":
            bar = page.get_by_role("progressbar", name="Kemajuan sampel Dinas Perhubungan")
            assert bar.is_visible()
            assert page.get_by_text("60 dari 92 responden (65%)").is_visible()
            page.get_by_role("link", name="Dinas Perhubungan").first.click()
            page.wait_for_url(re.compile(r"/survei/periode/\d+/unit/\d+/$"))
        else:
            page.get_by_role("link", name="Isi kuesioner kertas Dinas Perhubungan").click()
            page.wait_for_url(re.compile(r"/kertas/$"))
        page.go_back()
        page.screenshot(path=str(tmp_path / f"dasbor-{who}-{width}.png"), full_page=True)
    finally:
        context.close()

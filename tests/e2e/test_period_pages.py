"""The Pemda admin closes a period on a browser without JavaScript: a confirmation page says
what follows, and only its button closes it. The period pages fit a 390 px phone."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from mutu.core.roles import Role
from mutu.surveys.models import PeriodUnit, SurveyLink, SurveyPeriod
from tests.e2e.test_skm_flow import _login
from tests.factories import PemdaFactory, RegionFactory, UnitFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE_WIDTH = 390


@pytest.fixture
def period_world():
    pemda = PemdaFactory(region=RegionFactory(code="64.09", name="Kabupaten Penajam Paser Utara"))
    today = timezone.localdate()
    period = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester II 2026",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        status=SurveyPeriod.Status.OPEN,
    )
    SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester I 2026",
        starts_on=today - timedelta(days=220),
        ends_on=today - timedelta(days=31),
        status=SurveyPeriod.Status.CLOSED,
    )
    names = [
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "UPTD Puskesmas Waru",
    ]
    units = [UnitFactory(pemda=pemda, name=name) for name in names]
    for unit in units:
        PeriodUnit.objects.create(period=period, unit=unit, population=1000)
    return {
        "period": period,
        "link": SurveyLink.objects.create(unit=units[1], label="Loket 1"),
        "unit": units[1],
        "admin": member(Role.PEMDA_ADMIN, pemda=pemda),
    }


def test_closing_a_period_without_javascript_asks_first(
    live_server, browser, period_world, tmp_path
):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    _login(page, live_server.url, period_world["admin"].email)
    period = period_world["period"]
    page.goto(live_server.url + reverse("surveys:period_detail", args=[period.pk]))
    page.get_by_role("button", name="Tutup dan terbitkan").click()

    assert page.get_by_role("heading", name="Tutup dan terbitkan Semester II 2026?").is_visible()
    assert page.get_by_text("langsung diterbitkan di halaman hasil publik").is_visible()
    assert page.get_by_text("3 unit belum mencapai target sampel").is_visible()
    page.screenshot(path=str(_shots_dir(tmp_path) / "confirm-close.png"), full_page=True)
    period.refresh_from_db()
    assert period.status == SurveyPeriod.Status.OPEN  # nothing happened yet

    page.get_by_role("button", name="Ya, tutup dan terbitkan").click()
    page.wait_for_url(re.compile(rf"/survei/periode/{period.pk}/$"))
    period.refresh_from_db()
    assert period.status == SurveyPeriod.Status.CLOSED
    assert page.locator(".badge", has_text="Ditutup").is_visible()
    context.close()


def _shots_dir(tmp_path: Path) -> Path:
    """Screenshots go to MUTU_E2E_SHOTS when set (to look at them), else to the test's tmp."""
    target = Path(os.environ.get("MUTU_E2E_SHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_period_pages_fit_a_390px_phone(
    live_server, browser, period_world, tmp_path, assert_accessible
):
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844}, locale="id-ID")
    page = context.new_page()
    _login(page, live_server.url, period_world["admin"].email)
    period, unit = period_world["period"], period_world["unit"]
    pages = {
        "period_list": reverse("surveys:period_list"),
        "period_detail": reverse("surveys:period_detail", args=[period.pk]),
        "unit_detail": reverse("organisations:unit_detail", args=[unit.pk]),
    }
    shots = _shots_dir(tmp_path)
    for name, url in pages.items():
        page.goto(live_server.url + url)
        page.screenshot(path=str(shots / f"{name}-390.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{name} scrolls sideways: {width} px"
        assert_accessible(page)
    # On the phone each period is a card whose cells say which column they are.
    page.goto(live_server.url + pages["period_list"])
    assert page.locator("td[data-label='Status']").first.is_visible()
    assert page.locator("thead").first.bounding_box()["height"] <= 1  # read by screen readers only
    context.close()


def test_rotating_a_link_warns_about_printed_posters(
    live_server, page, period_world, assert_accessible
):
    link = period_world["link"]
    _login(page, live_server.url, period_world["admin"].email)
    page.goto(live_server.url + reverse("surveys:link_list", args=[period_world["unit"].pk]))
    assert page.get_by_label("Kode HTML").is_visible()  # the badge code, for staff
    assert_accessible(page)
    page.get_by_role("button", name="Ganti tautan").click()
    warning = "Semua poster QR yang sudah dicetak untuk tautan ini tidak akan berfungsi lagi."
    assert page.get_by_text(warning).is_visible()
    assert_accessible(page)
    link.refresh_from_db()
    assert link.is_active
    page.get_by_role("button", name="Ya, ganti tautan").click()
    page.wait_for_url(re.compile(r"/tautan/$"))
    link.refresh_from_db()
    assert not link.is_active

"""A citizen scans the printed QR code, answers on a phone without JavaScript, and the unit
head sees the new IKM. The QR code is read from a screenshot of the poster with zbarimg."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mutu.core.roles import Role
from mutu.indices.ikm import compute_ikm
from mutu.surveys.models import PeriodUnit, Response, SurveyLink, SurveyPeriod
from tests.factories import PemdaFactory, RegionFactory, UnitFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "sandi-uji-123"


@pytest.fixture
def skm_world():
    pemda = PemdaFactory(region=RegionFactory(code="64.09", name="Kabupaten PPU"))
    unit = UnitFactory(pemda=pemda, name="Dinas Kependudukan dan Pencatatan Sipil")
    today = timezone.localdate()
    period = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester II",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        status=SurveyPeriod.Status.OPEN,
    )
    PeriodUnit.objects.create(period=period, unit=unit, population=1000)
    link = SurveyLink.objects.create(unit=unit)
    head = member(Role.UNIT_HEAD, unit=unit)
    return {"unit": unit, "period": period, "link": link, "head": head}


def _login(page, base, email):
    page.goto(base + reverse("login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dasbor/$"))


def _read_qr(png_path) -> str:
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.fail("zbarimg is required to read the printed QR code: apt-get install zbar-tools")
    out = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(png_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return out.stdout.strip()


def test_citizen_answers_from_the_poster_and_the_head_sees_the_ikm(
    live_server, page, browser, skm_world, tmp_path, assert_accessible
):
    _login(page, live_server.url, skm_world["head"].email)
    page.goto(live_server.url + reverse("surveys:link_poster", args=[skm_world["link"].pk]))
    poster = tmp_path / "poster.png"
    page.locator("img.qr").screenshot(path=str(poster))
    url = _read_qr(poster)
    assert url.startswith(live_server.url) and skm_world["link"].token in url

    phone = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    )  # a basic phone: no JavaScript
    citizen = phone.new_page()
    citizen.goto(url)
    assert_accessible_without_js(citizen, browser, url, assert_accessible)
    words = (
        "Sangat sesuai",
        "Sangat mudah",
        "Sangat cepat",
        "Gratis",
        "Sangat sesuai",
        "Sangat kompeten",
        "Sangat sopan dan ramah",
        "Sangat baik",
        "Dikelola dengan baik",
    )
    for index, word in enumerate(words):
        question = citizen.locator("fieldset").nth(index)
        question.locator("label").filter(has_text=re.compile(rf"^\s*{word}\s*$")).click()
    citizen.get_by_label("Jenis kelamin").select_option("P")
    citizen.get_by_label(re.compile("Saya setuju")).check()
    citizen.get_by_role("button", name="Kirim jawaban").click()
    citizen.wait_for_url(re.compile(r"/terima-kasih/$"))
    assert citizen.get_by_role("heading", name="Terima kasih!").is_visible()
    phone.close()

    stored = Response.objects.get(unit=skm_world["unit"])
    assert stored.channel == "qr" and stored.gender == "P" and stored.answers.count() == 9
    expected = compute_ikm(
        dict.fromkeys(stored.answers.values_list("unsur", flat=True), 4),
        dict.fromkeys(stored.answers.values_list("unsur", flat=True), 1),
    )
    page.goto(
        live_server.url
        + reverse("surveys:unit_result", args=[skm_world["period"].pk, skm_world["unit"].pk])
    )
    assert expected.score_display == "100,00"
    assert page.get_by_text(expected.score_display, exact=True).is_visible()
    assert page.get_by_text("Mutu A — Sangat Baik").is_visible()
    assert_accessible(page)


def assert_accessible_without_js(citizen, browser, url, assert_accessible):
    """axe needs JavaScript: check the same page in a phone context that has it."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    checked = context.new_page()
    checked.goto(url)
    assert_accessible(checked)
    context.close()
    # The only script is the deferred proof-of-work, which this phone does not run.
    assert citizen.locator("script").count() == 1


def test_wrong_input_on_the_phone_keeps_the_answers_and_stores_nothing(
    live_server, browser, skm_world
):
    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    citizen = phone.new_page()
    citizen.goto(live_server.url + reverse("surveys:form", args=[skm_world["link"].token]))
    citizen.locator("label").filter(has_text=re.compile(r"^\s*Sesuai\s*$")).first.click()
    citizen.get_by_role("button", name="Kirim jawaban").click()
    assert citizen.get_by_role("alert").is_visible()
    assert citizen.get_by_text("Pilih salah satu jawaban.").first.is_visible()
    assert citizen.locator("input[name=u_persyaratan][value='3']").is_checked()
    assert Response.objects.count() == 0
    phone.close()

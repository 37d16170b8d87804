"""Paper forms in a browser (issue 12 item 5): the operator types a form with digits only (the
cursor moves by itself), and the same file imported twice is refused with a message."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.models import ImportJob
from mutu.surveys.models import Response
from tests.e2e.test_skm_flow import PASSWORD, _login, skm_world  # noqa: F401 - shared fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _staff(world):
    world["head"].set_password(PASSWORD)
    world["head"].save()
    return world["head"]


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_each_digit_moves_the_cursor_to_the_next_box(
    live_server,
    page,
    skm_world,  # noqa: F811
    assert_accessible,
):
    _login(page, live_server.url, _staff(skm_world).email)
    args = [skm_world["period"].pk, skm_world["unit"].pk]
    page.goto(live_server.url + reverse("surveys:paper_entry", args=args))
    assert page.get_by_text("1. Persyaratan", exact=True).is_visible()
    assert page.get_by_text("9. Penanganan pengaduan, saran dan masukan", exact=True).is_visible()
    assert _focused_id(page) == "id_paper_number"  # the page opens at the form's number
    assert_accessible(page)

    page.keyboard.type("101")
    page.keyboard.press("Tab")
    assert _focused_id(page) == "id_u_persyaratan"
    page.keyboard.type("7")  # not an answer: the cursor stays to be corrected
    assert _focused_id(page) == "id_u_persyaratan"
    page.keyboard.press("Backspace")
    digits = "342134423"
    for code, digit in zip(UNSUR_CODES, digits, strict=True):
        assert _focused_id(page) == f"id_u_{code}"
        page.keyboard.type(digit)
    assert _focused_id(page) == "id_trust"  # after unsur 9, the trust question
    page.keyboard.type("4")
    assert _focused_id(page) == "id_served_on"  # then the service date and the profile
    page.keyboard.press("Enter")

    expect(page.get_by_text("Formulir tersimpan.")).to_be_visible()
    stored = Response.objects.get()
    assert (stored.paper_number, stored.trust) == ("101", 4)
    answers = dict(stored.answers.values_list("unsur", "value"))
    assert [answers[code] for code in UNSUR_CODES] == [int(d) for d in digits]


def test_the_same_file_imported_twice_is_refused_with_a_message(
    live_server,
    page,
    skm_world,  # noqa: F811
    tmp_path,
):
    _login(page, live_server.url, _staff(skm_world).email)
    today = f"{timezone.localdate():%Y-%m-%d}"
    upload = tmp_path / "kertas-minggu-1.csv"
    upload.write_text(
        "nomor_kuesioner,tanggal_layanan," + ",".join(UNSUR_CODES) + "\n"
        f"1,{today}," + ",".join("3" * 9) + "\n"
        f"2,{today}," + ",".join("4" * 9) + "\n"
    )
    args = [skm_world["period"].pk, skm_world["unit"].pk]
    url = live_server.url + reverse("surveys:paper_import", args=args)

    page.goto(url)
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Impor", exact=True).click()
    page.wait_for_url(re.compile(r"/impor/\d+/$"))
    assert page.get_by_text("2 baris diimpor.").is_visible()  # the job ran to its end
    assert ImportJob.objects.get().status == "done"

    page.goto(url)
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Impor", exact=True).click()

    refusal = page.get_by_text(re.compile("Berkas yang sama sudah diimpor ke sini pada"))
    assert refusal.is_visible()
    assert "2 baris tersimpan" in refusal.inner_text()
    assert page.url == url  # still on the upload page: nothing queued
    assert ImportJob.objects.count() == 1 and Response.objects.count() == 2

"""A unit's own questions on a phone: the head adds them, a citizen answers them, axe finds
nothing on either page, and the head sees the answers counted apart from the IKM."""

import re

import pytest
from django.urls import reverse

from mutu.surveys.models import Answer, Response
from tests.e2e.test_skm_flow import PASSWORD, _login, skm_world  # noqa: F401 - shared fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_head_adds_own_questions_and_a_citizen_answers_them(
    live_server,
    page,
    phone,
    skm_world,  # noqa: F811
    assert_accessible,
):
    world = skm_world
    world["head"].set_password(PASSWORD)
    world["head"].save()
    _login(page, live_server.url, world["head"].email)
    questions = reverse("surveys:extra_questions", args=[world["period"].pk, world["unit"].pk])
    page.goto(live_server.url + questions)
    page.get_by_label("Jenis pertanyaan").select_option("choice")
    page.get_by_label("Pertanyaan atau pernyataan").fill("Dari mana Anda tahu layanan ini?")
    page.get_by_label(re.compile("^Pilihan jawaban")).fill("Teman\nMedia sosial\nPapan informasi")
    page.get_by_role("button", name="Tambah").click()
    page.get_by_label("Pertanyaan atau pernyataan").fill("Apa yang perlu diperbaiki?")
    page.get_by_label("Jenis pertanyaan").select_option("text")
    page.get_by_role("button", name="Tambah").click()
    assert page.get_by_role("cell", name="Apa yang perlu diperbaiki?").is_visible()
    assert_accessible(page)

    phone.goto(live_server.url + reverse("surveys:form", args=[world["link"].token]))
    for index in range(9):
        phone.locator("fieldset.unsur").nth(index).locator("label").nth(2).click()
    phone.get_by_label("Media sosial").check()
    phone.get_by_label(re.compile("Apa yang perlu diperbaiki")).fill("Papan antrean")
    assert_accessible(phone)
    phone.get_by_label(re.compile("Saya setuju")).check()
    phone.get_by_role("button", name="Kirim jawaban").click()
    phone.wait_for_url(re.compile(r"/terima-kasih/$"))
    assert Response.objects.get().extra == {"q1": 2, "q2": "Papan antrean"}
    assert Answer.objects.count() == 9

    page.goto(
        live_server.url
        + reverse("surveys:unit_result", args=[world["period"].pk, world["unit"].pk])
    )
    assert page.get_by_role("heading", name="Dari mana Anda tahu layanan ini?").is_visible()
    assert page.get_by_text("“Papan antrean”").is_visible()
    assert_accessible(page)

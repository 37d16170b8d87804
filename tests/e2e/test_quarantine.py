"""Issue 12, item 1, in the browser: the Pemda admin ticks responses (ids past a million),
writes one reason and quarantines them; the unit head is given no quarantine button and asks
for a review instead, which the admin then sees. The unit head's side runs without JavaScript;
the admin's with it, so axe can check the page."""

import pytest
from django.urls import reverse

from mutu.core.roles import Role
from mutu.surveys.models import Response, ReviewRequest
from tests.e2e.test_skm_flow import _login
from tests.factories import member
from tests.surveys.factories import PeriodUnitFactory, add_responses, uniform_row

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_quarantines_and_the_unit_head_may_only_ask_for_a_review(
    live_server, browser, assert_accessible
):
    link = PeriodUnitFactory()
    period, unit = link.period, link.unit
    responses = add_responses(period, unit, [uniform_row(v) for v in (4, 3, 1)])
    assert all(r.pk > 1_000_000 for r in responses)
    admin = member(Role.PEMDA_ADMIN, pemda=period.pemda)
    head = member(Role.UNIT_HEAD, pemda=period.pemda, unit=unit)
    url = live_server.url + reverse("surveys:response_list", args=[period.pk, unit.pk])

    context = browser.new_context(locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    _login(page, live_server.url, head.email)
    page.goto(url)
    assert page.get_by_role("button", name="Karantina yang dicentang").count() == 0
    page.locator(f'input[name="response"][value="{responses[2].pk}"]').check()
    page.get_by_label("Alasan permintaan tinjauan").fill("responden dari unit lain")
    page.get_by_role("button", name="Minta tinjauan admin Pemda").click()
    page.get_by_text("Permintaan tinjauan dikirim ke admin Pemda.").wait_for()
    assert ReviewRequest.objects.get().response_id == responses[2].pk
    assert not Response.objects.filter(quarantined=True).exists()
    context.close()

    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    _login(page, live_server.url, admin.email)
    page.goto(url + "?tanda=1")
    page.get_by_text("responden dari unit lain").wait_for()
    assert_accessible(page)
    page.goto(url)
    for response in responses[1:]:
        page.locator(f'input[name="response"][value="{response.pk}"]').check()
    page.get_by_label("Alasan (satu untuk semua yang dicentang)").fill("diisi petugas")
    page.get_by_role("button", name="Karantina yang dicentang").click()
    page.get_by_text("Respons dikarantina.").wait_for()
    held = Response.objects.filter(quarantined=True).order_by("pk")
    assert [r.pk for r in held] == [r.pk for r in responses[1:]]
    assert {r.quarantine_reason for r in held} == {"diisi petugas"}
    assert ReviewRequest.objects.get().closed_at is not None
    context.close()

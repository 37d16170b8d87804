"""The counter tablet keeps answers while the network is down and sends each exactly once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mutu.surveys.models import KioskDevice, PeriodUnit, Response, SurveyPeriod
from tests.e2e.questionnaire import answer_and_send
from tests.factories import PemdaFactory, UnitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kiosk():
    unit = UnitFactory(pemda=PemdaFactory(), name="Mal Pelayanan Publik")
    today = timezone.localdate()
    period = SurveyPeriod.objects.create(
        pemda=unit.pemda,
        name="Semester II",
        status="open",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=10),
    )
    PeriodUnit.objects.create(period=period, unit=unit)
    return KioskDevice.objects.create(unit=unit, name="Tablet loket 1")


def _answer(tablet):
    answer_and_send(tablet)


def test_answers_wait_offline_and_arrive_once_back_online(
    live_server, browser, kiosk, assert_accessible
):
    context = browser.new_context(viewport={"width": 800, "height": 1280})
    tablet = context.new_page()
    tablet.goto(live_server.url + reverse("surveys:kiosk", args=[kiosk.token]))
    assert_accessible(tablet)
    context.set_offline(True)
    _answer(tablet)
    tablet.get_by_text("Jaringan terputus").wait_for()
    _answer(tablet)  # a second visitor while still offline
    tablet.get_by_text("(2 jawaban menunggu dikirim)").wait_for()
    assert Response.objects.count() == 0
    # The form was reset for the next visitor.
    assert not tablet.locator("input[name=u_waktu]:checked").count()

    context.set_offline(False)
    tablet.evaluate("window.dispatchEvent(new Event('online'))")
    tablet.get_by_text("Terima kasih! Semua jawaban sudah terkirim.").wait_for()
    assert Response.objects.filter(channel="kiosk", kiosk=kiosk).count() == 2
    assert Response.objects.values("client_id").distinct().count() == 2

    # A reload flushes nothing more: the queue is empty and nothing was counted twice.
    tablet.reload()
    tablet.wait_for_timeout(500)
    assert Response.objects.count() == 2
    context.close()


def test_a_reload_with_no_network_still_shows_the_form_and_counts_once(live_server, browser, kiosk):
    """Item 10: the service worker keeps the kiosk page and its assets; a tablet reloaded (or
    restarted) offline shows the form, queues, and the answer arrives once when back online."""
    context = browser.new_context(viewport={"width": 800, "height": 1280})
    tablet = context.new_page()
    tablet.set_default_timeout(15_000)
    kiosk_url = live_server.url + reverse("surveys:kiosk", args=[kiosk.token])
    tablet.goto(kiosk_url)
    tablet.locator("html[data-offline-ready=true]").wait_for(state="attached")

    context.set_offline(True)
    # The live server is also told to refuse the page: whatever is shown now comes from the
    # worker's copy, not from a request that slipped past the offline switch.
    KioskDevice.objects.filter(pk=kiosk.pk).update(is_active=False)
    reloaded = tablet.reload()
    assert reloaded is not None and reloaded.from_service_worker
    assert tablet.get_by_role("button", name="Kirim jawaban").is_visible()
    assert tablet.evaluate("getComputedStyle(document.body).fontFamily")  # the CSS came too
    _answer(tablet)
    tablet.get_by_text("(1 jawaban menunggu dikirim)").wait_for()
    assert Response.objects.count() == 0

    KioskDevice.objects.filter(pk=kiosk.pk).update(is_active=True)
    context.set_offline(False)
    tablet.evaluate("window.dispatchEvent(new Event('online'))")
    tablet.get_by_text("Terima kasih! Semua jawaban sudah terkirim.").wait_for()
    tablet.evaluate("window.dispatchEvent(new Event('online'))")  # a second flush sends nothing
    tablet.wait_for_timeout(500)
    assert Response.objects.filter(channel="kiosk", kiosk=kiosk).count() == 1
    context.close()


def test_a_restarted_tablet_shows_the_kept_form_but_a_revoked_one_does_not(
    live_server, browser, kiosk
):
    """A new tab with no network (the browser restarted) opens the kept page; once the server
    has refused the page (device revoked), the copy is dropped and stays dropped offline."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": 800, "height": 1280})
    kiosk_url = live_server.url + reverse("surveys:kiosk", args=[kiosk.token])
    tablet = context.new_page()
    tablet.set_default_timeout(15_000)
    tablet.goto(kiosk_url)
    tablet.locator("html[data-offline-ready=true]").wait_for(state="attached")
    tablet.close()

    context.set_offline(True)
    restarted = context.new_page()
    restarted.goto(kiosk_url)
    assert restarted.get_by_role("button", name="Kirim jawaban").is_visible()
    restarted.close()

    context.set_offline(False)
    KioskDevice.objects.filter(pk=kiosk.pk).update(is_active=False)
    revoked = context.new_page()
    assert revoked.goto(kiosk_url).status == 403
    context.set_offline(True)
    with pytest.raises(PlaywrightError):
        revoked.reload()  # nothing kept: the browser's own offline error
    assert not revoked.get_by_role("button", name="Kirim jawaban").count()
    context.close()

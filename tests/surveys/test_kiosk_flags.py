"""Kiosk answers get a device identity (the tablet plus the address it sends from), so the rate
and duplicate flags apply to them, with thresholds that fit one tablet in a service hall
(issue 11, item 3)."""

import json
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.models import KioskDevice, Response
from tests.surveys.factories import PeriodUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat():
    return PeriodUnitFactory()


@pytest.fixture
def kiosk(seat):
    return KioskDevice.objects.create(unit=seat.unit, name="Tablet loket 1")


def _send(client, kiosk, answers, **extra):
    payload = {
        "client_id": str(uuid.uuid4()),
        "answers": answers,
        "profile": {"gender": "L"},
        "consent": True,
    } | extra
    return client.post(
        reverse("surveys:kiosk_submit", args=[kiosk.token]),
        json.dumps(payload),
        content_type="application/json",
        REMOTE_ADDR="10.9.9.9",
    )


def _distinct(n):  # answers no two citizens of the test share
    return dict.fromkeys(UNSUR_CODES, 3) | {
        "waktu": 1 + n % 4,
        "biaya": 1 + n // 4 % 4,
        "sarana": 1 + n // 16 % 4,
    }


def _flags():
    return list(Response.objects.order_by("pk").values_list("flag", flat=True))


def test_identical_answers_in_quick_succession_are_flagged_duplicate(client, kiosk):
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(20):
            assert _send(client, kiosk, dict.fromkeys(UNSUR_CODES, 1)).status_code == 201
    assert _flags() == [""] + ["duplicate"] * 19


def test_a_burst_faster_than_people_answer_is_flagged_rate(client, kiosk):
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(8):
            assert _send(client, kiosk, _distinct(n)).status_code == 201
    assert _flags() == ["", "", ""] + ["rate"] * 5


def test_a_busy_tablet_at_a_human_pace_is_not_flagged(client, kiosk):
    start = timezone.now()
    for n in range(12):  # one citizen every 40 seconds, some giving the same answers
        with time_machine.travel(start + timedelta(seconds=40 * n), tick=False):
            assert _send(client, kiosk, _distinct(n % 4)).status_code == 201
    assert set(_flags()) == {""}


def test_a_queue_sent_at_once_after_an_outage_is_judged_by_when_people_answered(client, kiosk):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        for n in range(8):  # one answer a minute during the outage, all sent now
            answered = (now - timedelta(minutes=10 - n)).isoformat()
            assert _send(client, kiosk, _distinct(n), answered_at=answered).status_code == 201
    assert set(_flags()) == {""}


def test_two_tablets_are_two_devices(client, seat, kiosk):
    other = KioskDevice.objects.create(unit=seat.unit, name="Tablet loket 2")
    with time_machine.travel(timezone.now(), tick=False):
        _send(client, kiosk, dict.fromkeys(UNSUR_CODES, 4))
        _send(client, other, dict.fromkeys(UNSUR_CODES, 4))
    assert _flags() == ["", ""]
    assert len(set(Response.objects.values_list("device_hash", flat=True))) == 2


def test_the_kiosk_form_without_javascript_is_flagged_alike(client, kiosk):
    url = reverse("surveys:kiosk", args=[kiosk.token])
    data = {f"u_{code}": "1" for code in UNSUR_CODES} | {"consent": "on"}
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(3):
            assert client.post(url, data, REMOTE_ADDR="10.9.9.9").status_code == 302
    assert _flags() == ["", "duplicate", "duplicate"]

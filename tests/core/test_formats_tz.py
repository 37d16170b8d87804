"""Numbers in the user's language (half-up), times in the Pemda's zone, language switching."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from mutu.core.events import record_event
from mutu.core.templatetags.mutu import angka

# --- the angka filter -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("82.225"), 2, "82,23"),  # half-up; banker's rounding would give 82,22
        (Decimal("82.2222"), 2, "82,22"),
        (Decimal("0.125"), 2, "0,13"),  # banker's would give 0,12
        (Decimal("0.135"), 2, "0,14"),
        (Decimal("-0.125"), 2, "-0,13"),  # half away from zero
        (Decimal("2.5"), 0, "3"),  # banker's would give 2
        (Decimal("82.225"), 0, "82"),
        (1234567, 0, "1.234.567"),
        (Decimal("1234567.895"), 2, "1.234.567,90"),
        (82.225, 2, "82,23"),  # a float is taken as it is written, not as its binary value
        ("75.5", 1, "75,5"),
        (Decimal("7"), 2, "7,00"),
    ],
)
def test_angka_in_indonesian(value, places, expected):
    with translation.override("id"):
        assert angka(value, places) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("82.225"), 2, "82.23"),
        (Decimal("0.125"), 2, "0.13"),
        (1234567, 0, "1,234,567"),
    ],
)
def test_angka_in_english(value, places, expected):
    with translation.override("en"):
        assert angka(value, places) == expected


@pytest.mark.parametrize("value", [None, ""])
def test_angka_shows_a_dash_for_nothing(value):
    with translation.override("id"):
        assert angka(value, 2) == "–"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("-Infinity")])
def test_angka_shows_a_dash_for_a_value_that_is_no_finite_number(value):
    # A page must never break on a score that could not be computed.
    with translation.override("id"):
        assert angka(value, 2) == "–"


def test_angka_leaves_text_that_is_no_number_alone():
    assert angka("n/a", 2) == "n/a"


def test_angka_in_a_template():
    template = Template("{% load mutu %}{{ v|angka:2 }}|{{ n|angka }}|{{ missing|angka:2 }}")
    context = Context({"v": Decimal("82.225"), "n": 1234567, "missing": None})

    with translation.override("id"):
        assert template.render(context) == "82,23|1.234.567|–"
    with translation.override("en"):
        assert template.render(context) == "82.23|1,234,567|–"


# --- times in the Pemda's own time zone -------------------------------------------------------

AT = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)


@pytest.fixture
def event_at_one_utc(world):
    """One event of each Pemda, both written at 01:00 UTC."""
    with time_machine.travel(AT, tick=False):
        record_event(actor=world.admin, verb="unit.created", pemda=world.own)
        record_event(actor=world.other_admin, verb="unit.created", pemda=world.other)


def _event_times(html: str) -> list[str]:
    return re.findall(r"<td>(\d\d/\d\d/\d{4} \d\d[.:]\d\d)</td>", html)


def test_wit_user_sees_event_time_in_jayapura_time(client, world, event_at_one_utc):
    client.force_login(world.admin)

    response = client.get(reverse("core:event_list"))

    html = response.content.decode()
    assert _event_times(html) == ["10/03/2026 10.00"]
    assert "WIT" in html


def test_wib_user_sees_event_time_in_western_time(client, world, event_at_one_utc):
    client.force_login(world.other_admin)

    response = client.get(reverse("core:event_list"))

    html = response.content.decode()
    assert _event_times(html) == ["10/03/2026 08.00"]
    assert "WIB" in html


def test_wit_event_on_an_earlier_utc_date_shows_the_local_date(client, world):
    with time_machine.travel(datetime(2026, 3, 10, 20, 30, tzinfo=UTC), tick=False):
        record_event(actor=world.admin, verb="unit.created", pemda=world.own)
    client.force_login(world.admin)

    response = client.get(reverse("core:event_list"))

    assert _event_times(response.content.decode()) == ["11/03/2026 05.30"]


def test_user_without_a_pemda_sees_the_default_zone(client, world, event_at_one_utc):
    client.force_login(world.superuser)

    response = client.get(reverse("core:event_list"))

    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert _event_times(response.content.decode()) == ["10/03/2026 08.00"] * 2


def test_the_time_zone_does_not_leak_past_the_request(client, world):
    client.force_login(world.admin)

    client.get(reverse("core:dashboard"))

    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_request_knows_the_users_pemda(client, world):
    client.force_login(world.operator)

    response = client.get(reverse("core:dashboard"))

    assert response.wsgi_request.pemda == world.own
    assert "Pemerintah Kota Jayapura · WIT" in response.content.decode()


# --- language ---------------------------------------------------------------------------------


def _html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "no <html lang>"
    return match.group(1)


def test_default_language_is_indonesian(client, db):
    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    assert _html_lang(response) == "id"
    assert response["Content-Language"] == "id"


def test_switching_to_english_changes_html_lang(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get(reverse("core:home"))
    assert _html_lang(page) == "en"

    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert _html_lang(client.get(reverse("core:home"))) == "id"


def test_unknown_language_is_ignored(client, db):
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert _html_lang(client.get(reverse("core:home"))) == "id"

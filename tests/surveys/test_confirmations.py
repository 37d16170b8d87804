"""What cannot be undone asks first (issue 12 items 6 and 8): closing and publishing a period,
reopening a published one, rotating a survey link, creating a period that overlaps another.
A POST without the confirmation field shows the consequence and changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.surveys import services
from mutu.surveys.models import SurveyLink, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member
from tests.surveys.factories import (
    PeriodUnitFactory,
    SurveyLinkFactory,
    SurveyPeriodFactory,
    add_responses,
    uniform_row,
)

POSTERS_STOP = "Semua poster QR yang sudah dicetak untuk tautan ini tidak akan berfungsi lagi"
CONFIRM_FIELD = '<input type="hidden" name="confirm" value="yes">'


@pytest.fixture
def world(db):
    pemda = PemdaFactory()
    waru = UnitFactory(pemda=pemda, name="Puskesmas Waru")
    capil = UnitFactory(pemda=pemda, name="Disdukcapil")
    period = SurveyPeriodFactory(pemda=pemda, name="Semester I")
    PeriodUnitFactory(period=period, unit=waru, population=1000)  # target 278, far from met
    PeriodUnitFactory(period=period, unit=capil, population=10)
    add_responses(period, capil, [uniform_row(4)] * 10)  # target met
    return {
        "pemda": pemda,
        "waru": waru,
        "capil": capil,
        "period": period,
        "link": SurveyLinkFactory(unit=waru, label="Loket 1"),
        "admin": member(Role.PEMDA_ADMIN, pemda=pemda),
        "operator": member(Role.UNIT_OPERATOR, unit=waru),
    }


def _status_events():
    return DomainEvent.objects.filter(verb="survey_period.status").count()


def _post_status(client, world, **data):
    client.force_login(world["admin"])
    return client.post(reverse("surveys:period_status", args=[world["period"].pk]), data)


# --- closing and publishing ---------------------------------------------------------------


def test_closing_without_confirmation_shows_the_consequences_and_changes_nothing(client, world):
    response = _post_status(client, world, status="closed")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tutup dan terbitkan Semester I?" in html
    assert "Warga tidak dapat lagi mengisi survei periode ini" in html
    assert "langsung diterbitkan di halaman hasil publik" in html
    assert "1 unit belum mencapai target sampel: Puskesmas Waru." in html
    assert CONFIRM_FIELD in html
    assert '<input type="hidden" name="status" value="closed">' in html
    world["period"].refresh_from_db()
    assert world["period"].status == SurveyPeriod.Status.OPEN
    assert world["period"].closed_at is None
    assert _status_events() == 0


def test_closing_confirmed_closes_and_publishes(client, world):
    response = _post_status(client, world, status="closed", confirm="yes")
    assert response.status_code == 302
    world["period"].refresh_from_db()
    assert world["period"].status == SurveyPeriod.Status.CLOSED
    assert world["period"].closed_at is not None
    assert _status_events() == 1


def test_a_wrong_confirmation_value_is_not_a_confirmation(client, world):
    assert _post_status(client, world, status="closed", confirm="1").status_code == 200
    world["period"].refresh_from_db()
    assert world["period"].status == SurveyPeriod.Status.OPEN


# --- reopening a published period ---------------------------------------------------------


def _closed(world):
    world["period"].status = SurveyPeriod.Status.CLOSED
    world["period"].closed_at = timezone.now()
    world["period"].save()


def test_reopening_a_published_period_without_confirmation_changes_nothing(client, world):
    _closed(world)
    response = _post_status(client, world, status="open")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buka kembali Semester I yang sudah diterbitkan?" in html
    assert "ditarik dari halaman hasil publik dan lencana IKM" in html
    assert "laporan yang sudah dicetak atau ditandatangani" in html
    assert CONFIRM_FIELD in html
    world["period"].refresh_from_db()
    assert world["period"].status == SurveyPeriod.Status.CLOSED
    assert _status_events() == 0


def test_reopening_confirmed_reopens(client, world):
    _closed(world)
    assert _post_status(client, world, status="open", confirm="yes").status_code == 302
    world["period"].refresh_from_db()
    assert world["period"].status == SurveyPeriod.Status.OPEN
    assert world["period"].closed_at is None


def test_opening_a_draft_needs_no_confirmation(client, world):
    """Nothing is published yet and the draft can be closed again: no extra step."""
    world["period"].status = SurveyPeriod.Status.DRAFT
    world["period"].save()
    assert _post_status(client, world, status="open").status_code == 302
    world["period"].refresh_from_db()
    assert world["period"].status == SurveyPeriod.Status.OPEN


def test_an_unknown_status_is_refused_without_a_confirmation_page(client, world):
    response = _post_status(client, world, status="hapus")
    assert response.status_code == 302
    world["period"].refresh_from_db()
    assert world["period"].status == SurveyPeriod.Status.OPEN


def test_period_page_buttons_post_the_first_step(client, world):
    client.force_login(world["admin"])
    html = client.get(reverse("surveys:period_detail", args=[world["period"].pk])).content
    assert b'name="status" value="closed"' in html
    assert b'name="confirm"' not in html  # the confirmation is its own page


# --- rotating a link ------------------------------------------------------------------------


def _rotate(client, world, **data):
    client.force_login(world["operator"])
    return client.post(reverse("surveys:link_rotate", args=[world["link"].pk]), data)


def test_rotating_without_confirmation_warns_about_printed_posters(client, world):
    response = _rotate(client, world)
    assert response.status_code == 200
    html = response.content.decode()
    assert POSTERS_STOP in html
    assert CONFIRM_FIELD in html
    assert reverse("surveys:link_list", args=[world["waru"].pk]) in html  # the way back
    world["link"].refresh_from_db()
    assert world["link"].is_active is True
    assert SurveyLink.objects.count() == 1
    assert not DomainEvent.objects.filter(verb="survey_link.rotated").exists()


def test_rotating_confirmed_retires_the_link(client, world):
    response = _rotate(client, world, confirm="yes")
    assert response.status_code == 302
    world["link"].refresh_from_db()
    assert world["link"].is_active is False
    assert SurveyLink.objects.filter(unit=world["waru"], is_active=True).count() == 1


def test_rotating_is_still_refused_to_those_who_may_not(client, world):
    client.force_login(member(Role.INSPECTOR, pemda=world["pemda"]))
    url = reverse("surveys:link_rotate", args=[world["link"].pk])
    assert client.post(url).status_code == 403
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    world["link"].refresh_from_db()
    assert world["link"].is_active is True


# --- a new period overlapping another -------------------------------------------------------


def _fields(start, days=90):
    return {"name": "Semester II", "starts_on": start, "ends_on": start + timedelta(days=days)}


def test_service_refuses_an_overlapping_period_unless_confirmed(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.period_create(
            pemda=world["pemda"], actor=world["admin"], units=[world["waru"]], **_fields(today)
        )
    assert refused.value.error_list[0].code == "overlap"
    assert any("Semester I (" in m for m in refused.value.messages)
    assert not SurveyPeriod.objects.filter(name="Semester II").exists()

    period = services.period_create(
        pemda=world["pemda"],
        actor=world["admin"],
        units=[world["waru"]],
        overlap_confirmed=True,
        **_fields(today),
    )
    event = DomainEvent.objects.get(verb="survey_period.created")
    assert event.object_id == str(period.pk)
    assert event.data["overlaps"] == [world["period"].pk]


@pytest.mark.parametrize(
    "case", ["after", "other units", "other pemda"], ids=["after", "other-units", "other-pemda"]
)
def test_what_is_not_an_overlap(world, case):
    end = world["period"].ends_on
    unit, pemda, start = world["waru"], world["pemda"], end
    if case == "after":
        start = end + timedelta(days=1)
    elif case == "other units":
        unit = UnitFactory(pemda=pemda, name="Kecamatan Waru")
    else:
        pemda = PemdaFactory()
        unit = UnitFactory(pemda=pemda)
        SurveyPeriodFactory(pemda=pemda)  # same dates, another Pemda
    admin = member(Role.PEMDA_ADMIN, pemda=pemda)
    period = services.period_create(pemda=pemda, actor=admin, units=[unit], **_fields(start))
    assert period.pk
    if case == "after":
        # and the last shared day counts as an overlap
        with pytest.raises(ValidationError):
            services.period_create(pemda=pemda, actor=admin, units=[unit], **_fields(end, 1))


def _form_data(start, **over):
    return {
        "name": "Semester II",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=90)).isoformat(),
        "weighting": "exact",
        "ask_trust": "on",
        "drop_alert_margin": "2",
    } | over


def test_the_form_shows_the_overlapping_periods_and_asks_to_confirm(client, world):
    client.force_login(world["admin"])
    url = reverse("surveys:period_create", args=[world["pemda"].pk])
    assert b'name="overlap_confirmed"' in client.get(url).content  # hidden, not a checkbox yet
    assert b'type="checkbox" name="overlap_confirmed"' not in client.get(url).content
    start = world["period"].starts_on + timedelta(days=10)
    response = client.post(url, _form_data(start, units=[world["waru"].pk, world["capil"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "tumpang tindih dengan periode lain untuk unit yang sama" in html
    period = world["period"]
    assert f"Semester I ({period.starts_on:%-d}" in html
    assert "2 unit yang sama" in html
    assert 'type="checkbox" name="overlap_confirmed"' in html
    assert "Ya, saya tetap membuat periode yang tumpang tindih ini" in html
    assert not SurveyPeriod.objects.filter(name="Semester II").exists()

    confirmed = _form_data(start, units=[world["waru"].pk], overlap_confirmed="on")
    response = client.post(url, confirmed)
    assert response.status_code == 302
    assert SurveyPeriod.objects.get(name="Semester II").members.count() == 1


def test_the_form_without_overlap_creates_at_once(client, world):
    client.force_login(world["admin"])
    url = reverse("surveys:period_create", args=[world["pemda"].pk])
    start = world["period"].ends_on + timedelta(days=1)
    response = client.post(url, _form_data(start, units=[world["waru"].pk]))
    assert response.status_code == 302
    assert SurveyPeriod.objects.filter(name="Semester II").exists()

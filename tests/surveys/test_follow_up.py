"""RTL items for the weakest unsur, carried into the next period while unfinished; FKP."""

from datetime import date

import pytest
from django.urls import reverse

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.surveys.models import FkpRecord, PeriodUnit, RtlItem, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    pemda = PemdaFactory()
    unit = UnitFactory(pemda=pemda, name="Dinas Perhubungan")
    first = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester I",
        status="closed",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
    )
    second = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester II",
        status="open",
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 12, 31),
    )
    for period in (first, second):
        PeriodUnit.objects.create(period=period, unit=unit)
    return {
        "pemda": pemda,
        "unit": unit,
        "first": first,
        "second": second,
        "head": member(Role.UNIT_HEAD, unit=unit),
    }


def _url(w, period="first"):
    return reverse("surveys:follow_up", args=[w[period].pk, w["unit"].pk])


def _post_url(w, name, period="first"):
    return reverse(f"surveys:{name}", args=[w[period].pk, w["unit"].pk])


RTL = {
    "unsur": "waktu",
    "program": "Antrean daring untuk uji KIR",
    "schedule": "Agustus 2026",
    "responsible": "Kepala UPT PKB",
    "status": "planned",
    "evidence": "",
}


def test_head_adds_rtl_and_it_is_audited(client, world):
    client.force_login(world["head"])
    assert client.post(_post_url(world, "rtl_create"), RTL).status_code == 302
    item = RtlItem.objects.get()
    assert (item.unsur, item.unit, item.period) == ("waktu", world["unit"], world["first"])
    assert DomainEvent.objects.filter(verb="rtl.saved", actor=world["head"]).exists()
    page = client.get(_url(world)).content.decode()
    assert "Antrean daring untuk uji KIR" in page and "Waktu penyelesaian" in page


def test_missing_fields_are_reported_and_nothing_saved(client, world):
    client.force_login(world["head"])
    page = client.post(_post_url(world, "rtl_create"), {**RTL, "program": ""})
    assert page.status_code == 200 and "invalid-feedback" in page.content.decode()
    assert RtlItem.objects.count() == 0


def test_unfinished_items_are_carried_once_into_the_next_period(client, world):
    client.force_login(world["head"])
    client.post(_post_url(world, "rtl_create"), RTL)
    client.post(
        _post_url(world, "rtl_create"),
        {**RTL, "unsur": "sarana", "program": "Kursi tunggu", "status": "done"},
    )
    client.post(_post_url(world, "rtl_carry_over", "second"))
    client.post(_post_url(world, "rtl_carry_over", "second"))  # twice: still one copy
    carried = RtlItem.objects.filter(period=world["second"])
    assert [(i.unsur, i.carried_from.period_id) for i in carried] == [("waktu", world["first"].pk)]
    assert "dibawa dari Semester I" in client.get(_url(world, "second")).content.decode()


def test_status_is_updated_through_the_edit_page(client, world):
    client.force_login(world["head"])
    client.post(_post_url(world, "rtl_create"), RTL)
    item = RtlItem.objects.get()
    edit = reverse("surveys:rtl_edit", args=[item.pk])
    response = client.post(edit, {**RTL, "status": "done", "evidence": "SK antrean daring"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.evidence) == ("done", "SK antrean daring")
    assert item.history.count() == 2


def test_fkp_is_recorded(client, world):
    client.force_login(world["head"])
    client.post(
        _post_url(world, "fkp_create"),
        {
            "held_on": "2026-07-15",
            "participants": "Perwakilan sopir angkot, LSM",
            "agreed_actions": "Loket KIR buka 07.30",
        },
    )
    record = FkpRecord.objects.get()
    assert record.held_on == date(2026, 7, 15) and record.unit == world["unit"]


def test_inspector_reads_but_cannot_write_and_other_pemda_gets_404(client, world):
    client.force_login(member(Role.INSPECTOR, pemda=world["pemda"]))
    assert client.get(_url(world)).status_code == 200
    assert client.post(_post_url(world, "rtl_create"), RTL).status_code == 403
    client.force_login(member(Role.PEMDA_ADMIN, pemda=PemdaFactory()))
    assert client.get(_url(world)).status_code == 404
    assert RtlItem.objects.count() == 0

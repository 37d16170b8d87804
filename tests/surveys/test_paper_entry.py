"""Operators key in paper questionnaires; with double entry only agreeing keyings are stored."""

from datetime import date

import pytest
from django.urls import reverse

from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.models import PeriodUnit, Response, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    pemda = PemdaFactory()
    unit = UnitFactory(pemda=pemda, name="UPT Puskesmas Waru")
    period = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester II",
        status="open",
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 12, 31),
    )
    PeriodUnit.objects.create(period=period, unit=unit)
    return {
        "pemda": pemda,
        "unit": unit,
        "period": period,
        "operator": member(Role.UNIT_OPERATOR, unit=unit),
    }


def _url(w, double=False):
    url = reverse("surveys:paper_entry", args=[w["period"].pk, w["unit"].pk])
    return url + ("?ganda=1" if double else "")


def _form(**overrides):
    data = {f"u_{code}": "3" for code in UNSUR_CODES}
    data.update({"gender": "L", "served_on": "2026-11-20"})
    data.update(overrides)
    return data


def test_operator_keys_in_a_paper_form(client, world):
    client.force_login(world["operator"])
    response = client.post(_url(world), _form(u_waktu="2"))
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.channel == "paper" and stored.entered_by == world["operator"]
    assert stored.served_on == date(2026, 11, 20) and stored.gender == "L"
    assert dict(stored.answers.values_list("unsur", "value"))["waktu"] == 2
    assert stored.answers.count() == 9 and not stored.quarantined


@pytest.mark.parametrize("bad", ["5", "0", "x", ""])
def test_a_digit_outside_1_to_4_is_refused_and_nothing_stored(client, world, bad):
    client.force_login(world["operator"])
    page = client.post(_url(world), _form(u_sarana=bad))
    assert page.status_code == 200
    assert "Wajib 1–4." in page.content.decode()
    assert Response.objects.count() == 0


def test_double_entry_stores_once_when_both_keyings_agree(client, world):
    client.force_login(world["operator"])
    client.post(_url(world, double=True), {**_form(), "double": "1"})
    assert Response.objects.count() == 0
    client.post(_url(world, double=True), {**_form(), "double": "1"})
    assert Response.objects.count() == 1


def test_double_entry_mismatch_names_the_unsur_and_stores_nothing(client, world):
    client.force_login(world["operator"])
    client.post(_url(world, double=True), {**_form(), "double": "1"})
    page = client.post(_url(world, double=True), {**_form(u_biaya="4"), "double": "1"})
    html = page.content.decode()
    assert "Ketikan kedua berbeda" in html and "Biaya/tarif" in html
    assert Response.objects.count() == 0
    # The pair was rejected: the next keying starts a new pair.
    client.post(_url(world, double=True), {**_form(), "double": "1"})
    assert Response.objects.count() == 0


def test_closed_period_refuses_paper_forms(client, world):
    world["period"].status = "closed"
    world["period"].save()
    client.force_login(world["operator"])
    page = client.post(_url(world), _form(), follow=True)
    assert "Periode survei ini sudah ditutup." in page.content.decode()
    assert Response.objects.count() == 0


def test_inspector_and_other_units_cannot_enter(client, world):
    client.force_login(member(Role.INSPECTOR, pemda=world["pemda"]))
    assert client.post(_url(world), _form()).status_code == 403
    other = UnitFactory(pemda=world["pemda"])
    client.force_login(member(Role.UNIT_OPERATOR, unit=other))
    assert client.post(_url(world), _form()).status_code == 404
    assert Response.objects.count() == 0


def _csv(text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("kertas.csv", text.encode("utf-8"), "text/csv")


HEADER = ",".join([*UNSUR_CODES, "gender", "served_on"])


def test_import_of_paper_forms_reports_bad_lines_and_writes_nothing(client, post_import, world):
    client.force_login(world["operator"])
    url = reverse("surveys:paper_import", args=[world["period"].pk, world["unit"].pk])
    body = f"{HEADER}\n" + "3,3,3,3,3,3,3,3,3,P,2026-11-01\n" + "3,3,5,3,3,3,3,3,3,L,\n"
    page = post_import(url, {"file": _csv(body)})
    html = page.content.decode()
    assert "Tidak ada yang disimpan" in html and "<td>3</td>" in html and "waktu" in html
    assert Response.objects.count() == 0
    page = post_import(url, {"file": _csv(body), "keep_valid": "on"})
    assert Response.objects.count() == 1
    assert Response.objects.get().channel == "paper"


def test_import_refuses_a_file_that_is_no_spreadsheet(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world["operator"])
    url = reverse("surveys:paper_import", args=[world["period"].pk, world["unit"].pk])
    png = SimpleUploadedFile("kertas.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "text/csv")
    assert "Jenis berkas tidak didukung" in client.post(url, {"file": png}).content.decode()
    assert Response.objects.count() == 0


def test_paper_template_downloads(client, world):
    client.force_login(world["operator"])
    response = client.get(reverse("surveys:paper_template"))
    assert response.status_code == 200 and response.content.startswith(b"PK")

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.surveys.models import PeriodUnit, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    pemda = PemdaFactory()
    period = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester II",
        status="open",
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 12, 31),
    )
    for name in ("Disdukcapil", "DPMPTSP"):
        PeriodUnit.objects.create(period=period, unit=UnitFactory(pemda=pemda, name=name))
    return {"pemda": pemda, "period": period, "admin": member(Role.PEMDA_ADMIN, pemda=pemda)}


def _upload(text):
    return SimpleUploadedFile("populasi.csv", text.encode(), "text/csv")


def _url(w):
    return reverse("surveys:population_import", args=[w["period"].pk])


def test_populations_are_set_and_audited(client, post_import, world):
    client.force_login(world["admin"])
    body = "nama_unit;populasi\nDisdukcapil;12.500\ndpmptsp;900\n"
    html = post_import(_url(world), {"file": _upload(body)}).content.decode()
    assert "2 baris diimpor." in html
    populations = dict(PeriodUnit.objects.values_list("unit__name", "population"))
    assert populations == {"Disdukcapil": 12500, "DPMPTSP": 900}
    assert DomainEvent.objects.filter(verb="survey_population.set").count() == 2


def test_bad_rows_are_reported_and_nothing_is_written(client, post_import, world):
    client.force_login(world["admin"])
    body = "nama_unit,populasi\nDisdukcapil,500\nDinas Entah,10\nDPMPTSP,-4\n"
    html = post_import(_url(world), {"file": _upload(body)}).content.decode()
    assert "bukan peserta periode ini" in html and "<td>3</td>" in html and "<td>4</td>" in html
    assert set(PeriodUnit.objects.values_list("population", flat=True)) == {None}


def test_only_the_pemda_admin_imports(client, world):
    client.force_login(member(Role.INSPECTOR, pemda=world["pemda"]))
    assert client.get(_url(world)).status_code == 403
    client.force_login(member(Role.PEMDA_ADMIN, pemda=PemdaFactory()))
    assert client.get(_url(world)).status_code == 404

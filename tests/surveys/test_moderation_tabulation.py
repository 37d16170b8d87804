"""Quarantine with a reason from the response list; the XLSX tabulation shows its formulas."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES, compute_ikm
from mutu.surveys.models import Answer, PeriodUnit, Response, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    pemda = PemdaFactory()
    unit = UnitFactory(pemda=pemda, name="Disdukcapil", short_name="Disdukcapil")
    period = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester I",
        status="closed",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
    )
    PeriodUnit.objects.create(period=period, unit=unit)
    for value in (4, 4, 3, 2):
        response = Response.objects.create(
            period=period,
            unit=unit,
            channel="paper",
            submitted_at="2026-02-01T03:00:00Z",
            gender="P",
        )
        Answer.objects.bulk_create(
            Answer(response=response, period=period, unit=unit, unsur=code, value=value)
            for code in UNSUR_CODES
        )
    return {
        "pemda": pemda,
        "unit": unit,
        "period": period,
        "admin": member(Role.PEMDA_ADMIN, pemda=pemda),
    }


def _list_url(w):
    return reverse("surveys:response_list", args=[w["period"].pk, w["unit"].pk])


def _quarantine_url(w):
    return reverse("surveys:response_quarantine", args=[w["period"].pk, w["unit"].pk])


def test_admin_quarantines_with_a_reason_and_the_ikm_changes(client, world):
    client.force_login(world["admin"])
    low = Response.objects.filter(answers__value=2).distinct().get()
    result_url = reverse("surveys:unit_result", args=[world["period"].pk, world["unit"].pk])
    assert "81,25" in client.get(result_url).content.decode()  # (4+4+3+2)/4 × 25
    client.post(_quarantine_url(world), {"response": low.pk, "reason": "kiriman ganda di loket"})
    low.refresh_from_db()
    assert low.quarantined and low.quarantine_reason == "kiriman ganda di loket"
    assert DomainEvent.objects.filter(verb="survey_response.quarantined").count() == 1
    html = client.get(result_url).content.decode()
    assert "91,67" in html and "81,25" in html  # without, and with the quarantined one
    release = reverse("surveys:response_release", args=[world["period"].pk, world["unit"].pk])
    client.post(release, {"response": low.pk})
    low.refresh_from_db()
    assert not low.quarantined


def test_quarantine_without_reason_is_refused(client, world):
    client.force_login(world["admin"])
    target = Response.objects.first()
    page = client.post(_quarantine_url(world), {"response": target.pk, "reason": "  "}, follow=True)
    assert "Alasan karantina wajib diisi." in page.content.decode()
    target.refresh_from_db()
    assert not target.quarantined


def test_inspector_sees_the_list_but_cannot_quarantine(client, world):
    inspector = member(Role.INSPECTOR, pemda=world["pemda"])
    client.force_login(inspector)
    assert client.get(_list_url(world)).status_code == 200
    target = Response.objects.first()
    assert (
        client.post(_quarantine_url(world), {"response": target.pk, "reason": "x"}).status_code
        == 403
    )
    target.refresh_from_db()
    assert not target.quarantined


def test_response_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world["admin"])
    with django_assert_max_num_queries(12):
        assert client.get(_list_url(world)).status_code == 200


def test_tabulation_has_formulas_whose_cached_values_come_from_the_indices(
    client, world, tabulation_download
):
    client.force_login(world["admin"])
    content = tabulation_download(world["period"].pk, world["unit"].pk)
    formulas = load_workbook(io.BytesIO(content))["Tabulasi"]
    values = load_workbook(io.BytesIO(content), data_only=True)["Tabulasi"]
    cells = {c.value: c for row in formulas.iter_rows() for c in row if isinstance(c.value, str)}
    ikm_label = cells["IKM"]
    ikm_formula = formulas.cell(ikm_label.row, ikm_label.column + 1).value
    assert ikm_formula.startswith("=SUM(")
    expected = compute_ikm(dict.fromkeys(UNSUR_CODES, 13), dict.fromkeys(UNSUR_CODES, 4))
    cached = values.cell(ikm_label.row, ikm_label.column + 1).value
    assert cached == pytest.approx(float(expected.ikm))
    score_label = cells["Nilai IKM (IKM × 25)"]
    assert formulas.cell(score_label.row, score_label.column + 1).value.endswith("*25")
    sums = cells["Jumlah nilai"]
    assert formulas.cell(sums.row, sums.column + 1).value == "=SUM(H5:H8)"  # four respondents
    assert values.cell(sums.row - 2, 8).value == 2  # the last respondent's first answer


def test_tabulation_of_another_pemda_is_404(client, world):
    client.force_login(member(Role.PEMDA_ADMIN, pemda=PemdaFactory()))
    url = reverse("reports:skm_tabulation", args=[world["period"].pk, world["unit"].pk])
    assert client.post(url).status_code == 404

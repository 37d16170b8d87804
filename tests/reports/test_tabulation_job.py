"""Issue 12 items 2 and 3: the XLSX tabulation is made by the worker like the PDF (ReportJob of
kind skm_unit_xlsx, private file, permission-checked download) and has the trust question on a
sheet of its own, apart from the IKM."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.reports.models import ReportJob
from mutu.surveys.models import PeriodUnit, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member
from tests.surveys.factories import add_responses, uniform_row

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
    rows = [uniform_row(3, trust=t) for t in (4, 3, 3, 1, None)]
    rows.append(uniform_row(4, trust=4, quarantined=True))
    add_responses(period, unit, rows)
    return {"pemda": pemda, "unit": unit, "period": period}


def _url(world, name="reports:skm_tabulation"):
    return reverse(name, args=[world["period"].pk, world["unit"].pk])


def test_the_xlsx_is_a_background_job_with_a_private_permission_checked_download(
    client, world, tabulation_download, settings
):
    head = member(Role.UNIT_HEAD, unit=world["unit"])
    client.force_login(head)
    page = client.get(reverse("surveys:unit_result", args=[world["period"].pk, world["unit"].pk]))
    assert f'action="{_url(world)}"' in page.content.decode()  # a POST button, not a link

    content = tabulation_download(world["period"].pk, world["unit"].pk)
    assert "Tabulasi" in load_workbook(io.BytesIO(content)).sheetnames
    job = ReportJob.objects.get()
    assert (job.kind, job.requested_by, job.download_name) == (
        "skm_unit_xlsx",
        head,
        "tabulasi-skm-disdukcapil-semester-i.xlsx",
    )
    assert Path(job.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert "disdukcapil" not in job.file.name  # stored under a random name
    event = DomainEvent.objects.get(verb="report.requested")
    assert event.data["kind"] == "skm_unit_xlsx"
    job_page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Unduh XLSX" in job_page and "Tabulasi SKM (XLSX)" in job_page
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")

    client.force_login(member(Role.PEMDA_ADMIN, pemda=PemdaFactory()))
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_nothing_is_made_inline_any_more(client, world):
    client.force_login(member(Role.UNIT_HEAD, unit=world["unit"]))
    assert client.get(_url(world)).status_code == 405  # a GET never makes a file


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.EVALUATOR], ids=["inspector", "evaluator"])
def test_a_read_only_role_cannot_have_it_made(client, world, role):
    scope = {"unit": world["unit"]} if role == Role.EVALUATOR else {"pemda": world["pemda"]}
    client.force_login(member(role, **scope))
    assert client.post(_url(world)).status_code == 403
    assert not ReportJob.objects.exists()


def test_the_trust_sheet_is_apart_from_the_ikm_with_live_formulas(
    client, world, tabulation_download
):
    client.force_login(member(Role.UNIT_HEAD, unit=world["unit"]))
    content = tabulation_download(world["period"].pk, world["unit"].pk)
    book = load_workbook(io.BytesIO(content))
    values = load_workbook(io.BytesIO(content), data_only=True)["Kepercayaan"]
    sheet = book["Kepercayaan"]
    assert "BUKAN bagian dari IKM" in sheet["A1"].value
    assert "3 (Setuju) dan 4 (Sangat setuju)" in sheet["A3"].value
    # Answers 1–4: people (formula + cached value); 4 answered, the quarantined one left out.
    people = {sheet.cell(r, 1).value: values.cell(r, 3).value for r in range(6, 10)}
    assert people == {1: 1, 2: 0, 3: 2, 4: 1}
    assert sheet["C6"].value.startswith("=COUNTIF(")
    assert (sheet["B10"].value, values["C10"].value) == ("Menjawab", 4)
    assert sheet["B11"].value == "Setuju (3–4), %"
    assert sheet["C11"].value == '=IF(C10=0,"",100*(C8+C9)/C10)'
    assert values["C11"].value == pytest.approx(75.0)
    # One row per counted respondent, same numbering as the IKM sheet; a skipped answer is empty.
    answers = [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(14, 19)]
    assert answers == [(1, 4), (2, 3), (3, 3), (4, 1), (5, None)]
    assert "Kepercayaan" not in str(book["Tabulasi"]["A1"].value)


def test_no_trust_sheet_when_the_period_does_not_ask_it(client, world, tabulation_download):
    SurveyPeriod.objects.filter(pk=world["period"].pk).update(ask_trust=False)
    client.force_login(member(Role.UNIT_HEAD, unit=world["unit"]))
    content = tabulation_download(world["period"].pk, world["unit"].pk)
    assert "Kepercayaan" not in load_workbook(io.BytesIO(content)).sheetnames

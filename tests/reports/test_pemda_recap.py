"""The Pemda recap for the head of region (issue 12, item 4): every unit's IKM, mutu, sample
adequacy and RTL status, made by the same background job path as the Laporan SKM, for those
allowed to request it on the Pemda (the Pemda admin)."""

import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES, ikm_from_answers
from mutu.indices.sampling import krejcie_morgan
from mutu.reports.models import ReportJob
from mutu.surveys.models import Answer, PeriodUnit, Response, RtlItem, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member
from tests.reports.pages import save_pages_as_images

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _answer(period, unit, values):
    response = Response.objects.create(
        period=period, unit=unit, channel="qr", submitted_at="2026-03-02T02:00:00Z"
    )
    Answer.objects.bulk_create(
        Answer(response=response, period=period, unit=unit, unsur=code, value=value)
        for code, value in zip(UNSUR_CODES, values, strict=True)
    )


@pytest.fixture
def world():
    pemda = PemdaFactory()
    period = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester I 2026",
        status="closed",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
    )
    full = UnitFactory(pemda=pemda, name="Dinas Kependudukan")
    short = UnitFactory(pemda=pemda, name="Puskesmas Waru")
    empty = UnitFactory(pemda=pemda, name="Kecamatan Sepaku")
    PeriodUnit.objects.create(period=period, unit=full, population=10)  # target 10
    PeriodUnit.objects.create(period=period, unit=short, population=100)  # target 80
    PeriodUnit.objects.create(period=period, unit=empty)
    full_answers = [(4, 4, 3, 4, 4, 3, 4, 4, 3)] * 6 + [(3, 3, 3, 4, 3, 3, 3, 3, 3)] * 4
    for values in full_answers:
        _answer(period, full, values)
    short_answers = [(2, 3, 1, 4, 2, 3, 3, 2, 2), (3, 2, 2, 3, 3, 2, 3, 2, 3)]
    for values in short_answers:
        _answer(period, short, values)
    for status in ("done", "in_progress"):
        RtlItem.objects.create(
            period=period,
            unit=full,
            unsur="waktu",
            program="Antrean daring",
            schedule="Juli",
            responsible="Sekretaris",
            status=status,
        )
    return {
        "pemda": pemda,
        "period": period,
        "full": (full, full_answers),
        "short": (short, short_answers),
        "admin": member(Role.PEMDA_ADMIN, pemda=pemda),
        "head": member(Role.UNIT_HEAD, unit=full),
        "inspector": member(Role.INSPECTOR, pemda=pemda),
    }


def _lines(content: bytes) -> list[str]:
    """The PDF's lines as laid out (one table row a line), whitespace collapsed."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is required: apt-get install poppler-utils")
    done = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    )
    return [" ".join(line.split()) for line in done.stdout.decode().splitlines()]


def _request(client, world, user, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse("reports:pemda_recap", args=[world["period"].pk]))


def test_admin_gets_the_recap_with_every_units_numbers(
    client, world, django_capture_on_commit_callbacks, tmp_path_factory
):
    response = _request(client, world, world["admin"], django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    assert (job.kind, job.status) == ("pemda_recap_pdf", "done")
    download = client.get(reverse("reports:download", args=[job.pk]))
    pdf = b"".join(download.streaming_content)
    lines = _lines(pdf)
    text = "\n".join(lines)
    _unit, full_answers = world["full"]
    _unit, short_answers = world["short"]
    full_ikm = ikm_from_answers([dict(zip(UNSUR_CODES, a, strict=True)) for a in full_answers])
    short_ikm = ikm_from_answers([dict(zip(UNSUR_CODES, a, strict=True)) for a in short_answers])
    all_ikm = ikm_from_answers(
        [dict(zip(UNSUR_CODES, a, strict=True)) for a in full_answers + short_answers]
    )
    assert "REKAPITULASI HASIL SURVEI KEPUASAN MASYARAKAT" in text
    row = (
        f"1 Dinas Kependudukan 10 {krejcie_morgan(10)} Terpenuhi {full_ikm.score_display} "
        f"{full_ikm.grade} {full_ikm.label} 1 selesai, 1 berjalan"
    )
    assert row in lines, text
    short_row = (
        f"2 Puskesmas Waru 2 {krejcie_morgan(100)} Kurang {krejcie_morgan(100) - 2} "
        f"{short_ikm.score_display} {short_ikm.grade} {short_ikm.label} Belum ada RTL"
    )
    assert short_row in lines, text
    # Two lines: "Populasi belum diisi" and "Belum ada respons" wrap in their cells.
    empty = "3 Kecamatan Sepaku 0 – Populasi belum – – Belum ada Belum ada RTL"
    assert empty in lines, text
    assert f"{all_ikm.score_display} — mutu {all_ikm.grade}" in text
    assert "Sampel di bawah target Krejcie–Morgan 1 unit" in text
    assert "Unit bernilai tanpa rencana tindak lanjut 1 unit" in text
    _save_pages(pdf, tmp_path_factory)


def _save_pages(pdf, tmp_path_factory):
    folder = tmp_path_factory.mktemp("rekap-skm-pages")
    assert save_pages_as_images(pdf, folder, "rekap")


@pytest.mark.parametrize("role", ["head", "inspector"])
def test_others_in_the_pemda_cannot_request_it(
    client, world, role, django_capture_on_commit_callbacks
):
    response = _request(client, world, world[role], django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


def test_another_pemdas_admin_gets_not_found(client, world, django_capture_on_commit_callbacks):
    stranger = member(Role.PEMDA_ADMIN, pemda=PemdaFactory())
    response = _request(client, world, stranger, django_capture_on_commit_callbacks)
    assert response.status_code == 404
    assert not ReportJob.objects.exists()


def test_a_get_does_not_make_a_report(client, world):
    client.force_login(world["admin"])
    response = client.get(reverse("reports:pemda_recap", args=[world["period"].pk]))
    assert response.status_code == 405


def test_the_button_is_on_the_period_page_for_the_admin_only(client, world):
    url = reverse("surveys:period_detail", args=[world["period"].pk])
    action = reverse("reports:pemda_recap", args=[world["period"].pk])
    client.force_login(world["admin"])
    assert action in client.get(url).content.decode()
    client.force_login(world["inspector"])
    page = client.get(url)
    assert page.status_code == 200 and action not in page.content.decode()

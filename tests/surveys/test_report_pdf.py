"""The Laporan SKM is made in the background, shows its progress, and holds the real numbers."""

import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES
from mutu.reports.models import ReportJob
from mutu.surveys.instrument import ExtraQuestion
from mutu.surveys.models import (
    Answer,
    PeriodService,
    PeriodUnit,
    Response,
    RtlItem,
    SurveyPeriod,
)
from tests.factories import PemdaFactory, ServiceFactory, UnitFactory, member

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # WeasyPrint


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def world():
    pemda = PemdaFactory(is_demo=True)
    unit = UnitFactory(pemda=pemda, name="Dinas Perhubungan", short_name="Dishub")
    period = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester I 2026",
        status="closed",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
    )
    own = ExtraQuestion("q1", "scale", "Kursi ruang tunggu cukup.")
    PeriodUnit.objects.create(
        period=period, unit=unit, population=100, extra_questions=[own.to_json()]
    )
    kir = ServiceFactory(unit=unit, name="Uji berkala kendaraan")
    PeriodService.objects.create(period=period, service=kir, population=40)
    for value in (4, 3, 3, 3):
        response = Response.objects.create(
            period=period,
            unit=unit,
            channel="qr",
            submitted_at="2026-03-02T02:00:00Z",
            gender="L",
            extra={"q1": value},
        )
        Answer.objects.bulk_create(
            Answer(response=response, period=period, unit=unit, unsur=code, value=value)
            for code in UNSUR_CODES
        )
    RtlItem.objects.create(
        period=period,
        unit=unit,
        unsur="waktu",
        program="Antrean daring KIR",
        schedule="Juli",
        responsible="Kepala UPT",
    )
    return {
        "pemda": pemda,
        "unit": unit,
        "period": period,
        "head": member(Role.UNIT_HEAD, unit=unit),
    }


def _pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed (line breaks depend on the layout)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is required to read the report: apt-get install poppler-utils")
    done = subprocess.run(
        [pdftotext, "-", "-"], input=content, capture_output=True, check=True, timeout=60
    )
    return " ".join(done.stdout.decode().split())


def test_head_requests_the_report_and_downloads_the_pdf(client, world):
    client.force_login(world["head"])
    url = reverse("reports:skm_report", args=[world["period"].pk, world["unit"].pk])
    with_commit = client.post(url)  # the test task backend runs the job at once, on commit
    job = ReportJob.objects.get()
    assert with_commit["Location"] == reverse("reports:job", args=[job.pk])


def test_report_job_runs_and_the_pdf_holds_the_numbers(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["head"])
    url = reverse("reports:skm_report", args=[world["period"].pk, world["unit"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = ReportJob.objects.get()
    assert (job.status, job.progress) == ("done", 100)
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Unduh PDF" in page and 'http-equiv="refresh"' not in page
    download = client.get(reverse("reports:download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    # (4 + 3 + 3 + 3) / 4 = 3.25 on every unsur → 81,25, grade B.
    for expected in (
        "LAPORAN SURVEI KEPUASAN MASYARAKAT",
        "BAB I PENDAHULUAN",
        "BAB V KESIMPULAN",
        "81,25",
        "Antrean daring KIR",
        "DATA DEMO",
        "target Krejcie–Morgan untuk populasi 100 adalah 80",
        "3.3 Sampel per layanan",
        "Uji berkala kendaraan",
        "36 0 (kurang 36)",  # population 40 → target 36, no respondent chose the service
        "3.4 Pertanyaan tambahan unit (tidak masuk IKM)",
        "Kursi ruang tunggu cukup. — 4 jawaban, rata-rata 3,25 dari 4",
        "T1 Kursi ruang tunggu cukup. (pertanyaan tambahan unit)",
    ):
        assert expected in text, expected


def test_a_queued_job_page_refreshes_itself_and_others_cannot_see_it(client, world):
    job = ReportJob.objects.create(
        kind="skm_unit_pdf", pemda=world["pemda"], requested_by=world["head"], params={}
    )
    client.force_login(world["head"])
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "Dalam antrean" in page
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    client.force_login(member(Role.PEMDA_ADMIN, pemda=PemdaFactory()))
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404


def test_a_failing_report_says_so(client, world, django_capture_on_commit_callbacks):
    from mutu.reports.tasks import generate_report

    job = ReportJob.objects.create(
        kind="unknown", pemda=world["pemda"], requested_by=world["head"], params={}
    )
    generate_report.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "unknown report kind" in job.error
    client.force_login(world["head"])
    assert (
        "Laporan gagal dibuat" in client.get(reverse("reports:job", args=[job.pk])).content.decode()
    )


def test_poster_pdf_carries_the_qr_address(client, world, tmp_path):
    from mutu.surveys.models import SurveyLink

    link = SurveyLink.objects.create(unit=world["unit"], label="Loket 2")
    client.force_login(world["head"])
    response = client.get(reverse("surveys:link_poster_pdf", args=[link.pk]) + "?ukuran=a5")
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Dinas Perhubungan" in text and "Loket 2" in text and link.token in text
    assert "Bagaimana pelayanan kami hari ini?" in text and "DEMO" in text
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.content)
    zbarimg, pdftoppm = shutil.which("zbarimg"), shutil.which("pdftoppm")
    if not (zbarimg and pdftoppm):
        pytest.fail("zbarimg and pdftoppm are required: apt-get install zbar-tools poppler-utils")
    # Read the QR code back from the printed page.
    subprocess.run(
        [pdftoppm, "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    out = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip().endswith(f"/s/{link.token}/?qr=1")

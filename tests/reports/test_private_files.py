"""Issue 11 item 1: reports live in private storage under random names and leave only through
the permission-checked download view (streamed here, X-Accel-Redirect behind nginx)."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.views.static import serve

from mutu.core.roles import Role
from mutu.reports.models import ReportJob
from mutu.surveys.models import PeriodUnit, SurveyPeriod
from tests.factories import PemdaFactory, RegionFactory, UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db

RANDOM_NAME = re.compile(r"^reports/\d{4}/\d{2}/[A-Za-z0-9_-]{32}\.pdf$")


@pytest.fixture
def roots(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = ""
    return {"media": tmp_path / "media", "private": tmp_path / "private"}


@pytest.fixture
def world(roots):
    pemda = PemdaFactory(region=RegionFactory(code="64.09", name="Kabupaten PPU"))
    unit = UnitFactory(pemda=pemda, name="Dinas Kependudukan", short_name="Disdukcapil")
    period = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester II 2026",
        status="closed",
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 12, 31),
    )
    PeriodUnit.objects.create(period=period, unit=unit, population=100)
    return {"pemda": pemda, "unit": unit, "period": period, **roots}


def _done_job(world, requested_by, content=b"%PDF-1.7 saran warga"):
    """A finished report, saved as the worker saves it."""
    from mutu.reports.tasks import _update

    job = ReportJob.objects.create(
        kind="skm_unit_pdf",
        pemda=world["pemda"],
        requested_by=requested_by,
        params={"period": world["period"].pk, "unit": world["unit"].pk},
    )
    name = "laporan-skm-disdukcapil-semester-ii-2026.pdf"
    job.file.save(name, ContentFile(content), save=False)
    _update(job, status=ReportJob.Status.DONE, file=job.file, download_name=name)
    return job


@pytest.mark.slow  # WeasyPrint
def test_the_worker_stores_the_report_privately_under_a_random_name(
    client, world, django_capture_on_commit_callbacks
):
    head = member(Role.UNIT_HEAD, unit=world["unit"])
    client.force_login(head)
    url = reverse("reports:skm_report", args=[world["period"].pk, world["unit"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    first, second = ReportJob.objects.order_by("pk")
    assert first.status == "done", first.error
    assert RANDOM_NAME.match(first.file.name) and RANDOM_NAME.match(second.file.name)
    assert first.file.name != second.file.name
    assert (world["private"] / first.file.name).is_file()
    assert first.download_name == "laporan-skm-disdukcapil-semester-ii-2026.pdf"
    # Nothing of it under MEDIA_ROOT, which nginx serves to anyone.
    assert not world["media"].exists() or not any(world["media"].rglob("*"))


def test_an_anonymous_get_of_the_old_media_path_gets_nothing(client, world):
    job = _done_job(world, member(Role.UNIT_HEAD, unit=world["unit"]))
    old = f"reports/{job.created_at:%Y/%m}/laporan-skm-disdukcapil-semester-ii-2026.pdf"
    assert client.get(f"/media/{old}").status_code == 404
    # What nginx's `location /media/` would do: the file is simply not there.
    with pytest.raises(Http404):
        serve(RequestFactory().get(f"/media/{old}"), old, document_root=world["media"])
    with pytest.raises(Http404):  # not under its random name either
        serve(RequestFactory().get("/"), job.file.name, document_root=world["media"])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("other_pemda_admin", 404),
        ("other_pemda_inspector", 404),
        ("national", 404),
        ("evaluator", 404),
        ("operator_not_requester", 404),
        ("inspector", 200),  # read-only, but reads the Pemda's reports and audit log
        ("pemda_admin", 200),
        ("requester", 200),
        ("superuser", 200),
    ],
)
def test_download_permission_matrix(client, world, who, status):
    requester = member(Role.UNIT_HEAD, unit=world["unit"])
    job = _done_job(world, requester)
    other = PemdaFactory()
    users = {
        "other_pemda_admin": lambda: member(Role.PEMDA_ADMIN, pemda=other),
        "other_pemda_inspector": lambda: member(Role.INSPECTOR, pemda=other),
        "national": lambda: member(Role.NATIONAL_VIEWER),
        "evaluator": lambda: member(Role.EVALUATOR, unit=world["unit"]),
        "operator_not_requester": lambda: member(Role.UNIT_OPERATOR, unit=world["unit"]),
        "inspector": lambda: member(Role.INSPECTOR, pemda=world["pemda"]),
        "pemda_admin": lambda: member(Role.PEMDA_ADMIN, pemda=world["pemda"]),
        "requester": lambda: requester,
        "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
    }
    if who != "anonymous":
        client.force_login(users[who]())
    url = reverse("reports:download", args=[job.pk])
    response = client.get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))
    if status == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.7 saran warga"
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="laporan-skm-disdukcapil-semester-ii-2026.pdf"'
        )
        assert "no-store" in response["Cache-Control"]


def test_the_generic_route_serves_the_same_file_and_refuses_unknown_kinds(client, world):
    requester = member(Role.UNIT_HEAD, unit=world["unit"])
    job = _done_job(world, requester)
    client.force_login(requester)
    generic = client.get(reverse("core:private_file", args=["laporan", job.pk]))
    assert b"".join(generic.streaming_content) == b"%PDF-1.7 saran warga"
    assert client.get(reverse("core:private_file", args=["bukti", job.pk])).status_code == 404
    assert client.post(reverse("core:private_file", args=["laporan", job.pk])).status_code == 405


def test_behind_nginx_the_view_answers_x_accel_redirect(client, world, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    requester = member(Role.UNIT_HEAD, unit=world["unit"])
    job = _done_job(world, requester)
    client.force_login(requester)
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{job.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="laporan-skm-disdukcapil-semester-ii-2026.pdf"'
    )
    client.force_login(member(Role.PEMDA_ADMIN, pemda=PemdaFactory()))
    refused = client.get(reverse("reports:download", args=[job.pk]))
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_a_missing_file_is_a_404_not_a_500(client, world):
    requester = member(Role.UNIT_HEAD, unit=world["unit"])
    job = _done_job(world, requester)
    (world["private"] / job.file.name).unlink()
    client.force_login(requester)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_the_migration_moves_old_public_reports_into_private_storage(client, world):
    from importlib import import_module

    migration = import_module("mutu.reports.migrations.0002_report_files_private")
    requester = member(Role.UNIT_HEAD, unit=world["unit"])
    old_name = "reports/2026/12/laporan-skm-disdukcapil-semester-ii-2026.pdf"
    old_file = Path(world["media"]) / old_name
    old_file.parent.mkdir(parents=True)
    old_file.write_bytes(b"%PDF lama")
    params = {"period": world["period"].pk, "unit": world["unit"].pk}
    kept = ReportJob.objects.create(
        kind="skm_unit_pdf", pemda=world["pemda"], requested_by=requester, params=params
    )
    lost = ReportJob.objects.create(
        kind="skm_unit_pdf", pemda=world["pemda"], requested_by=requester, params=params
    )
    ReportJob.objects.filter(pk=kept.pk).update(status="done", file=old_name)
    ReportJob.objects.filter(pk=lost.pk).update(status="done", file="reports/2026/11/hilang.pdf")

    migration.move_report_files(apps, None)
    migration.move_report_files(apps, None)  # a second run changes nothing

    kept.refresh_from_db()
    lost.refresh_from_db()
    assert not old_file.exists()
    assert RANDOM_NAME.match(kept.file.name)
    assert (world["private"] / kept.file.name).read_bytes() == b"%PDF lama"
    assert kept.download_name == "laporan-skm-disdukcapil-semester-ii-2026.pdf"
    assert (lost.status, lost.file.name) == ("failed", "")
    client.force_login(requester)
    download = client.get(reverse("reports:download", args=[kept.pk]))
    assert b"".join(download.streaming_content) == b"%PDF lama"
    page = client.get(reverse("reports:job", args=[lost.pk])).content.decode()
    assert "Laporan gagal dibuat" in page


# Files that are public by nature; every other file field must use the private storage.
PUBLIC_FILE_FIELDS = {"organisations.Pemda.logo": "printed on posters and the public form"}


def test_every_file_field_but_the_public_ones_uses_private_storage():
    from django.db.models import FileField

    from mutu.core.files import PrivateFileSystemStorage

    public = set()
    for model in apps.get_models():
        if not model.__module__.startswith("mutu."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and not isinstance(
                field.storage, PrivateFileSystemStorage
            ):
                public.add(f"{model._meta.label}.{field.name}")
    assert public == set(PUBLIC_FILE_FIELDS)


def test_a_private_root_inside_media_root_fails_the_checks(settings, tmp_path):
    from django.core.checks import run_checks

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    assert "mutu.E010" in {message.id for message in run_checks()}
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    assert "mutu.E010" not in {message.id for message in run_checks()}


def test_a_private_file_has_no_public_url(world):
    job = _done_job(world, member(Role.UNIT_HEAD, unit=world["unit"]))
    with pytest.raises(ValueError, match="no public URL"):
        job.file.url  # noqa: B018

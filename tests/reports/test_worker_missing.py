"""Issue 12 item 2: a job no worker has picked up within a minute says so plainly, with what to
do, on the report page and on the import page (instead of "Dalam antrean 0%" forever)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from mutu.core.roles import Role
from mutu.organisations.models import ImportJob
from mutu.reports.models import ReportJob
from tests.factories import PemdaFactory, member

pytestmark = pytest.mark.django_db

MADE = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
ADVICE = ("make worker", "manage.py db_worker", "mutu-worker", "make run")


@pytest.fixture
def pemda():
    return PemdaFactory()


@pytest.fixture
def admin(pemda):
    user = member(Role.PEMDA_ADMIN, pemda=pemda)
    user._pemda = pemda  # where its jobs belong
    return user


def _report_job(admin, **fields):
    with time_machine.travel(MADE, tick=False):
        return ReportJob.objects.create(
            kind=ReportJob.Kind.SKM_UNIT_PDF,
            pemda=admin._pemda,
            requested_by=admin,
            **fields,
        )


def _import_job(admin, **fields):
    with time_machine.travel(MADE, tick=False):
        return ImportJob.objects.create(
            kind="unit",
            pemda=admin._pemda,
            requested_by=admin,
            upload_digest="0" * 64,
            **fields,
        )


def _page(client, user, url, after):
    client.force_login(user)
    with time_machine.travel(MADE + after, tick=False):
        reply = client.get(url)
    assert reply.status_code == 200
    return reply.content.decode()


@pytest.mark.parametrize("kind", ["report", "import"])
def test_still_queued_after_a_minute_says_no_worker_runs_and_what_to_do(client, admin, kind):
    job = _report_job(admin) if kind == "report" else _import_job(admin)
    url = reverse("reports:job" if kind == "report" else "organisations:import_job", args=[job.pk])

    soon = _page(client, admin, url, timedelta(seconds=50))
    assert 'id="worker-missing"' not in soon  # the worker polls every second or so: wait
    assert 'http-equiv="refresh"' in soon

    late = _page(client, admin, url, timedelta(seconds=61))
    assert 'id="worker-missing"' in late
    assert "Belum ada pekerja latar yang mengambil tugas ini" in late
    for advice in ADVICE:
        assert advice in late, advice
    assert 'http-equiv="refresh"' in late  # it keeps looking: the job runs once a worker starts


@pytest.mark.parametrize("kind", ["report", "import"])
def test_a_job_the_worker_took_never_shows_the_warning(client, admin, kind):
    if kind == "report":
        job = _report_job(admin, status=ReportJob.Status.RUNNING, progress=40)
        url = reverse("reports:job", args=[job.pk])
    else:
        job = _import_job(admin, status=ImportJob.Status.RUNNING)
        url = reverse("organisations:import_job", args=[job.pk])
    assert 'id="worker-missing"' not in _page(client, admin, url, timedelta(hours=1))

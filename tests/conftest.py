import shutil

import pytest
from django.conf import settings
from django.core.cache import caches


@pytest.fixture(autouse=True, scope="session")
def _remove_staged_uploads():
    # Uploads of import jobs that a test queued but never ran (tests/settings.py: one folder
    # per test process).
    yield
    shutil.rmtree(settings.IMPORT_UPLOAD_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Page caches and rate-limit counters (their own alias): each test starts with none.
    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    yield
    for alias in ("default", "ratelimit"):
        caches[alias].clear()


@pytest.fixture
def post_import(client, django_capture_on_commit_callbacks):
    """POST an import form as the browser does and follow it to the job's page: the job runs
    when the request's transaction commits (ImmediateBackend), as a worker would run it."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        return client.get(response.url) if response.status_code == 302 else response

    return post


@pytest.fixture
def tabulation_download(client, settings, tmp_path, django_capture_on_commit_callbacks):
    """Ask for a unit's XLSX tabulation as its button does (a background ReportJob, run at once
    on commit by the tests' task backend), then download it from the job; returns the bytes."""
    from django.urls import reverse

    from mutu.reports.models import ReportJob

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"

    def download(period_pk, unit_pk):
        url = reverse("reports:skm_tabulation", args=[period_pk, unit_pk])
        with django_capture_on_commit_callbacks(execute=True):
            reply = client.post(url)
        assert reply.status_code == 302, reply.status_code
        job = ReportJob.objects.filter(kind=ReportJob.Kind.SKM_UNIT_XLSX).latest("pk")
        assert reply["Location"] == reverse("reports:job", args=[job.pk])
        assert job.status == ReportJob.Status.DONE, job.error
        file = client.get(reverse("reports:download", args=[job.pk]))
        assert file.status_code == 200
        return b"".join(file.streaming_content)

    return download

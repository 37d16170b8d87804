import shutil

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connections

# Every table's ids start above this: an id rendered with a thousands separator ("1.000.001")
# in a form value, URL or data attribute breaks the test that posts or follows it.
FIRST_ID = 1_000_001


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After the test databases are made (one per xdist worker), move every id sequence past a
    million. A flush between transactional tests deletes rows but keeps the sequences (Django
    flushes without reset_sequences), so the ids stay large for the whole session."""
    with django_db_blocker.unblock():
        for connection in connections.all():
            _start_ids_high(connection)


def _start_ids_high(connection) -> None:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table, pk = model._meta.db_table, model._meta.pk
            if table not in tables or pk is None or pk.get_internal_type() not in _AUTO:
                continue
            _move_sequence(connection, cursor, table, pk.column)


_AUTO = {"AutoField", "BigAutoField", "SmallAutoField"}


def _move_sequence(connection, cursor, table: str, column: str) -> None:
    quoted = connection.ops.quote_name
    cursor.execute(f"SELECT MAX({quoted(column)}) FROM {quoted(table)}")
    last = max(cursor.fetchone()[0] or 0, FIRST_ID - 1)
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [quoted(table), column])
        (sequence,) = cursor.fetchone()
        if sequence:
            cursor.execute("SELECT setval(%s, %s)", [sequence, last])
    elif connection.vendor == "sqlite":
        # Django's SQLite AutoField is INTEGER ... AUTOINCREMENT: the next id is read from
        # sqlite_sequence, where a table has a row only once something was inserted into it.
        cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
        cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last])


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

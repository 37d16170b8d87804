import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

from tests.shared_world import a_shared_world_is_open, built_once

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


@pytest.fixture(autouse=True)
def _no_transactional_test_inside_a_shared_world(request):
    # A transactional test flushes the database: inside a shared world's open transaction it
    # would run against the world instead of an empty database (tests/shared_world.py).
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional and a_shared_world_is_open():
        pytest.fail("a transactional test runs inside a shared world: move it to another module")


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


# --- The demo, seeded once per test process --------------------------------------------------
# `manage.py seed_demo` takes seconds (the full region import, a hundred services, two
# semesters of answers). The tests that read it request `demo` (instead of `db`): they run first
# (pytest_collection_modifyitems below), so they follow each other on one xdist worker and
# share one seed, rolled back as soon as the next test does not read the demo.


class SessionDemo:
    """The seeded demo, kept open while demo tests follow each other."""

    def __init__(self, django_db_blocker, media_root) -> None:
        self._blocker = django_db_blocker
        self.media_root = media_root  # the Pemda logos the seed draws
        self.output = ""
        self._kept = None

    def open(self) -> "SessionDemo":
        if self._kept is None:
            if connections["default"].in_atomic_block:
                pytest.fail("request `demo` before `db`: the demo is seeded outside the test")
            self._kept = built_once(self._blocker, self._seed)
            self._kept.__enter__()
        return self

    def _seed(self) -> None:
        out = StringIO()
        with override_settings(MEDIA_ROOT=self.media_root):
            call_command("seed_demo", stdout=out)
        self.output = out.getvalue()

    def close(self) -> None:
        if self._kept is not None:
            kept, self._kept = self._kept, None
            kept.__exit__(None, None, None)


_session_demo: SessionDemo | None = None


@pytest.fixture(scope="session")
def _demo_session(django_db_setup, django_db_blocker, tmp_path_factory):
    global _session_demo
    _session_demo = SessionDemo(django_db_blocker, tmp_path_factory.mktemp("demo-media"))
    yield _session_demo
    _session_demo.close()  # before the test database goes
    _session_demo = None


@pytest.fixture
def demo(request, _demo_session, settings) -> SessionDemo:
    """The demo as `make run` seeds it on an empty database (its seed output in .output).
    Each test rolls its own writes back, as with `db`."""
    _demo_session.open()
    request.getfixturevalue("db")
    settings.MEDIA_ROOT = _demo_session.media_root
    return _demo_session


def _reads_the_demo(item) -> bool:
    return "demo" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items):
    # After pytest-django's own order (tryfirst): a stable sort keeps it otherwise.
    items.sort(key=lambda item: not _reads_the_demo(item))
    for item in items:
        if _reads_the_demo(item) and "db" not in item.fixturenames:
            # Named last, so `db` starts after the demo is open; named at all, so that
            # pytest-django creates the test database for a run of demo tests alone.
            item.fixturenames.append("db")
        if _in_a_slow_group(item):
            item.add_marker(pytest.mark.slow)


def _in_a_slow_group(item) -> bool:
    """Whole groups left out by `pytest -m "not slow"`: the browser tests, the deployment
    stack (gunicorn, nginx, Redis per module) and the demo's seed. Single slow tests carry
    @pytest.mark.slow themselves."""
    deployment = item.path.is_relative_to(Path(__file__).parent / "deploy")
    return deployment or item.get_closest_marker("e2e") is not None or _reads_the_demo(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield  # the test's own rollback first
    if _session_demo is not None and nextitem is not None and not _reads_the_demo(nextitem):
        _session_demo.close()
    return result

"""Imports run in the background (issue 11 item 9): the request checks and queues, the worker
writes in short batches, the page shows progress and then the report; a big import never costs
a citizen's answer to "database is locked"."""

import io
import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mutu.core.db import retry_on_lock
from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations import import_jobs
from mutu.organisations.models import ImportJob
from mutu.surveys.models import Response, SurveyLink, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member
from tests.surveys.factories import PeriodUnitFactory

HEADER = ",".join([*UNSUR_CODES, "gender", "served_on"])
# The service date lies in the period (the factory's runs 30 days either side of today).
GOOD = f"3,3,3,3,3,3,3,3,3,P,{timezone.localdate():%Y-%m-%d}"
BAD = "3,3,5,3,3,3,3,3,3,L,"


def _csv(*lines: str, name: str = "kertas.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode(), "text/csv")


@pytest.fixture
def seat(db):
    return PeriodUnitFactory(unit__name="UPT Puskesmas Waru")


@pytest.fixture
def operator(seat):
    return member(Role.UNIT_OPERATOR, unit=seat.unit)


def _url(seat):
    return reverse("surveys:paper_import", args=[seat.period.pk, seat.unit.pk])


def _staged() -> list[Path]:
    folder = Path(settings.IMPORT_UPLOAD_DIR)
    return sorted(folder.iterdir()) if folder.exists() else []


def _run(job: ImportJob) -> ImportJob:
    import_jobs.import_run(job.pk)
    job.refresh_from_db()
    return job


# --- upload → job → progress → report ---------------------------------------------------------


def test_upload_queues_a_job_and_the_page_shows_progress_then_the_report(client, seat, operator):
    client.force_login(operator)
    before = set(_staged())

    response = client.post(_url(seat), {"file": _csv(GOOD, GOOD, BAD), "keep_valid": "on"})

    # The request only checked and queued the file (its job runs after COMMIT, in the worker).
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response.url == reverse("organisations:import_job", args=[job.pk])
    assert (job.status, job.total_rows, job.kind, job.unit) == ("queued", 3, "kertas", seat.unit)
    assert Response.objects.count() == 0
    staged = set(_staged()) - before
    assert len(staged) == 1
    (path,) = staged
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    waiting = client.get(response.url).content.decode()
    assert "Dalam antrean" in waiting and 'http-equiv="refresh"' in waiting
    assert "Muat ulang" in waiting  # works without JavaScript

    job = _run(job)

    assert job.status == "done" and job.written == 2 and job.progress == 100
    assert Response.objects.filter(channel="paper", entered_by=operator).count() == 2
    assert not path.exists()  # the upload is kept only until the worker has read it
    page = client.get(response.url).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "2 baris diimpor." in page and "1 baris dilewati." in page
    assert "<tr><td>4</td>" in page and "waktu" in page
    event = DomainEvent.objects.get(verb="survey_paper.imported")
    assert event.data == {"period": seat.period.pk, "created": 2, "rejected": 1}


def test_a_bad_row_rejects_the_file_and_the_report_says_nothing_was_stored(
    client, post_import, seat, operator
):
    client.force_login(operator)
    page = post_import(_url(seat), {"file": _csv(GOOD, BAD, GOOD)}).content.decode()
    assert "Tidak ada yang disimpan" in page and "<tr><td>3</td>" in page
    assert ImportJob.objects.get().status == "rejected"
    assert Response.objects.count() == 0


# --- the row cap --------------------------------------------------------------------------------


def test_a_file_over_the_row_cap_is_refused_in_the_request_before_it_is_parsed(
    client, seat, operator, settings
):
    settings.IMPORT_MAX_ROWS = 3
    client.force_login(operator)
    before = _staged()
    # Past the cap sits a field over the csv module's limit: reading the whole file would fail
    # on it ("Berkas CSV rusak"); counting stops at the fourth row and never gets there.
    broken = "3," * 9 + "L," + "x" * 200_000
    upload = _csv(GOOD, GOOD, GOOD, GOOD, broken)

    response = client.post(_url(seat), {"file": upload})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Berkas berisi lebih dari 3 baris data." in html
    assert "Bagi menjadi beberapa berkas" in html
    assert not ImportJob.objects.exists()
    assert Response.objects.count() == 0
    assert _staged() == before


def test_a_file_at_the_row_cap_is_queued(client, seat, operator, settings):
    settings.IMPORT_MAX_ROWS = 3
    client.force_login(operator)
    assert client.post(_url(seat), {"file": _csv(GOOD, GOOD, GOOD)}).status_code == 302
    assert ImportJob.objects.get().total_rows == 3


# --- batches ----------------------------------------------------------------------------------


@pytest.fixture
def queued(seat, operator):
    """A queued job of five good rows (lines 2–6), as the upload page leaves it."""

    def make(*lines: str) -> ImportJob:
        return import_jobs.import_request(
            kind="kertas",
            pemda=seat.period.pemda,
            unit=seat.unit,
            params={"period": seat.period.pk},
            upload=_csv(*(lines or [GOOD] * 5)),
            actor=operator,
        )

    return make


@pytest.mark.django_db(transaction=True)
def test_rows_are_committed_batch_by_batch_with_the_progress(queued, settings, monkeypatch):
    settings.IMPORT_BATCH_ROWS = 2
    seen = []
    write_batch = import_jobs._write_batch

    def observed(job, *args):
        write_batch(job, *args)
        # After each batch, outside any transaction: its rows and its count are committed.
        assert not connection.in_atomic_block
        stored = ImportJob.objects.get(pk=job.pk)
        seen.append((Response.objects.count(), stored.written, stored.progress))

    monkeypatch.setattr(import_jobs, "_write_batch", observed)
    job = queued()  # transaction=True: the job runs at COMMIT, like the worker

    job.refresh_from_db()
    assert seen == [(2, 2, 40), (4, 4, 80), (5, 5, 100)]
    assert job.status == "done"


def test_a_failure_in_a_later_batch_keeps_the_earlier_batches_and_says_where_it_stopped(
    client, seat, operator, queued, settings, monkeypatch
):
    """The defined behaviour: the failing batch is rolled back, the job stops there; the batches
    before it stay (they were valid rows) and the report names the line and the count stored."""
    settings.IMPORT_BATCH_ROWS = 2
    write_batch = import_jobs._write_batch

    def close_after_first(job, importer, valid, start, size):
        if start == 2:  # the period is closed while the import runs
            SurveyPeriod.objects.filter(pk=seat.period.pk).update(status="closed")
        write_batch(job, importer, valid, start, size)

    monkeypatch.setattr(import_jobs, "_write_batch", close_after_first)
    job = _run(queued())

    assert job.status == "failed" and job.written == 2
    assert Response.objects.count() == 2
    assert job.error == (
        "Impor berhenti pada baris 4: Periode survei ini sudah ditutup. 2 baris sebelumnya "
        "sudah tersimpan; baris 4 dan sesudahnya belum."
    )
    assert not job.upload_name and not DomainEvent.objects.filter(verb="survey_paper.imported")
    client.force_login(operator)
    page = client.get(reverse("organisations:import_job", args=[job.pk])).content.decode()
    assert "Impor berhenti pada baris 4" in page and 'http-equiv="refresh"' not in page


# --- never twice --------------------------------------------------------------------------------


def test_a_job_run_twice_imports_once(queued):
    job = queued()
    assert _run(job).written == 5
    assert import_jobs.import_run(job.pk) == "done"  # a second delivery finds nothing to claim
    assert Response.objects.count() == 5


def test_a_job_rerun_after_a_crash_does_not_double_the_rows_it_wrote(queued, settings):
    job = _run(queued())
    # As if the worker died after committing and the job were queued again by hand.
    ImportJob.objects.filter(pk=job.pk).update(status="queued", written=0)
    job.upload_name = import_jobs._stage(_csv(*[GOOD] * 5).read())
    job.save(update_fields=["upload_name"])

    job = _run(job)

    assert job.status == "done" and job.written == 5
    assert Response.objects.count() == 5  # each row's id is derived from (job, line)


def test_the_same_file_sent_twice_is_one_job_and_once_imported_it_is_refused(
    client, seat, operator
):
    client.force_login(operator)
    first = client.post(_url(seat), {"file": _csv(GOOD, GOOD)})
    second = client.post(_url(seat), {"file": _csv(GOOD, GOOD)})  # a double click
    assert first.url == second.url and ImportJob.objects.count() == 1
    _run(ImportJob.objects.get())

    again = client.post(_url(seat), {"file": _csv(GOOD, GOOD)})

    assert again.status_code == 200
    assert "Berkas yang sama sudah diimpor ke sini" in again.content.decode()
    assert ImportJob.objects.count() == 1 and Response.objects.count() == 2


# --- who sees a job ---------------------------------------------------------------------------


def test_only_who_may_import_for_the_unit_sees_its_job(client, seat, queued):
    job = queued()
    url = reverse("organisations:import_job", args=[job.pk])
    pemda = seat.period.pemda
    neighbour = UnitFactory(pemda=pemda, name="UPT Puskesmas Lain")
    for user, status in [
        (member(Role.UNIT_OPERATOR, unit=seat.unit), 200),
        (member(Role.PEMDA_ADMIN, pemda=pemda), 200),
        (member(Role.UNIT_OPERATOR, unit=neighbour), 404),
        (member(Role.INSPECTOR, pemda=pemda), 404),
        (member(Role.PEMDA_ADMIN, pemda=PemdaFactory()), 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.logout()
    assert client.get(url).status_code == 302


# --- a public answer is never lost to the import's lock ---------------------------------------


@pytest.mark.django_db(transaction=True)
def test_retry_on_lock_retries_a_locked_write_outside_a_transaction_only():
    calls = []

    def locked_twice():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "stored"

    if connection.vendor != "sqlite":
        with pytest.raises(OperationalError):
            retry_on_lock(locked_twice)
        return
    with transaction.atomic(), pytest.raises(OperationalError):
        retry_on_lock(locked_twice)  # inside a transaction the caller must retry it whole
    calls.clear()
    assert retry_on_lock(locked_twice) == "stored" and len(calls) == 3


@pytest.mark.django_db(transaction=True)
def test_retry_on_lock_gives_up_after_its_time_not_after_a_number_of_tries():
    calls = []

    def always_locked():
        calls.append(1)
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        retry_on_lock(always_locked, within=0.5 if connection.vendor == "sqlite" else 0)
    assert len(calls) > 1 if connection.vendor == "sqlite" else len(calls) == 1


@pytest.fixture
def file_database(tmp_path):
    """On SQLite, a copy of the test database in a real file (WAL, busy timeout), used by every
    thread started in the test: the in-memory test database has no file locks to contend for.
    The busy timeout is cut from 20 s to 2 s so that a transaction longer than it — what a
    30k-row import in one transaction was against 20 s — fits in a short test."""
    if connection.vendor != "sqlite":
        yield
        return
    original = connections.settings["default"]
    path = tmp_path / "mutu.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    options = {**original.get("OPTIONS", {}), "timeout": 2}
    connections.settings["default"] = {**original, "NAME": str(path), "OPTIONS": options}
    yield
    connections.settings["default"] = original


def _in_thread(work, results, key):
    try:
        results[key] = work()
    except Exception as error:  # the test reports every failure
        results[key] = error
    finally:
        connections.close_all()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_no_citizen_answer_is_lost_while_a_big_import_runs(
    seat, operator, settings, request, monkeypatch
):
    settings.IMPORT_BATCH_ROWS = 100
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    rows = 2000
    job = import_jobs.import_request(
        kind="kertas",
        pemda=seat.period.pemda,
        unit=seat.unit,
        params={"period": seat.period.pk},
        upload=_csv(*[GOOD] * rows),
        actor=operator,
    )
    token = SurveyLink.objects.create(unit=seat.unit).token
    writing = threading.Event()
    write_batch = import_jobs._write_batch

    def signalled(*args):
        writing.set()
        write_batch(*args)

    monkeypatch.setattr(import_jobs, "_write_batch", signalled)
    request.getfixturevalue("file_database")  # from here on, threads use the file copy
    results: dict = {}
    importer = threading.Thread(
        target=_in_thread, args=(lambda: import_jobs.import_run(job.pk), results, "import")
    )

    def citizen(number: int) -> list[int]:
        """Answers while the import writes: at least 4, then on until it has finished."""
        client = Client(REMOTE_ADDR=f"10.9.{number}.1")
        data = {f"u_{code}": "4" for code in UNSUR_CODES} | {"consent": "on"}
        url = reverse("surveys:form", args=[token])
        writing.wait(timeout=30)
        codes: list[int] = []
        while len(codes) < 4 or (importer.is_alive() and len(codes) < 40):
            codes.append(client.post(url, data).status_code)
        return codes

    citizens = [
        threading.Thread(target=_in_thread, args=(lambda n=n: citizen(n), results, n))
        for n in range(8)
    ]
    for thread in [importer, *citizens]:
        thread.start()
    for thread in [importer, *citizens]:
        thread.join(timeout=60)

    failures = {k: v for k, v in results.items() if isinstance(v, Exception)}
    assert not failures, failures
    posted = [code for key, codes in results.items() if key != "import" for code in codes]
    assert set(posted) == {302}
    counted: dict = {}

    def count():
        if connection.vendor == "sqlite":
            assert connection.settings_dict["NAME"].endswith("mutu.sqlite3")
        counted["web"] = Response.objects.filter(channel="web").count()
        counted["paper"] = Response.objects.filter(channel="paper").count()
        counted["status"] = ImportJob.objects.get(pk=job.pk).status

    checker = threading.Thread(target=_in_thread, args=(count, results, "count"))
    checker.start()
    checker.join()
    assert results["count"] is None, results["count"]
    assert counted == {"web": len(posted), "paper": rows, "status": "done"}


def test_staged_uploads_live_outside_media_root():
    assert not os.path.abspath(settings.IMPORT_UPLOAD_DIR).startswith(
        os.path.abspath(settings.MEDIA_ROOT)
    )


def test_a_job_whose_uploader_lost_the_right_meanwhile_writes_nothing(queued, operator):
    job = queued()
    operator.memberships.all().delete()

    job = _run(job)

    assert job.status == "failed" and job.written == 0
    assert job.error == "Pengunggah tidak lagi berwenang mengimpor di sini."
    assert Response.objects.count() == 0 and not job.upload_name


@pytest.mark.parametrize("rejected", [1, 30])
def test_the_report_page_costs_the_same_queries_however_many_rows_were_rejected(
    client, seat, operator, queued, rejected, django_assert_num_queries
):
    job = _run(queued(*[BAD] * rejected))
    assert job.status == "rejected" and len(job.errors) == rejected
    client.force_login(operator)
    with django_assert_num_queries(5):  # session, user, job, scope (permission and menu), page
        page = client.get(reverse("organisations:import_job", args=[job.pk]))
    assert page.content.decode().count("<tr><td>") == rejected


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_db_worker_run_the_import(client, seat, operator, settings):
    """As in production: the upload waits in django_tasks_db's table until `db_worker` runs."""
    import logging
    import signal

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(operator)
    page = client.post(_url(seat), {"file": _csv(GOOD, GOOD, GOOD)})
    job = ImportJob.objects.get()
    assert job.status == "queued" and Response.objects.count() == 0
    task = DBTaskResult.objects.get()
    assert task.task_path == "mutu.organisations.tasks.run_import" and task.args_kwargs["args"] == [
        job.pk
    ]

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    levels = {n: logging.getLogger(n).level for n in ("django.tasks", "django_tasks_db")}
    try:
        call_command("db_worker", batch=True, startup_delay=False, interval=0, stdout=io.StringIO())
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)

    job.refresh_from_db()
    assert (job.status, job.written) == ("done", 3)
    assert Response.objects.filter(channel="paper").count() == 3
    assert "3 baris diimpor." in client.get(page.url).content.decode()

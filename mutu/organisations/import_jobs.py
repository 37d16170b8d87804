"""Imports in the background: the request checks the upload and queues a job; the worker
(`manage.py db_worker`) validates every row, then writes the valid ones in short batches.

Why: a 100k-row file imported inside the request timed out at the proxy while its one long
transaction kept SQLite's write lock for minutes, and citizens' submissions waiting for that
lock failed with "database is locked". Here the request only reads the file cheaply (size, type,
columns, rows counted up to IMPORT_MAX_ROWS) and a batch holds the lock for a fraction of a
second.

Semantics, as before: every row is validated first and each rejected row is reported with its
line; one rejected row stops the import before anything is written, unless the user chose to
keep the valid rows. If a batch fails while writing (the period was closed meanwhile, the user
lost the right to import), that batch is rolled back and the job stops there: the batches before
it stay written and the report says which line stopped it and how many rows are stored.

A job runs once: the worker claims it by switching it from "queued" to "running" in one UPDATE,
so a task delivered twice finds nothing to claim. The same file uploaded again for the same place
while its job is queued or running leads to that job (a double click); once imported it is
refused.
"""

import functools
import hashlib
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from mutu.core.db import retry_on_lock
from mutu.core.events import record_event
from mutu.core.models import User
from mutu.core.tabular import (
    Errors,
    ImportReport,
    TabularFileError,
    Valid,
    inspect_upload,
    read_rows,
)
from mutu.organisations.events import OrgEvent
from mutu.organisations.models import ImportJob, Pemda, Unit

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Importer:
    """What one kind of import supplies; the job machinery does the rest."""

    label: "StrOrPromise"  # "unit", "layanan", "kuesioner kertas" …: shown in titles
    allowed: Callable[[Any, ImportJob], bool]  # may this user import here / see the job?
    columns: Callable[[ImportJob], tuple[list[str], list[str]]]  # (expected, required)
    validate: Callable[[ImportJob, list[Any]], tuple[Errors, Valid]]
    write: Callable[[ImportJob, int, Any], None]  # one row, inside the batch's transaction
    finish: Callable[[ImportJob], None]  # records the business event
    form_url: Callable[[ImportJob], str]  # the upload page, to import another file
    # Called at the start of each batch's transaction: re-read what may have changed since the
    # rows were validated (a period closed meanwhile must stop the import).
    batch_start: Callable[[ImportJob, Valid], None] = lambda job, batch: None


IMPORTERS = {
    "unit": "mutu.organisations.imports.UNIT_IMPORTER",
    "layanan": "mutu.organisations.imports.SERVICE_IMPORTER",
    "kertas": "mutu.surveys.imports.PAPER_IMPORTER",
    "populasi": "mutu.surveys.imports.POPULATION_IMPORTER",
}


def importer_of(kind: str) -> Importer:
    if kind not in IMPORTERS:
        raise Http404
    importer: Importer = import_string(IMPORTERS[kind])
    return importer


def import_request(
    *,
    kind: str,
    pemda: Pemda,
    upload: Any,
    actor: User,
    keep_valid: bool = False,
    unit: Unit | None = None,
    params: dict[str, Any] | None = None,
) -> ImportJob:
    """Check an upload cheaply and queue its import. Raises TabularFileError (the file as a
    whole cannot be imported) or ValidationError (this file was imported already)."""
    importer = importer_of(kind)
    job = ImportJob(
        kind=kind,
        pemda=pemda,
        unit=unit,
        params=params or {},
        keep_valid=keep_valid,
        requested_by=actor,
    )
    if not importer.allowed(actor, job):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))
    expected, required = importer.columns(job)
    content, rows = inspect_upload(upload, expected=expected, required=required)
    job.upload_digest = hashlib.sha256(content).hexdigest()
    twin = _twin(job)
    if twin is not None and twin.status in ImportJob.ACTIVE:
        return twin  # the same file sent twice (a double click): one job
    if twin is not None:
        raise ValidationError(_refusal_of_twin(twin))
    job.total_rows, job.upload_name = rows, _stage(content)
    from mutu.organisations.tasks import run_import

    with transaction.atomic():
        job.save()
        record_event(
            actor=actor,
            verb=OrgEvent.IMPORT_REQUESTED,
            obj=job,
            pemda=pemda,
            data={"kind": kind, "rows": rows, **job.params},
        )
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


def _refusal_of_twin(twin: ImportJob) -> str:
    """Why the same file is refused: its rows are stored already (a job that rejected its
    file stored nothing, so that file may be sent again once corrected)."""
    when = timezone.localtime(twin.created_at, ZoneInfo(twin.pemda.timezone))
    return _(
        "Berkas yang sama sudah diimpor ke sini pada %(when)s (impor #%(job)s, %(written)s "
        "baris tersimpan). Berkas ini ditolak agar tidak ada baris yang dihitung dua kali; "
        "untuk menambah data, unggah berkas yang hanya berisi baris baru."
    ) % {"when": f"{when:%d-%m-%Y %H:%M}", "job": twin.pk, "written": twin.written}


def _twin(job: ImportJob) -> ImportJob | None:
    """An earlier job of the same file for the same place that is queued, running or done."""
    candidates = ImportJob.objects.filter(
        kind=job.kind,
        pemda=job.pemda,
        unit=job.unit,
        upload_digest=job.upload_digest,
        status__in=[*ImportJob.ACTIVE, ImportJob.Status.DONE],
    )
    return next((other for other in candidates if other.params == job.params), None)


def import_job_get(user: Any, pk: int) -> ImportJob:
    """A job seen only by who may import there (the unit's people for paper forms, the Pemda's
    admins for the rest): the report names rows of that unit or Pemda."""
    job = ImportJob.objects.select_related("pemda", "unit").filter(pk=pk).first()
    if job is None or not user.is_authenticated or not importer_of(job.kind).allowed(user, job):
        raise Http404
    return job


def import_run(job_id: int) -> str:
    """The worker's part: validate every row, then write the valid ones batch by batch."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    )
    job = ImportJob.objects.select_related("pemda", "unit", "requested_by").get(pk=job_id)
    if not claimed:  # delivered twice, or run again by hand: the first run did (or does) it
        return str(job.status)
    importer = importer_of(job.kind)
    try:
        _validate_and_write(job, importer)
    except Exception as error:  # a failed import must say so, never hang at "running"
        log.exception("import %s failed", job_id)
        job.written = ImportJob.objects.values_list("written", flat=True).get(pk=job_id)
        failure = _failure(job, error)
        retry_on_lock(lambda: _save(job, status=ImportJob.Status.FAILED, error=failure))
    finally:
        _unstage(job)
    return str(job.status)


def _validate_and_write(job: ImportJob, importer: Importer) -> None:
    if job.requested_by is None or not importer.allowed(job.requested_by, job):
        # The uploader's account or right went away while the job waited: a job never runs
        # as the unchecked system caller (actor None).
        raise PermissionDenied(_("Pengunggah tidak lagi berwenang mengimpor di sini."))
    content = (Path(settings.IMPORT_UPLOAD_DIR) / job.upload_name).read_bytes()
    expected, required = importer.columns(job)
    errors, valid = importer.validate(job, read_rows(content, expected=expected, required=required))
    _save(job, errors=[[line, message] for line, message in errors], progress=1)
    if errors and not job.keep_valid:
        _save(job, status=ImportJob.Status.REJECTED, progress=100)
        return
    size = max(1, settings.IMPORT_BATCH_ROWS)
    for start in range(0, len(valid), size):
        retry_on_lock(functools.partial(_write_batch, job, importer, valid, start, size))
    retry_on_lock(lambda: _finish(job, importer))


def _finish(job: ImportJob, importer: Importer) -> None:
    with transaction.atomic():
        importer.finish(job)
        _save(job, status=ImportJob.Status.DONE, progress=100)


class _BatchStopped(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def _write_batch(job: ImportJob, importer: Importer, valid: Valid, start: int, size: int) -> None:
    """One short transaction: its rows and the job's count of written rows commit together."""
    batch = valid[start : start + size]
    with transaction.atomic():
        importer.batch_start(job, batch)
        for line, item in batch:
            try:
                importer.write(job, line, item)
            except (ValidationError, PermissionDenied) as error:
                reason = " ".join(getattr(error, "messages", None) or [str(error)])
                raise _BatchStopped(line, reason) from error
        done = start + len(batch)
        _save(job, written=done, progress=max(1, 100 * done // len(valid)))


def _failure(job: ImportJob, error: Exception) -> str:
    if isinstance(error, _BatchStopped):
        return _(
            "Impor berhenti pada baris %(line)s: %(reason)s %(written)s baris sebelumnya sudah "
            "tersimpan; baris %(line)s dan sesudahnya belum."
        ) % {"line": error.line, "reason": error.reason, "written": job.written}
    if isinstance(error, TabularFileError | PermissionDenied):
        return str(error)
    return _("Impor gagal karena kesalahan sistem. %(written)s baris sudah tersimpan.") % {
        "written": job.written
    }


def _save(job: ImportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def _stage(content: bytes) -> str:
    """Keep the upload until the worker reads it: a random name, readable by this user only,
    in a folder outside MEDIA_ROOT (nothing there is ever served)."""
    folder = Path(settings.IMPORT_UPLOAD_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.upload"
    descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as staged:
        staged.write(content)
    return name


def _unstage(job: ImportJob) -> None:
    if job.upload_name:
        (Path(settings.IMPORT_UPLOAD_DIR) / job.upload_name).unlink(missing_ok=True)
        _save(job, upload_name="")


def import_now(job: ImportJob, upload: Any) -> ImportReport:
    """The same import in one go, inside the caller's request (small files, and the tests of
    each importer's rules): validate everything, then write all or nothing."""
    importer = importer_of(job.kind)
    if not importer.allowed(job.requested_by, job):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))
    expected, required = importer.columns(job)
    errors, valid = importer.validate(job, read_rows(upload, expected=expected, required=required))
    report = ImportReport(errors=list(errors))
    job.errors = [[line, message] for line, message in errors]
    if errors and not job.keep_valid:
        return report
    with transaction.atomic():
        importer.batch_start(job, valid)
        for line, item in valid:
            importer.write(job, line, item)
        job.written = len(valid)
        importer.finish(job)
    report.created, report.written = len(valid), True
    return report


def queue_from_form(form: Any, *, actor: User, **where: Any) -> ImportJob | None:
    """Queue the import of an upload form's file (mutu.core.forms.ImportForm); a file that
    cannot be imported becomes an error on the form (nothing queued, nothing stored)."""
    from mutu.core.http import save_through_service

    try:
        job: ImportJob | None = save_through_service(
            form,
            lambda: import_request(
                upload=form.cleaned_data["file"],
                keep_valid=form.cleaned_data["keep_valid"],
                actor=actor,
                **where,
            ),
        )
    except TabularFileError as error:
        form.add_error("file", str(error))
        return None
    return job

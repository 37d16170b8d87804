"""Background email through django-tasks-db: queued by the request, sent by `db_worker`."""

import io
import logging
import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus, task_backends
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from mutu.core.tasks import send_email
from tests.factories import UserFactory

DB_TASKS = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})


@pytest.fixture
def run_worker():
    """`manage.py db_worker --batch`, leaving the signal handlers and log levels as they were."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = [logging.getLogger(name) for name in ("django.tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]

    def run() -> str:
        out = io.StringIO()
        call_command("db_worker", batch=True, startup_delay=False, interval=0, stdout=out)
        return out.getvalue()

    yield run
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@DB_TASKS
@pytest.mark.django_db(transaction=True)
def test_send_email_is_queued_then_sent_by_the_worker(run_worker):
    assert isinstance(task_backends["default"], DatabaseBackend)

    result = send_email.enqueue(
        subject="Undangan evaluasi PEKPPP",
        body="Yth. Kepala Dinas, ...",
        to=["kadis@x.go.id"],
    )

    assert result.status == TaskResultStatus.READY
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.task_path == "mutu.core.tasks.send_email"
    assert stored.status == TaskResultStatus.READY
    assert mail.outbox == []

    run_worker()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Undangan evaluasi PEKPPP"
    assert mail.outbox[0].to == ["kadis@x.go.id"]
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert send_email.get_result(result.id).status == TaskResultStatus.SUCCESSFUL


@DB_TASKS
@pytest.mark.django_db(transaction=True)
def test_worker_in_batch_mode_sends_every_queued_email_once(run_worker):
    for n in range(3):
        send_email.enqueue(subject=f"Pesan {n}", body="isi", to=[f"orang{n}@x.go.id"])

    run_worker()
    run_worker()  # nothing left: a second run sends nothing again

    assert sorted(m.subject for m in mail.outbox) == ["Pesan 0", "Pesan 1", "Pesan 2"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }


@DB_TASKS
@pytest.mark.django_db(transaction=True)
def test_password_reset_email_waits_for_the_worker(client, run_worker):
    UserFactory(email="admin@x.go.id")

    response = client.post(reverse("password_reset"), {"email": "admin@x.go.id"})

    assert response.status_code == 302
    assert mail.outbox == []
    stored = DBTaskResult.objects.get()
    assert stored.args_kwargs["kwargs"]["to"] == ["admin@x.go.id"]

    run_worker()

    assert len(mail.outbox) == 1
    assert "/akun/sandi/atur/" in mail.outbox[0].body
    stored.refresh_from_db()
    assert stored.status == TaskResultStatus.SUCCESSFUL


def test_tests_send_email_immediately_by_default(db):
    result = send_email.enqueue(subject="Segera", body="isi", to=["a@x.go.id"])

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert [m.subject for m in mail.outbox] == ["Segera"]

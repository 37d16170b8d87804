"""Issue 12 item 2: `make run` starts the task worker beside the web server; one Ctrl+C stops
both (and runserver's and db_worker's autoreload children), and neither is left alone running."""

import signal
import socket
import subprocess
import time

import pytest

from tests.launcher import PIDS, ROOT, app_env, free_port, group_alive, launch, manage


def test_make_run_starts_the_launcher_not_a_bare_runserver():
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "manage.py runserver_with_worker 127.0.0.1:8000" in recipe
    assert "manage.py runserver 127.0.0.1" not in recipe
    # Its other steps and the demo logins printed by seed_demo are still there.
    for step in (
        "migrate --noinput",
        "import_regions",
        "MUTU_DEMO=true .venv/bin/python manage.py seed_demo",
    ):
        assert step in recipe


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("launcher")
    env = app_env(tmp)
    manage(env, "migrate", "--noinput")
    return tmp, env


@pytest.mark.slow  # runserver and db_worker, started and stopped
def test_ctrl_c_stops_the_web_server_and_the_worker(migrated):
    tmp, env = migrated
    app = launch(env, tmp, free_port())
    try:
        app.wait_ready()
        assert group_alive(app.worker_pid) and group_alive(app.web_pid)
        assert "Starting worker" in _wait_for(app, "Starting worker")

        app.process.send_signal(signal.SIGINT)  # what Ctrl+C sends
        assert app.process.wait(timeout=30) == 0
        assert not group_alive(app.worker_pid), app.output()
        assert not group_alive(app.web_pid), app.output()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", int(app.url.rsplit(":", 1)[1])), timeout=2)
    finally:
        app.stop()


@pytest.mark.slow
def test_when_the_web_server_cannot_start_the_worker_is_stopped_too(migrated):
    tmp, env = migrated
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app = launch(env, tmp, port, "--noreload")
        try:
            assert app.process.wait(timeout=90) == 1
            assert "runserver berhenti" in app.output()
            pids = [int(p) for p in _pids(app)]
            assert pids and not any(group_alive(pid) for pid in pids), app.output()
        finally:
            app.stop()


def _pids(app):
    found = PIDS.search(app.output())
    return found.groups() if found else ()


def _wait_for(app, text, timeout=60):
    deadline = time.monotonic() + timeout
    while text not in app.output() and time.monotonic() < deadline:
        time.sleep(0.3)
    return app.output()

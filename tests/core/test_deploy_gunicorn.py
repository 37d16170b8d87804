"""The deployed server configuration (deploy/gunicorn.conf.py) boots and keeps connections
alive, as nginx's upstream keep-alive and decision 0005 rely on."""

import http.client
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not start within 60 s")


@pytest.fixture
def deployed_server(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "test-only-not-secret",
        "DEBUG": "false",
        "SECURE_HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    command += ["-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    # The log goes to a file: a pipe nobody reads would stall a talkative server once full.
    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [*command, "--access-logfile", "/dev/null"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    try:
        _wait_until_serving(port, server, log)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _healthz(connection: http.client.HTTPConnection) -> tuple[int, str | None]:
    connection.request("GET", "/healthz")
    response = connection.getresponse()
    response.read()
    return response.status, response.getheader("Connection")


def test_one_connection_carries_several_requests(deployed_server):
    connection = http.client.HTTPConnection("127.0.0.1", deployed_server, timeout=10)
    first_status, first_header = _healthz(connection)
    first_socket = connection.sock
    second_status, second_header = _healthz(connection)
    assert (first_status, second_status) == (200, 200)
    assert "close" not in f"{first_header} {second_header}".lower()
    assert connection.sock is first_socket  # http.client reconnects after a close
    connection.close()


def test_threads_serve_concurrent_requests(deployed_server):
    def one(_: int) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", deployed_server, timeout=10)
        try:
            return _healthz(connection)[0]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(one, range(16))) == [200] * 16

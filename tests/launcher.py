"""Starting mutu the way `make run` does (`manage.py runserver_with_worker`) on a temporary
SQLite database, for the launcher test and the end-to-end "report right after make run" test."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIDS = re.compile(r"pid (\d+), web pid (\d+)")


def app_env(tmp: Path) -> dict[str, str]:
    """`make run`'s environment (DEBUG, demo) on a database and media of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="true",
        MUTU_DEMO="true",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp / "private"),
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        CACHE_URL="locmemcache://launcher",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Launched:
    process: subprocess.Popen[bytes]
    log: Path
    url: str
    worker_pid: int = 0
    web_pid: int = 0

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = 90) -> None:
        """Until the launcher named its two children and the web server answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            found = PIDS.search(self.output())
            if found and _answers(self.url):
                self.worker_pid, self.web_pid = map(int, found.groups())
                return
            time.sleep(0.3)
        raise AssertionError(f"mutu did not start within {timeout}s:\n{self.output()}")

    def stop(self) -> None:
        """Ctrl+C, as a person would press it (and a last resort if the test failed early)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        for pid in (self.worker_pid, self.web_pid):
            if pid and group_alive(pid):
                os.killpg(pid, signal.SIGKILL)


def launch(env: dict[str, str], tmp: Path, port: int, *extra: str) -> Launched:
    log = tmp / f"launcher-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver_with_worker", f"127.0.0.1:{port}", *extra],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Launched(process=process, log=log, url=f"http://127.0.0.1:{port}")


def group_alive(pgid: int) -> bool:
    """Whether any process of the group still runs (a reaped leader's group may have others)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
            return bool(response.status)
    except urllib.error.HTTPError:
        return True  # it answered
    except OSError:
        return False

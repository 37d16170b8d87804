"""`make run`: the development web server and the task worker together, one Ctrl+C stops both.

Without a worker every report and import waits "Dalam antrean" forever (issue 12). Each child
runs in its own process group: the launcher alone receives the terminal's Ctrl+C (or a SIGTERM)
and stops both groups, including runserver's autoreload child, so nothing is left running.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

STOP_GRACE_SECONDS = 10
POLL_SECONDS = 0.2


class Command(BaseCommand):
    help = "Jalankan server web pengembangan dan pekerja tugas latar (db_worker) bersamaan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--noreload", action="store_true", help="Tanpa pemuatan ulang otomatis."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        server = [*manage, "runserver", options["addrport"]]
        if options["noreload"]:
            server.append("--noreload")
        stopping: list[int] = []

        def stop(signum: int, _frame: FrameType | None) -> None:
            stopping.append(signum)

        # Handlers first: a Ctrl+C between the two starts must still stop the first child.
        previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
        children: list[subprocess.Popen[bytes]] = []
        ended: list[subprocess.Popen[bytes]] = []
        try:
            # Our own interpreter and manage.py, fixed arguments: nothing untrusted is run.
            names = {}
            for name, command in (("db_worker", [*manage, "db_worker"]), ("runserver", server)):
                child = subprocess.Popen(command, start_new_session=True)  # noqa: S603
                children.append(child)
                names[child.pid] = name
            worker, web = children
            self.stdout.write(f"Pekerja latar (db_worker) pid {worker.pid}, web pid {web.pid}.")
            self.stdout.flush()
            while not stopping and not ended:
                time.sleep(POLL_SECONDS)
                ended = [child for child in children if child.poll() is not None]
        finally:
            _stop_all(children)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if ended and not stopping:
            # One of the two stopped by itself (port in use, database down): say so, exit non-zero.
            first = ended[0]
            sys.exit(f"{names[first.pid]} berhenti (kode {first.returncode}); keduanya dihentikan.")


def _stop_all(children: list[subprocess.Popen[bytes]]) -> None:
    """SIGINT to each child's whole group (as a terminal's Ctrl+C would), then SIGKILL any
    group still there after the grace period (runserver's reload child is in the group too)."""
    for child in children:
        _signal_group(child, signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        while _group_alive(child) and time.monotonic() < deadline:
            child.poll()  # reap the leader, so only live members keep the group
            time.sleep(POLL_SECONDS / 2)
        _signal_group(child, signal.SIGKILL)
        child.wait()


def _group_alive(child: subprocess.Popen[bytes]) -> bool:
    try:
        os.killpg(child.pid, 0)
    except ProcessLookupError:
        return False
    return True


def _signal_group(child: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(child.pid, signum)

# gunicorn for mutu, behind nginx (deploy/nginx.conf.example). One process per core, four
# threads each, keep-alive connections from nginx: a thread waiting on PostgreSQL or on the
# network gives the core to another (decision 0005). Sync workers are slower here: gunicorn 27
# keeps a sync worker on each closed connection until the client closes its side too.
# GUNICORN_WORKERS and GUNICORN_THREADS change the defaults; config/settings.py reads the same
# two variables to size each process's PostgreSQL connection pool (README, "Produksi").
import multiprocessing
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

bind = "127.0.0.1:8000"
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count())
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
keepalive = 5
timeout = 60
graceful_timeout = 30
max_requests = 50000
max_requests_jitter = 5000
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"


def on_starting(server):
    # Refuse to start on settings that undo protections in production, e.g. a per-process
    # cache under several workers (mutu.core.checks). A child process, so that the master
    # never imports Django or opens a connection that the workers would inherit. The check
    # judges the worker count gunicorn will really start (also when given by --workers).
    check = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"]
    env = {**os.environ, "GUNICORN_WORKERS": str(server.cfg.workers)}
    if subprocess.run(check, cwd=ROOT, env=env).returncode:  # noqa: S603  (a fixed command)
        sys.exit("mutu: `manage.py check --deploy` found errors; gunicorn does not start.")

"""System checks for production settings (`manage.py check --deploy`; gunicorn runs it before
it starts, deploy/gunicorn.conf.py)."""

from typing import Any

from django.conf import settings
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.module_loading import import_string

# Caches that each gunicorn process keeps to itself: rate limits, the period status and the
# proof-of-work replay list kept there hold per process, so N workers let N times through. The
# file cache is shared on one machine but has no atomic increment. With one server process they
# still hold (until a restart), so that case is only a warning.
PER_PROCESS_CACHES = (LocMemCache, FileBasedCache)
# A cache that stores nothing turns rate limits and replay protection off in every process.
NO_STORE_CACHES = (DummyCache,)
SHARED_CACHE_HINT = "Set CACHE_URL=rediscache://127.0.0.1:6379/1 (see .env.example)."


def server_processes() -> int:
    """The gunicorn processes that would serve requests (deploy/gunicorn.conf.py passes its own
    count in GUNICORN_WORKERS when it runs this check before starting)."""
    return int(settings.GUNICORN_WORKERS)


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    processes = server_processes()
    messages: list[CheckMessage] = []
    for alias, config in settings.CACHES.items():
        backend = import_string(config["BACKEND"])
        name = f"The cache {alias!r} ({config['BACKEND']})"
        if issubclass(backend, NO_STORE_CACHES):
            messages.append(
                Error(
                    f"{name} stores nothing: rate limits, lockouts and the proof-of-work "
                    "replay list do not hold at all.",
                    hint=SHARED_CACHE_HINT,
                    id="mutu.E001",
                )
            )
        elif issubclass(backend, PER_PROCESS_CACHES) and processes > 1:
            messages.append(
                Error(
                    f"{name} is not shared between processes: under {processes} gunicorn "
                    "workers the rate limits, lockouts and cached statuses kept there hold per "
                    "process.",
                    hint=f"{SHARED_CACHE_HINT} Or run one process: GUNICORN_WORKERS=1.",
                    id="mutu.E001",
                )
            )
        elif issubclass(backend, PER_PROCESS_CACHES):
            messages.append(
                Warning(
                    f"{name} is not shared between processes: it holds with one gunicorn "
                    "worker, but a restart forgets the rate limits and spent proofs of work, "
                    "and a second worker would split them.",
                    hint=SHARED_CACHE_HINT,
                    id="mutu.W002",
                )
            )
    return messages


@register(Tags.security, deploy=True)
def check_client_address_behind_proxy(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    # Behind nginx REMOTE_ADDR is the proxy: every citizen would share one rate limit, and
    # lockouts (django-axes, by email + address) would lock an account for everyone.
    if settings.DEBUG or settings.CLIENT_IP_META != "REMOTE_ADDR":
        return []
    return [
        Warning(
            "CLIENT_IP_META is REMOTE_ADDR: behind a reverse proxy every client has the "
            "proxy's address for rate limits and account lockouts.",
            hint="Behind nginx (deploy/nginx-mutu-locations.conf) set "
            "CLIENT_IP_META=HTTP_X_REAL_IP.",
            id="mutu.W001",
        )
    ]

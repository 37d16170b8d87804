"""System checks for production settings (`manage.py check --deploy`; gunicorn runs it before
it starts, deploy/gunicorn.conf.py)."""

from typing import Any

from django.conf import settings
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils.module_loading import import_string

# Caches that each gunicorn process keeps to itself (or not at all): rate limits, the period
# status and proofs of work kept there hold per process, so N workers let N times through.
# The file cache is shared on one machine but has no atomic increment.
PER_PROCESS_CACHES = (LocMemCache, DummyCache, FileBasedCache)


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    errors: list[CheckMessage] = []
    for alias, config in settings.CACHES.items():
        backend = import_string(config["BACKEND"])
        if issubclass(backend, PER_PROCESS_CACHES):
            errors.append(
                Error(
                    f"The cache {alias!r} ({config['BACKEND']}) is not shared between "
                    "processes: under several gunicorn workers the rate limits, lockouts and "
                    "cached statuses kept there hold per process.",
                    hint="Set CACHE_URL=rediscache://127.0.0.1:6379/1 (see .env.example).",
                    id="mutu.E001",
                )
            )
    return errors


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

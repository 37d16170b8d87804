"""A small fixed-window rate limit per client IP, kept in the cache (Redis in production).

The counters use their own cache alias, CACHES["ratelimit"]: page caches that anyone can fill
with junk requests must not be able to evict them (issue 11).
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str:
    # Behind the reverse proxy the client address is in the header it sets (CLIENT_IP_META).
    meta = request.META
    return meta.get(settings.CLIENT_IP_META) or meta.get("REMOTE_ADDR") or "unknown"


CACHE_ALIAS = "ratelimit"


def _key(bucket: str, key: str, window: int, at: float | None = None) -> str:
    return f"rl:{bucket}:{key}:{int((time.time() if at is None else at) // window)}"


def count(bucket: str, key: str, window: int, at: float | None = None) -> int:
    """Count one request and return how many this window has seen, this one included. `at`
    (a timestamp) counts it in the window of that moment instead of now's."""
    store, cache_key = caches[CACHE_ALIAS], _key(bucket, key, window, at)
    store.add(cache_key, 0, timeout=window + 5)
    try:
        return int(store.incr(cache_key))
    except ValueError:  # evicted between add and incr
        store.set(cache_key, 1, timeout=window + 5)
        return 1


def current(bucket: str, key: str, window: int) -> int:
    """How many requests this window has counted so far, without counting one."""
    return int(caches[CACHE_ALIAS].get(_key(bucket, key, window)) or 0)


def hit(bucket: str, key: str, limit: int, window: int) -> bool:
    """Count one request; return False when the limit for this window is exceeded."""
    return count(bucket, key, window) <= limit


def ratelimit(bucket: str, methods: tuple[str, ...] = ("POST",)) -> Callable[..., Any]:
    """Limit a view by client IP with the (limit, seconds) in settings.RATELIMITS[bucket]."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limit, window = settings.RATELIMITS[bucket]
            if request.method in methods and not hit(bucket, client_ip(request), limit, window):
                response = render(
                    request,
                    "429.html",
                    {
                        "message": _(
                            "Terlalu banyak percobaan. Silakan coba lagi dalam beberapa menit."
                        )
                    },
                    status=429,
                )
                response["Retry-After"] = str(window)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

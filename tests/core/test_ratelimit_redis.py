"""Rate limits shared by all gunicorn workers: the production cache is Redis (CACHE_URL)."""

import socket

import pytest
from django.core.cache import caches
from django.test import override_settings

from mutu.core.ratelimit import hit

REDIS = {
    alias: {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": alias,
    }
    for alias in ("default", "ratelimit")
}


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")
@override_settings(CACHES=REDIS)
def test_counter_in_redis_allows_the_limit_then_refuses():
    caches["ratelimit"].clear()
    results = [hit("test", "10.0.0.1", 3, 60) for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert hit("test", "10.0.0.2", 3, 60)  # another client has its own counter
    caches["ratelimit"].clear()


@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_the_redis_cache_keeps_one_client_per_pool():
    """Django's backend builds a redis.Redis per operation (0.2 ms each, ten per submission);
    ours builds it once per pool (mutu/core/redis_cache.py) and still stores and reads."""
    from django.core.cache.backends.redis import RedisCache

    from mutu.core.redis_cache import ReusedClientRedisCache

    cache = ReusedClientRedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "reuse"})
    cache.set("answer", 42)
    assert cache.get("answer") == 42
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    plain = RedisCache("redis://127.0.0.1:6379/15", {})
    assert plain._cache.get_client() is not plain._cache.get_client()  # what this avoids
    cache.delete("answer")

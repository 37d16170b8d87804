"""Django's Redis cache, keeping one client object per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache operation (the pool is
reused, the client object is not). Building one costs about 0.2 ms of CPU, and a public survey
submission makes about ten cache operations (rate limits, the period status, the proof-of-work
replay list): with Redis as deployed, that doubled the CPU of a submission. A `redis.Redis` is
safe to share between threads (each command borrows a connection from the pool), so it is made
once per pool and kept. config/settings.py swaps this backend in for Django's wherever a cache
URL points at Redis.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # The stubs leave out RedisCacheClient's private helpers, which this reuses as they are.
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[index] = client
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

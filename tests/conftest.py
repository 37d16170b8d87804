import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _clear_cache():
    # Page caches and rate-limit counters (their own alias): each test starts with none.
    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    yield
    for alias in ("default", "ratelimit"):
        caches[alias].clear()

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def post_import(client, django_capture_on_commit_callbacks):
    """POST an import form as the browser does and follow it to the job's page: the job runs
    when the request's transaction commits (ImmediateBackend), as a worker would run it."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        return client.get(response.url) if response.status_code == 302 else response

    return post

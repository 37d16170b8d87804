"""More threads than PostgreSQL connections (issue 11, item 8): each gunicorn process lends
its threads connections from a pool smaller than its threads, and PostgreSQL allows the stack's
role no more connections than the pools hold. Requests wait for a free connection; none fails."""

from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tests.deploy.conftest import WORKERS, _admin_database_url

THREADS = 8
POOL_MAX = 2


@pytest.fixture(scope="module")
def stack_env():
    # 2 processes x 8 threads = 16 threads; 2 x 2 = 4 connections, and the role may open
    # only those (plus one for a manage.py command): without the pool, 12 threads would
    # find PostgreSQL full.
    return {
        "GUNICORN_THREADS": str(THREADS),
        "DB_POOL_MAX": str(POOL_MAX),
        "MUTU_DEPLOY_CONNECTION_LIMIT": str(WORKERS * POOL_MAX + 1),
    }


def _connections_of(role: str) -> int:
    with psycopg.connect(_admin_database_url(), autocommit=True) as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = %s", [role]
        ).fetchone()
    assert row is not None
    return row[0]


def test_concurrent_requests_wait_for_a_connection_instead_of_failing(stack):
    def healthz(_: int) -> int:
        return stack.client().get("/healthz").status

    with ThreadPoolExecutor(max_workers=2 * WORKERS * THREADS) as pool:
        statuses = list(pool.map(healthz, range(12 * WORKERS * THREADS)))

    assert statuses.count(200) == len(statuses), sorted(set(statuses))
    assert "too many" not in stack.gunicorn_log().lower()
    assert _connections_of(stack.database) <= WORKERS * POOL_MAX

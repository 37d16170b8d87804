"""Database helpers that are not SQL (that lives in mutu.core.sql)."""

import random
import time
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

LOCK_RETRIES = 5


def retry_on_lock[T](write: Callable[[], T], *, attempts: int = LOCK_RETRIES) -> T:
    """Run `write` (a whole transaction) again when SQLite answers "database is locked".

    SQLite has one writer at a time; a writer waits up to the busy timeout (settings: 20 s)
    and then fails. A citizen's answer must not be lost for that: it is tried again after a
    short, growing, jittered pause. Only outside a transaction: inside one, the caller's
    transaction is what must be retried. Other errors, and other databases, pass unchanged.
    """
    for attempt in range(1, attempts + 1):
        try:
            return write()
        except OperationalError as error:
            db = connections[DEFAULT_DB_ALIAS]
            locked = db.vendor == "sqlite" and "locked" in str(error).lower()
            if not locked or db.in_atomic_block or attempt == attempts:
                raise
            time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))  # noqa: S311
    raise AssertionError("unreachable")  # pragma: no cover

"""Database helpers that are not SQL (that lives in mutu.core.sql)."""

import random
import time
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

# How long a locked write keeps being tried: a count of tries gave up under load (eight
# writers and an import on two busy cores starved some past five tries); a citizen's answer
# should rather wait a little longer than be lost.
LOCK_RETRY_SECONDS = 60.0


def retry_on_lock[T](write: Callable[[], T], *, within: float = LOCK_RETRY_SECONDS) -> T:
    """Run `write` (a whole transaction) again when SQLite answers "database is locked".

    SQLite has one writer at a time; a writer waits up to the busy timeout (settings: 20 s)
    and then fails. A citizen's answer must not be lost for that: it is tried again after a
    short, growing, jittered pause, until `within` seconds have passed. Only outside a
    transaction: inside one, the caller's transaction is what must be retried. Other errors,
    and other databases, pass unchanged.
    """
    deadline = time.monotonic() + within
    attempt = 0
    while True:
        attempt += 1
        try:
            return write()
        except OperationalError as error:
            db = connections[DEFAULT_DB_ALIAS]
            locked = db.vendor == "sqlite" and "locked" in str(error).lower()
            if not locked or db.in_atomic_block or time.monotonic() >= deadline:
                raise
            pause = min(1.0, 0.05 * 2 ** min(attempt, 5))
            time.sleep(pause * (0.5 + random.random()))  # noqa: S311

"""Test data built once for many tests (Healthchecks' alice/bob/charlie, Django's setUpTestData).

A shared world is built inside a transaction that stays open while the tests of its scope run:
each test runs in a savepoint of it (pytest-django's `db`) and rolls its own writes back, and the
world itself is rolled back when its scope ends, so the next module starts from an empty
database again. Each test gets its own deep copy of the world's objects: a test that changes an
instance in memory does not change it for the next one.

    @pytest.fixture(scope="module")
    def _world(django_db_setup, django_db_blocker):
        with built_once(django_db_blocker, build_the_world) as world:
            yield world

    @pytest.fixture
    def world(_world, db):
        return fresh_copy(_world)

Only for tests that run inside a transaction (`db`): tests/conftest.py fails a transactional
test that would start while a shared world is open.
"""

import copy
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from django.db import connections, transaction

_open = 0  # how many shared worlds are open now (a module's world inside the session's demo)


@contextmanager
def built_once[T](django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Build a world with build() and keep it for the scope of the fixture, then roll it back."""
    global _open
    atomics = ExitStack()
    with django_db_blocker.unblock():
        for alias in connections:
            atomics.enter_context(transaction.atomic(using=alias))
        try:
            world = build()
        except BaseException:
            _roll_back(atomics)
            raise
    _open += 1
    try:
        yield world
    finally:
        _open -= 1
        with django_db_blocker.unblock():
            _roll_back(atomics)


def _roll_back(atomics: ExitStack) -> None:
    for alias in connections:
        transaction.set_rollback(True, using=alias)
    atomics.close()


def a_shared_world_is_open() -> bool:
    return _open > 0


def fresh_copy[T](world: T) -> T:
    """The world as each test sees it: the same rows, its own Python objects."""
    return copy.deepcopy(world)

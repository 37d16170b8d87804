"""What every background job page shares: noticing that no task worker is running.

A job is made QUEUED and the worker (`manage.py db_worker`) takes it within seconds. Still queued
a minute later means nobody is taking jobs: the page says so and what to do, instead of showing
"Dalam antrean 0%" forever (issue 12).
"""

from datetime import datetime, timedelta

from django.utils import timezone

WORKER_PICKUP_GRACE = timedelta(minutes=1)


def no_worker_yet(*, queued: bool, created_at: datetime, now: datetime | None = None) -> bool:
    """True when a job is still queued more than a minute after it was made."""
    return queued and (now or timezone.now()) - created_at > WORKER_PICKUP_GRACE

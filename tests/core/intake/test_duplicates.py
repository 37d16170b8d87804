"""The duplicate judgement is domain-neutral: any model with a source, a content key and a
time can be asked. Here the audit log's events stand in for a complaint's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mutu.core.intake.duplicates import flag_if_repeated
from mutu.core.intake.meta import ReviewFlag
from mutu.core.models import DomainEvent

pytestmark = pytest.mark.django_db


def _judged(same, since):
    expression = flag_if_repeated(DomainEvent, same=same, since=since, otherwise="rate")
    return DomainEvent.objects.annotate(judged=expression).values_list("judged", flat=True)[0]


def test_the_same_content_from_the_same_source_shortly_before_is_flagged_not_refused():
    DomainEvent.objects.create(verb="complaint.filed", object_id="device-1")
    recently = ("at", timezone.now() - timedelta(minutes=30))
    assert _judged({"verb": "complaint.filed", "object_id": "device-1"}, recently) == (
        ReviewFlag.DUPLICATE
    )
    assert _judged({"verb": "complaint.filed", "object_id": "device-2"}, recently) == "rate"
    later = ("at", timezone.now() + timedelta(minutes=1))  # the first is older than the window
    assert _judged({"verb": "complaint.filed", "object_id": "device-1"}, later) == "rate"

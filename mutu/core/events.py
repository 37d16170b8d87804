"""Writing DomainEvent rows: every service that changes something that matters calls this."""

from enum import StrEnum
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from mutu.core.models import DomainEvent, User


def record_event(
    *,
    actor: User | None,
    verb: StrEnum,
    obj: models.Model | None = None,
    pemda: Any = None,
    data: dict[str, Any] | None = None,
) -> DomainEvent:
    """Record a business event. `verb` is a constant of the app's events module (OrgEvent,
    SurveyEvent...): a dotted value such as "unit.created", never a free string, so a typo is a
    type error and every verb an app can write is listed in one place."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return DomainEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        pemda=pemda,
        data=data or {},
    )


def save_recorded[M: models.Model](
    obj: M,
    *,
    actor: User | None,
    verb: StrEnum,
    pemda: Any,
    data: dict[str, Any] | None = None,
) -> M:
    """Validate and save a row, and record the event that says so: the last steps of most
    services, to run inside the service's transaction. A failed validation raises
    ValidationError before anything is written."""
    obj.full_clean()
    obj.save()
    record_event(actor=actor, verb=verb, obj=obj, pemda=pemda, data=data)
    return obj

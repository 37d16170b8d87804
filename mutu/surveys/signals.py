"""Drop cached public targets (selectors.public_target) when what they were built from changes:
a link, its unit, service or Pemda, a period or a unit's place in it."""

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from mutu.organisations.models import Pemda, Service, Unit
from mutu.surveys.models import PeriodUnit, SurveyLink, SurveyPeriod
from mutu.surveys.selectors import public_target_key


def _forget(tokens: Any) -> None:
    keys = [public_target_key(token) for token in tokens]
    if keys:
        cache.delete_many(keys)
        # Again after the commit: a request may have cached the old state in between.
        transaction.on_commit(lambda: cache.delete_many(keys))


def _links(**lookup: Any) -> Any:
    return SurveyLink.objects.filter(**lookup).values_list("token", flat=True)


def link_changed(sender: Any, instance: SurveyLink, **kwargs: Any) -> None:
    _forget([instance.token])


def unit_changed(sender: Any, instance: Unit, **kwargs: Any) -> None:
    _forget(_links(unit=instance))


def service_changed(sender: Any, instance: Service, **kwargs: Any) -> None:
    # Every link of the unit: a unit-level link offers the unit's services to pick from.
    _forget(_links(unit_id=instance.unit_id))


def pemda_changed(sender: Any, instance: Pemda, **kwargs: Any) -> None:
    _forget(_links(unit__pemda=instance))


def period_changed(sender: Any, instance: SurveyPeriod, **kwargs: Any) -> None:
    _forget(_links(unit__period_memberships__period=instance))


def member_changed(sender: Any, instance: PeriodUnit, **kwargs: Any) -> None:
    _forget(_links(unit_id=instance.unit_id))


def connect() -> None:
    for model, receiver in (
        (SurveyLink, link_changed),
        (Unit, unit_changed),
        (Service, service_changed),
        (Pemda, pemda_changed),
        (SurveyPeriod, period_changed),
        (PeriodUnit, member_changed),
    ):
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"skm-target-{model.__name__}")

"""Results are cached per unit and period, keyed by what they depend on: the last response
and exactly which responses are held."""

from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum

from mutu.surveys.models import PeriodUnit, Response, SurveyPeriod


def result_state(period: SurveyPeriod, unit_id: int) -> str:
    """What the cached result depends on: the last response and exactly which are held."""
    s = Response.objects.filter(period=period, unit_id=unit_id).aggregate(
        last=Max("id"),
        held=Count("id", filter=Q(quarantined=True)),
        held_max=Max("id", filter=Q(quarantined=True)),
        held_sum=Sum("id", filter=Q(quarantined=True)),
    )
    return f"{period.pk}:{unit_id}:{s['last']}:{s['held']}:{s['held_max']}:{s['held_sum']}"


def cached_result(
    kind: str, period: SurveyPeriod, member: PeriodUnit, compute: Any, state: str | None = None
) -> Any:
    state = state or result_state(period, member.unit_id)
    key = f"skm:{kind}:{state}:{period.weighting}:{member.population}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=24 * 3600)
    return value

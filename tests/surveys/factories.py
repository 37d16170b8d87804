"""Factories for the SKM: periods, participating units, QR links and bulk responses."""

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.models import Answer, PeriodUnit, Response, SurveyLink, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory

# The worked example of docs/methodology.md §2: 50 respondents, sums per unsur in the order of
# UNSUR_CODES.
WORKED_EXAMPLE_SUMS = (170, 165, 150, 180, 160, 175, 185, 140, 155)


class SurveyPeriodFactory(DjangoModelFactory):
    """An OPEN period covering today (30 days either side)."""

    class Meta:
        model = SurveyPeriod

    pemda = factory.SubFactory(PemdaFactory)
    name = factory.Sequence(lambda n: f"Semester Uji {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    status = SurveyPeriod.Status.OPEN


class PeriodUnitFactory(DjangoModelFactory):
    class Meta:
        model = PeriodUnit

    period = factory.SubFactory(SurveyPeriodFactory)
    unit = factory.SubFactory(UnitFactory, pemda=factory.SelfAttribute("..period.pemda"))
    population = None


class SurveyLinkFactory(DjangoModelFactory):
    class Meta:
        model = SurveyLink

    unit = factory.SubFactory(UnitFactory)
    service = None
    label = ""


PROFILE_KEYS = ("gender", "age_band", "education", "occupation", "trust", "suggestion", "channel")


def add_responses(
    period: SurveyPeriod, unit: Any, rows: Iterable[Mapping[str, Any]]
) -> list[Response]:
    """One Response + nine Answers per row, in two bulk INSERTs (fast for 50+ respondents).

    A row maps each unsur code to 1–4; it may also carry profile fields (gender, age_band,
    education, occupation, trust, suggestion, channel) and `quarantined`.
    """
    rows = list(rows)
    now = timezone.now()
    responses = []
    for row in rows:
        extra = {k: row[k] for k in PROFILE_KEYS if k in row}
        extra.setdefault("channel", Response.Channel.WEB)
        responses.append(
            Response(
                period=period,
                unit=unit,
                submitted_at=now,
                quarantined=bool(row.get("quarantined", False)),
                quarantine_reason="uji" if row.get("quarantined") else "",
                **extra,
            )
        )
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(
        Answer(response=r, period=period, unit=unit, unsur=code, value=row[code])
        for r, row in zip(responses, rows, strict=True)
        for code in UNSUR_CODES
    )
    return responses


def uniform_row(value: int, **profile: Any) -> dict[str, Any]:
    """One respondent answering `value` on every unsur."""
    return {**dict.fromkeys(UNSUR_CODES, value), **profile}


def worked_example_rows() -> list[dict[str, Any]]:
    """50 respondents whose sums per unsur are exactly WORKED_EXAMPLE_SUMS.

    Each unsur is a mix of 3s with some 4s (sum above 150) or some 2s (sum below 150).
    """
    rows: list[dict[str, Any]] = [{} for _ in range(50)]
    for code, total in zip(UNSUR_CODES, WORKED_EXAMPLE_SUMS, strict=True):
        shift = total - 150  # how many respondents answer one more (4) or one less (2) than 3
        for i, row in enumerate(rows):
            row[code] = 3 + (1 if shift > 0 else -1) * (i < abs(shift))
    assert [sum(r[c] for r in rows) for c in UNSUR_CODES] == list(WORKED_EXAMPLE_SUMS)
    return rows

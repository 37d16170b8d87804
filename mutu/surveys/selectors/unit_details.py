"""A unit's readings beside its IKM: suggestion keywords, trust, its own questions and the
sample of each service."""

import hashlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.db.models.fields.json import KT

from mutu.indices.sampling import krejcie_morgan
from mutu.indices.trust import TrustSummary, summarize_trust
from mutu.surveys.instrument import ExtraKind, ExtraQuestion, extra_questions_of
from mutu.surveys.models import PeriodUnit, Response, SurveyPeriod
from mutu.surveys.selectors.result_cache import cached_result
from mutu.surveys.themes import Theme, distinct, themes


def suggestion_keywords(period: SurveyPeriod, unit_id: int, top: int = 10) -> list[Theme]:
    """The themes of the counted open-text suggestions (mutu.surveys.themes), newest quotes
    first."""
    texts = list(
        Response.objects.filter(period=period, unit_id=unit_id, quarantined=False)
        .exclude(suggestion="")
        .order_by("-id")
        .values_list("suggestion", flat=True)[:5000]
    )
    return themes(texts, top)


def trust_summary(period: SurveyPeriod, unit_id: int) -> TrustSummary:
    """The trust question of a unit in a period (counted responses only), never part of the IKM.
    One grouped query; answered == 0 when the period did not ask it or nobody answered."""
    rows = (
        Response.objects.filter(
            period=period, unit_id=unit_id, quarantined=False, trust__isnull=False
        )
        .order_by()
        .values_list("trust")
        .annotate(n=Count("id"))
    )
    return summarize_trust(dict(rows))


@dataclass(frozen=True)
class ExtraResult:
    """What respondents answered to one of the unit's own questions (never part of the IKM)."""

    question: ExtraQuestion
    answered: int
    counts: list[tuple[Any, int]]  # (answer words, people) for a scale or a choice
    mean: Decimal | None  # a scale's average, 1–4
    keywords: list[Theme]  # an open question's themes
    latest: list[str]  # an open question's latest answers

    @property
    def shares(self) -> list[tuple[Any, int, int]]:
        """(answer words, people, whole percent of those who answered) for a bar chart."""
        return [
            (words, n, round(100 * n / self.answered) if self.answered else 0)
            for words, n in self.counts
        ]


def extra_results(
    period: SurveyPeriod, member: PeriodUnit, state: str | None = None
) -> list[ExtraResult]:
    """Every own question of the unit in the period, counted in the database, cached like the
    IKM until a response arrives (or the questions change)."""
    questions = extra_questions_of(member.extra_questions)
    if not questions:
        return []
    kind = "extra" + hashlib.md5(repr(questions).encode(), usedforsecurity=False).hexdigest()[:8]
    results: list[ExtraResult] = cached_result(
        kind,
        period,
        member,
        lambda: [_extra_result(period, member.unit_id, q) for q in questions],
        state,
    )
    return results


def _extra_result(period: SurveyPeriod, unit_id: int, question: ExtraQuestion) -> ExtraResult:
    answered = Response.objects.filter(
        period=period, unit_id=unit_id, quarantined=False, extra__has_key=question.id
    ).order_by("-id")
    value = KT(f"extra__{question.id}")
    if question.kind == ExtraKind.TEXT:
        texts = list(answered.annotate(v=value).values_list("v", flat=True)[:5000])
        latest = distinct(texts[:200])[:5]  # the same answer typed twice is quoted once
        return ExtraResult(question, len(texts), [], None, themes(texts), latest)
    people = Counter(
        {
            int(row["v"]): row["n"]
            for row in answered.order_by().values(v=value).annotate(n=Count("id"))
        }
    )
    total = sum(people.values())
    words = question.answer_words()
    mean = None
    if question.kind == ExtraKind.SCALE and total:
        mean = (Decimal(sum(i * n for i, n in people.items())) / total).quantize(Decimal("0.01"))
    counts = [(words[i - 1], people.get(i, 0)) for i in range(1, len(words) + 1)]
    return ExtraResult(question, total, counts, mean, [], [])


@dataclass(frozen=True)
class ServiceSample:
    """A service's respondents against its own Krejcie–Morgan target (when its population is
    known)."""

    service: Any
    population: int | None
    respondents: int

    @property
    def target(self) -> int | None:
        return krejcie_morgan(self.population) if self.population else None

    @property
    def short_of_target(self) -> int:
        return max((self.target or 0) - self.respondents, 0)


def service_samples(period: SurveyPeriod, unit_id: int) -> list[ServiceSample]:
    """The unit's active services, each with its population in the period and its counted
    respondents (three queries whatever the number of services)."""
    from mutu.organisations.models import Service
    from mutu.surveys.models import PeriodService

    services = list(Service.objects.filter(unit_id=unit_id, is_active=True).order_by("name"))
    populations = dict(
        PeriodService.objects.filter(period=period, service__unit_id=unit_id).values_list(
            "service_id", "population"
        )
    )
    respondents = dict(
        Response.objects.filter(period=period, unit_id=unit_id, quarantined=False)
        .exclude(service=None)
        .values_list("service_id")
        .annotate(n=Count("id"))
        .values_list("service_id", "n")
    )
    return [ServiceSample(s, populations.get(s.pk), respondents.get(s.pk, 0)) for s in services]

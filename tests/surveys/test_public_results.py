"""The public record of a unit's IKM and its embeddable badge show closed periods only."""

from datetime import date

import pytest
from django.urls import reverse

from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.models import Answer, PeriodUnit, Response, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _period(pemda, name, status, start, end):
    return SurveyPeriod.objects.create(
        pemda=pemda, name=name, status=status, starts_on=start, ends_on=end
    )


def _respond(period, unit, value, n):
    for _ in range(n):
        response = Response.objects.create(
            period=period, unit=unit, channel="web", submitted_at="2026-03-01T02:00:00Z"
        )
        Answer.objects.bulk_create(
            Answer(response=response, period=period, unit=unit, unsur=code, value=value)
            for code in UNSUR_CODES
        )


@pytest.fixture
def unit():
    unit = UnitFactory(pemda=PemdaFactory(is_demo=True), name="Disdukcapil")
    closed = _period(unit.pemda, "Semester I 2026", "closed", date(2026, 1, 1), date(2026, 6, 30))
    open_ = _period(unit.pemda, "Semester II 2026", "open", date(2026, 7, 1), date(2026, 12, 31))
    PeriodUnit.objects.create(period=closed, unit=unit, population=100)
    PeriodUnit.objects.create(period=open_, unit=unit)
    _respond(closed, unit, 3, 6)  # IKM 3.00 → 75,00 C
    _respond(open_, unit, 4, 3)  # not published yet
    return unit


def test_public_page_shows_only_the_closed_period(client, unit):
    html = client.get(reverse("surveys:public_results", args=[unit.pk])).content.decode()
    assert "Semester I 2026" in html and "75,00" in html and "Kurang Baik" in html
    assert "Semester II 2026" not in html and "100,00" not in html
    assert "target sampel" in html and "80" in html  # Krejcie–Morgan for N = 100
    assert "DEMO" in html
    assert "lencana.svg" not in html  # the embed snippet is for staff (link and result pages)


def test_badge_is_svg_with_the_published_score(client, unit):
    response = client.get(reverse("surveys:badge", args=[unit.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert "75,00" in body and "Semester I 2026" in body and "<script" not in body


def test_unknown_or_inactive_unit_is_404(client, unit):
    assert client.get(reverse("surveys:badge", args=[unit.pk + 999])).status_code == 404
    unit.is_active = False
    unit.save()
    assert client.get(reverse("surveys:public_results", args=[unit.pk])).status_code == 404


def test_unit_without_published_period_says_so(client):
    unit = UnitFactory()
    html = client.get(reverse("surveys:public_results", args=[unit.pk])).content.decode()
    assert "Belum ada hasil survei yang diterbitkan" in html
    assert "belum terbit" in client.get(reverse("surveys:badge", args=[unit.pk])).content.decode()


def test_page_and_badge_say_when_the_sample_is_below_target(client, unit):
    # 6 respondents against the Krejcie–Morgan target of 80 for a population of 100
    html = client.get(reverse("surveys:public_results", args=[unit.pk])).content.decode()
    assert "Sampel belum memenuhi target (6 dari 80)" in html
    badge = client.get(reverse("surveys:badge", args=[unit.pk])).content.decode()
    assert badge.count("Sampel belum memenuhi target (6 dari 80)") == 2  # text and aria-label
    assert 'height="74"' in badge


def test_nothing_is_said_when_the_sample_reaches_its_target(client, unit):
    PeriodUnit.objects.filter(unit=unit, period__status="closed").update(population=6)
    html = client.get(reverse("surveys:public_results", args=[unit.pk])).content.decode()
    badge = client.get(reverse("surveys:badge", args=[unit.pk])).content.decode()
    assert "target sampel" in html  # the target is still shown (6 for a population of 6)
    assert "Sampel belum memenuhi" not in html and "Sampel belum memenuhi" not in badge
    assert 'height="56"' in badge

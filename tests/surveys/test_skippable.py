"""An unsur the unit lets respondents skip ("biaya" of a free service): a smaller n, never a 0."""

from decimal import Decimal

import pytest
from django.urls import reverse

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES, compute_ikm
from mutu.surveys import selectors
from mutu.surveys.models import Answer, PeriodUnit, Response
from tests.factories import member
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory

pytestmark = pytest.mark.django_db


def _answers(**overrides):
    data = {f"u_{code}": "3" for code in UNSUR_CODES} | {"consent": "on"}
    data.update(overrides)
    return data


def test_head_allows_skipping_biaya_and_the_form_offers_not_applicable(client):
    seat = PeriodUnitFactory()
    client.force_login(member(Role.UNIT_HEAD, unit=seat.unit))
    url = reverse("surveys:unit_skippable", args=[seat.period.pk, seat.unit.pk])
    client.post(url, {"skippable": ["biaya"]})
    seat.refresh_from_db()
    assert seat.skippable == ["biaya"]
    assert DomainEvent.objects.filter(verb="survey_skippable.set").exists()
    link = SurveyLinkFactory(unit=seat.unit)
    form_url = reverse("surveys:form", args=[link.token])
    page = client.get(form_url).content.decode()
    assert page.count("Tidak berlaku bagi saya") == 1  # only on biaya
    assert client.post(form_url, _answers(u_biaya="")).status_code == 302
    assert client.post(form_url, _answers(u_waktu="")).status_code == 200  # waktu is required
    response = Response.objects.get()
    assert set(response.answers.values_list("unsur", flat=True)) == set(UNSUR_CODES) - {"biaya"}


def test_skipped_unsur_has_a_smaller_n_not_a_zero(client):
    seat = PeriodUnitFactory(skippable=["biaya"])
    link = SurveyLinkFactory(unit=seat.unit)
    url = reverse("surveys:form", args=[link.token])
    client.post(url, _answers(u_biaya="4"))
    client.post(url, _answers(u_biaya=""), HTTP_USER_AGENT="another phone")
    assert Answer.objects.filter(unsur="biaya").count() == 1
    seat = PeriodUnit.objects.select_related("period").get(pk=seat.pk)
    result = selectors.unit_result(seat.period, seat)
    totals = dict.fromkeys(UNSUR_CODES, 6) | {"biaya": 4}
    counts = dict.fromkeys(UNSUR_CODES, 2) | {"biaya": 1}
    expected = compute_ikm(totals, counts)
    assert result.ikm.nrr["biaya"] == Decimal(4) and result.ikm.score == expected.score
    assert result.respondents == 2


def test_unknown_unsur_cannot_be_made_skippable(client):
    seat = PeriodUnitFactory()
    client.force_login(member(Role.PEMDA_ADMIN, pemda=seat.period.pemda))
    url = reverse("surveys:unit_skippable", args=[seat.period.pk, seat.unit.pk])
    page = client.post(url, {"skippable": ["rahasia"]}, follow=True)
    assert "Unsur tidak dikenal: rahasia" in page.content.decode()
    seat.refresh_from_db()
    assert seat.skippable == []

"""The blank questionnaire is rendered once per link, yet every visitor gets a working token."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.models import Response
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory

pytestmark = pytest.mark.django_db
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_each_visitor_gets_their_own_token_and_can_submit(django_assert_max_num_queries):
    seat = PeriodUnitFactory()
    link = SurveyLinkFactory(unit=seat.unit)
    url = reverse("surveys:form", args=[link.token])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get(url).content.decode()
    with django_assert_max_num_queries(2):  # link and open period; no rendering work
        page_two = second.get(url).content.decode()
    token_one, token_two = TOKEN_RE.findall(page_one)[0], TOKEN_RE.findall(page_two)[0]
    assert token_one != token_two and "__mutu_csrf_token__" not in page_two
    answers = {f"u_{code}": "4" for code in UNSUR_CODES} | {"consent": "on"}
    assert second.post(url, {**answers, "csrfmiddlewaretoken": token_two}).status_code == 302
    assert first.post(url, {**answers, "csrfmiddlewaretoken": "forged"}).status_code == 403
    assert Response.objects.count() == 1


def test_cached_page_follows_the_language_and_the_period(client):
    seat = PeriodUnitFactory()
    link = SurveyLinkFactory(unit=seat.unit)
    url = reverse("surveys:form", args=[link.token])
    assert '<html lang="id">' in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert '<html lang="en">' in client.get(url).content.decode()
    seat.period.name = "Semester Baru"
    seat.period.save()
    client.post(reverse("set_language"), {"language": "id", "next": url})
    assert "Semester Baru" in client.get(url).content.decode()

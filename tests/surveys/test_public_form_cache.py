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
    with django_assert_max_num_queries(0):  # link, period and page all come from the cache
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


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda seat, link: _set(seat.period, status="closed"), id="period closed"),
        pytest.param(lambda seat, link: _set(link, is_active=False), id="link retired"),
        pytest.param(lambda seat, link: seat.delete(), id="unit left the period"),
    ],
)
def test_a_change_reaches_the_cached_public_form_at_once(client, change):
    seat = PeriodUnitFactory()
    link = SurveyLinkFactory(unit=seat.unit)
    url = reverse("surveys:form", args=[link.token])
    assert 'name="u_waktu"' in client.get(url).content.decode()
    change(seat, link)
    page = client.get(url)
    assert page.status_code == 404 or 'name="u_waktu"' not in page.content.decode()
    answers = {f"u_{code}": "4" for code in UNSUR_CODES} | {"consent": "on"}
    client.post(url, answers)
    assert Response.objects.count() == 0


def test_a_renamed_unit_shows_at_once(client):
    seat = PeriodUnitFactory()
    link = SurveyLinkFactory(unit=seat.unit)
    url = reverse("surveys:form", args=[link.token])
    client.get(url)
    _set(seat.unit, name="Dinas Kependudukan Baru")
    assert "Dinas Kependudukan Baru" in client.get(url).content.decode()


def _set(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def test_unknown_tokens_are_not_kept_in_the_cache(client, db):
    from django.core.cache import cache

    from mutu.surveys.selectors import public_target_key

    assert client.get(reverse("surveys:form", args=["tidak-ada-sama-sekali"])).status_code == 404
    assert cache.get(public_target_key("tidak-ada-sama-sekali")) is None
    assert client.get("/s/%C3%A9%C3%A9/").status_code == 404  # not a token shape at all


def _form_keys():
    from django.core.cache import cache

    return [key for key in cache._cache if ":skm:form:" in key]  # type: ignore[attr-defined]


def test_junk_query_strings_share_one_cached_page(client):
    seat = PeriodUnitFactory()
    link = SurveyLinkFactory(unit=seat.unit)
    url = reverse("surveys:form", args=[link.token])
    for n in range(40):
        assert client.get(f"{url}?utm={n}&fbclid=x{n}").status_code == 200
    assert len(_form_keys()) == 1  # 40 query strings, one page: the key is not the query
    page = client.get(f"{url}?utm=last").content.decode()
    assert "utm=" not in page  # nobody's query string ends up in another visitor's copy
    assert 'name="qr"' not in page
    qr_page = client.get(f"{url}?qr=1&utm=7").content.decode()
    assert 'name="qr" value="1"' in qr_page and "utm=" not in qr_page
    assert len(_form_keys()) == 2  # the QR channel changes the page: its own copy

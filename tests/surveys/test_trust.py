"""The trust question is reported (issue 12 item 3): share agreeing and distribution, apart from
the IKM, quarantined responses left out like everywhere else."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from mutu.core.roles import Role
from mutu.surveys import selectors
from tests.factories import member
from tests.surveys.factories import PeriodUnitFactory, add_responses, uniform_row


@pytest.fixture
def seat(db):
    seat = PeriodUnitFactory()
    rows = [
        {**uniform_row(3), "trust": 4},
        {**uniform_row(3), "trust": 3},
        {**uniform_row(3), "trust": 1},
        {**uniform_row(3), "trust": None},  # skipped the question
        {**uniform_row(3), "trust": 4, "quarantined": True},  # not counted
    ]
    add_responses(seat.period, seat.unit, rows)
    return seat


def test_trust_summary_counts_answered_not_quarantined(seat, django_assert_num_queries):
    with django_assert_num_queries(1):
        summary = selectors.trust_summary(seat.period, seat.unit_id)
    assert summary.counts == {1: 1, 2: 0, 3: 1, 4: 1}
    assert summary.answered == 3
    assert summary.agreeing_share == Decimal(200) / Decimal(3)
    assert summary.share_display() == "66,7"


def test_trust_summary_of_a_unit_without_answers(seat):
    other = PeriodUnitFactory(period=seat.period)
    summary = selectors.trust_summary(seat.period, other.unit_id)
    assert (summary.answered, summary.agreeing_share) == (0, None)


def _unit_page(client, seat):
    client.force_login(member(Role.UNIT_HEAD, unit=seat.unit))
    reply = client.get(reverse("surveys:unit_result", args=[seat.period.pk, seat.unit.pk]))
    assert reply.status_code == 200
    return reply.content.decode()


def _trust_card(page):
    start = page.index('id="trust"')
    return page[start : page.index("</section>", start)]


def test_unit_page_shows_the_trust_card_apart_from_the_ikm(client, seat):
    page = _unit_page(client, seat)
    card = _trust_card(page)
    assert "Kepercayaan pada layanan" in card and "bukan bagian dari IKM" in card
    assert "Saya percaya pada layanan ini." in card
    assert "66,7 %" in card  # 2 of the 3 who answered agree (3–4)
    assert "dari 3 responden yang menjawab" in card
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"text-end\">(\d+)</td>", card)
    assert rows == [
        ("Tidak setuju", "1"),
        ("Kurang setuju", "0"),
        ("Setuju", "1"),
        ("Sangat setuju", "1"),
    ]
    assert 'width="33"' in card  # bar widths unlocalized, whole percent (33,3 %)
    assert "33,3 %" in card
    # The IKM card is untouched by trust: every unsur answered 3 → 75,00.
    assert page.index('id="trust"') > page.index("75,00")


def test_no_trust_card_when_the_period_never_asked_it(client, db):
    seat = PeriodUnitFactory(period__ask_trust=False)
    add_responses(seat.period, seat.unit, [uniform_row(3)])
    assert 'id="trust"' not in _unit_page(client, seat)


def test_a_period_that_asks_but_has_no_answer_yet_says_so(client, db):
    seat = PeriodUnitFactory()
    add_responses(seat.period, seat.unit, [uniform_row(3)])
    assert "Belum ada responden yang menjawab" in _trust_card(_unit_page(client, seat))

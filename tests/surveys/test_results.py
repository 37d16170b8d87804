"""IKM results of a unit in a period (selectors.unit_result and its page), docs/methodology.md
§2."""

import random
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from mutu.core.roles import Role
from mutu.indices.decimals import round_half_up
from mutu.indices.ikm import UNSUR_CODES, compute_ikm
from mutu.surveys import selectors, services
from mutu.surveys.models import Answer, PeriodUnit, Response, SurveyPeriod
from tests.factories import UnitFactory, member
from tests.surveys.factories import (
    PeriodUnitFactory,
    SurveyPeriodFactory,
    add_responses,
    uniform_row,
    worked_example_rows,
)

EXPECTED_NRR = ("3.40", "3.30", "3.00", "3.60", "3.20", "3.50", "3.70", "2.80", "3.10")


@pytest.fixture
def seat(db):
    """A unit in an open period with the methodology's worked example (50 respondents)."""
    seat = PeriodUnitFactory()
    add_responses(seat.period, seat.unit, worked_example_rows())
    return seat


@pytest.fixture
def admin(seat):
    return member(Role.PEMDA_ADMIN, pemda=seat.period.pemda)


def _result(seat):
    seat = PeriodUnit.objects.select_related("period", "unit").get(pk=seat.pk)
    return selectors.unit_result(seat.period, seat)


def _page(client, user, seat):
    client.force_login(user)
    url = reverse("surveys:unit_result", args=[seat.period_id, seat.unit_id])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _score(result_ikm):
    return round_half_up(result_ikm.score, 2)


# --- the worked example ------------------------------------------------------------------------


def test_worked_example_reproduced_from_the_database(seat):
    result = _result(seat)
    assert result.respondents == 50
    assert result.quarantined == 0
    assert {code: round_half_up(v, 2) for code, v in result.ikm.nrr.items()} == {
        code: Decimal(v) for code, v in zip(UNSUR_CODES, EXPECTED_NRR, strict=True)
    }
    assert round_half_up(result.ikm.ikm, 4) == Decimal("3.2889")
    assert result.ikm.ikm == Decimal(1480) / Decimal(450)  # no rounding on the way
    assert _score(result.ikm) == Decimal("82.22")
    assert (result.ikm.grade, result.ikm.label) == ("B", "Baik")
    # The three lowest unsur, lowest first: sarana 2.80, waktu 3.00, pengaduan 3.10.
    assert [code for code, _v in result.lowest] == ["sarana", "waktu", "pengaduan"]


@pytest.mark.parametrize(
    ("weighting", "ikm", "score"), [("0.111", "3.2856", "82.14"), ("0.11", "3.2560", "81.40")]
)
def test_worked_example_with_legacy_weighting(seat, weighting, ikm, score):
    SurveyPeriod.objects.filter(pk=seat.period_id).update(weighting=weighting)
    result = _result(seat)
    assert round_half_up(result.ikm.ikm, 4) == Decimal(ikm)
    assert _score(result.ikm) == Decimal(score)
    assert (result.ikm.grade, result.ikm.weighting) == ("B", weighting)


def test_result_page_shows_the_worked_example_in_indonesian_format(client, seat, admin):
    html = _page(client, admin, seat)
    assert '<p class="display-6 fw-bold mb-0">82,22</p>' in html
    assert "Mutu B — Baik" in html
    assert "IKM 3,2889 · bobot 1/9 per unsur (resmi)" in html
    for value in EXPECTED_NRR:
        assert f'<td class="text-end">{value.replace(".", ",")}</td>' in html
    assert "Sarana dan prasarana <strong>(terendah)</strong>" in html


def test_result_page_labels_legacy_weighting(client, seat, admin):
    SurveyPeriod.objects.filter(pk=seat.period_id).update(weighting="0.111")
    html = _page(client, admin, seat)
    assert '<p class="display-6 fw-bold mb-0">82,14</p>' in html
    assert "IKM 3,2856 · bobot 0,111 per unsur (laporan lama)" in html


# --- quarantine ------------------------------------------------------------------------------


def test_quarantined_responses_are_left_out_of_the_official_ikm(seat, admin):
    suspicious = add_responses(seat.period, seat.unit, [uniform_row(1), uniform_row(1)])
    before = _result(seat)
    assert before.respondents == 52
    assert _score(before.ikm) == Decimal("80.02")  # (1480 + 18) / (9 × 52) × 25
    for response in suspicious:
        services.response_quarantine(response=response, actor=admin, reason="Satu perangkat")
    held = _result(seat)
    assert (held.respondents, held.quarantined) == (50, 2)
    assert _score(held.ikm) == Decimal("82.22")
    assert _score(held.ikm_with_quarantined) == Decimal("80.02")
    for response in suspicious:
        services.response_release(response=response, actor=admin)
    released = _result(seat)
    assert (released.respondents, released.quarantined) == (52, 0)
    assert _score(released.ikm) == Decimal("80.02")


def test_result_page_shows_the_value_with_quarantined(client, seat, admin):
    (suspicious,) = add_responses(seat.period, seat.unit, [uniform_row(1)])
    services.response_quarantine(response=suspicious, actor=admin, reason="Bot")
    html = _page(client, admin, seat)
    assert "1 respons dikarantina" in html
    assert "Termasuk respons yang dikarantina: 81,10" in html  # (1480 + 9) / 459 × 25
    assert '<p class="display-6 fw-bold mb-0">82,22</p>' in html


def test_breakdowns_leave_out_quarantined_responses(seat, admin):
    odd = add_responses(seat.period, seat.unit, [uniform_row(1, gender="P")] * 6)
    for response in odd:
        services.response_quarantine(response=response, actor=admin, reason="Bot")
    gender = next(b for b in _breakdowns(seat) if b.field == "gender")
    assert [(label, n) for label, n, _ikm in gender.rows] == [("", 50)]


# --- sample target -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "target", "short"),
    [(1000, 278, 228), (100, 80, 30), (40, 36, 0), (None, None, 0)],
)
def test_respondents_against_krejcie_morgan_target(seat, population, target, short):
    PeriodUnit.objects.filter(pk=seat.pk).update(population=population)
    result = _result(seat)
    assert (result.respondents, result.target, result.short_of_target) == (50, target, short)


def test_result_page_warns_when_the_sample_is_short(client, seat, admin):
    PeriodUnit.objects.filter(pk=seat.pk).update(population=1000)
    html = _page(client, admin, seat)
    assert "Target Krejcie–Morgan: 278" in html
    assert "Sampel belum cukup: kurang 228 responden" in html


def test_result_page_has_no_warning_when_the_sample_is_enough(client, seat, admin):
    PeriodUnit.objects.filter(pk=seat.pk).update(population=40)
    html = _page(client, admin, seat)
    assert "Target Krejcie–Morgan: 36" in html
    assert "Sampel belum cukup" not in html


def test_result_page_asks_for_population_when_missing(client, seat, admin):
    html = _page(client, admin, seat)
    assert "Isi populasi pengguna layanan untuk menghitung target sampel." in html
    assert "Sampel belum cukup" not in html


# --- demographic breakdown ---------------------------------------------------------------------


@pytest.fixture
def profiled(db):
    """5 men answering 4 everywhere, 4 women answering 2 everywhere."""
    seat = PeriodUnitFactory()
    rows = [uniform_row(4, gender="L", education="SMA")] * 5
    rows += [uniform_row(2, gender="P", education="SMA")] * 4
    add_responses(seat.period, seat.unit, rows)
    return seat


def _breakdowns(seat):
    seat = PeriodUnit.objects.select_related("period").get(pk=seat.pk)
    return selectors.unit_page(seat.period, seat).breakdowns


def test_small_groups_get_no_ikm(profiled):
    result = _result(profiled)
    assert _score(result.ikm) == Decimal("77.78")  # (5×4 + 4×2) / 9 × 25
    gender = next(b for b in _breakdowns(profiled) if b.field == "gender")
    assert [(label, n) for label, n, _ikm in gender.rows] == [("Laki-laki", 5), ("Perempuan", 4)]
    (_l, _n, men), (_p, _m, women) = gender.rows
    assert _score(men) == Decimal("100.00")
    assert women is None  # 4 people: fewer than 5, never shown
    education = next(b for b in _breakdowns(profiled) if b.field == "education")
    assert [(label, n, _score(ikm)) for label, n, ikm in education.rows] == [
        ("SMA/SMK", 9, Decimal("77.78"))
    ]


def test_result_page_shows_star_for_small_groups(client, profiled):
    admin = member(Role.PEMDA_ADMIN, pemda=profiled.period.pemda)
    html = _page(client, admin, profiled)
    rows = dict(
        re.findall(
            r'<tr><td>([^<]+)</td><td class="text-end">\d+</td><td class="text-end">'
            r"(?:<span[^>]*>)?([^<]+)",
            html,
        )
    )
    assert rows["Laki-laki"] == "100,00"
    assert rows["Perempuan"] == "*"
    assert rows["SMA/SMK"] == "77,78"


# --- previous period and the drop alert ----------------------------------------------------------


def _previous_period(seat, rows):
    today = timezone.localdate()
    previous = SurveyPeriodFactory(
        pemda=seat.period.pemda,
        name="Periode lalu",
        starts_on=today - timedelta(days=200),
        ends_on=today - timedelta(days=40),
        status=SurveyPeriod.Status.CLOSED,
    )
    PeriodUnitFactory(period=previous, unit=seat.unit)
    return add_responses(previous, seat.unit, rows)


def test_previous_period_ikm_and_drop_alert(client, seat, admin):
    _previous_period(seat, [uniform_row(4)] * 5)  # 100.00 before, 82.22 now
    result = _result(seat)
    assert _score(result.previous) == Decimal("100.00")
    assert round_half_up(result.change, 2) == Decimal("-17.78")
    assert result.dropped_more_than(Decimal(2))
    html = _page(client, admin, seat)
    assert "Nilai IKM turun dari 100,00 menjadi 82,22, lebih dari batas 2,00 poin." in html


def test_no_drop_alert_within_the_margin(client, seat, admin):
    _previous_period(seat, [uniform_row(4)] * 5)
    SurveyPeriod.objects.filter(pk=seat.period_id).update(drop_alert_margin=Decimal("20"))
    html = _page(client, admin, seat)
    assert '<p class="display-6 fw-bold mb-0">100,00</p>' in html  # the previous value is shown
    assert "Nilai IKM turun" not in html


def test_no_drop_alert_when_the_ikm_rose(client, seat, admin):
    _previous_period(seat, [uniform_row(2)] * 5)  # 50.00 before
    result = _result(seat)
    assert _score(result.previous) == Decimal("50.00")
    assert not result.dropped_more_than(Decimal(2))
    assert "Nilai IKM turun" not in _page(client, admin, seat)


def test_no_previous_without_an_earlier_period(client, seat, admin):
    assert _result(seat).previous is None
    assert "Nilai IKM turun" not in _page(client, admin, seat)


# --- caching -----------------------------------------------------------------------------------


def test_a_new_response_changes_the_cached_result(seat, admin):
    first = _result(seat)
    assert _score(first.ikm) == Decimal("82.22")
    (late,) = add_responses(seat.period, seat.unit, [uniform_row(1)])
    second = _result(seat)
    assert second.respondents == 51
    assert _score(second.ikm) == Decimal("81.10")
    services.response_quarantine(response=late, actor=admin, reason="Bot")
    third = _result(seat)
    assert (third.respondents, third.quarantined) == (50, 1)
    assert _score(third.ikm) == Decimal("82.22")


def test_result_is_served_from_the_cache_until_something_changes(seat, django_assert_num_queries):
    _result(seat)
    seat = PeriodUnit.objects.select_related("period").get(pk=seat.pk)
    # The state probe, plus the previous-period lookup (none here).
    with django_assert_num_queries(2):
        cached = selectors.unit_result(seat.period, seat)
    assert _score(cached.ikm) == Decimal("82.22")
    cache.clear()
    with django_assert_num_queries(5):  # probe, two GROUP BYs, counts, previous lookup
        selectors.unit_result(seat.period, seat)


def test_quarantining_a_different_response_after_a_release_changes_the_result(seat, admin):
    """The cache key counts quarantined responses: swapping which one is held must not be
    served from the cache (bug if it is: the key does not identify *which* are held)."""
    low, high = add_responses(seat.period, seat.unit, [uniform_row(1), uniform_row(4)])
    services.response_quarantine(response=low, actor=admin, reason="Salah pilih")
    holding_low = _result(seat)
    services.response_release(response=low, actor=admin)
    services.response_quarantine(response=high, actor=admin, reason="Yang benar")
    holding_high = _result(seat)
    # 50 worked-example respondents + one all-4 respondent: (1480 + 36) / 459 × 25 = 82.57.
    # 50 worked-example respondents + one all-1 respondent: (1480 + 9) / 459 × 25 = 81.10.
    assert _score(holding_low.ikm) == Decimal("82.57")
    assert _score(holding_high.ikm) == Decimal("81.10")


def test_previous_period_quarantine_reaches_the_current_result(seat, admin):
    """The previous IKM is part of the cached result: a change there must show here too."""
    (old_bad,) = _previous_period(seat, [uniform_row(1)] + [uniform_row(4)] * 5)[:1]
    assert _score(_result(seat).previous) == Decimal("87.50")  # (5×4 + 1) / 6 × 25
    services.response_quarantine(response=old_bad, actor=admin, reason="Bot")
    assert _score(_result(seat).previous) == Decimal("100.00")


# --- period page query count ---------------------------------------------------------------------


def _period_with_units(count):
    period = SurveyPeriodFactory()
    for n in range(count):
        unit = UnitFactory(pemda=period.pemda, name=f"Unit {n:02d}")
        PeriodUnitFactory(period=period, unit=unit, population=100)
        add_responses(period, unit, [uniform_row(3, gender="L")] * 5)
    return period


# period_detail groups every unit's answers in one query: the count does not grow with units.
PERIOD_PAGE_QUERIES = 12  # + the Pemda-wide IKM (two GROUP BYs); the roles come with the scope


@pytest.mark.parametrize(
    ("units", "cold", "warm"),
    [(3, PERIOD_PAGE_QUERIES, PERIOD_PAGE_QUERIES), (12, PERIOD_PAGE_QUERIES, PERIOD_PAGE_QUERIES)],
)
def test_period_detail_query_count(client, db, django_assert_num_queries, units, cold, warm):
    period = _period_with_units(units)
    client.force_login(member(Role.PEMDA_ADMIN, pemda=period.pemda))
    url = reverse("surveys:period_detail", args=[period.pk])
    client.get(reverse("surveys:period_list"))  # session and first-request work done once
    with django_assert_num_queries(cold):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("75,00") == units + 1  # each unit and the Pemda
    with django_assert_num_queries(warm):
        client.get(url)


@pytest.mark.parametrize("respondents", [5, 40])
def test_cached_unit_page_runs_the_same_few_queries_whatever_the_responses(
    client, db, respondents, django_assert_num_queries
):
    seat = PeriodUnitFactory()
    add_responses(seat.period, seat.unit, [uniform_row(3)] * respondents)
    client.force_login(member(Role.UNIT_HEAD, unit=seat.unit))
    url = reverse("surveys:unit_result", args=[seat.period.pk, seat.unit.pk])
    client.get(url)
    # session, user, scope (the menu's roles come with it), period, member, services ×3, one
    # state probe, previous lookup
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


def test_each_breakdown_equals_its_own_group_by(db):
    """The page rolls every field up from one combined GROUP BY; each field must come out as a
    GROUP BY on that field alone would give it (varied answers, mixed profiles, one held)."""
    rng = random.Random(7)
    seat = PeriodUnitFactory()
    rows = [
        {code: rng.randint(1, 4) for code in UNSUR_CODES}
        | {
            "gender": rng.choice(["L", "P", ""]),
            "age_band": rng.choice(["20-29", "30-39", "40-49"]),
            "education": rng.choice(["SMA", "D4-S1"]),
            "occupation": rng.choice(["Swasta", "PNS", "Lainnya"]),
            "channel": rng.choice(["qr", "web", "paper"]),
            "quarantined": i == 0,
        }
        for i in range(60)
    ]
    add_responses(seat.period, seat.unit, rows)
    for breakdown in _breakdowns(seat):
        if breakdown.field == "service":
            continue
        field = breakdown.field
        direct = {}
        counted = Answer.objects.filter(period=seat.period, response__quarantined=False)
        for row in counted.values(f"response__{field}", "unsur").annotate(
            total=Sum("value"), n=Count("value")
        ):
            direct.setdefault(row[f"response__{field}"], ({}, {}))
            direct[row[f"response__{field}"]][0][row["unsur"]] = row["total"]
            direct[row[f"response__{field}"]][1][row["unsur"]] = row["n"]
        expected = {
            value: compute_ikm(totals, counts).score for value, (totals, counts) in direct.items()
        }
        model_field = Response._meta.get_field(field)
        shown = {str(dict(model_field.choices).get(v, v)): score for v, score in expected.items()}
        got = {label: ikm.score for label, n, ikm in breakdown.rows if ikm is not None}
        assert got == {label: shown[label] for label in got}, field
        assert len(got) >= 2, field  # enough people per value to compare something

"""Staff pages around a period (issue 12 item 8): the badge embed code is for staff, not for
citizens; the unit page leads to the unit's SKM pages."""

from datetime import timedelta

import pytest
from django.urls import reverse

from mutu.core.roles import Role
from mutu.surveys.models import SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member
from tests.surveys.factories import PeriodUnitFactory, SurveyPeriodFactory

EMBED = "Kode HTML"


@pytest.fixture
def world(db):
    pemda = PemdaFactory()
    unit = UnitFactory(pemda=pemda, name="Puskesmas Waru")
    period = SurveyPeriodFactory(pemda=pemda, name="Semester I")
    PeriodUnitFactory(period=period, unit=unit)
    return {
        "pemda": pemda,
        "unit": unit,
        "period": period,
        "operator": member(Role.UNIT_OPERATOR, unit=unit),
        "inspector": member(Role.INSPECTOR, pemda=pemda),
    }


def _badge_tag(unit):
    return f'&lt;img src="http://testserver{reverse("surveys:badge", args=[unit.pk])}"'


# --- badge embed code ---------------------------------------------------------------------


def test_the_public_results_page_has_no_embed_code(client, world):
    html = client.get(reverse("surveys:public_results", args=[world["unit"].pk])).content.decode()
    assert EMBED not in html
    assert "badge-code" not in html


@pytest.mark.parametrize("page", ["link_list", "unit_result"])
def test_staff_pages_give_the_embed_code(client, world, page):
    unit = world["unit"]
    args = [unit.pk] if page == "link_list" else [world["period"].pk, unit.pk]
    client.force_login(world["operator"])
    html = client.get(reverse(f"surveys:{page}", args=args)).content.decode()
    assert EMBED in html
    assert _badge_tag(unit) in html
    public = reverse("surveys:public_results", args=[unit.pk])
    assert f'&lt;a href="http://testserver{public}"&gt;' in html
    # The badge grows a line when the sample is below target: a fixed height would squeeze it.
    tag = html[html.index(_badge_tag(unit)) :].split("&gt;")[0]
    assert 'width="220"' in tag and "height=" not in tag


# --- the unit page links to its SKM pages ---------------------------------------------------


def _unit_page(client, user, unit):
    client.force_login(user)
    return client.get(reverse("organisations:unit_detail", args=[unit.pk])).content.decode()


def test_unit_page_links_to_the_skm_pages_of_the_open_period(client, world):
    unit, period = world["unit"], world["period"]
    # a later draft does not win over the open period
    draft = SurveyPeriodFactory(
        pemda=world["pemda"],
        status=SurveyPeriod.Status.DRAFT,
        starts_on=period.ends_on + timedelta(days=1),
        ends_on=period.ends_on + timedelta(days=90),
    )
    PeriodUnitFactory(period=draft, unit=unit)
    html = _unit_page(client, world["operator"], unit)
    for name, args in [
        ("unit_result", [period.pk, unit.pk]),
        ("link_list", [unit.pk]),
        ("kiosk_list", [unit.pk]),
        ("paper_entry", [period.pk, unit.pk]),
        ("follow_up", [period.pk, unit.pk]),
    ]:
        assert f'href="{reverse(f"surveys:{name}", args=args)}"' in html, name
    assert reverse("surveys:unit_result", args=[draft.pk, unit.pk]) not in html


def test_unit_page_falls_back_to_the_latest_period(client, world):
    unit, period = world["unit"], world["period"]
    period.status = SurveyPeriod.Status.CLOSED
    period.save()
    older = SurveyPeriodFactory(
        pemda=world["pemda"],
        status=SurveyPeriod.Status.CLOSED,
        starts_on=period.starts_on - timedelta(days=200),
        ends_on=period.starts_on - timedelta(days=100),
    )
    PeriodUnitFactory(period=older, unit=unit)
    html = _unit_page(client, world["operator"], unit)
    assert reverse("surveys:unit_result", args=[period.pk, unit.pk]) in html
    assert reverse("surveys:unit_result", args=[older.pk, unit.pk]) not in html


def test_unit_page_hides_paper_entry_from_a_reader(client, world):
    html = _unit_page(client, world["inspector"], world["unit"])
    assert reverse("surveys:unit_result", args=[world["period"].pk, world["unit"].pk]) in html
    assert reverse("surveys:paper_entry", args=[world["period"].pk, world["unit"].pk]) not in html


def test_unit_page_of_a_unit_in_no_period(client, world):
    lone = UnitFactory(pemda=world["pemda"], name="Kecamatan Baru")
    html = _unit_page(client, member(Role.PEMDA_ADMIN, pemda=world["pemda"]), lone)
    assert "Unit ini belum ikut periode survei mana pun." in html
    assert reverse("surveys:link_list", args=[lone.pk]) in html

"""List pages must not run one query per row: the count is the same for few and many rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutu.core.roles import Role
from mutu.organisations.models import Holiday
from mutu.surveys.models import (
    FkpRecord,
    KioskDevice,
    PeriodUnit,
    RtlItem,
    SurveyLink,
    SurveyPeriod,
)
from tests.factories import PemdaFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


def _world(size: int):
    pemda = PemdaFactory()
    unit = UnitFactory(pemda=pemda, name="Disdukcapil")
    admin = member(Role.PEMDA_ADMIN, pemda=pemda)
    period = None
    for n in range(size):
        period = SurveyPeriod.objects.create(
            pemda=pemda,
            name=f"Periode {n}",
            status="closed",
            starts_on=date(2020 + n, 1, 1),
            ends_on=date(2020 + n, 6, 30),
        )
        PeriodUnit.objects.create(period=period, unit=unit)
        RtlItem.objects.create(
            period=period,
            unit=unit,
            unsur="waktu",
            program=f"Program {n}",
            schedule="Juli",
            responsible="Kepala",
        )
        FkpRecord.objects.create(
            period=period,
            unit=unit,
            held_on=date(2020 + n, 7, 1),
            participants="Warga",
            agreed_actions="Perbaikan",
        )
        SurveyLink.objects.create(unit=unit, label=f"Loket {n}")
        KioskDevice.objects.create(unit=unit, name=f"Tablet {n}")
        Holiday.objects.create(
            date=date(2026, 1 + n % 12, 1 + n // 12),
            name=f"Libur {n}",
            kind="libur_daerah",
            pemda=pemda,
        )
        if n % 2:
            member(Role.UNIT_OPERATOR, unit=unit)
        else:
            member(Role.INSPECTOR, pemda=pemda)
    return {"pemda": pemda, "unit": unit, "admin": admin, "period": period}


PAGES = {
    "period_list": lambda w: reverse("surveys:period_list"),
    "unit_result": lambda w: reverse("surveys:unit_result", args=[w["period"].pk, w["unit"].pk]),
    "follow_up": lambda w: reverse("surveys:follow_up", args=[w["period"].pk, w["unit"].pk]),
    "link_list": lambda w: reverse("surveys:link_list", args=[w["unit"].pk]),
    "kiosk_list": lambda w: reverse("surveys:kiosk_list", args=[w["unit"].pk]),
    "member_list": lambda w: reverse("organisations:member_list", args=[w["pemda"].pk]),
    "holiday_list": lambda w: reverse("organisations:holiday_list") + f"?pemda={w['pemda'].pk}",
}


def _count(client, world, page) -> int:
    client.force_login(world["admin"])
    url = PAGES[page](world)
    client.get(url)  # warm caches the page legitimately keeps
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_does_not_grow_with_rows(client, page):
    few = _count(client, _world(2), page)
    client.logout()
    many = _count(client, _world(9), page)
    assert many == few, f"{page}: {few} queries with 2 rows, {many} with 9"
    assert few <= 25

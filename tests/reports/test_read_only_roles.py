"""Issue 11 item 13: the read-only roles (national viewer, provincial admin over another Pemda,
inspector, evaluator) cannot have reports made, so they write nothing to a Pemda's event log."""

from datetime import date

import pytest
from django.urls import reverse

from mutu.core.access import CoreAction, can
from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.organisations.models import Region
from mutu.reports.models import ReportJob
from mutu.surveys.models import PeriodUnit, SurveyPeriod
from tests.factories import PemdaFactory, RegionFactory, UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    kaltim = RegionFactory(code="64", name="Kalimantan Timur", level=Region.Level.PROVINSI)
    province = PemdaFactory(region=kaltim)
    pemda = PemdaFactory(region=RegionFactory(code="64.09", name="Kabupaten PPU", parent=kaltim))
    unit = UnitFactory(pemda=pemda, name="Disdukcapil")
    period = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester II 2026",
        status="closed",
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 12, 31),
    )
    PeriodUnit.objects.create(period=period, unit=unit, population=100)
    return {"province": province, "pemda": pemda, "unit": unit, "period": period}


READ_ONLY = {
    "national": lambda w: member(Role.NATIONAL_VIEWER),
    "provincial": lambda w: member(Role.PROVINCIAL_ADMIN, pemda=w["province"]),
    "inspector": lambda w: member(Role.INSPECTOR, pemda=w["pemda"]),
    "evaluator": lambda w: member(Role.EVALUATOR, unit=w["unit"]),
}
WRITERS = {
    "pemda_admin": lambda w: member(Role.PEMDA_ADMIN, pemda=w["pemda"]),
    "unit_head": lambda w: member(Role.UNIT_HEAD, unit=w["unit"]),
    "operator": lambda w: member(Role.UNIT_OPERATOR, unit=w["unit"]),
    "superuser": lambda w: UserFactory(is_superuser=True, is_staff=True),
}


@pytest.mark.parametrize("role", sorted(READ_ONLY))
def test_a_read_only_role_sees_the_result_but_cannot_request_the_report(client, world, role):
    user = READ_ONLY[role](world)
    client.force_login(user)
    result = reverse("surveys:unit_result", args=[world["period"].pk, world["unit"].pk])
    request = reverse("reports:skm_report", args=[world["period"].pk, world["unit"].pk])
    page = client.get(result)
    assert page.status_code == 200  # they may read the numbers
    assert request not in page.content.decode()  # no button that would only answer 403
    assert client.post(request).status_code == 403
    assert not ReportJob.objects.exists()
    assert not DomainEvent.objects.filter(pemda=world["pemda"]).exists()
    assert not can(user, CoreAction.REQUEST_REPORT, world["unit"])


@pytest.mark.parametrize("role", sorted(WRITERS))
def test_those_who_run_the_unit_request_the_report(client, world, role):
    user = WRITERS[role](world)
    client.force_login(user)
    result = reverse("surveys:unit_result", args=[world["period"].pk, world["unit"].pk])
    request = reverse("reports:skm_report", args=[world["period"].pk, world["unit"].pk])
    assert request in client.get(result).content.decode()
    assert client.post(request).status_code == 302
    assert ReportJob.objects.get().requested_by == user
    assert DomainEvent.objects.filter(verb="report.requested", actor=user).count() == 1


def test_a_provincial_admin_requests_reports_of_its_own_province_pemda(world):
    provincial = READ_ONLY["provincial"](world)
    own_unit = UnitFactory(pemda=world["province"], name="Biro Organisasi")
    assert can(provincial, CoreAction.REQUEST_REPORT, own_unit)
    assert not can(provincial, CoreAction.REQUEST_REPORT, world["unit"])

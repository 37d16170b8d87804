"""The landing page after login shows each role its SKM work (issue 12 item 11): numbers from
the result pages' selectors, linked to those pages, scoped to the user, in a fixed number of
queries whatever the number of units."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutu.core import dashboard
from mutu.core.roles import Role
from mutu.organisations.models import ImportJob
from mutu.reports.models import ReportJob
from mutu.surveys.models import RtlItem, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member
from tests.surveys.factories import (
    PeriodUnitFactory,
    SurveyPeriodFactory,
    add_responses,
    uniform_row,
)

pytestmark = pytest.mark.django_db


def _closed_before(period):
    return SurveyPeriodFactory(
        pemda=period.pemda,
        name="Semester I",
        status=SurveyPeriod.Status.CLOSED,
        starts_on=period.starts_on - timedelta(days=200),
        ends_on=period.starts_on - timedelta(days=1),
        closed_at=timezone.now() - timedelta(days=30),
    )


@pytest.fixture
def world(tmp_path, settings):
    """Two units. Dishub: 30 of its 80 (population 100), IKM 100 → 75 (falling), no RTL for
    Semester I. RSUD: 10 of 10 (population 10), steady, with its RTL."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    pemda = PemdaFactory()
    now = SurveyPeriodFactory(pemda=pemda, name="Semester II")
    before = _closed_before(now)
    dishub = UnitFactory(pemda=pemda, name="Dinas Perhubungan")
    rsud = UnitFactory(pemda=pemda, name="RSUD Ratu Aji")
    for unit, population, value_before, value_now, n in (
        (dishub, 100, 4, 3, 30),
        (rsud, 10, 3, 3, 10),
    ):
        PeriodUnitFactory(period=before, unit=unit, population=population)
        add_responses(before, unit, [uniform_row(value_before)] * 10)
        PeriodUnitFactory(period=now, unit=unit, population=population)
        add_responses(now, unit, [uniform_row(value_now)] * n)
    RtlItem.objects.create(
        period=before, unit=rsud, unsur="waktu", program="Antrean", schedule="Juli", responsible="K"
    )
    return {"pemda": pemda, "now": now, "before": before, "dishub": dishub, "rsud": rsud}


def _dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _url(name, *args) -> str:
    return reverse(name, args=args)


def _done_report(world, requested_by) -> ReportJob:
    job = ReportJob.objects.create(
        kind="skm_unit_pdf", pemda=world["pemda"], requested_by=requested_by
    )
    job.file.save("x.pdf", ContentFile(b"%PDF-1.7 laporan"), save=False)
    job.status, job.download_name = ReportJob.Status.DONE, "laporan-skm-dishub.pdf"
    job.save()
    return job


def test_the_admin_sees_every_unit_s_sample_the_fall_the_missing_rtl_and_reports(client, world):
    admin = member(Role.PEMDA_ADMIN, pemda=world["pemda"])
    job = _done_report(world, requested_by=None)
    html = _dashboard(client, admin)
    now, before, dishub, rsud = world["now"], world["before"], world["dishub"], world["rsud"]
    # Sample progress: the Krejcie–Morgan targets of the result pages, as text beside each bar.
    assert "30 dari 80 responden (37%)" in html
    assert "10 dari 10 responden (100%)" in html
    assert html.count('<progress class="sample-bar"') == 2
    assert _url("surveys:unit_result", now.pk, dishub.pk) in html
    assert _url("surveys:unit_result", now.pk, rsud.pk) in html
    assert _url("surveys:period_detail", now.pk) in html
    # Falling IKM: Dishub only (100 → 75), linked to its follow-up page.
    falling = _section(html, "card-falling")
    assert "Dinas Perhubungan" in falling and "RSUD" not in falling
    assert "turun 25,00" in falling
    # No RTL for the last published period: Dishub only, and the admin may write it.
    no_rtl = _section(html, "card-rtl")
    assert _url("surveys:follow_up", before.pk, dishub.pk) in no_rtl
    assert "RSUD" not in no_rtl and "Susun RTL" in no_rtl
    # A finished report, through the permission-checked private file view.
    download = _url("reports:download", job.pk)
    assert download in html
    assert client.get(download).status_code == 200
    assert "Akses baca" not in html and "Yang perlu dimasukkan" not in html


def test_a_unit_head_sees_the_same_for_the_unit_only(client, world):
    head = member(Role.UNIT_HEAD, unit=world["dishub"])
    _done_report(world, requested_by=None)  # someone else's report: not the head's to read
    html = _dashboard(client, head)
    assert "30 dari 80 responden" in html and "RSUD" not in html
    assert "Dinas Perhubungan" in _section(html, "card-falling")
    assert "Susun RTL" in _section(html, "card-rtl")
    assert "card-reports" not in html


def test_an_operator_sees_what_to_enter(client, world):
    operator = member(Role.UNIT_OPERATOR, unit=world["dishub"])
    job = ImportJob.objects.create(
        kind="kertas",
        pemda=world["pemda"],
        unit=world["dishub"],
        params={"period": world["now"].pk},
        upload_digest="0" * 64,
        status=ImportJob.Status.REJECTED,
    )
    html = _dashboard(client, operator)
    to_enter = _section(html, "card-enter")
    now, dishub = world["now"], world["dishub"]
    assert "30 dari 80 responden, kurang 50" in to_enter
    assert _url("surveys:paper_entry", now.pk, dishub.pk) in to_enter
    assert _url("surveys:paper_import", now.pk, dishub.pk) in to_enter
    assert _url("organisations:import_job", job.pk) in to_enter
    assert "card-sample" not in html and "card-falling" not in html


def test_an_operator_whose_sample_is_reached_has_nothing_to_enter(client, world):
    operator = member(Role.UNIT_OPERATOR, unit=world["rsud"])
    to_enter = _section(_dashboard(client, operator), "card-enter")
    assert '<span class="fs-4 fw-bold">0</span>' in to_enter
    assert "paper" not in to_enter and "kertas/" not in to_enter


@pytest.mark.parametrize(
    "role", [Role.INSPECTOR, Role.NATIONAL_VIEWER, Role.EVALUATOR, Role.PROVINCIAL_ADMIN]
)
def test_read_only_roles_read_and_are_offered_no_write(client, world, role):
    scoped = {"pemda": world["pemda"]} if role in (Role.INSPECTOR,) else {}
    if role == Role.EVALUATOR:
        scoped = {"unit": world["dishub"]}
    if role == Role.PROVINCIAL_ADMIN:  # over a Kabupaten of its province, not its own Pemda
        scoped = {"pemda": _province_of(world["pemda"])}
    html = _dashboard(client, member(role, **scoped))
    # The provincial admin also administers its own Pemda: not a read-only person as a whole.
    assert ("Akses baca" in html) is (role != Role.PROVINCIAL_ADMIN)
    assert "30 dari 80 responden" in html
    assert "Lihat tindak lanjut" in _section(html, "card-rtl")
    for write in ("Susun RTL", "kertas/", "Isi kuesioner kertas", "Impor dari Excel"):
        assert write not in html, write


def _province_of(pemda):
    """A provincial Pemda whose region contains the Kabupaten's."""
    from tests.factories import RegionFactory

    code = pemda.region.code.split(".")[0]
    province = PemdaFactory(region=RegionFactory(code=code, name="Provinsi Uji", level="provinsi"))
    return province


def test_ids_and_values_in_the_page_are_never_localized(client, world):
    """A target above 999 would come back as "1.000" in a value attribute (issue 12 item 1)."""
    from mutu.surveys.models import PeriodUnit

    PeriodUnit.objects.filter(period=world["now"], unit=world["dishub"]).update(population=10**6)
    html = _dashboard(client, member(Role.PEMDA_ADMIN, pemda=world["pemda"]))
    assert 'max="384"' in html  # Krejcie–Morgan for a million
    assert not re.search(r'(max|value)="\d+\.\d{3}', html)


def _world_with_units(size: int):
    """`size` units under one parent (the parent takes no part in the survey)."""
    pemda = PemdaFactory()
    parent = UnitFactory(pemda=pemda, name="Sekretariat")
    now = SurveyPeriodFactory(pemda=pemda)
    before = _closed_before(now)
    for n in range(size):
        unit = UnitFactory(pemda=pemda, name=f"Unit {n}", parent=parent)
        for period, value in ((before, 4), (now, 2)):
            PeriodUnitFactory(period=period, unit=unit, population=50 + n)
            add_responses(period, unit, [uniform_row(value)] * 3)
    return pemda, parent


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("core:dashboard")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", [Role.PEMDA_ADMIN, Role.UNIT_OPERATOR])
def test_queries_do_not_grow_with_the_number_of_units(client, role):
    counts = []
    for size in (2, 7):
        pemda, parent = _world_with_units(size)
        # An operator over the parent of every unit: the subtree's units are the operator's.
        scope = {"pemda": pemda} if role == Role.PEMDA_ADMIN else {"unit": parent}
        counts.append(_queries(client, member(role, **scope)))
    assert counts[0] == counts[1], counts


def test_an_app_adds_its_own_card_through_the_registry(client, world):
    """A later domain registers a maker; its card renders with its own context, in order."""

    def maker(user):
        return [dashboard.Card("reports/dashboard_ready.html", {"jobs": []}, order=0)]

    dashboard.register(maker)
    dashboard.register(maker)  # imported twice: still one card
    try:
        html = _dashboard(client, member(Role.PEMDA_ADMIN, pemda=world["pemda"]))
    finally:
        dashboard._makers.remove(maker)
    assert html.count('id="card-reports"') == 1
    assert html.index('id="card-reports"') < html.index('id="card-sample"')


def test_a_person_without_a_role_sees_no_skm_card(client, world):
    from tests.factories import UserFactory

    html = _dashboard(client, UserFactory())
    assert "card-sample" not in html and "belum memiliki peran" in html


def _section(html: str, card_id: str) -> str:
    start = html.index(f'id="{card_id}"')
    return html[start : html.index("</section>", start)]


def test_every_unit_is_listed_the_tail_folded_away(client):
    pemda, _parent = _world_with_units(19)
    html = _dashboard(client, member(Role.PEMDA_ADMIN, pemda=pemda))
    sample = _section(html, "card-sample")
    assert sample.count('<progress class="sample-bar"') == 19
    assert "Tampilkan 3 unit lainnya" in sample
    assert "Tampilkan 13 unit lainnya" in _section(html, "card-rtl")

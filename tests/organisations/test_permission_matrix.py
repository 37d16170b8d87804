"""Every view × every role × own/other Pemda. A new URL without a row here fails the last test."""

from datetime import date

import pytest
from django.urls import get_resolver, reverse

from mutu.core.access import CoreAction, can
from mutu.core.roles import Role
from mutu.organisations.actions import OrgAction
from mutu.organisations.models import ImportJob, Region
from mutu.surveys.actions import SurveyAction
from mutu.surveys.models import PeriodUnit, SurveyLink, SurveyPeriod
from tests.factories import (
    PemdaFactory,
    RegionFactory,
    ServiceFactory,
    UnitFactory,
    UserFactory,
    member,
)
from tests.shared_world import built_once, fresh_copy

ROLES = [
    "anon",
    "norole",
    "national",
    "prov_admin",
    "pemda_admin",
    "unit_head",
    "operator",
    "evaluator",
    "inspector",
    "superuser",
]


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    # Built once for the module's 400-odd tests; each test rolls its own writes back.
    with built_once(django_db_blocker, _build_world) as world:
        yield world


@pytest.fixture
def world(_world, db):
    return fresh_copy(_world)


def _build_world():
    kaltim = RegionFactory(code="64", name="Kalimantan Timur", level=Region.Level.PROVINSI)
    kalteng = RegionFactory(
        code="62", name="Kalimantan Tengah", level=Region.Level.PROVINSI, timezone="Asia/Pontianak"
    )
    province = PemdaFactory(region=kaltim)
    own = PemdaFactory(
        region=RegionFactory(code="64.09", name="Kabupaten Penajam Paser Utara", parent=kaltim)
    )
    other = PemdaFactory(
        region=RegionFactory(
            code="62.10", name="Kabupaten Gunung Mas", parent=kalteng, timezone="Asia/Pontianak"
        )
    )
    dinas = UnitFactory(pemda=own, name="Dinas Kesehatan")
    puskesmas = UnitFactory(pemda=own, name="Puskesmas Waru", parent=dinas, kind="puskesmas")
    evaluated = UnitFactory(pemda=own, name="DPMPTSP")
    foreign = UnitFactory(pemda=other, name="Disdukcapil Gunung Mas")
    users = {
        "norole": UserFactory(),
        "national": member(Role.NATIONAL_VIEWER),
        "prov_admin": member(Role.PROVINCIAL_ADMIN, pemda=province),
        "pemda_admin": member(Role.PEMDA_ADMIN, pemda=own),
        "unit_head": member(Role.UNIT_HEAD, unit=dinas),
        "operator": member(Role.UNIT_OPERATOR, unit=puskesmas),
        "evaluator": member(Role.EVALUATOR, unit=evaluated),
        "inspector": member(Role.INSPECTOR, pemda=own),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    period = SurveyPeriod.objects.create(
        pemda=own, name="Semester II", starts_on=date(2026, 7, 1), ends_on=date(2026, 12, 31)
    )
    PeriodUnit.objects.create(period=period, unit=dinas)
    PeriodUnit.objects.create(period=period, unit=puskesmas)
    foreign_period = SurveyPeriod.objects.create(
        pemda=other, name="Semester II", starts_on=date(2026, 7, 1), ends_on=date(2026, 12, 31)
    )
    return {
        "period": period,
        "foreign_period": foreign_period,
        "link": SurveyLink.objects.create(unit=dinas),
        "users": users,
        "province": province,
        "own": own,
        "other": other,
        "dinas": dinas,
        "puskesmas": puskesmas,
        "foreign": foreign,
        "service": ServiceFactory(unit=puskesmas),
        "foreign_service": ServiceFactory(unit=foreign),
        "units_job": ImportJob.objects.create(kind="unit", pemda=own, upload_digest="x"),
        "paper_job": ImportJob.objects.create(
            kind="kertas",
            pemda=own,
            unit=puskesmas,
            params={"period": period.pk},
            upload_digest="x",
        ),
    }


def _url(world, name: str) -> str:
    w = world
    return {
        "dashboard": reverse("core:dashboard"),
        "event_list": reverse("core:event_list"),
        "account_security": reverse("core:account_security"),
        "pemda_list": reverse("organisations:pemda_list"),
        "unit_list": reverse("organisations:unit_list"),
        "unit_detail:own": reverse("organisations:unit_detail", args=[w["dinas"].pk]),
        "unit_detail:other": reverse("organisations:unit_detail", args=[w["foreign"].pk]),
        "unit_edit:own": reverse("organisations:unit_edit", args=[w["dinas"].pk]),
        "unit_edit:other": reverse("organisations:unit_edit", args=[w["foreign"].pk]),
        "service_create:own": reverse("organisations:service_create", args=[w["puskesmas"].pk]),
        "service_create:other": reverse("organisations:service_create", args=[w["foreign"].pk]),
        "service_edit:own": reverse("organisations:service_edit", args=[w["service"].pk]),
        "service_edit:other": reverse("organisations:service_edit", args=[w["foreign_service"].pk]),
        "unit_create:own": reverse("organisations:unit_create", args=[w["own"].pk]),
        "unit_create:other": reverse("organisations:unit_create", args=[w["other"].pk]),
        "unit_create:province": reverse("organisations:unit_create", args=[w["province"].pk]),
        "import:own": reverse("organisations:import", args=[w["own"].pk, "unit"]),
        "import:other": reverse("organisations:import", args=[w["other"].pk, "layanan"]),
        "import_job:units": reverse("organisations:import_job", args=[w["units_job"].pk]),
        "import_job:paper": reverse("organisations:import_job", args=[w["paper_job"].pk]),
        "holiday_list:own": reverse("organisations:holiday_list") + f"?pemda={w['own'].pk}",
        "holiday_list:other": reverse("organisations:holiday_list") + f"?pemda={w['other'].pk}",
        "holiday_create:own": reverse("organisations:holiday_create") + f"?pemda={w['own'].pk}",
        "pemda_edit:own": reverse("organisations:pemda_edit", args=[w["own"].pk]),
        "pemda_edit:other": reverse("organisations:pemda_edit", args=[w["other"].pk]),
        "period_list": reverse("surveys:period_list"),
        "period_create:own": reverse("surveys:period_create", args=[w["own"].pk]),
        "period_create:other": reverse("surveys:period_create", args=[w["other"].pk]),
        "period_detail:own": reverse("surveys:period_detail", args=[w["period"].pk]),
        "period_detail:other": reverse("surveys:period_detail", args=[w["foreign_period"].pk]),
        "unit_result:own": reverse("surveys:unit_result", args=[w["period"].pk, w["dinas"].pk]),
        "extra_questions:own": reverse(
            "surveys:extra_questions", args=[w["period"].pk, w["dinas"].pk]
        ),
        "link_list:own": reverse("surveys:link_list", args=[w["dinas"].pk]),
        "link_list:other": reverse("surveys:link_list", args=[w["foreign"].pk]),
        "link_qr:own": reverse("surveys:link_qr", args=[w["link"].pk]),
        "link_poster:own": reverse("surveys:link_poster", args=[w["link"].pk]),
        "link_poster_pdf:own": reverse("surveys:link_poster_pdf", args=[w["link"].pk]),
        "kiosk_list:own": reverse("surveys:kiosk_list", args=[w["dinas"].pk]),
        "kiosk_list:other": reverse("surveys:kiosk_list", args=[w["foreign"].pk]),
        "member_list:own": reverse("organisations:member_list", args=[w["own"].pk]),
        "member_list:other": reverse("organisations:member_list", args=[w["other"].pk]),
        "member_add:own": reverse("organisations:member_add", args=[w["own"].pk]),
        "member_add:other": reverse("organisations:member_add", args=[w["other"].pk]),
    }[name]


# Expected status per role, in the order of ROLES.
# fmt: off
#                        anon norole nat  prov adm  head oper eval insp super
MATRIX = {
    "dashboard":            [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "event_list":           [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "account_security":     [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "pemda_list":           [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "unit_list":            [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "unit_detail:own":      [302, 404, 200, 200, 200, 200, 404, 404, 200, 200],
    "unit_detail:other":    [302, 404, 200, 404, 404, 404, 404, 404, 404, 200],
    "unit_edit:own":        [302, 404, 403, 403, 200, 200, 404, 404, 403, 200],
    "unit_edit:other":      [302, 404, 403, 404, 404, 404, 404, 404, 404, 200],
    "service_create:own":   [302, 404, 403, 403, 200, 200, 200, 404, 403, 200],
    "service_create:other": [302, 404, 403, 404, 404, 404, 404, 404, 404, 200],
    "service_edit:own":     [302, 404, 403, 403, 200, 200, 200, 404, 403, 200],
    "service_edit:other":   [302, 404, 403, 404, 404, 404, 404, 404, 404, 200],
    "unit_create:own":      [302, 404, 403, 403, 200, 403, 403, 403, 403, 200],
    "unit_create:other":    [302, 404, 403, 404, 404, 404, 404, 404, 404, 200],
    "unit_create:province": [302, 404, 403, 200, 404, 404, 404, 404, 404, 200],
    "import:own":           [302, 404, 403, 403, 200, 403, 403, 403, 403, 200],
    "import:other":         [302, 404, 403, 404, 404, 404, 404, 404, 404, 200],
    "import_job:units":     [302, 404, 404, 404, 200, 404, 404, 404, 404, 200],
    "import_job:paper":     [302, 404, 404, 404, 200, 200, 200, 404, 404, 200],
    "holiday_list:own":     [302, 403, 403, 403, 200, 403, 403, 403, 403, 200],
    "holiday_list:other":   [302, 403, 403, 403, 403, 403, 403, 403, 403, 200],
    "holiday_create:own":   [302, 403, 403, 403, 200, 403, 403, 403, 403, 200],
    "pemda_edit:own":       [302, 404, 403, 403, 200, 403, 403, 403, 403, 200],
    "pemda_edit:other":     [302, 404, 403, 404, 404, 404, 404, 404, 404, 200],
    "period_list":          [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "period_create:own":    [302, 404, 403, 403, 200, 403, 403, 403, 403, 200],
    "period_create:other":  [302, 404, 403, 404, 404, 404, 404, 404, 404, 200],
    "period_detail:own":    [302, 404, 200, 200, 200, 200, 200, 200, 200, 200],
    "period_detail:other":  [302, 404, 200, 404, 404, 404, 404, 404, 404, 200],
    "unit_result:own":      [302, 404, 200, 200, 200, 200, 404, 404, 200, 200],
    "extra_questions:own":  [302, 404, 200, 200, 200, 200, 404, 404, 200, 200],
    "link_list:own":        [302, 404, 200, 200, 200, 200, 404, 404, 200, 200],
    "link_list:other":      [302, 404, 200, 404, 404, 404, 404, 404, 404, 200],
    "link_qr:own":          [302, 404, 200, 200, 200, 200, 404, 404, 200, 200],
    "link_poster_pdf:own":  [302, 404, 200, 200, 200, 200, 404, 404, 200, 200],
    "kiosk_list:own":       [302, 404, 200, 200, 200, 200, 404, 404, 200, 200],
    "kiosk_list:other":     [302, 404, 200, 404, 404, 404, 404, 404, 404, 200],
    "link_poster:own":      [302, 404, 200, 200, 200, 200, 404, 404, 200, 200],
    "member_list:own":      [302, 404, 403, 403, 200, 403, 403, 403, 200, 200],
    "member_list:other":    [302, 404, 403, 404, 404, 404, 404, 404, 404, 200],
    "member_add:own":       [302, 404, 403, 403, 200, 403, 403, 403, 403, 200],
    "member_add:other":     [302, 404, 403, 404, 404, 404, 404, 404, 404, 200],
}
# fmt: on


@pytest.mark.parametrize("view", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_view_status_per_role(client, world, view, role):
    if role != "anon":
        client.force_login(world["users"][role])
    response = client.get(_url(world, view))
    assert response.status_code == MATRIX[view][ROLES.index(role)], (view, role)


# POST endpoints that change data: each rejects roles without the right, and changes nothing.
@pytest.mark.parametrize("role", ["national", "prov_admin", "inspector", "evaluator", "operator"])
def test_unit_edit_post_denied_changes_nothing(client, world, role):
    client.force_login(world["users"][role])
    unit = world["dinas"]
    response = client.post(_url(world, "unit_edit:own"), {"name": "Diubah", "kind": "dinas"})
    assert response.status_code in (403, 404)
    unit.refresh_from_db()
    assert unit.name == "Dinas Kesehatan"


# The URL names covered above; every named route of our apps must appear here or in EXEMPT.
COVERED = {key.split(":")[0] for key in MATRIX}  # and the POST endpoints below (POSTS)
EXEMPT = {
    "home": "public landing page",
    "import_template": "static template download, no Pemda data (tested in test_imports)",
    "holiday_edit": "same guard as holiday_create (tested in test_calendar)",
    "holiday_delete": "POST only (tested in test_calendar)",
    "holiday_import": "POST only (tested in test_calendar)",
    "member_revoke": "POST only (tested in test_members)",
    "invitation_list": "only the signed-in person's own invitations (test_invitations)",
    "invitation_respond": "POST only, own invitations (test_invitations)",
    "form": "public questionnaire, no sign-in (tests/surveys/test_public_form.py)",
    "thanks": "public thank-you page",
    "kiosk": "counter tablet, authenticated by its device token (tests/surveys/test_kiosk.py)",
    "kiosk_submit": "kiosk JSON endpoint, device token (tests/surveys/test_kiosk.py)",
    "kiosk_service_worker": "kiosk service worker script, no data (tests/surveys/test_kiosk.py)",
    "public_results": "public record of published IKM (tests/surveys/test_public_results.py)",
    "badge": "public SVG badge (tests/surveys/test_public_results.py)",
    "response_list": "tests/surveys/test_moderation_tabulation.py (roles and other Pemda)",
    "kiosk_rotate": "POST only (tests/surveys/test_kiosk_tokens.py)",
    "kiosk_revoke": "POST only (tests/surveys/test_kiosk.py, tests/core/test_junk_input.py)",
    "paper_entry": "tests/surveys/test_paper_entry.py (roles and other Pemda)",
    "paper_import": "tests/surveys/test_paper_entry.py (roles and other Pemda)",
    "paper_template": "static template download, no Pemda data",
    "paper_template_unit": "tests/surveys/test_paper_forms.py (roles and other units)",
    "paper_blank_pdf": "tests/surveys/test_paper_forms.py (roles and other units)",
    "follow_up": "tests/surveys/test_follow_up.py (roles and other Pemda)",
    "rtl_edit": "tests/surveys/test_follow_up.py (roles and other Pemda)",
    "population_import": "tests/surveys/test_population_import.py (roles and other Pemda)",
    "job": "own or overseen jobs only (tests/surveys/test_report_pdf.py)",
    "download": "private file of a job: tests/reports/test_private_files.py (roles, Pemda)",
    "private_file": "the same view as download (tests/reports/test_private_files.py)",
    "survey_instrument": "public API of a QR token, no sign-in (tests/surveys/test_api.py)",
    "survey_submit": "public API of a QR token, no sign-in (tests/surveys/test_api.py)",
    "schema": "public OpenAPI schema (tests/api/test_schema.py)",
    "docs": "public API documentation (tests/api/test_schema.py)",
}


def test_every_app_view_is_in_the_matrix():
    names = set()
    for namespace in ("core", "organisations", "surveys", "reports", "api"):
        resolver = get_resolver().namespace_dict[namespace][1]
        names |= {n for n in resolver.reverse_dict if isinstance(n, str)}
    posted = {name.split(":")[1] for name in POSTS}
    missing = names - COVERED - posted - set(EXEMPT)
    assert not missing, f"views without a permission test: {sorted(missing)}"


# --- the pages' rows, derived from the action tables ---------------------------------------
# What each page needs: the action and the object it is checked on ("seen" is what must be
# visible first; a page that hides more than it forbids uses the action itself). MATRIX above is
# the reviewed statement; this derivation from mutu/<app>/actions.py must agree with it, so a
# change of a table that the pages do not follow (or the reverse) fails here.
ANY = None  # any signed-in user
VIEW, AUDIT = CoreAction.VIEW, CoreAction.VIEW_AUDIT
GETS = {
    "dashboard": ANY,
    "event_list": ANY,
    "account_security": ANY,
    "pemda_list": ANY,
    "unit_list": ANY,
    "period_list": ANY,
    "unit_detail:own": (VIEW, "dinas", "dinas"),
    "unit_detail:other": (VIEW, "foreign", "foreign"),
    "unit_edit:own": (OrgAction.EDIT_UNIT, "dinas", "dinas"),
    "unit_edit:other": (OrgAction.EDIT_UNIT, "foreign", "foreign"),
    "service_create:own": (OrgAction.MANAGE_SERVICES, "puskesmas", "puskesmas"),
    "service_create:other": (OrgAction.MANAGE_SERVICES, "foreign", "foreign"),
    "service_edit:own": (OrgAction.MANAGE_SERVICES, "service", "service"),
    "service_edit:other": (OrgAction.MANAGE_SERVICES, "foreign_service", "foreign_service"),
    "unit_create:own": (OrgAction.MANAGE_UNITS, "own", "own"),
    "unit_create:other": (OrgAction.MANAGE_UNITS, "other", "other"),
    "unit_create:province": (OrgAction.MANAGE_UNITS, "province", "province"),
    "import:own": (OrgAction.MANAGE_UNITS, "own", "own"),
    "import:other": (OrgAction.MANAGE_UNITS, "other", "other"),
    "import_job:units": (OrgAction.MANAGE_UNITS, "own", None),
    "import_job:paper": (SurveyAction.ENTER_PAPER, "puskesmas", None),
    "holiday_list:own": (OrgAction.MANAGE_CALENDAR, "own", "forbidden"),
    "holiday_list:other": (OrgAction.MANAGE_CALENDAR, "other", "forbidden"),
    "holiday_create:own": (OrgAction.MANAGE_CALENDAR, "own", "forbidden"),
    "pemda_edit:own": (OrgAction.MANAGE_UNITS, "own", "own"),
    "pemda_edit:other": (OrgAction.MANAGE_UNITS, "other", "other"),
    "period_create:own": (SurveyAction.MANAGE_PERIODS, "own", "own"),
    "period_create:other": (SurveyAction.MANAGE_PERIODS, "other", "other"),
    "period_detail:own": (VIEW, "period", "period"),
    "period_detail:other": (VIEW, "foreign_period", "foreign_period"),
    "unit_result:own": (VIEW, "dinas", "dinas"),
    "extra_questions:own": (VIEW, "dinas", "dinas"),
    "link_list:own": (VIEW, "dinas", "dinas"),
    "link_list:other": (VIEW, "foreign", "foreign"),
    "link_qr:own": (VIEW, "dinas", "dinas"),
    "link_poster:own": (VIEW, "dinas", "dinas"),
    "link_poster_pdf:own": (VIEW, "dinas", "dinas"),
    "kiosk_list:own": (VIEW, "dinas", "dinas"),
    "kiosk_list:other": (VIEW, "foreign", "foreign"),
    "member_list:own": (AUDIT, "own", "own"),
    "member_list:other": (AUDIT, "other", "other"),
    "member_add:own": (OrgAction.MANAGE_MEMBERS, "own", "own"),
    "member_add:other": (OrgAction.MANAGE_MEMBERS, "other", "other"),
}


def _derived_status(world, role, spec):
    if role == "anon":
        return 302  # to the sign-in page
    if spec is ANY:
        return 200
    action, target_key, seen = spec
    user, target = world["users"][role], world[target_key]
    if can(user, action, target):
        return 200
    if seen == "forbidden":  # the page exists for everyone; its data only for the right
        return 403
    visible = seen is not None and can(user, CoreAction.VIEW, world[seen])
    return 403 if visible else 404


def test_every_page_row_has_its_action():
    assert set(GETS) == set(MATRIX)


@pytest.mark.parametrize("view", sorted(GETS))
def test_page_rows_follow_the_action_tables(world, view):
    derived = [_derived_status(world, role, GETS[view]) for role in ROLES]
    assert derived == MATRIX[view], view


# --- POST endpoints, derived from the action tables ----------------------------------------
# Each writing endpoint names the action it needs and the object it acts on; what every role
# must get is derived from the app's action table (mutu/<app>/actions.py through can()), not
# typed by hand: not visible → 404, visible without the right → 403, otherwise the view runs
# (it may still refuse the empty body, but never with 403/404 or a 500).
SEAT = ("period", "dinas")  # (the period's pk, the unit's pk) in the URL
POSTS = {
    "surveys:period_status": (SurveyAction.MANAGE_PERIODS, "period", ("period",)),
    "surveys:link_rotate": (SurveyAction.MANAGE_LINKS, "dinas", ("link",)),
    "surveys:kiosk_register": (SurveyAction.MANAGE_LINKS, "dinas", ("dinas",)),
    "surveys:response_quarantine": (SurveyAction.MODERATE_RESPONSES, "dinas", SEAT),
    "surveys:response_release": (SurveyAction.MODERATE_RESPONSES, "dinas", SEAT),
    "surveys:response_review_request": (SurveyAction.REQUEST_REVIEW, "dinas", SEAT),
    "surveys:unit_population": (SurveyAction.SET_UNIT_SAMPLING, "dinas", SEAT),
    "surveys:unit_service_populations": (SurveyAction.SET_UNIT_SAMPLING, "dinas", SEAT),
    "surveys:unit_skippable": (SurveyAction.SET_UNIT_SAMPLING, "dinas", SEAT),
    "surveys:extra_question_add": (SurveyAction.MANAGE_OWN_QUESTIONS, "dinas", SEAT),
    "surveys:extra_question_retire": (SurveyAction.MANAGE_OWN_QUESTIONS, "dinas", SEAT),
    "surveys:rtl_carry_over": (SurveyAction.MANAGE_FOLLOW_UP, "dinas", SEAT),
    "surveys:rtl_create": (SurveyAction.MANAGE_FOLLOW_UP, "dinas", SEAT),
    "surveys:fkp_create": (SurveyAction.MANAGE_FOLLOW_UP, "dinas", SEAT),
    "reports:skm_report": (CoreAction.REQUEST_REPORT, "dinas", SEAT),
    "reports:skm_tabulation": (CoreAction.REQUEST_REPORT, "dinas", SEAT),
    "reports:pemda_recap": (CoreAction.REQUEST_REPORT, "own", ("period",)),
}


def _expected(user, action, target, seen):
    if not can(user, CoreAction.VIEW, seen):
        return "not found"
    return "allowed" if can(user, action, target) else "forbidden"


def _answer(status):
    return {404: "not found", 403: "forbidden"}.get(status, "allowed")


@pytest.mark.parametrize("endpoint", sorted(POSTS))
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anon"])
def test_post_status_per_role_follows_the_action_tables(client, world, endpoint, role):
    action, target_key, arg_keys = POSTS[endpoint]
    user = world["users"][role]
    target = world[target_key]
    seen = world["period"] if target_key in ("period", "own") else target
    client.force_login(user)
    response = client.post(reverse(endpoint, args=[world[key].pk for key in arg_keys]), {})
    assert response.status_code < 500, (endpoint, role)
    assert _answer(response.status_code) == _expected(user, action, target, seen), (endpoint, role)

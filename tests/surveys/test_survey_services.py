"""SKM services (every write: validated, atomic, audited) and the staff pages per role."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.models import Region
from mutu.surveys import services
from mutu.surveys.models import Answer, PeriodUnit, Response, SurveyLink, SurveyPeriod
from tests.factories import (
    PemdaFactory,
    RegionFactory,
    ServiceFactory,
    UnitFactory,
    UserFactory,
    member,
)
from tests.surveys.factories import (
    PeriodUnitFactory,
    SurveyLinkFactory,
    SurveyPeriodFactory,
    add_responses,
    uniform_row,
)

ALL_THREE = dict.fromkeys(UNSUR_CODES, 3)


@pytest.fixture
def world(db):
    kaltim = RegionFactory(code="64", name="Kalimantan Timur", level=Region.Level.PROVINSI)
    own = PemdaFactory(
        region=RegionFactory(code="64.09", name="Kabupaten Penajam Paser Utara", parent=kaltim)
    )
    other = PemdaFactory(region=RegionFactory(code="64.01", name="Kabupaten Paser", parent=kaltim))
    dinas = UnitFactory(pemda=own, name="Dinas Kesehatan")
    puskesmas = UnitFactory(pemda=own, name="Puskesmas Waru", parent=dinas, kind="puskesmas")
    kantor = UnitFactory(pemda=own, name="Disdukcapil")
    foreign = UnitFactory(pemda=other, name="Disdukcapil Paser")
    period = SurveyPeriodFactory(pemda=own, name="Semester I")
    for unit in (dinas, puskesmas, kantor):
        PeriodUnitFactory(period=period, unit=unit)
    foreign_period = SurveyPeriodFactory(pemda=other, name="Semester I Paser")
    PeriodUnitFactory(period=foreign_period, unit=foreign)
    users = {
        "norole": UserFactory(),
        "national": member(Role.NATIONAL_VIEWER),
        "admin": member(Role.PEMDA_ADMIN, pemda=own),
        "other_admin": member(Role.PEMDA_ADMIN, pemda=other),
        "head": member(Role.UNIT_HEAD, unit=dinas),
        "operator": member(Role.UNIT_OPERATOR, unit=puskesmas),
        "other_operator": member(Role.UNIT_OPERATOR, unit=kantor),
        "inspector": member(Role.INSPECTOR, pemda=own),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    return {
        "users": users,
        "own": own,
        "other": other,
        "dinas": dinas,
        "puskesmas": puskesmas,
        "kantor": kantor,
        "foreign": foreign,
        "period": period,
        "foreign_period": foreign_period,
        "link": SurveyLinkFactory(unit=puskesmas, label="Loket 1"),
        "service": ServiceFactory(unit=puskesmas),
    }


def _events(verb):
    return list(DomainEvent.objects.filter(verb=verb).order_by("pk"))


def _target(period, unit, channel="web"):
    return services.SurveyTarget(period=period, unit=unit, channel=channel)


# --- period_create -----------------------------------------------------------------------------


def _period_fields(**over):
    start = timezone.localdate() + timedelta(days=31)  # after the world's period: no overlap
    fields = {"name": "Semester II", "starts_on": start, "ends_on": start + timedelta(days=90)}
    return fields | over


def test_period_create_stores_units_and_records_an_event(world):
    admin = world["users"]["admin"]
    period = services.period_create(
        pemda=world["own"],
        actor=admin,
        units=[world["dinas"], world["kantor"]],
        weighting="0.111",
        **_period_fields(),
    )
    assert period.status == SurveyPeriod.Status.DRAFT
    assert set(period.members.values_list("unit_id", flat=True)) == {
        world["dinas"].pk,
        world["kantor"].pk,
    }
    (event,) = _events("survey_period.created")
    assert (event.actor_id, event.pemda_id, event.object_id) == (
        admin.pk,
        world["own"].pk,
        str(period.pk),
    )
    assert event.data == {"units": 2, "weighting": "0.111"}


def test_period_create_refuses_a_unit_of_another_pemda(world):
    before = SurveyPeriod.objects.count()
    with pytest.raises(ValidationError, match="Semua unit harus berada di Pemda ini"):
        services.period_create(
            pemda=world["own"],
            actor=world["users"]["admin"],
            units=[world["dinas"], world["foreign"]],
            **_period_fields(),
        )
    assert SurveyPeriod.objects.count() == before
    assert _events("survey_period.created") == []


def test_period_create_refuses_end_before_start(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.period_create(
            pemda=world["own"],
            actor=world["users"]["admin"],
            units=[world["dinas"]],
            **_period_fields(starts_on=today, ends_on=today - timedelta(days=1)),
        )
    assert not SurveyPeriod.objects.filter(name="Semester II").exists()


@pytest.mark.parametrize("role", ["operator", "head", "inspector", "national", "other_admin"])
def test_period_create_denied_without_rights(world, role):
    with pytest.raises(PermissionDenied):
        services.period_create(
            pemda=world["own"],
            actor=world["users"][role],
            units=[world["dinas"]],
            **_period_fields(),
        )
    assert not SurveyPeriod.objects.filter(name="Semester II").exists()


# --- period_set_status, population_set -----------------------------------------------------------


def test_period_set_status_records_from_and_to(world):
    period = world["period"]
    services.period_set_status(period=period, status="closed", actor=world["users"]["admin"])
    period.refresh_from_db()
    assert period.status == "closed"
    (event,) = _events("survey_period.status")
    assert event.data == {"from": "open", "to": "closed"}
    assert event.object_id == str(period.pk)


def test_period_set_status_refuses_unknown_status_and_strangers(world):
    period = world["period"]
    with pytest.raises(ValidationError):
        services.period_set_status(period=period, status="archived", actor=world["users"]["admin"])
    with pytest.raises(PermissionDenied):
        services.period_set_status(period=period, status="closed", actor=world["users"]["head"])
    period.refresh_from_db()
    assert period.status == "open"
    assert _events("survey_period.status") == []


def test_population_set_records_the_change(world):
    seat = PeriodUnit.objects.get(period=world["period"], unit=world["dinas"])
    services.population_set(member=seat, population=1200, actor=world["users"]["head"])
    seat.refresh_from_db()
    assert seat.population == 1200
    (event,) = _events("survey_population.set")
    assert event.data == {"period": world["period"].pk, "from": None, "to": 1200}


def test_population_set_refuses_negative_and_keeps_the_old_value(world):
    seat = PeriodUnit.objects.get(period=world["period"], unit=world["dinas"])
    PeriodUnit.objects.filter(pk=seat.pk).update(population=500)
    seat.refresh_from_db()
    with pytest.raises(ValidationError, match="negatif"):
        services.population_set(member=seat, population=-1, actor=world["users"]["admin"])
    seat.refresh_from_db()
    assert seat.population == 500


@pytest.mark.parametrize("role", ["operator", "inspector", "other_admin"])
def test_population_set_denied_without_rights(world, role):
    seat = PeriodUnit.objects.get(period=world["period"], unit=world["puskesmas"])
    with pytest.raises(PermissionDenied):
        services.population_set(member=seat, population=10, actor=world["users"][role])
    seat.refresh_from_db()
    assert seat.population is None


# --- links -------------------------------------------------------------------------------------


def test_link_create_for_a_service_of_the_unit(world):
    link = services.link_create(
        unit=world["puskesmas"],
        actor=world["users"]["operator"],
        service=world["service"],
        label="Loket 2",
    )
    assert (link.unit_id, link.service_id, link.label, link.is_active) == (
        world["puskesmas"].pk,
        world["service"].pk,
        "Loket 2",
        True,
    )
    assert len(link.token) >= 16
    (event,) = _events("survey_link.created")
    assert event.object_id == str(link.pk)


def test_link_create_refuses_a_service_of_another_unit(world):
    before = SurveyLink.objects.count()
    with pytest.raises(ValidationError, match="Layanan harus milik unit ini"):
        services.link_create(
            unit=world["kantor"], actor=world["users"]["admin"], service=world["service"]
        )
    assert SurveyLink.objects.count() == before


@pytest.mark.parametrize("role", ["inspector", "other_operator", "national"])
def test_link_create_denied_without_rights(world, role):
    with pytest.raises(PermissionDenied):
        services.link_create(unit=world["puskesmas"], actor=world["users"][role])


def test_link_rotate_retires_the_old_token(world):
    old = world["link"]
    fresh = services.link_rotate(link=old, actor=world["users"]["operator"])
    old.refresh_from_db()
    assert old.is_active is False
    assert fresh.is_active is True
    assert fresh.token != old.token
    assert (fresh.unit_id, fresh.service_id, fresh.label) == (old.unit_id, None, "Loket 1")
    (event,) = _events("survey_link.rotated")
    assert (event.object_id, event.data) == (str(fresh.pk), {"retired": old.pk})


def test_link_rotate_denied_for_an_inspector(world):
    with pytest.raises(PermissionDenied):
        services.link_rotate(link=world["link"], actor=world["users"]["inspector"])
    world["link"].refresh_from_db()
    assert world["link"].is_active is True
    assert SurveyLink.objects.count() == 1


# --- response_submit, validate_answers ------------------------------------------------------------


@pytest.mark.parametrize("status", ["closed", "draft"])
def test_response_submit_refuses_a_period_that_is_not_open(world, status):
    period = world["period"]
    SurveyPeriod.objects.filter(pk=period.pk).update(status=status)
    period.refresh_from_db()
    with pytest.raises(ValidationError):
        services.response_submit(
            target=_target(period, world["dinas"]),
            answers=ALL_THREE,
            profile={},
            meta=services.SubmissionMeta(),
        )
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_response_submit_stores_nine_answers(world):
    answers = {**ALL_THREE, "biaya": "4"}  # strings as they come from a form are fine
    response = services.response_submit(
        target=_target(world["period"], world["dinas"], channel="paper"),
        answers=answers,
        profile={"gender": "L", "trust": 4},
        meta=services.SubmissionMeta(ip="10.0.0.9", user_agent="Kiosk"),
    )
    assert (response.channel, response.gender, response.trust, response.flag) == (
        "paper",
        "L",
        4,
        "",
    )
    assert len(response.device_hash) == 16
    assert dict(response.answers.values_list("unsur", "value")) == {**ALL_THREE, "biaya": 4}


def test_response_submit_duplicate_is_flagged_before_rate_and_honeypot_wins(world):
    target = _target(world["period"], world["dinas"])
    meta = services.SubmissionMeta(ip="10.0.0.9", user_agent="HP")
    first = services.response_submit(target=target, answers=ALL_THREE, profile={}, meta=meta)
    over = services.SubmissionMeta(ip="10.0.0.9", user_agent="HP", over_rate_limit=True)
    second = services.response_submit(target=target, answers=ALL_THREE, profile={}, meta=over)
    bot = services.SubmissionMeta(ip="10.0.0.9", user_agent="HP", honeypot="x")
    third = services.response_submit(target=target, answers=ALL_THREE, profile={}, meta=bot)
    assert [(r.flag, r.quarantined) for r in (first, second, third)] == [
        ("", False),
        ("duplicate", False),
        ("honeypot", True),
    ]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"waktu": 0}, "waktu"),
        ({"waktu": 5}, "waktu"),
        ({"sarana": "3.5"}, "sarana"),
        ({"sarana": 3.5}, "sarana"),
        ({"sarana": "3.0"}, "sarana"),
        ({"biaya": "x"}, "biaya"),
        ({"biaya": None}, "biaya"),
        ({"biaya": True}, "biaya"),
    ],
)
def test_validate_answers_names_the_wrong_unsur(change, code):
    with pytest.raises(ValidationError) as error:
        services.validate_answers({**ALL_THREE, **change})
    assert list(error.value.message_dict) == [code]


def test_validate_answers_requires_every_unsur():
    answers = dict(ALL_THREE)
    del answers["pengaduan"]
    with pytest.raises(ValidationError) as error:
        services.validate_answers(answers)
    assert error.value.message_dict == {"pengaduan": ["Pilih salah satu jawaban."]}


def test_validate_answers_refuses_unknown_unsur():
    with pytest.raises(ValidationError, match="Unsur tidak dikenal: keamanan"):
        services.validate_answers({**ALL_THREE, "keamanan": 4})


def test_validate_answers_accepts_integers_and_integer_strings():
    assert services.validate_answers({**ALL_THREE, "waktu": "1", "biaya": 4}) == {
        **ALL_THREE,
        "waktu": 1,
        "biaya": 4,
    }


def test_response_submit_with_bad_answers_stores_nothing(world):
    with pytest.raises(ValidationError):
        services.response_submit(
            target=_target(world["period"], world["dinas"]),
            answers={**ALL_THREE, "waktu": 7},
            profile={},
            meta=services.SubmissionMeta(),
        )
    assert Response.objects.count() == 0


# --- quarantine ----------------------------------------------------------------------------------


@pytest.fixture
def response(world):
    (response,) = add_responses(world["period"], world["dinas"], [uniform_row(2)])
    return response


@pytest.mark.parametrize("reason", ["", "   "])
def test_response_quarantine_requires_a_reason(world, response, reason):
    with pytest.raises(ValidationError, match="Alasan karantina wajib diisi"):
        services.response_quarantine(
            response=response, actor=world["users"]["admin"], reason=reason
        )
    response.refresh_from_db()
    assert response.quarantined is False
    assert _events("survey_response.quarantined") == []


def test_response_quarantine_and_release_are_recorded(world, response):
    admin = world["users"]["admin"]
    services.response_quarantine(response=response, actor=admin, reason="  Satu perangkat ")
    response.refresh_from_db()
    assert (response.quarantined, response.quarantine_reason) == (True, "Satu perangkat")
    services.response_release(response=response, actor=admin)
    response.refresh_from_db()
    assert response.quarantined is False
    assert [
        e.verb
        for e in DomainEvent.objects.filter(verb__startswith="survey_response").order_by("pk")
    ] == [
        "survey_response.quarantined",
        "survey_response.released",
    ]


@pytest.mark.parametrize("role", ["operator", "head", "inspector", "other_admin"])
def test_response_quarantine_denied_without_rights(world, response, role):
    with pytest.raises(PermissionDenied):
        services.response_quarantine(response=response, actor=world["users"][role], reason="x")
    response.refresh_from_db()
    assert response.quarantined is False


# --- staff pages × roles -------------------------------------------------------------------------

ROLES = [
    "anon",
    "norole",
    "national",
    "admin",
    "other_admin",
    "head",
    "operator",
    "other_operator",
    "inspector",
    "superuser",
]


def _url(world, name):
    w = world
    period, link = w["period"], w["link"]
    return {
        "period_list": reverse("surveys:period_list"),
        "period_create": reverse("surveys:period_create", args=[w["own"].pk]),
        "period_detail": reverse("surveys:period_detail", args=[period.pk]),
        "period_detail:other": reverse("surveys:period_detail", args=[w["foreign_period"].pk]),
        "unit_result": reverse("surveys:unit_result", args=[period.pk, w["puskesmas"].pk]),
        "unit_result:dinas": reverse("surveys:unit_result", args=[period.pk, w["dinas"].pk]),
        "unit_population": reverse("surveys:unit_population", args=[period.pk, w["puskesmas"].pk]),
        "link_list": reverse("surveys:link_list", args=[w["puskesmas"].pk]),
        "link_qr": reverse("surveys:link_qr", args=[link.pk]),
        "link_poster": reverse("surveys:link_poster", args=[link.pk]),
        "link_rotate": reverse("surveys:link_rotate", args=[link.pk]),
    }[name]


# fmt: off
#                          anon norole nat adm  oadm head oper ooper insp super
MATRIX = {
    "period_list":          [302, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "period_create":        [302, 404, 403, 200, 404, 403, 403, 403, 403, 200],
    "period_detail":        [302, 404, 200, 200, 404, 200, 200, 200, 200, 200],
    "period_detail:other":  [302, 404, 200, 404, 200, 404, 404, 404, 404, 200],
    "unit_result":          [302, 404, 200, 200, 404, 200, 200, 404, 200, 200],
    "unit_result:dinas":    [302, 404, 200, 200, 404, 200, 404, 404, 200, 200],
    "link_list":            [302, 404, 200, 200, 404, 200, 200, 404, 200, 200],
    "link_qr":              [302, 404, 200, 200, 404, 200, 200, 404, 200, 200],
    "link_poster":          [302, 404, 200, 200, 404, 200, 200, 404, 200, 200],
    "link_rotate":          [302, 405, 405, 405, 405, 405, 405, 405, 405, 405],  # POST only
}
# fmt: on


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages_status_per_role(client, world, role):
    if role != "anon":
        client.force_login(world["users"][role])
    got = {view: client.get(_url(world, view)).status_code for view in MATRIX}
    expected = {view: codes[ROLES.index(role)] for view, codes in MATRIX.items()}
    assert got == expected


@pytest.mark.parametrize("role", ["admin", "operator", "inspector", "national"])
def test_link_qr_is_an_svg_of_the_public_address(client, world, role):
    client.force_login(world["users"][role])
    response = client.get(_url(world, "link_qr"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")


def test_poster_shows_unit_and_public_address(client, world):
    client.force_login(world["users"]["operator"])
    html = client.get(_url(world, "link_poster") + "?ukuran=a5").content.decode()
    assert "Puskesmas Waru" in html
    assert '<body class="poster-a5">' in html
    token_url = reverse("surveys:form", args=[world["link"].token])
    assert f"http://testserver{token_url}?qr=1" in html


def test_period_detail_lists_only_the_units_a_person_may_see(client, world):
    client.force_login(world["users"]["operator"])
    html = client.get(_url(world, "period_detail")).content.decode()
    assert "Puskesmas Waru" in html
    assert "Disdukcapil" not in html
    assert "Dinas Kesehatan" not in html


def test_period_list_shows_new_period_button_only_to_admins(client, world):
    create = _url(world, "period_create")
    client.force_login(world["users"]["admin"])
    assert create in client.get(_url(world, "period_list")).content.decode()
    client.force_login(world["users"]["inspector"])
    html = client.get(_url(world, "period_list")).content.decode()
    assert create not in html
    assert "Semester I" in html
    assert "Semester I Paser" not in html


def test_admin_creates_a_period_through_the_page(client, world):
    client.force_login(world["users"]["admin"])
    start = timezone.localdate() + timedelta(days=31)
    response = client.post(
        _url(world, "period_create"),
        {
            "name": "Semester II",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=90)).isoformat(),
            "weighting": "exact",
            "ask_trust": "on",
            "drop_alert_margin": "2",
            "units": [world["dinas"].pk, world["kantor"].pk],
        },
    )
    period = SurveyPeriod.objects.get(name="Semester II")
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:period_detail", args=[period.pk])
    assert period.pemda_id == world["own"].pk
    assert period.members.count() == 2


@pytest.mark.parametrize(("role", "status"), [("inspector", 403), ("head", 302)])
def test_population_post_needs_edit_rights(client, world, role, status):
    client.force_login(world["users"][role])
    response = client.post(_url(world, "unit_population"), {"population": "1000"})
    assert response.status_code == status
    seat = PeriodUnit.objects.get(period=world["period"], unit=world["puskesmas"])
    assert seat.population == (1000 if status == 302 else None)


@pytest.mark.parametrize(("role", "status"), [("operator", 302), ("admin", 302)])
def test_link_rotate_by_those_who_manage_the_unit(client, world, role, status):
    client.force_login(world["users"][role])
    response = client.post(_url(world, "link_rotate"), {"confirm": "yes"})
    assert response.status_code == status
    assert response["Location"] == reverse("surveys:link_list", args=[world["puskesmas"].pk])
    world["link"].refresh_from_db()
    assert world["link"].is_active is False
    assert SurveyLink.objects.filter(unit=world["puskesmas"], is_active=True).count() == 1


@pytest.mark.parametrize(
    ("role", "status"), [("inspector", 403), ("national", 403), ("other_operator", 404)]
)
def test_link_rotate_refused_changes_nothing(client, world, role, status):
    client.force_login(world["users"][role])
    assert client.post(_url(world, "link_rotate")).status_code == status
    world["link"].refresh_from_db()
    assert world["link"].is_active is True
    assert SurveyLink.objects.count() == 1


def test_link_list_post_creates_for_operator_and_refuses_inspector(client, world):
    url = _url(world, "link_list")
    client.force_login(world["users"]["inspector"])
    assert client.post(url, {"label": "Loket 9"}).status_code == 403
    assert not SurveyLink.objects.filter(label="Loket 9").exists()
    client.force_login(world["users"]["operator"])
    assert client.post(url, {"label": "Loket 9"}).status_code == 302
    assert SurveyLink.objects.get(label="Loket 9").unit_id == world["puskesmas"].pk


def test_period_status_post_by_admin_only(client, world):
    url = reverse("surveys:period_status", args=[world["period"].pk])
    client.force_login(world["users"]["inspector"])
    assert client.post(url, {"status": "closed", "confirm": "yes"}).status_code == 403
    world["period"].refresh_from_db()
    assert world["period"].status == "open"
    client.force_login(world["users"]["admin"])
    assert client.post(url, {"status": "closed", "confirm": "yes"}).status_code == 302
    world["period"].refresh_from_db()
    assert world["period"].status == "closed"


def test_unit_result_page_for_the_unit_head(client, world):
    add_responses(world["period"], world["puskesmas"], [uniform_row(4)] * 5)
    client.force_login(world["users"]["head"])
    html = client.get(_url(world, "unit_result")).content.decode()
    assert "Puskesmas Waru" in html
    assert '<p class="display-6 fw-bold mb-0">100,00</p>' in html
    assert 'name="population"' in html  # the head may set the population
    client.force_login(world["users"]["inspector"])
    html = client.get(_url(world, "unit_result")).content.decode()
    assert "100,00" in html
    assert 'name="population"' not in html  # the inspector only reads

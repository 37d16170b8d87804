"""The kiosk endpoint: JSON in, JSON errors out, one stored response per client id."""

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys import selectors, services
from mutu.surveys.models import KioskDevice, PeriodUnit, Response, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk():
    unit = UnitFactory(pemda=PemdaFactory(), name="Mal Pelayanan Publik")
    today = timezone.localdate()
    period = SurveyPeriod.objects.create(
        pemda=unit.pemda,
        name="Semester II",
        status="open",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=10),
    )
    PeriodUnit.objects.create(period=period, unit=unit)
    return KioskDevice.objects.create(unit=unit, name="Tablet loket 1")


def _payload(**overrides):
    payload = {
        "client_id": str(uuid.uuid4()),
        "answers": dict.fromkeys(UNSUR_CODES, 4),
        "profile": {"gender": "P"},
        "consent": True,
    }
    payload.update(overrides)
    return payload


def _post(client, kiosk, payload):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post(
        reverse("surveys:kiosk_submit", args=[kiosk.token]), body, content_type="application/json"
    )


def test_a_queued_answer_is_stored_once_however_often_it_is_resent(client, kiosk):
    payload = _payload()
    first = _post(client, kiosk, payload)
    assert first.status_code == 201 and first.json()["status"] == "stored"
    again = _post(client, kiosk, payload)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    stored = Response.objects.get()
    assert stored.channel == "kiosk" and stored.kiosk == kiosk and stored.gender == "P"
    assert str(stored.client_id) == payload["client_id"]


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        (_payload(answers={**dict.fromkeys(UNSUR_CODES, 4), "waktu": 5}), 400),
        (_payload(answers={**dict.fromkeys(UNSUR_CODES, 4), "rahasia": 4}), 400),
        (_payload(answers={"persyaratan": 4}), 400),
        (_payload(consent=False), 400),
        (_payload(client_id="bukan-uuid"), 400),
        (b"{not json", 400),
        (json.dumps(_payload(profile={"suggestion": "x" * 9000})), 413),
    ],
)
def test_bad_input_answers_json_errors_and_stores_nothing(client, kiosk, payload, status):
    response = _post(client, kiosk, payload)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]
    assert Response.objects.count() == 0


def test_revoked_kiosk_is_refused(client, kiosk):
    admin = member(Role.PEMDA_ADMIN, pemda=kiosk.unit.pemda)
    services.kiosk_revoke(kiosk=kiosk, actor=admin)
    assert _post(client, kiosk, _payload()).status_code == 403
    assert client.get(reverse("surveys:kiosk", args=[kiosk.token])).status_code == 403
    assert Response.objects.count() == 0
    assert DomainEvent.objects.filter(verb="kiosk.revoked", actor=admin).exists()


def test_closed_period_answers_409(client, kiosk):
    SurveyPeriod.objects.update(status="closed")
    assert _post(client, kiosk, _payload()).status_code == 409
    assert Response.objects.count() == 0


def test_without_javascript_the_kiosk_page_is_an_ordinary_form(client, kiosk):
    url = reverse("surveys:kiosk", args=[kiosk.token])
    page = client.get(url).content.decode()
    assert "kiosk.js" in page and 'id="kiosk-form"' in page
    data = {f"u_{code}": "3" for code in UNSUR_CODES} | {"consent": "on"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("?terima=1")
    assert Response.objects.get().channel == "kiosk"


def test_unit_staff_register_and_revoke_kiosks(client, kiosk):
    operator = member(Role.UNIT_OPERATOR, unit=kiosk.unit)
    client.force_login(operator)
    url = reverse("surveys:kiosk_register", args=[kiosk.unit.pk])
    client.post(url, {"name": "Tablet loket 2"})
    assert KioskDevice.objects.filter(name="Tablet loket 2", is_active=True).exists()
    client.post(reverse("surveys:kiosk_revoke", args=[kiosk.pk]))
    kiosk.refresh_from_db()
    assert not kiosk.is_active
    inspector = member(Role.INSPECTOR, pemda=kiosk.unit.pemda)
    client.force_login(inspector)
    assert client.post(url, {"name": "Tablet liar"}).status_code == 403
    assert not KioskDevice.objects.filter(name="Tablet liar").exists()


def test_kiosk_accepts_not_applicable_for_a_skippable_unsur(client, kiosk):
    PeriodUnit.objects.update(skippable=["biaya"])
    answers = {**dict.fromkeys(UNSUR_CODES, 3), "biaya": None}
    assert _post(client, kiosk, _payload(answers=answers)).status_code == 201
    assert Response.objects.get().answers.count() == 8
    refused = _post(client, kiosk, _payload(answers={**answers, "waktu": None}))
    assert refused.status_code == 400 and Response.objects.count() == 1


def _end_period_yesterday(kiosk):
    period = SurveyPeriod.objects.get(pemda=kiosk.unit.pemda)
    # The Pemda's own calendar day, as the server judges it (not the test machine's).
    period.ends_on = services.today_in(kiosk.unit.pemda.timezone) - timedelta(days=1)
    period.save()
    return period


@pytest.mark.parametrize(
    ("answered", "status"),
    [
        (lambda now: now - timedelta(days=1), 201),  # queued on the last day: still counts
        (lambda now: now, 409),  # the period has ended
        (lambda now: now - timedelta(days=30), 409),  # too old to believe: taken as today
        (lambda now: (now - timedelta(days=1)).replace(tzinfo=None), 409),  # no time zone
    ],
)
def test_an_answer_queued_before_the_period_ended_still_counts(client, kiosk, answered, status):
    period = _end_period_yesterday(kiosk)
    when = answered(timezone.now()).isoformat()
    reply = _post(client, kiosk, _payload(answered_at=when))
    assert reply.status_code == status
    assert Response.objects.filter(period=period).count() == (1 if status == 201 else 0)


def test_a_closed_period_takes_no_late_answers(client, kiosk):
    period = _end_period_yesterday(kiosk)
    period.status = SurveyPeriod.Status.CLOSED
    period.save()
    yesterday = (timezone.now() - timedelta(days=1)).isoformat()
    assert _post(client, kiosk, _payload(answered_at=yesterday)).status_code == 409
    assert Response.objects.count() == 0


def test_a_resend_after_the_period_ended_is_still_a_duplicate(client, kiosk):
    payload = _payload()
    assert _post(client, kiosk, payload).status_code == 201
    _end_period_yesterday(kiosk)
    again = _post(client, kiosk, payload)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert Response.objects.count() == 1


def _close_through_the_service(kiosk):
    period = SurveyPeriod.objects.get(pemda=kiosk.unit.pemda)
    admin = member(Role.PEMDA_ADMIN, pemda=kiosk.unit.pemda)
    return services.period_set_status(period=period, status="closed", actor=admin)


def test_an_answer_queued_before_the_period_was_closed_is_kept_in_quarantine(client, kiosk):
    before = (timezone.now() - timedelta(minutes=30)).isoformat()
    period = _close_through_the_service(kiosk)
    assert period.closed_at is not None
    reply = _post(client, kiosk, _payload(answered_at=before))
    assert reply.status_code == 201
    stored = Response.objects.get()
    assert (stored.period, stored.flag, stored.quarantined) == (period, "late", True)
    assert "setelah ditutup" in stored.quarantine_reason
    # Quarantined: the official IKM of the closed period does not move.
    result = selectors.unit_result(period, PeriodUnit.objects.get(period=period))
    assert (result.respondents, result.quarantined, result.ikm) == (0, 1, None)
    assert result.ikm_with_quarantined is not None


def test_an_answer_given_after_the_period_was_closed_is_refused(client, kiosk):
    _close_through_the_service(kiosk)
    after = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert _post(client, kiosk, _payload(answered_at=after)).status_code == 409
    assert _post(client, kiosk, _payload()).status_code == 409  # no time: taken as now
    assert Response.objects.count() == 0


def test_reopening_a_period_forgets_when_it_was_closed(kiosk):
    period = _close_through_the_service(kiosk)
    closed_at = period.closed_at
    admin = member(Role.PEMDA_ADMIN, pemda=kiosk.unit.pemda)
    services.period_set_status(period=period, status="closed", actor=admin)
    assert period.closed_at == closed_at  # closing again does not move the moment
    services.period_set_status(period=period, status="open", actor=admin)
    period.refresh_from_db()
    assert period.closed_at is None


def _service_worker(client):
    response = client.get(reverse("surveys:kiosk_service_worker"))
    config = json.loads(response.content.decode().split("const CONFIG = ", 1)[1].split(";\n")[0])
    return response, config


def test_the_kiosk_page_registers_a_service_worker_whose_scope_is_the_kiosk_path(client, kiosk):
    """Item 10: a worker controls only the pages under its own folder. Served from /kios/, it
    covers every kiosk page and no staff page; its script holds no device token."""
    page = client.get(reverse("surveys:kiosk", args=[kiosk.token]))
    script = reverse("surveys:kiosk_service_worker")
    assert f'data-service-worker="{script}"' in page.content.decode()
    # CSP-compliant: the page still has no inline script.
    assert "<script>" not in page.content.decode()

    response, config = _service_worker(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert "Content-Security-Policy" in response
    scope = script.rsplit("/", 1)[0] + "/"
    assert config["scope"] == scope == "/kios/"
    assert reverse("surveys:kiosk", args=[kiosk.token]).startswith(scope)
    unit = kiosk.unit
    for staff_page in (reverse("surveys:kiosk_list", args=[unit.pk]), reverse("login")):
        assert not staff_page.startswith(scope), staff_page
    assert kiosk.token not in response.content.decode()
    assert "/static/js/kiosk.js" in config["assets"]
    assert "/static/css/survey.css" in config["assets"]


def test_the_worker_cache_has_a_new_name_when_the_assets_change(client, settings, tmp_path):
    """A deploy that changes an asset (its hashed address, or its bytes) gives a new cache,
    which replaces the old one on the tablets."""
    from mutu.surveys.views.kiosks import _kiosk_assets_version

    _, config = _service_worker(client)
    assert config["version"] == _kiosk_assets_version(config["assets"])
    renamed = [name.replace("kiosk.js", "kiosk.0123abcd.js") for name in config["assets"]]
    assert _kiosk_assets_version(renamed) != config["version"]

    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "kiosk.js").write_text("// a new kiosk.js")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    from django.contrib.staticfiles import finders

    finders.get_finder.cache_clear()
    try:
        assert _kiosk_assets_version(config["assets"]) != config["version"]
    finally:
        finders.get_finder.cache_clear()

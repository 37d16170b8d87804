"""Sign-in by email, lockout, rate limits, password reset through the task queue, optional TOTP."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.tasks.signals import task_enqueued
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutu.core.auth import axes_client_ip
from mutu.core.models import DomainEvent, User
from tests.core.conftest import PASSWORD
from tests.factories import UserFactory

LOGIN = reverse("login")
WRONG_LOGIN = "Email atau kata sandi salah."
OTP_REQUIRED = "Masukkan kode dari aplikasi autentikator Anda."
OTP_INVALID = "Kode autentikator salah atau kedaluwarsa."
LOCKED = "Akun dikunci sementara"


def _login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def _session_user_id(client):
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


@pytest.fixture
def admin(db):
    return UserFactory(email="admin@x.go.id", full_name="Admin Pemda")


# --- sign-in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["admin@x.go.id", "ADMIN@x.go.id", "Admin@X.Go.Id"])
def test_login_by_email_in_any_case(client, admin, typed):
    response = _login(client, typed)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert _session_user_id(client) == admin.pk


def test_wrong_password_gives_indonesian_message_and_no_session(client, admin):
    response = _login(client, "admin@x.go.id", "bukan-sandinya")

    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert _session_user_id(client) is None


def test_unknown_email_gives_the_same_message(client, admin):
    response = _login(client, "tidak-ada@x.go.id")

    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()


def test_inactive_user_cannot_sign_in(client, db):
    UserFactory(email="nonaktif@x.go.id", is_active=False)

    response = _login(client, "nonaktif@x.go.id")

    assert response.status_code == 200
    assert _session_user_id(client) is None


NEW_PASSWORD = "Sangat-Rahasia-2026"


def _admin_add_user(client, email):
    return client.post(
        reverse("admin:core_user_add"),
        {
            "email": email,
            "full_name": "Pengguna Baru",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )


def test_admin_stores_a_new_users_email_in_lower_case(client, db):
    client.force_login(UserFactory(email="root@x.go.id", is_superuser=True, is_staff=True))

    response = _admin_add_user(client, "Kepala.Dinas@X.go.id")

    assert response.status_code == 302
    assert User.objects.filter(email__iexact="kepala.dinas@x.go.id").get().email == (
        "kepala.dinas@x.go.id"
    )


def test_admin_cannot_create_a_second_account_differing_only_in_case(client, admin):
    client.force_login(UserFactory(email="root@x.go.id", is_superuser=True, is_staff=True))

    response = _admin_add_user(client, "ADMIN@x.go.id")

    assert response.status_code == 200  # the form comes back with an error
    assert User.objects.filter(email__iexact="admin@x.go.id").count() == 1
    # …so the owner of the address can still sign in.
    client.logout()
    assert _login(client, "admin@x.go.id").status_code == 302


def test_logout_needs_post(client, admin):
    client.force_login(admin)

    assert client.get(reverse("logout")).status_code == 405
    assert _session_user_id(client) == admin.pk

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert _session_user_id(client) is None


# --- lockout (django-axes) --------------------------------------------------------------------


def test_one_failure_below_the_limit_still_lets_the_right_password_in(client, admin):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "admin@x.go.id", "salah").status_code == 200

    response = _login(client, "admin@x.go.id")

    assert response.status_code == 302
    assert _session_user_id(client) == admin.pk


def test_a_successful_login_resets_the_failure_count(client, admin):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "admin@x.go.id", "salah")
    assert _login(client, "admin@x.go.id").status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "admin@x.go.id", "salah")

    response = _login(client, "admin@x.go.id")

    assert response.status_code == 302
    assert _session_user_id(client) == admin.pk


def test_lockout_after_failure_limit_refuses_even_the_right_password(client, admin):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "admin@x.go.id", "salah")

    response = _login(client, "admin@x.go.id")

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert _session_user_id(client) is None


def test_lockout_is_not_bypassed_by_changing_the_case_of_the_email(client, admin):
    # The account is one account whatever the case typed; a lockout must follow it.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "admin@x.go.id", "salah")

    response = _login(client, "ADMIN@X.GO.ID")

    assert _session_user_id(client) is None
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_lockout_of_one_account_leaves_others_alone(client, admin):
    other = UserFactory(email="operator@x.go.id")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "admin@x.go.id", "salah")

    response = _login(client, "operator@x.go.id")

    assert response.status_code == 302
    assert _session_user_id(client) == other.pk


@override_settings(CLIENT_IP_META="HTTP_X_REAL_IP")
def test_lockout_behind_the_proxy_counts_the_client_address_from_its_header(client, admin):
    # Behind nginx every request comes from the proxy's REMOTE_ADDR; the client address is in
    # X-Real-IP. An attacker at one address must not lock the account for everyone.
    attacker, owner = "203.0.113.7", "198.51.100.20"

    def login_from(address, password):
        data = {"username": "admin@x.go.id", "password": password}
        return client.post(LOGIN, data, REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=address)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_from(attacker, "salah")

    assert login_from(attacker, PASSWORD).status_code == 429
    response = login_from(owner, PASSWORD)

    assert response.status_code == 302
    assert _session_user_id(client) == admin.pk
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) <= {attacker}


@pytest.mark.parametrize(
    ("header", "expected"),
    [("203.0.113.7", "203.0.113.7"), ("2001:db8::1", "2001:db8::1"), ("bukan-alamat", None)],
)
@override_settings(CLIENT_IP_META="HTTP_X_REAL_IP")
def test_axes_reads_a_valid_client_address_or_none(rf, header, expected):
    # Axes stores the address in an inet column: junk there would be a 500 on PostgreSQL.
    request = rf.post(LOGIN, HTTP_X_REAL_IP=header)
    assert axes_client_ip(request) == expected


# --- session lifetime (issue 11, item 16) -----------------------------------------------------


def test_a_staff_session_lasts_while_used_and_ends_after_a_working_day_idle(client, admin):
    dashboard = reverse("core:dashboard")
    with time_machine.travel(datetime(2026, 12, 7, 0, 30, tzinfo=UTC), tick=False) as clock:
        assert _login(client, "admin@x.go.id").status_code == 302
        # A long day of work, a request every few hours: never signed out.
        for _ in range(4):
            clock.shift(3 * 3600)
            assert client.get(dashboard).status_code == 200
        # Left open overnight: signed out.
        clock.shift(settings.SESSION_COOKIE_AGE + 60)
        response = client.get(dashboard)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert 8 * 3600 <= settings.SESSION_COOKIE_AGE <= 9 * 3600


# --- rate limit per IP ------------------------------------------------------------------------


@override_settings(RATELIMITS={**settings.RATELIMITS, "login": (3, 300)})
def test_login_posts_are_rate_limited_per_ip(client, admin):
    for i in range(3):
        # different accounts, so that no lockout interferes
        assert _login(client, f"orang{i}@x.go.id", "salah").status_code == 200

    response = _login(client, "admin@x.go.id")

    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert _session_user_id(client) is None
    # Reading the page is not limited, and another address still may sign in.
    assert client.get(LOGIN).status_code == 200
    other_ip = client.post(
        LOGIN, {"username": "admin@x.go.id", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert other_ip.status_code == 302


# --- password reset ---------------------------------------------------------------------------


@pytest.fixture
def enqueued():
    """Paths of every task enqueued during the test."""
    paths: list[str] = []

    def receiver(sender, task_result, **kwargs):
        paths.append(task_result.task.module_path)

    task_enqueued.connect(receiver)
    yield paths
    task_enqueued.disconnect(receiver)


def test_password_reset_sends_one_email_through_the_task_with_a_working_link(
    client, admin, enqueued
):
    response = client.post(reverse("password_reset"), {"email": "ADMIN@x.go.id"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert enqueued == ["mutu.core.tasks.send_email"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["admin@x.go.id"]
    match = re.search(r"http://testserver(/akun/sandi/atur/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body

    # The link works: it leads to the form that sets a new password.
    link = client.get(match.group(1))
    assert link.status_code == 302
    form_url = link["Location"]
    done = client.post(
        form_url, {"new_password1": "Kata-Sandi-Baru-2026", "new_password2": "Kata-Sandi-Baru-2026"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    admin.refresh_from_db()
    assert admin.check_password("Kata-Sandi-Baru-2026")


def test_password_reset_for_unknown_email_sends_nothing_but_answers_the_same(
    client, admin, enqueued
):
    known = client.post(reverse("password_reset"), {"email": "admin@x.go.id"})
    mail.outbox.clear()
    enqueued.clear()

    unknown = client.post(reverse("password_reset"), {"email": "siapa@x.go.id"})

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert mail.outbox == []
    assert enqueued == []


@override_settings(RATELIMITS={**settings.RATELIMITS, "password_reset": (2, 3600)})
def test_password_reset_is_rate_limited(client, admin):
    for _ in range(2):
        assert client.post(reverse("password_reset"), {"email": "admin@x.go.id"}).status_code == 302

    response = client.post(reverse("password_reset"), {"email": "admin@x.go.id"})

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert len(mail.outbox) == 2


# --- optional TOTP ----------------------------------------------------------------------------

START = datetime(2026, 3, 10, 1, 0, 0, tzinfo=UTC)


def _token(device: TOTPDevice, offset_steps: int = 0) -> str:
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset_steps)
    return f"{code:0{device.digits}d}"


def _wrong_token(device: TOTPDevice) -> str:
    valid = {_token(device, d) for d in range(-device.tolerance - 1, device.tolerance + 2)}
    return next(f"{n:06d}" for n in range(123456, 999999) if f"{n:06d}" not in valid)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def with_2fa(client, admin, clock):
    """Admin turns TOTP on through the page, then signs out; returns the confirmed device."""
    client.force_login(admin)
    page = client.get(reverse("core:account_security"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed is False
    response = client.post(
        reverse("core:account_security"), {"action": "enable", "token": _token(device)}
    )
    assert response.status_code == 302
    client.post(reverse("logout"))
    clock.shift(60)  # a fresh time step: a used code cannot be replayed
    device.refresh_from_db()
    return device


def test_security_page_creates_one_unconfirmed_device_with_a_qr_code(client, admin):
    client.force_login(admin)

    first = client.get(reverse("core:account_security"))
    client.get(reverse("core:account_security"))

    assert first.status_code == 200
    assert re.search(r'src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', first.content.decode())
    devices = TOTPDevice.objects.filter(user=admin)
    assert devices.count() == 1
    assert devices.get().confirmed is False


def test_enabling_2fa_with_the_right_code_confirms_and_records_an_event(client, admin, clock):
    client.force_login(admin)
    client.get(reverse("core:account_security"))
    device = TOTPDevice.objects.get(user=admin)

    response = client.post(
        reverse("core:account_security"), {"action": "enable", "token": _token(device)}
    )

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    event = DomainEvent.objects.get(verb="account.2fa_enabled")
    assert event.actor == admin
    assert event.object_id == str(admin.pk)


def test_enabling_2fa_with_a_wrong_code_changes_nothing(client, admin, clock):
    client.force_login(admin)
    client.get(reverse("core:account_security"))
    device = TOTPDevice.objects.get(user=admin)

    response = client.post(
        reverse("core:account_security"), {"action": "enable", "token": _wrong_token(device)}
    )

    assert response.status_code == 200
    assert OTP_INVALID in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert not DomainEvent.objects.filter(verb="account.2fa_enabled").exists()


def test_login_with_2fa_needs_the_code(client, admin, with_2fa):
    response = _login(client, "admin@x.go.id")

    assert response.status_code == 200
    assert OTP_REQUIRED in response.content.decode()
    assert _session_user_id(client) is None


def test_login_with_2fa_refuses_a_wrong_code(client, admin, with_2fa):
    response = _login(client, "admin@x.go.id", otp_token=_wrong_token(with_2fa))

    assert response.status_code == 200
    assert OTP_INVALID in response.content.decode()
    assert _session_user_id(client) is None


def test_login_with_2fa_and_the_right_code_signs_in_verified(client, admin, with_2fa, clock):
    _login(client, "admin@x.go.id", otp_token=_wrong_token(with_2fa))
    clock.shift(60)  # past django-otp's throttle delay and into a fresh time step
    with_2fa.refresh_from_db()

    response = _login(client, "admin@x.go.id", otp_token=_token(with_2fa))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert _session_user_id(client) == admin.pk
    assert client.session.get("otp_device_id") == with_2fa.persistent_id


def test_a_used_code_cannot_be_replayed(client, admin, with_2fa):
    code = _token(with_2fa)
    assert _login(client, "admin@x.go.id", otp_token=code).status_code == 302
    client.post(reverse("logout"))

    response = _login(client, "admin@x.go.id", otp_token=code)

    assert response.status_code == 200
    assert OTP_INVALID in response.content.decode()


def test_disabling_2fa_needs_a_valid_code_and_records_an_event(client, admin, with_2fa, clock):
    client.force_login(admin)

    refused = client.post(
        reverse("core:account_security"), {"action": "disable", "token": _wrong_token(with_2fa)}
    )
    assert refused.status_code == 200
    assert OTP_INVALID in refused.content.decode()
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    assert not DomainEvent.objects.filter(verb="account.2fa_disabled").exists()

    clock.shift(60)
    with_2fa.refresh_from_db()
    response = client.post(
        reverse("core:account_security"), {"action": "disable", "token": _token(with_2fa)}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    event = DomainEvent.objects.get(verb="account.2fa_disabled")
    assert event.actor == admin
    # Without 2FA the password alone is enough again.
    client.post(reverse("logout"))
    assert _login(client, "admin@x.go.id").status_code == 302
    assert _session_user_id(client) == admin.pk

"""Security headers, no inline script or style anywhere (strict CSP), CSRF, production settings."""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.core.conftest import PASSWORD


class InlineCodeFinder(HTMLParser):
    """Collects everything a strict CSP (no 'unsafe-inline') would block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.problems.append(f"inline <script> {attrs}")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f'style="{value}" on <{tag}>')
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL on <{tag}>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    assert finder.tags > 10, "not an HTML page"
    return finder.problems


def test_the_checker_finds_inline_code():
    page = "<html><head><meta name='htmx-config' content='{}'>" + "<p>x</p>" * 10
    assert inline_code(page + "<script src='/a.js'></script>") == []
    assert len(inline_code(page + "<script>alert(1)</script>")) == 1
    assert len(inline_code(page + '<div style="color:red">x</div>')) == 1
    assert len(inline_code(page + '<a onclick="x()">x</a><style>p{}</style>')) == 2


# --- pages ------------------------------------------------------------------------------------


def _pages(world):
    """(name, user or None, url, expected status) for every kind of page the app renders."""
    w = world
    return [
        ("home", None, reverse("core:home"), 200),
        ("login", None, reverse("login"), 200),
        ("password_reset", None, reverse("password_reset"), 200),
        ("404 anonymous", None, "/tidak-ada-halaman-ini/", 404),
        ("dashboard", w.admin, reverse("core:dashboard"), 200),
        ("pemda list", w.admin, reverse("organisations:pemda_list"), 200),
        ("unit list", w.admin, reverse("organisations:unit_list"), 200),
        ("unit detail", w.admin, reverse("organisations:unit_detail", args=[w.unit.pk]), 200),
        ("event log", w.admin, reverse("core:event_list"), 200),
        ("account security", w.admin, reverse("core:account_security"), 200),
        ("calendar", w.admin, reverse("organisations:holiday_list") + f"?pemda={w.own.pk}", 200),
        ("unit form", w.admin, reverse("organisations:unit_create", args=[w.own.pk]), 200),
        ("admin", w.superuser, reverse("admin:index"), 200),
        ("admin event log", w.superuser, reverse("admin:core_domainevent_changelist"), 200),
        ("404", w.admin, "/tidak-ada-halaman-ini/", 404),
        ("403", w.operator, reverse("organisations:unit_create", args=[w.own.pk]), 403),
    ]


PAGE_NAMES = [
    "home",
    "login",
    "password_reset",
    "404 anonymous",
    "dashboard",
    "pemda list",
    "unit list",
    "unit detail",
    "event log",
    "account security",
    "calendar",
    "unit form",
    "admin",
    "admin event log",
    "404",
    "403",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_page_has_inline_script_or_style(client, world, name):
    _, user, url, status = next(p for p in _pages(world) if p[0] == name)
    if user is not None:
        client.force_login(user)

    response = client.get(url)

    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert inline_code(response.content.decode()) == []


def test_lockout_and_rate_limit_pages_have_no_inline_code(client, world):
    with override_settings(RATELIMITS={**settings.RATELIMITS, "login": (1, 300)}):
        client.post(reverse("login"), {"username": "a@x.go.id", "password": "x"})
        limited = client.post(reverse("login"), {"username": "a@x.go.id", "password": "x"})
    assert limited.status_code == 429
    assert inline_code(limited.content.decode()) == []

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": world.admin.email, "password": "x"})
    locked = client.post(reverse("login"), {"username": world.admin.email, "password": PASSWORD})
    assert "Akun dikunci sementara" in locked.content.decode()
    assert inline_code(locked.content.decode()) == []


@pytest.mark.parametrize("name", ["home", "login", "dashboard", "unit list", "404", "403"])
def test_csp_header_forbids_inline_and_eval(client, world, name):
    _, user, url, status = next(p for p in _pages(world) if p[0] == name)
    if user is not None:
        client.force_login(user)

    response = client.get(url)

    assert response.status_code == status
    csp = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert directives["default-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'self'" in directives["script-src"]


def test_frame_and_sniffing_headers(client, db):
    response = client.get(reverse("login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_csrf_is_enforced_on_login(world):
    client = Client(enforce_csrf_checks=True)

    refused = client.post(reverse("login"), {"username": world.admin.email, "password": PASSWORD})

    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session

    # The same request with the token from the form goes through.
    client.get(reverse("login"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = client.post(
        reverse("login"),
        {"username": world.admin.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert accepted.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.admin.pk


# --- friendly error pages ---------------------------------------------------------------------


def test_404_page_is_friendly_and_indonesian(client, world):
    client.force_login(world.admin)

    response = client.get("/tidak-ada-halaman-ini/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert '<html lang="id">' in html
    assert "Traceback" not in html


def test_403_page_when_an_operator_opens_unit_create_of_its_own_pemda(client, world):
    client.force_login(world.operator)

    response = client.get(reverse("organisations:unit_create", args=[world.own.pk]))

    assert response.status_code == 403
    html = response.content.decode()
    assert "Akses ditolak" in html
    assert '<html lang="id">' in html


# --- production settings ----------------------------------------------------------------------


def _import_settings(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing from the test run (SECRET_KEY, SECURE_HTTPS, DATABASE_URL…).
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", **extra_env}
    code = (
        "import json, config.settings as s; print(json.dumps({"
        "'DEBUG': s.DEBUG, 'SESSION_COOKIE_SECURE': s.SESSION_COOKIE_SECURE,"
        "'CSRF_COOKIE_SECURE': s.CSRF_COOKIE_SECURE, 'HSTS': s.SECURE_HSTS_SECONDS,"
        "'PROXY': s.SECURE_PROXY_SSL_HEADER, 'SECRET_KEY': s.SECRET_KEY}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_are_secure_by_default():
    result = _import_settings({"SECRET_KEY": "a-real-production-secret-0123456789"})

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["HSTS"] > 0
    assert values["PROXY"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECRET_KEY"] == "a-real-production-secret-0123456789"


def test_production_without_secret_key_refuses_to_start():
    result = _import_settings({})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_debug_without_secret_key_uses_a_development_key_and_plain_cookies():
    result = _import_settings({"DEBUG": "true"})

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is True
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECRET_KEY"] == "dev-only-insecure-key"

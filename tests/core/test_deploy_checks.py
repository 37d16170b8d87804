"""Production refuses settings that undo its protections (issue 11, items 4 and 16; issue 13,
item 7): a per-process cache under more than one server process is a `check --deploy` error and
gunicorn does not start on it, under exactly one it is a warning; and the documented production
settings (.env.example) pass `check --deploy` without a warning."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.checks.registry import registry
from django.test import override_settings

from mutu.core.checks import check_shared_cache

ROOT = Path(__file__).resolve().parents[2]
REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x/1"}
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
FILE = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/tmp/x"}


def _cache_messages(msg_id: str) -> list[str]:
    messages = run_checks(include_deployment_checks=True, tags=["caches"])
    return [m.msg.split(" (")[0] for m in messages if m.id == msg_id]


def _cache_errors() -> list[str]:
    return _cache_messages("mutu.E001")


def _cache_warnings() -> list[str]:
    return _cache_messages("mutu.W002")


@pytest.mark.parametrize("backend", [LOCMEM, FILE])
@override_settings(DEBUG=False, GUNICORN_WORKERS=2)
def test_a_per_process_cache_under_several_server_processes_is_a_deploy_error(backend):
    with override_settings(CACHES={"default": backend}):
        assert _cache_errors() == ["The cache 'default'"]
        assert _cache_warnings() == []


@pytest.mark.parametrize("backend", [LOCMEM, FILE])
@override_settings(DEBUG=False, GUNICORN_WORKERS=1)
def test_a_per_process_cache_under_one_server_process_is_only_a_warning(backend):
    with override_settings(CACHES={"default": backend}):
        assert _cache_errors() == []
        assert _cache_warnings() == ["The cache 'default'"]


@pytest.mark.parametrize("workers", [1, 2])
@override_settings(DEBUG=False, CACHES={"default": DUMMY})
def test_a_cache_that_stores_nothing_is_an_error_under_any_process_count(workers):
    with override_settings(GUNICORN_WORKERS=workers):
        assert _cache_errors() == ["The cache 'default'"]


def test_the_cache_check_runs_only_in_the_deploy_set():
    deploy_checks = registry.get_checks(include_deployment_checks=True)
    everyday_checks = registry.get_checks(include_deployment_checks=False)

    assert check_shared_cache in deploy_checks
    assert check_shared_cache not in everyday_checks


@override_settings(DEBUG=False, GUNICORN_WORKERS=2, CACHES={"default": REDIS, "ratelimit": LOCMEM})
def test_every_cache_alias_is_checked():
    assert _cache_errors() == ["The cache 'ratelimit'"]


@pytest.mark.parametrize("workers", [1, 2])
@override_settings(DEBUG=False, CACHES={"default": REDIS, "ratelimit": REDIS})
def test_shared_caches_pass(workers):
    with override_settings(GUNICORN_WORKERS=workers):
        assert _cache_errors() == []
        assert _cache_warnings() == []


@override_settings(DEBUG=True, GUNICORN_WORKERS=2, CACHES={"default": LOCMEM})
def test_development_may_use_the_in_memory_cache():
    assert _cache_errors() == []
    assert _cache_warnings() == []


@override_settings(DEBUG=False, CLIENT_IP_META="REMOTE_ADDR")
def test_reading_the_proxy_address_as_the_client_is_a_deploy_warning():
    messages = run_checks(include_deployment_checks=True, tags=["security"])
    assert "mutu.W001" in [m.id for m in messages]


@override_settings(DEBUG=False, CLIENT_IP_META="HTTP_X_REAL_IP")
def test_the_proxy_header_as_client_address_passes():
    messages = run_checks(include_deployment_checks=True, tags=["security"])
    assert "mutu.W001" not in [m.id for m in messages]


def _production_env() -> dict[str, str]:
    """.env.example as documented, with a real secret as its first line asks for."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_gunicorn_refuses_to_start_on_a_per_process_cache_under_several_workers(tmp_path):
    # GUNICORN_WORKERS says one: the check must judge the --workers gunicorn really starts.
    env = {**_production_env(), "CACHE_URL": "locmemcache://", "GUNICORN_WORKERS": "1"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    command += ["-c", "deploy/gunicorn.conf.py", "--bind", "127.0.0.1:0", "--workers", "2"]

    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode != 0
    assert "mutu.E001" in result.stderr + result.stdout
    assert "gunicorn does not start" in result.stderr + result.stdout


def _settings_with(env: dict[str, str]) -> dict:
    """Import config.settings in a clean process with `env`; selected values."""
    code = (
        "import json, config.settings as s; d = s.DATABASES['default']; print(json.dumps({"
        "'HSTS': s.SECURE_HSTS_SECONDS, 'SUB': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        "'PRELOAD': s.SECURE_HSTS_PRELOAD, 'REDIRECT': s.SECURE_SSL_REDIRECT,"
        "'AGE': s.SESSION_COOKIE_AGE, 'SLIDING': s.SESSION_REFRESH_SECONDS,"
        "'POOL': d.get('OPTIONS', {}).get('pool'), 'MAX_AGE': d.get('CONN_MAX_AGE')}))"
    )
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "SECRET_KEY": secrets.token_urlsafe(50), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults_hsts_for_a_year_and_a_working_day_session():
    values = _settings_with({})

    assert values["HSTS"] == 31536000
    assert values["SUB"] is True
    assert values["PRELOAD"] is False
    assert values["REDIRECT"] is True
    assert values["AGE"] == 9 * 3600
    assert values["SLIDING"] <= 15 * 60


PG = {"DATABASE_URL": "postgres://mutu@127.0.0.1:5432/mutu"}


@pytest.mark.parametrize(
    ("env", "pool_max"),
    [
        # 30 processes x 4 threads would need 120 connections: 90 shared by 30 is 3 each.
        ({"GUNICORN_WORKERS": "30", "GUNICORN_THREADS": "4"}, 3),
        ({"GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "4"}, 4),  # the threads suffice
        ({"GUNICORN_WORKERS": "2", "DB_MAX_CONNECTIONS": "30", "GUNICORN_THREADS": "16"}, 10),
        ({"GUNICORN_WORKERS": "200"}, 1),
        ({"GUNICORN_WORKERS": "2", "DB_POOL_MAX": "7"}, 7),
    ],
)
def test_the_connection_pool_is_sized_from_the_gunicorn_processes(env, pool_max):
    values = _settings_with({**PG, **env})

    assert values["POOL"] == {"min_size": 1, "max_size": pool_max, "timeout": 30.0}
    assert values["MAX_AGE"] == 0  # Django refuses a pool with persistent connections


def test_without_the_pool_each_thread_keeps_a_persistent_connection():
    values = _settings_with({**PG, "DB_POOL": "false"})

    assert values["POOL"] is None
    assert values["MAX_AGE"] == 60

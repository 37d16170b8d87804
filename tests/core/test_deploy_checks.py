"""Production refuses settings that undo its protections (issue 11, items 4 and 16): a
per-process cache is a `check --deploy` error and gunicorn does not start on it, and the
documented production settings (.env.example) pass `check --deploy` without a warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x/1"}
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
FILE = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/tmp/x"}


def _cache_errors() -> list[str]:
    messages = run_checks(include_deployment_checks=True, tags=["caches"])
    return [m.msg.split(" (")[0] for m in messages if m.id == "mutu.E001"]


@pytest.mark.parametrize("backend", [LOCMEM, DUMMY, FILE])
@override_settings(DEBUG=False)
def test_a_per_process_default_cache_is_a_deploy_error(backend):
    with override_settings(CACHES={"default": backend}):
        assert _cache_errors() == ["The cache 'default'"]


@override_settings(DEBUG=False, CACHES={"default": REDIS, "ratelimit": LOCMEM})
def test_every_cache_alias_is_checked():
    assert _cache_errors() == ["The cache 'ratelimit'"]


@override_settings(DEBUG=False, CACHES={"default": REDIS, "ratelimit": REDIS})
def test_shared_caches_pass():
    assert _cache_errors() == []


@override_settings(DEBUG=True, CACHES={"default": LOCMEM})
def test_development_may_use_the_in_memory_cache():
    assert _cache_errors() == []


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


def test_gunicorn_refuses_to_start_on_a_per_process_cache(tmp_path):
    env = {**_production_env(), "CACHE_URL": "locmemcache://"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    command += ["-c", "deploy/gunicorn.conf.py", "--bind", "127.0.0.1:0", "--workers", "1"]

    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode != 0
    assert "mutu.E001" in result.stderr + result.stdout
    assert "gunicorn does not start" in result.stderr + result.stdout

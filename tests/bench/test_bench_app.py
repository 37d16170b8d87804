"""The bench-only commands stay out of the production apps (issue 13, item 5)."""

import importlib

from django.core.management import get_commands

import config.settings
from tests.bench.conftest import BENCH_APP

BENCH_COMMANDS = {"bench_setup", "bench_results"}


def test_production_settings_do_not_install_the_bench_app():
    assert BENCH_APP not in config.settings.INSTALLED_APPS


def test_the_bench_settings_add_only_the_bench_app():
    bench_settings = importlib.import_module("bench.settings")

    assert [*config.settings.INSTALLED_APPS, BENCH_APP] == bench_settings.INSTALLED_APPS


def test_the_bench_commands_come_from_the_bench_app():
    commands = get_commands()  # the autouse fixture has installed the bench app

    assert {name: commands[name] for name in BENCH_COMMANDS} == {
        name: BENCH_APP for name in BENCH_COMMANDS
    }

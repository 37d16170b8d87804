import pytest
from django.test import modify_settings

BENCH_APP = "bench.mutu_bench"


@pytest.fixture(autouse=True)
def _bench_app_installed():
    # The bench-only commands are installed by bench/settings.py alone; their tests install
    # the app for themselves (Django then finds its management commands again).
    with modify_settings(INSTALLED_APPS={"append": BENCH_APP}):
        yield

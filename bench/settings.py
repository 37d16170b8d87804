"""Settings for the benchmark's management commands: production settings plus the bench-only app.

bench/run.sh runs `manage.py bench_setup` and `manage.py bench_results` with
DJANGO_SETTINGS_MODULE=bench.settings; the server it measures runs config.settings, as deployed.
"""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.mutu_bench"]  # noqa: F405

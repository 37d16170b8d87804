"""Bench-only management commands (bench_setup, bench_results), installed by bench/settings.py."""

"""`make bench`: load and results benchmarks against a peer survey app (bench/run.sh).

Nothing here is part of the production apps: the bench-only management commands live in the
`bench.mutu_bench` app, which only bench/settings.py installs.
"""

"""Write BENCHMARKS.md from the summaries of one `make bench` run: mutu and the peer at peak,
mutu with think time, and the results benchmark."""

import argparse
import os
import re
import subprocess
from datetime import UTC, datetime

parser = argparse.ArgumentParser()
for name in ("mutu", "peer", "think", "results", "users", "run-time"):
    parser.add_argument(f"--{name}", required=True)
for name in ("think-users", "think-share", "think-run-time"):
    parser.add_argument(f"--{name}", required=True)
args = parser.parse_args()

mutu, peer = open(args.mutu).read(), open(args.peer).read()
think, results = open(args.think).read(), open(args.results).read()
# One document: the summaries become sections.
mutu = mutu.replace("# ", "### mutu — ", 1)
peer = peer.replace("# ", "### Peer: django-survey-and-report (its own setup.sh/run.sh) — ", 1)
think = think.replace("# ", "### ", 1)
results = results.replace("# ", "## ", 1)


def number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else 0.0


def p95(request: str, text: str) -> float:
    """p95 of a request from a summary's latency table (columns: count, p50, p95, ...)."""
    return number(rf"\| {request} \| \d+ \| \d+ \| (\d+) \|", text)


def pg_version() -> str:
    try:
        return subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except OSError:
        return "?"


# The peer's throughput on the machine BENCHMARKING.md was written on (2026-11-25), to read this
# run's ratio at that machine's speed.
REFERENCE_PEER = (33.0, 37.0)
peak_rate = number(r"submissions/s \(.*\): ([\d.]+)", mutu)
peer_rate = number(r"submissions/s \(.*\): ([\d.]+)", peer)
ratio = peak_rate / peer_rate if peer_rate else 0.0
accepted = number(r"accepted submissions: (\d+)", mutu)
gunicorn_ms = 1000 * number(r"mutu gunicorn ([\d.]+)s", mutu) / accepted if accepted else 0.0
think_rate = number(r"steady-state submissions/s \(.*\): ([\d.]+)", think)
think_p95 = max(p95("GET survey", think), p95("POST submit", think))
share = float(args.think_share)
mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
print(f"""# Benchmarks

Made by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {os.cpu_count()} cores,
{mem:.0f} GiB, PostgreSQL {pg_version()}. Everything below ran one after the other in the same
run, locust headless on loopback, gunicorn with the same number of sync workers for mutu and
the peer. Absolute figures drift on a shared 2-core machine; the ratios are the numbers to
compare between runs.

**Public SKM form (GET form + POST answers) at peak: mutu / peer = {ratio:.1f}×** (goal: at
least 5×). **With {args.think_users} users with think time offering {share:.0%} of mutu's peak:
{think_rate:.1f} submissions/s sustained, p95 {think_p95:.0f} ms** (the slower of GET form and
POST; issue 5 target: p95 < 150 ms with ≥ 250 accepted submissions/s sustained: the offered load
here is a share of the peak this machine reaches, so it says how far that target is).

How this machine compares: the peer ran at {peer_rate:.1f} submissions/s here, against
{REFERENCE_PEER[0]:.0f}–{REFERENCE_PEER[1]:.0f}/s on the machine BENCHMARKING.md was measured on.
Two estimates, not measurements, for the 250/s target: at the peer's reference speed this run's
ratio means **{ratio * REFERENCE_PEER[0]:.0f}–{ratio * REFERENCE_PEER[1]:.0f} submissions/s**;
and mutu's gunicorn used {gunicorn_ms:.1f} ms of CPU per accepted submission (GET + POST), so
two cores given to gunicorn alone, with PostgreSQL and locust elsewhere, would take about
**{2000 / gunicorn_ms if gunicorn_ms else 0:.0f} submissions/s** at this machine's speed.

## Public form: peak throughput ({args.users} users, zero think time, {args.run_time} s)

Closed loop: this measures peak throughput, not latency under a realistic load (Little's law:
latency = users ÷ throughput).

{mutu}
{peer}
## Public form: latency under a realistic offered load (mutu only)

{args.think_users} users, each starting at most one GET+POST loop per pacing period
(locust `constant_throughput`), together offering {share:.0%} of the peak measured above in this
run; {args.think_run_time} s including the spawn; rate and latencies counted once every user has
spawned.

{think}
{results}""")

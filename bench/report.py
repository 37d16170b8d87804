"""Write BENCHMARKS.md from the summaries of one `make bench` run: mutu and the peer at peak,
mutu with think time, and the results benchmark."""

import argparse
import os
import re
import subprocess
from datetime import UTC, datetime

parser = argparse.ArgumentParser()
for name in ("mutu", "peer", "prod", "think", "target", "results", "users", "run-time"):
    parser.add_argument(f"--{name}", required=True)
for name in ("think-users", "think-share", "think-run-time", "target-rate"):
    parser.add_argument(f"--{name}", required=True)
args = parser.parse_args()

mutu, peer, prod = open(args.mutu).read(), open(args.peer).read(), open(args.prod).read()
think, target = open(args.think).read(), open(args.target).read()
results = open(args.results).read()
# One document: the summaries become sections.
mutu = mutu.replace("# ", "### mutu — ", 1)
peer = peer.replace("# ", "### Peer: django-survey-and-report (its own setup.sh/run.sh) — ", 1)
prod, think, target = (text.replace("# ", "### ", 1) for text in (prod, think, target))
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


# The peer's throughput on the reference machine of docs/benchmarking.md (2026-11-25), to show how
# fast this machine is.
REFERENCE_PEER = (33.0, 37.0)
REQUIRED_RATE, REQUIRED_P95 = 250.0, 150.0  # issue 5; --target-rate is the load offered
RATE = r"submissions/s \(.*\): ([\d.]+)"
peak_rate, peer_rate, prod_rate = (number(RATE, text) for text in (mutu, peer, prod))
ratio = peak_rate / peer_rate if peer_rate else 0.0
STEADY_RATE = r"steady-state submissions/s \(.*\): ([\d.]+)"
think_rate, target_rate = number(STEADY_RATE, think), number(STEADY_RATE, target)
think_p95, target_p95 = (
    max(p95("GET survey", text), p95("POST submit", text)) for text in (think, target)
)
target_met = target_rate >= REQUIRED_RATE and 0 < target_p95 < REQUIRED_P95
lost = "MISMATCH" in mutu + prod + think + target
share = float(args.think_share)
mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
print(f"""# Benchmarks

Made by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {os.cpu_count()} cores,
{mem:.0f} GiB, PostgreSQL {pg_version()}. Everything below ran one after the other in the same
run, locust headless on loopback, PostgreSQL and locust on the same cores as gunicorn. Absolute
figures drift on a shared 2-core machine; the ratio is the number to compare between runs.

**Public SKM form (GET form + POST answers) at peak, same server configuration as the peer
(gunicorn sync workers, {args.users} users): mutu / peer = {ratio:.1f}×** (goal: at least 5×).

**Issue 5 target, mutu as deployed (`deploy/gunicorn.conf.py`), {args.think_users} users with
think time offering {float(args.target_rate):.0f} submissions/s: {target_rate:.1f} accepted
submissions/s sustained, p95 {target_p95:.0f} ms** (the slower of GET form and POST). Target
≥ {REQUIRED_RATE:.0f}/s with p95 < {REQUIRED_P95:.0f} ms: **{"met" if target_met else "not met"}**
in this run. Stored rows {"did NOT equal" if lost else "equalled"} accepted answers in every
scenario.

Also in this run: mutu as deployed reached **{prod_rate:.1f} submissions/s** at peak; the same
{args.think_users} users offering {share:.0%} of that peak saw p95 {think_p95:.0f} ms
({think_rate:.1f} submissions/s). How this machine compares: the peer ran at {peer_rate:.1f}
submissions/s here, against {REFERENCE_PEER[0]:.0f}–{REFERENCE_PEER[1]:.0f}/s on the
reference machine of docs/benchmarking.md.

## Public form: peak throughput ({args.users} users, zero think time, {args.run_time} s)

Closed loop: this measures peak throughput, not latency under a realistic load (Little's law:
latency = users ÷ throughput).

{mutu}
{peer}
{prod}
## Public form: latency under an offered load (mutu as deployed)

{args.think_users} users, each starting on average one GET+POST loop per pacing period, the
time between two starts drawn between half and one and a half periods (strict pacing made users
fall into step: see `bench/locustfile.py`); {args.think_run_time} s including the spawn; rate and
latencies counted once every user has spawned. First {share:.0%} of the peak above
(docs/benchmarking.md), then the issue's target rate.

{think}
{target}
{results}""")

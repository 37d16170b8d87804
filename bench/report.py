"""Write BENCHMARKS.md from the mutu and peer summaries of the same `make bench` run."""

import os
import re
import subprocess
import sys
from datetime import UTC, datetime

mutu_md, peer_md, users, run_time = sys.argv[1:5]
mutu, peer = open(mutu_md).read(), open(peer_md).read()
# One document: the two summaries become sections.
mutu = mutu.replace("# ", "## mutu — ", 1)
peer = peer.replace("# ", "## Peer: django-survey-and-report (its own setup.sh/run.sh) — ", 1)


def rate(text: str) -> float:
    match = re.search(r"submissions/s \(.*\): ([\d.]+)", text)
    return float(match.group(1)) if match else 0.0


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


ratio = rate(mutu) / rate(peer) if rate(peer) else 0.0
mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
print(f"""# Benchmarks

Made by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {os.cpu_count()} cores,
{mem:.0f} GiB, PostgreSQL {pg_version()}. Both servers ran one after the other in the same run,
gunicorn with the same number of sync workers, locust headless on loopback, {users} users with
zero think time for {run_time} s (closed loop: this measures peak throughput, not latency under a
realistic load). Absolute figures drift on a shared 2-core machine; the ratio is the number to
compare between runs.

**Public SKM form (GET form + POST answers): mutu / peer = {ratio:.1f}×** (goal: at least 5×).
mutu's own target (issue 5) is 250 accepted submissions/s with p95 < 150 ms for 200 users with
think time; compare the peak below with it.

{mutu}
{peer}
## Not yet measured
- Latency under a realistic offered load (many users with think time at about 70 % of peak).
- IKM over a Pemda-year of 1,000,000 responses vs a hand-written GROUP BY.
""")

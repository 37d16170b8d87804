"""Summarise one mutu locust run: accepted submissions/s, exact latencies, row check.

Usage: summary.py OUT R0 R1 LABEL [think]. With "think" (the think-time scenario) the rate and
latencies are those of the steady state (after every user spawned) and the offered load is shown.
"""

import json
import os
import sys

out, r0, r1, label = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
think = sys.argv[5:] == ["think"]
acc = json.load(open(f"{out}/accepted.json"))
stored = r1 - r0


def latency_table(latencies: dict) -> None:
    print("| request | count | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for name in ("GET survey", "POST submit"):
        lat = latencies.get(name)
        if lat:
            print(
                f"| {name} | {lat['n']} | {lat['p50']:.0f} | {lat['p95']:.0f} | {lat['p99']:.0f} "
                f"| {lat['max']:.0f} |"
            )


print(f"# {label}\n")
print(
    f"accepted submissions: {acc['accepted']}  rejected POSTs: {acc['rejected']}  "
    f"GET errors: {acc['get_errors']}"
)
if think:
    users, per_user = acc["users"], acc["throughput_per_user"]
    steady = acc["steady_start"]
    window = (acc["last_post_end"] - steady) if steady and acc["steady_accepted"] else 0
    rate = acc["steady_accepted"] / window if window else 0.0
    print(
        f"offered load: {users} users × {per_user:.3f} GET+POST loops/s each "
        f"= {users * per_user:.1f} submissions/s"
    )
    print(
        f"steady-state submissions/s (accepted after the last user spawned / "
        f"{window:.1f}s): {rate:.1f}"
    )
else:
    window = (acc["last_post_end"] - acc["first_post_start"]) if acc["accepted"] else 0
    rate = acc["accepted"] / window if window else 0.0
    print(f"submissions/s (accepted / first-POST-start..last-POST-end = {window:.1f}s): {rate:.1f}")
print(
    f"DB rows: responses +{stored} (expected {acc['accepted']}: "
    f"{'OK' if stored == acc['accepted'] else 'MISMATCH'})"
)
if os.path.exists(f"{out}/cpu.txt"):  # written by run.sh around the locust run
    busy, gunicorn, wall, steal = open(f"{out}/cpu.txt").read().split()
    print(
        f"CPU: machine busy {busy}% ; mutu gunicorn {gunicorn}s over {wall}s "
        f"({100 * float(gunicorn) / float(wall) / (os.cpu_count() or 1):.0f}% of the machine); "
        f"taken by the hypervisor for other guests (steal) {steal}%"
    )
print()
if think:
    print("Latencies in the steady state (every user spawned):\n")
    latency_table(acc["steady_latency_ms"])
else:
    latency_table(acc["latency_ms"])

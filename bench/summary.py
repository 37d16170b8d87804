"""Summarise one mutu locust run: accepted submissions/s, exact latencies, row check."""

import json
import sys

out, r0, r1, label = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
acc = json.load(open(f"{out}/accepted.json"))
window = (acc["last_post_end"] - acc["first_post_start"]) if acc["accepted"] else 0
rate = acc["accepted"] / window if window else 0.0
stored = r1 - r0
print(f"# {label}\n")
print(
    f"accepted submissions: {acc['accepted']}  rejected POSTs: {acc['rejected']}  "
    f"GET errors: {acc['get_errors']}"
)
print(f"submissions/s (accepted / first-POST-start..last-POST-end = {window:.1f}s): {rate:.1f}")
print(
    f"DB rows: responses +{stored} (expected {acc['accepted']}: "
    f"{'OK' if stored == acc['accepted'] else 'MISMATCH'})\n"
)
print("| request | count | p50 ms | p95 ms | p99 ms | max ms |")
print("|---|---|---|---|---|---|")
for name in ("GET survey", "POST submit"):
    lat = acc["latency_ms"].get(name)
    if lat:
        print(
            f"| {name} | {lat['n']} | {lat['p50']:.0f} | {lat['p95']:.0f} | {lat['p99']:.0f} "
            f"| {lat['max']:.0f} |"
        )

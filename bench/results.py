"""Results benchmark (issue 5, target A) on the data of `manage.py bench_results`.

Times, on the same data in the same run: (a) the app's own Pemda-year IKM
(selectors.pemda_year_result, Django cache cleared before each run); (b) a hand-written
`SELECT unsur, SUM(value), COUNT(*) ... GROUP BY unsur` over the year's answers; (c) their ratio;
(d) the unit result page (surveys:unit_result) through Django's test Client, first render with an
empty cache and cached render. EXPLAINs (ANALYZE) the queries the app ran. Medians of RUNS runs.

Usage: python bench/results.py PEMDA_ID YEAR OUT_DIR   (env: DATABASE_URL, RESULTS_RUNS=5)
Writes OUT_DIR/results.md and OUT_DIR/results.json.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from mutu.core.models import User  # noqa: E402
from mutu.core.roles import Role  # noqa: E402
from mutu.indices.decimals import round_half_up  # noqa: E402
from mutu.indices.ikm import compute_ikm  # noqa: E402
from mutu.organisations.models import Membership, Pemda  # noqa: E402
from mutu.surveys import selectors  # noqa: E402
from mutu.surveys.models import Answer, PeriodUnit, Response, SurveyPeriod  # noqa: E402

RUNS = int(os.environ.get("RESULTS_RUNS", "5"))
TARGET_SECONDS, TARGET_RATIO, TARGET_PAGE_MS = 2.0, 2.0, 300.0
BENCH_USER = "bench-hasil@bench.invalid"


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def hand_written(period_ids: list[int], *, counted_only: bool) -> dict[str, tuple[int, int]]:
    """What a person would type: one GROUP BY over the answers of the year's periods.
    counted_only leaves out quarantined responses (the official figure), which needs a join."""
    answer, response = Answer._meta.db_table, Response._meta.db_table
    marks = ", ".join(["%s"] * len(period_ids))
    if counted_only:
        sql = (
            f"SELECT a.unsur, SUM(a.value), COUNT(*) FROM {answer} a "  # noqa: S608
            f"JOIN {response} r ON r.id = a.response_id "
            f"WHERE a.period_id IN ({marks}) AND NOT r.quarantined GROUP BY a.unsur"
        )
    else:
        sql = (
            f"SELECT unsur, SUM(value), COUNT(*) FROM {answer} "  # noqa: S608
            f"WHERE period_id IN ({marks}) GROUP BY unsur"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, period_ids)  # table names from the models, values as parameters
        return {unsur: (int(total), int(n)) for unsur, total, n in cursor.fetchall()}


def app_year(pemda: Pemda, year: int) -> Any:
    cache.clear()  # cold for the app path, should it ever cache the year
    return selectors.pemda_year_result(pemda, year)


def time_year(pemda: Pemda, year: int, period_ids: list[int]) -> dict[str, Any]:
    """Interleaved runs so that both paths see the same machine and buffer state."""
    app, sql = [], []
    for _ in range(RUNS):
        app.append(timed(lambda: app_year(pemda, year))[0])
        sql.append(timed(lambda: hand_written(period_ids, counted_only=False))[0])
    counted_s, counted = timed(lambda: hand_written(period_ids, counted_only=True))
    result = app_year(pemda, year)
    expected = compute_ikm(
        {u: t for u, (t, _) in counted.items()},
        {u: n for u, (_, n) in counted.items()},
        weighting="exact",
    )
    return {
        "app_s": app,
        "sql_s": sql,
        "app_median_s": statistics.median(app),
        "sql_median_s": statistics.median(sql),
        "ratio": statistics.median(app) / statistics.median(sql),
        "counted_sql_s": counted_s,
        "same_result": result is not None
        and (result.ikm, result.nrr) == (expected.ikm, expected.nrr),
        "ikm": str(round_half_up(result.ikm, 4)) if result else None,
        "score": result.score_display if result else None,
        "grade": result.grade if result else None,
        "answers": sum(n for _, n in counted.values()),
    }


def explain_app_queries(pemda: Pemda, year: int) -> list[dict[str, Any]]:
    """EXPLAIN ANALYZE of every GROUP BY the app's path ran (their exact SQL)."""
    with CaptureQueriesContext(connection) as captured:
        app_year(pemda, year)
    plans = []
    for query in captured.captured_queries:
        if "GROUP BY" not in query["sql"]:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        plans.append({"sql": query["sql"], "plan": plan})
    return plans


def answer_sizes() -> list[tuple[str, int]]:
    """The answers table and each of its indexes, in bytes (what a scan has to read)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c "
            "WHERE c.oid = %s::regclass OR c.oid IN "
            "(SELECT indexrelid FROM pg_index WHERE indrelid = %s::regclass) ORDER BY 2 DESC",
            [Answer._meta.db_table] * 2,
        )
        return cursor.fetchall()


def index_note(data: dict[str, Any]) -> str:
    """What the plan says about an index, from this run's plan and sizes."""
    main_plan = "\n".join(data["plans"][0]["plan"]) if data["plans"] else ""
    if f"Seq Scan on {Answer._meta.db_table}" not in main_plan:
        return "The main GROUP BY did not scan the whole answers table in this run."
    sizes = ", ".join(f"{name} {size / 2**20:.0f} MB" for name, size in data["sizes"])
    return f"""The main GROUP BY read the whole answers table (Seq Scan; sizes: {sizes}).
The covering index `answer_ikm_covering` (period, unit, unsur, value) lets PostgreSQL answer
from the index alone; it prefers a parallel scan of the table here because the year's two
periods hold nearly every row of this bench database, so both ways read about the same.
For a Pemda-year far below the target, a (period, unit, unsur) → sum, count table kept up to
date on submission would make this a sum over a few hundred rows."""


def bench_user(pemda: Pemda) -> User:
    user = User.objects.filter(email=BENCH_USER).first() or User.objects.create_user(
        BENCH_USER, None, full_name="Admin Benchmark (sintetis)"
    )
    Membership.objects.get_or_create(user=user, role=Role.PEMDA_ADMIN, pemda=pemda)
    return user


def largest_member(period_ids: list[int]) -> PeriodUnit:
    """The heaviest unit page: the unit-period with the most responses."""
    top = (
        Response.objects.filter(period_id__in=period_ids)
        .values("period_id", "unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert top is not None, "no bench responses: run manage.py bench_results first"
    return PeriodUnit.objects.select_related("period").get(
        period_id=top["period_id"], unit_id=top["unit_id"]
    )


def render(client: Client, url: str) -> dict[str, Any]:
    """One GET of the page: wall time, queries, time spent in SQL, the slowest queries."""
    with CaptureQueriesContext(connection) as captured:
        seconds, response = timed(lambda: client.get(url))
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    return {
        "ms": seconds * 1000,
        "queries": len(queries),
        "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
        "slowest": [(float(q["time"]) * 1000, q["sql"][:140]) for q in queries[:3]],
    }


def time_page(pemda: Pemda, member: PeriodUnit) -> dict[str, Any]:
    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
    client = Client(HTTP_HOST=hosts[0] if hosts else "localhost")
    client.force_login(bench_user(pemda))
    url = reverse("surveys:unit_result", args=[member.period_id, member.unit_id])
    first = []
    for _ in range(max(RUNS // 2, 1)):
        cache.clear()
        first.append(render(client, url))
    cached = [render(client, url) for _ in range(RUNS)]
    return {
        "url": url,
        "responses": Response.objects.filter(period=member.period, unit=member.unit).count(),
        "first": first,
        "cached": cached,
        "first_ms": [r["ms"] for r in first],
        "cached_ms": [r["ms"] for r in cached],
        "first_median_ms": statistics.median(r["ms"] for r in first),
        "cached_median_ms": statistics.median(r["ms"] for r in cached),
    }


def _page_runs(renders: list[dict[str, Any]]) -> str:
    last = renders[-1]
    return (
        f"{_runs([r['ms'] for r in renders], 0)} ({last['queries']} queries, "
        f"{last['sql_ms']:.0f} ms of them in SQL)"
    )


def slowest_queries(page: dict[str, Any]) -> str:
    lines = []
    for label, renders in (("first render", page["first"]), ("cached render", page["cached"])):
        for ms, sql in renders[-1]["slowest"]:
            lines.append(f"- {label}: {ms:.0f} ms `{sql.replace('`', '')}…`")
    return "\n".join(lines)


def plan_summary(plans: list[dict[str, Any]]) -> str:
    """The plan nodes and timings (without the per-worker detail lines)."""
    lines = []
    for number, item in enumerate(plans, 1):
        lines.append(
            f"-- query {number}: {item['sql'][:160]}{'…' if len(item['sql']) > 160 else ''}"
        )
        keep = ("->", "Execution Time", "Planning Time", "Filter", "Index Cond", "Hash Cond")
        lines += [
            line for i, line in enumerate(item["plan"]) if i == 0 or any(k in line for k in keep)
        ]
    return "\n".join(lines)


def _met(good: bool) -> str:
    return "met" if good else "NOT met"


def _runs(values: list[float], digits: int) -> str:
    return ", ".join(f"{v:.{digits}f}" for v in values)


def timing_rows(year: dict[str, Any], page: dict[str, Any]) -> list[tuple[str, ...]]:
    """(measure, median, runs, target) for the results table."""
    plain_sql = "`SELECT unsur, SUM(value), COUNT(*) … WHERE period_id IN (…) GROUP BY unsur`"
    return [
        (
            "app: `selectors.pemda_year_result` (2 GROUP BY: all answers, quarantined ones)",
            f"{year['app_median_s']:.2f} s",
            _runs(year["app_s"], 2),
            f"≤ {TARGET_SECONDS:.0f} s: {_met(year['app_median_s'] <= TARGET_SECONDS)}",
        ),
        (
            f"hand-written {plain_sql}",
            f"{year['sql_median_s']:.2f} s",
            _runs(year["sql_s"], 2),
            "",
        ),
        (
            "**ratio app / hand-written**",
            f"**{year['ratio']:.2f}×**",
            "",
            f"≤ {TARGET_RATIO:.0f}×: {_met(year['ratio'] <= TARGET_RATIO)}",
        ),
        (
            "hand-written with the join that leaves out quarantined responses (once)",
            f"{year['counted_sql_s']:.2f} s",
            "",
            "",
        ),
        (
            "unit result page, first render (empty cache)",
            f"{page['first_median_ms']:.0f} ms",
            _page_runs(page["first"]),
            "",
        ),
        (
            "unit result page, cached render",
            f"{page['cached_median_ms']:.0f} ms",
            _page_runs(page["cached"]),
            f"< {TARGET_PAGE_MS:.0f} ms: {_met(page['cached_median_ms'] < TARGET_PAGE_MS)}",
        ),
    ]


def markdown(data: dict[str, Any]) -> str:
    year, page = data["year"], data["page"]
    table = "\n".join("| " + " | ".join(row) + " |" for row in timing_rows(year, page))
    return f"""# Results: Pemda-year IKM over {data["responses"]:,} responses

Data: `manage.py bench_results` ({data["state"]}): one synthetic Pemda, {data["units"]} units, two
periods of {data["year_number"]} (Semester I/II), {data["responses"]:,} responses,
{year["answers"]:,} counted answers (biaya skippable in some units, about 0.5 % quarantined).
Medians of {RUNS} interleaved runs; Django cache cleared before each app run.

| measure | median | runs | target |
|---|---|---|---|
{table}

App result equals the hand-written counted aggregate: **{"yes" if year["same_result"] else "NO"}**
(IKM {year["ikm"]}, converted {year["score"]}, grade {year["grade"]}). The page is
`{page["url"]}`, the largest unit-period ({page["responses"]:,} responses), rendered through
Django's test Client in one process (no network, locmem cache). Slowest queries of the last
render of each kind:

{slowest_queries(page)}

EXPLAIN (ANALYZE, BUFFERS) of the GROUP BY queries the app ran:

```
{plan_summary(data["plans"])}
```

{index_note(data)}
"""


def main() -> None:
    pemda_id, year_number, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    state = sys.argv[4] if len(sys.argv) > 4 else "?"
    pemda = Pemda.objects.get(pk=pemda_id)
    period_ids = list(
        SurveyPeriod.objects.filter(pemda=pemda, starts_on__year=year_number).values_list(
            "pk", flat=True
        )
    )
    data = {
        "year_number": year_number,
        "state": state,
        "units": PeriodUnit.objects.filter(period_id__in=period_ids)
        .values("unit_id")
        .distinct()
        .count(),
        "responses": Response.objects.filter(period_id__in=period_ids).count(),
        "year": time_year(pemda, year_number, period_ids),
        "plans": explain_app_queries(pemda, year_number),
        "sizes": answer_sizes(),
        "page": time_page(pemda, largest_member(period_ids)),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(data, indent=1, default=str))
    (out / "results.md").write_text(markdown(data))
    print(markdown(data))


if __name__ == "__main__":
    main()

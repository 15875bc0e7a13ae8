"""Search's own queries at whatever catalogue DATABASE_URL holds, in-process: per
search, the median and worst time of making its plan and of ranking its matches (the
list page's two steps), and with --explain the ranking query's plan
(EXPLAIN ANALYZE, BUFFERS). Prints numbers; not a test.

    DATABASE_URL=postgres://.../bench .venv/bin/python bench/search_plans.py [--explain]
"""

import os
import statistics
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalogue.settings")
django.setup()

from django.db import connection  # noqa: E402 (after django.setup)

from initiatives.search.matching import (  # noqa: E402
    make_plan,
    ranked_entries,
    ranked_matches,
    through_search_index,
)

SEARCHES = ["frivillige", "sundhedstjek borgere", "rygere", "sundhedstjk"]
ROUNDS = 15


def timed(function) -> list[float]:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    print(f"{connection.vendor}, load average {os.getloadavg()[0]:.2f}")
    for query in SEARCHES:
        plan = make_plan(query)
        planning = timed(lambda query=query: make_plan(query))
        ranking = timed(lambda plan=plan: ranked_matches("", plan=plan))
        matches = sum(len(pks) for pks in ranked_matches("", plan=plan).values())
        print(
            f"{query!r:24} {matches:7,} matches  "
            f"plan p50 {statistics.median(planning):6.1f} max {max(planning):6.1f} ms  "
            f"rank p50 {statistics.median(ranking):6.1f} max {max(ranking):6.1f} ms"
        )
        if "--explain" in sys.argv and connection.vendor == "postgresql":
            with through_search_index():
                print(ranked_entries(plan).explain(analyze=True, buffers=True))
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

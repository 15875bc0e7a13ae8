"""Helpers for bench/run that need Django: which URLs to measure, their SQL query
counts, the export's SQL for PostgreSQL's COPY, and the SQLite copy for Datasette.

Usage: measure.py urls | queries | copy-sql | datasette-db PATH | search-urls |
       search-queries | passages
"""

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalogue.settings")

import django  # noqa: E402  (the project must be on the path first)

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from initiatives.listing.count_index import current_index  # noqa: E402
from initiatives.models import Initiative, Organisation, SourceReference  # noqa: E402
from initiatives.opendata.exports import export_rows  # noqa: E402

FILTER = {"kategori": "tilfoert-ressource", "region": "hovedstaden"}
SEARCH = "sundhedstjek borgere"


def urls() -> dict[str, str]:
    """The pages measured; the organisation is the one with most initiatives."""
    published = Initiative.objects.published()
    initiative = published.order_by("pk").first()
    organisation = (
        Organisation.objects.annotate(n=Count("involvements"))
        .order_by("-n", "pk")
        .first()
    )
    query = "&".join(f"{key}={value}" for key, value in FILTER.items())
    return {
        "passage": longest_reference().get_absolute_url(),
        "front page": "/",
        "list": "/initiativer/",
        "filtered list": f"/initiativer/?{query}",
        "search": f"/initiativer/?q={SEARCH.replace(' ', '+')}",
        "initiative": initiative.get_absolute_url(),
        "organisation": organisation.get_absolute_url(),
    }


SEARCHES = {
    "two words": SEARCH,
    "one word, inflected": "frivillige",
    "compound tail": "rygere",
    "typo": "sundhedstjk",
    "no initiative has both words": "tandpleje skizofreni",
    "English": "homeless",
}


def search_urls() -> dict[str, str]:
    """The searches bench/search measures, after the list without a search, for
    comparison on the same machine."""
    return {
        "the list, no search": "/initiativer/",
        **{
            name: "/initiativer/?q=" + query.replace(" ", "+")
            for name, query in SEARCHES.items()
        },
    }


def longest_reference() -> SourceReference:
    return (
        SourceReference.objects.select_related("document")
        .order_by(F("line_start") - F("line_end"), "pk")
        .first()
    )


def passages(rounds: int = 5) -> dict:
    """Every cited passage rendered in-process, uncached:
    latency over all of them and for the longest, in ms."""
    client = Client()
    ranges = list(
        SourceReference.objects.values_list("document__slug", "line_start", "line_end")
        .distinct()
        .order_by("document__slug", "line_start", "line_end")
    )
    timings = []
    for _ in range(rounds):
        for slug, start, end in ranges:
            started = time.perf_counter()
            assert client.get(f"/kilder/{slug}/linje-{start}-{end}/").status_code == 200
            timings.append((time.perf_counter() - started) * 1000)
    longest = longest_reference()
    longest_timings = []
    for _ in range(20 * rounds):
        started = time.perf_counter()
        assert client.get(longest.get_absolute_url()).status_code == 200
        longest_timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    longest_timings.sort()
    return {
        "passages": len(ranges),
        "requests": len(timings),
        "p50 ms": round(timings[len(timings) // 2], 1),
        "p99 ms": round(timings[int(len(timings) * 0.99)], 1),
        "longest passage lines": longest.line_end - longest.line_start + 1,
        "longest p50 ms": round(longest_timings[len(longest_timings) // 2], 1),
        "longest max ms": round(longest_timings[-1], 1),
    }


def load_paths() -> list[str]:
    """The load test's mix: every list filter by category and region, searches,
    initiative and organisation pages, the same through the API, and one filtered
    export in twenty."""
    from initiatives.models import Category, Region

    pages = ["/", "/initiativer/", "/en/initiativer/", "/kategorier/"]
    pages += [f"/initiativer/?side={page}" for page in range(2, 6)]
    pages += [
        f"/initiativer/?kategori={category}&region={region}"
        for category in Category.objects.values_list("slug", flat=True)
        for region in Region.objects.values_list("slug", flat=True)
    ]
    pages += [f"/initiativer/?q={word}" for word in SEARCH.split() + ["frivillige"]]
    slugs = list(Initiative.objects.published().values_list("slug", flat=True))
    pages += [f"/initiativer/{slug}/" for slug in slugs[:: max(1, len(slugs) // 40)]]
    organisations = Organisation.objects.order_by("pk")[:20]
    pages += [o.get_absolute_url() for o in organisations]
    api = "/api/v1/initiativer/"
    pages += [f"{api}?{query.split('?')[1]}" for query in pages if "kategori=" in query]
    pages += [f"{api}{slug}/" for slug in slugs[:: max(1, len(slugs) // 20)]]
    exports = [
        f"/initiativer/eksport.csv?organisation={o.slug}" for o in organisations[:5]
    ]
    return pages + exports * max(1, len(pages) // (20 * len(exports)))


def queries(only_search: bool = False) -> dict[str, int]:
    """SQL queries per page on a first view (as gunicorn alone renders it), after the
    facet index is built; building it (once per catalogue version and process) is
    counted and timed on its own."""
    from initiatives.listing.count_index import build

    client = Client()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        build()
    counts = {"index build": len(captured)}
    counts["index build seconds"] = round(time.perf_counter() - started, 2)
    current_index()
    for name, url in (search_urls() if only_search else urls()).items():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts[name] = len(captured)
    return counts


def copy_sql() -> str:
    """The full export's query with its parameters filled in, for COPY."""
    from psycopg import ClientCursor

    sql, params = export_rows(
        Initiative.objects.published().order_by("name")
    ).query.sql_with_params()
    connection.ensure_connection()
    return ClientCursor(connection.connection).mogrify(sql, params)


def datasette_db(path: str) -> None:
    """One table, one row per published initiative, with the list's filters as JSON
    arrays of slugs, as a Datasette user would shape it for array facets."""
    relations = {
        "kategori": ("category_assignments__category__slug",),
        "region": ("regions__slug",),
        "maalgruppe": ("target_groups__slug",),
        "organisation": ("involvements__organisation__slug",),
        "organisationstype": ("involvements__organisation__kind",),
        "kilde": ("references__document__slug",),
    }
    published = Initiative.objects.published()
    rows = {
        pk: {
            "id": pk,
            "name": name,
            "slug": slug,
            "summary": summary,
            "start_year": year,
        }
        for pk, name, slug, summary, year in published.values_list(
            "pk", "name", "slug", "summary", "start_year"
        ).iterator(chunk_size=5000)
    }
    for row in rows.values():
        row.update({column: set() for column in relations})
        row["resultater"] = 0
    for column, (lookup,) in relations.items():
        for pk, value in published.values_list("pk", lookup).iterator(chunk_size=5000):
            if value is not None:
                rows[pk][column].add(value)
    for pk in (
        published.filter(outcomes__isnull=False).values_list("pk", flat=True).distinct()
    ):
        rows[pk]["resultater"] = 1
    database = sqlite3.connect(path)
    columns = ["id", "name", "slug", "summary", "start_year", *relations, "resultater"]
    database.execute(
        f"CREATE TABLE initiatives ({', '.join(columns)}, PRIMARY KEY (id))"
    )
    database.executemany(
        f"INSERT INTO initiatives VALUES ({', '.join('?' * len(columns))})",
        (
            [
                json.dumps(sorted(value)) if isinstance(value, set) else value
                for value in (row[column] for column in columns)
            ]
            for row in rows.values()
        ),
    )
    database.commit()
    database.close()


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "urls":
        print(json.dumps(urls()))
    elif command == "load-paths":
        print(" ".join(load_paths()))
    elif command == "queries":
        print(json.dumps(queries()))
    elif command == "search-urls":
        print(json.dumps(search_urls()))
    elif command == "search-queries":
        print(json.dumps(queries(only_search=True)))
    elif command == "copy-sql":
        print(copy_sql())
    elif command == "datasette-db":
        datasette_db(sys.argv[2])
    elif command == "passages":
        print(json.dumps(passages()))

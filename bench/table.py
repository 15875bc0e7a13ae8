"""Prints bench/run's results for one size as a Markdown table.

Usage: table.py RESULTS.jsonl SIZE
"""

import json
import statistics
import sys


def load(path: str, size: int) -> list[dict]:
    with open(path) as lines:
        return [row for row in map(json.loads, lines) if row["size"] == size]


def runs(rows: list[dict], what: str, name: str, clients: int) -> list[dict]:
    return [
        row["wrk"]
        for row in rows
        if (row["what"], row.get("name"), row.get("clients")) == (what, name, clients)
    ]


def wrk(rows: list[dict], what: str, name: str, clients: int) -> dict:
    found = runs(rows, what, name, clients)
    return found[0] if found else {}


def latency(run: dict) -> str:
    return f"{run['p50_ms']:.1f} / {run['p99_ms']:.1f}" if run else "–"


def rate(run: dict) -> str:
    errors = f" ({run['errors']} errors)" if run and run["errors"] else ""
    return f"{run['rps']:.0f}{errors}" if run else "–"


def ratio(ours: dict, other: dict) -> str:
    return (
        f"{ours['rps'] / other['rps']:.2f}" if ours and other and other["rps"] else "–"
    )


def median_ratio(ours: list[dict], others: list[dict]) -> str:
    """The median ratio of runs made in turn, each pair under the same load."""
    pairs = [a["rps"] / b["rps"] for a, b in zip(ours, others, strict=True) if b["rps"]]
    return f"{statistics.median(pairs):.2f}" if pairs else "–"


def latency_ratio(slower: dict, faster: dict) -> str:
    if not (slower and faster and faster["p50_ms"]):
        return "–"
    return f"{slower['p50_ms'] / faster['p50_ms']:.1f}"


def page_table(rows: list[dict]) -> list[str]:
    counts = dict(next(row["counts"] for row in rows if row["what"] == "queries"))
    index_queries = counts.pop("index build", None)
    index_seconds = counts.pop("index build seconds", None)
    static = wrk(rows, "static", "static file", 8)
    datasette = {1: wrk(rows, "datasette", "filtered list", 1)}
    datasette[8] = wrk(rows, "datasette", "filtered list", 8)
    lines = [
        "| page | queries | uncached p50 / p99 ms (1 client) | uncached req/s "
        "(8 clients) | cached p50 / p99 ms | cached req/s | cached / static |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, count in counts.items():
        uncached = {c: wrk(rows, "uncached", name, c) for c in (1, 8)}
        cached = {c: wrk(rows, "cached", name, c) for c in (1, 8)}
        beside = runs(rows, "static beside", name, 8)
        over_static = (
            median_ratio(runs(rows, "cached", name, 8), beside)
            if beside
            else ratio(cached[8], static)
        )
        lines.append(
            f"| {name} | {count} | {latency(uncached[1])} | {rate(uncached[8])} | "
            f"{latency(cached[1])} | {rate(cached[8])} | {over_static} |"
        )
    static_1 = wrk(rows, "static", "static file", 1)
    lines.append(
        f"| static file, same size as the list (ceiling) | – | – | – | "
        f"{latency(static_1)} | {rate(static)} | 1.00 |"
    )
    lines.append(
        f"| Datasette, faceted table, same filters | – | {latency(datasette[1])} | "
        f"{rate(datasette[8])} | – | – | – |"
    )
    uncached = wrk(rows, "uncached", "filtered list", 8)
    cached = wrk(rows, "cached", "filtered list", 8)
    one_client = wrk(rows, "uncached", "filtered list", 1)
    lines += [
        "",
        f"Filtered list / Datasette, req/s: uncached {ratio(uncached, datasette[8])}, "
        f"cached {ratio(cached, datasette[8])}; Datasette's p50 / the uncached "
        f"list's (one client), for when Datasette answers under one request a "
        f"second: {latency_ratio(datasette[1], one_client)}.",
    ]
    if index_queries is not None:
        lines += [
            "",
            f"Count index, built once per catalogue version before the first view "
            f"(and shared by the server processes): {index_queries} queries, "
            f"{index_seconds} s.",
        ]
    return lines


def export_lines(rows: list[dict]) -> list[str]:
    exports = [row for row in rows if row["what"] == "export"]
    copies = [row for row in rows if row["what"] == "copy"]
    if not exports or not copies:
        return []
    size = exports[0]["rows"]
    ours = size / statistics.median(row["seconds"] for row in exports)
    copy = size / statistics.median(row["seconds"] for row in copies)
    peak = max(row["peak_kb"] for row in exports) / 1024
    return [
        "",
        "| CSV export of every initiative | rows/s | server peak memory |",
        "|---|---:|---:|",
        f"| ours (streamed, gunicorn worker) | {ours:,.0f} | {peak:.0f} MB |",
        f"| PostgreSQL COPY of the same columns (ceiling) | {copy:,.0f} | – |",
        f"| ours / COPY | {ours / copy:.2f} | |",
    ]


def main(path: str, size: int) -> None:
    rows = load(path, size)
    generated = next((row["seconds"] for row in rows if row["what"] == "generate"), 0)
    print(f"\n### {size:,} initiatives (database built in {generated} s)\n")
    print("\n".join(page_table(rows) + export_lines(rows)))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

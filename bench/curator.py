"""A curator at work, for bench/curation: renames an initiative every `interval`
seconds for `seconds`, as the admin saves it (the row, then its search text), and
checks how long each change takes to show on the initiative's public page, which
visitors viewed just before the save (so it is cached, the slowest case), on the
page of the list that shows it (the initiatives renamed are the list's first 40, on
its first two pages), and on the search for its name, also viewed just before (a page
named by the catalogue's version, where the first two are named by what they show).
A change counts as shown at the first view that shows it; every later view, each on
a new connection, for WATCHED_AFTER seconds, that does not is a flicker: a reader
who saw the change and then saw it gone.

Usage: curator.py SECONDS BASE_URL [INTERVAL]
Prints one JSON line: saves, their median and slowest time, the median and slowest
delay until a change showed to an anonymous visitor, and the flickers.
"""

import json
import os
import sys
import threading
import time
import urllib.request
from pathlib import Path
from statistics import median
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalogue.settings")

import django  # noqa: E402  (the project must be on the path first)

django.setup()

from initiatives.listing.initiative_list import PAGE_SIZE  # noqa: E402
from initiatives.models import Initiative  # noqa: E402
from initiatives.search import refresh_search_text  # noqa: E402


def shows(url: str, text: str) -> bool:
    with urllib.request.urlopen(url, timeout=30) as response:
        return text in response.read().decode()


GIVE_UP_AFTER = 90  # seconds; a change not shown by then is left out of the figures
WATCHED_AFTER = 5  # seconds a change is watched once shown


def watch(
    url: str, text: str, saved: float, delays: list[float], flickers: list[float]
) -> None:
    """Views every 0.25 s: the delay until the first that shows the change, and
    each later one that does not (seconds after the save)."""
    shown_at = None
    while True:
        asked = time.monotonic()
        if shown_at is None and asked - saved > GIVE_UP_AFTER:
            return
        if shown_at is not None and asked - shown_at > WATCHED_AFTER:
            break
        if shows(url, text):
            shown_at = shown_at or asked
        elif shown_at is not None:
            flickers.append(round(asked - saved, 2))
        time.sleep(0.25)
    delays.append(shown_at - saved)


# The pages watched after each save, as the keys of the figures name them: the
# initiative's own, the list's page that shows it, the search for its name.
WATCHED = ("", "list_", "search_")


def shown_after(kind: str, delays: list[float], flickers: list[float]) -> dict:
    return {
        f"{kind}shown": len(delays),
        f"{kind}shown_after_p50_s": round(median(delays), 2) if delays else None,
        f"{kind}shown_after_max_s": round(max(delays), 2) if delays else None,
        # Views that no longer showed a change already shown, and when.
        f"{kind}flickers": flickers,
    }


def main(seconds: float, base: str, interval: float = 2.0) -> None:
    initiatives = list(
        Initiative.objects.published()
        .order_by("name")
        .values_list("pk", flat=True)[: 2 * PAGE_SIZE]
    )
    save_times, watchers = [], []
    # Per kind of page watched: the delays until each change showed, and flickers.
    watched = {kind: ([], []) for kind in WATCHED}
    run = int(time.time()) % 100_000  # a name not given in an earlier run
    end = time.monotonic() + seconds
    number = 0
    while time.monotonic() < end:
        turn = time.monotonic()
        initiative = Initiative.objects.get(pk=initiatives[number % len(initiatives)])
        url = base + initiative.get_absolute_url()
        searched = (
            base + "/initiativer/?" + urlencode({"q": initiative.name.split(" · ")[0]})
        )
        for _ in range(2):  # kept by the proxy
            shows(url, "")
            shows(searched, "")
        started = time.monotonic()
        # What the pages show once changed; the search may mark the words searched for.
        change = f"ændring {run}-{number:04d}"
        initiative.name = f"{initiative.name.split(' · ')[0]} · {change}"
        initiative.save()
        refresh_search_text(Initiative.objects.filter(pk=initiative.pk))
        saved = time.monotonic()
        save_times.append(saved - started)
        on_page = number % len(initiatives) // PAGE_SIZE + 1
        listed = base + "/initiativer/" + (f"?side={on_page}" if on_page > 1 else "")
        for kind, page in zip(WATCHED, (url, listed, searched), strict=True):
            watcher = threading.Thread(
                target=watch,
                args=(page, change, saved, *watched[kind]),
                daemon=True,
            )
            watcher.start()
            watchers.append(watcher)
        number += 1
        time.sleep(max(0.0, interval - (time.monotonic() - turn)))
    for watcher in watchers:
        watcher.join()
    figures = {
        "saves": len(save_times),
        "save_p50_ms": round(median(save_times) * 1000, 1),
        "save_max_ms": round(max(save_times) * 1000, 1),
    }
    for kind, (delays, flickers) in watched.items():
        figures |= shown_after(kind, delays, flickers)
    print(json.dumps(figures))


if __name__ == "__main__":
    main(float(sys.argv[1]), sys.argv[2].rstrip("/"), *map(float, sys.argv[3:4]))

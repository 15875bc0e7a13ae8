"""Links that change one thing in the current list URL, so the URL stays the state."""

from dataclasses import dataclass

from django.http import QueryDict

from .facets import FACETS


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_url: str
    name: str = ""  # the URL parameter


def without(query: QueryDict, key: str, value: str | None = None) -> str:
    """The query string with `key` (or just its `value`) removed, from page one."""
    remaining = query.copy()
    remaining.pop("side", None)
    if value is None:
        remaining.pop(key, None)
    else:
        remaining.setlist(key, [v for v in remaining.getlist(key) if v != value])
    encoded = remaining.urlencode()
    return f"?{encoded}" if encoded else "?"


def active_filters(query: QueryDict, filterset) -> list[ActiveFilter]:
    """A chip for every chosen facet value, then for the search and the years."""
    chosen = []
    for facet in FACETS:
        value = filterset.facet_values.get(facet.name)
        for shown, url_value in facet.chips(value or []):
            remove = without(query, facet.name, url_value)
            chosen.append(ActiveFilter(str(facet.label), shown, remove, facet.name))
    for name, value in filterset.chosen(["q", "aar_fra", "aar_til"]).items():
        label = str(filterset.filters[name].label)
        chosen.append(ActiveFilter(label, str(value), without(query, name), name))
    return chosen


@dataclass
class Widening:
    label: str
    url: str
    count: int


def ways_to_widen(query: QueryDict, filterset, counts) -> list[Widening]:
    """For a list that shows nothing: each chosen facet, and the search and years,
    with how many initiatives the list shows without it."""
    ways = [
        Widening(str(filterset.filters[name].label), without(query, name), count)
        for name, count in counts.without_each().items()
    ]
    beyond = filterset.chosen(["q", "aar_fra", "aar_til"])
    if beyond:
        url = query.copy()
        for name in beyond:
            url.pop(name, None)
        label = " / ".join(str(filterset.filters[name].label) for name in beyond)
        ways.append(Widening(label, without(url, "side"), counts.without_search()))
    return [way for way in ways if way.count]

"""The initiative list's state for one request, as Django admin's `ChangeList` holds a
model's: the filters and their validation, the search, the counts, the page, the
active-filter chips and the query strings. The list's page, the API, the CSV export
and the feed all read a request through it, so they filter, count and refuse alike.
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponseBadRequest, QueryDict

from ..models import Initiative
from ..search import SearchPlan
from .counting import FacetCounts, ListResults
from .filters import (
    BEYOND_FACETS,
    ORDER_NAME,
    ORDER_RELEVANCE,
    InitiativeFilterSet,
    ListForm,
)

PAGE_SIZE = 20
ORGANISATION_PAGE_SIZE = 50  # an organisation's initiatives on its page


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_url: str
    name: str = ""  # the URL parameter


@dataclass
class Widening:
    label: str
    url: str
    count: int


def page_of(query: QueryDict, object_list, per_page: int = PAGE_SIZE) -> Page:
    """The page the `side` parameter asks for; not found, like the list's, if there is
    no such page."""
    try:
        return Paginator(object_list, per_page).page(query.get("side") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error


def without(query: QueryDict, key: str, value: str | None = None) -> str:
    """The query string with `key` (or just its `value`) removed, from page one, so
    that a link changes one thing and the URL stays the state."""
    remaining = query.copy()
    remaining.pop("side", None)
    if value is None:
        remaining.pop(key, None)
    else:
        remaining.setlist(key, [v for v in remaining.getlist(key) if v != value])
    encoded = remaining.urlencode()
    return f"?{encoded}" if encoded else "?"


class InitiativeList:
    """The published initiatives (or `initiatives`, a queryset of them) that the query
    string `query` asks for."""

    def __init__(self, query: QueryDict, initiatives: QuerySet | None = None):
        if initiatives is None:
            initiatives = Initiative.objects.published()
        self.query = query
        self.filterset = InitiativeFilterSet(query, queryset=initiatives)
        self.is_valid = self.filterset.is_valid()
        self.errors = self.filterset.errors

    def refusal(self, heading: str, *more: str) -> HttpResponseBadRequest | None:
        """The 400 for a query the filters refuse, naming each problem (and `more`),
        in plain text under `heading`; None for a query they accept."""
        problems = [f"{name}: {' '.join(why)}" for name, why in self.errors.items()]
        problems += more
        if not problems:
            return None
        return HttpResponseBadRequest(
            "\n".join([heading, *problems]), content_type="text/plain; charset=utf-8"
        )

    @property
    def search(self) -> str:
        return self.filterset.form.cleaned_data.get("q", "")

    @property
    def search_plan(self) -> SearchPlan:
        """What the search looks for, made once for this request."""
        return self.filterset.search_plan

    @cached_property
    def counts(self) -> FacetCounts:
        return FacetCounts.for_filters(self.filterset)

    def results(self, records: QuerySet | None = None) -> ListResults:
        """The initiatives for a paginator: in order by name or relevance the count
        index pages them, in another order the FilterSet's queryset."""
        in_index_order = self.filterset.ordering in (ORDER_NAME, ORDER_RELEVANCE)
        in_other_order = None if in_index_order else self.filterset.qs
        return ListResults(self.counts, in_other_order, records)

    def page(self) -> Page:
        """The page `side` asks for: of no initiatives if the filters are refused."""
        return page_of(self.query, self.results() if self.is_valid else [])

    def without(self, key: str, value: str | None = None) -> str:
        return without(self.query, key, value)

    def chips(self) -> list[ActiveFilter]:
        """A chip for every chosen facet value, then for the search and the years,
        each with the link that removes it."""
        chosen = []
        for facet, value in self.filterset.facet_values.items():
            for shown, url_value in facet.chips(value):
                remove = self.without(facet.name, url_value)
                chosen.append(ActiveFilter(str(facet.label), shown, remove, facet.name))
        for name, value in self.filterset.chosen(BEYOND_FACETS).items():
            label = self.label(name)
            chosen.append(ActiveFilter(label, str(value), self.without(name), name))
        return chosen

    def ways_to_widen(self) -> list[Widening]:
        """For a list that shows nothing: each chosen facet, and the search and
        years, with how many initiatives the list shows without it."""
        ways = [
            Widening(str(facet.label), self.without(facet.name), count)
            for facet, count in self.counts.without_each().items()
        ]
        beyond = self.filterset.chosen(BEYOND_FACETS)
        if beyond:
            url = self.query.copy()
            for name in beyond:
                url.pop(name, None)
            label = " / ".join(self.label(name) for name in beyond)
            ways.append(
                Widening(label, without(url, "side"), self.counts.without_search())
            )
        return [way for way in ways if way.count]

    @staticmethod
    def parameters() -> list[str]:
        """Every query parameter the list reads: its filters (the facets among them),
        its order and its page."""
        return [*InitiativeFilterSet.base_filters, *ListForm.base_fields, "side"]

    def label(self, name: str) -> str:
        return str(self.filterset.filters[name].label)

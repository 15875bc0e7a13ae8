"""The counting layer: how many initiatives each facet option gives together with the
other chosen filters, which initiatives a page of a list shows, and the counts other
pages show. Answered in memory from the count index (count_index.py), whatever the
size of the catalogue; only a search or a year filter asks the database which
initiatives match.
"""

from dataclasses import dataclass, field
from heapq import nsmallest

from django.db.models import QuerySet

from ..models import Initiative
from ..search import ranked_matches
from .count_index import CountIndex, current_index
from .facets import CATEGORY, FACETS, ORGANISATION, TARGET_GROUP, Facet
from .filters import ORDER_RELEVANCE, InitiativeFilterSet
from .rows import initiatives_with_row_fields, with_row_details


@dataclass
class OptionCount:
    value: str  # in the URL
    key: object  # as stored
    label: str
    count: int
    selected: bool
    is_child: bool = False


@dataclass
class FacetCount:
    name: str
    label: str
    options: list[OptionCount] = field(default_factory=list)
    shows_empty_options: bool = False
    in_name_order: bool = False

    @property
    def has_choices(self) -> bool:
        return self.shows_empty_options or any(
            option.count or option.selected for option in self.options
        )

    @property
    def empty_options(self) -> list[OptionCount]:
        """The options shown that no initiative in the list has."""
        if not self.shows_empty_options:
            return []
        return [o for o in self.options if not o.count and not o.selected]


class FacetCounts:
    """Counts over the index for the chosen facet values (facet -> stored
    values), among the initiatives the search and years let through (`within`)."""

    def __init__(self, index: CountIndex, chosen=None, within=None, by_relevance=None):
        self.index = index
        self.chosen = chosen or {}
        self.within = index.everything if within is None else within
        # When searching: relevance -> the initiatives matching that well.
        self.by_relevance = by_relevance
        self.matching = {
            facet: index.matching(facet, keys) for facet, keys in self.chosen.items()
        }

    @classmethod
    def of(cls, chosen: dict | None = None) -> "FacetCounts":
        """The catalogue's counts, filtered by `chosen` (facet -> stored values)."""
        return cls(current_index(), chosen)

    @classmethod
    def for_filters(
        cls, filterset: InitiativeFilterSet, index: CountIndex | None = None
    ) -> "FacetCounts":
        index = index or current_index()
        chosen = {
            facet: facet.keys_of(value)
            for facet, value in filterset.facet_values.items()
        }
        if not filterset.narrows_beyond_facets:
            return cls(index, chosen)
        # One query gives both what the search and years let through and, when
        # searching, how well each matches, so a page needs no ranking query.
        query = filterset.form.cleaned_data.get("q")
        years = filterset.apply_filters(
            Initiative.objects.published().order_by(),
            leave_out=[facet.name for facet in FACETS] + ["q"],
        )
        if not query:
            within = index.bitset_for_pks(years.values_list("pk", flat=True))
            return cls(index, chosen, within)
        in_years = years if filterset.chosen(["aar_fra", "aar_til"]) else None
        matches = ranked_matches(query, in_years, plan=filterset.search_plan)
        by_relevance = {
            relevance: index.bitset_for_pks(pks) for relevance, pks in matches.items()
        }
        within = 0
        for found in by_relevance.values():
            within |= found
        if filterset.ordering != ORDER_RELEVANCE:
            return cls(index, chosen, within)
        return cls(index, chosen, within, by_relevance)

    def matching_all_but(self, *facets: Facet) -> int:
        """The initiatives every chosen filter but those of `facets` lets through."""
        found = self.within
        for other, matching in self.matching.items():
            if other not in facets:
                found &= matching
        return found

    def total(self) -> int:
        """How many initiatives every chosen filter lets through."""
        return self.matching_all_but().bit_count()

    def pks_on_page(self, page: slice) -> list[int]:
        """A slice of the matching initiatives, the best matches first when
        searching, and otherwise (or then) in order by name."""
        matching = self.matching_all_but()
        if self.by_relevance is None:
            return self.index.pks_at(matching, page)
        pks: list[int] = []
        for _, found in sorted(self.by_relevance.items(), reverse=True):
            pks += self.index.pks_at(found & matching, slice(0, page.stop - len(pks)))
            if len(pks) >= page.stop:
                break
        return pks[page]

    def facet(self, declared: Facet) -> FacetCount:
        """The options of a facet, each counted with every other filter."""
        among = self.matching_all_but(declared)
        counts = self.index.counts(declared, among, declared.most_shown)
        chosen = set(self.chosen.get(declared, ()))
        options = self.index.options[declared]
        if declared.most_shown:
            for key in chosen - counts.keys():
                counts[key] = self.index.count(declared, key, among)
            rank = {option.key: place for place, option in enumerate(options)}
            shown = nsmallest(
                declared.most_shown,
                (option for option in options if counts[option.key]),
                key=lambda option: (-counts[option.key], rank[option.key]),
            )
            shown += [o for o in options if o.key in chosen and o not in shown]
            options = sorted(shown, key=lambda option: -counts[option.key])
        return FacetCount(
            declared.name,
            str(declared.label),
            [
                OptionCount(
                    option.value,
                    option.key,
                    declared.label_of(option.label),
                    counts[option.key],
                    option.key in chosen,
                    option.is_child,
                )
                for option in options
            ],
            declared.shows_empty_options,
            declared.in_name_order,
        )

    def facets(self) -> list[FacetCount]:
        return [self.facet(declared) for declared in FACETS]

    def without_each(self) -> dict[Facet, int]:
        """Chosen facet -> how many initiatives there would be without it: the ways
        to widen a list that shows nothing."""
        return {f: self.matching_all_but(f).bit_count() for f in self.chosen}

    def catalogue_totals(self) -> dict:
        """The front page's figures: published initiatives, the organisations
        taking part in them, and their stated results."""
        return {
            "initiative_count": self.index.everything.bit_count(),
            "organisation_count": len(self.index.sparse[ORGANISATION].positions),
            "outcome_count": self.index.outcome_count,
        }

    def without_any(self, facet: Facet) -> int:
        """How many of the initiatives the chosen filters but the facet's own let
        through have no value at all in it (no category, say)."""
        having = self.index.matching(facet, [o.key for o in self.index.options[facet]])
        return (self.matching_all_but(facet) & ~having).bit_count()

    def having(self, facet: Facet, key, ignoring: tuple[Facet, ...]) -> int:
        """How many of the initiatives the chosen filters but those of facets
        `ignoring` let through have the value `key` (as stored) in `facet`."""
        return self.index.count(facet, key, self.matching_all_but(*ignoring))

    def without_search(self) -> int:
        """How many the chosen facets give without the search and years."""
        return FacetCounts(self.index, self.chosen).total()


class ListResults:
    """A list's initiatives for the paginator, which need not count them: the index
    knows how many match and, in order by name or relevance, which are on a page;
    another order pages `in_other_order`, the FilterSet's queryset. A page's
    initiatives are read from `records` (the API's, with everything it shows), or
    else as the list's rows."""

    def __init__(
        self,
        counts: FacetCounts,
        in_other_order: QuerySet | None = None,
        records: QuerySet | None = None,
    ):
        # Not named `ordered`: Django's Paginator reads an attribute of that name as
        # a boolean, which would fetch the whole queryset.
        self.counts, self.in_other_order, self.records = counts, in_other_order, records
        self.length = counts.total()

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, page: slice | int) -> list:
        if isinstance(page, int):
            return self[page : page + 1][0]
        if self.in_other_order is not None:
            found = list(self.in_other_order[page])
        else:
            pks = self.counts.pks_on_page(page)
            source = self.records
            if source is None:  # not `or`: a QuerySet's truth value fetches it
                source = initiatives_with_row_fields()
            by_pk = source.in_bulk(pks)
            found = [by_pk[pk] for pk in pks if pk in by_pk]
        return found if self.records is not None else with_row_details(found)


def with_initiative_counts(records, facet: Facet) -> list:
    """The records, each with `initiative_count`: how many published initiatives the
    list shows when filtered by it (a main category counts its subcategories')."""
    index = current_index()
    counts = index.counts(facet, index.everything)
    records = list(records)
    for record in records:
        record.initiative_count = counts[record.pk]
    return records


def initiatives_having(
    facet: Facet, value, index: CountIndex | None = None
) -> list[int]:
    """The published initiatives with `value` in a facet, in order by name."""
    index = index or current_index()
    return index.pks_at(index.matching(facet, [value]), slice(None))


def related_initiatives(
    pk: int, index: CountIndex | None = None, how_many: int = 6
) -> list[int]:
    """Others in the same subcategories or for the same target groups, those sharing
    most first, then in order by name."""
    index = index or current_index()
    subcategories = {o.key for o in index.options[CATEGORY] if o.is_child}
    shared = [
        (CATEGORY, key) for key in index.values_of(pk, CATEGORY) if key in subcategories
    ] + [(TARGET_GROUP, key) for key in index.values_of(pk, TARGET_GROUP)]
    return index.most_shared(pk, shared, how_many)

"""Facet counts for the initiative list: for each filter, how many initiatives each
option would give together with the other filters the user has chosen.

Counted in memory over the facet index (`facet_index.py`), whatever the size of the
catalogue; only a search or a year filter asks the database which initiatives match.
"""

from dataclasses import dataclass, field
from heapq import nsmallest

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .facet_index import FacetIndex, current_index, plain_rows, positions_of
from .filters import InitiativeFilterSet, is_chosen
from .i18n import localized_name
from .models import Organisation
from .rows import with_row_details

MOST_ORGANISATIONS_SHOWN = 25


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    is_child: bool = False


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)

    @property
    def has_choices(self) -> bool:
        return any(option.count or option.selected for option in self.options)


class FacetCounter:
    """Counts facet options under the chosen filters, as bitsets over the index."""

    def __init__(
        self,
        index: FacetIndex,
        chosen=None,
        with_outcomes=False,
        among=None,
        by_relevance=None,
    ):
        self.index = index
        self.chosen = chosen or {}  # facet name -> chosen objects (or kinds)
        self.with_outcomes = with_outcomes
        self.among = index.everything if among is None else among
        # When searching: relevance -> the initiatives matching that well.
        self.by_relevance = by_relevance
        self.matching = {
            name: index.matching(name, [getattr(v, "pk", v) for v in values])
            for name, values in self.chosen.items()
        }
        if with_outcomes:
            self.matching["resultater"] = index.matching("resultater", [True])

    @classmethod
    def for_filters(cls, filterset: InitiativeFilterSet, published: QuerySet):
        index = current_index()
        data = filterset.form.cleaned_data
        among = by_relevance = None
        if any(is_chosen(data.get(name)) for name in filterset.NOT_FACETS):
            # One query gives both what the search and years let through and, when
            # searching, how well each matches, so a page needs no ranking query.
            matches = filterset.apply_filters(
                published.order_by(), leave_out=filterset.FACETS
            )
            if filterset.ordering == filterset.ORDER_RELEVANCE:
                by_relevance = index.bitsets_by_value(
                    plain_rows(matches.values_list("pk", "relevance"))
                )
                among = 0
                for found in by_relevance.values():
                    among |= found
            else:
                among = index.bitset_for_pks(matches.values_list("pk", flat=True))
        chosen = {
            name: list(data[name])
            for name in filterset.FACETS
            if name != "resultater" and is_chosen(data.get(name))
        }
        return cls(index, chosen, bool(data.get("resultater")), among, by_relevance)

    def others(self, name: str) -> int:
        """The initiatives every chosen filter but `name` lets through."""
        found = self.among
        for other, matching in self.matching.items():
            if other != name:
                found &= matching
        return found

    def total(self) -> int:
        """How many initiatives every chosen filter lets through."""
        return self.others("").bit_count()

    def pks_on_page(self, page: slice) -> list[int]:
        """A slice of the matching initiatives, the best matches first when
        searching, and otherwise (or then) in order by name."""
        matching = self.others("")
        levels = [matching]
        if self.by_relevance is not None:
            levels = [
                found & matching
                for _, found in sorted(self.by_relevance.items(), reverse=True)
            ]
        positions: list[int] = []
        for level in levels:
            positions += positions_of(level, enough=page.stop - len(positions))
            if len(positions) >= page.stop:
                break
        return [self.index.pks[position] for position in positions[page]]

    def selected(self, name: str) -> set[str]:
        return {getattr(v, "slug", v) for v in self.chosen.get(name, [])}

    def facet(self, name: str, label: str, choices) -> Facet:
        """`choices`: (value in the URL, value in the index, label, is a child)."""
        among, selected = self.others(name), self.selected(name)
        return Facet(
            name,
            label,
            [
                FacetOption(
                    value,
                    text,
                    self.index.count(name, key, among),
                    value in selected,
                    is_child=is_child,
                )
                for value, key, text, is_child in choices
            ],
        )

    def organisation_kinds(self) -> Facet:
        kinds = Organisation.Kind.choices
        return self.facet(
            "organisationstype",
            _("Organisationstype"),
            [(kind, kind, str(text), False) for kind, text in kinds],
        )

    def organisations(self) -> Facet:
        """The organisations with most initiatives, and every chosen one."""
        index: FacetIndex = self.index
        counts = index.organisation_counts(self.others("organisation"))
        rank = index.organisation_rank
        top = nsmallest(
            MOST_ORGANISATIONS_SHOWN, counts, key=lambda pk: (-counts[pk], rank[pk])
        )
        chosen = self.chosen.get("organisation", [])
        shown = top + [o.pk for o in chosen if o.pk not in top]
        selected = {o.pk for o in chosen}
        options = [
            FacetOption(
                index.organisations[pk].slug,
                index.organisations[pk].name,
                counts.get(pk, 0),
                pk in selected,
            )
            for pk in shown
        ]
        options.sort(key=lambda option: -option.count)
        return Facet("organisation", _("Organisation"), options)

    def outcomes(self) -> Facet:
        count = self.index.count("resultater", True, self.others("resultater"))
        return Facet(
            "resultater",
            _("Resultater"),
            [FacetOption("1", _("Med resultater"), count, self.with_outcomes)],
        )

    def categories(self) -> Facet:
        return self.facet("kategori", _("Kategori"), choices(self.index.categories))

    def target_groups(self) -> Facet:
        groups = choices(self.index.target_groups)
        return self.facet("maalgruppe", _("Målgruppe"), groups)

    def regions(self) -> Facet:
        return self.facet("region", _("Region"), choices(self.index.regions))

    def sources(self) -> Facet:
        return self.facet("kilde", _("Kilde"), choices(self.index.documents, str))


def choices(objects, name_of=localized_name) -> list[tuple]:
    """Facet choices for records with a slug; a subcategory is a child."""
    return [
        (obj.slug, obj.pk, name_of(obj), getattr(obj, "parent_id", None) is not None)
        for obj in objects
    ]


class CountedResults:
    """The list's initiatives for the paginator, which need not count them: the
    index knows how many match and, in order by name or relevance, which are on a
    page; another order asks `queryset`."""

    def __init__(self, counter: FacetCounter, queryset: QuerySet, in_index_order: bool):
        self.counter, self.queryset = counter, queryset
        self.in_index_order = in_index_order
        self.length = counter.total()

    def __len__(self) -> int:
        return self.length

    def __iter__(self):
        return iter(self[0 : self.length])

    def __getitem__(self, page: slice | int) -> list:
        if isinstance(page, int):
            return self[page : page + 1][0]
        if not self.in_index_order:
            return with_row_details(self.queryset[page])
        pks = self.counter.pks_on_page(page)
        found = {
            initiative.pk: initiative for initiative in self.queryset.filter(pk__in=pks)
        }
        return with_row_details(found[pk] for pk in pks if pk in found)


def facets_for(counter: FacetCounter) -> list[Facet]:
    return [
        counter.categories(),
        counter.target_groups(),
        counter.regions(),
        counter.organisation_kinds(),
        counter.organisations(),
        counter.sources(),
        counter.outcomes(),
    ]

"""Facet counts for the initiative list: for each filter, how many initiatives each
option would give together with the other filters the user has chosen.

Counted in memory over the facet index (`facet_index.py`), whatever the size of the
catalogue; only a search or a year filter asks the database which initiatives match.
"""

from dataclasses import dataclass, field
from heapq import nsmallest

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .facet_index import FacetIndex, current_index, positions_of
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

    def __init__(self, index: FacetIndex, chosen=None, with_outcomes=False, among=None):
        self.index = index
        self.chosen = chosen or {}  # facet name -> chosen objects (or kinds)
        self.with_outcomes = with_outcomes
        self.among = index.everything if among is None else among
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
        among = None
        if any(is_chosen(data.get(name)) for name in filterset.NOT_FACETS):
            among = index.bitset_for_pks(
                filterset.apply_filters(
                    published, leave_out=filterset.FACETS
                ).values_list("pk", flat=True)
            )
        chosen = {
            name: list(data[name])
            for name in filterset.FACETS
            if name != "resultater" and is_chosen(data.get(name))
        }
        return cls(index, chosen, bool(data.get("resultater")), among)

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

    def pks_in_name_order(self, page: slice) -> list[int]:
        """A slice of the matching initiatives in the list's order by name."""
        positions = positions_of(self.others(""), enough=page.stop)[page]
        return [self.index.pks[position] for position in positions]

    def selected(self, name: str) -> set[str]:
        return {getattr(v, "slug", v) for v in self.chosen.get(name, [])}

    def facet(self, name, label, objects, name_of=localized_name, is_child=None):
        among, selected = self.others(name), self.selected(name)
        return Facet(
            name,
            label,
            [
                FacetOption(
                    obj.slug,
                    name_of(obj),
                    self.index.count(name, obj.pk, among),
                    obj.slug in selected,
                    is_child=bool(is_child and is_child(obj)),
                )
                for obj in objects
            ],
        )

    def organisation_kinds(self) -> Facet:
        name = "organisationstype"
        among, selected = self.others(name), self.selected(name)
        return Facet(
            name,
            _("Organisationstype"),
            [
                FacetOption(
                    kind,
                    str(label),
                    self.index.count(name, kind, among),
                    kind in selected,
                )
                for kind, label in Organisation.Kind.choices
            ],
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
        return self.facet(
            "kategori",
            _("Kategori"),
            self.index.categories,
            is_child=lambda category: category.parent_id is not None,
        )

    def target_groups(self) -> Facet:
        return self.facet("maalgruppe", _("Målgruppe"), self.index.target_groups)

    def regions(self) -> Facet:
        return self.facet("region", _("Region"), self.index.regions)

    def sources(self) -> Facet:
        return self.facet("kilde", _("Kilde"), self.index.documents, name_of=str)


class CountedResults:
    """The list's initiatives for the paginator, which need not count them: the
    index knows how many match and, in the order by name, which are on a page."""

    def __init__(self, counter: FacetCounter, queryset: QuerySet, by_name: bool):
        self.counter, self.queryset, self.by_name = counter, queryset, by_name
        self.length = counter.total()

    def __len__(self) -> int:
        return self.length

    def __iter__(self):
        return iter(self[0 : self.length])

    def __getitem__(self, page: slice | int) -> list:
        if isinstance(page, int):
            return self[page : page + 1][0]
        if not self.by_name:
            return with_row_details(self.queryset[page])
        pks = self.counter.pks_in_name_order(page)
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

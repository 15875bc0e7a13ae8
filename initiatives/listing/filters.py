"""The initiative list's filters: one FilterSet for the page, its facet counts, the CSV
export and the API, so that what a user sees is what they download.

The facets' filters come from the registry in facets.py; the search, the years and the
order are the list's own. Relations are filtered with EXISTS subqueries, so an
initiative never appears twice and the query needs no DISTINCT.
"""

from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ..models import Initiative
from ..search import (
    MAX_QUERY_LENGTH,
    SearchPlan,
    relevance_ordering,
    search_initiatives,
    search_plan,
)
from .facets import FACETS

FIRST_YEAR, LAST_YEAR = 1900, 2100
ORDER_RELEVANCE, ORDER_NAME, ORDER_NEWEST = "relevans", "navn", "nyeste"
# The list's own filters, which the count index cannot answer without the database.
BEYOND_FACETS = ("q", "aar_fra", "aar_til")


class LenientChoiceField(forms.ChoiceField):
    """An unknown choice is no error but no choice: a visitor who edits the URL gets
    the default order instead of an empty list."""

    def clean(self, value):
        return value if self.valid_value(value) else ""


class ListForm(forms.Form):
    sortering = LenientChoiceField(
        label=_("Sortering"),
        required=False,
        choices=[
            (ORDER_RELEVANCE, _("Relevans")),
            (ORDER_NAME, _("Navn")),
            (ORDER_NEWEST, _("Nyeste")),
        ],
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("aar_fra"), data.get("aar_til")
        if first and last and first > last:
            raise ValidationError(
                _("Fra år (%(first)d) ligger efter til år (%(last)d)."),
                params={"first": first, "last": last},
            )
        return data


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


def is_chosen(value) -> bool:
    """Whether a cleaned filter value asks for anything; an unused choice field
    gives an empty queryset, which must not filter everything away."""
    if isinstance(value, QuerySet):
        return not value.query.is_empty()
    return value not in (None, "", [], (), False)


class InitiativeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Søg"), method="filter_search", max_length=MAX_QUERY_LENGTH
    )
    aar_fra = YearFilter(label=_("Fra år"), method="filter_from_year")
    aar_til = YearFilter(label=_("Til år"), method="filter_to_year")

    class Meta:
        model = Initiative
        fields: list[str] = []
        form = ListForm

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        filters.update({facet.name: facet.filter() for facet in FACETS})
        return filters

    @cached_property
    def search_plan(self) -> SearchPlan:
        """What the search looks for: made once, for the filtered queryset, the
        counts and the page's notices alike (a plan costs a few queries)."""
        return search_plan(self.form.cleaned_data.get("q", ""))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_initiatives(queryset, value, plan=self.search_plan)

    def filter_from_year(self, queryset, name, value):
        # An initiative without an end year is taken to be still running.
        return queryset.filter(
            Q(end_year__gte=value) | Q(end_year__isnull=True, start_year__isnull=False)
        )

    def filter_to_year(self, queryset, name, value):
        return queryset.filter(
            Q(start_year__lte=value) | Q(start_year__isnull=True, end_year__lte=value)
        )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.order(self.apply_filters(queryset))

    def apply_filters(self, queryset: QuerySet, leave_out=()) -> QuerySet:
        """Every chosen filter but those named in `leave_out`."""
        for name, filter_ in self.filters.items():
            value = self.form.cleaned_data.get(name)
            if name not in leave_out and is_chosen(value):
                queryset = filter_.filter(queryset, value)
        return queryset

    def chosen(self, names) -> dict:
        """The cleaned values of those of `names` that ask for anything."""
        data = self.form.cleaned_data
        return {name: data[name] for name in names if is_chosen(data.get(name))}

    @property
    def facet_values(self) -> dict:
        """Facet -> its cleaned value, for the facets that ask for anything."""
        data = self.form.cleaned_data
        return {f: data[f.name] for f in FACETS if is_chosen(data.get(f.name))}

    @property
    def narrows_beyond_facets(self) -> bool:
        """Whether the search or the years narrow the list, which the count index
        cannot answer without the database."""
        return bool(self.chosen(BEYOND_FACETS))

    @property
    def is_whole_catalogue(self) -> bool:
        """Whether every initiative passes (in whichever order)."""
        return not self.chosen(self.filters)

    @property
    def ordering(self) -> str:
        chosen = self.form.cleaned_data.get("sortering") if self.is_bound else ""
        searching = bool(self.is_bound and self.form.cleaned_data.get("q"))
        if chosen == ORDER_RELEVANCE and not searching:
            chosen = ""
        return chosen or (ORDER_RELEVANCE if searching else ORDER_NAME)

    def order(self, queryset: QuerySet) -> QuerySet:
        if self.ordering == ORDER_RELEVANCE:
            return queryset.order_by(*relevance_ordering())
        if self.ordering == ORDER_NEWEST:
            return queryset.order_by(
                F("start_year").desc(nulls_last=True), "name", "pk"
            )
        return queryset.order_by("name", "pk")

"""The initiative list's filters: one FilterSet for the page, its facet counts and the
CSV export, so that what a user sees is what they download.

Relations are filtered with EXISTS subqueries, so an initiative never appears twice and
the query needs no DISTINCT.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import (
    Category,
    CategoryAssignment,
    Initiative,
    Involvement,
    Organisation,
    Outcome,
    Region,
    SourceDocument,
    SourceReference,
    TargetGroup,
)
from .search import MAX_QUERY_LENGTH, relevance_ordering, search_initiatives

MAX_CHOICES_PER_FILTER = 20
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")
FIRST_YEAR, LAST_YEAR = 1900, 2100


class BoundedSlugChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Refuses malformed or too many slugs before the database ever sees them."""

    def clean(self, value):
        values = [v for v in value or [] if v != ""]
        if len(values) > MAX_CHOICES_PER_FILTER:
            raise ValidationError(
                _("Vælg højst %(max)d værdier."), params={"max": MAX_CHOICES_PER_FILTER}
            )
        if any(not isinstance(v, str) or not SLUG.match(v) for v in values):
            raise ValidationError(_("Ukendt værdi."))
        return super().clean(values)


class SlugFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = BoundedSlugChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class BoundedChoiceField(django_filters.fields.MultipleChoiceField):
    def clean(self, value):
        if value and len(value) > MAX_CHOICES_PER_FILTER:
            raise ValidationError(_("Ukendt værdi."))
        return super().clean(value)


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


def related_exists(model, **lookups) -> Exists:
    return Exists(model.objects.filter(initiative=OuterRef("pk"), **lookups))


def in_categories(categories) -> Exists:
    """Assigned to one of `categories`, where a main category includes everything in
    its subcategories."""
    return related_exists(CategoryAssignment, category__in=categories) | related_exists(
        CategoryAssignment, category__parent__in=categories
    )


class InitiativeFilterSet(django_filters.FilterSet):
    ORDER_RELEVANCE, ORDER_NAME, ORDER_NEWEST = "relevans", "navn", "nyeste"

    q = django_filters.CharFilter(
        label=_("Søg"), method="filter_search", max_length=MAX_QUERY_LENGTH
    )
    kategori = SlugFilter(
        label=_("Kategori"), queryset=Category.objects.all(), method="filter_categories"
    )
    maalgruppe = SlugFilter(
        label=_("Målgruppe"),
        queryset=TargetGroup.objects.all(),
        method="filter_target_groups",
    )
    region = SlugFilter(
        label=_("Region"), queryset=Region.objects.all(), method="filter_regions"
    )
    organisation = SlugFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        method="filter_organisations",
    )
    organisationstype = django_filters.MultipleChoiceFilter(
        label=_("Organisationstype"),
        choices=Organisation.Kind.choices,
        method="filter_organisation_kinds",
    )
    organisationstype.field_class = BoundedChoiceField
    kilde = SlugFilter(
        label=_("Kilde"), queryset=SourceDocument.objects.all(), method="filter_sources"
    )
    aar_fra = YearFilter(label=_("Fra år"), method="filter_from_year")
    aar_til = YearFilter(label=_("Til år"), method="filter_to_year")
    resultater = django_filters.BooleanFilter(
        label=_("Kun indsatser med resultater"),
        method="filter_with_outcomes",
        widget=forms.CheckboxInput,
    )
    sortering = django_filters.ChoiceFilter(
        label=_("Sortering"),
        choices=[
            (ORDER_RELEVANCE, _("Relevans")),
            (ORDER_NAME, _("Navn")),
            (ORDER_NEWEST, _("Nyeste")),
        ],
        method="keep_queryset",
        empty_label=None,
    )

    FACETS = [
        "kategori",
        "maalgruppe",
        "region",
        "organisationstype",
        "organisation",
        "kilde",
        "resultater",
    ]
    NOT_FACETS = ["q", "aar_fra", "aar_til"]

    class Meta:
        model = Initiative
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_initiatives(queryset, value)

    def filter_categories(self, queryset, name, value):
        return queryset.filter(in_categories(value))

    def filter_target_groups(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Initiative.target_groups.through.objects.filter(
                    initiative=OuterRef("pk"), targetgroup__in=value
                )
            )
        )

    def filter_regions(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Initiative.regions.through.objects.filter(
                    initiative=OuterRef("pk"), region__in=value
                )
            )
        )

    def filter_organisations(self, queryset, name, value):
        return queryset.filter(related_exists(Involvement, organisation__in=value))

    def filter_organisation_kinds(self, queryset, name, value):
        return queryset.filter(
            related_exists(Involvement, organisation__kind__in=value)
        )

    def filter_sources(self, queryset, name, value):
        return queryset.filter(related_exists(SourceReference, document__in=value))

    def filter_from_year(self, queryset, name, value):
        # An initiative without an end year is taken to be still running.
        return queryset.filter(
            Q(end_year__gte=value) | Q(end_year__isnull=True, start_year__isnull=False)
        )

    def filter_to_year(self, queryset, name, value):
        return queryset.filter(
            Q(start_year__lte=value) | Q(start_year__isnull=True, end_year__lte=value)
        )

    def filter_with_outcomes(self, queryset, name, value):
        if value:
            return queryset.filter(related_exists(Outcome))
        return queryset

    def keep_queryset(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.order(self.apply_filters(queryset))

    def apply_filters(self, queryset: QuerySet, leave_out=()) -> QuerySet:
        """Every chosen filter but those named in `leave_out`."""
        for name, value in self.form.cleaned_data.items():
            if name not in leave_out and is_chosen(value):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def ordering(self) -> str:
        chosen = self.form.cleaned_data.get("sortering") if self.is_bound else ""
        searching = bool(self.is_bound and self.form.cleaned_data.get("q"))
        if chosen == self.ORDER_RELEVANCE and not searching:
            chosen = ""
        return chosen or (self.ORDER_RELEVANCE if searching else self.ORDER_NAME)

    def order(self, queryset: QuerySet) -> QuerySet:
        if self.ordering == self.ORDER_RELEVANCE:
            return queryset.order_by(*relevance_ordering())
        if self.ordering == self.ORDER_NEWEST:
            return queryset.order_by(
                F("start_year").desc(nulls_last=True), "name", "pk"
            )
        return queryset.order_by("name", "pk")

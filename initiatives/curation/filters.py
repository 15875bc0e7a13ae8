"""The admin's list filters: the public list's facets, and what needs fixing."""

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from ..listing.facets import CATEGORY, FACETS, RESULTS, SOURCE, TARGET_GROUP, Facet
from ..models import Organisation


def facet_filters() -> list[type[admin.SimpleListFilter]]:
    """The public list's facets that the admin offers (`in_admin`), each with the
    same parameter, choices and meaning. Filtered by EXISTS, not by Django's filters
    across a many-to-many, which make the admin count DISTINCT whole rows of the
    catalogue."""
    return [facet_filter(declared) for declared in FACETS if declared.in_admin]


def facet_filter(declared: Facet) -> type[admin.SimpleListFilter]:
    class FacetFilter(admin.SimpleListFilter):
        title = declared.label
        parameter_name = declared.name

        def lookups(self, request, model_admin):
            return [
                (option.value, declared.label_of(option.label))
                for option in declared.options()
            ]

        def queryset(self, request, queryset):
            chosen = [o.key for o in declared.options() if o.value == self.value()]
            if chosen:
                return queryset.filter(declared.condition(chosen))
            return queryset

    FacetFilter.__name__ = f"{declared.name.capitalize()}Filter"
    return FacetFilter


class MissingFilter(admin.SimpleListFilter):
    """What curators should fix first: initiatives that lack something."""

    title = _("mangler")
    parameter_name = "mangler"

    # Each a facet whose relation the initiative has no row of.
    lacking = [
        (SOURCE, _("kildehenvisning")),
        (TARGET_GROUP, _("målgruppe")),
        (CATEGORY, _("kategori")),
        (RESULTS, _("resultater")),
    ]

    def lookups(self, request, model_admin):
        return [(facet.name, label) for facet, label in self.lacking]

    def queryset(self, request, queryset):
        for facet, _label in self.lacking:
            if self.value() == facet.name:
                rows = facet.relation.objects.filter(initiative=OuterRef("pk"))
                return queryset.exclude(Exists(rows))
        return queryset


class DuplicateNameFilter(admin.SimpleListFilter):
    """Organisations whose names differ only in case and surrounding spaces."""

    title = _("mulige dubletter")
    parameter_name = "dubletter"

    def lookups(self, request, model_admin):
        return [("ja", _("samme navn som en anden"))]

    def queryset(self, request, queryset):
        if self.value() != "ja":
            return queryset
        same_name = (
            Organisation.objects.annotate(key=Lower(Trim("name")))
            .values("key")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values("key")
        )
        return queryset.annotate(key=Lower(Trim("name"))).filter(key__in=same_name)


class EnglishFilter(admin.SimpleListFilter):
    """Initiatives whose English translation needs a curator: missing, or older
    than the Danish it was translated from."""

    title = _("engelsk oversættelse")
    parameter_name = "engelsk"

    def lookups(self, request, model_admin):
        return [
            ("aeldre", _("ældre end den danske tekst")),
            ("mangler", _("mangler")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "aeldre":
            return queryset.english_behind()
        if self.value() == "mangler":
            return queryset.without_english()
        return queryset

"""The admin's list filters: the public list's facets, and what needs fixing."""

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from .facets import facet
from .models import CategoryAssignment, Organisation, Outcome, SourceReference


def facet_filter(name: str) -> type[admin.SimpleListFilter]:
    """An admin list filter for one of the public list's facets: the same
    parameter, choices and meaning."""
    declared = facet(name)

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

    FacetFilter.__name__ = f"{name.capitalize()}Filter"
    return FacetFilter


class MissingFilter(admin.SimpleListFilter):
    """What curators should fix first: initiatives that lack something."""

    title = _("mangler")
    parameter_name = "mangler"

    def lookups(self, request, model_admin):
        return [
            ("kilde", _("kildehenvisning")),
            ("maalgruppe", _("målgruppe")),
            ("kategori", _("kategori")),
            ("resultater", _("resultater")),
        ]

    def queryset(self, request, queryset):
        relation = {
            "kilde": SourceReference,
            "kategori": CategoryAssignment,
            "resultater": Outcome,
        }.get(self.value())
        if relation:
            return queryset.exclude(
                Exists(relation.objects.filter(initiative=OuterRef("pk")))
            )
        if self.value() == "maalgruppe":
            return queryset.filter(target_groups__isnull=True)
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

"""The admin's list filters: what curators look for, and what needs fixing."""

from django.contrib import admin
from django.db.models import Count
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from .filters import in_categories, related_exists
from .models import (
    Category,
    CategoryAssignment,
    Involvement,
    Organisation,
    Outcome,
    SourceDocument,
    SourceReference,
)


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
            return queryset.exclude(related_exists(relation))
        if self.value() == "maalgruppe":
            return queryset.filter(target_groups__isnull=True)
        return queryset


class SourceFilter(admin.SimpleListFilter):
    title = _("kilde")
    parameter_name = "kilde"

    def lookups(self, request, model_admin):
        return [(doc.code, str(doc)) for doc in SourceDocument.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                related_exists(SourceReference, document__code=self.value())
            )
        return queryset


class OrganisationKindFilter(admin.SimpleListFilter):
    title = _("organisationstype")
    parameter_name = "organisationstype"

    def lookups(self, request, model_admin):
        return Organisation.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                related_exists(Involvement, organisation__kind=self.value())
            )
        return queryset


class CategoryFilter(admin.SimpleListFilter):
    title = _("kategori")
    parameter_name = "kategori"

    def lookups(self, request, model_admin):
        return [(c.slug, str(c)) for c in Category.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                in_categories(Category.objects.filter(slug=self.value()))
            )
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

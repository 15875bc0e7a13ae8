"""Facet counts for the initiative list: for each filter, how many initiatives each
option would give together with the other filters the user has chosen.

One or two grouped queries per facet, whatever the size of the catalogue.
"""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .filters import InitiativeFilterSet, related_exists
from .i18n import localized_name
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


def _counts(rows, key: str) -> dict:
    return {row[key]: row["n"] for row in rows}


def selected_values(filterset: InitiativeFilterSet, name: str) -> set[str]:
    chosen = filterset.form.cleaned_data.get(name) or []
    return {getattr(item, "slug", item) for item in chosen}


def category_facet(initiatives: QuerySet, selected=frozenset()) -> Facet:
    assignments = CategoryAssignment.objects.filter(initiative__in=initiatives)
    by_category = _counts(
        assignments.values("category").annotate(n=Count("initiative", distinct=True)),
        "category",
    )
    by_main = _counts(
        assignments.values(main=Coalesce("category__parent", "category")).annotate(
            n=Count("initiative", distinct=True)
        ),
        "main",
    )
    return Facet(
        "kategori",
        _("Kategori"),
        [
            FacetOption(
                category.slug,
                localized_name(category),
                (by_category if category.parent_id else by_main).get(category.pk, 0),
                category.slug in selected,
                is_child=category.parent_id is not None,
            )
            for category in Category.objects.all()
        ],
    )


def through_facet(initiatives, name, label, relation, model, selected=frozenset()):
    through = getattr(Initiative, relation).through
    column = model._meta.model_name
    counts = _counts(
        through.objects.filter(initiative__in=initiatives)
        .values(column)
        .annotate(n=Count("initiative")),
        column,
    )
    return Facet(
        name,
        label,
        [
            FacetOption(
                obj.slug,
                localized_name(obj),
                counts.get(obj.pk, 0),
                obj.slug in selected,
            )
            for obj in model.objects.all()
        ],
    )


def organisation_kind_facet(initiatives, selected=frozenset()) -> Facet:
    counts = _counts(
        Involvement.objects.filter(initiative__in=initiatives)
        .values("organisation__kind")
        .annotate(n=Count("initiative", distinct=True)),
        "organisation__kind",
    )
    return Facet(
        "organisationstype",
        _("Organisationstype"),
        [
            FacetOption(kind, str(label), counts.get(kind, 0), kind in selected)
            for kind, label in Organisation.Kind.choices
        ],
    )


def organisation_facet(initiatives, selected=frozenset()) -> Facet:
    """The organisations with most initiatives, and every chosen one."""
    top = list(
        Involvement.objects.filter(initiative__in=initiatives)
        .values("organisation")
        .annotate(n=Count("initiative", distinct=True))
        .order_by("-n", "organisation__name")[:MOST_ORGANISATIONS_SHOWN]
    )
    counts = _counts(top, "organisation")
    organisations = Organisation.objects.filter(
        pk__in=counts
    ) | Organisation.objects.filter(slug__in=selected)
    options = [
        FacetOption(org.slug, org.name, counts.get(org.pk, 0), org.slug in selected)
        for org in organisations
    ]
    options.sort(key=lambda option: -option.count)
    return Facet("organisation", _("Organisation"), options)


def source_facet(initiatives, selected=frozenset()) -> Facet:
    counts = _counts(
        SourceReference.objects.filter(initiative__in=initiatives)
        .values("document")
        .annotate(n=Count("initiative", distinct=True)),
        "document",
    )
    return Facet(
        "kilde",
        _("Kilde"),
        [
            FacetOption(doc.slug, str(doc), counts.get(doc.pk, 0), doc.slug in selected)
            for doc in SourceDocument.objects.all()
        ],
    )


def outcome_facet(initiatives, selected: bool = False) -> Facet:
    count = initiatives.filter(related_exists(Outcome)).count()
    return Facet(
        "resultater",
        _("Resultater"),
        [FacetOption("1", _("Med resultater"), count, selected)],
    )


def facets_for(filterset: InitiativeFilterSet, published: QuerySet) -> list[Facet]:
    def others(name: str) -> QuerySet:
        return filterset.apply_filters(published, leave_out=name).values("pk")

    def chosen(name: str) -> set[str]:
        return selected_values(filterset, name)

    return [
        category_facet(others("kategori"), chosen("kategori")),
        through_facet(
            others("maalgruppe"),
            "maalgruppe",
            _("Målgruppe"),
            "target_groups",
            TargetGroup,
            chosen("maalgruppe"),
        ),
        through_facet(
            others("region"), "region", _("Region"), "regions", Region, chosen("region")
        ),
        organisation_kind_facet(
            others("organisationstype"), chosen("organisationstype")
        ),
        organisation_facet(others("organisation"), chosen("organisation")),
        source_facet(others("kilde"), chosen("kilde")),
        outcome_facet(
            filterset.apply_filters(published, leave_out="resultater"),
            bool(filterset.form.cleaned_data.get("resultater")),
        ),
    ]

"""The initiative list's facets, each declared once.

A facet is a URL parameter that narrows the list to initiatives having any of the
chosen values, and whose options the list counts. Everything else is derived from the
entries in `FACETS`: the FilterSet's filters (filters.py), the counts and the order
of the list's pages (counting.py), the active-filter chips (initiative_list.py), the
admin's list filters (curation/filters.py) and the API's parameters
(api/parameters.py). Adding a facet is one named entry here, plus the migration for
its field if the field is new. Code refers to a facet by its name here (`CATEGORY`),
not by its parameter.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import django_filters
from django import forms
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..aggregates import joined_numbers
from ..i18n import localized_name
from ..models import (
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
from ..models.organisations import PATHS_UP_FROM_INVOLVEMENT
from .filter_fields import BoundedChoiceField, BoundedSlugChoiceField


@dataclass(frozen=True)
class Option:
    """One value a facet offers: `value` in the URL, `key` in the count index."""

    value: str
    key: object
    label: object  # a record or a lazy text; shown through the facet's `label_of`
    is_child: bool = False


class Facet:
    """Initiatives having any of the chosen values, through rows of `relation` (a
    model with an `initiative` key) whose `paths` lead to the value; one path is
    enough, so a second path widens the facet (a main category's subcategories).
    Without a relation, the paths lead from the initiative itself."""

    filter_class: type[django_filters.Filter]
    field_class: type | None = None  # the form field, where the filter's won't do
    most_shown: int | None = None  # options shown: the most frequent, or every one
    # Options no initiative has are left out, as choosing one would show nothing;
    # a scale shows them, so that a visitor sees that no initiative reaches a level.
    shows_empty_options = False

    def __init__(
        self,
        name: str,
        label: Promise,
        relation,
        paths: tuple[str, ...],
        in_admin: bool = True,
        in_name_order: bool = False,
    ):
        self.name, self.label = name, label
        self.relation, self.paths = relation, paths
        # Whether the admin's initiative list offers it as a list filter.
        self.in_admin = in_admin
        # Options in order by name, so by their English names in English.
        self.in_name_order = in_name_order

    def __reduce__(self):
        # Kept (pickled, in the count index) by name: a facet is one of FACETS.
        return facet_named, (self.name,)

    def keys_of(self, chosen: Iterable) -> list:
        """Cleaned filter values as the values stored in the database."""
        return [getattr(value, "pk", value) for value in chosen]

    def condition(self, chosen: Iterable) -> Q:
        keys = self.keys_of(chosen)
        condition = Q()
        for path in self.paths:
            if self.relation is None:
                condition |= Q(**{f"{path}__in": keys})
                continue
            rows = self.relation.objects.filter(
                initiative=OuterRef("pk"), **{f"{path}__in": keys}
            )
            condition |= Exists(rows)
        return condition

    def grouped(self, initiatives: QuerySet) -> list[QuerySet]:
        """(value, the pks of those of `initiatives` having it, joined by commas):
        a row per value and path, for the count index. A pk may come twice."""
        if self.relation is None:
            rows, pk = initiatives, "pk"
        else:
            rows, pk = (
                self.relation.objects.filter(initiative__in=initiatives),
                "initiative_id",
            )
        return [
            rows.filter(**{f"{path}__isnull": False})
            .order_by()
            .values(facet_value=F(path))
            .annotate(pks=joined_numbers(pk))
            .values_list("facet_value", "pks")
            for path in self.paths
        ]

    def filter(self) -> django_filters.Filter:
        made = self.filter_class(
            label=self.label,
            method=lambda queryset, name, value: queryset.filter(self.condition(value)),
            **self.filter_arguments(),
        )
        if self.field_class:
            made.field_class = self.field_class
        return made

    def filter_arguments(self) -> dict:
        return {}

    def options(self) -> list[Option]:
        raise NotImplementedError

    def label_of(self, label) -> str:
        return str(label)

    def chips(self, chosen: Iterable) -> list[tuple[str, str | None]]:
        """What the active-filter chips show for the chosen values, with the URL
        value that removes each (None: the whole parameter)."""
        raise NotImplementedError


class RecordFacet(Facet):
    """Records with a slug: categories, target groups, organisations, reports."""

    filter_class = django_filters.ModelMultipleChoiceFilter
    field_class = BoundedSlugChoiceField

    def __init__(
        self,
        name,
        label,
        model,
        relation,
        paths,
        label_of=localized_name,
        tree=False,
        public=None,
        **kwargs,
    ):
        super().__init__(name, label, relation, paths, **kwargs)
        self.model, self._label_of = model, label_of
        self.tree = tree  # options have parents, and are shown under them
        # The records the public may see, where not every one: the reports.
        self.public = public or (lambda: model.objects.all())

    def filter_arguments(self) -> dict:
        return {
            "queryset": self.public(),
            "to_field_name": "slug",
        }

    def options(self) -> list[Option]:
        return [
            Option(
                record.slug,
                record.pk,
                record,
                is_child=self.tree and record.parent_id is not None,
            )
            for record in self.records()
        ]

    def records(self) -> QuerySet:
        return self.public()

    def label_of(self, label) -> str:
        return self._label_of(label)

    def chips(self, chosen):
        return [(self.label_of(record), record.slug) for record in chosen]


class OrganisationFacet(RecordFacet):
    """Too many organisations to show every one: the most frequent, and the chosen."""

    most_shown = 25

    def condition(self, chosen: Iterable) -> Q:
        """One EXISTS over the chosen organisations and their units, which are found
        first: an EXISTS per path would cost the database a subplan per initiative."""
        keys = self.keys_of(chosen)
        with_units = Q()
        for path in self.paths:  # from an involvement up to an organisation
            upwards = path.removeprefix("organisation").removeprefix("__") or "pk"
            with_units |= Q(**{f"{upwards}__in": keys})
        organisations = Organisation.objects.filter(with_units).values("pk")
        involved = self.relation.objects.filter(
            initiative=OuterRef("pk"), organisation__in=organisations
        )
        return Q(Exists(involved))

    def records(self) -> QuerySet:
        return Organisation.objects.only("pk", "slug", "name").order_by("name", "pk")


class ChoiceFacet(Facet):
    """A stored value with choices, such as an organisation's kind."""

    filter_class = django_filters.MultipleChoiceFilter
    field_class = BoundedChoiceField

    def __init__(self, name, label, choices: type[models.TextChoices], *args, **kw):
        super().__init__(name, label, *args, **kw)
        self.choices = choices

    def filter_arguments(self) -> dict:
        return {"choices": self.choices.choices}

    def options(self) -> list[Option]:
        return [Option(value, value, text) for value, text in self.choices.choices]

    def chips(self, chosen):
        return [(str(self.choices(value).label), value) for value in chosen]


class ScaleFacet(ChoiceFacet):
    """Levels of a scale, weakest first, such as the evidence levels."""

    shows_empty_options = True


class FlagFacet(Facet):
    """A yes-only facet: the initiatives having any row of `relation`."""

    filter_class = django_filters.BooleanFilter

    def __init__(self, name, label, relation, option_label, chip_label, **kwargs):
        super().__init__(name, label, relation, paths=(), **kwargs)
        self.option_label, self.chip_label = option_label, chip_label

    def keys_of(self, chosen) -> list:
        return [True] if chosen else []

    def condition(self, chosen) -> Q:
        if not chosen:
            return Q()
        return Q(Exists(self.relation.objects.filter(initiative=OuterRef("pk"))))

    def grouped(self, initiatives):
        having = self.relation.objects.filter(initiative__in=initiatives).order_by()
        return [
            having.values(facet_value=Value(True))
            .annotate(pks=joined_numbers("initiative_id"))
            .values_list("facet_value", "pks")
        ]

    def filter_arguments(self) -> dict:
        return {"widget": forms.CheckboxInput}

    def options(self) -> list[Option]:
        return [Option("1", True, self.option_label)]

    def chips(self, chosen):
        return [(str(self.chip_label), None)] if chosen else []


def document_name(document: SourceDocument) -> str:
    return str(document)


CATEGORY = RecordFacet(
    "kategori",
    _("Kategori"),
    Category,
    CategoryAssignment,
    # A main category includes everything in its subcategories.
    paths=("category", "category__parent"),
    tree=True,
)
TARGET_GROUP = RecordFacet(
    "maalgruppe",
    _("Målgruppe"),
    TargetGroup,
    Initiative.target_groups.through,
    paths=("targetgroup",),
    in_admin=False,  # not among the admin's list filters
    in_name_order=True,
)
REGION = RecordFacet(
    "region", _("Region"), Region, Initiative.regions.through, paths=("region",)
)
SCOPE = ChoiceFacet(
    "raekkevidde",
    _("Geografisk rækkevidde"),
    Initiative.Scope,
    None,  # a field of the initiative itself
    paths=("scope",),
    in_admin=False,  # the admin filters by the field itself
)
ORGANISATION_KIND = ChoiceFacet(
    "organisationstype",
    _("Organisationstype"),
    Organisation.Kind,
    Involvement,
    paths=("organisation__kind",),
)
ORGANISATION = OrganisationFacet(
    "organisation",
    _("Organisation"),
    Organisation,
    Involvement,
    # An organisation includes its units' initiatives.
    paths=PATHS_UP_FROM_INVOLVEMENT,
    label_of=str,
    in_admin=False,  # thousands of options: curators search instead
)
SOURCE = RecordFacet(
    "kilde",
    _("Kilde"),
    SourceDocument,
    SourceReference,
    paths=("document",),
    label_of=document_name,
    public=lambda: SourceDocument.objects.published(),
)
EVIDENCE = ScaleFacet(
    "evidens",
    _("Evidens"),
    Initiative.EvidenceLevel,
    None,  # a field of the initiative itself
    paths=("evidence_level",),
    in_admin=False,  # the admin filters by the field itself
)
RESULTS = FlagFacet(
    "resultater",
    _("Resultater"),
    Outcome,
    option_label=_("Med resultater"),
    chip_label=_("Kun med resultater"),
    in_admin=False,  # the admin's "mangler" filter lists those without
)
FACETS: list[Facet] = [
    CATEGORY,
    TARGET_GROUP,
    REGION,
    SCOPE,
    ORGANISATION_KIND,
    ORGANISATION,
    SOURCE,
    EVIDENCE,
    RESULTS,
]


def facet_named(name: str) -> Facet:
    return next(facet for facet in FACETS if facet.name == name)

"""What a row in a list of initiatives shows: its categories, years, regions, number
of results and sources, for one page of initiatives in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import CategoryAssignment, Initiative, Outcome, SourceReference
from ..models.sources import report_label


@dataclass(frozen=True)
class RowCategory:
    name: str
    name_en: str
    editorial: bool


def count_of(model) -> Coalesce:
    """How many rows of `model` (an initiative's part) an initiative has, as an
    annotation: a subquery per initiative rather than a join and GROUP BY."""
    return Coalesce(
        Subquery(
            model.objects.filter(initiative=OuterRef("pk"))
            .order_by()
            .values("initiative")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def initiatives_with_row_fields() -> QuerySet:
    """Published initiatives with the fields a list row shows and its number of
    results."""
    return (
        Initiative.objects.published()
        .only(
            "name",
            "slug",
            "summary",
            "name_en",
            "summary_en",
            "start_year",
            "end_year",
            "evidence_level",
        )
        .annotate(outcome_count=count_of(Outcome))
    )


def with_row_details(initiatives) -> list[Initiative]:
    """The initiatives, each given `row_categories`, `row_regions` and
    `row_sources`; plain values, as a page needs nothing else from them."""
    initiatives = list(initiatives)
    by_pk = {initiative.pk: initiative for initiative in initiatives}
    for initiative in initiatives:
        initiative.row_categories, initiative.row_regions = [], []
        initiative.row_sources = []
    assignments = (
        CategoryAssignment.objects.filter(initiative__in=by_pk)
        .order_by("initiative", "category__position", "basis")
        .values_list("initiative", "category__name", "category__name_en", "basis")
    )
    for pk, name, name_en, basis in assignments:
        editorial = basis == CategoryAssignment.Basis.EDITORIAL
        by_pk[pk].row_categories.append(RowCategory(name, name_en, editorial))
    regions = (
        Initiative.regions.through.objects.filter(initiative__in=by_pk)
        .order_by("initiative", "region__position")
        .values_list("initiative", "region__name")
    )
    for pk, name in regions:
        by_pk[pk].row_regions.append(name)
    sources = (
        SourceReference.objects.filter(initiative__in=by_pk)
        .order_by("initiative", "document__code")
        .values_list(
            "initiative",
            "document__code",
            "document__short_title",
            "document__publisher_short",
            "document__publisher",
            "document__year",
        )
        .distinct()
    )
    for pk, _code, *label in sources:
        by_pk[pk].row_sources.append(report_label(*label))
    return initiatives

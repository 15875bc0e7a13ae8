"""What the front page counts and draws, all from published initiatives."""

from django.db.models import Count
from django.db.models.functions import Coalesce

from .facets import category_facet, source_facet, through_facet
from .i18n import localized_name
from .models import Category, Initiative, Involvement, Outcome, Region, TargetGroup


def gap_matrix(published) -> dict:
    """Target group × main category: how many initiatives, with the empty cells."""
    through = Initiative.target_groups.through
    cells = {
        (row["targetgroup"], row["main"]): row["n"]
        for row in through.objects.filter(initiative__in=published.values("pk"))
        .exclude(initiative__category_assignments__isnull=True)
        .values(
            "targetgroup",
            main=Coalesce(
                "initiative__category_assignments__category__parent",
                "initiative__category_assignments__category",
            ),
        )
        .annotate(n=Count("initiative", distinct=True))
    }
    mains = list(Category.objects.filter(parent__isnull=True))
    groups = list(TargetGroup.objects.all())
    return {
        "columns": [(main, localized_name(main)) for main in mains],
        "rows": [
            {
                "group": group,
                "label": localized_name(group),
                "cells": [(main, cells.get((group.pk, main.pk), 0)) for main in mains],
            }
            for group in groups
        ],
    }


def front_page_statistics() -> dict:
    published = Initiative.objects.published()
    ids = published.values("pk")
    return {
        "initiative_count": published.count(),
        "organisation_count": Involvement.objects.filter(initiative__in=ids)
        .values("organisation")
        .distinct()
        .count(),
        "outcome_count": Outcome.objects.filter(initiative__in=ids).count(),
        "category_chart": category_facet(ids),
        "region_chart": through_facet(ids, "region", "", "regions", Region),
        "target_group_chart": through_facet(
            ids, "maalgruppe", "", "target_groups", TargetGroup
        ),
        "source_chart": source_facet(ids),
        "gap_matrix": gap_matrix(published),
    }

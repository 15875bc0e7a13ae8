"""What the front page counts and draws, all from published initiatives."""

from .facet_index import FacetIndex, current_index
from .facets import FacetCounter
from .i18n import in_name_order, localized_name


def gap_matrix(index: FacetIndex) -> dict:
    """Target group × main category: how many initiatives, with the empty cells,
    and how many of each group's initiatives have no category at all."""
    mains = [category for category in index.categories if category.parent_id is None]
    uncategorised = index.everything & ~index.matching(
        "kategori", [main.pk for main in mains]
    )

    def row(group) -> dict:
        of_group = index.matching("maalgruppe", [group.pk])
        return {
            "group": group,
            "label": localized_name(group),
            "cells": [
                (main, index.count("kategori", main.pk, of_group)) for main in mains
            ],
            "uncategorised": (of_group & uncategorised).bit_count(),
        }

    return {
        "columns": [(main, localized_name(main)) for main in mains],
        "rows": [row(group) for group in in_name_order(index.target_groups)],
        "uncategorised": uncategorised.bit_count(),
    }


def front_page_statistics() -> dict:
    index = current_index()
    charts = FacetCounter(index)
    return {
        "initiative_count": index.everything.bit_count(),
        # Every organisation, as the organisation list shows them, not only those
        # in a published initiative.
        "organisation_count": len(index.organisations),
        "outcome_count": index.outcome_count,
        "with_outcomes_count": index.initiative_count("resultater", True),
        "category_chart": charts.categories(),
        "region_chart": charts.regions(),
        "target_group_chart": charts.target_groups(),
        "source_chart": charts.sources(),
        "gap_matrix": gap_matrix(index),
    }

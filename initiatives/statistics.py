"""What the front page counts and draws, all from published initiatives."""

from .facet_index import FacetIndex, current_index
from .facets import FacetCounter
from .i18n import localized_name


def gap_matrix(index: FacetIndex) -> dict:
    """Target group × main category: how many initiatives, with the empty cells."""
    mains = [category for category in index.categories if category.parent_id is None]

    def cells(group) -> list:
        of_group = index.matching("maalgruppe", [group.pk])
        return [(main, index.count("kategori", main.pk, of_group)) for main in mains]

    return {
        "columns": [(main, localized_name(main)) for main in mains],
        "rows": [
            {"group": group, "label": localized_name(group), "cells": cells(group)}
            for group in index.target_groups
        ],
    }


def front_page_statistics() -> dict:
    index = current_index()
    charts = FacetCounter(index)
    return {
        "initiative_count": index.everything.bit_count(),
        "organisation_count": len(index.organisation_positions),
        "outcome_count": index.outcome_count,
        "category_chart": charts.categories(),
        "region_chart": charts.regions(),
        "target_group_chart": charts.target_groups(),
        "source_chart": charts.sources(),
        "gap_matrix": gap_matrix(index),
    }

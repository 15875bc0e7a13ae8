"""What the front page counts and draws, all from published initiatives."""

from ..evidence import levels_by_main_category
from ..i18n import in_name_order
from .counting import FacetCounts
from .facets import CATEGORY, RESULTS, SOURCE, TARGET_GROUP
from .region_map import region_map


def gap_matrix(everything: FacetCounts) -> dict:
    """Target group × main category: how many initiatives, with the empty cells,
    and how many of each group's initiatives have no category at all."""
    mains = [o for o in everything.facet(CATEGORY).options if not o.is_child]
    groups = in_name_order(
        everything.facet(TARGET_GROUP).options, name_of=lambda option: option.label
    )
    rows = []
    for group in groups:
        of_group = FacetCounts(everything.index, {TARGET_GROUP: [group.key]})
        counts = {o.key: o.count for o in of_group.facet(CATEGORY).options}
        rows.append(
            {
                "group": group,
                "cells": [(main, counts[main.key]) for main in mains],
                "uncategorised": of_group.without_any(CATEGORY),
            }
        )
    return {
        "columns": mains,
        "rows": rows,
        "uncategorised": everything.without_any(CATEGORY),
    }


def front_page_statistics() -> dict:
    everything = FacetCounts.of()
    return {
        **everything.catalogue_totals(),
        "with_outcomes_count": everything.facet(RESULTS).options[0].count,
        "category_chart": everything.facet(CATEGORY),
        "region_map": region_map(everything),
        "target_group_chart": everything.facet(TARGET_GROUP),
        "source_chart": everything.facet(SOURCE),
        "gap_matrix": gap_matrix(everything),
        "evidence": levels_by_main_category(everything),
    }

"""What the front page counts and draws, all from published initiatives."""

from .counting import FacetCounts
from .evidence import levels_by_main_category


def gap_matrix(everything: FacetCounts) -> dict:
    """Target group × main category: how many initiatives, with the empty cells."""
    mains = [o for o in everything.facet("kategori").options if not o.is_child]
    rows = []
    for group in everything.facet("maalgruppe").options:
        of_group = FacetCounts(everything.index, {"maalgruppe": [group.key]})
        counts = {o.key: o.count for o in of_group.facet("kategori").options}
        rows.append(
            {"group": group, "cells": [(main, counts[main.key]) for main in mains]}
        )
    return {"columns": mains, "rows": rows}


def front_page_statistics() -> dict:
    everything = FacetCounts.of()
    return {
        **everything.catalogue_totals(),
        "category_chart": everything.facet("kategori"),
        "region_chart": everything.facet("region"),
        "target_group_chart": everything.facet("maalgruppe"),
        "source_chart": everything.facet("kilde"),
        "gap_matrix": gap_matrix(everything),
        "evidence": levels_by_main_category(everything),
    }

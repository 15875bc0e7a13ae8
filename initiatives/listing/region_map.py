"""The map of Denmark's five regions, each shaded by how many initiatives it has, drawn
as SVG on the server from the counts a page already has (the region facet of its
`FacetCounts`), so a map costs no query.

The outlines are `denmark_regions.json`: Natural Earth's public-domain admin-1 regions,
simplified by `tools/denmark_regions.py`, whose docstring says how and from which
package.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Initiative
from .counting import FacetCounts, OptionCount
from .facets import REGION, SCOPE

OUTLINES = json.loads(
    (Path(__file__).resolve().parent / "denmark_regions.json").read_text("utf-8")
)
SHADES = 4  # shades for counts above zero; shade 0 is "none"
# Where each region's name and count stand, in the outlines' units: the middle of its
# largest piece of land, except Hovedstaden's, which stands in the sea north of it.
LABELS = {slug: region["centre"] for slug, region in OUTLINES["regions"].items()}
LABELS["hovedstaden"] = [282, 196]


@dataclass
class MapRegion:
    option: OptionCount
    outline: str  # SVG path data
    x: int
    y: int
    shade: int
    url: str

    @property
    def short_name(self) -> str:
        return self.option.label.removeprefix("Region ")


@dataclass
class MapCount:
    """A count beside the map, of initiatives it cannot place."""

    label: str
    count: int
    url: str = ""


@dataclass
class Shade:
    shade: int
    low: int
    high: int


@dataclass
class RegionMap:
    regions: list[MapRegion]
    beside: list[MapCount]
    legend: list[Shade]
    width: int = OUTLINES["width"]
    height: int = OUTLINES["height"]
    bornholm_box: tuple = tuple(OUTLINES["bornholm_box"])


def shade_steps(largest: int) -> int:
    """How many initiatives each shade above zero spans."""
    return max(math.ceil(largest / SHADES), 1)


def region_map(counts: FacetCounts, query: QueryDict | None = None) -> RegionMap:
    """The map for a list filtered by `query` (the front page: none), counted by
    `counts`. Each region links to the list with that region instead of any chosen,
    and the other filters kept."""
    query = query if query is not None else QueryDict()
    regions = counts.facet(REGION).options
    step = shade_steps(max((option.count for option in regions), default=0))
    # Beside the map, counted as the regions are, without the region filter; and
    # linked to the list without it, so that the list shows as many.
    anywhere = query.copy()
    anywhere.pop(REGION.name, None)
    scope = (REGION, SCOPE)
    national, abroad = Initiative.Scope.NATIONAL, Initiative.Scope.ABROAD
    return RegionMap(
        regions=[
            MapRegion(
                option,
                OUTLINES["regions"][option.value]["d"],
                *LABELS[option.value],
                shade=math.ceil(option.count / step),
                url=list_url(query, REGION.name, option.value),
            )
            for option in regions
            if option.value in OUTLINES["regions"]
        ],
        beside=[
            MapCount(
                _("Landsdækkende"),
                counts.having(SCOPE, national, ignoring=scope),
                list_url(anywhere, SCOPE.name, national),
            ),
            MapCount(
                _("I udlandet"),
                counts.having(SCOPE, abroad, ignoring=scope),
                list_url(anywhere, SCOPE.name, abroad),
            ),
            MapCount(_("Uden region"), counts.without_any(REGION)),
        ],
        legend=[
            Shade(shade, (shade - 1) * step + 1, shade * step)
            for shade in range(1, SHADES + 1)
        ],
    )


def list_url(query: QueryDict, name: str, value: str) -> str:
    """The list with `name` set to `value` alone, the rest of `query` kept, from
    page one."""
    changed = query.copy()
    changed.pop("side", None)
    changed.setlist(name, [value])
    return f"{reverse('initiatives:initiative_list')}?{changed.urlencode()}"

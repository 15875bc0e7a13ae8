"""Following and finding the catalogue: the Atom feed for any list filter, sitemap.xml,
robots.txt, schema.org JSON-LD and Open Graph tags."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from initiatives.models import Initiative

from .conftest import (
    all_listed,
    empty_inlines,
    make_full_initiatives,
    make_initiative,
    opened_at,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, query: str = "") -> list[str]:
    response = client.get(f"/initiativer/nyt.atom?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def test_the_feed_shows_new_and_changed_initiatives_newest_first(client, curator):
    older = make_initiative(slug="aeldre", name="Ældre indsats")
    make_initiative(slug="nyere", name="Nyere indsats")
    change = reverse("admin:initiatives_initiative_change", args=[older.pk])
    client.post(
        change,
        {
            "name": "Ældre indsats, ændret",
            "slug": older.slug,
            "status": older.status,
            "summary": older.summary,
            **empty_inlines(),
            **opened_at(client, change),
        },
    )
    make_initiative(slug="kladde", name="Hemmelig kladde", status="kladde")
    client.logout()

    titles = entries(client)

    assert titles[:2] == ["Ældre indsats, ændret", "Nyere indsats"]
    assert "Hemmelig kladde" not in titles


def test_the_feed_takes_the_lists_filters(client):
    make_full_initiatives(2)
    make_initiative(slug="uden-kategori", name="Uden kategori")

    query = "kategori=tilfoert-ressource&region=hovedstaden"

    filtered = entries(client, query)

    assert {"ekstra indsats 0", "ekstra indsats 1"} <= set(filtered)
    assert set(filtered) <= set(all_listed(client, query, "name"))
    assert "Uden kategori" not in filtered
    assert "Uden kategori" in entries(client)


def test_a_bad_filter_gives_the_feed_a_400_with_the_reason(client):
    response = client.get("/initiativer/nyt.atom?aar_fra=nu")

    assert response.status_code == 400
    assert "aar_fra" in response.text


def test_the_list_links_to_the_feed_of_what_it_shows(client):
    page = client.get("/initiativer/?region=hovedstaden").text

    feed = "/initiativer/nyt.atom?region=hovedstaden"
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert page.count(f'href="{feed}"') == 2


def test_the_sitemap_lists_published_pages_in_both_languages(client):
    make_initiative(slug="hemmelig-kladde", status="kladde")
    index = client.get("/sitemap.xml").text
    initiatives = client.get("/sitemap-indsatser.xml").text

    assert "http://testserver/sitemap-indsatser.xml" in index
    assert "http://testserver/initiativer/sammen-om-min-vej/" in initiatives
    assert "http://testserver/en/initiativer/sammen-om-min-vej/" in initiatives
    assert "hemmelig-kladde" not in initiatives
    assert initiatives.count("<url>") == 2 * Initiative.objects.published().count()


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    robots = client.get("/robots.txt")

    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.text
    assert "Disallow: /admin/" in robots.text


def test_an_initiative_page_describes_itself_for_search_engines_and_previews(
    client,
):
    initiative = make_full_initiatives(1)[0]

    response = client.get(initiative.get_absolute_url())
    page = response.text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(block.group(1))

    assert data["@type"] == "Project"
    assert data["name"] == initiative.name
    assert data["url"] == f"http://testserver{initiative.get_absolute_url()}"
    assert data["areaServed"] == ["Region Hovedstaden"]
    assert data["subjectOf"][0]["@type"] == "Report"
    assert f'<meta property="og:title" content="{initiative.name}">' in page
    assert 'property="og:description" content="En indsats til tests."' in page
    # A data block, not a script: the policy allowing no inline script stands.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_json_ld_cannot_close_its_script_element(client):
    initiative = make_initiative(
        slug="farlig", name="</script><script>alert(1)</script>"
    )

    page = client.get(initiative.get_absolute_url()).text

    assert "<script>alert(1)" not in page
    assert "\\u003C/script\\u003E" in page

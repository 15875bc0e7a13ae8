"""The organisations a visitor can find: one rule for which are public, the same on
every page, count and download, a search by name on the list, and one line for an
organisation with several roles in an initiative."""

import json
import re
from html import unescape
from pathlib import Path

import pytest

from initiatives.models import Organisation

from .conftest import make_initiative, make_organisation

pytestmark = pytest.mark.django_db

ROW_NAME = re.compile(r'<td lang="da"><a href="/organisationer/[^"]+/">([^<]+)</a>')


def names_listed(client, query: str = "") -> list[str]:
    """The names the organisation list shows for `query`, page by page."""
    names, number = [], 1
    while True:
        page = client.get(f"/organisationer/?{query}&side={number}").text
        names += [unescape(name) for name in ROW_NAME.findall(page)]
        if 'rel="next"' not in page:
            return names
        number += 1


def test_an_organisation_in_no_published_initiative_is_nowhere_public(client):
    hidden = Organisation.objects.get(slug="danske-regioner")
    assert not hidden.involvements.exists() and not hidden.units.exists()
    public = Organisation.objects.public().count()

    api = client.get("/api/v1/organisationer/?antal=100").json()
    package = json.loads(b"".join(client.get("/data/lighedskataloget.json")))
    [table] = [r for r in package["resources"] if r["name"] == "organisations"]
    sitemap = client.get("/sitemap-organisationer.xml").text

    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/organisationer/danske-regioner/").status_code == 404
    assert "danske-regioner" not in sitemap
    assert "danske-regioner" not in [row["slug"] for row in table["data"]]
    assert "Danske Regioner" not in names_listed(client)
    assert (
        api["count"]
        == len(table["data"])
        == len(names_listed(client))
        == client.get("/").context["organisation_count"]
        == public
        == 184
    )


def test_the_readme_counts_the_public_organisations():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")

    assert f"{Organisation.objects.public().count()} organisations" in readme


@pytest.mark.parametrize(
    "typed", ["københavn", "KØBENHAVN", "kobenhavn", "Koebenhavn", "kommune køb"]
)
def test_the_organisation_list_finds_a_name_however_it_is_typed(client, typed):
    names = names_listed(client, f"q={typed}")

    assert "Københavns Kommune" in names
    assert "Aarhus Kommune" not in names


def test_aa_and_aa_find_the_same_organisations(client):
    assert "Aarhus Kommune" in names_listed(client, "q=århus")
    assert names_listed(client, "q=århus") == names_listed(client, "q=aarhus")


def test_a_name_search_keeps_the_chosen_kind_and_says_when_nothing_matches(client):
    municipalities = names_listed(client, "q=aarhus&type=kommune")
    nothing = client.get("/organisationer/?q=xyzzy")

    assert municipalities == ["Aarhus Kommune"]
    assert nothing.status_code == 200
    assert "Ingen organisationer med „xyzzy“ i navnet." in nothing.text
    assert 'value="xyzzy"' in nothing.text


def test_searching_the_organisation_list_costs_no_more_queries(
    client, django_assert_num_queries
):
    for query in ["", "?q=kommune", "?q=r%C3%B8de+kors&type=civilsamfund"]:
        client.get("/")  # the count index, built once per catalogue version
        with django_assert_num_queries(3):
            assert client.get(f"/organisationer/{query}").status_code == 200


def test_two_roles_in_one_initiative_are_one_line_on_both_pages(client):
    organisation = make_organisation(name="Testkommune", slug="testkommune")
    initiative = make_initiative(slug="to-roller", name="To roller")
    initiative.involvements.create(organisation=organisation, role="udfoerer")
    initiative.involvements.create(organisation=organisation, role="ansvarlig")

    on_organisation = client.get(organisation.get_absolute_url()).text
    on_initiative = client.get(initiative.get_absolute_url()).text

    assert on_organisation.count('href="/initiativer/to-roller/"') == 1
    assert "To roller</a> – ansvarlig, udfører</li>" in on_organisation
    assert on_initiative.count('href="/organisationer/testkommune/"') == 1
    assert "Testkommune</a> – ansvarlig, udfører</li>" in on_initiative


def test_koebenhavns_kommune_lists_its_own_annual_health_check_once(client):
    page = client.get("/organisationer/koebenhavns-kommune/").text

    assert page.count("/initiativer/aarligt-sundhedstjek-koebenhavns-kommune/") == 1

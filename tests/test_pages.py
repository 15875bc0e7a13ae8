"""Every public page: it answers, shows what it should, and runs a fixed number of SQL
queries whatever the number of initiatives and their relations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.listing.count_index import current_index
from initiatives.models import Initiative

from .conftest import make_full_initiatives, make_initiative

pytestmark = pytest.mark.django_db

# Queries to render each page, one of them reading the catalogue version for the ETag;
# asking again with the ETag costs only that one (but see RECHECKED). The count index
# is built beforehand, once per catalogue version (tests/test_counting.py counts it).
# A page named by the initiatives it shows (initiatives/page_contents.py) reads the
# version once more after it is rendered, to keep it only if nothing changed meanwhile.
PAGES = {
    "/": 2,
    "/initiativer/": 7,
    # A search adds two: the typed words' synonyms, and whether each word occurs
    # (for typos and the most-words fallback); on PostgreSQL four more, the setting
    # that makes the planner use the search index and its restoring, around each of
    # the two queries that match (search.matching.through_search_index).
    "/initiativer/?kategori=tilfoert-ressource&region=hovedstaden&q=indsats": 11
    + (4 if connection.vendor == "postgresql" else 0),
    # And one more to find the initiative by its slug, for its ETag.
    "/initiativer/ekstra-0/": 12,
    "/organisationer/": 3,
    "/organisationer/?q=k%C3%B8benhavn&type=kommune": 3,
    # And one more to find the organisation by its slug, for its ETag.
    "/organisationer/ekstra-org/": 7,
    "/maalgrupper/": 3,
    "/maalgrupper/befolkningen/": 7,
    "/kategorier/": 3,
    "/kategorier/tilfoert-ressource/": 8,
    "/kilder/": 3,
    "/kilder/kortlaegning-inddragelse-socialt-saarbare/": 5,
    "/kilder/kortlaegning-inddragelse-socialt-saarbare/tekst/?side=2": 5,
    "/kilder/kortlaegning-inddragelse-socialt-saarbare/linje-1188-1197/": 5,
    # The same two, line by line as the report's text file has them.
    "/kilder/kortlaegning-inddragelse-socialt-saarbare/tekst/?side=2&visning=linjer": 5,
    "/kilder/kortlaegning-inddragelse-socialt-saarbare/linje-1188-1197/"
    "?visning=linjer": 5,
    "/en/initiativer/": 7,
    "/om/evidens/": 2,
    "/en/om/evidens/": 2,
    "/initiativer/eksport/": 1,
    "/data/": 8,
    "/licens/": 3,
    "/initiativer/nyt.atom?region=hovedstaden": 3,
}
# Asking again costs more where naming what the page shows reads more than the
# version: the initiative or the organisation by its slug.
RECHECKED = {"/initiativer/ekstra-0/": 2, "/organisationer/ekstra-org/": 2}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_in_a_fixed_number_of_queries_and_a_recheck_in_fewer(
    client, django_assert_num_queries, path
):
    make_full_initiatives(3)
    current_index()
    with django_assert_num_queries(PAGES[path]):
        assert client.get(path).status_code == 200

    make_full_initiatives(25, prefix="flere")
    current_index()
    with django_assert_num_queries(PAGES[path]):
        response = client.get(path)
        assert response.status_code == 200

    with django_assert_num_queries(RECHECKED.get(path, 1)):
        again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304


def test_a_draft_is_not_found_and_not_listed(client):
    draft = make_initiative(
        slug="hemmelig-kladde", name="Hemmelig kladde", status="kladde"
    )

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Hemmelig kladde" not in client.get("/initiativer/").text
    assert "Hemmelig kladde" not in client.get("/").text


def test_an_initiative_page_names_its_source_and_locator(client):
    initiative = make_full_initiatives(1)[0]

    page = client.get(initiative.get_absolute_url()).text

    # "angivet i" and the locator, linked to the passage it cites.
    assert 'angivet i <a class="locator"' in page
    assert (
        '<span lang="da">Kortlægning af inddragelse af socialt sårbare patienter '
        "(Kræftens Bekæmpelse m.fl., 2017)</span>, Bilag 2, linje 1–2</a>"
    ) in page
    assert "10 borgere" in page


def test_the_english_interface_uses_the_glossary_names(client):
    page = client.get("/en/kategorier/").text

    assert "Dialogue support" in page
    assert "Coordinator and navigator projects" in page
    assert 'lang="en"' in page


def test_the_danish_interface_is_the_default(client):
    page = client.get("/kategorier/").text

    assert 'lang="da"' in page
    assert "Koordinator- og navigatorprojekter" in page


def test_budgets_and_years_follow_danish_number_conventions(client):
    initiative = make_initiative(budget_dkk=3_250_000, start_year=2009, end_year=2012)

    page = client.get(initiative.get_absolute_url()).text

    assert "3.250.000 kr." in page
    assert "2009–2012" in page


def test_every_published_initiative_is_reachable_from_the_list(client):
    make_full_initiatives(3)
    total = Initiative.objects.published().count()

    first_page = client.get(reverse("initiatives:initiative_list"))

    assert first_page.context["paginator"].count == total


def test_a_list_row_shows_categories_years_regions_results_and_sources(client):
    initiative = make_full_initiatives(1, prefix="raekke")[0]
    initiative.outcomes.create(
        reference=initiative.references.get(),
        position=2,
        text="Andet resultat",
        kind="kvalitativ",
    )

    page = client.get("/initiativer/?organisation=raekke-org").text

    assert "Koordinator- og navigatorprojekter</span>" in page
    assert "2015" in page
    assert "<li>Region Hovedstaden</li>" in page
    assert "2 resultater" in page
    assert (
        'Kilde: <span lang="da">Kortlægning af inddragelse af socialt sårbare '
        "patienter (Kræftens Bekæmpelse m.fl., 2017)</span>"
    ) in page


@pytest.mark.parametrize(
    "path, per_page",
    [
        ("/maalgrupper/befolkningen/", 20),
        ("/kategorier/koordinator-og-navigatorprojekter/", 20),
        ("/organisationer/mange-org/", 50),
        ("/kilder/kortlaegning-inddragelse-socialt-saarbare/", 100),
    ],
)
def test_long_lists_on_detail_pages_come_a_page_at_a_time(client, path, per_page):
    make_full_initiatives(per_page + 5, prefix="mange")

    first = client.get(path)
    second = client.get(f"{path}?side=2")

    assert len(first.context["page_obj"].object_list) == per_page
    assert "side=2" in first.text
    assert second.status_code == 200
    assert client.get(f"{path}?side=99").status_code == 404
    assert client.get(f"{path}?side=abc").status_code == 404


@pytest.mark.parametrize(
    "path", ["/initiativer/?sortering=nyeste", "/api/v1/initiativer/?sortering=nyeste"]
)
def test_a_list_in_another_order_than_the_index_reads_only_its_page(client, path):
    """Django's Paginator once read the whole catalogue here, to count it."""
    current_index()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200

    reads = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "initiatives_initiative"."id"')
    ]
    assert reads
    assert all(" LIMIT " in sql for sql in reads)

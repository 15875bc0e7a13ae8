"""The read-only JSON API: the published catalogue, filtered like the list, a page at a
time in a fixed number of queries, kept by the proxy like pages and limited per
address."""

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse

from initiatives.listing.count_index import current_index
from initiatives.models import Initiative

from .conftest import (
    all_listed,
    empty_inlines,
    make_full_initiatives,
    make_initiative,
    opened_at,
)
from .test_hostile_input import HOSTILE_VALUES, PARAMETERS

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/initiativer/",
    "/api/v1/organisationer/",
    "/api/v1/maalgrupper/",
    "/api/v1/kategorier/",
    "/api/v1/kilder/",
    "/api/v1/resultater/",
]


def all_api_slugs(client, query: str) -> list[str]:
    slugs, url = [], f"/api/v1/initiativer/?{query}"
    while url:
        page = client.get(url).json()
        slugs += [initiative["slug"] for initiative in page["results"]]
        url = page["next"]
    return slugs


@pytest.mark.parametrize(
    "query",
    [
        "",
        "kategori=tilfoert-ressource",
        "maalgruppe=hjemloese&region=hovedstaden",
        "organisationstype=kommune&resultater=1",
        "kilde=kortlaegning-inddragelse-socialt-saarbare&aar_fra=2010&aar_til=2015",
        "q=navigator",
        "sortering=nyeste",
    ],
)
def test_the_api_lists_the_same_initiatives_in_the_same_order_as_the_page(
    client, query
):
    assert all_api_slugs(client, query) == all_listed(client, query)


def test_an_initiative_has_its_placements_groups_organisations_results_and_sources(
    client,
):
    initiative = make_full_initiatives(1)[0]

    data = client.get(f"/api/v1/initiativer/{initiative.slug}/").json()

    assert data["url"] == f"http://testserver/initiativer/{initiative.slug}/"
    placement = data["placements"][0]
    assert placement["category"] == "koordinator-og-navigatorprojekter"
    assert placement["main_category"] == "tilfoert-ressource"
    assert placement["basis"] == "rapport"
    assert len(data["target_groups"]) == 2
    assert data["regions"] == ["hovedstaden"]
    assert data["involvements"][0]["role"] == "ansvarlig"
    assert data["results"][0]["text"] == "10 borgere"
    assert data["results"][0]["figure"] == 10
    reference = data["references"][0]
    assert reference["locator"] == "Bilag 2"
    assert (reference["line_start"], reference["line_end"]) == (1, 2)
    assert reference["source_code"] == "004"
    assert data["results"][0]["reference"] == reference["id"]
    assert placement["reference"] == reference["id"]


def test_drafts_and_contact_details_appear_nowhere_in_the_api(client):
    make_initiative(
        slug="hemmelig-kladde",
        name="Hemmelig kladde",
        status="kladde",
        contact_name="Hemmelig Person",
    )
    published = Initiative.objects.published().exclude(contact_email="").first()
    contacts = [published.contact_name, published.contact_email]

    bodies = [client.get(f"/api/v1/initiativer/{published.slug}/").text]
    for endpoint in ENDPOINTS:
        bodies.append(client.get(endpoint, {"antal": 100}).text)

    assert client.get("/api/v1/initiativer/hemmelig-kladde/").status_code == 404
    for body in bodies:
        assert "Hemmelig" not in body
        # No contact field; the English translations may say "contact person".
        assert "contact_" not in body
        for contact in contacts:
            assert contact not in body


def test_a_curator_sees_no_drafts_and_cannot_write(client, curator):
    make_initiative(slug="kladden", name="Kladden", status="kladde")
    initiative = Initiative.objects.published().first()
    url = f"/api/v1/initiativer/{initiative.slug}/"

    assert client.get("/api/v1/initiativer/kladden/").status_code == 404
    assert client.post("/api/v1/initiativer/", {"name": "Ny"}).status_code == 405
    for method in (client.put, client.patch, client.delete):
        assert method(url, {"name": "Ændret"}).status_code == 405
    assert Initiative.objects.get(pk=initiative.pk).name == initiative.name


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_api_page_takes_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, django_assert_num_queries, endpoint
):
    make_full_initiatives(3)
    client.get(endpoint)
    with django_assert_max_num_queries(12) as few:
        assert client.get(endpoint, {"antal": 100, "side": 1}).status_code == 200

    make_full_initiatives(40, prefix="flere")
    current_index()  # once per catalogue version; tests/test_counting.py counts it
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(endpoint, {"antal": 100, "side": 1}).status_code == 200


def test_a_page_links_to_the_next_and_previous_pages(client):
    first = client.get("/api/v1/initiativer/", {"antal": 10}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == Initiative.objects.published().count()
    assert first["previous"] is None
    assert "side=2" in first["next"]
    assert second["previous"] is not None
    assert {i["id"] for i in first["results"]}.isdisjoint(
        i["id"] for i in second["results"]
    )


@pytest.mark.parametrize(
    "query",
    [
        "kategori=findes-ikke",
        "aar_fra=aar",
        "aar_til=99999999999999999999",
        "kategori=%00",
        "q=" + "x" * 300,
        "organisationstype=" + "&organisationstype=".join(["kommune"] * 30),
    ],
)
def test_a_bad_filter_is_a_400_that_names_the_parameter(client, query):
    response = client.get(f"/api/v1/initiativer/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_an_anonymous_answer_may_be_kept_and_a_curators_save_shows_next_time(
    client, curator, django_assert_num_queries
):
    initiative = make_initiative(slug="cachet", name="Gammelt navn")
    url = f"/api/v1/initiativer/{initiative.slug}/"
    client.logout()
    first = client.get(url)
    assert first.json()["name"] == "Gammelt navn"
    assert "public" in first["Cache-Control"]
    with django_assert_num_queries(2):  # the version, the initiative by its slug
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    client.force_login(curator)
    change = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
    client.post(
        change,
        {
            "name": "Nyt navn",
            "slug": initiative.slug,
            "status": initiative.status,
            "summary": initiative.summary,
            **empty_inlines(),
            **opened_at(client, change),
        },
    )
    client.logout()

    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).json()["name"] == (
        "Nyt navn"
    )


@override_settings(API_RATE_LIMIT="3/minute")
def test_too_many_requests_from_one_address_get_429_with_retry_after(client):
    for number in range(3):
        assert client.get("/api/v1/kilder/", {"n": number}).status_code == 200

    response = client.get("/api/v1/kilder/", {"n": 4})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()
    assert client.get("/api/v1/kilder/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_any_site_may_read_the_api_but_not_the_pages(client):
    origin = {"HTTP_ORIGIN": "https://example.org"}

    api = client.get("/api/v1/kilder/", **origin)
    page = client.get("/kilder/", **origin)

    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in page


def test_the_schema_and_docs_work_offline_under_the_sites_csp(client):
    schema = client.get("/api/v1/schema/")
    docs = client.get("/api/v1/docs/")
    script = client.get("/api/v1/docs/?script=")

    assert schema.status_code == 200
    assert "/api/v1/initiativer/" in schema.json()["paths"]
    assert "<script>" not in docs.text and "<style>" not in docs.text
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    assert script["Content-Type"].startswith("application/javascript")
    for asset in ["swagger-ui.css", "swagger-ui-bundle.js"]:
        path = f"drf_spectacular_sidecar/swagger-ui-dist/{asset}"
        assert f"/static/{path}" in docs.text
        assert finders.find(path)
    assert "http" not in docs.text.replace("http://testserver", "")


@pytest.mark.parametrize("value", HOSTILE_VALUES)
@pytest.mark.parametrize("name", [*PARAMETERS, "antal", "format"])
def test_a_hostile_value_in_any_parameter_is_a_400_or_an_answer_never_a_5xx(
    client, name, value
):
    for path in [
        "/api/v1/initiativer/",
        "/api/v1/resultater/",
        "/initiativer/nyt.atom",
    ]:
        response = client.get(path, {name: value})
        assert response.status_code in {200, 400, 404}, (path, name, value[:40])
        if response.status_code == 400 and path.startswith("/api/"):
            assert response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/initiativer/%00/",
        "/api/v1/initiativer/findes-ikke/",
        "/api/v1/resultater/abc/",
        "/api/v1/resultater/99999999999999999999999/",
        "/api/v1/organisationer/" + "a" * 5000 + "/",
        "/data/lighedskataloget.exe",
    ],
)
def test_a_hostile_path_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_each_reference_links_to_the_passage_that_holds_its_lines(client):
    data = client.get("/api/v1/initiativer/omsorgscenter-pitstop/").json()

    for reference in data["references"]:
        passage = client.get(reference["passage_url"].removeprefix("http://testserver"))
        assert passage.status_code == 200
        for line in range(reference["line_start"], reference["line_end"] + 1):
            assert f'id="linje-{line}"' in passage.text

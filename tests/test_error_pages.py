"""What a visitor sees when a page cannot be shown, as in production (DEBUG off): the
site's frame with its menu and a search box, in Danish, or in English under /en/."""

import re
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.test import RequestFactory

from initiatives.faults import server_error

pytestmark = pytest.mark.django_db

HEADINGS = {
    ("da", 400): "Forespørgslen kunne ikke læses",
    ("en", 400): "The request could not be read",
    ("da", 403): "Ingen adgang",
    ("en", 403): "No access",
    ("da", 404): "Siden findes ikke",
    ("en", 404): "Page not found",
    ("da", 500): "Der opstod en fejl",
    ("en", 500): "Something went wrong",
    ("da", 503): "Kataloget er midlertidigt utilgængeligt",
    ("en", 503): "The catalogue is temporarily unavailable",
}
PREFIX = {"da": "", "en": "/en"}
# An address in a sitemap, as <loc> or as an alternate language's href.
LISTED = re.compile(r'(?:<loc>|href=")http://testserver(/[^<"]*)')


@pytest.fixture(autouse=True)
def in_production(settings):
    settings.DEBUG = False


def assert_framed_error_page(response, language: str, status: int) -> None:
    page = response.content.decode()
    prefix = PREFIX[language]
    assert response.status_code == status
    assert f'<html lang="{language}">' in page
    assert f"<h1>{HEADINGS[language, status]}</h1>" in page
    assert f'<a href="{prefix}/organisationer/"' in page  # the menu
    assert f'action="{prefix}/initiativer/" role="search"' in page
    assert 'name="q"' in page
    assert "Not Found" not in page


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "/initiativer/findes-ikke/",
        "/organisationer/findes-ikke/",
        "/initiativer/?side=99",
        "/organisationer/?side=99",
        "/side-der-ikke-findes/",
    ],
)
def test_a_missing_page_is_a_404_in_the_sites_frame_and_language(
    client, path, language
):
    response = client.get(PREFIX[language] + path)

    assert_framed_error_page(response, language, 404)


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_request_for_a_host_that_is_not_allowed_is_a_framed_400(client, language):
    response = client.get(f"{PREFIX[language]}/kategorier/", HTTP_HOST="evil.example")

    assert_framed_error_page(response, language, 400)
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_page_the_visitor_may_not_see_is_a_framed_403(client, language):
    with mock.patch("initiatives.views.level_counts", side_effect=PermissionDenied):
        response = client.get(f"{PREFIX[language]}/om/evidens/")

    assert_framed_error_page(response, language, 403)


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_failing_page_is_a_framed_500(client, language):
    client.raise_request_exception = False

    with mock.patch(
        "initiatives.listing.counting.FacetCounts.facets", side_effect=ZeroDivisionError
    ):
        response = client.get(f"{PREFIX[language]}/initiativer/")

    assert_framed_error_page(response, language, 500)


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_page_whose_database_is_away_is_a_framed_503(client, language):
    client.raise_request_exception = False
    away = OperationalError("could not connect to server")

    with mock.patch(
        "initiatives.http_caching.CatalogueVersion.current_stamp", side_effect=away
    ):
        response = client.get(f"{PREFIX[language]}/maalgrupper/")

    assert_framed_error_page(response, language, 503)
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_500_page_renders_without_the_database(django_db_blocker, language):
    request = RequestFactory().get(f"{PREFIX[language]}/initiativer/")

    # Any query would raise here.
    with django_db_blocker.block():
        try:
            raise ZeroDivisionError
        except ZeroDivisionError:
            response = server_error(request)

    assert_framed_error_page(response, language, 500)


def test_the_500_page_falls_back_to_plain_text_if_its_frame_fails(caplog):
    request = RequestFactory().get("/initiativer/")

    with mock.patch(
        "initiatives.faults.loader.render_to_string", side_effect=ValueError
    ):
        response = server_error(request)

    assert response.status_code == 500
    assert "<h1>Der opstod en fejl</h1>" in response.content.decode()
    assert any(record.exc_info[0] is ValueError for record in caplog.records)


@pytest.mark.slow
def test_every_address_the_sitemap_lists_answers(client):
    index = client.get("/sitemap.xml").text
    addresses = set()
    for section in LISTED.findall(index):
        addresses |= set(LISTED.findall(client.get(section).text))

    statuses = {address: client.get(address).status_code for address in addresses}

    assert len(addresses) > 2 * 155
    assert {address for address, status in statuses.items() if status != 200} == set()


@pytest.mark.parametrize(
    "path, queries",
    [
        ("/side-der-ikke-findes/", 0),  # no page's address: nothing to look up
        # The catalogue version, the initiative for its ETag and for the page.
        ("/en/initiativer/findes-ikke/", 3),
        ("/initiativer/?side=99", 2),  # the catalogue version, for the cache and index
    ],
)
def test_a_missing_page_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, path, queries
):
    client.get("/")  # the count index, built once per catalogue version

    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 404

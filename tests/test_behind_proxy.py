"""Limits that hold behind the reverse proxies: the API's rate limit and the login
limits count the address that reached the first trusted proxy, whatever a client
puts in front of it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory, override_settings
from django.urls import reverse

from initiatives.curation.login_limits import client_address
from initiatives.models import CatalogueVersion
from initiatives.opendata import built_files

from .conftest import make_initiative

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the nearest proxy, as the app server sees it
CDN = "192.0.2.10"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (0, "", PROXY),
        (0, "198.51.100.1", PROXY),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 198.51.100.2, 203.0.113.5", "203.0.113.5"),
        (2, f"203.0.113.5, {CDN}", "203.0.113.5"),
        (2, f"198.51.100.1,203.0.113.5, {CDN}", "203.0.113.5"),
    ],
)
def test_the_client_is_counted_from_the_right_past_the_trusted_proxies(
    settings, proxies, forwarded, client
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
    )

    assert client_address(request) == client


def api_request(client, n: int, **headers):
    return client.get("/api/v1/kilder/", {"n": n}, **headers)


@override_settings(API_RATE_LIMIT="3/minute", TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_a_new_forwarded_header_each_time_escapes_no_api_limit(
    client,
):
    statuses = [
        api_request(
            client, n, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
    assert api_request(client, 5, REMOTE_ADDR="203.0.113.6").status_code == 200


@override_settings(API_RATE_LIMIT="3/minute", TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_a_forged_prefix_escapes_no_api_limit(client):
    statuses = [
        api_request(
            client,
            n,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5",
        ).status_code
        for n in range(4)
    ]
    other_client = api_request(
        client, 5, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.0, 203.0.113.6"
    )

    assert statuses == [200, 200, 200, 429]
    assert other_client.status_code == 200


@override_settings(API_RATE_LIMIT="3/minute", TRUSTED_PROXY_COUNT=2)
def test_behind_a_cdn_and_a_proxy_each_visitor_has_a_limit_of_their_own(client):
    """The CDN adds the visitor's address, nginx the CDN's."""
    statuses = [
        api_request(
            client,
            n,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5, {CDN}",
        ).status_code
        for n in range(4)
    ]
    other_visitor = api_request(
        client, 5, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.6, {CDN}"
    )

    assert statuses == [200, 200, 200, 429]
    assert other_visitor.status_code == 200


def login(client, username: str, password: str, address: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"198.51.100.1, {address}",
    )


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_password_spraying_from_a_shared_address_does_not_lock_out_its_curators(
    client,
):
    User.objects.create_user("mette", password="Rigtig-adgangskode-9", is_staff=True)
    hospital = "203.0.113.9"
    for attempt in range(20):
        login(client, f"gaet-{attempt}", "forkert", hospital)

    sprayer_again = login(client, "gaet-3", "Sommer2026", hospital)
    curator = login(client, "mette", "Rigtig-adgangskode-9", hospital)

    assert sprayer_again.status_code == 429
    assert curator.status_code == 302
    assert client.session["_auth_user_id"]


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_after_spraying_one_wrong_guess_locks_a_username_at_that_address(client):
    User.objects.create_user("mette", password="Rigtig-adgangskode-9", is_staff=True)
    hospital = "203.0.113.9"
    for attempt in range(20):
        login(client, f"gaet-{attempt}", "forkert", hospital)

    guess = login(client, "mette", "Sommer2026", hospital)
    right_password = login(client, "mette", "Rigtig-adgangskode-9", hospital)
    elsewhere = login(client, "mette", "Rigtig-adgangskode-9", "203.0.113.50")

    assert guess.status_code == 429
    assert right_password.status_code == 429
    assert elsewhere.status_code == 302


SITE = "https://katalog.example"
ANOTHER_PORT = {"HTTP_HOST": "katalog.example:6666", "secure": True}


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def public_site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["katalog.example"]


@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("/initiativer/nyt.atom?region=hovedstaden", "/initiativer/?region="),
        ("/initiativer/nyt.atom", '/initiativer/nyt.atom"'),
        ("/sitemap.xml", "/sitemap-indsatser.xml"),
        ("/sitemap-indsatser.xml", "/en/initiativer/sammen-om-min-vej/"),
        ("/robots.txt", "/sitemap.xml"),
        ("/initiativer/eksport.csv", "/initiativer/sammen-om-min-vej/"),
        ("/initiativer/eksport.csv?q=navigator", "/initiativer/"),
        ("/api/v1/initiativer/?antal=2", "/api/v1/initiativer/?antal=2&side=2"),
        ("/api/v1/initiativer/sammen-om-min-vej/", "/kilder/"),
        ("/initiativer/sammen-om-min-vej/", "/organisationer/"),
        ("/licens/", "/data/"),
    ],
)
def test_links_are_on_the_sites_address_whatever_host_and_port_the_request_names(
    client, public_site, path, link
):
    response = client.get(path, **ANOTHER_PORT)
    text = body(response)

    assert response.status_code == 200
    assert f"{SITE}{link}" in text
    assert "6666" not in text
    assert "testserver" not in text


def test_an_initiatives_page_describes_itself_on_the_sites_address(client, public_site):
    page = client.get("/initiativer/sammen-om-min-vej/?fra=liste", **ANOTHER_PORT).text

    assert (
        f'<meta property="og:url" content="{SITE}/initiativer/sammen-om-min-vej/'
        '?fra=liste">'
    ) in page
    assert f'"url": "{SITE}/initiativer/sammen-om-min-vej/"' in page


def test_a_page_kept_for_one_port_is_good_for_every_port(
    client, public_site, django_assert_num_queries
):
    first = client.get("/initiativer/nyt.atom", HTTP_HOST="katalog.example:1")

    with django_assert_num_queries(1):  # the catalogue's version
        again = client.get(
            "/initiativer/nyt.atom",
            HTTP_HOST="katalog.example:2",
            HTTP_IF_NONE_MATCH=first["ETag"],
        )

    assert again.status_code == 304


def test_the_whole_catalogue_export_is_one_file_whatever_host_and_port(
    client, public_site, settings
):
    for port in range(6660, 6670):
        response = client.get(
            "/initiativer/eksport.csv", HTTP_HOST=f"katalog.example:{port}"
        )
        assert f"{SITE}/initiativer/" in body(response)

    files = list(built_files.folder().glob("*-initiativer-*.csv"))
    assert len(files) == 1


def test_a_new_version_removes_every_other_export_file_also_of_older_names(
    client, settings
):
    body(client.get("/initiativer/eksport.csv", {"format": "csv"}))
    folder = built_files.folder()
    # As a file was named per host and port before SITE_URL.
    (folder / "initiativer-1-da-navn-excel-0123456789abcdef.csv").write_text("gammel")
    make_initiative(slug="helt-ny", name="Helt ny")

    body(client.get("/initiativer/eksport.csv"))

    number, stamp = CatalogueVersion.number_and_stamp()
    assert [path.name for path in folder.iterdir()] == [
        f"{stamp}-v{number}-initiativer-da-navn-excel.csv"
    ]


def test_a_host_that_is_not_allowed_is_refused_even_with_a_pages_etag(
    client, public_site
):
    first = client.get("/kategorier/", HTTP_HOST="katalog.example")

    response = client.get(
        "/kategorier/", HTTP_HOST="evil.example", HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert response.status_code == 400


def test_the_redirect_to_https_goes_to_the_sites_address():
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "k" * 50,
        "SITE_URL": "https://katalog.example",
    }
    code = (
        "from django.test import Client; "
        "r = Client().get('/kategorier/?side=2', HTTP_HOST='katalog.example:6666'); "
        "print(r.status_code, r['Location'])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.stdout.split() == [
        "301",
        "https://katalog.example/kategorier/?side=2",
    ]

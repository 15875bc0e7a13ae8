"""Limits that hold behind the reverse proxies: the API's rate limit and the login
limits count the address that reached the first trusted proxy, whatever a client
puts in front of it."""

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory, override_settings
from django.urls import reverse

from initiatives.login_limits import client_address

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

"""HTTP caching of public pages: an anonymous visitor's page says how long a shared
cache may keep it and carries an ETag from the catalogue version, so asking again is
a 304 until a curator changes anything; then the next request shows the change.
tests/test_nginx.py runs the same through nginx's cache."""

import time

import pytest
from django.urls import reverse

from initiatives.curation.merging import merge_organisations
from initiatives.models import (
    CatalogueVersion,
    Initiative,
    Involvement,
    Organisation,
    TargetGroup,
)

from .conftest import (
    PUBLIC_PAGES,
    empty_inlines,
    make_initiative,
    make_organisation,
    opened_at,
)

pytestmark = pytest.mark.django_db

SHARED = "public, max-age=1, stale-while-revalidate=60"


def change_url(initiative: Initiative) -> str:
    return reverse("admin:initiatives_initiative_change", args=[initiative.pk])


def revalidated(client, path: str, response, **headers):
    return client.get(path, HTTP_IF_NONE_MATCH=response["ETag"], **headers)


@pytest.mark.parametrize(
    "path",
    [*PUBLIC_PAGES, *("/en" + path for path in PUBLIC_PAGES)]
    + ["/api/v1/initiativer/", "/sitemap.xml", "/robots.txt"],
)
def test_every_public_page_may_be_kept_by_a_shared_cache_for_a_second(client, path):
    asked = int(time.time())
    response = client.get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == SHARED
    # nginx: to the end of the second it was answered in (the test below).
    assert asked <= int(response["X-Accel-Expires"].removeprefix("@")) <= time.time()
    assert response["ETag"].startswith('"')
    vary = response.get("Vary")
    assert vary is None or vary.strip()  # an empty Vary header says nothing
    assert "Cookie" not in (vary or "")
    if not path.startswith(("/api/", "/sitemap", "/robots")):
        assert "Accept-Language" not in (vary or "")


def test_asking_again_with_the_etag_is_a_304_after_the_version_and_the_filter(
    client, django_assert_num_queries
):
    first = client.get("/initiativer/?region=hovedstaden")

    with django_assert_num_queries(2):  # the catalogue version, the region's slug
        again = revalidated(client, "/initiativer/?region=hovedstaden", first)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == SHARED


def test_a_304_tells_nginx_again_to_keep_its_copy_to_the_end_of_this_second(client):
    """nginx counts a max-age in whole seconds from the second it stores a copy, so
    `max-age=1` alone would keep it up to two seconds (test_nginx.py)."""
    first = client.get("/organisationer/")
    asked = int(time.time())
    again = revalidated(client, "/organisationer/", first)

    assert again.status_code == 304
    assert asked <= int(again["X-Accel-Expires"].removeprefix("@")) <= time.time()


def test_the_languages_and_query_strings_have_etags_of_their_own(client):
    pages = ["/kategorier/", "/en/kategorier/", "/initiativer/?region=hovedstaden"]
    etags = {client.get(page)["ETag"] for page in pages}

    assert len(etags) == len(pages)
    assert client.get("/kategorier/")["ETag"] in etags


def test_a_curators_save_shows_on_the_very_next_request(client, curator):
    initiative = make_initiative(slug="cachet", name="Gammelt navn", start_year=2099)
    pages = [initiative.get_absolute_url(), "/initiativer/?sortering=nyeste"]
    client.logout()
    before = {page: client.get(page) for page in pages}
    assert all("Gammelt navn" in response.text for response in before.values())

    client.force_login(curator)
    client.post(
        change_url(initiative),
        {
            "name": "Nyt navn",
            "slug": initiative.slug,
            "status": initiative.status,
            "summary": initiative.summary,
            "start_year": initiative.start_year,
            **empty_inlines(),
            **opened_at(client, change_url(initiative)),
        },
    )
    client.logout()

    for page, response in before.items():
        again = revalidated(client, page, response)
        assert again.status_code == 200
        assert "Nyt navn" in again.text
        # Once shown, it stays: the new ETag is good until the next change.
        assert revalidated(client, page, again).status_code == 304


def test_a_logged_in_user_always_gets_a_private_page_rendered_afresh(client, curator):
    client.logout()
    anonymous = client.get("/initiativer/")
    client.force_login(curator)

    response = revalidated(client, "/initiativer/", anonymous)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert "ETag" not in response


def test_the_admin_is_never_kept(client, curator):
    response = client.get(reverse("admin:initiatives_initiative_changelist"))

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_draft_preview_is_never_kept(client, curator):
    draft = make_initiative(slug="kladden", name="Hemmelig kladde", status="kladde")

    preview = client.get(draft.get_absolute_url())
    client.logout()

    assert "Hemmelig kladde" in preview.text
    assert preview["Cache-Control"] == "private, no-store"
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_suggestion_form_is_never_kept(client):
    response = client.get("/foreslaa/")

    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in response


def test_a_page_that_is_not_found_is_not_kept(client):
    missing = client.get("/initiativer/kommer-snart/")
    make_initiative(slug="kommer-snart")

    assert missing.status_code == 404
    assert missing["Cache-Control"] == "private, no-cache"
    assert client.get("/initiativer/kommer-snart/").status_code == 200


def test_a_short_filtered_export_is_kept_as_its_list_and_shows_a_change(client):
    """The whole catalogue's export is kept once per version (test_export.py)."""
    initiative = make_initiative(
        slug="eksporteres", name="Før eksporten", start_year=2020
    )
    export = "/initiativer/eksport.csv?aar_fra=2019"
    first = client.get(export)
    assert first["Cache-Control"] == SHARED
    assert revalidated(client, export, first).status_code == 304

    initiative.name = "Efter eksporten"
    initiative.save()
    changed = revalidated(client, export, first).content.decode()

    assert "Efter eksporten" in changed and "Før eksporten" not in changed


def test_a_long_export_is_streamed_and_never_kept(client, monkeypatch):
    from initiatives.opendata import exports

    monkeypatch.setattr(exports, "WHOLE_UP_TO", 3)
    response = client.get("/initiativer/eksport.csv?kategori=organisering")

    assert response.streaming
    assert b"".join(response.streaming_content).count(b"\r\n") > 4
    assert response["Cache-Control"] == "private, no-cache"
    assert "ETag" not in response


def test_a_change_to_an_initiatives_target_groups_alone_shows_on_the_next_request(
    client,
):
    initiative = make_initiative(slug="uden-maalgruppe", name="Uden målgruppe endnu")
    page = "/maalgrupper/hjemloese/?side=1"
    before = client.get(page)
    assert "Uden målgruppe endnu" not in before.text

    # Only the relation changes: no initiative is saved.
    initiative.target_groups.add(TargetGroup.objects.get(slug="hjemloese"))

    assert "Uden målgruppe endnu" in revalidated(client, page, before).text


def test_a_deleted_target_group_leaves_its_initiatives_pages_at_once(client):
    """Its rows in the initiatives' relation go in a cascade that sends no signal
    of their own."""
    group = TargetGroup.objects.create(
        name="Snart væk", name_en="Soon gone", slug="snart-vaek"
    )
    initiative = make_initiative(slug="med-gruppe", name="Med gruppe")
    initiative.target_groups.add(group)
    page = initiative.get_absolute_url()
    before = client.get(page)
    assert "Snart væk" in before.text

    group.delete()

    assert "Snart væk" not in revalidated(client, page, before).text


def test_merging_organisations_shows_on_the_pages_at_once(client):
    """Their involvements move in one UPDATE, which sends no signal."""
    keep = make_organisation(name="Den der bliver", slug="bliver")
    duplicate = make_organisation(name="Dubletten", slug="dubletten")
    initiative = make_initiative(slug="flyttes", name="Flyttes")
    Involvement.objects.create(
        initiative=initiative, organisation=duplicate, role="ansvarlig"
    )
    page = initiative.get_absolute_url()
    before = client.get(page)
    assert "Dubletten" in before.text
    stamp = CatalogueVersion.current_stamp()

    merge_organisations(keep, [duplicate])
    after = revalidated(client, page, before).text

    assert CatalogueVersion.current_stamp() != stamp
    assert "Den der bliver" in after and "Dubletten" not in after
    assert not Organisation.objects.filter(slug="dubletten").exists()


def test_a_conditional_request_from_a_host_that_is_not_allowed_is_refused(client):
    first = client.get("/kategorier/")

    response = revalidated(client, "/kategorier/", first, HTTP_HOST="evil.example")

    assert response.status_code == 400

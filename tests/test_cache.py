"""The page cache: repeated views of public pages are served from memory, and a
curator's change shows on the very next request, or in production within the
seconds CHANGES_SHOW_WITHIN_SECONDS allows."""

import logging
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from initiatives import count_index
from initiatives.models import (
    CatalogueVersion,
    Initiative,
    InitiativeChange,
    Involvement,
    TargetGroup,
)
from initiatives.page_cache import CachedPage, PageCacheMiddleware, rerenders

from .conftest import empty_inlines, make_initiative, make_organisation, opened_at

pytestmark = pytest.mark.django_db


def change_url(initiative: Initiative) -> str:
    return reverse("admin:initiatives_initiative_change", args=[initiative.pk])


def test_a_repeated_view_costs_only_the_catalogue_version_query(
    client, django_assert_num_queries
):
    first = client.get("/initiativer/?region=hovedstaden")

    with django_assert_num_queries(1):
        again = client.get("/initiativer/?region=hovedstaden")

    assert again.status_code == 200
    assert again.content == first.content


def test_the_languages_and_query_strings_are_cached_apart(client):
    danish = client.get("/kategorier/").text
    english = client.get("/en/kategorier/").text
    filtered = client.get("/initiativer/?region=hovedstaden").text

    assert "Dialogue support" in english
    assert client.get("/kategorier/").text == danish
    assert client.get("/en/kategorier/").text == english
    assert client.get("/initiativer/").text != filtered


def test_a_curators_change_is_visible_on_the_very_next_request(client, curator):
    initiative = make_initiative(slug="cachet", name="Gammelt navn", start_year=2099)
    newest_first = "/initiativer/?sortering=nyeste"
    client.logout()
    assert "Gammelt navn" in client.get(initiative.get_absolute_url()).text
    assert "Gammelt navn" in client.get(newest_first).text

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

    assert "Nyt navn" in client.get(initiative.get_absolute_url()).text
    assert "Nyt navn" in client.get(newest_first).text


def test_a_draft_preview_is_never_cached(client, curator):
    draft = make_initiative(slug="kladden", name="Hemmelig kladde", status="kladde")

    preview = client.get(draft.get_absolute_url())
    client.logout()

    assert "Hemmelig kladde" in preview.text
    assert client.get(draft.get_absolute_url()).status_code == 404


def served_from_cache(response) -> bool:
    """The test client records the templates a response renders; a cached one
    renders none."""
    return response.context is None


def test_a_repeated_view_is_served_from_the_cache(client):
    assert not served_from_cache(client.get("/maalgrupper/"))
    assert served_from_cache(client.get("/maalgrupper/"))


def test_a_page_cached_by_the_code_before_a_deploy_is_not_read(client, monkeypatch):
    client.get("/maalgrupper/")
    monkeypatch.setattr(CachedPage, "FORMAT", CachedPage.FORMAT + 1)

    assert not served_from_cache(client.get("/maalgrupper/"))


def test_a_logged_in_user_is_never_served_a_cached_page(client, curator):
    client.logout()
    client.get("/initiativer/")
    client.force_login(curator)

    first, again = client.get("/initiativer/"), client.get("/initiativer/")

    assert not served_from_cache(first)
    assert not served_from_cache(again)


def test_the_admin_is_never_cached(client, curator):
    changelist = reverse("admin:initiatives_initiative_changelist")
    client.get(changelist)

    assert not served_from_cache(client.get(changelist))


def test_a_short_filtered_export_is_cached_as_its_list_and_shows_a_change(
    client, django_assert_num_queries
):
    """The whole catalogue's export is kept once per version (test_export.py)."""
    initiative = make_initiative(
        slug="eksporteres", name="Før eksporten", start_year=2020
    )
    export = "/initiativer/eksport.csv?aar_fra=2019"
    first = client.get(export).content

    with django_assert_num_queries(1):  # the catalogue version
        assert client.get(export).content == first

    initiative.name = "Efter eksporten"
    initiative.save()
    changed = client.get(export).content.decode()

    assert "Efter eksporten" in changed and "Før eksporten" not in changed


def test_a_long_export_is_streamed_and_never_cached(client, monkeypatch):
    from initiatives import exports

    monkeypatch.setattr(exports, "WHOLE_UP_TO", 3)
    export = "/initiativer/eksport.csv?kategori=organisering"
    first = b"".join(client.get(export).streaming_content)
    Initiative.objects.filter(name__startswith="A").update(name="Ændret uden signal")

    again = b"".join(client.get(export).streaming_content).decode()

    assert first.count(b"\r\n") > 4
    assert "Ændret uden signal" in again


def test_a_page_that_is_not_found_is_not_cached(client):
    client.get("/initiativer/kommer-snart/")
    make_initiative(slug="kommer-snart")

    assert client.get("/initiativer/kommer-snart/").status_code == 200


@pytest.mark.parametrize("path", ["/initiativer/", "/en/initiativer/"])
def test_a_cached_page_carries_the_headers_of_a_fresh_one(client, path):
    fresh = client.get(path)
    cached = client.get(path)

    assert served_from_cache(cached) and not served_from_cache(fresh)
    for header in [
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Language",
    ]:
        assert cached[header] == fresh[header], header
    assert cached["Content-Language"] == ("en" if path.startswith("/en/") else "da")


def test_a_change_to_an_initiatives_target_groups_alone_shows_on_the_next_request(
    client,
):
    initiative = make_initiative(slug="uden-maalgruppe", name="Uden målgruppe endnu")
    page = "/maalgrupper/hjemloese/?side=1"
    assert "Uden målgruppe endnu" not in client.get(page).text

    # Only the relation changes: no initiative is saved.
    initiative.target_groups.add(TargetGroup.objects.get(slug="hjemloese"))

    assert "Uden målgruppe endnu" in client.get(page).text


def test_a_response_marked_private_is_never_served_from_the_cache(rf):
    rendered = []

    def private_page(request):
        rendered.append(request)
        response = HttpResponse("kladde")
        response["Cache-Control"] = "private, no-store"
        return response

    middleware = PageCacheMiddleware(private_page)
    middleware(rf.get("/kategorier/"))
    middleware(rf.get("/kategorier/"))

    assert len(rendered) == 2


class Clock:
    """time.time() for the page cache, moved by hand."""

    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def changes_lag(settings, monkeypatch, tmp_path):
    """Changes show within 10 s, as in production. The tests using it commit
    (django_db(transaction=True)), as the index is rebuilt by a thread of its own
    with its own database connection."""
    settings.CHANGES_SHOW_WITHIN_SECONDS = 10
    settings.COUNT_INDEX_DIR = tmp_path / "index"
    clock = Clock()
    monkeypatch.setattr("initiatives.page_cache.time.time", clock)
    yield clock
    rerenders.wait()
    assert count_index.wait_for_rebuild()


def rename(initiative: Initiative, name: str) -> None:
    initiative.name = name
    initiative.save()


def counted_anew() -> None:
    """The request after the lag starts a new count; wait until it is done."""
    assert count_index.wait_for_rebuild()


# A list that shows the initiatives made by these tests, and no other.
LISTED_IN_2099 = "/initiativer/?aar_fra=2099"


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_a_change_shows_once_counted_anew_and_the_page_rendered_again(
    client, changes_lag
):
    initiative = make_initiative(
        slug="med-forsinkelse", name="Gammelt navn", start_year=2099
    )
    page = LISTED_IN_2099
    assert "Gammelt navn" in client.get(page).text

    rename(initiative, "Nyt navn")
    changes_lag.now += 9
    assert "Gammelt navn" in client.get(page).text
    assert count_index.wait_for_rebuild(0)  # nothing is counted anew within the lag

    changes_lag.now += 2
    assert "Gammelt navn" in client.get(page).text
    counted_anew()
    # The visitor who finds the page stale is not kept waiting for it...
    assert "Gammelt navn" in client.get(page).text
    # ...a thread renders it again, and the next visitor sees the change.
    rerenders.wait()
    assert "Nyt navn" in client.get(page).text


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_saves_in_quick_succession_are_counted_once_per_lag(
    client, changes_lag, monkeypatch
):
    listed = "/initiativer/?aar_fra=1990"
    client.get(listed)
    builds = []
    build = count_index.build
    monkeypatch.setattr(count_index, "build", lambda: builds.append(1) or build())

    for year in (1991, 1992, 1993):
        make_initiative(slug=f"gemt-{year}", name=f"Gemt {year}", start_year=year)
        changes_lag.now += 3
        assert f"Gemt {year}" not in client.get(listed).text
    assert count_index.wait_for_rebuild(0)
    assert builds == []

    changes_lag.now += 2
    client.get(listed)
    counted_anew()
    client.get(listed)
    rerenders.wait()
    text = client.get(listed).text

    assert builds == [1]
    assert all(f"Gemt {year}" in text for year in (1991, 1992, 1993))


def stale_page(client, changes_lag, initiative: Initiative) -> str:
    """A list showing the initiative, viewed, then the initiative changed and
    counted anew."""
    page = LISTED_IN_2099
    client.get(page)
    rename(initiative, "Nyt navn")
    changes_lag.now += 11
    client.get(page)
    counted_anew()
    return page


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_a_stale_page_is_rendered_once_however_many_visitors_ask(
    client, changes_lag, monkeypatch
):
    initiative = make_initiative(
        slug="spurgt-ofte", name="Gammelt navn", start_year=2099
    )
    page = stale_page(client, changes_lag, initiative)
    renders = []
    rendering, go_on = threading.Event(), threading.Event()
    render = PageCacheMiddleware.render

    def slow_render(self, *args):
        renders.append(args)
        rendering.set()
        assert go_on.wait(10)
        return render(self, *args)

    monkeypatch.setattr(PageCacheMiddleware, "render", slow_render)
    assert "Gammelt navn" in client.get(page).text
    assert rendering.wait(10)
    # Other visitors, and another server process with its own middleware sharing the
    # cache, are served the page of before while it is rendered.
    for visitor in (client, Client(), Client()):
        assert "Gammelt navn" in visitor.get(page).text
    go_on.set()
    rerenders.wait()

    assert len(renders) == 1
    assert "Nyt navn" in Client().get(page).text


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_a_page_gone_since_is_dropped_from_the_cache(client, changes_lag):
    group = TargetGroup.objects.create(
        name="Snart væk", name_en="Soon gone", slug="snart-vaek"
    )
    page = group.get_absolute_url()
    assert client.get(page).status_code == 200
    group.delete()
    changes_lag.now += 11
    client.get(page)
    counted_anew()

    assert client.get(page).status_code == 200  # the page of before, once more
    rerenders.wait()

    assert client.get(page).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_a_failed_render_is_logged_and_the_page_of_before_answers(
    client, changes_lag, monkeypatch, caplog
):
    initiative = make_initiative(slug="fejler", name="Gammelt navn", start_year=2099)
    page = stale_page(client, changes_lag, initiative)

    def fails(self, *args):
        raise RuntimeError("the database went away mid-render")

    monkeypatch.setattr(PageCacheMiddleware, "render", fails)
    with caplog.at_level(logging.ERROR, logger="initiatives.page_cache"):
        client.get(page)
        rerenders.wait()

    assert "Gammelt navn" in client.get(page).text
    assert "A cached page could not be rendered again" in caplog.text
    assert "the database went away mid-render" in caplog.text
    rerenders.wait()


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_a_curator_sees_a_change_at_once(client, curator, changes_lag):
    initiative = make_initiative(slug="kurator-ser", name="Gammelt navn")
    client.logout()
    client.get(initiative.get_absolute_url())

    rename(initiative, "Nyt navn")
    client.force_login(curator)

    assert "Nyt navn" in client.get(initiative.get_absolute_url()).text


def own_pages(initiative: Initiative) -> list[str]:
    return [
        initiative.get_absolute_url(),
        "/en" + initiative.get_absolute_url(),
        f"/api/v1/initiativer/{initiative.slug}/",
    ]


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_an_initiatives_own_pages_show_its_change_on_the_next_request(
    client, changes_lag
):
    """Only the lists and other pages that show it wait for the count index."""
    initiative = make_initiative(
        slug="egne-sider", name="Gammelt navn", start_year=2099
    )
    for page in [*own_pages(initiative), LISTED_IN_2099]:
        assert "Gammelt navn" in client.get(page).text

    rename(initiative, "Nyt navn")

    for page in own_pages(initiative):
        assert "Nyt navn" in client.get(page).text
    assert "Gammelt navn" in client.get(LISTED_IN_2099).text


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_a_change_to_an_initiatives_parts_shows_on_its_page_at_once(
    client, changes_lag
):
    initiative = make_initiative(slug="dele", name="Med dele")
    page = initiative.get_absolute_url()
    group = TargetGroup.objects.create(
        name="Ny målgruppe", name_en="New group", slug="ny-maalgruppe"
    )
    assert "Ny målgruppe" not in client.get(page).text

    initiative.target_groups.add(group)
    assert "Ny målgruppe" in client.get(page).text

    organisation = make_organisation(name="Ny partner", slug="ny-partner")
    Involvement.objects.create(
        initiative=initiative, organisation=organisation, role="partner"
    )
    assert "Ny partner" in client.get(page).text


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_a_change_to_another_initiative_leaves_a_page_cached(
    client, changes_lag, django_assert_num_queries
):
    initiative = make_initiative(slug="uroert", name="Uændret")
    other = make_initiative(slug="en-anden", name="En anden")
    changes_lag.now += 1
    page = initiative.get_absolute_url()
    first = client.get(page)

    rename(other, "En anden, omdøbt")

    # The catalogue's version and when this initiative last changed.
    with django_assert_num_queries(2):
        again = client.get(page)
    assert again.content == first.content


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_a_failed_mark_is_logged_and_the_save_stands(
    client, changes_lag, monkeypatch, caplog
):
    initiative = make_initiative(slug="maerke", name="Gammelt navn")

    def fails(*args):
        raise RuntimeError("the mark could not be written")

    monkeypatch.setattr(InitiativeChange, "record", fails)
    with caplog.at_level(logging.ERROR):
        rename(initiative, "Nyt navn")

    assert Initiative.objects.get(pk=initiative.pk).name == "Nyt navn"
    assert "the mark could not be written" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_a_deleted_initiatives_page_is_gone_on_the_next_request(
    client, changes_lag
):
    initiative = make_initiative(slug="slettes", name="Slettes")
    page = initiative.get_absolute_url()
    client.get(page)

    initiative.delete()

    assert client.get(page).status_code == 404
    assert client.get(page).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_the_lists_count_from_the_old_index_while_a_thread_builds_anew(
    client, changes_lag
):
    make_initiative(slug="talt-foer", name="Talt før", start_year=2000)
    assert "Talt før" in client.get("/initiativer/?aar_til=2001").text

    make_initiative(slug="talt-efter", name="Talt efter", start_year=2000)
    version = CatalogueVersion.current()
    changes_lag.now += 11
    # A page not cached before is rendered at once from the index of before...
    listed = "/initiativer/?aar_til=2002"
    assert "Talt efter" not in client.get(listed).text
    counted_anew()
    assert count_index.current_index().version == version

    # ...and cached as old as that index, so it is rendered again, from the new one.
    assert "Talt efter" not in client.get(listed).text
    rerenders.wait()
    assert "Talt efter" in client.get(listed).text


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_a_failed_rebuild_is_logged_and_the_old_index_answers(
    client, changes_lag, monkeypatch, caplog
):
    built_before = count_index.current_index()
    make_initiative(slug="ikke-talt", name="Ikke talt")
    changes_lag.now += 11

    def fails():
        raise RuntimeError("the database went away mid-build")

    monkeypatch.setattr(count_index, "build", fails)
    assert count_index.current_index() is built_before
    assert count_index.wait_for_rebuild()

    assert count_index.current_index() is built_before
    assert "The count index could not be rebuilt" in caplog.text
    assert "the database went away mid-build" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_with_a_lag_one_server_process_builds_an_index_and_the_others_load_it(
    changes_lag, settings, monkeypatch
):
    make_initiative(slug="delt-indeks", name="Delt indeks")
    own = count_index.current_index()
    changes_lag.now += 11
    built = count_index.shared_build(newer_than=own.as_of)
    builds = []
    build = count_index.build
    monkeypatch.setattr(count_index, "build", lambda: builds.append(1) or build())

    # Another process, whose own index is older, loads the copy...
    changes_lag.now += 3
    assert count_index.shared_build(newer_than=own.as_of) == built
    assert builds == []
    # ...but one whose index is as new builds a newer one, as does one asking more
    # than a lag after the copy was begun.
    assert count_index.shared_build(newer_than=built.as_of).as_of > built.as_of
    changes_lag.now += 11
    count_index.shared_build(newer_than=own.as_of)
    assert builds == [1, 1]
    assert len(list(settings.COUNT_INDEX_DIR.glob("*.pickle"))) == 1


def test_the_index_is_never_loaded_from_a_directory_others_can_write(
    settings, tmp_path
):
    shared = tmp_path / "delt"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    settings.COUNT_INDEX_DIR = shared

    with pytest.raises(ImproperlyConfigured):
        count_index.shared_build(newer_than=0)


def test_by_default_the_index_is_shared_through_a_private_temporary_directory():
    directory = count_index.index_directory()

    assert directory.parent == Path(tempfile.gettempdir())
    assert directory.stat().st_mode & 0o777 == 0o700

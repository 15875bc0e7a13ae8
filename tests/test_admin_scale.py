"""The admin at any size: a page's queries and a save's queries do not grow with the
catalogue, and a save that changes what thousands of initiatives are found by marks
them in its own transaction and leaves the re-indexing to after the commit, where
being cut off loses nothing."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from initiatives.curation.merging import merge_organisations
from initiatives.models import (
    Category,
    Initiative,
    Involvement,
    Organisation,
    SourceDocument,
    StaleSearchText,
    Synonym,
    TargetGroup,
)
from initiatives.search import refresh_search_text, stale

from .conftest import make_full_initiatives, make_initiative, make_reference

pytestmark = pytest.mark.django_db

LIST = reverse("initiatives:initiative_list")


def found(client, query: str) -> set[str]:
    response = client.get(LIST, {"q": query})
    return {i.slug for i in response.context["paginator"].object_list}


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def form_of(client, obj, **changes) -> dict:
    """The record's change form as a curator posts it back, with the snapshot it
    was opened with."""
    fields = {
        name: "" if value is None else value
        for name, value in model_to_dict(obj).items()
    }
    snapshot = client.get(change_url(obj)).context["edit_snapshot"]
    return {**fields, "edit_snapshot": snapshot, **changes}


def queries_of(client, method: str, url: str, data=None) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302), response
    return [query["sql"] for query in queries]


# (what is renamed, how, and the initiatives `make_full_initiatives` links it to)
RENAMES = {
    "organisation": (
        lambda prefix: Organisation.objects.get(slug=f"{prefix}-org"),
        {"name": "Zebrafondens Netværk"},
    ),
    "target group": (
        lambda prefix: TargetGroup.objects.order_by("name").first(),
        {"name_en": "Zebrafolk"},
    ),
    "category": (
        lambda prefix: Category.objects.get(slug="koordinator-og-navigatorprojekter"),
        {"name": "Zebrakoordinering"},
    ),
}


@pytest.mark.parametrize("kind", RENAMES)
def test_a_rename_costs_the_same_queries_however_many_initiatives_it_touches(
    client, curator, kind
):
    record_of, changes = RENAMES[kind]
    make_full_initiatives(2, prefix="faa")
    few = queries_of(
        client, "post", *save_of(client, record_of("faa"), changes, suffix=" 1")
    )
    make_full_initiatives(25, prefix="mange")
    many = queries_of(
        client, "post", *save_of(client, record_of("mange"), changes, suffix=" 2")
    )

    assert len(few) == len(many)
    # The search texts are made after the commit, not in the curator's request.
    assert not [sql for sql in many if 'UPDATE "initiatives_initiative"' in sql]


def save_of(client, record, changes: dict, suffix: str) -> tuple[str, dict]:
    changed = {name: value + suffix for name, value in changes.items()}
    return change_url(record), form_of(client, record, **changed)


@pytest.mark.parametrize("kind", RENAMES)
def test_after_a_rename_commits_search_finds_its_initiatives_by_the_new_name(
    client, curator, django_capture_on_commit_callbacks, kind
):
    record_of, changes = RENAMES[kind]
    initiatives = make_full_initiatives(3, prefix="omdoeb")
    record = record_of("omdoeb")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(record), form_of(client, record, **changes))

    assert response.status_code == 302
    assert {i.slug for i in initiatives} <= found(client, *changes.values())
    assert not StaleSearchText.objects.exists()


def test_a_save_that_leaves_every_name_as_it_was_marks_nothing(client, curator):
    make_full_initiatives(3, prefix="uaendret")
    category = Category.objects.get(slug="koordinator-og-navigatorprojekter")

    client.post(
        change_url(category), form_of(client, category, definition="Ny definition.")
    )

    assert not StaleSearchText.objects.exists()


def test_a_rename_cut_off_after_its_commit_is_finished_by_the_catch_up(client, curator):
    initiatives = make_full_initiatives(3, prefix="afbrudt")
    organisation = Organisation.objects.get(slug="afbrudt-org")

    # The save commits; the catch-up after it fails (the process was stopped).
    client.post(
        change_url(organisation),
        form_of(client, organisation, name="Zebrafondens Netværk"),
    )
    with mock.patch.object(stale, "refresh_search_text", side_effect=RuntimeError):
        with pytest.raises(RuntimeError):
            stale.refresh_stale()

    organisation.refresh_from_db()
    assert organisation.name == "Zebrafondens Netværk"
    assert StaleSearchText.objects.count() == 3
    assert not found(client, "Zebrafondens")

    call_command("refresh_search", stdout=open("/dev/null", "w"))

    assert not StaleSearchText.objects.exists()
    assert {i.slug for i in initiatives} == found(client, "Zebrafondens")


def rename(client, organisation: Organisation, name: str) -> None:
    response = client.post(
        change_url(organisation), form_of(client, organisation, name=name)
    )
    assert response.status_code == 302


@pytest.mark.slow
def test_a_rename_is_followed_by_search_once_the_task_worker_has_run_its_task(
    client, curator, task_worker
):
    initiatives = make_full_initiatives(3, prefix="arbejder")
    organisation = Organisation.objects.get(slug="arbejder-org")

    rename(client, organisation, "Zebrafondens Netværk")

    # The save enqueued the work and returned; the worker has not run yet.
    assert StaleSearchText.objects.count() == 3
    assert not found(client, "Zebrafondens")

    task_worker()

    assert {i.slug for i in initiatives} == found(client, "Zebrafondens")
    assert not StaleSearchText.objects.exists()
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.slow
def test_a_refresh_task_that_failed_is_finished_by_the_next_renames_task(
    client, curator, task_worker, caplog
):
    first = make_full_initiatives(2, prefix="foerste")
    second = make_full_initiatives(2, prefix="anden")
    rename(
        client,
        Organisation.objects.get(slug="foerste-org"),
        "Zebrafondens Netværk",
    )
    with mock.patch.object(stale, "refresh_search_text", side_effect=RuntimeError):
        task_worker()
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert [(r.name, r.exc_info[0]) for r in errors] == [("django_tasks", RuntimeError)]
    assert StaleSearchText.objects.count() == 2
    assert not found(client, "Zebrafondens")

    rename(
        client,
        Organisation.objects.get(slug="anden-org"),
        "Giraffernes Forening",
    )
    task_worker()

    assert {i.slug for i in first} == found(client, "Zebrafondens")
    assert {i.slug for i in second} == found(client, "Giraffernes")
    assert not StaleSearchText.objects.exists()


def test_a_changed_synonym_is_followed_by_the_initiatives_that_say_either_word(
    client, curator, django_capture_on_commit_callbacks
):
    says_word = make_initiative(slug="siger-zebra", summary="Om zebraer i byen.")
    says_means = make_initiative(slug="siger-hest", summary="Om heste på landet.")
    refresh_search_text(Initiative.objects.filter(slug__startswith="siger-"))
    synonym = Synonym.objects.create(word="zebraer", means="giraffer")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(synonym), form_of(client, synonym, means="heste"))

    says_word.refresh_from_db()
    says_means.refresh_from_db()
    assert "heste" in says_word.search_text.split()
    assert "zebraer" in says_means.search_text.split()
    assert not StaleSearchText.objects.exists()


def test_merging_organisations_marks_their_initiatives_and_refreshes_them_after(
    client, curator, django_capture_on_commit_callbacks
):
    initiatives = make_full_initiatives(3, prefix="dublet")
    keep = Organisation.objects.create(
        name="Zebrafondens Netværk", slug="zebrafonden", kind="andet"
    )
    duplicate = Organisation.objects.get(slug="dublet-org")
    url = reverse("admin:initiatives_organisation_changelist")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "action": "merge",
                "_selected_action": [keep.pk, duplicate.pk],
                "keep": keep.pk,
            },
        )

    assert {i.slug for i in initiatives} == found(client, "Zebrafondens")


def change_forms() -> dict[str, str]:
    initiative = Initiative.objects.get(slug="mange-0")
    return {
        "initiative": change_url(initiative),
        "organisation": change_url(Organisation.objects.get(slug="mange-org")),
        "target group": change_url(TargetGroup.objects.order_by("name").first()),
        "category": change_url(
            Category.objects.get(slug="koordinator-og-navigatorprojekter")
        ),
        "source document": change_url(SourceDocument.objects.get(code="004")),
        "initiative list": reverse("admin:initiatives_initiative_changelist"),
        "reference list": reverse("admin:initiatives_sourcereference_changelist"),
        "outcome list": reverse("admin:initiatives_outcome_changelist"),
    }


def test_admin_pages_run_the_same_queries_however_large_the_catalogue(client, curator):
    make_full_initiatives(2, prefix="mange")
    for initiative in Initiative.objects.filter(slug="mange-0"):
        make_reference(initiative, locator="Bilag 3")
    for url in change_forms().values():
        client.get(url)  # what is looked up once per process
    before = {
        name: len(queries_of(client, "get", url))
        for name, url in change_forms().items()
    }

    organisation = Organisation.objects.get(slug="mange-org")
    for initiative in make_full_initiatives(30, prefix="flere"):
        make_reference(initiative, locator="Bilag 3")
        initiative.involvements.create(organisation=organisation, role="partner")
    after = {
        name: len(queries_of(client, "get", url))
        for name, url in change_forms().items()
    }

    assert after == before


def test_the_organisation_list_counts_each_initiative_once(client, curator):
    initiatives = make_full_initiatives(3, prefix="talt")
    organisation = Organisation.objects.get(slug="talt-org")
    initiatives[0].involvements.create(organisation=organisation, role="partner")
    url = reverse("admin:initiatives_organisation_changelist")

    rows = client.get(url, {"q": "talt organisation"}).context["cl"].result_list

    assert [(row.name, row.initiatives_n) for row in rows] == [("talt organisation", 3)]


def test_merging_organisations_records_every_move_in_queries_that_do_not_grow():
    def merge_queries(prefix: str, count: int) -> int:
        make_full_initiatives(count, prefix=prefix)
        keep = Organisation.objects.create(
            name=f"{prefix} beholdes", slug=f"{prefix}-beholdes", kind="andet"
        )
        duplicate = Organisation.objects.get(slug=f"{prefix}-org")
        with CaptureQueriesContext(connection) as queries:
            merge_organisations(keep, [duplicate])
        moves = Involvement.history.filter(organisation=keep, history_type="~")
        assert moves.count() == keep.involvements.count() == count
        return len(queries)

    assert merge_queries("faa", 2) == merge_queries("mange", 25)


def test_the_region_filter_lists_the_regions_initiatives_each_once(client, curator):
    url = reverse("admin:initiatives_initiative_changelist")

    listed = client.get(url, {"region": "hovedstaden", "all": ""}).context["cl"]

    in_region = Initiative.objects.filter(regions__slug="hovedstaden")
    assert sorted(i.pk for i in listed.result_list) == sorted(
        in_region.values_list("pk", flat=True)
    )
    assert listed.result_count == in_region.count() > 0


def test_a_name_reverted_from_the_history_page_is_followed_by_search(
    client, curator, django_capture_on_commit_callbacks
):
    initiatives = make_full_initiatives(2, prefix="giraffen")
    organisation = Organisation.objects.get(slug="giraffen-org")
    first = organisation.history.earliest()
    organisation.name = "Zebrafondens Netværk"
    organisation.save()
    refresh_search_text(Initiative.objects.filter(slug__startswith="giraffen-"))
    url = reverse(
        "admin:initiatives_organisation_simple_history",
        args=[organisation.pk, first.history_id],
    )
    old = {k: "" if v is None else v for k, v in model_to_dict(first.instance).items()}
    old["edit_snapshot"] = client.get(url).context["edit_snapshot"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, old)

    assert response.status_code == 302
    assert {i.slug for i in initiatives} <= found(client, "giraffen")
    assert not found(client, "Zebrafondens") & {i.slug for i in initiatives}

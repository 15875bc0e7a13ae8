"""The pages most read are named by the initiatives they show
(initiatives/page_contents.py), so that a curator's save renders again only the pages
showing what changed. What matters to a reader: a page that keeps its ETag after a
change shows exactly what it showed, so a proxy that keeps it on a 304 never shows
something out of date; and the change itself shows at once on the pages showing it."""

from dataclasses import replace

import pytest
from django.core.management import call_command

from initiatives.listing import count_index
from initiatives.listing.count_index import current_index
from initiatives.listing.counting import related_initiatives
from initiatives.models import (
    Category,
    Initiative,
    Organisation,
    Outcome,
    TargetGroup,
)

from .conftest import make_initiative

pytestmark = pytest.mark.django_db


def the_initiative() -> Initiative:
    """A published initiative on the list's first page, in a subcategory, for a
    target group, and among another's related initiatives."""
    index = current_index()
    for pk in index.pks[:20]:
        for other in index.pks:
            if other != pk and pk in related_initiatives(other, index):
                return Initiative.objects.get(pk=pk)
    raise AssertionError("no initiative is another's related one")


def pages_around(initiative: Initiative) -> list[str]:
    index = current_index()
    relating = next(
        o for o in index.pks if initiative.pk in related_initiatives(o, index)
    )
    unrelated = next(
        o
        for o in reversed(index.pks)
        if o != initiative.pk and initiative.pk not in related_initiatives(o, index)
    )
    category = (
        initiative.category_assignments.filter(category__parent__isnull=False)
        .first()
        .category
    )
    other_category = (
        Category.objects.exclude(
            pk__in=initiative.category_assignments.values("category")
        )
        .filter(parent__isnull=False)
        .first()
    )
    involved = initiative.involvements.first().organisation
    not_involved = Organisation.objects.public().exclude(
        pk__in=initiative.involvements.values("organisation")
    )[0]
    slugs = dict(
        Initiative.objects.filter(pk__in=[relating, unrelated]).values_list(
            "pk", "slug"
        )
    )
    return [
        "/initiativer/",
        "/initiativer/?side=2",
        "/en/initiativer/",
        f"/initiativer/?kategori={category.slug}",
        f"/initiativer/?kategori={other_category.slug}",
        initiative.get_absolute_url(),
        f"/en{initiative.get_absolute_url()}",
        f"/initiativer/{slugs[relating]}/",
        f"/initiativer/{slugs[unrelated]}/",
        f"/api/v1/initiativer/?kategori={category.slug}",
        f"/api/v1/initiativer/?kategori={other_category.slug}",
        f"/api/v1/initiativer/{initiative.slug}/",
        f"/api/v1/initiativer/{slugs[unrelated]}/",
        involved.get_absolute_url(),
        not_involved.get_absolute_url(),
    ]


def rename(initiative):
    initiative.name += " (2. udgave)"  # keeps its place in the order by name
    initiative.save()


def rename_to_the_end(initiative):
    initiative.name = "Øvrige: " + initiative.name
    initiative.save()


def new_summary(initiative):
    initiative.summary = "Et nyt resumé."
    initiative.save()


def new_result(initiative):
    Outcome.objects.create(
        initiative=initiative,
        reference=initiative.references.first(),
        text="Et nyt resultat",
        position=initiative.outcomes.count() + 1,
        kind=Outcome._meta.get_field("kind").choices[0][0],
    )


def new_target_group(initiative):
    initiative.target_groups.add(
        TargetGroup.objects.exclude(initiatives=initiative).first()
    )


def into_a_target_group_from_its_side(initiative):
    TargetGroup.objects.exclude(initiatives=initiative).first().initiatives.add(
        initiative
    )


def category_renamed(initiative):
    category = initiative.category_assignments.first().category
    category.name += " m.m."
    category.save()


def organisation_renamed(initiative):
    organisation = Organisation.objects.get(
        pk=initiative.involvements.first().organisation_id
    )
    organisation.name += " (nyt navn)"
    organisation.save()


def unpublished(initiative):
    initiative.status = Initiative.Status.DRAFT
    initiative.save()


def reference_removed(initiative):
    initiative.references.exclude(
        pk__in=initiative.outcomes.values("reference")
    ).exclude(pk__in=initiative.category_assignments.values("reference")).exclude(
        pk=initiative.evidence_basis_id
    ).first().delete()


def another_published(initiative):
    make_initiative(slug="en-ny-indsats", name="Aaa en ny indsats")


CHANGES = [
    rename,
    rename_to_the_end,
    new_summary,
    new_result,
    new_target_group,
    into_a_target_group_from_its_side,
    category_renamed,
    organisation_renamed,
    unpublished,
    reference_removed,
    another_published,
]


def seen(client, paths) -> dict[str, tuple[int, str, bytes]]:
    found = {}
    for path in paths:
        response = client.get(path)
        found[path] = (response.status_code, response.get("ETag"), response.content)
    return found


@pytest.mark.parametrize("change", CHANGES)
def test_a_page_that_keeps_its_etag_after_a_change_shows_what_it_showed(client, change):
    initiative = the_initiative()
    paths = pages_around(initiative)
    before = seen(client, paths)
    assert all(status == 200 for status, _, _ in before.values())

    change(initiative)
    after = seen(client, paths)

    for path in paths:
        status, etag, content = after[path]
        if status == 200 and etag == before[path][1]:
            assert content == before[path][2], path
    # The initiative's own page never keeps its ETag: it shows the change.
    own = initiative.get_absolute_url()
    assert after[own][0] != 200 or after[own][1] != before[own][1]


def test_a_save_to_one_initiative_leaves_the_pages_not_showing_it_as_they_were(
    client,
):
    initiative = the_initiative()
    paths = pages_around(initiative)
    before = seen(client, paths)

    rename(initiative)
    after = seen(client, paths)

    kept = [path for path in paths if after[path][1] == before[path][1]]
    changed = [path for path in paths if after[path][1] != before[path][1]]
    # Those showing it: its pages in both languages and through the API, the
    # first page of the list and its category's, the page listing it as related
    # and its organisation's.
    assert set(changed) == {
        "/initiativer/",
        "/en/initiativer/",
        paths[3],
        paths[5],
        paths[6],
        paths[7],
        paths[9],
        paths[11],
        paths[13],
    }
    assert set(kept) == {paths[1], paths[4], paths[8], paths[10], paths[12], paths[14]}


def test_a_change_shared_by_every_page_gives_every_page_a_new_etag(client):
    initiative = the_initiative()
    paths = pages_around(initiative)
    before = seen(client, paths)

    category_renamed(initiative)
    after = seen(client, paths)

    assert all(after[path][1] != before[path][1] for path in paths)


def test_a_page_rendered_while_the_catalogue_changed_is_kept_until_the_next_check(
    client, monkeypatch
):
    """Kept, so that readers see it while saves follow each other closely; under
    an ETag that no later check gives, so the next check renders it again."""
    initiative = the_initiative()
    from initiatives import views

    shown = views.InitiativeDetailView.get_context_data

    def saved_meanwhile(self, **kwargs):
        context = shown(self, **kwargs)
        new_summary(Initiative.objects.get(pk=initiative.pk))
        return context

    monkeypatch.setattr(views.InitiativeDetailView, "get_context_data", saved_meanwhile)
    first = client.get(initiative.get_absolute_url())
    monkeypatch.setattr(views.InitiativeDetailView, "get_context_data", shown)
    again = client.get(initiative.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    settled = client.get(
        initiative.get_absolute_url(), HTTP_IF_NONE_MATCH=again["ETag"]
    )

    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    assert again.status_code == 200
    assert settled.status_code == 304


@pytest.mark.parametrize("side", ["0", "-1", "1" * 5000, "²", "2.0", ""])
def test_a_page_number_no_list_has_is_refused_not_named(client, side):
    response = client.get("/initiativer/", {"side": side})

    assert response.status_code in (200, 404)
    assert response.status_code == 200 or "public" not in response.get(
        "Cache-Control", ""
    )


# The changes after which the index is updated rather than built again.
KEEP_THE_FACETS = {rename, new_summary, new_result, reference_removed}


@pytest.mark.parametrize("change", CHANGES)
def test_the_count_index_after_a_change_is_the_one_a_new_build_gives(change):
    """After a change confined to initiatives that keep their place and their
    facet values, the index is updated rather than built again (seconds at
    100,000); either way it holds what a new build holds."""
    previous = count_index.build()
    change(the_initiative())

    after = count_index.build(previous)
    afresh = count_index.build()

    assert replace(after, begun=0) == replace(afresh, begun=0)
    assert (after.bitsets is previous.bitsets) == (change in KEEP_THE_FACETS)


def test_an_edit_that_leaves_the_facets_as_they_were_updates_the_index(
    django_assert_max_num_queries,
):
    previous = count_index.build()
    new_summary(the_initiative())

    with django_assert_max_num_queries(30):  # a new build reads more, and longer
        after = count_index.build(previous)

    assert after.bitsets is previous.bitsets  # not built again


def test_a_deploy_gives_every_page_a_new_etag(client):
    """A release may render any page differently; every deploy runs `migrate`."""
    initiative = the_initiative()
    paths = pages_around(initiative)
    before = seen(client, paths)

    call_command("migrate", verbosity=0)
    after = seen(client, paths)

    assert all(after[path][1] != before[path][1] for path in paths)

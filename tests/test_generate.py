"""The synthetic catalogue for benchmarks: shaped like the real one, the same for the
same seed, and served by every catalogue page and the export."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from initiatives.models import CatalogueVersion, Initiative, Organisation
from initiatives.synthetic import PREFIX

pytestmark = pytest.mark.django_db


def generate(count: int = 30, seed: int = 7) -> None:
    call_command("generate_catalogue", initiatives=count, seed=seed, verbosity=0)


def synthetic():
    return Initiative.objects.filter(slug__startswith=PREFIX)


def snapshot() -> list[tuple]:
    return list(
        synthetic()
        .annotate(
            categories=Count("category_assignments"),
            organisations=Count("involvements", distinct=True),
        )
        .order_by("slug")
        .values_list("slug", "name", "summary", "start_year", "categories")
    )


def test_it_adds_published_initiatives_with_relations_like_the_real_ones():
    generate(30)

    assert synthetic().count() == 30
    for initiative in synthetic().prefetch_related(
        "category_assignments__category", "involvements", "target_groups"
    ):
        assert initiative.status == Initiative.Status.PUBLISHED
        assert 1 <= len(initiative.involvements.all()) <= 4
        assert 1 <= len(initiative.target_groups.all()) <= 3
        assert 1 <= initiative.references.count() <= 3
        assert initiative.outcomes.count() <= 5
        categories = {a.category for a in initiative.category_assignments.all()}
        assert all(c.parent in categories for c in categories if c.parent_id)
        assert initiative.name.casefold() in initiative.search_text


def test_the_same_seed_gives_the_same_catalogue_and_another_seed_another():
    generate(seed=7)
    first = snapshot()

    generate(seed=7)
    assert snapshot() == first

    generate(seed=8)
    assert snapshot() != first


def test_running_it_again_replaces_the_synthetic_organisations():
    generate(30, seed=7)
    organisations = Organisation.objects.filter(slug__startswith=PREFIX).count()

    generate(30, seed=7)

    assert Organisation.objects.filter(slug__startswith=PREFIX).count() == organisations


def test_it_gives_the_catalogue_a_new_version():
    before = CatalogueVersion.current_stamp()

    generate(5)

    assert CatalogueVersion.current_stamp() != before


def test_the_pages_and_the_export_serve_the_synthetic_catalogue(client):
    generate(30)
    initiative = synthetic().first()
    organisation = initiative.involvements.first().organisation

    for path in [
        "/",
        "/initiativer/",
        "/initiativer/?kategori=tilfoert-ressource&region=hovedstaden",
        f"/initiativer/?q={initiative.name.split()[0]}",
        initiative.get_absolute_url(),
        organisation.get_absolute_url(),
    ]:
        assert client.get(path).status_code == 200, path
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/initiativer/eksport.csv?format=csv").getvalue().decode()
            )
        )
    )
    assert len(rows) == 1 + Initiative.objects.published().count()

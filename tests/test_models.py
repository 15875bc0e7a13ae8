import pytest
from django.db import IntegrityError, transaction

from initiatives.models import (
    CategoryAssignment,
    Initiative,
    Organisation,
    Outcome,
    TargetGroup,
)

from .conftest import make_initiative, make_organisation, make_reference

pytestmark = pytest.mark.django_db


def test_an_initiative_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_initiative(start_year=2012, end_year=2009)


def test_an_unknown_status_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_initiative(status="hemmelig")


def test_new_initiatives_start_as_drafts_and_are_not_public():
    initiative = Initiative.objects.create(name="Ny", slug="ny", summary="Ny indsats.")

    assert initiative.status == Initiative.Status.DRAFT
    assert initiative not in Initiative.objects.published()


def test_a_category_stated_by_a_report_needs_the_reference(category_tree):
    initiative = make_initiative()

    with pytest.raises(IntegrityError), transaction.atomic():
        CategoryAssignment.objects.create(
            initiative=initiative,
            category=category_tree["dialogstoette"],
            basis=CategoryAssignment.Basis.STATED,
        )


def test_an_editorial_category_has_no_report_reference(category_tree):
    initiative = make_initiative()
    reference = make_reference(initiative)

    with pytest.raises(IntegrityError), transaction.atomic():
        CategoryAssignment.objects.create(
            initiative=initiative,
            category=category_tree["dialogstoette"],
            basis=CategoryAssignment.Basis.EDITORIAL,
            reference=reference,
        )


def test_an_initiative_is_in_a_category_once(category_tree):
    initiative = make_initiative()
    category = category_tree["organisering"]
    CategoryAssignment.objects.create(
        initiative=initiative, category=category, basis="redaktionel"
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        CategoryAssignment.objects.create(
            initiative=initiative, category=category, basis="redaktionel"
        )


def test_an_organisation_in_use_cannot_be_deleted():
    organisation = make_organisation()
    initiative = make_initiative()
    initiative.involvements.create(organisation=organisation, role="partner")

    with pytest.raises(Exception, match="protected"):
        organisation.delete()


def test_a_qualitative_outcome_carries_no_figure():
    initiative = make_initiative()
    reference = make_reference(initiative)

    with pytest.raises(IntegrityError), transaction.atomic():
        Outcome.objects.create(
            initiative=initiative,
            reference=reference,
            position=1,
            text="Bedre dialog",
            figure=3,
            kind=Outcome.Kind.QUALITATIVE,
        )


def test_natural_keys_find_the_same_rows():
    initiative = make_initiative()
    reference = make_reference(initiative)
    outcome = Outcome.objects.create(
        initiative=initiative,
        reference=reference,
        position=1,
        text="12 borgere",
        figure=12,
        unit="borgere",
        kind=Outcome.Kind.QUANTITATIVE,
    )

    assert Outcome.objects.get_by_natural_key(*outcome.natural_key()) == outcome
    assert (
        type(reference).objects.get_by_natural_key(*reference.natural_key())
        == reference
    )
    assert Initiative.objects.get_by_natural_key("testindsats") == initiative


def test_names_sort_the_danish_way_on_every_database():
    for name in ["Åben dialog", "Zoneterapi", "Ældreplejen", "Østerbro", "Avis", "Øen"]:
        make_organisation(name=name, slug=f"sort-{abs(hash(name))}")
    names = list(
        Organisation.objects.filter(slug__startswith="sort-").values_list(
            "name", flat=True
        )
    )

    assert names == [
        "Avis",
        "Zoneterapi",
        "Ældreplejen",
        "Øen",
        "Østerbro",
        "Åben dialog",
    ]


def test_target_groups_are_listed_alphabetically_with_aeoeaa_last():
    names = list(TargetGroup.objects.values_list("name", flat=True))

    assert names[-1] == "Ældre"
    assert names == sorted(
        names, key=lambda n: n.replace("Æ", "z~").replace("Ø", "z~~")
    )

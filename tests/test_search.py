"""Free-text search: what a user types finds what they mean, and is shown safely."""

import pytest
from django.db import connection
from django.urls import reverse

from initiatives.models import Initiative
from initiatives.search import highlight, refresh_search_text

from .conftest import make_initiative, make_organisation

pytestmark = pytest.mark.django_db

LIST = reverse("initiatives:initiative_list")


def found(client, query: str) -> list[str]:
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    return [i.name for i in response.context["paginator"].object_list]


@pytest.fixture
def searchable():
    sygeplejerske = make_initiative(
        name="Socialsygeplejersker på hospitalet",
        slug="soeg-socialsygeplejersker",
        summary="Sygeplejersker støtter hjemløse patienter under indlæggelsen.",
    )
    sygeplejerske.target_groups.set([])
    aeldre = make_initiative(
        name="Ældre i eget hjem",
        slug="soeg-aeldre",
        summary="Besøg hos ensomme ældre på Østerbro.",
    )
    aeldre.involvements.create(
        organisation=make_organisation(name="Ældresagen Nord", slug="soeg-aeldresagen"),
        role="partner",
    )
    refresh_search_text(Initiative.objects.filter(slug__startswith="soeg-"))
    return sygeplejerske, aeldre


def test_search_finds_words_in_the_summary(client, searchable):
    assert "Socialsygeplejersker på hospitalet" in found(client, "hjemløse")


def test_search_ignores_case_also_for_aeoeaa(client, searchable):
    assert "Ældre i eget hjem" in found(client, "ØSTERBRO")
    assert "Ældre i eget hjem" in found(client, "ældre")


def test_search_finds_an_initiative_by_its_organisation(client, searchable):
    assert "Ældre i eget hjem" in found(client, "Ældresagen")


def test_every_word_must_match(client, searchable):
    assert found(client, "hjemløse Østerbro") == []


def test_matches_in_the_name_rank_before_matches_elsewhere(client, searchable):
    make_initiative(
        name="Et andet projekt",
        slug="soeg-andet",
        summary="Nævner sygeplejersker i forbifarten.",
    )
    refresh_search_text(Initiative.objects.filter(slug="soeg-andet"))

    names = found(client, "sygeplejersker")
    in_name = ["sygeplejersker" in name.casefold() for name in names]

    assert "Socialsygeplejersker på hospitalet" in names
    assert "Et andet projekt" in names
    assert in_name == sorted(in_name, reverse=True)


def test_danish_stemming_on_postgresql(client, searchable):
    """PostgreSQL's danish configuration finds 'sygeplejerskerne' from
    'sygeplejersker'; SQLite matches only the letters typed."""
    names = found(client, "sygeplejerskerne")

    on_postgresql = connection.vendor == "postgresql"
    assert ("Socialsygeplejersker på hospitalet" in names) is on_postgresql


def test_small_typos_in_a_name_are_forgiven_on_postgresql(client, searchable):
    names = found(client, "Socialsygeplejesker")

    on_postgresql = connection.vendor == "postgresql"
    assert ("Socialsygeplejersker på hospitalet" in names) is on_postgresql


def test_search_terms_are_highlighted_in_the_results(client, searchable):
    page = client.get(LIST, {"q": "hjemløse"}).text

    assert "<mark>hjemløse</mark>" in page


def test_highlighting_escapes_curator_text():
    shown = highlight('<script>alert("x")</script> hjemløse', "hjemløse script")

    assert "<script>" not in shown
    assert "&lt;<mark>script</mark>&gt;" in shown
    assert "<mark>hjemløse</mark>" in shown


def test_the_search_text_follows_a_renamed_organisation(searchable):
    aeldre = searchable[1]
    organisation = aeldre.involvements.get().organisation
    organisation.name = "Omdøbt Forening"
    organisation.save()

    refresh_search_text(Initiative.objects.filter(pk=aeldre.pk))

    aeldre.refresh_from_db()
    assert "omdøbt forening" in aeldre.search_text


def test_postgresql_keeps_the_search_vector_beside_the_text(searchable):
    """Matching and ranking read the stored vector instead of parsing the text."""
    initiative = Initiative.objects.get(slug="soeg-socialsygeplejersker")

    if connection.vendor == "postgresql":
        assert "hjemløs" in initiative.search_vector
    else:
        assert initiative.search_vector is None

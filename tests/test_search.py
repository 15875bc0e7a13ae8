"""Free-text search: what a user types finds what they mean, the same on SQLite and
PostgreSQL, and is shown safely."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.listing.initiative_list import InitiativeList
from initiatives.models import (
    Initiative,
    Outcome,
    SearchEntry,
    Synonym,
    TargetGroup,
)
from initiatives.search import highlight, refresh_search_text, search_plan
from initiatives.search.matching import through_search_index
from initiatives.search.words import words

from .conftest import make_initiative, make_organisation, make_reference

pytestmark = pytest.mark.django_db

LIST = reverse("initiatives:initiative_list")


def found(client, query: str, path: str = LIST) -> list[str]:
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    return [i.name for i in response.context["paginator"].object_list]


@pytest.fixture
def searchable():
    sygeplejerske = make_initiative(
        name="Socialsygeplejersker på hospitalet",
        slug="soeg-socialsygeplejersker",
        summary="Sygeplejersker støtter hjemløse patienter under indlæggelsen.",
    )
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


def test_search_finds_an_initiative_by_its_results(client, searchable):
    initiative = searchable[1]
    Outcome.objects.create(
        initiative=initiative,
        reference=make_reference(initiative),
        position=1,
        text="Deltagerne gav forløbet flere trivselsstjerner.",
        kind="kvalitativ",
    )
    refresh_search_text(Initiative.objects.filter(pk=initiative.pk))

    assert found(client, "trivselsstjerner") == ["Ældre i eget hjem"]


def test_all_words_must_match_when_some_initiative_has_them_all(client, searchable):
    page = client.get(LIST, {"q": "hjemløse sygeplejersker"})

    names = [i.name for i in page.context["paginator"].object_list]
    assert "Socialsygeplejersker på hospitalet" in names
    assert "Ældre i eget hjem" not in names
    assert not page.context["search"].partial


def test_when_no_initiative_has_every_word_those_with_most_are_shown(
    client, searchable
):
    page = client.get(LIST, {"q": "hjemløse Østerbro Ældresagen"})

    names = [i.name for i in page.context["paginator"].object_list]
    assert names[0] == "Ældre i eget hjem"  # two of the three words
    assert "Socialsygeplejersker på hospitalet" in names  # one of them
    assert "Ingen indsatser har alle de søgte ord" in page.text


def test_matches_in_the_name_rank_before_matches_elsewhere(client, searchable):
    make_initiative(
        name="Et andet projekt",
        slug="soeg-andet",
        summary="Nævner sygeplejersker i forbifarten.",
    )
    refresh_search_text(Initiative.objects.filter(slug="soeg-andet"))

    names = found(client, "sygeplejersker")

    assert "Et andet projekt" in names
    assert names.index("Socialsygeplejersker på hospitalet") < names.index(
        "Et andet projekt"
    )


@pytest.mark.parametrize(
    "query", ["sygeplejerskerne", "sygeplejerske", "sygeplejersken"]
)
def test_danish_inflections_find_the_word_on_both_databases(client, searchable, query):
    assert "Socialsygeplejersker på hospitalet" in found(client, query)


def test_the_tail_of_a_compound_finds_the_compound(client):
    make_initiative(
        name="Rådgivning",
        slug="soeg-storrygere",
        summary="Hjælp til storrygere i Nordby.",
    )
    refresh_search_text(Initiative.objects.filter(slug="soeg-storrygere"))

    assert "Rådgivning" in found(client, "rygere")


def test_a_short_word_does_not_find_longer_words_it_begins(client):
    """'KOL' is the lung disease, not 'skole' or 'Kolding'."""
    names = found(client, "KOL")

    assert names
    assert all(
        "kol" in words(Initiative.objects.get(name=name).search_text) for name in names
    )


def test_a_near_miss_finds_its_word_and_says_what_was_meant(client, searchable):
    page = client.get(LIST, {"q": "Socialsygeplejesker"})

    names = [i.name for i in page.context["paginator"].object_list]
    assert "Socialsygeplejersker på hospitalet" in names
    assert "Mente du" in page.text
    assert ">socialsygeplejersker</a>" in page.text


def test_suggestions_come_from_the_catalogue_words(client):
    plan = search_plan("diabetis")

    assert plan.suggestions[0] == "diabetes"
    assert "Diabetesbussen" in found(client, "diabetis")


def test_a_list_makes_its_search_plan_once_for_its_counts_and_its_rows(searchable):
    # Outside a request too (the API's and the feed's lists are the same object): in
    # newest-first order the rows come from the FilterSet's queryset, the counts
    # from the ranking, and both search by the one plan.
    listing = InitiativeList(QueryDict("q=socialsygeplejersker&sortering=nyeste"))

    with CaptureQueriesContext(connection) as queries:
        names = [initiative.name for initiative in listing.page().object_list]
    synonym_queries = [q for q in queries if "initiatives_synonym" in q["sql"]]

    assert "Socialsygeplejersker på hospitalet" in names
    assert len(synonym_queries) == 1


def test_a_word_found_nowhere_and_near_nothing_finds_nothing(client):
    page = client.get(LIST, {"q": "xqzxqzxqz"})

    assert list(page.context["paginator"].object_list) == []
    assert "Mente du" not in page.text


def test_a_word_only_a_draft_holds_is_found_nowhere(client):
    # One of the first entries, which PostgreSQL looks through before its index.
    first = Initiative.objects.order_by("pk").first()
    first.summary += " Zebrafinker."
    first.status = Initiative.Status.DRAFT
    first.save()
    refresh_search_text(Initiative.objects.filter(pk=first.pk))

    assert found(client, "zebrafinker") == []
    assert "zebrafinker" in search_plan("zebrafinker").nearest


def settings_now() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('jit')"
        )
        return cursor.fetchone()


@pytest.mark.postgresql
def test_searching_inside_a_transaction_puts_the_planners_settings_back():
    # Inside, PostgreSQL takes the search index, and does not compile a query it
    # must scan anyway, which the index's price makes look costly (JIT).
    before = settings_now()
    with through_search_index():
        inside = settings_now()

    assert inside == ("off", "off")
    assert settings_now() == before


def test_a_curated_synonym_finds_the_catalogue_word_both_ways(client, searchable):
    Synonym.objects.create(word="plejepersonale", means="sygeplejersker")
    refresh_search_text(Initiative.objects.filter(slug__startswith="soeg-"))

    assert "Socialsygeplejersker på hospitalet" in found(client, "plejepersonale")


def test_the_shipped_synonyms_find_the_catalogue_words(client):
    assert "Diabetesbussen" in found(client, "§110 diabetes")
    assert "Diabetesbussen" in found(client, "hjemløse diabetes")
    assert found(client, "tandlæge")


def test_english_names_of_the_vocabularies_are_searchable_under_en(client):
    homeless = set(
        TargetGroup.objects.get(slug="hjemloese")
        .initiatives.published()
        .values_list("name", flat=True)
    )

    names = set(found(client, "homeless people", path="/en/initiativer/"))

    assert homeless <= names


def test_a_curator_editing_a_synonym_in_the_admin_updates_search(
    client, curator, searchable
):
    response = client.post(
        reverse("admin:initiatives_synonym_add"),
        # The language select starts at Danish, and a browser posts it.
        {"word": "plejepersonale", "means": "sygeplejersker", "language": "da"},
    )
    assert response.status_code == 302

    assert "Socialsygeplejersker på hospitalet" in found(client, "plejepersonale")


def test_search_terms_are_highlighted_in_the_results(client, searchable):
    page = client.get(LIST, {"q": "hjemløse"}).text

    assert "<mark>hjemløse</mark>" in page


def test_an_inflected_word_is_highlighted_by_its_stem():
    assert str(highlight("Sårbare gravide", "gravid")) == "Sårbare <mark>gravid</mark>e"


def test_highlighting_escapes_curator_text():
    shown = highlight('<script>alert("x")</script> hjemløse', "hjemløse script")

    assert "<script>" not in shown
    assert "&lt;<mark>script</mark>&gt;" in shown
    assert "<mark>hjemløse</mark>" in shown


def test_the_search_text_follows_a_renamed_organisation(client, searchable):
    aeldre = searchable[1]
    organisation = aeldre.involvements.get().organisation
    organisation.name = "Omdøbt Forening"
    organisation.save()

    refresh_search_text(Initiative.objects.filter(pk=aeldre.pk))

    aeldre.refresh_from_db()
    assert "omdøbt forening" in aeldre.search_text
    assert found(client, "omdøbt forening") == ["Ældre i eget hjem"]


def test_a_deleted_initiative_is_no_longer_found(client, searchable):
    searchable[1].delete()

    assert found(client, "Østerbro") == []


def test_postgresql_keeps_the_search_vector_beside_the_text(searchable):
    """Matching reads the stored vector instead of parsing the text."""
    initiative = Initiative.objects.get(slug="soeg-socialsygeplejersker")

    if connection.vendor == "postgresql":
        assert "hjemløs" in initiative.search_vector
    else:
        assert initiative.search_vector is None


def search_table_ids() -> set[int]:
    """The initiatives in search's own tables, kept by triggers: the search entries,
    and on SQLite also its FTS5 table of stems, which must hold the same."""
    entries = set(SearchEntry.objects.values_list("pk", flat=True))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM initiative_search")
            assert {pk for (pk,) in cursor.fetchall()} == entries
    return entries


def test_the_search_table_follows_every_change_to_an_initiative(client, searchable):
    nurses, elderly = searchable[0], searchable[1]
    assert search_table_ids() == set(Initiative.objects.values_list("pk", flat=True))

    nurses.status = Initiative.Status.DRAFT
    nurses.save()
    assert "Socialsygeplejersker på hospitalet" not in found(client, "hospitalet")

    nurses.status = Initiative.Status.PUBLISHED
    nurses.name = "Sygeplejersker i Kvistgård"
    nurses.save()
    refresh_search_text(Initiative.objects.filter(pk=nurses.pk))
    assert found(client, "kvistgård") == ["Sygeplejersker i Kvistgård"]

    elderly.delete()
    assert elderly.pk not in search_table_ids()
    assert nurses.pk in search_table_ids()

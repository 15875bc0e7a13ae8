"""Filtering the initiative list, as a user combines filters in the URL."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from initiatives.listing.initiative_list import InitiativeList
from initiatives.models import (
    CategoryAssignment,
    Initiative,
    Organisation,
    Outcome,
    Region,
)

from .conftest import all_listed, make_initiative, make_organisation, make_reference

pytestmark = pytest.mark.django_db

LIST = reverse("initiatives:initiative_list")


def names_on(client, query: str = "") -> set[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return {initiative.name for initiative in response.context["paginator"].object_list}


@pytest.fixture
def small_catalogue(category_tree):
    """Three initiatives of our own, told apart by every filter."""
    navigator = make_initiative(
        name="Navigator Nord", slug="navigator-nord", start_year=2010, end_year=2012
    )
    panel = make_initiative(
        name="Patientpanel Syd", slug="patientpanel-syd", start_year=2023
    )
    cafe = make_initiative(name="Livsstilscafé", slug="livsstilscafe")
    navigator.regions.set([Region.objects.get(slug="nordjylland")])
    panel.regions.set([Region.objects.get(slug="syddanmark")])
    navigator.target_groups.set([tg("hjemloese")])
    panel.target_groups.set([tg("kraeftpatienter")])
    cafe.target_groups.set([tg("hjemloese"), tg("kronisk-syge")])
    CategoryAssignment.objects.create(
        initiative=navigator,
        category=category_tree["koordinator-og-navigatorprojekter"],
        basis="redaktionel",
    )
    CategoryAssignment.objects.create(
        initiative=panel,
        category=category_tree["samtaleredskaber"],
        basis="redaktionel",
    )
    kommune = make_organisation(
        name="Aalborg Kommune", slug="test-aalborg", kind="kommune"
    )
    forening = make_organisation(
        name="En forening", slug="test-forening", kind="civilsamfund"
    )
    navigator.involvements.create(organisation=kommune, role="ansvarlig")
    cafe.involvements.create(organisation=forening, role="partner")
    reference = make_reference(navigator)
    Outcome.objects.create(
        initiative=navigator,
        reference=reference,
        position=1,
        text="40 borgere",
        figure=40,
        unit="borgere",
        kind="kvantitativ",
    )
    return {"navigator": navigator, "panel": panel, "cafe": cafe}


def tg(slug):
    from initiatives.models import TargetGroup

    return TargetGroup.objects.get(slug=slug)


OURS = {"Navigator Nord", "Patientpanel Syd", "Livsstilscafé"}


def ours(names: set[str]) -> set[str]:
    return names & OURS


def test_filtering_by_target_group_hides_other_initiatives(client, small_catalogue):
    assert ours(names_on(client, "maalgruppe=hjemloese")) == {
        "Navigator Nord",
        "Livsstilscafé",
    }


def test_choosing_a_main_category_includes_its_subcategories(client, small_catalogue):
    assert ours(names_on(client, "kategori=tilfoert-ressource")) == {"Navigator Nord"}
    assert ours(names_on(client, "kategori=dialogstoette")) == {"Patientpanel Syd"}


def test_two_values_of_one_filter_give_either(client, small_catalogue):
    names = ours(names_on(client, "region=nordjylland&region=syddanmark"))

    assert names == {"Navigator Nord", "Patientpanel Syd"}


def test_different_filters_must_all_hold(client, small_catalogue):
    assert ours(names_on(client, "maalgruppe=hjemloese&region=nordjylland")) == {
        "Navigator Nord"
    }


def test_filtering_by_organisation_and_by_its_kind(client, small_catalogue):
    assert ours(names_on(client, "organisation=test-forening")) == {"Livsstilscafé"}
    assert ours(names_on(client, "organisationstype=kommune")) == {"Navigator Nord"}


def test_only_initiatives_with_stated_results(client, small_catalogue):
    assert ours(names_on(client, "resultater=1")) == {"Navigator Nord"}


def test_the_period_filter_keeps_initiatives_that_overlap_the_years(
    client, small_catalogue
):
    assert ours(names_on(client, "aar_fra=2011&aar_til=2011")) == {"Navigator Nord"}
    # Without an end year an initiative counts as still running.
    assert ours(names_on(client, "aar_fra=2024")) == {"Patientpanel Syd"}
    assert ours(names_on(client, "aar_til=2009")) == set()


def test_filtering_by_source_report(client, small_catalogue):
    assert ours(
        names_on(client, "kilde=kortlaegning-inddragelse-socialt-saarbare")
    ) == {"Navigator Nord"}


def test_facet_counts_take_the_other_filters_into_account(client, small_catalogue):
    response = client.get(f"{LIST}?maalgruppe=hjemloese")
    facets = {facet.name: facet for facet in response.context["facets"]}
    regions = {option.value: option.count for option in facets["region"].options}
    groups = {option.value: option for option in facets["maalgruppe"].options}
    homeless = Initiative.objects.published().filter(target_groups__slug="hjemloese")

    for region in ["nordjylland", "syddanmark", "hovedstaden"]:
        assert regions[region] == homeless.filter(regions__slug=region).count()
    # A facet does not narrow itself: other target groups still show what they give.
    assert groups["kraeftpatienter"].count == (
        Initiative.objects.published()
        .filter(target_groups__slug="kraeftpatienter")
        .count()
    )
    assert groups["hjemloese"].selected


def test_options_that_would_give_nothing_are_not_offered(client, small_catalogue):
    page = client.get(
        f"{LIST}?maalgruppe=kraeftpatienter&kilde=kortlaegning-inddragelse-socialt-saarbare"
    ).text

    assert 'name="region" value="nordjylland"' not in page


def test_each_active_filter_can_be_removed_on_its_own(client, small_catalogue):
    response = client.get(
        f"{LIST}?region=nordjylland&region=syddanmark&maalgruppe=hjemloese"
    )
    links = {
        f"{chosen.label}: {chosen.value}": chosen.remove_url
        for chosen in response.context["active_filters"]
    }

    assert (
        links["Region: Region Syddanmark"] == "?region=nordjylland&maalgruppe=hjemloese"
    )
    assert links["Målgruppe: Hjemløse"] == "?region=nordjylland&region=syddanmark"


def test_an_empty_result_says_so_and_offers_to_widen_the_search(
    client, small_catalogue
):
    page = client.get(f"{LIST}?maalgruppe=kraeftpatienter&region=nordjylland").text

    assert "Ingen indsatser passer på alle de valgte filtre." in page
    assert "Prøv at fjerne et af filtrene" in page


def test_pagination_keeps_the_filters(client, small_catalogue):
    for number in range(25):
        make_initiative(name=f"Side {number}", slug=f"side-{number}").target_groups.set(
            [tg("hjemloese")]
        )

    page = client.get(f"{LIST}?maalgruppe=hjemloese").text

    assert "?maalgruppe=hjemloese&amp;side=2" in page


def test_names_sort_the_danish_way_and_newest_first_by_start_year(
    client, small_catalogue
):
    for number, name in enumerate(["Østerbro-projektet", "Åben dialog", "Ældrecaféen"]):
        make_initiative(name=name, slug=f"sortering-{number}", start_year=2000)

    names = all_listed(client, "sortering=navn", "name")

    assert (
        names.index("Patientpanel Syd")
        < names.index("Ældrecaféen")
        < names.index("Østerbro-projektet")
        < names.index("Åben dialog")
    )
    newest = client.get(f"{LIST}?sortering=nyeste").context["paginator"].object_list
    years = [i.start_year for i in newest if i.start_year]
    assert years == sorted(years, reverse=True)


@pytest.mark.parametrize(
    "query",
    [
        "kategori=findes-ikke",
        "region=%00",
        "aar_fra=abc",
        "aar_fra=99999999999999999999",
        "aar_til=-5",
        "organisationstype=ukendt",
        "maalgruppe=" + "a" * 5000,
        "kilde=" + "&kilde=".join(["x"] * 50),
    ],
)
def test_a_bad_filter_value_gives_a_page_with_a_message(client, query):
    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert "Nogle af filtrene kunne ikke bruges" in response.text


def test_an_unknown_sort_order_is_ignored_and_the_list_keeps_its_name_order(client):
    default = all_listed(client, "")

    assert all_listed(client, "sortering=tilfaeldig") == default
    response = client.get(f"{LIST}?sortering=tilfaeldig")
    assert "Nogle af filtrene kunne ikke bruges" not in response.text


def test_a_from_year_after_the_to_year_is_said_and_not_silently_accepted(client):
    response = client.get(f"{LIST}?aar_fra=2015&aar_til=2010")

    assert response.status_code == 200
    assert "Nogle af filtrene kunne ikke bruges" in response.text
    assert "Fra år (2015) ligger efter til år (2010)." in response.text


def test_a_list_that_shows_nothing_offers_ways_to_widen_it_and_no_download(client):
    # Homeless people and pregnant women each have initiatives, but not together.
    query = "maalgruppe=hjemloese&q=gravid"
    response = client.get(f"{LIST}?{query}")

    assert response.context["paginator"].count == 0
    assert "export_url" not in response.context
    assert "eksport.csv" not in response.text
    ways = {way.label: way for way in response.context["ways_to_widen"]}
    without_group = all_listed(client, "q=gravid")
    without_search = all_listed(client, "maalgruppe=hjemloese")
    assert ways["Målgruppe"].count == len(without_group) > 0
    assert ways["Søg"].count == len(without_search) > 0
    assert ways["Søg"].url == "?maalgruppe=hjemloese"


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1", "1e9"])
def test_a_page_number_that_does_not_exist_is_not_found(client, page):
    assert client.get(f"{LIST}?side={page}").status_code == 404


def test_organisations_of_one_kind(client, small_catalogue):
    response = client.get(reverse("initiatives:organisation_list") + "?type=kommune")
    kinds = {organisation.kind for organisation in response.context["object_list"]}

    assert kinds == {Organisation.Kind.MUNICIPALITY}


def test_an_organisation_includes_the_initiatives_of_its_units(client):
    region = Organisation.objects.get(slug="region-midtjylland")
    units = Organisation.objects.filter(parent=region) | Organisation.objects.filter(
        parent__parent=region
    )
    own_or_units = Initiative.objects.published().filter(
        involvements__organisation__in=[region, *units]
    )
    only_own = Initiative.objects.published().filter(involvements__organisation=region)

    listed = all_listed(client, "organisation=region-midtjylland")
    page = client.get(reverse("initiatives:organisation_detail", args=[region.slug]))

    assert sorted(listed) == sorted(set(own_or_units.values_list("slug", flat=True)))
    assert len(listed) > only_own.distinct().count()
    assert page.context["page_obj"].paginator.count == len(listed)
    assert "en af dens enheder" in page.text


def test_no_organisation_deeper_than_the_organisation_facet_reaches():
    assert not Organisation.objects.filter(parent__parent__parent__isnull=False)


def test_an_organisation_with_only_drafts_is_not_public(client):
    hidden = make_organisation(name="Kun kladder", slug="kun-kladder")
    draft = make_initiative(slug="kladde-x", name="Kladde X", status="kladde")
    draft.involvements.create(organisation=hidden, role="ansvarlig")

    listed = client.get(reverse("initiatives:organisation_list") + "?side=1")
    names = [o.name for o in listed.context["object_list"]]

    assert "Kun kladder" not in names
    assert all(o.initiative_count > 0 for o in listed.context["object_list"])
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_the_readme_names_every_parameter_of_the_list():
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    described = readme.split("`/initiativer/` the list with combinable", 1)[1]
    described = described.split("facet counts", 1)[0]
    named = set(re.findall(r"`([a-z_]+)`", described))
    assert set(InitiativeList.parameters()) <= named

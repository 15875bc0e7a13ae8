"""The evidence scale: every initiative has a level resting on a reference of its own,
the scale page and the front page count them as the database does, and the corrections
a careful second reading made to results, years, budgets and target groups hold."""

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef

from initiatives.curation.merging import merge_initiatives
from initiatives.evidence import DEFINITIONS
from initiatives.models import (
    EvidenceLevel,
    Initiative,
    Organisation,
    Outcome,
    SourceReference,
)
from initiatives.opendata.exports import HEADER

from .conftest import make_initiative, make_reference

pytestmark = pytest.mark.django_db

GOAL_OR_PLAN = re.compile(
    r"(delmål|overordnet mål|formål|mål\b|målet|succeskriteri|planen|planlagt|"
    r"det forventes|forventningen|projektet vil|indsatsen vil|hensigten)",
    re.IGNORECASE,
)


def outcome_texts(slug: str) -> list[str]:
    return list(
        Outcome.objects.filter(initiative__slug=slug).values_list("text", flat=True)
    )


# Every initiative's level ------------------------------------------------------------


def test_every_published_initiative_has_a_level_resting_on_its_own_reference():
    published = Initiative.objects.published().select_related("evidence_basis")

    assert published.count() == 155
    for initiative in published:
        assert initiative.evidence_level in EvidenceLevel.values, initiative.slug
        assert initiative.evidence_basis.initiative_id == initiative.pk, initiative.slug
        assert initiative.evidence_reason.strip(), initiative.slug


def test_described_means_no_stated_results_and_every_higher_level_has_one():
    with_outcomes = Initiative.objects.annotate(n=Count("outcomes"))

    assert not with_outcomes.filter(evidence_level="beskrevet", n__gt=0).exists()
    assert not with_outcomes.exclude(evidence_level="beskrevet").filter(n=0).exists()


def test_the_levels_are_spread_as_the_curators_placed_them():
    counts = dict(
        Initiative.objects.published()
        .values_list("evidence_level")
        .annotate(n=Count("pk"))
        .order_by()
    )

    assert counts == {"beskrevet": 91, "erfaringer": 34, "evalueret": 30}


def test_a_level_above_described_rests_on_a_reference_that_states_a_result():
    results_there = Outcome.objects.filter(reference=OuterRef("evidence_basis"))
    without = Initiative.objects.exclude(evidence_level="beskrevet").exclude(
        Exists(results_there)
    )

    assert list(without.values_list("slug", flat=True)) == []


def test_a_level_cannot_rest_on_another_initiatives_reference():
    initiative = make_initiative(slug="med-niveau")
    other = make_initiative(slug="anden", name="Anden")
    initiative.evidence_level = EvidenceLevel.DESCRIBED
    initiative.evidence_basis = make_reference(other)

    with pytest.raises(ValidationError) as error:
        initiative.clean()

    assert "evidence_basis" in error.value.message_dict
    initiative.evidence_basis = make_reference(initiative)
    initiative.clean()


@pytest.mark.parametrize(
    "slug, level, basis",
    [
        ("processuelle-netvaerksmoeder", "evalueret", "afsnit 3.2.2"),
        ("tumorambulatoriet", "erfaringer", "afsnit 3.2.2"),
        ("forstaerket-indsats-over-for-storrygere", "evalueret", "Case 17"),
        ("kol-paa-gadeplan", "beskrevet", "Indstilling 23"),
        (
            "guidet-egen-beslutning-for-socialt-udsatte",
            "erfaringer",
            "afsnit 3.2.1, Forberedelse til samtale: projektet i Norddjurs",
        ),
        ("navigatorindsats", "erfaringer", "Bilag 1, omtale under Navigatorkorps"),
        ("sundhedstjek-paa-botilbuddet-tangkaer", "evalueret", "Kapitel 7"),
        ("familieivaerksaetterne-en-tidlig-indsats-for-hele-familien", "beskrevet", ""),
        (
            "forebyggelse-af-multisygdom-blandt-saarbare-mennesker-med-kronisk-lidelse",
            "evalueret",
            "Bilag 1, omtale under Sundhedspakke",
        ),
    ],
)
def test_a_level_rests_on_what_its_strongest_source_states(slug, level, basis):
    initiative = Initiative.objects.select_related("evidence_basis").get(slug=slug)

    assert initiative.evidence_level == level
    assert initiative.evidence_basis.locator.startswith(basis)


# The scale page and the front page ---------------------------------------------------


@pytest.mark.parametrize("prefix, labels", [("", "da"), ("/en", "en")])
def test_the_scale_page_defines_every_level_and_counts_its_initiatives(
    client, prefix, labels
):
    names = {
        "da": ["Beskrevet", "Erfaringer", "Evalueret", "Effekt påvist"],
        "en": ["Described", "Experience", "Evaluated", "Effect shown"],
    }[labels]
    page = client.get(f"{prefix}/om/evidens/")
    text = page.text

    assert page.status_code == 200
    positions = [text.index(f">{name}</dt>") for name in names]
    assert positions == sorted(positions)
    for level in EvidenceLevel:
        count = Initiative.objects.published().filter(evidence_level=level).count()
        assert f'id="{level.value}"' in text
        section = text[text.index(f'id="{level.value}"') :]
        section = section[: section.index("</dd>")]
        if count:
            listed = f'href="{prefix}/initiativer/?evidens={level.value}">{count} '
            assert listed in section
        else:
            assert {"da": "Ingen indsats", "en": "No initiative"}[labels] in section
    if labels == "da":
        for definition in DEFINITIONS.values():
            assert str(definition) in text


def test_the_filter_shows_every_level_and_says_which_no_initiative_has(client):
    page = client.get("/initiativer/").text
    fieldset = page[page.index("<legend>Evidens") :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]

    for level in EvidenceLevel:
        assert str(level.label) in fieldset
    assert 'name="evidens" value="effekt-paavist"' not in fieldset
    assert '<input type="checkbox" disabled> Effekt påvist' in fieldset
    assert '<span class="count">(0)</span>' in fieldset
    assert "Ingen af indsatserne på listen har niveauet „Effekt påvist“." in fieldset
    assert 'href="/om/evidens/"' in fieldset


def test_a_level_the_other_filters_leave_empty_is_shown_empty_too(client):
    page = client.get("/initiativer/?evidens=beskrevet&resultater=1").text
    fieldset = page[page.index("<legend>Evidens") :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]

    # Described means no results: with results chosen it is empty, but still chosen.
    assert 'value="beskrevet" form="filters" checked' in fieldset
    assert "„Beskrevet“" not in fieldset
    assert "„Effekt påvist“" in fieldset


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_evidence_scale_is_in_the_menu_of_every_page(client, prefix):
    page = client.get(f"{prefix}/kategorier/").text
    menu = page[page.index('<ul class="nav">') :]
    menu = menu[: menu.index("</ul>")]

    assert f'href="{prefix}/om/evidens/"' in menu
    assert 'aria-current="page"' in client.get(f"{prefix}/om/evidens/").text


def test_the_front_page_spreads_each_main_category_over_the_levels(client):
    overview = client.get("/").context["evidence"]
    rows = {row["category"].value: row["cells"] for row in overview["rows"]}

    for slug, cells in rows.items():
        for level, count in zip(EvidenceLevel, cells, strict=True):
            expected = (
                Initiative.objects.published()
                .filter(category_assignments__category__slug=slug, evidence_level=level)
                .distinct()
                .count()
            )
            assert count == expected, (slug, level)
    assert overview["total"] == [91, 34, 30, 0]
    assert set(rows) == {"dialogstoette", "organisering", "tilfoert-ressource"}
    assert 'href="/om/evidens/#evalueret"' in client.get("/").text


def test_every_row_and_detail_page_shows_the_level_linked_to_the_scale(client):
    listing = client.get("/initiativer/?q=PitStop").text
    detail = client.get("/initiativer/omsorgscenter-pitstop/").text

    assert 'href="/om/evidens/#evalueret">Evidens: Evalueret</a>' in listing
    assert '<a href="/om/evidens/#evalueret">Evalueret</a>' in detail
    assert 'grundlag: <a class="locator" href="/kilder/' in detail
    assert "Kapitel 8: Omsorgscenter PitStop" in detail


def test_a_result_shows_its_kind_and_who_found_it(client):
    detail = client.get("/initiativer/omsorgscenter-pitstop/").text
    english = client.get("/en/initiativer/taet-og-toer/").text

    assert "kvalitativt, fundet af ekstern evaluator" in detail
    assert "found by an external evaluator" in english


def test_curators_filter_results_by_kind_and_finder(client, curator):
    page = client.get("/admin/initiatives/outcome/?found_by=forskere&kind=kvalitativ")

    assert page.status_code == 200
    shown = page.context["cl"].result_count
    assert (
        shown == Outcome.objects.filter(found_by="forskere", kind="kvalitativ").count()
    )
    assert shown > 0


# The CSV ------------------------------------------------------------------------------


def test_the_csv_has_the_evidence_level_and_what_each_budget_covers(client):
    response = client.get("/initiativer/eksport.csv?format=csv&q=PitStop")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    exported = {row[1]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}

    assert {"evidensniveau", "budget_gaelder", "budget_kr"} <= set(rows[0])
    pitstop = exported["omsorgscenter-pitstop"]
    assert pitstop["evidensniveau"] == "Evalueret"
    assert (pitstop["budget_kr"], pitstop["budget_gaelder"]) == ("2200000", "pr. år")


# Every stated result, and only results ------------------------------------------------


def test_no_result_text_begins_with_a_goal_or_a_plan():
    starts = [
        text[:60]
        for text in Outcome.objects.values_list("text", flat=True)
        if GOAL_OR_PLAN.match(text)
    ]

    assert starts == []


def test_satspulje_results_lead_with_the_result_and_keep_their_sub_goal():
    texts = outcome_texts("adhd-basisteam")

    assert all(text.startswith("Resultat") for text in texts)
    assert any("(Delmål: At tilbyde børn" in text for text in texts)


@pytest.mark.parametrize(
    "slug, words",
    [
        ("matching-brains", "oplever efterspørgsel fra unge om at møde andre"),
        ("matching-brains", "Lokalavisen Favrskov 21. januar 2023"),
        ("sportscar-bornholm", "relationerne bliver styrket"),
        ("en-lille-social-sejr-under-indlaeggelse", "ca. 50 % tilstrækkeligt robuste"),
        ("app-guider-sygehus-soenderjylland-soenderborg", "mindst en halv time ekstra"),
        ("ulighed-i-sundhed-en-af-os-i-region-midtjylland", "deeskaleringskurser"),
        ("sundhedstjek-paa-botilbuddet-tangkaer", "større forståelse for borgernes"),
        (
            "sundhedstjek-paa-botilbuddet-tangkaer",
            "fysioterapeuterne på stedet henvist",
        ),
        ("sundhedstjek-paa-botilbuddet-tangkaer", "sparer de praktiserende læger tid"),
        ("omsorgscenter-pitstop", "tillid til andre fagpersoner"),
    ],
)
def test_stated_results_that_were_missing_are_results_now(slug, words):
    assert any(words in text for text in outcome_texts(slug)), (slug, words)


@pytest.mark.parametrize(
    "slug, words",
    [
        ("socialsygeplejerskeordninger-i-region-hovedstaden", "fem af Region"),
        ("familieivaerksaetterne-en-tidlig-indsats-for-hele-familien", "25 kommuner"),
        ("matching-brains", "frivillig følgegruppe"),
        ("klaedeskabet-aalborg-universitetshospital", "mindre depot"),
        ("precare-kol", "alle 17 kommuner"),
        ("forebyggelse-hos-borgere-med-skizofreni", "ph.d.-forløb"),
        (
            "et-redskab-til-tidlig-opsporing-af-begyndende-sygdom-tobs",
            "implementeret i hele Region Midtjylland",
        ),
    ],
)
def test_status_facts_are_in_the_description_not_the_results(slug, words):
    initiative = Initiative.objects.get(slug=slug)

    assert not any(words in text for text in outcome_texts(slug))
    assert words in initiative.description


def test_results_are_counted_report_by_report():
    by_report = dict(
        Outcome.objects.values_list("reference__document__code")
        .annotate(n=Count("pk"))
        .order_by()
    )

    assert by_report == {"000": 101, "001": 91, "002": 25, "003": 29, "004": 6}
    assert Outcome.objects.count() == 252


# Corrections --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug, cited_year",
    [
        ("brobyggersygeplejersker", 2020),
        ("diabetesbussen", 2020),
        (
            "tvaersektorielle-teams-region-hovedstadens-psykiatri-og-koebenhavns-kommune",
            2016,
        ),
    ],
)
def test_a_cited_sources_year_is_no_start_year(slug, cited_year):
    initiative = Initiative.objects.get(slug=slug)
    row = SourceReference.objects.get(
        initiative=initiative, locator__startswith="Bilag 1"
    )

    assert initiative.start_year is None
    assert row.cited_year == cited_year
    assert str(cited_year) in initiative.period_text


def test_a_start_year_is_kept_where_the_text_says_the_effort_started():
    assert Initiative.objects.get(slug="omsorgscenter-pitstop").start_year == 2018
    assert (
        Initiative.objects.get(
            slug="sundhedstjek-overenskomstaftale-mellem-plo-og-regionerne"
        ).start_year
        == 2022
    )
    assert Initiative.objects.get(slug="taenk-somatikken-med").start_year is None


def test_budgets_say_what_they_cover():
    yearly = Initiative.objects.filter(budget_period="pr-aar")
    satspulje = Initiative.objects.filter(references__document__code="001")

    unsaid = Initiative.objects.filter(budget_dkk__isnull=False, budget_period="")

    assert set(yearly.values_list("slug", flat=True)) == {
        "omsorgscenter-pitstop",
        "ungementorer-paa-herlev-og-hvidovre-hospital",
    }
    assert not satspulje.exclude(budget_period="hele-perioden").exists()
    # "1,1 mio. kr. i permanente midler" (002 Case 7) is lasting money, not a year's.
    assert set(unsaid.values_list("slug", flat=True)) == {
        "forebyggelse-af-somatisk-sygdom-hos-psykiatriske-patienter"
    }


def test_the_detail_page_says_a_yearly_budget_is_yearly(client):
    page = client.get("/initiativer/omsorgscenter-pitstop/").text

    assert "2.200.000 kr. pr. år" in page


def test_users_of_110_shelters_are_homeless_by_the_catalogues_definition():
    groups = Initiative.objects.get(slug="diabetesbussen").target_groups

    assert groups.filter(slug="hjemloese").exists()


def test_a_supported_housing_facility_is_not_a_region():
    tangkaer = Organisation.objects.get(slug="botilbuddet-tangkaer")

    assert tangkaer.kind != Organisation.Kind.REGION
    assert tangkaer.parent.slug == "region-midtjylland"


def test_merging_duplicates_keeps_a_level_on_a_reference_of_the_kept_record():
    keep = make_initiative(slug="beholdes", name="Beholdes")
    duplicate = make_initiative(slug="dublet", name="Dublet")
    make_reference(keep, locator="Bilag 1, række 3")
    same_row = make_reference(duplicate, locator="Bilag 1, række 3")
    duplicate.evidence_level = EvidenceLevel.EXPERIENCE
    duplicate.evidence_basis = same_row
    duplicate.evidence_reason = "Rækken angiver egne tal."
    duplicate.save()

    merge_initiatives(keep, [duplicate])

    keep.refresh_from_db()
    assert keep.evidence_level == EvidenceLevel.EXPERIENCE
    assert keep.evidence_basis.initiative_id == keep.pk
    assert keep.evidence_reason == "Rækken angiver egne tal."

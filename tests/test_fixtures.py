"""The catalogue's data: complete, traceable to the reports, and loaded idempotently."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Q, Sum

from initiatives.models import (
    CatalogueVersion,
    CategoryAssignment,
    Initiative,
    Involvement,
    Organisation,
    Outcome,
    SourceDocument,
    SourceReference,
)
from initiatives.sources.texts import report_path

pytestmark = pytest.mark.django_db


def seed_lines(code: str) -> list[str]:
    """The report's text as the project ships it in fixtures/reports/."""
    document = SourceDocument.objects.get(code=code)
    return report_path(document).read_text(encoding="utf-8").splitlines()


def catalogue_snapshot(natural_primary: bool = False) -> str:
    """Every catalogue row, as fixtures would write it; history is left out, and so
    is the catalogue's version (changes.py), which records loads and saves, not
    content."""
    models = [
        model
        for model in apps.get_app_config("initiatives").get_models()
        if not model.__name__.startswith("Historical") and model is not CatalogueVersion
    ]
    return serializers.serialize(
        "json",
        [
            obj
            for model in models
            for obj in model._default_manager.select_related().order_by("pk")
        ],
        use_natural_foreign_keys=True,
        use_natural_primary_keys=natural_primary,
    )


def referencing(code: str):
    return Initiative.objects.filter(references__document__code=code).distinct()


# The whole catalogue ---------------------------------------------------------------


@pytest.mark.slow
def test_loading_the_catalogue_again_changes_nothing_and_adds_no_history():
    with_history = [Initiative, Organisation, SourceReference, Outcome]
    for model in with_history:  # the first load recorded each object as created
        kinds = list(model.history.values_list("history_type", flat=True))
        assert kinds == ["+"] * model.objects.count(), model.__name__
    before = catalogue_snapshot()
    by_slug = 'FROM "initiatives_initiative" WHERE "initiatives_initiative"."slug" ='
    slug_lookups = []

    def counting(execute, sql, params, many, context):
        if by_slug in sql:
            slug_lookups.append(params)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        call_command("load_catalogue", verbosity=0)

    assert catalogue_snapshot() == before
    for model in with_history:
        assert model.history.count() == model.objects.count(), model.__name__
    # Each initiative is named by its slug in every one of its parts, and looked up
    # once, not at every mention.
    assert len(slug_lookups) == Initiative.objects.count()


def test_every_initiative_has_a_source_reference_with_a_locator():
    without = Initiative.objects.annotate(n=Count("references")).filter(n=0)

    assert list(without) == []
    assert not SourceReference.objects.filter(locator="").exists()


def test_every_line_range_lies_inside_its_report():
    for document in SourceDocument.objects.all():
        length = len(seed_lines(document.code))
        beyond = document.references.filter(
            Q(line_end__gt=length) | Q(line_start__lt=1)
        )
        assert list(beyond) == [], document.code


def test_every_outcome_comes_from_a_reference_of_its_own_initiative():
    assert not Outcome.objects.exclude(reference__initiative=F("initiative")).exists()


def test_only_report_004_states_categories():
    stated = CategoryAssignment.objects.filter(basis="rapport")

    assert not stated.exclude(reference__document__code="004").exists()
    assert not CategoryAssignment.objects.filter(basis="redaktionel", note="").exists()


def test_a_subcategory_always_comes_with_its_main_category():
    for assignment in CategoryAssignment.objects.filter(category__parent__isnull=False):
        assert CategoryAssignment.objects.filter(
            initiative=assignment.initiative, category=assignment.category.parent
        ).exists(), assignment


def test_every_initiative_in_the_fixtures_is_published():
    assert not Initiative.objects.exclude(status="offentliggjort").exists()


def test_no_link_points_to_a_file_on_someones_computer():
    for reference in SourceReference.objects.exclude(links=""):
        for link in reference.link_list:
            assert link.startswith(("http://", "https://")), (reference, link)


def test_one_record_per_organisation_name():
    names = Involvement.objects.values("organisation__name").distinct().count()

    assert names == Involvement.objects.values("organisation").distinct().count()


# Report 004: the categories ----------------------------------------------------------


def bilag_2_count(slug: str) -> int:
    return (
        CategoryAssignment.objects.filter(
            category__slug=slug,
            basis="rapport",
            reference__locator__startswith="Bilag 2",
        )
        .values("initiative")
        .distinct()
        .count()
    )


# (category, count stated in afsnit 3.2 and Figur 3.1, count after Bilag 2's rows)
FIGUR_3_1 = [
    # Esbjergmodellen and Støtte til livet med kræft each have two Dialogstøtte rows in
    # Bilag 2 (a questionnaire and a conversation wheel; a form used two ways); the
    # report counts each tool, the catalogue each initiative. Its own total of 24 only
    # comes out with them as one initiative each.
    ("dialogstoette", 16, 15),
    ("oeget-vidensniveau", 4, 4),
    ("forberedelse-til-samtale", 2, 2),
    ("samtaleredskaber", 11, 11),
    ("organisering", 11, 11),
    ("tvaerfagligt-og-tvaersektorielt-samarbejde", 5, 5),
    ("differentieret-indsats-til-socialt-saarbare", 4, 4),
    ("ikke-differentieret-indsats", 2, 2),
    ("tilfoert-ressource", 7, 7),
    # Bilag 2 has no subheading under Tilført ressource; Figur 3.1 puts all seven in
    # its only subcategory.
    ("koordinator-og-navigatorprojekter", 7, 7),
]


@pytest.mark.parametrize("slug, stated, from_rows", FIGUR_3_1)
def test_report_004_category_counts_follow_bilag_2s_rows(slug, stated, from_rows):
    assert bilag_2_count(slug) == from_rows
    assert stated - from_rows in (0, 1)


def test_report_004_has_24_selected_and_28_inspiration_initiatives_six_in_both():
    bilag_2 = Initiative.objects.filter(
        references__locator__startswith="Bilag 2"
    ).distinct()
    bilag_3 = Initiative.objects.filter(
        references__locator__startswith="Bilag 3"
    ).distinct()

    assert bilag_2.count() == 24
    assert bilag_3.count() == 28
    assert set(bilag_2.filter(pk__in=bilag_3).values_list("slug", flat=True)) == {
        "faelles-dagsorden",
        "modtageguider",
        "netvaerksraadslagning",
        "qr-koder",
        "tumorambulatoriet",
        "vaerdihjulet",
    }
    assert referencing("004").count() == 46
    assert SourceReference.objects.filter(locator__startswith="Bilag 2").count() == 35


def test_report_004_senders_are_organisations():
    assert Involvement.objects.filter(
        role="afsender", initiative__references__document__code="004"
    ).exists()


# Report 000: the award nominations --------------------------------------------------


def test_every_nomination_is_referenced_by_exactly_one_initiative():
    references = SourceReference.objects.filter(document__code="000")
    locators = sorted(
        references.exclude(locator__contains=",").values_list("locator", flat=True)
    )

    assert locators == sorted(f"Indstilling {n}" for n in range(1, 27))
    assert referencing("000").count() == 25
    assert_parts_lie_inside_their_whole(references)


def assert_parts_lie_inside_their_whole(references) -> None:
    """A reference to the lines that state a result ("Indstilling 8, værdi for
    brugerne") lies inside the whole section it is part of, on the same initiative."""
    parts = references.filter(locator__contains=",")
    assert parts.exists()
    for part in parts:
        whole = references.get(locator=part.locator.split(",")[0])
        assert whole.initiative_id == part.initiative_id, part.locator
        assert whole.line_start <= part.line_start, part.locator
        assert part.line_end <= whole.line_end, part.locator


def test_nominations_3_and_11_are_one_initiative():
    initiative = Initiative.objects.get(slug="mennesker-har-brug-for-mennesker")

    whole = initiative.references.exclude(locator__contains=",")

    assert set(whole.values_list("locator", flat=True)) == {
        "Indstilling 3",
        "Indstilling 11",
    }


def test_same_title_at_different_hospitals_stays_separate():
    wardrobes = Initiative.objects.filter(slug__startswith="klaedeskabet-")

    assert wardrobes.count() == 3
    assert len({w.name for w in wardrobes}) == 3


def test_local_versions_of_a_national_programme_share_the_organisation():
    palliative = Initiative.objects.filter(
        slug__in=[
            "frivillig-palliativ-indsats-sygehus-lillebaelt",
            "palliativ-frivillig-indsats-sygehus-soenderjylland",
        ],
        involvements__organisation__slug="dansk-roede-kors",
    )

    assert palliative.distinct().count() == 2


@pytest.mark.parametrize(
    "code, slug, stated, result",
    [
        ("001", "gladsaxe-i-bevaegelse", "BMI fra 33,7 til 31,8", "31,8"),
        (
            "000",
            "en-lille-social-sejr-under-indlaeggelse",
            "Jeg følte faktisk en lille sejr i dag",
            "lille sejr",
        ),
        (
            "000",
            "en-lille-social-sejr-under-indlaeggelse",
            "minimere ensomhedsfølelse",
            "ensomhedsfølelse",
        ),
        (
            "000",
            "en-lille-social-sejr-under-indlaeggelse",
            "forebygge tvang",
            "forebygge tvang",
        ),
        (
            "000",
            "klaedeskabet-aalborg-universitetshospital",
            "Patienter udtrykker taknemlighed",
            "taknemlighed",
        ),
        (
            "000",
            "lev-godt-efter-brystkraeft-bone-bc-appen",
            "uvurderlig viden om patientens forløb",
            "uvurderlig viden",
        ),
        (
            "000",
            "palliativ-frivillig-indsats-sygehus-soenderjylland",
            "større fleksibilitet",
            "fleksibilitet",
        ),
        ("004", "guidet-egen-beslutning-for-socialt-udsatte", "svært ved", "svært"),
    ],
)
def test_a_stated_result_is_in_and_cites_the_lines_that_state_it(
    code, slug, stated, result
):
    outcomes = Outcome.objects.filter(
        initiative__slug=slug, reference__document__code=code, text__contains=result
    ).select_related("reference")

    assert outcomes.exists(), (slug, result)
    for outcome in outcomes:
        reference = outcome.reference
        lines = seed_lines(code)[reference.line_start - 1 : reference.line_end]
        text = " ".join(re.sub(r"-\s*\n\s*", "", "\n".join(lines)).split())
        assert stated in text, (slug, stated)
        # the lines that state it, not the whole nomination or project
        assert reference.line_end - reference.line_start <= 20, reference.locator


def test_nomination_outcomes_carry_the_figures_the_text_states():
    assert_outcome("000", "taet-og-toer", 30410, "30.410 besøgende")
    assert_outcome("000", "precare-kol", 37, "reduceret indlæggelser med 37 %")
    assert_outcome("000", "klaedeskabet-esbjerg-sygehus", 52, "52 madbilletter")


# Report 001: the satspulje projects --------------------------------------------------


def test_the_17_satspulje_projects_and_their_budgets():
    projects = referencing("001")
    total = projects.aggregate(total=Sum("budget_dkk"))["total"]

    references = SourceReference.objects.filter(document__code="001")

    assert projects.count() == 17
    assert sorted(
        references.exclude(locator__contains=",").values_list("locator", flat=True)
    ) == sorted(f"afsnit 3.{n}" for n in range(1, 18))
    assert_parts_lie_inside_their_whole(references)
    assert not projects.filter(budget_dkk__isnull=True).exists()
    # The report says 39,2 mio. kr. (afsnit 1.1); the 17 stated budgets round to it.
    assert total == 39_213_767
    assert round(Decimal(total) / 1_000_000, 1) == Decimal("39.2")


def test_each_satspulje_project_has_a_dated_outcome_and_the_state_as_funder():
    for project in referencing("001"):
        dated = Outcome.objects.filter(
            initiative=project, reference__document__code="001"
        ).exclude(refers_to="")
        assert dated.exists(), project.slug
        assert project.involvements.filter(
            organisation__slug="sundhedsstyrelsen", role="bevillingsgiver"
        ).exists()


@pytest.mark.parametrize(
    "slug, figure, words",
    [
        ("adhd-basisteam", 35, "35 børn henvist og behandlet"),
        ("genvej-til-et-sundere-liv", 120, "120 borgere er visiteret"),
        ("gladsaxe-i-bevaegelse", 70, "70 borgere er startet i tilbuddet"),
        ("laer-at-arbejde-med-kronisk-sygdom", 22, "22 kommuner har tegnet licens"),
        (
            "socialsygepleje-det-gode-patientforloeb-for-socialt-udsatte",
            710,
            "710 patienter været tilknyttet socialsygeplejersken",
        ),
    ],
)
def test_satspulje_outcomes_never_carry_a_figure_the_text_does_not_state(
    slug, figure, words
):
    assert_outcome("001", slug, figure, words)


def assert_outcome(code: str, slug: str, figure: int, words: str) -> None:
    """The outcome has the figure, and the report states it in these words."""
    outcome = Outcome.objects.get(
        initiative__slug=slug, reference__document__code=code, figure=figure
    )
    lines = seed_lines(code)[
        outcome.reference.line_start - 1 : outcome.reference.line_end
    ]
    text = re.sub(r"-\s*\n\s*", "", "\n".join(lines))
    assert " ".join(words.split()) in " ".join(text.split()), (slug, words)


# Report 002: the prevention cases ---------------------------------------------------


def test_the_19_prevention_cases_are_each_referenced_once():
    locators = SourceReference.objects.filter(document__code="002").values_list(
        "locator", flat=True
    )
    numbers = sorted(
        int(re.match(r"Case (\d+):", locator).group(1)) for locator in locators
    )

    assert referencing("002").count() == 19
    assert numbers == list(range(1, 20))


def test_prevention_case_outcomes_come_from_the_report():
    assert_outcome(
        "002", "forstaerket-indsats-over-for-storrygere", 46, "46 % af deltagerne"
    )
    assert_outcome(
        "002",
        "headspace-stoette-til-unge-der-mistrives",
        96,
        "96 procent, der kommer i",
    )


# Report 003: Bilag 1 and the case studies ---------------------------------------------


def test_every_row_of_bilag_1_is_referenced():
    rows = [
        int(re.match(r"Bilag 1, række (\d+)", locator).group(1))
        for locator in SourceReference.objects.filter(
            document__code="003", locator__startswith="Bilag 1, række"
        ).values_list("locator", flat=True)
    ]

    assert sorted(rows) == list(range(1, 52))
    assert referencing("003").count() == 53


@pytest.mark.parametrize(
    "slug",
    [
        "taenk-somatikken-med",
        "social-sundhed",
        "sundhedstjek-paa-botilbuddet-tangkaer",
        "omsorgscenter-pitstop",
    ],
)
def test_the_four_case_studies_have_a_chapter_and_outcomes(slug):
    chapter = SourceReference.objects.get(
        initiative__slug=slug, document__code="003", locator__startswith="Kapitel"
    )

    assert Outcome.objects.filter(
        reference__initiative__slug=slug, reference__document__code="003"
    ).exists()
    assert chapter.line_end - chapter.line_start > 100


def test_initiatives_described_by_two_reports_are_one_record():
    shared = {
        "sammen-om-min-vej": {"004", "003"},
        "social-sundhed": {"003", "000"},
        "navigatorindsats": {"004", "003"},
        "forebyggelse-hos-borgere-med-skizofreni": {"002", "003"},
    }
    for slug, codes in shared.items():
        initiative = Initiative.objects.get(slug=slug)
        assert codes <= set(
            initiative.references.values_list("document__code", flat=True)
        )

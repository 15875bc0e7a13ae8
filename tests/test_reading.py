"""Reading the reports: the texts in the project and the database, a numbered reading
page per report, and a passage behind every locator a visitor sees."""

import html
import re

import pytest
from django.core.exceptions import ValidationError

from initiatives.models import (
    Initiative,
    Redaction,
    SourceDocument,
    SourceLine,
    SourceReference,
)
from initiatives.sources.texts import report_path, store_lines
from initiatives.sources.views import LINES_PER_PAGE, line_url

from .conftest import make_initiative, make_reference

pytestmark = pytest.mark.django_db

LOCATOR_LINK = re.compile(r'<a class="locator" href="([^"]+)">')


def test_every_report_is_in_the_database_line_by_line_as_its_file_numbers_them():
    for document in SourceDocument.objects.all():
        lines = report_path(document).read_text(encoding="utf-8").splitlines()
        stored = list(document.lines.order_by("number").values_list("number", "text"))

        assert stored == list(enumerate(lines, start=1)), document.code


def test_every_fixture_reference_passes_the_line_range_check():
    for reference in SourceReference.objects.select_related("document"):
        reference.full_clean()


def test_a_line_range_beyond_the_text_is_refused_with_a_danish_message():
    reference = SourceReference.objects.select_related("document").first()
    length = reference.document.lines.count()
    reference.line_end = length + 1

    with pytest.raises(ValidationError) as error:
        reference.full_clean()

    assert f"som har linje 1–{length}" in str(error.value)


def test_a_line_range_ending_before_it_starts_is_refused():
    reference = SourceReference.objects.select_related("document").first()
    reference.line_start, reference.line_end = 20, 10

    with pytest.raises(ValidationError) as error:
        reference.clean()

    assert "ligger før den første" in str(error.value)


def test_the_reading_page_numbers_and_anchors_every_line_of_its_part(client):
    document = SourceDocument.objects.get(code="001")

    response = client.get(f"/kilder/{document.slug}/tekst/?side=2")

    body = response.content.decode()
    first = LINES_PER_PAGE + 1
    assert response.status_code == 200
    assert f'id="linje-{first}"' in body
    assert f'id="linje-{2 * LINES_PER_PAGE}"' in body
    assert f'id="linje-{first - 1}"' not in body
    assert f'id="linje-{2 * LINES_PER_PAGE + 1}"' not in body


def test_a_reading_page_past_the_end_is_not_found(client):
    response = client.get("/kilder/regionernes-forebyggelsescases/tekst/?side=99")

    assert response.status_code == 404


def test_the_passage_highlights_the_cited_lines_with_context_and_links_back(client):
    reference = (
        SourceReference.objects.select_related("document", "initiative")
        .filter(initiative__slug="sammen-om-min-vej", document__code="004")
        .first()
    )

    response = client.get(reference.get_absolute_url())

    body = response.content.decode()
    cited = re.findall(r'id="linje-(\d+)" class="cited"', body)
    shown = re.findall(r'id="linje-(\d+)"', body)
    assert response.status_code == 200
    assert [int(n) for n in cited] == list(
        range(reference.line_start, reference.line_end + 1)
    )
    assert int(shown[0]) < reference.line_start
    assert int(shown[-1]) > reference.line_end
    assert reference.initiative.get_absolute_url() in body
    assert line_url(reference.document, reference.line_start) in body


def test_a_passage_outside_the_text_is_not_found(client):
    document = SourceDocument.objects.get(code="002")
    length = document.lines.count()

    assert client.get(f"/kilder/{document.slug}/linje-1-{length}/").status_code == 200
    assert client.get(f"/kilder/{document.slug}/linje-1-{length + 1}/").status_code == (
        404
    )
    assert client.get(f"/kilder/{document.slug}/linje-9-3/").status_code == 404


def test_every_locator_on_every_initiative_page_opens_a_passage_with_its_lines(
    client,
):
    checked = 0
    for initiative in Initiative.objects.published():
        body = client.get(initiative.get_absolute_url()).content.decode()
        links = set(LOCATOR_LINK.findall(body))
        references = initiative.references.count()
        assert len(links) >= 1, initiative.slug
        assert len(links) <= references
        for link in links:
            start, end = map(int, re.search(r"linje-(\d+)-(\d+)/$", link).groups())
            passage = client.get(link).content.decode()
            for number in range(start, end + 1):
                assert f'id="linje-{number}" class="cited"' in passage, link
            checked += 1
    assert checked >= Initiative.objects.published().count()


def test_results_and_category_placements_link_their_locators(client):
    body = client.get("/initiativer/sammen-om-min-vej/").content.decode()
    initiative = Initiative.objects.get(slug="sammen-om-min-vej")
    stated = initiative.category_assignments.filter(basis="rapport").first()

    assert stated is not None
    assert f'href="{stated.reference.get_absolute_url()}"' in body


def test_the_source_page_links_every_reference_and_the_text(client):
    document = SourceDocument.objects.get(code="004")

    body = client.get(document.get_absolute_url()).content.decode()

    reference = document.references.order_by("line_start", "pk").first()
    assert f'href="{reference.get_absolute_url()}"' in body
    assert f'href="/kilder/{document.slug}/tekst/"' in body
    assert document.file_name not in body


def test_every_report_names_its_publisher_or_who_the_catalogue_takes_to_be_behind_it():
    unnamed = SourceDocument.objects.filter(publisher="")

    assert set(unnamed.values_list("code", flat=True)) == {"000", "001"}
    assert not unnamed.filter(publisher_note="").exists()
    assert "Kræftens Bekæmpelse" in SourceDocument.objects.get(code="004").publisher


def test_the_source_page_says_who_is_behind_a_report_as_the_catalogues_judgement(
    client,
):
    document = SourceDocument.objects.get(code="000")

    body = client.get(document.get_absolute_url()).content.decode()
    english = client.get(f"/en{document.get_absolute_url()}").content.decode()

    assert "Hvem står bag (katalogets vurdering)" in body
    assert "Danske Regioner" in body
    assert "katalogets vurdering (en kurators, ikke rapportens)" in body
    assert "Who is behind it (the catalogue’s judgement)" in english


def test_the_reading_pages_are_in_english_under_en(client):
    response = client.get("/en/kilder/regionernes-forebyggelsescases/tekst/")

    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_a_draft_initiatives_reference_is_not_listed_on_the_passage(client):
    draft = make_initiative(slug="kladde", status=Initiative.Status.DRAFT)
    reference = make_reference(draft, line_start=3, line_end=4)

    body = client.get(reference.get_absolute_url()).content.decode()

    assert draft.get_absolute_url() not in body


def test_a_report_without_text_says_so(client):
    document = SourceDocument.objects.get(code="002")
    SourceLine.objects.filter(document=document).delete()

    response = client.get(f"/kilder/{document.slug}/tekst/")

    assert "ikke lagt ind endnu" in response.content.decode()


SUNDHEDSTEAM = "/kilder/vive-sundhedsindsatser-paa-socialomraadet-2022/linje-3749-3802/"


def visible_text(body: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())


def test_a_passage_reads_as_running_text_with_its_line_ranges_in_the_margin(client):
    response = client.get(SUNDHEDSTEAM)

    body = response.content.decode()
    assert "<h1>Uddrag af " in body
    assert ", linje 3749–3802</h1>" in body
    assert (
        "SundhedsTeam er en del af Københavns Kommunes hjemløsearbejde og er en "
        "sundhedsfaglig indsats"
    ) in visible_text(body)
    assert '<a class="line-range" href="#linje-3770">' in body
    assert re.findall(r'id="linje-(\d+)" class="cited"', body) == [
        str(number) for number in range(3749, 3803)
    ]
    assert 'href="?visning=linjer"' in body


def test_the_passage_as_in_the_report_numbers_every_line_as_the_text_file_has_it(
    client,
):
    response = client.get(SUNDHEDSTEAM + "?visning=linjer")

    body = response.content.decode()
    assert '<li id="linje-3771" class="cited"><a class="line-number" ' in body
    assert "af Københavns Kommu-</span>" in body
    assert '<span aria-current="page">Som i rapporten, linje for linje</span>' in body
    assert client.get(SUNDHEDSTEAM + "?visning=alt").status_code == 404


def test_the_whole_text_reads_as_running_text_and_keeps_the_view_between_parts(
    client,
):
    document = SourceDocument.objects.get(code="001")
    url = f"/kilder/{document.slug}/tekst/"

    running = client.get(url + "?side=1").content.decode()
    as_printed = client.get(url + "?side=1&visning=linjer").content.decode()

    assert "Bevillingsmodtagere er både private" in visible_text(running)
    assert 'href="?side=2"' in running
    assert '<li id="linje-25">' in as_printed
    assert 'href="?side=2&amp;visning=linjer"' in as_printed
    for body in (running, as_printed):
        assert re.findall(r'id="linje-(\d+)"', body) == [
            str(number) for number in range(1, LINES_PER_PAGE + 1)
        ]


def test_the_page_of_the_printed_report_shows_where_the_text_gives_it(client):
    body = client.get(
        "/kilder/vive-sundhedsindsatser-paa-socialomraadet-2022/tekst/?side=3"
    ).content.decode()

    assert "Side 27 i den trykte rapport" in visible_text(body)


def report_with_a_name_split_over_two_lines() -> SourceDocument:
    document = SourceDocument.objects.create(
        code="005",
        slug="lille-rapport",
        title="En lille rapport",
        short_title="Lille rapport",
        kind="casesamling",
        description="En rapport til tests.",
        file_name="lille.txt",
        status=SourceDocument.Status.PUBLISHED,
    )
    store_lines(
        document,
        [
            "Projektet blev ledet af sygeplejerske Kirsten",
            "Kristensen og to kolleger fra afdelingen. Skriv til kirsten@",
            "example.dk for at høre mere. Projektets koordinator var Kirsten Kri-",
            "stensen fra 2019.",
        ],
    )
    Redaction.objects.create(
        document=document,
        line_start=1,
        line_end=4,
        text="Kirsten Kristensen",
        kind=Redaction.Kind.NAME,
        reason="Projektleder, en privatperson.",
    )
    return document


@pytest.mark.parametrize("view", ["", "?visning=linjer"])
def test_a_name_or_an_address_split_over_two_lines_is_removed_from_both(client, view):
    document = report_with_a_name_split_over_two_lines()

    for url in (
        f"/kilder/{document.slug}/linje-2-3/",
        f"/kilder/{document.slug}/tekst/",
    ):
        text = visible_text(client.get(url + view).content.decode())

        assert "Kirsten" not in text
        assert "Kristensen" not in text
        assert "stensen" not in text
        assert "example.dk" not in text
        assert "[navn fjernet] og to kolleger" in text
        assert "[kontaktoplysninger fjernet]" in text


@pytest.mark.parametrize(
    "path",
    [
        "/kilder/{slug}/linje-00001-00002/",
        "/kilder/{slug}/linje-1-02/",
        "/en/kilder/{slug}/linje-01-2/",
    ],
)
def test_a_passage_address_with_leading_zeros_redirects_to_the_passages_address(
    client, django_assert_num_queries, path
):
    document = SourceDocument.objects.get(code="004")

    with django_assert_num_queries(1):  # the catalogue version, for the ETag
        response = client.get(path.format(slug=document.slug))

    english = "/en" if path.startswith("/en/") else ""
    assert response.status_code == 301
    assert response["Location"] == f"{english}/kilder/{document.slug}/linje-1-2/"


def test_a_passage_address_with_leading_zeros_keeps_the_chosen_view_when_redirected(
    client, django_assert_num_queries
):
    document = SourceDocument.objects.get(code="004")

    with django_assert_num_queries(1):  # the page cache's catalogue version
        response = client.get(f"/kilder/{document.slug}/linje-01-2/?visning=linjer")

    assert response.status_code == 301
    assert response["Location"] == (
        f"/kilder/{document.slug}/linje-1-2/?visning=linjer"
    )

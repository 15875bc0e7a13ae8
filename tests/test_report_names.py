"""A reader meets a report by its name, publisher and year, never by the catalogue's
internal number; and the licence says what is the catalogue's and what is quoted."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from initiatives.models import SourceDocument
from initiatives.opendata.datapackage import LICENCE
from initiatives.opendata.fields import TABLE_FIELDS

pytestmark = pytest.mark.django_db

VIVE = "Sundhedsindsatser på socialområdet (VIVE, 2022)"
# "Kilde: 004", "rapport 003", "000 Indstillinger …": a report's number as its name.
REPORT_NUMBER = re.compile(r"(Kilde: ?|[Rr]apport |\b)00[0-4]\b(?![-–\d])")


def visible_text(html: str) -> str:
    """What a reader sees: the page without its tags, attributes, scripts or URLs."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_a_report_is_named_by_short_title_publisher_and_year():
    assert str(SourceDocument.objects.get(code="003")) == VIVE
    assert str(SourceDocument.objects.get(code="002")) == (
        "Casesamling om forebyggelse i regionerne (Danske Regioner, 2017)"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/initiativer/",
        "/initiativer/?kilde=vive-sundhedsindsatser-paa-socialomraadet-2022",
        "/initiativer/sundhedsteam-koebenhavn/",
        "/kilder/",
        "/kilder/vive-sundhedsindsatser-paa-socialomraadet-2022/",
        "/licens/",
        "/en/initiativer/",
        "/en/initiativer/sundhedsteam-koebenhavn/",
    ],
)
def test_no_page_names_a_report_by_its_number(client, path):
    text = visible_text(client.get(path).text)

    assert REPORT_NUMBER.search(text) is None, REPORT_NUMBER.search(text)


def test_list_rows_filter_and_chip_name_the_report(client):
    page = client.get(
        "/initiativer/?kilde=vive-sundhedsindsatser-paa-socialomraadet-2022"
    ).text

    assert f'Kilde: <span lang="da">{VIVE}</span>' in page
    assert page.count(VIVE) >= 3  # the rows, the filter's option and the chip


def test_an_initiative_page_names_the_report_behind_every_locator(client):
    page = client.get("/initiativer/sundhedsteam-koebenhavn/").text

    assert '(grundlag: <a class="locator"' in page
    assert f'<span lang="da">{VIVE}</span>, Bilag 1, række 31' in page


def test_the_export_names_the_report_of_every_source(client):
    response = client.get("/initiativer/eksport.csv?format=csv&q=SundhedsTeam")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    row = next(r for r in rows if r["slug"] == "sundhedsteam-koebenhavn")
    assert row["kilder"].startswith(f"{VIVE}, Bilag 1, række 31")
    assert not REPORT_NUMBER.search(row["kilder"])


def test_the_api_gives_each_report_and_reference_its_readable_name(client):
    source = client.get(
        "/api/v1/kilder/vive-sundhedsindsatser-paa-socialomraadet-2022/"
    ).json()
    initiative = client.get("/api/v1/initiativer/sundhedsteam-koebenhavn/").json()

    assert source["label"] == VIVE
    assert source["publisher_short"] == "VIVE"
    assert {r["source_label"] for r in initiative["references"]} == {VIVE}


def test_the_licence_page_separates_the_catalogues_work_from_quoted_report_text(
    client,
):
    page = client.get("/licens/").text

    assert "Katalogets eget arbejde må bruges frit" in page
    assert 'id="rapporttekst"' in page
    assert "Rapporternes tekst tilhører deres udgivere" in page
    assert "Udgivet af VIVE – Det Nationale Forsknings- og Analysecenter" in page


def test_the_data_package_licenses_each_table_and_marks_quoted_fields(client):
    response = client.get("/data/lighedskataloget.json")
    package = json.loads(b"".join(response.streaming_content))
    resources = {resource["name"]: resource for resource in package["resources"]}

    quoted = {
        resource["name"]: {
            field["name"]
            for field in resource["schema"]["fields"]
            if field.get("quoted_report_text")
        }
        for resource in package["resources"]
    }
    assert quoted["categories"] == {"definition"}
    assert quoted["results"] == {"text", "refers_to"}
    assert quoted["organisations"] == set()
    assert [licence["name"] for licence in resources["organisations"]["licenses"]] == [
        LICENCE["name"]
    ]
    rights = resources["results"]["licenses"][1]
    assert rights["path"].endswith("/licens/#rapporttekst")
    assert "publisher" in rights["title"]
    assert any(
        "VIVE – Det Nationale" in source["title"] for source in package["sources"]
    )


def test_every_field_in_the_reports_words_is_marked_as_quoted():
    described_as_quoted = {
        (table, column.name)
        for table, columns in TABLE_FIELDS.items()
        for column in columns
        if re.search(r"\bord\b|som rapporten angiver det", column.description)
    }
    marked = {
        (table, column.name)
        for table, columns in TABLE_FIELDS.items()
        for column in columns
        if column.quoted
    }

    assert described_as_quoted <= marked


def test_the_citation_file_says_the_reports_text_is_not_under_the_licence():
    top = Path(__file__).parents[1]
    text = (top / "CITATION.cff").read_text()
    citation = yaml.safe_load(text)

    assert citation["license"] == LICENCE["name"]
    assert "not covered" in text
    titles = {reference["title"] for reference in citation["references"]}
    assert titles == set(SourceDocument.objects.values_list("title", flat=True))

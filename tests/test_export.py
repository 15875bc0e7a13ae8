"""The CSV export gives exactly what the list shows, safely, in Excel's dialect."""

import csv
import io
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from initiatives.listing.count_index import current_index
from initiatives.models import Initiative
from initiatives.opendata import built_files, exports
from initiatives.opendata.exports import HEADER, neutralise
from initiatives.search import refresh_search_text

from .conftest import all_listed, make_full_initiatives, make_initiative

pytestmark = pytest.mark.django_db

# The catalogue version, for the ETag and the count index (which counts the
# rows); the chosen region; the reports' names; the export's own transaction (a
# savepoint in the test's) and its one query; on PostgreSQL, no JIT compilation.
QUERIES_FOR_A_REGION_EXPORT = 8 if connection.vendor == "postgresql" else 7

EXPORT = reverse("initiatives:initiative_export")
LIST = reverse("initiatives:initiative_list")


def download(client, query: str = "") -> tuple[str, list[list[str]]]:
    response = client.get(f"{EXPORT}?{query}")
    assert response.status_code == 200
    text = response.getvalue().decode("utf-8")
    delimiter = "," if "format=csv" in query else ";"
    rows = list(
        csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter)
    )
    return text, rows


def test_the_header_line_is_exactly_the_documented_columns(client):
    text, rows = download(client)

    assert rows[0] == [
        "id", "slug", "url", "navn", "resume", "hovedkategorier", "underkategorier",
        "organisationer", "organisationstyper", "maalgrupper", "regioner", "sted",
        "startaar", "slutaar", "budget_kr", "budget_gaelder", "evidensniveau",
        "antal_resultater", "resultater", "kilder", "navn_en", "resume_en",
        "formaal_en",
    ]  # fmt: skip
    assert rows[0] == HEADER


def test_excel_dialect_by_default_and_plain_csv_on_request(client):
    excel, _rows = download(client)
    plain, plain_rows = download(client, "format=csv")

    assert excel.startswith("\ufeffid;slug;")
    assert plain.startswith("id,slug,")
    assert plain_rows[0] == HEADER


def test_the_file_is_named_for_what_it_is_and_when(client):
    response = client.get(EXPORT)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="initiativer-'
    )
    assert response["Content-Disposition"].endswith('.csv"')


@pytest.mark.parametrize(
    "query",
    [
        "",
        "kategori=tilfoert-ressource",
        "maalgruppe=befolkningen&region=hovedstaden",
        "q=indsats",
        "q=indsats&sortering=navn",
        "resultater=1&sortering=nyeste",
        "kilde=kortlaegning-inddragelse-socialt-saarbare&kategori=organisering",
    ],
)
def test_the_export_holds_the_same_initiatives_as_the_list_in_the_same_order(
    client, query
):
    make_full_initiatives(30)

    _text, rows = download(client, query)

    assert [row[1] for row in rows[1:]] == all_listed(client, query)


def test_a_row_carries_categories_organisations_outcomes_and_sources(client):
    initiative = make_full_initiatives(1)[0]
    refresh_search_text(Initiative.objects.filter(pk=initiative.pk))

    _text, rows = download(client, "q=" + initiative.name)
    row = dict(zip(HEADER, rows[1], strict=True))

    assert row["hovedkategorier"] == "Tilført ressource"
    assert row["underkategorier"] == (
        "Koordinator- og navigatorprojekter (angivet i rapporten)"
    )
    assert row["organisationer"] == "ekstra organisation (ansvarlig)"
    assert row["regioner"] == "Region Hovedstaden"
    assert row["antal_resultater"] == "1"
    assert row["resultater"] == "10 borgere [10 borgere]"
    assert row["kilder"] == (
        "Kortlægning af inddragelse af socialt sårbare patienter "
        "(Kræftens Bekæmpelse m.fl., 2017), Bilag 2 (linje 1-2)"
    )
    assert row["url"].endswith(f"/initiativer/{initiative.slug}/")


def test_every_character_of_the_catalogue_survives_a_round_trip(client):
    make_initiative(
        slug="tegn",
        name='Æble; "Øl" og Å\nmed linjeskift',
        summary='Komma, semikolon; citat " og tab\tog ½ € ✓',
    )

    for query in ["", "format=csv"]:
        _text, rows = download(client, query)
        exported = {row[1]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
        for initiative in Initiative.objects.published():
            row = exported[initiative.slug]
            assert row["navn"] == initiative.name
            assert row["resume"] == initiative.summary
            assert row["sted"] == initiative.place


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_is_neutralised(client, start):
    make_initiative(slug="formel", name=f'{start}HYPERLINK("x")', summary="Formel")
    refresh_search_text(Initiative.objects.filter(slug="formel"))

    _text, rows = download(client, "q=formel")

    assert rows[1][3] == f'\'{start}HYPERLINK("x")'
    assert neutralise(2012) == 2012


def test_drafts_and_contact_data_are_never_exported(client):
    make_initiative(slug="kladden", name="Kladden", status="kladde")
    make_initiative(
        slug="med-kontakt",
        name="Med kontakt",
        contact_name="Hemmelig Person",
        contact_email="hemmelig@example.org",
        contact_phone="+45 12345678",
    )

    text, rows = download(client)

    assert "kladden" not in [row[1] for row in rows[1:]]
    assert "med-kontakt" in [row[1] for row in rows[1:]]
    for secret in ["Hemmelig Person", "hemmelig@example.org", "12345678"]:
        assert secret not in text


def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, django_assert_num_queries
):
    make_full_initiatives(3)
    current_index()  # built once per catalogue version, counted apart
    with django_assert_num_queries(QUERIES_FOR_A_REGION_EXPORT):
        download(client, "region=hovedstaden")

    make_full_initiatives(40, prefix="mange")
    current_index()
    with django_assert_num_queries(QUERIES_FOR_A_REGION_EXPORT):
        _text, rows = download(client, "region=hovedstaden")
    assert (
        len(rows) - 1 == Initiative.objects.filter(regions__slug="hovedstaden").count()
    )


def test_the_rows_are_read_in_a_transaction_of_their_own(client, monkeypatch):
    """Outside one, PostgreSQL computes every row of the cursor before the first
    leaves, to keep the cursor past the statement: seconds at 100,000 initiatives."""
    depths = []
    format_row = exports.format_row

    def recording_depth(row, reports):
        depths.append(len(connection.atomic_blocks))
        return format_row(row, reports)

    monkeypatch.setattr(exports, "format_row", recording_depth)
    monkeypatch.setattr(exports, "WHOLE_UP_TO", 3)  # streamed, as a long one is
    outside = len(connection.atomic_blocks)
    _text, rows = download(client, "kategori=organisering")

    assert len(depths) == len(rows) - 1
    assert set(depths) == {outside + 1}


def exported_files() -> list[Path]:
    return sorted(built_files.folder().glob("*-initiativer-*.csv"))


def test_the_whole_catalogue_is_served_from_a_file_made_once_per_version(
    client, django_assert_num_queries
):
    first, _rows = download(client)
    assert len(exported_files()) == 1

    # The catalogue's version, for the ETag and for the file's name.
    with django_assert_num_queries(2):
        response = client.get(EXPORT)
        again = b"".join(response.streaming_content).decode()

    # A file's length is known before it is sent; a stream's is not.
    assert response["Content-Length"] == str(len(again.encode()))
    assert response["Content-Disposition"].startswith(
        'attachment; filename="initiativer-'
    )
    assert again == first


def test_the_file_holds_exactly_what_the_export_streams(client):
    make_full_initiatives(5)
    download(client)

    streamed = "".join(
        exports.stream_initiatives(
            Initiative.objects.published().order_by("name", "pk")
        )
    )
    assert exported_files()[0].read_bytes().decode() == streamed


def test_a_change_makes_a_new_file_and_removes_the_old_one(client):
    download(client)
    old = exported_files()

    make_initiative(slug="helt-ny", name="Helt ny")
    _text, rows = download(client)

    assert "helt-ny" in [row[1] for row in rows[1:]]
    assert len(exported_files()) == 1 and exported_files() != old


def test_each_order_dialect_and_language_has_a_file_of_its_own(client):
    download(client)
    download(client, "format=csv")
    newest, newest_rows = download(client, "sortering=nyeste")
    english = client.get("/en" + EXPORT)
    b"".join(english.streaming_content)

    assert len(exported_files()) == 4
    assert [row[1] for row in newest_rows[1:]] == all_listed(client, "sortering=nyeste")


@pytest.mark.parametrize(
    "query", ["kategori=organisering", "q=indsats", "aar_fra=2010", "resultater=1"]
)
def test_a_short_filtered_export_is_sent_whole_and_kept_as_no_file(client, query):
    response = client.get(f"{EXPORT}?{query}")

    assert not response.streaming
    assert response["Content-Length"] == str(len(response.content))
    assert exported_files() == []


def test_a_long_filtered_export_is_streamed_and_holds_every_row(client, monkeypatch):
    monkeypatch.setattr(exports, "WHOLE_UP_TO", 3)
    listed = all_listed(client, "kategori=organisering")
    assert len(listed) > 3

    response = client.get(f"{EXPORT}?kategori=organisering")
    text = b"".join(response.streaming_content).decode()

    assert not response.has_header("Content-Length")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == listed
    assert exported_files() == []


@pytest.mark.parametrize(
    "query", ["", "q=&kategori=&sortering=navn", "format=csv", "sortering=nyeste"]
)
def test_an_export_of_everything_is_kept(client, query):
    download(client, query)

    assert len(exported_files()) == 1


def test_a_build_that_fails_leaves_no_file_and_the_download_streams(
    client, monkeypatch
):
    def cut_off(target, number):
        target.write(b"half a file")
        raise OSError("No space left on device")

    monkeypatch.setitem(built_files.FILES, "initiativer-da-navn-excel.csv", cut_off)
    text, rows = download(client)

    assert list(built_files.folder().iterdir()) == []
    assert [row[1] for row in rows[1:]] == all_listed(client, "")


@pytest.mark.parametrize(
    "query", ["kategori=findes-ikke", "aar_fra=abc", "format=xlsx", "region=%00"]
)
def test_invalid_parameters_give_a_readable_400(client, query):
    response = client.get(f"{EXPORT}?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Eksporten kunne ikke laves" in response.content.decode()


def test_the_list_page_links_to_the_export_of_what_it_shows(client):
    page = client.get(f"{LIST}?kategori=organisering&side=1").text

    assert f'href="{EXPORT}?kategori=organisering"' in page


def test_the_export_help_page_explains_every_column(client):
    page = client.get(reverse("initiatives:export_help")).text

    for column in HEADER:
        assert f"<code>{column}</code>" in page

"""The data package at /data/: valid by the Frictionless standard, stamped with the
catalogue's version, and loaded back it is exactly the published catalogue."""

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from initiatives.models import CatalogueVersion, Initiative, Outcome
from initiatives.opendata import built_files
from initiatives.opendata.datapackage import LICENCE, TABLE_ROWS, table_rows
from initiatives.opendata.fields import TABLE_FIELDS

from .conftest import (
    empty_inlines,
    make_full_initiatives,
    make_initiative,
    opened_at,
)

pytestmark = pytest.mark.django_db


def download(client, kind: str):
    response = client.get(f"/data/lighedskataloget.{kind}")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def unpacked(client, tmp_path) -> frictionless.Package:
    _, content = download(client, "zip")
    (tmp_path / "package.zip").write_bytes(content)
    with zipfile.ZipFile(tmp_path / "package.zip") as archive:
        archive.extractall(tmp_path / "package")
    return tmp_path / "package" / "datapackage.json"


def plain(value):
    """A value as the database gives it and Frictionless reads it back."""
    if value == "":
        return None
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def assert_matches_database(package: frictionless.Package) -> None:
    for table in TABLE_ROWS:
        resource = package.get_resource(table.replace("_", "-"))
        names = [field.name for field in TABLE_FIELDS[table]]
        loaded = [
            tuple(plain(row[name]) for name in names) for row in resource.read_rows()
        ]
        expected = [tuple(plain(value) for value in row) for row in table_rows(table)]
        assert loaded == expected, table
        assert loaded or table == "initiative_regions", table


def test_the_zip_is_a_valid_data_package_that_loads_back_as_the_database(
    client, tmp_path
):
    make_full_initiatives(2)
    descriptor = unpacked(client, tmp_path)

    report = frictionless.validate(str(descriptor))

    assert report.valid, report.flatten(["resourceName", "rowNumber", "type", "note"])
    assert_matches_database(frictionless.Package(str(descriptor)))


def test_the_json_file_is_the_same_package_with_the_rows_inline(client, tmp_path):
    make_full_initiatives(2)
    _, content = download(client, "json")
    (tmp_path / "package.json").write_bytes(content)

    report = frictionless.validate(str(tmp_path / "package.json"))

    assert report.valid, report.flatten(["resourceName", "rowNumber", "type", "note"])
    assert_matches_database(frictionless.Package(str(tmp_path / "package.json")))


def test_every_field_is_described_in_danish_and_english_with_keys_between_tables(
    client, tmp_path
):
    descriptor = json.loads(unpacked(client, tmp_path).read_text())

    assert len(descriptor["resources"]) == len(TABLE_ROWS)
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        assert schema["primaryKey"]
        for field in schema["fields"]:
            assert field["description"] and field["description_en"], field["name"]
    results = next(r for r in descriptor["resources"] if r["name"] == "results")
    assert {
        "fields": "reference_id",
        "reference": {"resource": "references", "fields": "id"},
    } in results["schema"]["foreignKeys"]


def test_each_download_is_stamped_with_the_catalogue_version_and_date(client, tmp_path):
    response, _ = download(client, "zip")
    version, _stamp = CatalogueVersion.number_and_stamp()
    descriptor = json.loads(unpacked(client, tmp_path).read_text())

    assert f'filename="lighedskataloget-v{version}-' in response["Content-Disposition"]
    assert descriptor["version"] == str(version)
    assert descriptor["created"][:10] in response["Content-Disposition"]

    make_initiative(slug="ny-indsats", name="Ny indsats")
    newer, content = download(client, "json")

    newer_version, _stamp = CatalogueVersion.number_and_stamp()
    assert f"-v{newer_version}-" in newer["Content-Disposition"]
    assert newer_version > version
    assert "Ny indsats" in content.decode()


def test_drafts_and_contact_details_are_in_no_file(client):
    draft = make_full_initiatives(1, prefix="kladde")[0]
    Initiative.objects.filter(pk=draft.pk).update(status="kladde")
    Outcome.objects.filter(initiative=draft).update(text="Hemmeligt resultat")
    secrets = ["kladde indsats 0", "Hemmeligt resultat"]
    for initiative in Initiative.objects.exclude(contact_email=""):
        secrets += [initiative.contact_name, initiative.contact_email]

    for kind in ["zip", "json"]:
        _, content = download(client, kind)
        if kind == "zip":
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                text = "".join(
                    archive.read(name).decode() for name in archive.namelist()
                )
        else:
            text = content.decode()
        # No contact column; the English translations may say "contact person".
        assert "contact_" not in text
        for secret in secrets:
            assert secret not in text, secret


def test_any_site_may_download_the_data(client):
    response = client.get("/data/lighedskataloget.json", HTTP_ORIGIN="https://a.dk")

    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_changelog_lists_initiatives_added_changed_and_removed(client, curator):
    changed = Initiative.objects.published().get(slug="sammen-om-min-vej")
    change = reverse("admin:initiatives_initiative_change", args=[changed.pk])
    client.post(
        change,
        {
            "name": "Sammen om min vej (ændret)",
            "slug": changed.slug,
            "status": changed.status,
            "summary": changed.summary,
            **empty_inlines(),
            **opened_at(client, change),
        },
    )
    added = make_initiative(slug="helt-ny", name="Helt ny indsats")
    removed = Initiative.objects.get(slug="processuelle-netvaerksmoeder")
    removed.delete()
    make_initiative(slug="kladden", name="Hemmelig kladde", status="kladde")
    client.logout()

    page = client.get("/data/").text

    assert "Sammen om min vej (ændret)" in page
    assert added.name in page
    assert "Fjernet:" in page and removed.name in page
    assert "Hemmelig kladde" not in page
    assert "Ingen ændringer" not in page


def test_the_data_and_licence_pages_exist_in_both_languages(client):
    for path in ["/data/", "/licens/"]:
        assert client.get(path).status_code == 200
    english = client.get("/en/data/").text
    licence = client.get("/en/licens/").text

    assert "Open data" in english
    assert "Initiatives" in english
    assert "Licence and citation" in licence
    assert "creativecommons.org/licenses/by/4.0" in licence


def test_the_repository_says_how_to_cite_it():
    citation = yaml.safe_load((Path(__file__).parents[1] / "CITATION.cff").read_text())

    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "dataset"
    assert citation["license"] == LICENCE["name"]
    assert citation["title"] and citation["message"] and citation["authors"]


def test_the_package_can_be_built_ahead_of_the_first_download(client):
    call_command("build_open_data", stdout=io.StringIO())
    built = sorted(path.name for path in built_files.folder().iterdir())
    number, stamp = CatalogueVersion.number_and_stamp()  # they name the files

    response, content = download(client, "zip")

    assert f"{stamp}-v{number}-lighedskataloget.zip" in built
    assert f"{stamp}-v{number}-lighedskataloget.json" in built
    assert f"{stamp}-v{number}-initiativer-en-nyeste-csv.csv" in built
    assert len(built) == len(built_files.FILES)
    zip_file = built_files.folder() / f"{stamp}-v{number}-lighedskataloget.zip"
    assert content == zip_file.read_bytes()

"""The download files built once per catalogue version by the task worker: the data
package and the whole catalogue's CSV, kept per deployment, the current version's
only."""

from pathlib import Path

import pytest
from django.db import connection, connections
from django.urls import reverse

from initiatives.models import CatalogueVersion
from initiatives.opendata import built_files

from .conftest import make_initiative

pytestmark = pytest.mark.django_db

PACKAGE = reverse("initiatives:data_download", args=["zip"])
EXPORT = reverse("initiatives:initiative_export")


def built() -> list[str]:
    return sorted(path.name for path in built_files.folder().iterdir())


def test_until_the_worker_has_built_them_the_package_is_promised_and_the_csv_streams(
    client, task_worker, django_assert_num_queries
):
    # The version (for the ETag, and for the file); the task enqueued; the
    # version's number for the page.
    with django_assert_num_queries(4):
        waiting = client.get(PACKAGE)
    streamed = client.get(EXPORT)
    streamed_text = b"".join(streamed.streaming_content)

    assert waiting.status_code == 503
    assert waiting["Retry-After"] == "60"
    assert "datapakken til version" in waiting.text
    assert not streamed.has_header("Content-Length")
    assert built() == []

    task_worker()

    number, stamp = CatalogueVersion.number_and_stamp()
    assert built() == [
        f"{stamp}-v{number}-initiativer-da-navn-excel.csv",
        f"{stamp}-v{number}-lighedskataloget.zip",
    ]
    with django_assert_num_queries(2):  # the version's stamp for the ETag, and both
        package = client.get(PACKAGE)
    from_file = client.get(EXPORT)
    assert package.status_code == 200
    assert b"".join(package.streaming_content).startswith(b"PK")
    assert from_file["Content-Length"] == str(len(streamed_text))
    assert b"".join(from_file.streaming_content) == streamed_text


def test_once_a_change_is_built_only_the_new_versions_files_are_kept(
    client, task_worker
):
    client.get(PACKAGE)
    task_worker()
    old = built()

    make_initiative(slug="helt-ny", name="Helt ny")
    assert client.get(PACKAGE).status_code == 503  # the old version is not served
    assert built() == old
    task_worker()

    number, stamp = CatalogueVersion.number_and_stamp()
    assert built() == [f"{stamp}-v{number}-lighedskataloget.zip"] != old


def test_two_deployments_neither_see_nor_remove_each_others_files(
    client, settings, monkeypatch
):
    client.get(PACKAGE)
    production = built_files.folder()
    production_files = built()

    settings.SITE_URL = "https://staging.example.dk"
    make_initiative(slug="kun-paa-staging", name="Kun på staging")
    staging = client.get(PACKAGE)

    assert staging.status_code == 200
    assert built_files.folder() != production
    assert len(built()) == 1 and built() != production_files
    assert sorted(path.name for path in production.iterdir()) == production_files

    # Nor do two databases behind one site address.
    staging_folder = built_files.folder()
    monkeypatch.setitem(connection.settings_dict, "NAME", "en-anden-database")
    assert built_files.folder() not in (production, staging_folder)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_change_committed_during_a_build_is_not_in_the_older_versions_file(
    monkeypatch, settings, tmp_path
):
    settings.BUILT_FILES_DIR = tmp_path
    CatalogueVersion.bump()
    other = connections.create_connection("default")

    def write(target, number: int) -> None:
        before = CatalogueVersion.number_and_stamp()
        with other.cursor() as cursor:  # a curator's save, in its own transaction
            cursor.execute(
                "UPDATE initiatives_catalogueversion SET number = number + 1"
            )
        target.write(f"{before}|{CatalogueVersion.number_and_stamp()}".encode())

    monkeypatch.setitem(built_files.FILES, "proeve.txt", write)
    try:
        path = built_files.build.call("proeve.txt")
    finally:
        other.close()

    before, after = Path(path).read_text().split("|")
    assert before == after

"""A report's text is read from its file in fixtures/reports/ and published: no file
name, whoever wrote it (a curator in the admin, a fixture, a direct database write),
makes the catalogue read a file outside that folder."""

import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from initiatives.models import SourceDocument
from initiatives.sources import texts as source_texts

pytestmark = pytest.mark.django_db

OUTSIDE = ["../../../../etc/passwd", "/etc/passwd", "..\\..\\etc\\passwd", ".env"]


@pytest.fixture
def reports_folder(tmp_path, monkeypatch):
    """A copy of the reports' folder, which a test may put a symlink into."""
    folder = tmp_path / "reports"
    shutil.copytree(source_texts.REPORTS_DIR, folder)
    monkeypatch.setattr(source_texts, "REPORTS_DIR", folder)
    return folder


@pytest.fixture
def secret_file(tmp_path):
    secret = tmp_path / "miljoe.env"
    secret.write_text("SECRET_KEY=hemmelig-noegle\n", encoding="utf-8")
    return secret


def reading(client, document: SourceDocument) -> str:
    return client.get(f"/kilder/{document.slug}/tekst/").content.decode()


def test_a_curator_is_not_offered_the_file_name_in_the_admin(client, curator):
    document = SourceDocument.objects.get(code="002")
    change = reverse("admin:initiatives_sourcedocument_change", args=[document.pk])

    form = client.get(change).context["adminform"].form

    assert "file_name" not in form.fields


def test_a_file_name_posted_to_the_admin_is_ignored(client, curator):
    document = SourceDocument.objects.get(code="002")
    change = reverse("admin:initiatives_sourcedocument_change", args=[document.pk])
    page = client.get(change)
    data = {
        **page.context["adminform"].form.initial,
        "year": document.year or "",
        "file_name": "../../../../etc/passwd",
        "edit_snapshot": page.context["edit_snapshot"],
        "redactions-TOTAL_FORMS": "0",
        "redactions-INITIAL_FORMS": "0",
    }
    data = {key: value for key, value in data.items() if value is not None}

    response = client.post(change, data)

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.file_name == "002_fd938811d71bf631.txt"


@pytest.mark.parametrize("name", OUTSIDE)
def test_the_model_refuses_a_file_name_outside_the_folder(name):
    document = SourceDocument.objects.get(code="002")
    document.file_name = name

    with pytest.raises(ValidationError) as refused:
        document.full_clean()

    assert "file_name" in refused.value.message_dict


@pytest.mark.parametrize("name", OUTSIDE)
def test_the_database_refuses_a_file_name_outside_the_folder(name):
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceDocument.objects.filter(code="002").update(file_name=name)


def test_a_fixture_naming_a_file_outside_the_folder_is_not_loaded(
    client, tmp_path, secret_file
):
    fixture = tmp_path / "rapport.yaml"
    fixture.write_text(
        "- model: initiatives.sourcedocument\n"
        "  fields:\n"
        '    code: "009"\n'
        "    slug: hemmelig\n"
        "    title: Hemmelig\n"
        "    short_title: Hemmelig\n"
        "    kind: casesamling\n"
        f"    file_name: ../../../..{secret_file}\n"
        "    description: En fil uden for mappen.\n",
        encoding="utf-8",
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)

    assert not SourceDocument.objects.filter(slug="hemmelig").exists()


def added_report(**fields) -> SourceDocument:
    """A report a curator added, which the catalogue's fixtures do not reset."""
    return SourceDocument.objects.create(
        code="009",
        slug="tilfoejet",
        title="Tilføjet rapport",
        short_title="Tilføjet",
        kind="casesamling",
        description="En rapport, en kurator har tilføjet.",
        **fields,
    )


@pytest.mark.parametrize("name", ["../../../../{secret}", "{secret}"])
def test_the_loader_refuses_a_name_leading_out_whatever_the_database_holds(
    reports_folder, secret_file, name
):
    """A database restored from before the constraint may hold any name: the loader
    resolves it and refuses what lies outside."""
    document = added_report(file_name="tilfoejet.txt")
    document.file_name = name.format(secret=secret_file)

    with pytest.raises(source_texts.UnsafeFileName, match="uden for rapporternes"):
        source_texts.report_path(document)


def test_load_catalogue_does_not_publish_a_file_a_symlink_in_the_folder_points_to(
    client, reports_folder, secret_file, records_loaded_already
):
    (reports_folder / "ny.txt").symlink_to(secret_file)
    document = added_report(file_name="tilfoejet.txt")
    SourceDocument.objects.filter(pk=document.pk).update(file_name="ny.txt")

    with pytest.raises(CommandError, match="uden for rapporternes mappe"):
        call_command("load_catalogue", verbosity=0)

    assert "hemmelig-noegle" not in reading(client, document)
    assert "SECRET_KEY" not in reading(client, document)


def test_load_catalogue_reads_a_symlink_that_stays_inside_the_folder(
    client, reports_folder, records_loaded_already
):
    (reports_folder / "002_fd938811d71bf631.txt").rename(reports_folder / "002.txt")
    (reports_folder / "002_fd938811d71bf631.txt").symlink_to(reports_folder / "002.txt")
    document = SourceDocument.objects.get(code="002")
    shipped = document.line_count()
    document.lines.all().delete()

    call_command("load_catalogue", verbosity=0)

    assert document.line_count() == shipped > 1000

"""Hardened for the public internet: settings, headers, CSRF, stored XSS, limits,
faults and backups."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.curation.roles import curator_group
from initiatives.models import (
    Initiative,
    Organisation,
    SourceDocument,
    SourceLine,
    TargetGroup,
)
from initiatives.search import refresh_search_text

from .conftest import PUBLIC_PAGES, make_initiative, make_organisation, make_reference
from .test_fixtures import catalogue_snapshot

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[1]


def test_the_production_settings_pass_djangos_deployment_checks():
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "-Dette-er-en-lang-og-tilfaeldig-noegle-2026-!#%&",
        "SITE_URL": "https://lighedskataloget.example.dk",
        "BEHIND_HTTPS_PROXY": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_the_sites_address():
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "k" * 50,
        "SITE_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SITE_URL must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    environment = {**os.environ, "DEBUG": "false", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/en/", "/initiativer/eksport.csv"])
def test_every_public_response_carries_the_security_headers(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]

    assert response.status_code == 200
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_public_page_has_an_inline_script(client):
    """Only the catalogue's own static scripts, which the CSP allows, and
    schema.org JSON-LD, a data block which browsers never run; no inline code or
    handlers."""
    for path in PUBLIC_PAGES:
        page = re.sub(
            r'<script type="application/ld\+json">[^<]*</script>',
            "",
            client.get(path).text,
        )
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)

        assert page.count("<script") == len(scripts), path
        for attributes, body in scripts:
            assert ' src="/static/js/' in attributes and body == "", path
        assert not re.search(r"\son[a-z]+=", page), path


@pytest.fixture
def strict_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_changing_the_language_without_a_csrf_token_is_refused(strict_client):
    response = strict_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 403


def test_logging_in_without_a_csrf_token_is_refused(strict_client):
    User.objects.create_user(
        "kurator", password="Lang-nok-adgangskode-1", is_staff=True
    )

    response = strict_client.post(
        reverse("admin:login"),
        {"username": "kurator", "password": "Lang-nok-adgangskode-1"},
    )

    assert response.status_code == 403


def test_a_curators_change_without_a_csrf_token_is_refused(strict_client):
    curator = User.objects.create_user("kurator", password="x", is_staff=True)
    curator.groups.add(curator_group())
    strict_client.force_login(curator)
    initiative = Initiative.objects.get(slug="sammen-om-min-vej")
    change = reverse("admin:initiatives_initiative_change", args=[initiative.pk])

    response = strict_client.post(change, {"name": "Ændret uden token"})

    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.name == "Sammen om min vej"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_accept_no_posts(client, path):
    assert client.post(path, {}).status_code in (403, 405)


def test_reading_public_pages_changes_nothing(client):
    before = catalogue_snapshot()

    for path in PUBLIC_PAGES + ["/initiativer/eksport.csv"]:
        client.get(path)

    assert catalogue_snapshot() == before


HOSTILE = (
    '<script>alert("x")</script><img src=x onerror="alert(1)">'
    '<a href="javascript:alert(2)">'
)


@pytest.fixture
def hostile_initiative():
    group = TargetGroup.objects.get(slug="hjemloese")
    group.name = f"Hjemløse {HOSTILE}"
    group.save()
    initiative = make_initiative(
        slug="fjendtlig",
        name=f"Fjendtlig {HOSTILE}",
        summary=f"Resume med {HOSTILE} og </p><b>brudt",
        description=f"Beskrivelse {HOSTILE}",
        place=HOSTILE,
    )
    initiative.target_groups.set([group])
    organisation = make_organisation(
        name=f"Organisation {HOSTILE}", slug="fjendtlig-org"
    )
    initiative.involvements.create(organisation=organisation, role="partner")
    make_reference(initiative, cited_source=HOSTILE, note=HOSTILE)
    refresh_search_text(Initiative.objects.filter(pk=initiative.pk))
    return initiative


def test_curator_text_is_shown_escaped_on_every_public_page(client, hostile_initiative):
    pages = PUBLIC_PAGES + [
        "/en/",
        hostile_initiative.get_absolute_url(),
        "/initiativer/?q=fjendtlig",
        "/initiativer/?q=script",
        "/organisationer/fjendtlig-org/",
        "/maalgrupper/hjemloese/",
    ]
    for path in pages:
        text = client.get(path).text
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text, path
        assert 'href="javascript:' not in text, path
    shown = client.get(hostile_initiative.get_absolute_url()).text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in shown


def test_curator_text_is_escaped_in_the_admin_too(client, hostile_initiative):
    curator = User.objects.create_user("kurator", password="x", is_staff=True)
    curator.groups.add(curator_group())
    client.force_login(curator)

    for url in [
        reverse("admin:initiatives_initiative_changelist"),
        reverse("admin:initiatives_initiative_change", args=[hostile_initiative.pk]),
        reverse("admin:initiatives_organisation_changelist"),
    ]:
        text = client.get(url).text
        assert "<script>alert" not in text
        assert "<img src=x" not in text


def test_search_terms_and_filter_lists_are_bounded(client):
    too_long = client.get("/initiativer/", {"q": "ord " * 60})
    too_many = client.get(
        "/initiativer/?" + "&".join(f"region=r{n}" for n in range(21))
    )
    many_words = client.get(
        "/initiativer/", {"q": " ".join(f"ord{n}" for n in range(40))}
    )

    assert "Nogle af filtrene kunne ikke bruges" in too_long.text
    assert "Nogle af filtrene kunne ikke bruges" in too_many.text
    assert many_words.status_code == 200
    assert client.get("/initiativer/eksport.csv", {"q": "x" * 201}).status_code == 400


def test_a_lost_database_connection_fails_one_request_and_not_the_next(client):
    client.raise_request_exception = False

    with mock.patch(
        "initiatives.listing.counting.FacetCounts.facets",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        failed = client.get("/initiativer/")

    assert failed.status_code == 503  # the database is away: try again
    assert client.get("/initiativer/").status_code == 200
    assert client.get("/").status_code == 200


def test_a_lost_connection_during_an_export_ends_the_stream_and_not_the_server(client):
    from initiatives.opendata import exports

    rows = exports.export_rows(Initiative.objects.published())[:3]

    def dying_rows(initiatives):
        class Rows:
            def iterator(self, chunk_size):
                yield from rows
                raise OperationalError(
                    "terminating connection due to administrator command"
                )

        return Rows()

    with mock.patch.object(exports, "export_rows", dying_rows):
        response = client.get("/initiativer/eksport.csv")
        with pytest.raises(OperationalError):
            b"".join(response.streaming_content)

    assert client.get("/initiativer/eksport.csv").status_code == 200
    assert client.get("/initiativer/").status_code == 200


def test_a_curator_save_that_fails_midway_leaves_nothing_half_written(client):
    from .conftest import empty_inlines

    curator = User.objects.create_user("kurator", password="x", is_staff=True)
    curator.groups.add(curator_group())
    client.force_login(curator)
    client.raise_request_exception = False
    organisation = Organisation.objects.get(slug="sundhedsstyrelsen")
    data = {
        "name": "Halvt gemt",
        "slug": "halvt-gemt",
        "status": "kladde",
        "summary": "Skal ikke findes bagefter.",
        **empty_inlines(),
        "involvements-TOTAL_FORMS": "1",
        "involvements-0-organisation": organisation.pk,
        "involvements-0-role": "bevillingsgiver",
    }

    with mock.patch(
        "initiatives.admin.refresh_search_text",
        side_effect=OperationalError("forbindelsen døde"),
    ):
        response = client.post(reverse("admin:initiatives_initiative_add"), data)

    assert response.status_code == 503
    assert not Initiative.objects.filter(slug="halvt-gemt").exists()
    assert not organisation.involvements.filter(initiative__slug="halvt-gemt").exists()


@pytest.mark.slow
def test_fixture_loading_that_fails_midway_leaves_the_database_as_it_was(tmp_path):
    from initiatives.catalogue_fixtures import FIXTURES_DIR

    broken = tmp_path / "report_999.yaml"
    broken.write_text(
        "- model: initiatives.initiative\n"
        "  fields: {slug: halv, name: Halv, summary: x, status: offentliggjort}\n"
        "- model: initiatives.sourcereference\n"
        "  fields: {initiative: [findes-ikke], document: [vive], locator: x}\n",
        encoding="utf-8",
    )
    before = catalogue_snapshot()

    # The reports' list loads (its rows written again), then the broken file fails.
    with mock.patch(
        "initiatives.management.commands.load_catalogue.catalogue_fixture_paths",
        return_value=[FIXTURES_DIR / "documents.yaml", broken],
    ):
        with pytest.raises(Exception):  # noqa: B017  (any loading error will do)
            call_command("load_catalogue", verbosity=0)

    assert catalogue_snapshot() == before
    assert not Initiative.objects.filter(slug="halv").exists()


@pytest.mark.slow
def test_a_backup_restores_the_catalogue_exactly_and_writes_no_history(
    catalogue_backup,
):
    before = catalogue_snapshot(natural_primary=True)

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    assert not Initiative.objects.exists()

    call_command("restore_catalogue", str(catalogue_backup), verbosity=0)

    assert catalogue_snapshot(natural_primary=True) == before
    assert not Initiative.history.exists()


@pytest.mark.slow
def test_a_backup_takes_no_query_per_line_of_a_report(tmp_path):
    queries = []
    for backup in ["med-linjer.json", "uden-linjer.json"]:
        reset_queries()  # the log keeps 9,000 queries, some perhaps from before
        with CaptureQueriesContext(connection) as captured:
            call_command("backup_catalogue", str(tmp_path / backup), verbosity=0)
        queries.append(len(captured))
        SourceLine.objects.filter(document__slug="prisindstillinger-2024").delete()

    assert queries[0] == queries[1]


def backup_of(path: Path, rows: list) -> Path:
    """These rows in backup_catalogue's format, for a test about what a restore does
    rather than how much it restores."""
    path.write_text(
        serializers.serialize(
            "json", rows, use_natural_foreign_keys=True, use_natural_primary_keys=True
        ),
        encoding="utf-8",
    )
    return path


def test_after_a_restore_no_page_kept_before_it_is_good(client, tmp_path):
    initiative = Initiative.objects.get(slug="sammen-om-min-vej")
    old_name = initiative.name
    backup = backup_of(tmp_path / "katalog.json", [initiative])
    kept = []
    for number in range(3):  # versions the restore could bring back
        initiative.name = f"Omdøbt {number}"
        initiative.save()
        kept.append(client.get(initiative.get_absolute_url()))
        assert f"Omdøbt {number}" in kept[-1].text

    call_command("restore_catalogue", str(backup), verbosity=0)
    initiative = Initiative.objects.get(slug="sammen-om-min-vej")
    initiative.save()  # the next change after the restore

    for response in kept:
        page = client.get(
            initiative.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"]
        )
        assert page.status_code == 200
        assert old_name in page.text
        assert "Omdøbt" not in page.text


def test_a_restore_over_the_catalogue_brings_back_lines_without_duplicating_any(
    tmp_path,
):
    document = SourceDocument.objects.get(slug="prisindstillinger-2024")
    lines = list(document.lines.order_by("number")[:5])
    backup = backup_of(tmp_path / "katalog.json", [document, *lines])
    texts = list(document.lines.order_by("number").values_list("text", flat=True))
    SourceLine.objects.filter(pk=lines[1].pk).update(text="Rettet efter backuppen")
    lines[4].delete()

    call_command("restore_catalogue", str(backup), verbosity=0)

    # The lines the backup does not hold are kept, as loaddata keeps any row.
    restored = document.lines.order_by("number").values_list("text", flat=True)
    assert list(restored) == texts


def test_restoring_three_hundred_lines_takes_no_more_queries_than_ten(tmp_path):
    document = SourceDocument.objects.get(slug="prisindstillinger-2024")
    queries = []
    for count in (10, 300):
        lines = document.lines.order_by("number")[:count]
        backup = backup_of(tmp_path / f"{count}.json", [document, *lines])
        reset_queries()  # the log keeps 9,000 queries, some perhaps from before
        with CaptureQueriesContext(connection) as captured:
            call_command("restore_catalogue", str(backup), verbosity=0)
        queries.append(len(captured))

    assert queries[0] == queries[1]


def test_a_restore_that_fails_at_a_line_names_its_report_and_changes_nothing(tmp_path):
    initiative = Initiative.objects.get(slug="sammen-om-min-vej")
    line = SourceLine.objects.order_by("pk").first()
    backup = backup_of(tmp_path / "katalog.json", [initiative, line])
    rows = json.loads(backup.read_text(encoding="utf-8"))
    rows[-1]["fields"]["document"] = ["findes-ikke"]
    backup.write_text(json.dumps(rows), encoding="utf-8")
    initiative.name = "Omdøbt efter backuppen"
    initiative.save()

    with pytest.raises(CommandError, match="findes-ikke"):
        call_command("restore_catalogue", str(backup), verbosity=0)

    assert Initiative.objects.get(pk=initiative.pk).name == "Omdøbt efter backuppen"


@pytest.mark.slow
def test_a_backup_s_lines_load_with_plain_loaddata_too(catalogue_backup, tmp_path):
    """restore_catalogue writes the lines itself and hands the rest of the backup to
    loaddata; the lines, taken out of the backup as written, are a fixture as well."""
    slug = "prisindstillinger-2024"
    rows = [
        row
        for row in json.loads(catalogue_backup.read_text(encoding="utf-8"))
        if row["model"] == "initiatives.sourceline"
        and row["fields"]["document"] == [slug]
        and row["fields"]["number"] <= 3
    ]
    fixture = tmp_path / "linjer.json"
    fixture.write_text(json.dumps(rows), encoding="utf-8")
    lines = SourceLine.objects.filter(document__slug=slug, number__lte=3)
    texts = list(lines.order_by("number").values_list("text", flat=True))
    lines.filter(number=1).delete()
    lines.filter(number=2).update(text="Rettet efter backuppen")

    call_command("loaddata", str(fixture), verbosity=0)

    assert list(lines.order_by("number").values_list("text", flat=True)) == texts


def test_while_the_database_is_away_a_page_gets_503_with_retry_after(client):
    """The proxy serves what it keeps meanwhile (deploy/nginx.conf)."""
    away = OperationalError("could not connect to server")
    client.raise_request_exception = False

    with mock.patch(
        "initiatives.http_caching.CatalogueVersion.current_stamp", side_effect=away
    ):
        response = client.get("/maalgrupper/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "Kataloget er midlertidigt utilgængeligt" in response.text


def test_a_server_error_is_logged_with_its_traceback_and_request_id(client, caplog):
    client.raise_request_exception = False

    with mock.patch(
        "initiatives.listing.counting.FacetCounts.facets", side_effect=ZeroDivisionError
    ):
        response = client.get("/initiativer/", HTTP_X_REQUEST_ID="abc123def456")

    assert response.status_code == 500
    assert response["X-Request-ID"] == "abc123def456"
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info[0] is ZeroDivisionError
    assert record.request_id == "abc123def456"


def test_requests_while_the_database_is_away_log_one_warning_line_each(client, caplog):
    away = OperationalError("connection to server failed\n\tIs the server running?")
    client.raise_request_exception = False

    with mock.patch(
        "initiatives.http_caching.CatalogueVersion.current_stamp", side_effect=away
    ):
        response = client.get("/maalgrupper/", HTTP_X_REQUEST_ID="abc123def456")

    assert response.status_code == 503
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelname == "WARNING"
    assert record.exc_info is None
    assert record.getMessage() == (
        "Service Unavailable: /maalgrupper/ (OperationalError: connection to "
        "server failed Is the server running?)"
    )
    assert record.request_id == "abc123def456"
    assert "Traceback" not in caplog.text


def test_a_request_for_a_host_that_is_not_allowed_logs_one_warning_line(client, caplog):
    response = client.get(
        "/kategorier/", HTTP_HOST="evil.example", HTTP_X_REQUEST_ID="abc123def456"
    )

    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.name.startswith("django.security")]
    assert record.levelname == "WARNING"
    assert record.exc_info is None
    assert "DisallowedHost: Invalid HTTP_HOST header: 'evil.example'" in (
        record.getMessage()
    )
    assert record.request_id == "abc123def456"
    assert "Traceback" not in caplog.text

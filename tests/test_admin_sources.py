"""Curators add a report in the admin: upload its text, read it line-numbered, review
what is redacted, and cite it; bad files get a clear Danish message."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from initiatives.models import SourceDocument
from initiatives.sources import texts as source_texts

from .conftest import empty_inlines, make_initiative

pytestmark = pytest.mark.django_db

ADD = reverse("admin:initiatives_sourcedocument_add")
REPORT = (
    "Rapport om en lille indsats\nKontakt: kurt@example.dk, +45 12345678\n\nSlut.\n"
)


def pdf_of(streams: list[bytes], compressed: bool = False) -> bytes:
    """A PDF with a page for each content stream, written by hand: pypdf only reads
    text, and a hostile file is written the same way."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pages = []
    for stream in streams:
        filter_ = b" /Filter /FlateDecode" if compressed else b""
        objects.append(
            b"<< /Length %d%s >>\nstream\n%s\nendstream"
            % (len(stream), filter_, stream)
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        pages.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(pages),
        len(pages),
    )
    out = io.BytesIO(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def text_stream(lines: list[str]) -> bytes:
    text = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    return f"BT /F1 12 Tf 72 720 Td {text} ET".encode("latin-1")


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text is `lines`."""
    return pdf_of([text_stream(lines)])


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def publish(client, document: SourceDocument) -> None:
    """As a curator does once the text is read: the list's action."""
    client.post(
        reverse("admin:initiatives_sourcedocument_changelist"),
        {"action": "publish", "_selected_action": [document.pk]},
    )
    document.refresh_from_db()
    assert document.is_published


def new_report(upload: SimpleUploadedFile, **fields) -> dict:
    data = {
        "code": "005",
        "slug": "lille-rapport",
        "title": "En lille rapport",
        "short_title": "Lille rapport",
        "kind": "casesamling",
        "description": "En rapport til tests.",
        "upload": upload,
        "redactions-TOTAL_FORMS": "0",
        "redactions-INITIAL_FORMS": "0",
        "redactions-MIN_NUM_FORMS": "0",
        "redactions-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_a_curator_adds_a_report_from_a_text_file_and_reads_it_numbered(
    client, curator
):
    upload = SimpleUploadedFile("lille.txt", REPORT.encode(), "text/plain")

    response = client.post(ADD, new_report(upload))

    assert response.status_code == 302
    document = SourceDocument.objects.get(slug="lille-rapport")
    assert document.file_name == "lille.txt"
    assert list(document.lines.values_list("number", "text")) == [
        (1, "Rapport om en lille indsats"),
        (2, "Kontakt: kurt@example.dk, +45 12345678"),
        (3, ""),
        (4, "Slut."),
    ]
    page = client.get(
        reverse("admin:initiatives_sourcedocument_change", args=[document.pk])
    )
    body = page.content.decode()
    assert '<li value="2" id="linje-2">Kontakt: kurt@example.dk' in body
    assert "<code>kurt@example.dk</code>" in body
    assert "<code>+45 12345678</code>" in body
    publish(client, document)
    client.logout()
    public = client.get(f"/kilder/{document.slug}/tekst/").content.decode()
    assert "kurt@example.dk" not in public
    assert "12345678" not in public
    assert "[kontaktoplysninger fjernet]" in public


def test_a_curator_adds_a_report_from_a_pdf(client, curator):
    upload = SimpleUploadedFile(
        "lille.pdf", text_pdf(["Forste linje", "Anden linje"]), "application/pdf"
    )

    response = client.post(ADD, new_report(upload))

    assert response.status_code == 302
    document = SourceDocument.objects.get(slug="lille-rapport")
    text = "\n".join(document.lines.values_list("text", flat=True))
    assert "Forste linje" in text
    assert "Anden linje" in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scannet.pdf", blank_pdf(), "PDF&#x27;en indeholder ingen tekst"),
        (
            "latin1.txt",
            "Sundhed for én og alle".encode("latin-1"),
            "ikke gemt som UTF-8",
        ),
        ("tom.txt", b"  \n\n", "Filen indeholder ingen tekst"),
        (
            "rapport.docx",
            b"PK\x03\x04",
            "Upload rapporten som en .txt-fil eller en PDF",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_lost(
    client, curator, name, content, message
):
    response = client.post(ADD, new_report(SimpleUploadedFile(name, content)))

    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="En lille rapport"' in body
    assert not SourceDocument.objects.filter(slug="lille-rapport").exists()


def test_a_file_too_large_is_refused(client, curator, monkeypatch):
    monkeypatch.setattr(source_texts, "MAX_UPLOAD_BYTES", 10)

    response = client.post(ADD, new_report(SimpleUploadedFile("stor.txt", b"x" * 20)))

    assert "Filen er for stor" in response.content.decode()
    assert not SourceDocument.objects.filter(slug="lille-rapport").exists()


def test_a_reference_outside_the_text_is_refused_in_the_admin(client, curator):
    initiative = make_initiative(slug="ny-indsats", status="kladde")
    document = SourceDocument.objects.get(code="002")
    length = document.lines.count()
    data = {
        "name": initiative.name,
        "slug": initiative.slug,
        "status": "kladde",
        "summary": initiative.summary,
        **empty_inlines(),
        "references-TOTAL_FORMS": "1",
        "references-0-document": str(document.pk),
        "references-0-locator": "Case 1",
        "references-0-line_start": "1",
        "references-0-line_end": str(length + 5),
    }

    response = client.post(
        reverse("admin:initiatives_initiative_change", args=[initiative.pk]), data
    )

    assert response.status_code == 200
    assert f"som har linje 1–{length}" in response.content.decode()
    assert not initiative.references.exists()


def test_a_new_text_for_a_report_shows_at_once_on_its_kept_reading_page(
    client, curator
):
    upload = SimpleUploadedFile("lille.txt", REPORT.encode(), "text/plain")
    client.post(ADD, new_report(upload))
    document = SourceDocument.objects.get(slug="lille-rapport")
    publish(client, document)
    reading = f"/kilder/{document.slug}/tekst/"
    client.logout()
    kept = client.get(reading)
    assert "Slut." in kept.content.decode()

    source_texts.store_lines(document, ["Ny første linje", "Slutter nu."])

    body = client.get(reading, HTTP_IF_NONE_MATCH=kept["ETag"]).content.decode()
    assert "Slutter nu." in body
    assert "Slut.<" not in body


def gigabyte_of_text_operator() -> bytes:
    """A text operator and a gigabyte of spaces, deflated to 1 MB: the same deflated
    block of a megabyte of spaces, repeated (each starts afresh after a full
    flush), with the checksum of the whole."""
    prefix, spaces = b"BT /F1 12 Tf (x) Tj ET\n", b" " * (1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(prefix) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(spaces) + deflate.flush(zlib.Z_FULL_FLUSH)
    checksum = zlib.adler32(prefix)
    for _ in range(1024):
        checksum = zlib.adler32(spaces, checksum)
    return (
        b"\x78\xda"
        + first
        + block * 1024
        + deflate.flush()
        + struct.pack(">I", checksum)
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "nul.txt",
            lambda: "Første linje\nAnden linje med \x00 i\n".encode(),
            "Linje 2 indeholder et nultegn (NUL)",
        ),
        (
            "bombe.pdf",
            lambda: pdf_of([gigabyte_of_text_operator()], compressed=True),
            "PDF&#x27;en er for stor eller for indviklet",
        ),
        (
            "beskadiget.pdf",
            lambda: text_pdf(["Forste linje"])[:200],
            "PDF&#x27;en kan ikke læses",
        ),
        (
            "skrald.pdf",
            lambda: b"%PDF-1.4\n" + bytes(range(256)) * 40,
            "PDF&#x27;en kan ikke læses",
        ),
        (
            "latin1-midt-i.txt",
            lambda: "Forste linje\nAnden linje\nSundhed for én".encode("latin-1"),
            "fejl på linje 3",
        ),
    ],
)
def test_a_hostile_or_broken_file_gets_a_danish_message_not_a_server_error(
    client, curator, name, content, message
):
    response = client.post(ADD, new_report(SimpleUploadedFile(name, content())))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SourceDocument.objects.filter(slug="lille-rapport").exists()


def test_a_text_one_line_over_the_limit_is_refused_with_the_limit_named(
    client, curator
):
    content = b"linje\n" * (source_texts.MAX_LINES + 1)

    response = client.post(ADD, new_report(SimpleUploadedFile("lang.txt", content)))

    assert "Teksten har mere end 50.000 linjer" in response.content.decode()
    assert not SourceDocument.objects.filter(slug="lille-rapport").exists()


def test_a_text_at_the_limits_is_stored_whole(client, curator):
    """The largest text allowed: as many lines and characters as the limits let in."""
    line = "x" * (source_texts.MAX_CHARACTERS // source_texts.MAX_LINES - 1)
    content = (line + "\n").encode() * source_texts.MAX_LINES

    response = client.post(ADD, new_report(SimpleUploadedFile("stor.txt", content)))

    assert response.status_code == 302
    document = SourceDocument.objects.get(slug="lille-rapport")
    assert document.line_count() == source_texts.MAX_LINES
    assert document.lines.get(number=source_texts.MAX_LINES).text == line


def test_a_text_with_too_many_characters_is_refused(client, curator):
    content = b"x" * (source_texts.MAX_CHARACTERS + 1)

    response = client.post(ADD, new_report(SimpleUploadedFile("bred.txt", content)))

    assert "Teksten har mere end 5.000.000 tegn" in response.content.decode()


def test_a_pdf_with_too_many_pages_is_refused_with_the_limit_named(client, curator):
    pages = [text_stream(["Side"])] * (source_texts.MAX_PAGES + 1)

    response = client.post(
        ADD, new_report(SimpleUploadedFile("tyk.pdf", pdf_of(pages)))
    )

    assert "PDF&#x27;en har 1.001 sider; der må højst være 1.000" in (
        response.content.decode()
    )


def test_a_pdf_that_takes_too_long_to_read_is_refused(client, curator, monkeypatch):
    monkeypatch.setattr(source_texts, "READING_SECONDS", 0)
    pages = [text_stream(["Forste side"]), text_stream(["Anden side"])]

    response = client.post(
        ADD, new_report(SimpleUploadedFile("langsom.pdf", pdf_of(pages)))
    )

    assert "PDF&#x27;en tager for lang tid at læse" in response.content.decode()


def test_line_breaks_of_every_kind_are_read_as_the_shipped_reports_are():
    text = "\ufeffEn\r\nTo\rTre\n\nFem\x0cstadig fem\r"
    upload = SimpleUploadedFile("brud.txt", text.encode())

    assert source_texts.lines_of_upload(upload) == source_texts.split_lines(
        text.removeprefix("\ufeff")
    )

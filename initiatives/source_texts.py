"""Reports' texts into the database: the five shipped in fixtures/reports/, and the
ones curators upload as a .txt or a PDF."""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .catalogue_fixtures import FIXTURES_DIR
from .models import CatalogueVersion, SourceDocument, SourceLine

REPORTS_DIR = FIXTURES_DIR / "reports"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def split_lines(text: str) -> list[str]:
    """Lines as `sed -n` numbers them: split at line breaks only (a PDF's form feeds
    stay inside their line), and no empty line after a final line break."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class UnsafeFileName(ValueError):
    """A document's file name leads out of the reports' folder."""


def report_path(document: SourceDocument) -> Path:
    """The document's text file in the reports' folder, which is published as its
    text: whatever the database holds, a name that resolves anywhere else (a way up,
    an absolute path, a symlink pointing out) is refused."""
    folder = REPORTS_DIR.resolve()
    path = (folder / document.file_name).resolve()
    if path.parent != folder:
        raise UnsafeFileName(
            _(
                "Rapporten %(document)s har filnavnet %(name)r, som fører uden for "
                "rapporternes mappe (%(folder)s); dens tekst indlæses ikke. Ret "
                "filnavnet i databasen, eller fjern filen."
            )
            % {"document": document, "name": document.file_name, "folder": folder}
        )
    return path


def store_lines(document: SourceDocument, lines: list[str]) -> bool:
    """Make the document's lines these; rows stay untouched when nothing changed, so
    loading the catalogue again changes nothing. True if anything was written."""
    stored = list(document.lines.order_by("number").values_list("text", flat=True))
    if stored == lines:
        return False
    with transaction.atomic():
        document.lines.all().delete()
        SourceLine.objects.bulk_create(
            SourceLine(document=document, number=number, text=text)
            for number, text in enumerate(lines, start=1)
        )
        CatalogueVersion.bump()
    return True


def load_shipped_texts() -> None:
    """The texts in fixtures/reports/ of every document that has one there."""
    for document in SourceDocument.objects.all():
        path = report_path(document)
        if path.is_file():
            store_lines(document, split_lines(path.read_text(encoding="utf-8")))


def file_name_of(upload) -> str:
    """The uploaded file's own name, as a name the model accepts (Django has already
    cut it to the part after the last / or \\)."""
    name = upload.name.replace("\\", "/").rsplit("/", 1)[-1].lstrip(".")
    return name[:100] or "rapport"


def text_of_upload(upload) -> str:
    """The text of an uploaded .txt (UTF-8) or PDF, or a ValidationError saying in
    plain Danish what is wrong with the file."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Filen er for stor (%(size)s MB); den må højst fylde %(max)s MB.")
            % {
                "size": round(upload.size / 1024 / 1024, 1),
                "max": MAX_UPLOAD_BYTES // 1024 // 1024,
            }
        )
    content = upload.read()
    name = upload.name.lower()
    if name.endswith(".pdf") or content.startswith(b"%PDF"):
        text = text_of_pdf(content)
    elif name.endswith(".txt"):
        text = text_of_txt(content)
    else:
        raise ValidationError(_("Upload rapporten som en .txt-fil eller en PDF."))
    if not text.strip():
        raise ValidationError(_("Filen indeholder ingen tekst."))
    return text


def text_of_txt(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _(
                "Tekstfilen er ikke gemt som UTF-8 (fejl ved byte %(position)s). "
                "Gem den igen som UTF-8 (i Notesblok: Gem som, Kodning: UTF-8) og "
                "upload den igen."
            )
            % {"position": error.start}
        ) from error


def text_of_pdf(content: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(content))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as error:
        raise ValidationError(
            _("PDF'en kan ikke læses; den er måske beskadiget eller krypteret.")
        ) from error
    if not "".join(pages).strip():
        raise ValidationError(
            _(
                "PDF'en indeholder ingen tekst, kun billeder (den er måske scannet). "
                "Upload en PDF med tekst, eller en .txt med rapportens tekst."
            )
        )
    return "\n".join(page.rstrip("\n") for page in pages)

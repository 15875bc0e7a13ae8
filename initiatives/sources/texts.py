"""Reports' texts into the database: the five shipped in fixtures/reports/, and the
ones curators upload as a .txt or a PDF."""

import logging
import re
import struct
import time
import zlib
from itertools import islice
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError, PyPdfError

from ..catalogue_fixtures import FIXTURES_DIR
from ..models import CatalogueVersion, SourceDocument, SourceLine

logger = logging.getLogger(__name__)

REPORTS_DIR = FIXTURES_DIR / "reports"
# What an upload may hold, generously above the five reports (the largest has about
# 5,000 lines and 275,000 characters), and bounded so that the largest allowed
# upload is read and stored within the curator's request.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_LINES = 50_000
MAX_CHARACTERS = 5_000_000
MAX_PAGES = 1_000
READING_SECONDS = 6


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
        insert_lines(document, lines)
        CatalogueVersion.bump()
    return True


def insert_lines(document: SourceDocument, lines: list[str]) -> None:
    """The rows of a report's lines, written without model objects: for the largest
    upload allowed (50,000 lines), building an object and compiling SQL for each
    took many times as long as PostgreSQL's COPY or SQLite's inserts of many rows
    each."""
    meta = SourceLine._meta
    fields = [meta.get_field(name) for name in ("document", "number", "text")]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    rows = ((document.pk, number, text) for number, text in enumerate(lines, 1))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        size = connection.ops.bulk_batch_size(fields, lines)
        while batch := list(islice(rows, size)):
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",
                [value for row in batch for value in row],
            )


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


def lines_of_upload(upload) -> list[str]:
    """The lines of an uploaded .txt (UTF-8) or PDF, read no further than the limits
    allow, or a ValidationError saying in plain Danish what is wrong with the file."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Filen er for stor (%(size)s MB); den må højst fylde %(max)s MB.")
            % {
                "size": round(upload.size / 1024 / 1024, 1),
                "max": MAX_UPLOAD_BYTES // 1024 // 1024,
            }
        )
    upload.seek(0)
    is_pdf = upload.read(5) == b"%PDF-"
    upload.seek(0)
    name = upload.name.lower()
    if is_pdf or name.endswith(".pdf"):
        lines = lines_of_pdf(upload)
    elif name.endswith(".txt"):
        lines = lines_of_txt(upload)
    else:
        raise ValidationError(_("Upload rapporten som en .txt-fil eller en PDF."))
    if not any(line.strip() for line in lines):
        raise ValidationError(_("Filen indeholder ingen tekst."))
    return lines


class Lines(list):
    """A report's lines as they are read, refused as soon as they pass a limit, so
    that no upload is read further than the catalogue would keep of it."""

    characters = 0

    def add(self, line: str) -> None:
        if len(self) == MAX_LINES:
            raise ValidationError(
                _(
                    "Teksten har mere end %(max)s linjer; katalogets største rapport "
                    "har omkring 5.000. Del rapporten op, eller upload kun den del, "
                    "kataloget citerer."
                )
                % {"max": number_format(MAX_LINES, force_grouping=True)}
            )
        self.characters += len(line)
        if self.characters > MAX_CHARACTERS:
            raise ValidationError(
                _(
                    "Teksten har mere end %(max)s tegn; katalogets største rapport "
                    "har under 300.000. Del rapporten op, eller upload kun den del, "
                    "kataloget citerer."
                )
                % {"max": number_format(MAX_CHARACTERS, force_grouping=True)}
            )
        self.append(line)


def lines_of_txt(upload) -> Lines:
    """Read line by line as `split_lines` splits (at \\n, \\r\\n and \\r), each line
    decoded on its own, so a bad byte is reported with its line."""
    lines = Lines()
    while raw := upload.readline():
        number = len(lines) + 1
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _(
                    "Tekstfilen er ikke gemt som UTF-8 (fejl på linje %(line)s, ved "
                    "byte %(position)s). Gem den igen som UTF-8 (i Notesblok: Gem "
                    "som, Kodning: UTF-8) og upload den igen."
                )
                % {"line": number, "position": error.start + 1}
            ) from error
        if "\0" in text:
            raise ValidationError(
                _(
                    "Linje %(line)s indeholder et nultegn (NUL), som ikke hører "
                    "hjemme i en tekstfil; filen er måske ikke ren tekst. Gem "
                    "rapporten som ren tekst (UTF-8), og upload den igen."
                )
                % {"line": number}
            )
        text = text.removesuffix("\n").removesuffix("\r")
        parts = text.split("\r")  # a lone carriage return also ends a line
        if not raw.endswith(b"\n") and len(parts) > 1 and parts[-1] == "":
            parts.pop()  # the file's last line break, as split_lines drops it
        for part in parts:
            lines.add(part)
    return lines


# Tighter than pypdf's own limits (75 MB per stream): a page's text is a few KB,
# and what an upload unpacks is held in memory during the curator's request.
PDF_LIMITS = {
    "zlib_maximum_output_length": 10_000_000,
    "lzw_maximum_output_length": 10_000_000,
    "run_length_maximum_output_length": 10_000_000,
    "brotli_maximum_output_length": 10_000_000,
    "array_based_stream_maximum_output_length": 10_000_000,
    "stream_decoding_work_maximum_length": 50_000_000,
    "stream_parsing_work_maximum_count": 500_000,
    "page_tree_maximum_entries": 2 * MAX_PAGES,
}
# Garbage a PDF's fonts can map text to, which no database column can hold.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def lines_of_pdf(upload) -> Lines:
    """The text of each page, pages one after the other, read no longer than
    READING_SECONDS: what a PDF costs to read depends on how it is made, not only
    on its size, and the curator waits for it."""
    lines = Lines()
    deadline = time.monotonic() + READING_SECONDS
    try:
        with apply_configuration(**PDF_LIMITS):
            reader = PdfReader(upload)
            # The count a PDF states first, as counting its pages reads them all.
            pages = max(stated_page_count(reader), len(reader.pages))
            if pages > MAX_PAGES:
                raise ValidationError(
                    _(
                        "PDF'en har %(pages)s sider; der må højst være %(max)s. Del "
                        "rapporten op, eller upload kun den del, kataloget citerer."
                    )
                    % {
                        "pages": number_format(pages, force_grouping=True),
                        "max": number_format(MAX_PAGES, force_grouping=True),
                    }
                )
            for number, page in enumerate(reader.pages, start=1):
                if time.monotonic() > deadline:
                    raise too_slow(number - 1, len(reader.pages))
                text = UNSTORABLE.sub("", page.extract_text() or "")
                for line in split_lines(text.rstrip("\n") + "\n"):
                    lines.add(line)
    except LimitReachedError as error:
        raise ValidationError(
            _(
                "PDF'en er for stor eller for indviklet til, at kataloget læser den "
                "(pypdf: %(limit)s). Upload rapportens tekst som en .txt-fil i "
                "stedet."
            )
            % {"limit": error}
        ) from error
    except (PyPdfError, *PYPDF_FAULTS) as error:
        logger.info("An uploaded PDF could not be read: %r", error)
        raise ValidationError(
            _("PDF'en kan ikke læses; den er måske beskadiget eller krypteret.")
        ) from error
    if lines and lines[-1] == "":
        lines.pop()  # after the last page, as split_lines drops a final line break
    if not any(line.strip() for line in lines):
        raise ValidationError(
            _(
                "PDF'en indeholder ingen tekst, kun billeder (den er måske scannet). "
                "Upload en PDF med tekst, eller en .txt med rapportens tekst."
            )
        )
    return lines


# What pypdf lets through from a malformed file besides its own errors.
PYPDF_FAULTS = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    OverflowError,
    ArithmeticError,
    zlib.error,
    struct.error,
)


def stated_page_count(reader: PdfReader) -> int:
    try:
        return int(reader.root_object["/Pages"]["/Count"])
    except (KeyError, TypeError, ValueError):
        return 0


def too_slow(read: int, pages: int) -> ValidationError:
    return ValidationError(
        _(
            "PDF'en tager for lang tid at læse: efter %(seconds)s sekunder var "
            "%(read)s af %(pages)s sider læst. Upload rapportens tekst som en "
            ".txt-fil, eller del PDF'en op."
        )
        % {"seconds": READING_SECONDS, "read": read, "pages": pages}
    )

"""CSV export of initiatives, streamed row by row from one database query (a short
export is sent whole, so that the reverse proxy keeps it as it keeps the list).

Each multi-valued column is gathered by a correlated subquery that joins its items into
one string, so the export runs a single query whatever the number of rows, and the rows
are read from a cursor in chunks rather than held in memory. The items are split,
sorted and formatted here, identically on PostgreSQL and SQLite.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import BinaryIO

from django.db import connection, transaction
from django.db.models import (
    CharField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.http import FileResponse, HttpResponse
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from ..aggregates import joined_text
from ..listing.rows import count_of
from ..models import (
    CategoryAssignment,
    Initiative,
    Involvement,
    Organisation,
    Outcome,
    SourceDocument,
    SourceReference,
)
from ..site import absolute_url

ITEM = "\x1f"  # between the items of one cell, as the database joins them
FIELD = "\x1e"  # between the parts of one item
SEPARATOR = " | "  # between the items of one cell in the CSV
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500  # rows a fetch; the first leave after the first fetch
# A filtered export of at most this many initiatives (about 250 kB) is sent whole, so
# that the reverse proxy keeps it as it keeps the list it exports (a streamed answer
# is never kept: http_caching.py); a longer one streams.
WHOLE_UP_TO = 200

COLUMNS = {
    "id": _("Indsatsens nummer i kataloget."),
    "slug": _("Indsatsens faste navn i webadressen."),
    "url": _("Indsatsens side i kataloget."),
    "navn": _("Indsatsens navn."),
    "resume": _("Kort resumé med kuratorens ord."),
    "hovedkategorier": _(
        "De hovedkategorier, indsatsen hører til (kategorierne stammer fra "
        "kortlægningen af inddragelse af socialt sårbare patienter, 2017)."
    ),
    "underkategorier": _(
        "Underkategorier med grundlaget i parentes: 'angivet i rapporten' (rapporten "
        "placerer indsatsen der) eller 'redaktionel' (en kurators vurdering ud fra "
        "kategoriernes definitioner)."
    ),
    "organisationer": _("Medvirkende organisationer med deres rolle i parentes."),
    "organisationstyper": _("De medvirkende organisationers typer."),
    "maalgrupper": _("Katalogets målgrupper for indsatsen."),
    "regioner": _("Regioner, hvor indsatsen foregår."),
    "sted": _("Kommune, by eller land, som kilden angiver det."),
    "startaar": _("Startår, hvor kilden angiver det."),
    "slutaar": _("Slutår, hvor kilden angiver det."),
    "budget_kr": _("Budget i kroner, hvor kilden angiver det (et helt tal)."),
    "budget_gaelder": _(
        "Hvad budgettet dækker: 'for hele perioden' eller 'pr. år'; tom, hvor kilden "
        "ikke siger det. Læg aldrig beløb med forskellig periode sammen."
    ),
    "evidensniveau": _(
        "Hvor sikkert kataloget ved, at indsatsen virker: Beskrevet, Erfaringer, "
        "Evalueret eller Effekt påvist."
    ),
    "antal_resultater": _("Antal resultater, som kilderne angiver."),
    "resultater": _(
        "Resultaterne med tal og enhed i kantet parentes og det tidspunkt, de gælder, "
        "i parentes."
    ),
    "kilder": _(
        "Rapporten (kort titel, udgiver og år) og stedet i rapporten med linjenumre."
    ),
    "navn_en": _(
        "Indsatsens navn på engelsk: en oversættelse af det danske, ingen nye "
        "oplysninger."
    ),
    "resume_en": _("Resuméet på engelsk: en oversættelse af det danske."),
    "formaal_en": _("Formålet på engelsk, hvor indsatsen har et."),
}
HEADER = list(COLUMNS)
# The page that explains a column's values, linked from its help.
EXPLAINED_ON = {"evidensniveau": "initiatives:evidence_scale"}


def joined(queryset: QuerySet, *parts) -> Subquery:
    """One initiative's items, each item's parts joined by FIELD, items by ITEM."""
    pieces = []
    for part in parts:
        pieces += [Coalesce(Cast(part, CharField()), Value("")), Value(FIELD)]
    item = pieces[0]
    if len(parts) > 1:
        item = Concat(*pieces[:-1], output_field=TextField())
    return Subquery(
        queryset.filter(initiative=OuterRef("pk"))
        .order_by()
        .values("initiative")
        .annotate(text=joined_text(item, ITEM))
        .values("text")
    )


def export_rows(initiatives: QuerySet) -> QuerySet:
    """The export columns of these initiatives, keeping their filters and order."""
    return initiatives.annotate(
        categories=joined(
            CategoryAssignment.objects,
            F("category__name"),
            F("category__parent__name"),
            F("basis"),
        ),
        organisations=joined(
            Involvement.objects,
            F("organisation__name"),
            F("role"),
            F("organisation__kind"),
        ),
        groups=joined(Initiative.target_groups.through.objects, F("targetgroup__name")),
        region_names=joined(Initiative.regions.through.objects, F("region__name")),
        outcome_count=count_of(Outcome),
        outcome_texts=joined(
            Outcome.objects,
            F("reference__document__code"),
            F("reference__line_start"),
            F("position"),
            F("text"),
            F("figure"),
            F("unit"),
            F("refers_to"),
        ),
        sources=joined(
            SourceReference.objects,
            F("document__code"),
            F("line_start"),
            F("locator"),
            F("line_end"),
        ),
    ).values_list(
        "pk",
        "slug",
        "name",
        "summary",
        "place",
        "start_year",
        "end_year",
        "budget_dkk",
        "budget_period",
        "evidence_level",
        "categories",
        "organisations",
        "groups",
        "region_names",
        "outcome_count",
        "outcome_texts",
        "sources",
        "name_en",
        "summary_en",
        "purpose_en",
    )


def items(text: str | None) -> list[list[str]]:
    return [item.split(FIELD) for item in (text or "").split(ITEM) if item]


def figure_text(figure: str) -> str:
    return f"{Decimal(figure).normalize():f}" if figure else ""


def outcome_cell(outcome: list[str]) -> str:
    _code, _line, _position, text, figure, unit, refers_to = outcome
    if figure:
        text += f" [{figure_text(figure)}{' ' + unit if unit else ''}]"
    if refers_to:
        text += f" ({refers_to})"
    return text


STATED = CategoryAssignment.Basis.STATED
BY_CURATOR = "redaktionel"


def report_names() -> dict[str, str]:
    """Each report's readable name by its number, as the export's cells name them."""
    return {document.code: str(document) for document in SourceDocument.objects.all()}


def format_row(row: tuple, reports: dict[str, str]) -> list:
    (pk, slug, name, summary, place, start, end, budget, budget_period, evidence_level,
     categories, organisations, groups, regions, outcome_count, outcomes,
     sources, name_en, summary_en, purpose_en) = row  # fmt: skip
    assignments = sorted(items(categories))
    involvements = sorted(items(organisations))
    kind_names = dict(Organisation.Kind.choices)
    budget_periods = dict(Initiative.BudgetPeriod.choices)
    evidence_levels = dict(Initiative.EvidenceLevel.choices)
    role_names = dict(Involvement.Role.choices)
    outcome_items = sorted(
        items(outcomes), key=lambda o: (o[0], int(o[1] or 0), int(o[2] or 0))
    )
    source_items = sorted(items(sources), key=lambda s: (s[0], int(s[1] or 0), s[2]))
    return [
        pk,
        slug,
        absolute_url(f"/initiativer/{slug}/"),
        name,
        summary,
        join(sorted({parent or category for category, parent, _ in assignments})),
        join(
            f"{category} ({'angivet i rapporten' if basis == STATED else BY_CURATOR})"
            for category, parent, basis in assignments
            if parent
        ),
        join(f"{org} ({role_names.get(role, role)})" for org, role, _ in involvements),
        join(sorted({str(kind_names.get(kind, kind)) for *_, kind in involvements})),
        join(sorted(group for (group,) in items(groups))),
        join(sorted(region for (region,) in items(regions))),
        place,
        start,
        end,
        budget,
        str(budget_periods.get(budget_period, "")),
        str(evidence_levels.get(evidence_level, "")),
        outcome_count,
        join(outcome_cell(outcome) for outcome in outcome_items),
        join(
            f"{reports.get(code, code)}, {locator} (linje {first}-{last})"
            for code, first, locator, last in source_items
        ),
        name_en,
        summary_en,
        purpose_en,
    ]


def join(values: Iterable[str]) -> str:
    return SEPARATOR.join(values)


def neutralise(cell):
    """A spreadsheet must never run a cell as a formula; numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(DANGEROUS_STARTS):
        return "'" + cell
    return "" if cell is None else cell


class Echo:
    """A file-like object whose write() hands the line back to the generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable, excel: bool = True) -> Iterator[str]:
    """The CSV text line by line: Danish Excel's dialect (BOM and ';') by default,
    plain comma-separated UTF-8 for programs."""
    writer = csv.writer(Echo(), delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        yield "\ufeff"
    yield writer.writerow(HEADER)
    reports = report_names()
    for row in rows:
        cells = format_row(row, reports)
        yield writer.writerow([neutralise(cell) for cell in cells])


def streamed_rows(initiatives: QuerySet) -> Iterator[tuple]:
    """The export rows of these initiatives, read through a cursor a chunk at a time
    in a transaction of their own.

    Outside a transaction, PostgreSQL would compute every row before the first could
    leave, to hold the cursor past the statement's own transaction; inside one, it
    sorts the bare rows (for an order no index gives) and computes each chunk's
    columns as it is fetched."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Seven subqueries a row make the planner's estimate so large that it
            # compiles the query (JIT): most of a second before the first row, for
            # nothing, as the work is index lookups.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield from export_rows(initiatives).iterator(chunk_size=CHUNK_SIZE)


def stream_initiatives(initiatives: QuerySet, excel: bool = True) -> Iterator[str]:
    return csv_lines(streamed_rows(initiatives), excel)


def csv_response(
    initiatives: QuerySet,
    filename: str,
    excel: bool = True,
    count: int | None = None,
) -> HttpResponse:
    """The initiatives as a CSV download named `filename` and the date: whole when
    their `count`, known beforehand, is at most WHOLE_UP_TO; else streamed, the
    header line first."""
    lines = stream_initiatives(initiatives, excel=excel)
    whole = count is not None and count <= WHOLE_UP_TO
    return download("".join(lines) if whole else lines, filename)


def download(content: str | Iterable[bytes] | BinaryIO, filename: str) -> HttpResponse:
    """A CSV attachment named `filename` and the date. Text is sent whole; a file by
    blocks (by the server's sendfile where it has one), any other content as it
    comes."""
    content_type = "text/csv; charset=utf-8"
    if isinstance(content, str):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{filename}-{localdate():%Y-%m-%d}.csv"'
    )
    return response

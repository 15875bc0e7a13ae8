"""The whole published catalogue as a Frictionless Data Package: one CSV per table and a
`datapackage.json` that describes every field in Danish and English, with the keys
between tables; or the same as one JSON file with the rows inline.

Each table is read from one query through a cursor in chunks and written straight into
the file, so building it takes bounded memory whatever the catalogue's size. The task
worker builds it once per catalogue version (opendata/built_files.py).
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse

from ..models import (
    Category,
    CategoryAssignment,
    Initiative,
    Involvement,
    Organisation,
    Outcome,
    Region,
    SourceDocument,
    SourceReference,
    TargetGroup,
)
from ..site import absolute_url
from .fields import TABLE_FIELDS, TABLE_TITLES

CHUNK_SIZE = 2000
NAME = "lighedskataloget"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def quoted_text_rights() -> dict:
    """What holds for the report text that the catalogue quotes: it is not the
    catalogue's to license. The fields holding it say `quoted_report_text`."""
    return {
        "title": (
            "Citeret rapporttekst tilhører rapportens udgiver og er ikke omfattet af "
            "CC BY / Quoted report text belongs to the report's publisher and is not "
            "covered by CC BY"
        ),
        "path": absolute_url(reverse("initiatives:licence") + "#rapporttekst"),
    }


def licences(tables) -> list[dict]:
    quotes = any(column.quoted for table in tables for column in TABLE_FIELDS[table])
    return [LICENCE, quoted_text_rights()] if quotes else [LICENCE]


def published() -> QuerySet:
    return Initiative.objects.published()


def of_published(model) -> QuerySet:
    return model.objects.filter(initiative__in=published())


# Each table's rows, in a fixed order; the columns are named in opendata/fields.py.
TABLE_ROWS: dict[str, Callable[[], QuerySet]] = {
    "initiatives": lambda: published().with_english_outdated(),
    "sources": lambda: SourceDocument.objects.published(),
    "references": lambda: of_published(SourceReference),
    "categories": lambda: Category.objects.all(),
    "placements": lambda: of_published(CategoryAssignment),
    "target_groups": lambda: TargetGroup.objects.all(),
    "initiative_target_groups": lambda: Initiative.target_groups.through.objects.filter(
        initiative__in=published()
    ),
    "regions": lambda: Region.objects.all(),
    "initiative_regions": lambda: Initiative.regions.through.objects.filter(
        initiative__in=published()
    ),
    "organisations": lambda: Organisation.objects.public(),
    "involvements": lambda: of_published(Involvement),
    "results": lambda: of_published(Outcome),
}

PRIMARY_KEYS = {
    "placements": ["initiative_id", "category_id"],
    "initiative_target_groups": ["initiative_id", "target_group_id"],
    "initiative_regions": ["initiative_id", "region_id"],
    "involvements": ["initiative_id", "organisation_id", "role"],
}

# column -> the table it points into (its `id`); "" is the table itself.
FOREIGN_KEYS = {
    "references": {"initiative_id": "initiatives", "source_id": "sources"},
    "categories": {"parent_id": ""},
    "placements": {
        "initiative_id": "initiatives",
        "category_id": "categories",
        "reference_id": "references",
    },
    "initiative_target_groups": {
        "initiative_id": "initiatives",
        "target_group_id": "target_groups",
    },
    "initiative_regions": {"initiative_id": "initiatives", "region_id": "regions"},
    "organisations": {"region_id": "regions", "parent_id": ""},
    "involvements": {
        "initiative_id": "initiatives",
        "organisation_id": "organisations",
    },
    "results": {"initiative_id": "initiatives", "reference_id": "references"},
}


@dataclass(frozen=True)
class Stamp:
    version: int
    created: str  # ISO 8601, when the file was built

    @property
    def day(self) -> date:
        return date.fromisoformat(self.created[:10])


def lookups(table: str) -> list[str]:
    return [field.lookup for field in TABLE_FIELDS[table]]


def table_rows(table: str) -> Iterator[tuple]:
    """The table's rows in order by its primary key."""
    lookup_of = {field.name: field.lookup for field in TABLE_FIELDS[table]}
    order = [lookup_of[name] for name in PRIMARY_KEYS.get(table, ["id"])]
    queryset = TABLE_ROWS[table]().order_by(*order)
    return queryset.values_list(*lookups(table)).iterator(chunk_size=CHUNK_SIZE)


def cell(value):
    """A value as the CSV and JSON show it: numbers and dates in their plain form."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def table_schema(table: str) -> dict:
    schema = {
        "fields": [field.descriptor() for field in TABLE_FIELDS[table]],
        "primaryKey": PRIMARY_KEYS.get(table, ["id"]),
    }
    foreign = [
        {"fields": column, "reference": {"resource": target, "fields": "id"}}
        for column, target in FOREIGN_KEYS.get(table, {}).items()
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def resource(table: str) -> dict:
    title, title_en = TABLE_TITLES[table]
    return {
        "name": table.replace("_", "-"),
        "path": f"{table}.csv",
        "title": title,
        "title_en": title_en,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": licences([table]),
        "schema": table_schema(table),
    }


def descriptor(stamp: Stamp) -> dict:
    resources = [resource(table) for table in TABLE_ROWS]
    names = {table: table.replace("_", "-") for table in TABLE_ROWS}
    for item in resources:
        for key in item["schema"].get("foreignKeys", []):
            target = key["reference"]["resource"]
            key["reference"]["resource"] = names.get(target, target)
    sources = SourceDocument.objects.published().order_by("code")
    return {
        "name": NAME,
        "title": "Lighedskataloget",
        "description": (
            "Danske indsatser for lighed i sundhed, hver oplysning med den rapport og "
            "det sted i rapporten, den kommer fra. / Danish health-equity initiatives, "
            "each fact with the report and the place in it that it comes from."
        ),
        "version": str(stamp.version),
        "created": stamp.created,
        "licenses": licences(TABLE_ROWS),
        "sources": [{"title": attribution(source)} for source in sources],
        "resources": resources,
    }


def attribution(source: SourceDocument) -> str:
    """The report as its quotes are attributed: title, publisher and year."""
    publisher = source.publisher or "udgiver ikke angivet i rapporten"
    return f"{source.title}. {publisher}, {source.year or 'år ikke angivet'}"


def write_zip(target, stamp: Stamp) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "datapackage.json",
            json.dumps(descriptor(stamp), ensure_ascii=False, indent=2),
        )
        for table in TABLE_ROWS:
            with (
                archive.open(f"{table}.csv", "w") as member,
                io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
            ):
                writer = csv.writer(text, lineterminator="\r\n")
                writer.writerow(field.name for field in TABLE_FIELDS[table])
                for row in table_rows(table):
                    writer.writerow(cell(value) for value in row)


def write_json(target, stamp: Stamp) -> None:
    """The same package as one file: each resource holds its rows as `data`."""
    package = descriptor(stamp)
    resources = package.pop("resources")
    text = io.TextIOWrapper(target, encoding="utf-8")
    text.write(json.dumps(package, ensure_ascii=False)[:-1] + ', "resources": [')
    for number, (table, item) in enumerate(zip(TABLE_ROWS, resources, strict=True)):
        for inapplicable in ["path", "format", "mediatype", "encoding"]:
            del item[inapplicable]
        text.write(", " if number else "")
        text.write(json.dumps(item, ensure_ascii=False)[:-1] + ', "data": [')
        names = [field.name for field in TABLE_FIELDS[table]]
        for index, row in enumerate(table_rows(table)):
            values = dict(zip(names, map(cell, row), strict=True))
            text.write(
                (",\n" if index else "\n") + json.dumps(values, ensure_ascii=False)
            )
        text.write("]}")
    text.write("]}\n")
    text.detach()


WRITERS = {"zip": write_zip, "json": write_json}

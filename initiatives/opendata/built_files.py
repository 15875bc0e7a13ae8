"""Files made once per catalogue version for downloads: the data package (zip and
JSON) and the whole catalogue's CSV export (two orders, two languages, two dialects).

The first download of a file after a change asks the task worker to build it, and
meanwhile gets the CSV streamed from the database, or a page saying the package is
being built. The files are kept in `BUILT_FILES_DIR`, in a folder of this deployment
named by its site and its database, so that two deployments never read or remove
each other's files; a file is written under a temporary name and renamed when it is
complete, so that no reader sees half a file, and then the files of every other
version in the folder are removed.
"""

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django_tasks import task

from catalogue.deployment import deployment_name

from ..changes import snapshot
from ..listing.filters import ORDER_NAME, ORDER_NEWEST, InitiativeFilterSet
from ..models import CatalogueVersion, Initiative
from .datapackage import NAME, WRITERS, Stamp
from .exports import download, stream_initiatives

WHOLE = "initiativer"  # the whole catalogue's file names begin so


def folder() -> Path:
    """This deployment's folder: named by the site's address and the database."""
    name = deployment_name(settings.SITE_URL, connection.settings_dict)
    path = Path(settings.BUILT_FILES_DIR) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_package(kind: str, target: BinaryIO, number: int) -> None:
    created = timezone.now().replace(microsecond=0).isoformat()
    WRITERS[kind](target, Stamp(number, created))


def write_whole_catalogue(
    language: str, order: str, excel: bool, target: BinaryIO, number: int
) -> None:
    with translation.override(language):
        initiatives = InitiativeFilterSet(
            {"sortering": order}, queryset=Initiative.objects.published()
        ).qs
        for line in stream_initiatives(initiatives, excel=excel):
            target.write(line.encode())


def csv_name(language: str, order: str, excel: bool) -> str:
    return f"{WHOLE}-{language}-{order}-{'excel' if excel else 'csv'}.csv"


# Every file there is, by name, with what writes it.
FILES: dict[str, Callable[[BinaryIO, int], None]] = {
    **{f"{NAME}.{kind}": partial(write_package, kind) for kind in WRITERS},
    **{
        csv_name(language, order, excel): partial(
            write_whole_catalogue, language, order, excel
        )
        for language, _name in settings.LANGUAGES
        for order in (ORDER_NAME, ORDER_NEWEST)
        for excel in (True, False)
    },
}


@task()
def build(name: str) -> str:
    """Build the file `name` for the catalogue version of now, unless it is there,
    and remove every other version's files; the path."""
    # The rows are read in the snapshot the version is, so that a change during the
    # build cannot put newer rows in a file named for the older version.
    with snapshot():
        number, stamp = CatalogueVersion.number_and_stamp()
        path = folder() / file_name(stamp, number, name)
        if not path.exists():
            with writing(path) as target:
                FILES[name](target, number)
    # Not if a change came meanwhile: its files may be there already.
    if CatalogueVersion.current_stamp() == stamp:
        for old in folder().iterdir():
            if not old.name.startswith(f"{stamp}-"):
                old.unlink(missing_ok=True)  # a download reading it keeps it open
    return str(path)


def file_name(stamp: int, number: int, name: str) -> str:
    """Named by the version's stamp, which no restore brings back, and its number,
    which the download's name cites."""
    return f"{stamp}-v{number}-{name}"


def version_number(path: Path) -> int:
    return int(path.name.split("-")[1].removeprefix("v"))


def built(name: str) -> Path | None:
    """The file `name` of the current catalogue version, or None while it is not
    built yet; then the task worker is asked to build it (once per version and
    name in a while, however many ask)."""
    number, stamp = CatalogueVersion.number_and_stamp()
    path = folder() / file_name(stamp, number, name)
    if not path.exists() and cache.add(f"building-{path.name}", True, timeout=600):
        build.enqueue(name)
    return path if path.exists() else None


@contextmanager
def writing(path: Path) -> Iterator[BinaryIO]:
    """A file to write that appears as `path` only if the block ends normally."""
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f"{path.name}.", suffix=".part"
    )
    try:
        with os.fdopen(handle, "wb") as target:
            yield target
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    os.replace(temporary, path)


def whole_catalogue_response(
    initiatives: QuerySet, order: str, excel: bool
) -> HttpResponse:
    """Every published initiative, from the file of this version, order, language
    and dialect; streamed from the database while it is not built."""
    path = built(csv_name(get_language(), order, excel))
    if path is None:
        lines = stream_initiatives(initiatives, excel=excel)
        return download(lines, WHOLE)
    return download(path.open("rb"), WHOLE)


def package_response(kind: str) -> FileResponse | None:
    """The data package of this version as a download named by the version and the
    day it was built; None while it is not built."""
    path = built(f"{NAME}.{kind}")
    if path is None:
        return None
    day = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)  # as `created` is
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{NAME}-v{version_number(path)}-{day:%Y-%m-%d}.{kind}",
        content_type={"zip": "application/zip", "json": "application/json"}[kind],
    )

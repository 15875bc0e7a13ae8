"""Files made once per catalogue version (the data package, the full CSV exports),
kept in `OPEN_DATA_DIR` and served from disk until the next change.

A file is written under a temporary name beside it and renamed when it is complete,
so that no reader ever sees half a file, and server processes that build the same
file at once each finish a whole one. A lock lets one thread or process on a machine
build a file while the others do without it.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import locks


def directory() -> Path:
    path = Path(
        settings.OPEN_DATA_DIR or Path(tempfile.gettempdir()) / "lighedskataloget-data"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


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
        os.unlink(temporary)
        raise
    os.replace(temporary, path)


@contextmanager
def exclusive(name: str) -> Iterator[bool]:
    """Whether this block holds the lock `name` (on this machine) to its end: False
    at once, without waiting, while another thread or process holds it."""
    with open(directory() / f"{name}.lock", "wb") as lock_file:
        held = locks.lock(lock_file, locks.LOCK_EX | locks.LOCK_NB)
        try:
            yield held
        finally:
            if held:
                locks.unlock(lock_file)


def remove_other_versions(folder: Path, name: str, version: int) -> None:
    """Remove the files `name`-<version>-....csv in `folder` of any version but
    `version`, whatever follows the version (as names did before), so that at most
    the current version's files stay. A download still reading one keeps its open
    file."""
    for old in folder.glob(f"{name}-*.csv"):
        if not old.name.startswith(f"{name}-{version}-"):
            old.unlink(missing_ok=True)


def remove_all_but(keep: Path, pattern: str) -> None:
    """Remove the files in `keep`'s directory that match `pattern`, but `keep`: the
    other versions' files. A download still reading one keeps its open file."""
    for old in keep.parent.glob(pattern):
        if old != keep:
            old.unlink(missing_ok=True)

"""The English interface is complete: every Danish UI string has a translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

CATALOGUE = (
    Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
)


def test_every_interface_string_has_an_english_translation():
    untranslated = [
        entry.msgid
        for entry in polib.pofile(str(CATALOGUE))
        if not entry.translated() or "fuzzy" in entry.flags
    ]

    assert untranslated == []


def test_every_string_marked_for_translation_is_in_the_english_catalogue(tmp_path):
    """makemessages over a copy of the code finds no string the catalogue lacks."""
    top = CATALOGUE.parents[3]
    for folder in ["catalogue", "initiatives", "templates"]:
        shutil.copytree(top / folder, tmp_path / folder)
    (tmp_path / "locale").mkdir()
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "-v0"],
        cwd=tmp_path,
        env=environment,
        check=True,
    )
    found = polib.pofile(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    translated = {e.msgid for e in polib.pofile(str(CATALOGUE)) if e.translated()}

    assert [entry.msgid for entry in found if entry.msgid not in translated] == []


def test_the_committed_compiled_translation_matches_the_po_file():
    """The .mo is committed so that running the catalogue needs no gettext; it must
    say exactly what the .po says (run `manage.py compilemessages --ignore=.venv*`)."""
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in polib.pofile(str(CATALOGUE))
        if entry.translated() and not entry.obsolete
    }
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in polib.mofile(str(CATALOGUE.with_suffix(".mo")))
        if entry.msgid
    }

    assert compiled == source

"""The English interface is complete: every Danish UI string has a translation."""

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

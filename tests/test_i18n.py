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

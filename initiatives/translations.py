"""The initiatives' English translations, shipped in `fixtures/english/` (one file per
report, the format in the files' own header), loaded onto the initiatives they
translate, with a fingerprint of the Danish they were made from."""

from collections.abc import Iterable
from pathlib import Path

import yaml

from .models import Initiative

FIELDS = {"slug", "name", "summary", "purpose"}


class TranslationError(ValueError):
    """A translation file that does not fit the catalogue; nothing is loaded."""


def read_translations(paths: Iterable[Path]) -> dict[str, dict[str, str]]:
    """slug -> its English name, summary and purpose, from every file."""
    found = {}
    for path in paths:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(entries, list):
            raise TranslationError(f"{path.name}: a list of translations is expected")
        for entry in entries:
            if not isinstance(entry, dict) or not {"slug", "name", "summary"} <= set(
                entry
            ):
                raise TranslationError(
                    f"{path.name}: every translation has a slug, a name and a summary"
                )
            if set(entry) - FIELDS:
                unknown = ", ".join(sorted(set(entry) - FIELDS))
                raise TranslationError(
                    f"{path.name}: {entry['slug']}: no field {unknown}"
                )
            slug = entry["slug"]
            if slug in found:
                raise TranslationError(f"{path.name}: {slug} is translated twice")
            found[slug] = {
                "name_en": str(entry["name"]).strip(),
                "summary_en": str(entry["summary"]).strip(),
                "purpose_en": str(entry.get("purpose") or "").strip(),
            }
    return found


def load_translations(paths: Iterable[Path]) -> int:
    """Put the translations on their initiatives, refusing a slug the catalogue does
    not have and a purpose the Danish record does not have; the number loaded."""
    translations = read_translations(paths)
    initiatives = Initiative.objects.in_bulk(list(translations), field_name="slug")
    unknown = sorted(set(translations) - set(initiatives))
    if unknown:
        raise TranslationError("No initiative has the slug: " + ", ".join(unknown))
    for slug, english in translations.items():
        initiative = initiatives[slug]
        if english["purpose_en"] and not initiative.purpose:
            raise TranslationError(f"{slug}: a purpose the Danish record does not have")
        for field, text in english.items():
            setattr(initiative, field, text)
        initiative.english_made_from = initiative.danish_fingerprint
    Initiative.objects.bulk_update(
        initiatives.values(),
        ["name_en", "summary_en", "purpose_en", "english_made_from"],
        batch_size=500,
    )
    return len(translations)

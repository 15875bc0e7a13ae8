from dataclasses import dataclass

from django.utils.translation import get_language

# An initiative's texts that have an English translation (`<field>_en`).
TRANSLATED = ("name", "summary", "purpose")


def in_english() -> bool:
    return (get_language() or "").startswith("en")


@dataclass(frozen=True)
class Text:
    """A text as the reader sees it, with the language it is in (for `lang`)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text


def initiative_text(initiative, field: str) -> Text:
    """An initiative's name, summary or purpose in the interface's language: the
    English translation under /en/ where there is one, the Danish otherwise."""
    if field not in TRANSLATED:
        raise ValueError(f"{field} has no translation")
    if in_english():
        english = getattr(initiative, f"{field}_en", "")
        if english:
            return Text(english, "en")
    return Text(getattr(initiative, field), "da")


def localized_name(obj) -> str:
    """The English name of a category or target group in the English interface.

    Content stays in Danish; only the catalogue's own vocabulary has English names.
    """
    english = getattr(obj, "name_en", "")
    if english and in_english():
        return english
    return obj.name


def localized_description(obj) -> str:
    """A target group's description in the interface's language, where it has one."""
    english = getattr(obj, "description_en", "")
    if english and in_english():
        return english
    return obj.description


def in_name_order(objects, name_of=localized_name) -> list:
    """Objects the catalogue orders by name (target groups), in the order of the
    names the reader sees: as given (Danish collation) in Danish, alphabetical by
    English name in English."""
    objects = list(objects)
    if in_english():
        objects.sort(key=lambda obj: name_of(obj).casefold())
    return objects

from django.utils.translation import get_language


def localized_name(obj) -> str:
    """The English name of a category or target group in the English interface.

    Content stays in Danish; only the catalogue's own vocabulary has English names.
    """
    english = getattr(obj, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return obj.name


def localized_description(obj) -> str:
    """A target group's description in the interface's language, where it has one."""
    english = getattr(obj, "description_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return obj.description


def in_name_order(objects, name_of=localized_name) -> list:
    """Objects the catalogue orders by name (target groups), in the order of the
    names the reader sees: as given (Danish collation) in Danish, alphabetical by
    English name in English."""
    objects = list(objects)
    if (get_language() or "").startswith("en"):
        objects.sort(key=lambda obj: name_of(obj).casefold())
    return objects

from django.utils.translation import get_language


def localized_name(obj) -> str:
    """The English name of a category or target group in the English interface.

    Content stays in Danish; only the catalogue's own vocabulary has English names.
    """
    english = getattr(obj, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return obj.name

from django import template
from django.urls import reverse, translate_url
from django.utils.safestring import SafeString

from ..i18n import (
    Text,
    in_name_order,
    initiative_text,
    localized_description,
    localized_name,
)
from ..search import highlight as highlight_terms

register = template.Library()


@register.filter
def highlight(text: str, query: str) -> SafeString:
    """Escapes `text` and marks the search terms in it."""
    return highlight_terms(text, query)


@register.simple_tag(takes_context=True)
def in_language(context, language: str) -> str:
    """This page's address, with its query string, in another language."""
    return translate_url(context["request"].get_full_path(), language)


@register.filter
def localized(obj) -> str:
    return localized_name(obj)


@register.filter
def localized_text(obj) -> str:
    return localized_description(obj)


@register.filter
def translated(initiative, field: str) -> Text:
    """An initiative's name, summary or purpose in English under /en/ where it has
    a translation, with the language it is in: `{{ name.text }}`, `{{ name.lang }}`."""
    return initiative_text(initiative, field)


@register.filter
def options_in_order(facet) -> list:
    """A facet's options in the order a reader of this language expects."""
    if not facet.in_name_order:
        return facet.options
    return in_name_order(facet.options, name_of=lambda option: option.label)


@register.inclusion_tag("includes/bar_chart.html")
def bar_chart(facet, caption: str, list_url: str, total: int | None = None):
    options = [
        option for option in options_in_order(facet) if option.count or not total
    ]
    largest = max((option.count for option in facet.options), default=0)
    return {
        "caption": caption,
        "facet": facet,
        "rows": [
            {
                "option": option,
                "percent": round(100 * option.count / largest, 1) if largest else 0,
            }
            for option in options
        ],
        "list_url": list_url,
    }


@register.filter(name="in_name_order")
def in_name_order_filter(objects) -> list:
    return in_name_order(objects)


@register.inclusion_tag("includes/edit_link.html", takes_context=True)
def edit_link(context, obj) -> dict:
    """For a logged-in curator, a link to edit `obj` in the admin. Pages for
    anonymous visitors (the only ones cached) never have it."""
    user = context["request"].user
    meta = obj._meta
    if not user.has_perm(f"{meta.app_label}.change_{meta.model_name}"):
        return {"url": None}
    return {
        "url": reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]
        )
    }

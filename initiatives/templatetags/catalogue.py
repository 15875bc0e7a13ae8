from django import template
from django.urls import translate_url
from django.utils.safestring import SafeString

from ..i18n import localized_name
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


@register.inclusion_tag("includes/bar_chart.html")
def bar_chart(facet, caption: str, list_url: str, total: int | None = None):
    options = [option for option in facet.options if option.count or not total]
    largest = max((option.count for option in facet.options), default=0)
    return {
        "caption": caption,
        "facet": facet,
        "rows": [
            {
                "option": option,
                "width": round(260 * option.count / largest) if largest else 0,
                "y": 28 * index,
            }
            for index, option in enumerate(options)
        ],
        "height": 28 * len(options),
        "list_url": list_url,
    }

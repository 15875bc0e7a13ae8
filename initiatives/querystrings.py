"""Links that change one thing in the current list URL, so the URL stays the state."""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from .i18n import localized_name


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_url: str


def without(query: QueryDict, key: str, value: str | None = None) -> str:
    """The query string with `key` (or just its `value`) removed, from page one."""
    remaining = query.copy()
    remaining.pop("side", None)
    if value is None:
        remaining.pop(key, None)
    else:
        remaining.setlist(key, [v for v in remaining.getlist(key) if v != value])
    encoded = remaining.urlencode()
    return f"?{encoded}" if encoded else "?"


def active_filters(query: QueryDict, filterset) -> list[ActiveFilter]:
    data = filterset.form.cleaned_data
    chosen = []
    for name in ["kategori", "maalgruppe", "region", "organisation", "kilde"]:
        label = str(filterset.filters[name].label)
        for item in data.get(name) or []:
            name_shown = localized_name(item) if hasattr(item, "name") else str(item)
            chosen.append(
                ActiveFilter(label, name_shown, without(query, name, item.slug))
            )
    kinds = dict(filterset.filters["organisationstype"].extra["choices"])
    for kind in data.get("organisationstype") or []:
        chosen.append(
            ActiveFilter(
                _("Organisationstype"),
                str(kinds[kind]),
                without(query, "organisationstype", kind),
            )
        )
    for name in filterset.NOT_FACETS:
        if data.get(name) not in (None, ""):
            label = str(filterset.filters[name].label)
            chosen.append(ActiveFilter(label, str(data[name]), without(query, name)))
    if data.get("resultater"):
        chosen.append(
            ActiveFilter(
                _("Resultater"), _("Kun med resultater"), without(query, "resultater")
            )
        )
    return chosen

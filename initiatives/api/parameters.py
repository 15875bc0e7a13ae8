"""The API's query parameters, each described once as an OpenAPI schema: the schema
(schema.py) shows them, and `refusals` answers 400 to a value they do not allow, so
that what the schema promises and what the API accepts cannot drift apart.

The initiative list's parameters are derived from its FilterSet and the facet
registry; the FilterSet then checks what a schema cannot say (that a slug exists,
that the years come in order).
"""

import re
from dataclasses import dataclass

from django.http import QueryDict
from django_filters import CharFilter, NumberFilter
from django_filters.filterset import FilterSet

from ..listing.facets import FACETS, ChoiceFacet, FlagFacet, RecordFacet
from ..listing.filter_fields import MAX_CHOICES_PER_FILTER

# Long enough for any page number a schema-reading client may send, short enough for
# int() to stay quick.
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,1000}")
NO_NUL = r"^[^\x00]*$"


@dataclass(frozen=True)
class Parameter:
    name: str
    schema: dict
    description: str

    @property
    def many(self) -> bool:
        return self.schema["type"] == "array"

    def refusal(self, values: list[str]) -> str | None:
        """Why these values are not allowed (in Danish), or None."""
        if not self.many and len(values) > 1:
            return "Angiv parameteren én gang."
        if self.many and len(values) > self.schema["maxItems"]:
            return f"Vælg højst {self.schema['maxItems']} værdier."
        item = self.schema["items"] if self.many else self.schema
        for value in values:
            refused = value_refusal(item, value)
            if refused:
                return refused
        return None


def value_refusal(schema: dict, value: str) -> str | None:
    if schema["type"] == "integer":
        low, high = schema["minimum"], schema.get("maximum")
        number = int(value) if WHOLE_NUMBER.fullmatch(value) else None
        if number is None or number < low or (high is not None and number > high):
            bounds = f"fra {low} til {high}" if high else f"på {low} eller mere"
            return f"Skriv et helt tal {bounds}."
    elif "format" in schema and not value:
        return "Angiv en værdi."
    elif "enum" in schema and value not in schema["enum"]:
        return "Vælg en af: " + ", ".join(schema["enum"]) + "."
    elif len(value) > schema.get("maxLength", len(value)):
        return f"Skriv højst {schema['maxLength']} tegn (der er {len(value)})."
    elif "pattern" in schema and not re.search(schema["pattern"], value):
        return "Værdien har et tegn, der ikke er tilladt."
    return None


def refusals(query: QueryDict, parameters: list[Parameter]) -> dict[str, list[str]]:
    """Parameter name -> why its value is refused; parameters the API does not know
    are ignored, as the site's list ignores them."""
    found = {}
    for parameter in parameters:
        values = query.getlist(parameter.name)
        refused = parameter.refusal(values) if values else None
        if refused:
            found[parameter.name] = [refused]
    return found


def page_parameters(paginator) -> list[Parameter]:
    """`side` and `antal`: a page of the list, and how many records it holds."""
    return [
        Parameter(
            paginator.page_query_param,
            {"type": "integer", "minimum": 1},
            "Sidens nummer, fra 1. En side efter den sidste giver 404.",
        ),
        Parameter(
            paginator.page_size_query_param,
            {"type": "integer", "minimum": 1, "maximum": paginator.max_page_size},
            f"Poster pr. side: højst {paginator.max_page_size}, ellers "
            f"{paginator.page_size}.",
        ),
    ]


def filter_parameters(filterset_class: type[FilterSet]) -> list[Parameter]:
    """The list's filters as the FilterSet and the facet registry declare them, and
    the fields its form adds (the order)."""
    parameters = []
    for name, filter_ in filterset_class.base_filters.items():
        if name in {facet.name for facet in FACETS}:
            continue
        if isinstance(filter_, NumberFilter):
            schema = {
                "type": "integer",
                "minimum": filter_.extra["min_value"],
                "maximum": filter_.extra["max_value"],
            }
            # The form's own rule, which a schema cannot state.
            description = f"{filter_.label}; aar_fra efter aar_til giver 400."
        elif isinstance(filter_, CharFilter):
            schema = {
                "type": "string",
                "maxLength": filter_.extra["max_length"],
                "pattern": NO_NUL,  # as every form's CharField requires
            }
            description = str(filter_.label)
        else:
            raise TypeError(f"No schema for the filter {name} ({filter_})")
        parameters.append(Parameter(name, schema, description))
    parameters += [facet_parameter(facet) for facet in FACETS]
    form_fields = filterset_class._meta.form.base_fields
    for name, field in form_fields.items():
        if name not in filterset_class.base_filters:
            values = [value for value, _ in field.choices if value]
            schema = {"type": "string", "enum": values}
            parameters.append(Parameter(name, schema, str(field.label)))
    return parameters


def facet_parameter(facet) -> Parameter:
    label = str(facet.label)
    if isinstance(facet, FlagFacet):
        schema = {"type": "string", "enum": [o.value for o in facet.options()]}
        return Parameter(facet.name, schema, f"{label}: {facet.option_label}.")
    if isinstance(facet, ChoiceFacet):
        item = {"type": "string", "enum": [o.value for o in facet.options()]}
    elif isinstance(facet, RecordFacet):
        # Which slugs exist is the catalogue's content, not the schema's: the format
        # says whose slug it is, and an unknown slug is answered 400.
        item = {"type": "string", "format": slug_format(facet)}
    else:
        raise TypeError(f"No schema for the facet {facet.name}")
    schema = {"type": "array", "items": item, "maxItems": MAX_CHOICES_PER_FILTER}
    return Parameter(
        facet.name, schema, f"{label}: indsatser med mindst én af værdierne."
    )


def slug_format(facet: RecordFacet) -> str:
    return f"{facet.name}-slug"

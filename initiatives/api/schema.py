"""The API's OpenAPI schema, beyond what drf-spectacular reads from the views: every
answer an operation gives besides 200, with its body, and a list's query parameters
as parameters.py describes them (and the views check them)."""

import copy

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
REFUSED = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description=(
        "En parameter har en værdi, API'et ikke tager: hver sådan parameters navn "
        "med en liste af grunde på dansk. Fra år efter til år står under `__all__`."
    ),
)
NOT_FOUND = OpenApiResponse(
    DETAIL,
    description="Ingen post med den adresse, eller en side efter listens sidste.",
)
TOO_MANY = OpenApiResponse(
    DETAIL,
    description="For mange forespørgsler fra samme adresse: prøv igen om lidt.",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Sekunder, før der igen svares.",
)


class CatalogueSchema(AutoSchema):
    def is_list(self) -> bool:
        return getattr(self.view, "action", None) == "list"

    def get_response_serializers(self) -> dict:
        answers = {200: super().get_response_serializers()}
        if self.is_list():
            answers[400] = REFUSED
        return {**answers, 404: NOT_FOUND, 429: TOO_MANY}

    def get_filter_backends(self) -> list:
        """None: the list's filters are among the parameters below."""
        return []

    def get_override_parameters(self) -> list[OpenApiParameter]:
        parameters = [RETRY_AFTER]
        if not self.is_list():
            return parameters
        for parameter in self.view.query_parameters():
            many = parameter.many
            parameters.append(
                OpenApiParameter(
                    parameter.name,
                    copy.deepcopy(parameter.schema),
                    OpenApiParameter.QUERY,
                    description=parameter.description,
                    style="form" if many else None,
                    explode=True if many else None,
                )
            )
        return parameters

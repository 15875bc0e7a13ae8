"""The API keeps its own contract: every answer is one its OpenAPI schema documents,
in the shape it documents, and it takes exactly the parameter values the schema
allows. Schemathesis reads the schema from the app and calls the app in-process, on
the test database with the whole catalogue."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from initiatives.api.parameters import slug_format
from initiatives.listing.facets import FACETS, RecordFacet
from initiatives.listing.filters import InitiativeFilterSet

pytestmark = pytest.mark.django_db

# Generated examples per operation, from the profile's (tests/conftest.py): 10 while
# developing, 25 in `tests/run`. The coverage phase's edge cases (boundaries, empty
# and missing values) come on top, whatever the profile.
EXAMPLES = max(10, hypothesis_settings.default.max_examples // 40)
RESPONSE_CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def app(db, settings):
    """The site's WSGI application, run as Django's test client runs it: without
    closing the database connection after each request, which on PostgreSQL would
    end the test's transaction."""
    settings.API_RATE_LIMIT = "1000000/minute"
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(app, request):
    # Schemathesis 4.32 renames the test it runs through `_nodeid`, which pytest 9.2
    # no longer keeps; the id it reads is the test's own.
    request.node._nodeid = request.node.nodeid
    # A facet of records takes their slugs: generated requests use the fixtures'.
    for facet in FACETS:
        if isinstance(facet, RecordFacet):
            slugs = sorted(facet.model.objects.values_list("slug", flat=True))
            schemathesis.openapi.format(slug_format(facet), st.sampled_from(slugs))
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", app)


schema = schemathesis.pytest.from_fixture("api_schema")


def years_out_of_order(query: dict | None) -> bool:
    """The one rule the schema cannot state (a parameter's bounds depending on
    another's value), so its descriptions do: `aar_fra` after `aar_til` is a 400."""
    years = [str((query or {}).get(name)) for name in ("aar_fra", "aar_til")]
    return all(year.isdigit() for year in years) and int(years[0]) > int(years[1])


@pytest.mark.slow
@hypothesis_settings(max_examples=EXAMPLES)
@schema.parametrize()
def test_every_operation_answers_as_its_schema_says(case):
    """Generated requests, valid and invalid, for every operation: no 5xx, every
    status documented, every body as documented, valid values accepted and invalid
    ones refused with a 4xx."""
    if years_out_of_order(case.query):
        response = case.call()
        assert response.status_code == 400
        case.validate_response(response, checks=RESPONSE_CHECKS)
    else:
        case.call_and_validate()


@pytest.fixture
def api(app) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", app)


def answer(api, path: str, query: dict | None = None, **path_parameters):
    """The answer to GET `path`, checked against the schema: a documented status,
    the documented content type and body, no server error."""
    case = api[path]["GET"].Case(query=query or {}, path_parameters=path_parameters)
    response = case.call()
    case.validate_response(response, checks=RESPONSE_CHECKS)
    return response


LISTS = [
    "/api/v1/initiativer/",
    "/api/v1/organisationer/",
    "/api/v1/maalgrupper/",
    "/api/v1/kategorier/",
    "/api/v1/kilder/",
    "/api/v1/resultater/",
]


@pytest.mark.parametrize("path", LISTS)
def test_every_record_the_api_lists_is_as_its_schema_says(api, path):
    """Main categories, organisations without a region or a parent and placements by
    editorial judgement answer null: the schema must allow it."""
    page, seen = 1, 0
    while True:
        response = answer(api, path, {"antal": 100, "side": page})
        seen += len(response.json()["results"])
        if not response.json()["next"]:
            break
        page += 1

    assert seen == response.json()["count"] > 0


@pytest.mark.parametrize(
    ("component", "field", "path", "record"),
    [
        ("Category", "parent", "/api/v1/kategorier/", "dialogstoette"),
        ("Organisation", "parent", "/api/v1/organisationer/", None),
        ("Organisation", "region", "/api/v1/organisationer/", None),
    ],
)
def test_a_field_that_answers_null_is_nullable_in_the_schema(
    client, component, field, path, record
):
    schemas = client.get("/api/v1/schema/").json()["components"]["schemas"]
    records = client.get(path, {"antal": 100}).json()["results"]
    nulls = [r for r in records if r[field] is None]

    assert nulls
    if record:
        assert record in {r["slug"] for r in nulls}
    assert schemas[component]["properties"][field].get("nullable") is True


def test_a_placement_without_main_category_or_reference_is_nullable_in_the_schema(
    client,
):
    schemas = client.get("/api/v1/schema/").json()["components"]["schemas"]
    placements = [
        placement
        for page in range(1, 3)
        for initiative in client.get(
            "/api/v1/initiativer/", {"antal": 100, "side": page}
        ).json()["results"]
        for placement in initiative["placements"]
    ]

    assert any(p["main_category"] is None for p in placements)
    assert any(p["reference"] is None for p in placements)
    for field in ["main_category", "reference"]:
        assert schemas["Placement"]["properties"][field].get("nullable") is True


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"antal": "null"}, "Skriv et helt tal fra 1 til 100."),
        ({"antal": "-1.3e-298"}, "Skriv et helt tal fra 1 til 100."),
        ({"antal": "101"}, "Skriv et helt tal fra 1 til 100."),
        ({"antal": ["10", "20"]}, "Angiv parameteren én gang."),
        ({"side": ""}, "Skriv et helt tal på 1 eller mere."),
        ({"side": "last"}, "Skriv et helt tal på 1 eller mere."),
        ({"aar_fra": "0", "aar_til": "0"}, "Skriv et helt tal fra 1900 til 2100."),
        ({"sortering": "tilfaeldig"}, "Vælg en af: relevans, navn, nyeste."),
        ({"resultater": "ja"}, "Vælg en af: 1."),
        ({"q": "x" * 201}, "Skriv højst 200 tegn (der er 201)."),
        ({"kategori": ["x"] * 21}, "Vælg højst 20 værdier."),
        ({"maalgruppe": ""}, "Angiv en værdi."),
        ({"aar_fra": "2010", "aar_til": "2000"}, "Fra år (2010) ligger efter til år"),
    ],
)
def test_a_value_the_schema_does_not_allow_is_a_documented_400_in_danish(
    api, query, message
):
    response = answer(api, "/api/v1/initiativer/", query)

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == set(query) or list(errors) == ["__all__"]
    assert all(error[0].startswith(message) for error in errors.values())


@pytest.mark.parametrize(
    "query",
    [
        {"antal": "1"},
        {"antal": "100", "side": "2"},
        {"aar_fra": "1900", "aar_til": "1900"},
        {"aar_fra": "2100"},
        {"sortering": "nyeste"},
        {"resultater": "1"},
        {"q": "x" * 200},
    ],
)
def test_a_value_the_schema_allows_is_answered_200(api, query):
    assert answer(api, "/api/v1/initiativer/", query).status_code == 200


def test_the_years_bounds_in_the_schema_are_those_the_list_checks(client):
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in client.get("/api/v1/schema/").json()["paths"][
            "/api/v1/initiativer/"
        ]["get"]["parameters"]
    }

    for name in ["aar_fra", "aar_til"]:
        year = InitiativeFilterSet.base_filters[name].extra
        assert parameters[name] == {
            "type": "integer",
            "minimum": year["min_value"],
            "maximum": year["max_value"],
        }


def test_the_schema_lists_every_parameter_the_list_takes(client):
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in client.get("/api/v1/schema/").json()["paths"][
            "/api/v1/initiativer/"
        ]["get"]["parameters"]
    }
    form_fields = InitiativeFilterSet._meta.form.base_fields

    assert set(parameters) == {
        *InitiativeFilterSet.base_filters,
        *form_fields,
        "side",
        "antal",
    }
    assert parameters["sortering"]["enum"] == [
        value for value, _ in form_fields["sortering"].choices if value
    ]
    assert (
        client.get("/api/v1/initiativer/", {"sortering": "nyeste"}).status_code == 200
    )


def test_an_unknown_order_is_refused_by_the_api_but_forgiven_by_the_page(client):
    assert client.get("/api/v1/initiativer/", {"sortering": "x"}).status_code == 400
    assert client.get("/initiativer/", {"sortering": "x"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "parameters"),
    [
        ("/api/v1/initiativer/{slug}/", {"slug": "findes-ikke"}),
        ("/api/v1/organisationer/{slug}/", {"slug": "findes-ikke"}),
        ("/api/v1/resultater/{id}/", {"id": "999999999"}),
    ],
)
def test_a_missing_record_is_a_documented_404_in_danish(api, path, parameters):
    response = answer(api, path, **parameters)

    assert response.status_code == 404
    assert response.json() == {"detail": "Ikke fundet."}


@pytest.mark.parametrize(
    "path",
    ["/api/v1/initiativer/%C3%B8/", "/api/v1/resultater/abc/", "/api/v1/findes-ikke/"],
)
def test_an_address_no_operation_takes_is_a_404_in_the_apis_shape(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Ikke fundet."}


def test_a_page_after_the_last_is_a_documented_404_in_danish(api):
    response = answer(api, "/api/v1/kilder/", {"side": 99})

    assert response.status_code == 404
    assert response.json() == {"detail": "Siden findes ikke: listen har færre sider."}

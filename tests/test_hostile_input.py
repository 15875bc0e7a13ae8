"""Whatever arrives in a URL, a public page answers normally: never a server error."""

from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from initiatives.listing.initiative_list import InitiativeList
from initiatives.opendata.exports import HEADER

from .conftest import PUBLIC_PAGES

pytestmark = pytest.mark.django_db

# Every public page type, and the export, with the query string left to the tests.
PUBLIC_PATHS = sorted(
    {page.split("?")[0] for page in PUBLIC_PAGES}
    | {"/initiativer/eksport.csv", "/en/initiativer/"}
)
# The list's, a new facet among them, and the organisations' kind.
PARAMETERS = [*InitiativeList.parameters(), "type"]
ALLOWED = {200, 301, 302, 400, 404}

HOSTILE_VALUES = [
    "\x00",
    "%00",
    "a\x00b",
    "%ff%fe",
    "%c3%28",
    "'; DROP TABLE initiatives_initiative; --",
    "<script>alert(1)</script>",
    "x" * 100_000,
    "-1",
    "0",
    "99999999999999999999999999",
    "1e308",
    "NaN",
    "∞",
    "ø" * 300,
    "../../etc/passwd",
    "[]",
    "{}",
]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
@pytest.mark.parametrize("name", PARAMETERS)
def test_a_hostile_value_in_any_parameter_is_answered_normally(client, name, value):
    for path in ["/initiativer/", "/organisationer/"]:
        response = client.get(path, {name: value})
        assert response.status_code in ALLOWED, (path, name, value[:40])


@pytest.mark.parametrize(
    "path",
    [
        "/initiativer/%00/",
        "/initiativer/findes-ikke/",
        "/organisationer/%ff/",
        "/maalgrupper/" + "a" * 5000 + "/",
        "/kategorier/../../",
        "/kilder/%c3%28/",
        "/en/kilder/ukendt/",
    ],
)
def test_a_hostile_path_is_not_found(client, path):
    assert client.get(path).status_code in {404, 301}


QUERY_PART = st.tuples(
    st.sampled_from(PARAMETERS) | st.text(max_size=10),
    st.text(max_size=60) | st.integers().map(str) | st.sampled_from(HOSTILE_VALUES),
)
RAW_QUERY = st.lists(
    st.tuples(
        st.sampled_from(PARAMETERS).map(str.encode) | st.binary(max_size=8),
        st.binary(max_size=40),
    ),
    max_size=6,
).map(
    lambda pairs: "&".join(
        f"{quote_from_bytes(key)}={quote_from_bytes(value)}" for key, value in pairs
    )
)


@given(path=st.sampled_from(PUBLIC_PATHS), query=st.lists(QUERY_PART, max_size=8))
def test_generated_query_strings_never_cause_a_server_error(client, path, query):
    response = client.get(f"{path}?{urlencode(query)}")

    assert response.status_code in ALLOWED


@given(path=st.sampled_from(PUBLIC_PATHS), raw=RAW_QUERY)
def test_raw_bytes_and_invalid_utf8_escapes_never_cause_a_server_error(
    client, path, raw
):
    response = client.get(path, QUERY_STRING=raw)

    assert response.status_code in ALLOWED


@given(
    prefix=st.sampled_from(
        [
            "/initiativer/",
            "/organisationer/",
            "/maalgrupper/",
            "/kategorier/",
            "/kilder/",
        ]
    ),
    segment=st.text(max_size=80),
)
def test_generated_paths_are_found_or_not_found(client, prefix, segment):
    response = client.get(prefix + quote(segment, safe="") + "/")

    assert response.status_code in {200, 301, 302, 404}


SEARCH_SYNTAX = [
    '"',
    '"hjemløse',
    'tandpleje" OR "1"="1',
    "NEAR(hjemløse tandpleje)",
    "hjemløse NEAR tandpleje",
    "hjem*",
    "*",
    "-",
    "-hjemløse",
    "body: hjemløse",
    "name:KOL",
    "{name body}: x",
    "(((hjemløse",
    "hjemløse)) AND (",
    "AND OR NOT",
    "^KOL",
    "hjemløse & | ! tandpleje",
    "tandpleje:*",
    "?",
    "!",
    "'",
    "\\",
    "🏥",
    "🏥 hjemløse",
    "%",
    "_",
]


@pytest.mark.parametrize("query", SEARCH_SYNTAX)
def test_search_syntax_typed_by_a_user_is_read_as_text(client, query):
    response = client.get("/initiativer/", {"q": query})

    assert response.status_code == 200


@pytest.mark.parametrize("query", SEARCH_SYNTAX)
def test_search_syntax_in_the_csv_export_is_read_as_text(client, query):
    response = client.get("/initiativer/eksport.csv", {"q": query, "format": "csv"})
    body = response.getvalue().decode("utf-8")

    assert response.status_code == 200
    assert body.splitlines()[0] == ",".join(HEADER)

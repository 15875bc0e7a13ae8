"""What pages show: no stray separators or repeats, counts that agree with the pages
they link to, and what a printout or an English reader needs."""

import re

import pytest
from django.urls import reverse

from initiatives.models import Initiative, Organisation, Outcome

from .conftest import PUBLIC_PAGES, make_initiative

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_row_without_categories_years_or_regions_starts_with_no_separator(client):
    make_initiative(slug="bar", name="Bar indsats")

    page = client.get("/initiativer/?q=Bar+indsats").text
    row = page[page.index("Bar indsats") :]
    row = row[: row.index("</ul>")]

    assert "·" not in row


def test_a_period_the_year_already_says_is_not_repeated(client):
    initiative = make_initiative(start_year=2020, period_text="2020")

    page = text_of(client.get(initiative.get_absolute_url()).text)

    assert "2020 (2020)" not in page
    assert "Periode 2020" in page


def test_a_budget_without_an_amount_shows_its_text_not_an_empty_parenthesis(client):
    initiative = make_initiative(budget_text="ikke oplyst beløb")

    page = text_of(client.get(initiative.get_absolute_url()).text)

    assert "Budget ikke oplyst beløb" in page


def test_front_page_counts_agree_with_the_pages_they_link_to(client):
    home = client.get("/").context

    organisations = client.get(reverse("initiatives:organisation_list")).context
    with_results = client.get("/initiativer/?resultater=1").context

    assert home["organisation_count"] == organisations["paginator"].count
    assert home["organisation_count"] == Organisation.objects.public().count()
    assert home["with_outcomes_count"] == with_results["paginator"].count
    assert home["outcome_count"] == Outcome.objects.count()


def test_the_gap_matrix_shows_empty_cells_empty_and_counts_the_uncategorised(client):
    page = client.get("/").text
    matrix = page[page.index('class="gap-matrix"') : page.index("</table>")]
    uncategorised = (
        Initiative.objects.published().filter(category_assignments=None).count()
    )

    assert ">0<" not in matrix
    assert uncategorised > 0
    assert f"{uncategorised} indsatser har ingen kategori" in page


def test_a_printed_list_says_it_shows_one_page(client):
    page = client.get("/initiativer/").text

    assert "Udskriften viser side 1 af" in page


def test_a_printed_page_shows_its_address_and_date(client):
    page = client.get("/initiativer/sammen-om-min-vej/").text

    assert "Fra http://testserver/initiativer/sammen-om-min-vej/" in page
    assert "siden dannet" in page


def test_english_pages_say_which_content_stays_danish_and_mark_it(client):
    page = client.get("/en/initiativer/sammen-om-min-vej/").text

    assert "are in Danish" in page
    assert '<h1 lang="en">' in page
    assert '<ul class="outcomes" lang="da">' in page


def test_english_role_names_read_naturally(client):
    page = client.get("/en/initiativer/sammen-om-min-vej/").text

    assert "– owner" not in page and "– performer" not in page


def test_target_groups_are_in_english_alphabetical_order_on_english_pages(client):
    page = client.get("/en/maalgrupper/").context
    names = [group.name_en for group in page["groups"]]

    assert names == sorted(names, key=str.casefold)


@pytest.mark.parametrize("language", ["", "/en"])
def test_the_search_box_suggests_only_words_that_find_something(client, language):
    page = client.get(f"{language}/").text
    placeholder = re.search(r'id="home-q"[^>]*placeholder="([^"]+)"', page).group(1)
    examples = re.sub(r"^(Fx|In Danish:)\s+", "", placeholder)
    words = [word.strip() for word in re.split(r",|\s(?:eller|or)\s", examples)]

    assert len(words) == 3
    for word in words:
        found = client.get(f"{language}/initiativer/", {"q": word}).context
        assert found["paginator"].count > 0, word


def test_target_groups_have_english_descriptions_on_english_pages(client):
    english = client.get("/en/maalgrupper/hjemloese/").text
    danish = client.get("/maalgrupper/hjemloese/").text

    assert "Homeless people and users of shelters" in english
    assert "Hjemløse og brugere af herberger" not in english
    assert "Hjemløse og brugere af herberger" in danish


@pytest.mark.parametrize(
    "path",
    # A report's own text is shown as written, "2.500 kr." and all.
    [path for path in PUBLIC_PAGES if "/tekst/" not in path and "/linje-" not in path],
)
def test_no_public_page_shows_a_year_with_a_thousands_separator(client, path):
    for language in ["", "/en"]:
        page = text_of(client.get(language + path).text)

        assert re.findall(r"\b[12][.,]\d{3}\b(?![.,]\d)", page) == [], path


def test_every_page_names_a_favicon_that_exists(client):
    from django.contrib.staticfiles import finders

    for path in ["/", "/en/", "/admin/login/"]:
        page = client.get(path).text
        icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', page).group(1)

        assert finders.find(icon), path


@pytest.mark.parametrize(
    "start, end, period_text, shown",
    [
        (2005, None, "2005-", "Periode 2005 Arena"),
        (2009, 2011, "2009-11", "Periode 2009–2011 Arena"),
        (2015, 2018, "2015-2018", "Periode 2015–2018 Arena"),
        (2009, 2011, "01.07.2009-31.12.2011", "Periode 2009–2011 (01.07.2009-31.12"),
        (2020, None, "2020 og frem", "Periode 2020 (2020 og frem)"),
    ],
)
def test_a_period_text_is_shown_only_when_it_says_more_than_the_years(
    client, start, end, period_text, shown
):
    initiative = make_initiative(
        start_year=start, end_year=end, period_text=period_text, setting="Kommunen"
    )

    page = text_of(client.get(initiative.get_absolute_url()).text)

    assert shown in page


def visible_text(html: str) -> str:
    """The page's text as a browser lays it out, tags removed without a space."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(
    "path",
    [*PUBLIC_PAGES, "/initiativer/sundhedsteam-koebenhavn/", "/en/initiativer/"],
)
def test_no_page_has_a_space_before_a_closing_parenthesis(client, path):
    text = visible_text(client.get(path).text)

    assert re.findall(r".{20}\S\s+\)", text) == []


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_breadcrumb_ends_with_a_page_not_a_separator(client, path):
    page = client.get(path).text

    for crumbs in re.findall(r'aria-label="Brødkrumme"[^>]*>(.*?)</nav>', page):
        assert not visible_text(crumbs).rstrip().endswith("›")


def test_the_export_help_links_to_the_evidence_scale(client):
    page = client.get("/initiativer/eksport/").text
    row = page[page.index("<code>evidensniveau</code>") :]
    row = row[: row.index("</tr>")]

    assert '<a href="/om/evidens/">' in row
    assert "/om/evidens/)" not in visible_text(page)


def test_a_day_that_added_many_initiatives_folds_their_names_behind_a_count(client):
    page = client.get("/data/").text
    added = Initiative.objects.published().count()

    # The catalogue as loaded: every initiative added on one day.
    assert f"<summary>Tilføjet: {added} indsatser</summary>" in page


def test_the_english_names_of_the_organisation_category_and_the_menu_differ(client):
    page = client.get("/en/").text

    assert ">Organisations</a>" in page
    assert "Organisation of care" in page
    assert ">Organisation<" not in page
    assert "Organisation</span>" not in page

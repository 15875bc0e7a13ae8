"""Every initiative in English (issue #30): the translations, how they load, where
they show, and how a curator keeps them in step with the Danish."""

import csv
import io
import json
import re
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils.html import escape

from initiatives.listing.count_index import current_index
from initiatives.models import CatalogueVersion, Initiative, Outcome
from initiatives.search import refresh_search_text
from initiatives.translations import TranslationError, load_translations

from .conftest import empty_inlines, make_full_initiatives, make_initiative
from .test_admin import change_url

pytestmark = pytest.mark.django_db

SLUG = "sammen-om-min-vej"


def write_translations(tmp_path, text: str):
    path = tmp_path / "report_009.yaml"
    path.write_text(text, encoding="utf-8")
    return [path]


# The translations and their loading --------------------------------------------


def test_every_published_initiative_has_an_english_name_and_summary_and_its_purpose():
    missing = [
        initiative.slug
        for initiative in Initiative.objects.published()
        if not initiative.name_en
        or not initiative.summary_en
        or bool(initiative.purpose) != bool(initiative.purpose_en)
    ]

    assert missing == []
    assert Initiative.objects.published().count() == 155


def test_loaded_translations_are_made_from_the_danish_as_it_stands():
    assert not Initiative.objects.english_behind().exists()
    assert not Initiative.objects.get(slug=SLUG).english_is_behind


def test_a_translation_of_a_slug_the_catalogue_lacks_is_refused(tmp_path):
    paths = write_translations(
        tmp_path, "- slug: ingen-saadan\n  name: Nothing\n  summary: Nothing.\n"
    )

    with pytest.raises(TranslationError, match="ingen-saadan"):
        load_translations(paths)


def test_load_catalogue_refuses_a_translation_file_with_an_unknown_slug(
    tmp_path, records_loaded_already
):
    paths = write_translations(
        tmp_path, "- slug: ingen-saadan\n  name: Nothing\n  summary: Nothing.\n"
    )
    english_before = Initiative.objects.get(slug=SLUG).name_en

    with mock.patch(
        "initiatives.management.commands.load_catalogue.english_translation_paths",
        return_value=paths,
    ):
        with pytest.raises(CommandError, match="ingen-saadan"):
            call_command("load_catalogue", verbosity=0)

    assert Initiative.objects.get(slug=SLUG).name_en == english_before


def test_a_translated_purpose_the_danish_record_lacks_is_refused(tmp_path):
    initiative = make_initiative(slug="uden-formaal", purpose="")
    paths = write_translations(
        tmp_path,
        f"- slug: {initiative.slug}\n  name: A\n  summary: B.\n  purpose: C.\n",
    )

    with pytest.raises(TranslationError, match="purpose"):
        load_translations(paths)


def test_a_translation_without_a_summary_is_refused(tmp_path):
    paths = write_translations(tmp_path, f"- slug: {SLUG}\n  name: A name\n")

    with pytest.raises(TranslationError, match="summary"):
        load_translations(paths)


def test_a_backup_keeps_the_english_texts(catalogue_backup):
    initiative = Initiative.objects.get(slug=SLUG)

    rows = json.loads(catalogue_backup.read_text(encoding="utf-8"))

    fields = next(
        row["fields"]
        for row in rows
        if row["model"] == "initiatives.initiative" and row["fields"]["slug"] == SLUG
    )
    assert fields["name_en"] == initiative.name_en
    assert fields["summary_en"] == initiative.summary_en
    assert fields["english_made_from"] == initiative.danish_fingerprint


# Pages ---------------------------------------------------------------------------


def test_the_english_page_shows_the_translation_marked_and_the_danish_one_click_away(
    client,
):
    initiative = Initiative.objects.get(slug=SLUG)

    page = client.get(f"/en/initiativer/{SLUG}/").text

    assert f'<h1 lang="en">{escape(initiative.name_en)}</h1>' in page
    assert "English translation of the Danish record." in page
    assert '<details class="danish-original">' in page
    assert f'<p lang="da"><strong>{escape(initiative.name)}</strong></p>' in page


def test_the_english_page_says_which_texts_stay_danish(client):
    page = client.get(f"/en/initiativer/{SLUG}/").text

    assert 'Results <span class="muted">(in Danish)</span>' in page
    assert '<ul class="outcomes" lang="da">' in page


def test_the_danish_page_shows_the_danish_text_only(client):
    initiative = Initiative.objects.get(slug=SLUG)

    page = client.get(f"/initiativer/{SLUG}/").text

    assert f'<h1 lang="da">{escape(initiative.name)}</h1>' in page
    assert escape(initiative.name_en) not in page
    assert "danish-original" not in page


def test_an_initiative_without_a_translation_shows_its_danish_text_as_danish(client):
    initiative = make_initiative(slug="kun-dansk", name="Kun på dansk")

    page = client.get(f"/en/initiativer/{initiative.slug}/").text

    assert '<h1 lang="da">Kun på dansk</h1>' in page
    assert "danish-original" not in page


def test_english_list_rows_show_english_names_marked_as_english(client):
    response = client.get("/en/initiativer/")
    first = response.context["paginator"].object_list[0]

    assert (
        f'<h3 lang="en"><a href="/en/initiativer/{first.slug}/">'
        f"{escape(first.name_en)}</a></h3>"
    ) in response.text


def test_json_ld_and_open_graph_say_english_where_the_text_is_english(client):
    english = client.get(f"/en/initiativer/{SLUG}/").text
    danish = client.get(f"/initiativer/{SLUG}/").text

    assert '"inLanguage": "en"' in english
    assert '<meta property="og:locale" content="en_GB">' in english
    assert '"inLanguage": "da"' in danish
    assert '<meta property="og:locale" content="da_DK">' in danish


def test_the_english_feed_carries_the_english_names(client, curator):
    initiative = Initiative.objects.get(slug=SLUG)
    initiative.save()  # a saved initiative has a history date, so it is in the feed
    client.logout()

    feed = client.get("/en/initiativer/nyt.atom").text

    assert 'xml:lang="en"' in feed
    assert f"<title>{initiative.name_en}</title>" in feed


def test_the_sitemap_lists_each_initiative_in_english_too(client):
    sitemap = client.get("/sitemap-indsatser.xml").text

    assert f'hreflang="en" href="http://testserver/en/initiativer/{SLUG}/"' in sitemap


ENGLISH_PAGES = {
    # As their Danish twins (tests/test_pages.py): the English texts are columns of
    # the rows these pages read already.
    "/en/initiativer/ekstra-0/": 12,
    # The search's two queries of a Danish search (words, whether each occurs) and one
    # more: the curated pairs' Danish meanings, by which results rank.
    "/en/initiativer/?kategori=tilfoert-ressource&region=hovedstaden&q=navigator": 12
    + (4 if connection.vendor == "postgresql" else 0),
    "/en/maalgrupper/befolkningen/": 7,
    "/en/organisationer/ekstra-org/": 7,
}


@pytest.mark.parametrize("path", ENGLISH_PAGES)
def test_english_pages_answer_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, path
):
    make_full_initiatives(3)
    current_index()
    with django_assert_num_queries(ENGLISH_PAGES[path]):
        assert client.get(path).status_code == 200

    make_full_initiatives(25, prefix="flere")
    current_index()
    with django_assert_num_queries(ENGLISH_PAGES[path]):
        assert client.get(path).status_code == 200


# Export, API, data package --------------------------------------------------------


def test_the_english_csv_export_carries_the_english_texts(client):
    response = client.get(
        "/en/initiativer/eksport.csv", {"format": "csv", "q": "navigator"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert rows
    for row in rows:
        initiative = Initiative.objects.get(slug=row["slug"])
        assert row["navn_en"] == initiative.name_en
        assert row["resume_en"] == initiative.summary_en
        assert row["formaal_en"] == initiative.purpose_en


def test_the_api_gives_the_english_texts_and_whether_they_are_behind(client):
    initiative = Initiative.objects.get(slug=SLUG)

    data = client.get(f"/api/v1/initiativer/{SLUG}/").json()

    assert data["name_en"] == initiative.name_en
    assert data["summary_en"] == initiative.summary_en
    assert data["purpose_en"] == initiative.purpose_en
    assert data["english_outdated"] is False


def data_package(client) -> dict:
    response = client.get("/data/lighedskataloget.json")
    return json.loads(b"".join(response.streaming_content))


def test_the_data_package_describes_the_english_columns_in_both_languages(client):
    package = data_package(client)
    initiatives = next(r for r in package["resources"] if r["name"] == "initiatives")
    fields = {field["name"]: field for field in initiatives["schema"]["fields"]}

    for name in ["name_en", "summary_en", "purpose_en", "english_outdated"]:
        assert fields[name]["description"] and fields[name]["description_en"]
    row = next(row for row in initiatives["data"] if row["slug"] == SLUG)
    assert row["name_en"] == Initiative.objects.get(slug=SLUG).name_en
    assert row["english_outdated"] == ""


def test_the_data_package_says_when_the_english_is_behind(client):
    Initiative.objects.filter(slug=SLUG).update(summary="Et nyt dansk resumé.")
    CatalogueVersion.bump()  # an update() bypasses the signals that do it

    package = data_package(client)
    initiatives = next(r for r in package["resources"] if r["name"] == "initiatives")

    row = next(row for row in initiatives["data"] if row["slug"] == SLUG)
    assert row["english_outdated"] == "ja"


# Curators -------------------------------------------------------------------------


def change_form(client, initiative: Initiative) -> dict:
    """The change form's fields as the curator's browser would post them."""
    response = client.get(change_url(initiative))
    form = response.context["adminform"].form
    data = {**empty_inlines()}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = getattr(value, "pk", value)
    snapshot = re.search(r'name="edit_snapshot" value="([^"]+)"', response.text)
    data["edit_snapshot"] = snapshot.group(1)
    return data


def fresh_initiative() -> Initiative:
    """A published initiative with an English twin and no inline parts, as the
    loader leaves one."""
    initiative = make_initiative(
        slug="oversat",
        name="Oversat indsats",
        summary="Et dansk resumé.",
        name_en="Translated initiative",
        summary_en="A Danish summary.",
    )
    initiative.english_made_from = initiative.danish_fingerprint
    initiative.save()
    return initiative


def test_curators_see_and_edit_the_english_beside_the_danish(client, curator):
    initiative = Initiative.objects.get(slug=SLUG)

    page = client.get(change_url(initiative)).text

    assert "På engelsk" in page
    assert 'name="name_en"' in page and 'name="summary_en"' in page
    assert escape(initiative.name_en) in page


def test_saving_a_changed_danish_summary_warns_that_the_english_may_need_it(
    client, curator
):
    initiative = fresh_initiative()
    data = change_form(client, initiative)
    data["summary"] = "Et ændret dansk resumé."

    response = client.post(change_url(initiative), data, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert any("Den engelske oversættelse kan have brug for" in m for m in messages)
    assert Initiative.objects.english_behind().filter(pk=initiative.pk).exists()


def test_saving_the_english_with_the_danish_warns_of_nothing(client, curator):
    initiative = fresh_initiative()
    data = change_form(client, initiative)
    data["summary"] = "Et ændret dansk resumé."
    data["summary_en"] = "A changed Danish summary."

    response = client.post(change_url(initiative), data, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert not any("Den engelske oversættelse" in m for m in messages)
    assert not Initiative.objects.english_behind().filter(pk=initiative.pk).exists()


def test_the_admin_lists_the_initiatives_whose_english_is_older(client, curator):
    behind = fresh_initiative()
    Initiative.objects.filter(pk=behind.pk).update(name="Omdøbt på dansk")

    listed = client.get("/admin/initiatives/initiative/", {"engelsk": "aeldre"})

    assert [i.slug for i in listed.context["cl"].result_list] == ["oversat"]


def test_ticking_that_the_english_still_fits_clears_it_from_that_list(client, curator):
    initiative = fresh_initiative()
    Initiative.objects.filter(pk=initiative.pk).update(summary="Rettet stavefejl.")
    data = change_form(client, initiative)
    data["english_checked"] = "on"

    client.post(change_url(initiative), data)

    assert not Initiative.objects.english_behind().exists()


# Search --------------------------------------------------------------------------


def found(client, query: str, path: str = "/en/initiativer/") -> list[str]:
    response = client.get(path, {"q": query})
    return [i.slug for i in response.context["paginator"].object_list]


def test_an_english_query_finds_a_fact_only_the_danish_results_state(client):
    initiative = make_initiative(slug="kun-i-resultaterne", name="Et projekt")
    reference = initiative.references.create(
        document_id=Initiative.objects.get(slug=SLUG).references.first().document_id,
        locator="Bilag 2",
        line_start=1,
        line_end=2,
    )
    Outcome.objects.create(
        initiative=initiative,
        reference=reference,
        position=1,
        text="40 flygtninge deltog",
        kind="kvantitativ",
    )
    refresh_search_text(Initiative.objects.filter(pk=initiative.pk))

    assert "kun-i-resultaterne" in found(client, "refugees")


def test_english_words_are_stemmed_as_english(client):
    assert found(client, "smoker") == found(client, "smokers") != []


def test_did_you_mean_on_english_pages_suggests_english_words(client):
    response = client.get("/en/initiativer/", {"q": "refugess"})

    suggestions = response.context["search"].suggestions
    assert "refugees" in suggestions
    assert all(re.fullmatch(r"[a-z ]+", s) for s in suggestions)


def test_a_danish_query_on_danish_pages_is_read_as_danish(client):
    assert found(client, "flygtninge", path="/initiativer/") != []
    assert found(client, "gravide", path="/initiativer/") == found(
        client, "gravid", path="/initiativer/"
    )

"""Anyone may suggest an initiative; curators work through the suggestions. Nothing
sent is public, the sender's details are curators' only and go after 180 days, and
machines are kept out without a third-party service."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from initiatives.curation.merging import merge_initiatives
from initiatives.curation.roles import (
    CURATOR_GROUP,
    curator_group,
    keep_curators_up_to_date,
)
from initiatives.models import CatalogueVersion, Initiative, Suggestion
from initiatives.suggestions.forms import started_token

from .conftest import make_initiative

pytestmark = pytest.mark.django_db

SENDER = {"sender_name": "Vibeke Forslagsen", "sender_email": "vibeke@example.org"}


@pytest.fixture(autouse=True)
def no_minimum_time(settings):
    """A test client fills the form at once; the tests of the minimum set it."""
    settings.SUGGESTION_MIN_SECONDS = 0


def form_data(**changes) -> dict:
    data = {
        "name": "Sundhedsbussen på Lolland",
        "description": "En bus med en sygeplejerske, der kører til socialt udsatte.",
        "place": "Lolland Kommune",
        "organisation": "Lolland Kommune",
        "described_in": "https://example.org/sundhedsbussen",
        "started": started_token(),
        "website": "",
        **SENDER,
    }
    data.update(changes)
    return data


def suggest(client, headers=None, **changes):
    return client.post("/foreslaa/", form_data(**changes), headers=headers)


def make_suggestion(**fields) -> Suggestion:
    return Suggestion.objects.create(
        **{"name": "Et forslag", "description": "Noget, der mangler.", **fields}
    )


def test_a_visitor_suggests_an_initiative_and_is_told_what_happens_next(client):
    form = client.get("/foreslaa/")
    sent = suggest(client)
    thanks = client.get(sent["Location"])

    assert form.status_code == 200 and 'name="csrfmiddlewaretoken"' in form.text
    assert sent.status_code == 302 and sent["Location"] == "/foreslaa/tak/"
    assert "Sådan går det videre" in thanks.text
    suggestion = Suggestion.objects.get()
    assert suggestion.status == Suggestion.Status.NEW
    assert suggestion.name == "Sundhedsbussen på Lolland"
    assert suggestion.sender_email == "vibeke@example.org"


def test_the_form_is_in_english_under_en(client):
    page = client.get("/en/foreslaa/").text

    assert "Suggest an initiative" in page
    assert "Name of the initiative" in page


def test_the_form_and_thanks_are_never_cached(client, django_assert_num_queries):
    # The public pages' ETag reads the catalogue version; the form reads nothing.
    with django_assert_num_queries(1):
        first = client.get("/foreslaa/")
    with django_assert_num_queries(1):
        again = client.get("/foreslaa/")

    for response in [first, again, client.get("/foreslaa/tak/")]:
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
    assert first.text != again.text  # each has its own start time


def test_sending_a_suggestion_takes_one_insert(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert suggest(client).status_code == 302


def test_the_privacy_page_says_how_long_contact_details_are_kept(
    client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        page = client.get("/om/privatliv/").text

    assert "180 dage" in page
    assert 'href="/om/privatliv/"' in client.get("/foreslaa/").text


def test_every_initiative_page_offers_to_correct_it(client):
    initiative = Initiative.objects.published().first()
    page = client.get(initiative.get_absolute_url()).text

    assert f'href="/foreslaa/?indsats={initiative.slug}">Ret eller tilføj</a>' in page
    assert 'href="/foreslaa/"' in client.get("/").text
    assert 'href="/foreslaa/"' in client.get("/initiativer/").text


def test_a_correction_names_the_initiative_it_is_about(
    client, django_assert_num_queries
):
    initiative = Initiative.objects.published().first()
    with django_assert_num_queries(2):
        form = client.get(f"/foreslaa/?indsats={initiative.slug}")
    suggest(client, about=initiative.slug)

    assert initiative.name in form.text
    assert f'value="{initiative.slug}"' in form.text
    assert Suggestion.objects.get().about == initiative


def test_a_draft_cannot_be_named_as_what_a_correction_is_about(client):
    draft = make_initiative(slug="hemmelig", name="Hemmelig kladde", status="kladde")

    assert "Hemmelig kladde" not in client.get("/foreslaa/?indsats=hemmelig").text
    assert suggest(client, about=draft.slug).status_code == 200
    assert not Suggestion.objects.exists()


@pytest.mark.slow
def test_nothing_a_visitor_sends_is_shown_publicly(client, tmp_path):
    suggest(client, name="Usynligt-forslag-4711")
    backup = tmp_path / "katalog.json"
    call_command("backup_catalogue", str(backup), verbosity=0)

    for path in [
        "/",
        "/initiativer/",
        "/initiativer/eksport.csv",
        "/api/v1/initiativer/",
        "/initiativer/nyt.atom",
        "/data/",
        "/data/lighedskataloget.json",
    ]:
        response = client.get(path)
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        text = body.decode()
        assert "Usynligt-forslag-4711" not in text, path
        assert "vibeke@example.org" not in text, path
    assert client.get("/initiativer/?q=Usynligt").context["paginator"].count == 0
    assert "vibeke@example.org" not in backup.read_text("utf-8")
    assert "initiatives.suggestion" not in backup.read_text("utf-8")


def test_a_machine_that_fills_the_hidden_field_is_thanked_and_forgotten(client):
    response = suggest(client, website="http://spam.example")

    assert response["Location"] == "/foreslaa/tak/"
    assert not Suggestion.objects.exists()


def test_a_form_sent_within_seconds_is_shown_again_with_the_text(client, settings):
    settings.SUGGESTION_MIN_SECONDS = 5
    response = suggest(client, name="Hurtig Indsats")

    assert response.status_code == 200
    assert "Det gik meget hurtigt" in response.text
    assert 'value="Hurtig Indsats"' in response.text
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("started", ["", "1700000000", "1700000000:1abc:forged"])
def test_a_missing_or_forged_start_is_refused(client, started):
    response = suggest(client, started=started)

    assert response.status_code == 200
    assert not Suggestion.objects.exists()


def test_a_form_left_open_for_days_comes_back_ready_to_send(client, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now - 3 * 24 * 3600)
    old = started_token()
    monkeypatch.undo()
    response = suggest(client, started=old)

    assert "Formularen er for gammel" in response.text
    assert 'value="Sundhedsbussen på Lolland"' in response.text
    assert old not in response.text
    assert not Suggestion.objects.exists()


def test_more_than_three_links_are_refused(client):
    links = " ".join(f"https://example.org/{n}" for n in range(3))
    response = suggest(client, description=f"Se {links} og www.example.org")

    assert "Højst 3 links i alt" in response.text
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "Forslag\r\nBcc: alle@example.org"},
        {"name": "x" * 301},
        {"description": "x" * 4001},
        {"description": ""},
        {"sender_email": "ikke en adresse"},
        {"place": "Nul\x00tegn"},
    ],
)
def test_hostile_or_overlong_text_is_refused(client, changes):
    response = suggest(client, **changes)

    assert response.status_code == 200
    assert not Suggestion.objects.exists()


def test_one_address_may_send_a_few_an_hour_and_others_are_not_held_back(
    client, settings
):
    settings.SUGGESTIONS_PER_HOUR = 2
    settings.TRUSTED_PROXY_COUNT = 1
    behind_proxy = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.7"}
    answers = [
        client.post("/foreslaa/", form_data(name=f"Forslag {n}"), **behind_proxy)
        for n in range(4)
    ]
    other = client.post(
        "/foreslaa/",
        form_data(),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )

    assert [answer.status_code for answer in answers] == [302, 302, 429, 429]
    assert "Prøv igen om en time" in answers[2].text
    assert other.status_code == 302
    assert Suggestion.objects.count() == 3


def test_curators_are_mailed_of_a_new_suggestion_once_it_is_saved(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SUGGESTIONS_NOTIFY = ["kuratorer@example.org"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        suggest(client, headers={"host": "localhost:6666"})
        assert mail.outbox == []

    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["kuratorer@example.org"]
    assert "Sundhedsbussen på Lolland" in message.subject
    suggestion = Suggestion.objects.get()
    admin_page = f"/admin/initiatives/suggestion/{suggestion.pk}/change/"
    assert f"{settings.SITE_URL}{admin_page}" in message.body
    assert "6666" not in message.body
    assert "vibeke@example.org" not in message.body + message.subject


def test_without_a_setting_nobody_is_mailed(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        suggest(client)

    assert mail.outbox == []


def test_curators_may_work_the_queue_but_not_add_to_it(client, curator):
    make_suggestion(name="<script>alert(1)</script>", **SENDER)
    queue = client.get("/admin/initiatives/suggestion/")

    assert queue.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in queue.text
    assert "<script>alert(1)" not in queue.text
    assert curator.has_perm("initiatives.change_suggestion")
    assert client.get("/admin/initiatives/suggestion/add/").status_code == 403


def test_a_curator_makes_a_draft_from_a_suggestion_in_one_step(client, curator):
    suggestion = make_suggestion(
        name="Tandpleje på værestedet",
        description="Gratis tandpleje for hjemløse, en gang om ugen.",
        place="Aarhus",
        described_in="Årsrapport 2024 fra Værestedet",
        **SENDER,
    )
    page = client.get(f"/admin/initiatives/suggestion/{suggestion.pk}/change/")
    response = client.post(
        f"/admin/initiatives/suggestion/{suggestion.pk}/change/",
        {
            "name": suggestion.name,
            "description": suggestion.description,
            "place": suggestion.place,
            "organisation": "",
            "described_in": suggestion.described_in,
            "status": "under-behandling",
            "decline_reason": "",
            **SENDER,
            "_make_draft": "1",
            "edit_snapshot": page.context["edit_snapshot"],
        },
        follow=True,
    )

    assert 'name="_make_draft"' in page.text
    suggestion.refresh_from_db()
    draft = suggestion.became
    assert suggestion.status == Suggestion.Status.ADDED
    assert draft.status == Initiative.Status.DRAFT
    assert (draft.name, draft.place) == ("Tandpleje på værestedet", "Aarhus")
    assert draft.description == suggestion.description
    assert response.redirect_chain[-1][0].endswith(
        f"/admin/initiatives/initiative/{draft.pk}/change/"
    )
    assert "Årsrapport 2024 fra Værestedet" in response.text  # the message and inline
    assert "vibeke@example.org" not in response.text
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def suggestion_form(suggestion: Suggestion, snapshot: str, **changes) -> dict:
    return {
        "name": suggestion.name,
        "description": suggestion.description,
        "status": suggestion.status,
        "decline_reason": "",
        "edit_snapshot": snapshot,
        **changes,
    }


def test_a_suggestion_is_declined_only_with_a_reason(client, curator):
    suggestion = make_suggestion()
    url = f"/admin/initiatives/suggestion/{suggestion.pk}/change/"
    snapshot = client.get(url).context["edit_snapshot"]
    response = client.post(
        url, suggestion_form(suggestion, snapshot, status="afvist", decline_reason="")
    )

    assert "Skriv, hvorfor forslaget er afvist." in response.text
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.NEW


def test_an_existing_curator_group_gets_the_permissions_of_new_models():
    group = curator_group()
    group.permissions.remove(
        *Permission.objects.filter(codename__endswith="suggestion")
    )

    keep_curators_up_to_date(sender=None)

    assert group.permissions.filter(codename="change_suggestion").exists()
    assert group.name == CURATOR_GROUP


def test_after_180_days_handled_suggestions_go_and_open_ones_lose_the_sender():
    long_ago = timezone.now() - timedelta(days=181)
    initiative = make_initiative()
    declined = make_suggestion(
        status="afvist", decline_reason="Findes allerede.", received=long_ago, **SENDER
    )
    added = make_suggestion(
        status="tilfoejet", became=initiative, received=long_ago, **SENDER
    )
    open_old = make_suggestion(received=long_ago, **SENDER)
    recent = make_suggestion(**SENDER)

    call_command("purge_suggestions", verbosity=0)

    remaining = Suggestion.objects.in_bulk()
    assert declined.pk not in remaining and added.pk not in remaining
    assert (
        remaining[open_old.pk].sender_name,
        remaining[open_old.pk].sender_email,
    ) == (
        "",
        "",
    )
    assert remaining[recent.pk].sender_email == "vibeke@example.org"


def test_merging_initiatives_keeps_what_suggestions_point_at():
    keep = make_initiative(slug="beholdes", name="Beholdes")
    duplicate = make_initiative(slug="dubletten", name="Dubletten")
    became = make_suggestion(status="tilfoejet", became=duplicate)
    about = make_suggestion(about=duplicate)

    merge_initiatives(keep, [duplicate])

    became.refresh_from_db()
    about.refresh_from_db()
    assert (became.became, about.about) == (keep, keep)


def test_a_suggestion_does_not_change_the_catalogue_version(client):
    before = CatalogueVersion.current_stamp()
    suggest(client)

    assert CatalogueVersion.current_stamp() == before


def test_a_curator_working_the_queue_loses_no_edit_to_another(client, curator):
    suggestion = make_suggestion()
    url = f"/admin/initiatives/suggestion/{suggestion.pk}/change/"
    first = client.get(url).context["edit_snapshot"]
    second = client.get(url).context["edit_snapshot"]

    declined = client.post(
        url,
        suggestion_form(
            suggestion, first, status="afvist", decline_reason="Findes allerede."
        ),
    )
    in_review = client.post(
        url, suggestion_form(suggestion, second, status="under-behandling")
    )
    without_snapshot = client.post(
        url, suggestion_form(suggestion, "", status="under-behandling")
    )

    assert declined.status_code == 302
    assert in_review.status_code == 200
    assert "er blevet gemt af en anden" in in_review.text
    assert "Formularen mangler sit udgangspunkt" in without_snapshot.text
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.DECLINED

"""The admin as curators use it: roles, drafts, history, privacy, quality, merges."""

from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from initiatives.curation.merging import merge_initiatives
from initiatives.curation.roles import CURATOR_GROUP, curator_group
from initiatives.models import (
    Initiative,
    Involvement,
    Organisation,
    Outcome,
    TargetGroup,
)

from .conftest import (
    empty_inlines,
    make_full_initiatives,
    make_initiative,
    make_organisation,
    make_reference,
    opened_at,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:initiatives_initiative_changelist")


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_anonymous_visitors_get_the_admin_login(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_the_curator_group_see_no_catalogue_content(client):
    client.force_login(User.objects.create_user("gaest", password="x", is_staff=True))

    assert client.get(CHANGELIST).status_code == 403
    assert "Indsatser" not in client.get(reverse("admin:index")).text


def test_curators_keep_content_but_cannot_manage_accounts(client, curator):
    assert client.get(CHANGELIST).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    codenames = set(
        curator_group().permissions.values_list("content_type__app_label", flat=True)
    )
    assert codenames == {"initiatives"}


def test_the_create_curator_command_makes_a_working_login(client):
    from django.core.management import call_command

    call_command("create_curator", "ny-kurator", "--password", "Lang-nok-adgangskode-2")

    user = User.objects.get(username="ny-kurator")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=CURATOR_GROUP).exists()
    assert user.check_password("Lang-nok-adgangskode-2")


def test_an_initiative_is_edited_on_one_page_with_all_its_parts(client, curator):
    initiative = Initiative.objects.get(slug="sammen-om-min-vej")

    page = client.get(change_url(initiative)).text

    for inline in ["references", "category_assignments", "involvements", "outcomes"]:
        assert f'id="{inline}-group"' in page
    assert "Kontakt (kun for kuratorer, aldrig offentlig)" in page


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status__exact=kladde",
        "?mangler=kilde",
        "?mangler=resultater",
        "?kategori=tilfoert-ressource",
        "?kilde=003",
        "?organisationstype=kommune",
        "?region=hovedstaden",
        "?q=navigator",
    ],
)
def test_the_initiative_list_filters_and_searches(client, curator, query):
    assert client.get(CHANGELIST + query).status_code == 200


@pytest.mark.parametrize("lacking", ["kilde", "maalgruppe", "kategori", "resultater"])
def test_the_missing_filter_lists_only_initiatives_lacking_that_part(
    client, curator, lacking
):
    bare = make_initiative(slug="uden-noget", name="Uden noget")
    [full] = make_full_initiatives(1)  # lacks nothing

    missing = client.get(f"{CHANGELIST}?mangler={lacking}").context["cl"].result_list

    assert bare in missing
    assert full not in missing


def test_the_initiative_list_runs_the_same_queries_for_any_page_size(
    client, curator, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        client.get(CHANGELIST + "?all=")


def test_a_new_initiative_starts_as_a_draft_and_stays_private(client, curator):
    response = client.post(
        reverse("admin:initiatives_initiative_add"),
        {
            "name": "Ny hemmelig indsats",
            "slug": "ny-hemmelig-indsats",
            "status": "kladde",
            "summary": "Endnu ikke offentlig.",
            **empty_inlines(),
        },
    )
    assert response.status_code == 302, response.context and response.context.get(
        "errors"
    )
    draft = Initiative.objects.get(slug="ny-hemmelig-indsats")
    assert draft.status == Initiative.Status.DRAFT
    assert "ny hemmelig indsats" in draft.search_text

    preview = client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "Forhåndsvisning" in preview.text

    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    for path in [
        "/",
        "/initiativer/",
        "/initiativer/?q=hemmelig",
        "/initiativer/eksport.csv",
    ]:
        response = client.get(path)
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        assert b"Ny hemmelig indsats" not in body


def test_every_change_is_recorded_with_who_and_what_and_can_be_reverted(
    client, curator
):
    initiative = make_initiative(slug="historik", summary="Før.")

    client.post(
        change_url(initiative),
        {
            "name": initiative.name,
            "slug": initiative.slug,
            "status": initiative.status,
            "summary": "Efter ændringen.",
            **empty_inlines(),
            **opened_at(client, change_url(initiative)),
        },
    )
    latest, earlier = initiative.history.all()[:2]
    delta = latest.diff_against(earlier)

    assert latest.history_user == curator
    assert [change.field for change in delta.changes] == ["summary"]
    history = reverse("admin:initiatives_initiative_history", args=[initiative.pk])
    assert client.get(history).status_code == 200

    revert = reverse(
        "admin:initiatives_initiative_simple_history",
        args=[initiative.pk, earlier.history_id],
    )
    form = client.get(revert)
    assert form.status_code == 200
    assert "Før." in form.text

    client.post(
        revert,
        {
            "name": initiative.name,
            "slug": initiative.slug,
            "status": initiative.status,
            "summary": "Før.",
            **empty_inlines(),
            "edit_snapshot": form.context["edit_snapshot"],
        },
    )
    initiative.refresh_from_db()
    assert initiative.summary == "Før."


def test_contact_details_are_shown_to_curators_only(client, curator):
    initiative = Initiative.objects.exclude(contact_email="").first()

    assert initiative.contact_email in client.get(change_url(initiative)).text
    client.logout()
    assert (
        initiative.contact_email not in client.get(initiative.get_absolute_url()).text
    )


def test_repeated_failed_logins_lock_the_account(client):
    User.objects.create_user("laast", password="Rigtig-adgangskode-9", is_staff=True)
    login = reverse("admin:login")
    for _attempt in range(5):
        client.post(login, {"username": "laast", "password": "forkert"})

    response = client.post(
        login, {"username": "laast", "password": "Rigtig-adgangskode-9"}
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_quality_filters_find_what_is_missing_and_duplicated(client, curator):
    bare = make_initiative(slug="uden-noget", name="Uden noget")
    make_organisation(name="Dobbelt Forening", slug="dobbelt-1")
    make_organisation(name="dobbelt forening ", slug="dobbelt-2")

    missing = client.get(CHANGELIST + "?mangler=kilde").context["cl"].result_list
    duplicates = (
        client.get(
            reverse("admin:initiatives_organisation_changelist") + "?dubletter=ja"
        )
        .context["cl"]
        .result_list
    )

    assert list(missing) == [bare]
    assert {org.slug for org in duplicates} == {"dobbelt-1", "dobbelt-2"}


def test_merging_organisations_moves_every_link(client, curator):
    keep = make_organisation(name="Foreningen", slug="foreningen")
    duplicate = make_organisation(name="Foreningen (dublet)", slug="foreningen-dublet")
    initiative = make_initiative(slug="med-dublet")
    Involvement.objects.create(
        initiative=initiative, organisation=duplicate, role="partner"
    )
    url = reverse("admin:initiatives_organisation_changelist")
    selected = {"action": "merge", "_selected_action": [keep.pk, duplicate.pk]}

    confirm = client.post(url, selected)
    done = client.post(url, {**selected, "keep": keep.pk})

    assert "Læg organisationer sammen" in confirm.text
    assert done.status_code == 302
    assert not Organisation.objects.filter(slug="foreningen-dublet").exists()
    assert initiative.involvements.get().organisation == keep


def test_merging_initiatives_keeps_references_and_outcomes():
    keep = make_initiative(slug="beholdes", name="Beholdes")
    duplicate = make_initiative(slug="dublet", name="Dublet", start_year=2015)
    reference = make_reference(duplicate, locator="Bilag 1, række 3")
    Outcome.objects.create(
        initiative=duplicate,
        reference=reference,
        position=1,
        text="Godt",
        kind="kvalitativ",
    )

    merge_initiatives(keep, [duplicate])

    keep.refresh_from_db()
    assert keep.references.get().locator == "Bilag 1, række 3"
    assert keep.outcomes.get().text == "Godt"
    assert keep.start_year == 2015
    assert not Initiative.objects.filter(slug="dublet").exists()


def test_merging_takes_a_period_the_kept_record_lacks_with_the_curators_note():
    keep = make_initiative(slug="beholdes", name="Beholdes")
    duplicate = make_initiative(
        slug="dublet",
        name="Dublet",
        period_text="2019; hvornår indsatsen startede, er ikke angivet",
        period_curator_note="Bilag 1's årstal er kildens år.",
    )
    dated = make_initiative(
        slug="dateret", name="Dateret", period_text="2015-2017", period_curator_note=""
    )
    other = make_initiative(
        slug="anden", name="Anden", period_text="2020", period_curator_note="Fra 003."
    )

    merge_initiatives(keep, [duplicate])
    merge_initiatives(dated, [other])

    keep.refresh_from_db()
    dated.refresh_from_db()
    assert keep.period_text.startswith("2019")
    assert keep.period_curator_note == "Bilag 1's årstal er kildens år."
    assert (dated.period_text, dated.period_curator_note) == ("2015-2017", "")


def test_a_merge_that_fails_midway_changes_nothing():
    keep = make_initiative(slug="beholdes", name="Beholdes")
    duplicate = make_initiative(slug="dublet", name="Dublet")
    make_reference(duplicate)

    with mock.patch(
        "initiatives.curation.merging.refresh_search_text", side_effect=RuntimeError
    ):
        with pytest.raises(RuntimeError):
            merge_initiatives(keep, [duplicate])

    assert Initiative.objects.get(slug="dublet").references.count() == 1
    assert Initiative.objects.get(slug="beholdes").references.count() == 0


def test_curators_export_the_selected_initiatives_with_the_public_writer(
    client, curator
):
    draft = make_initiative(
        slug="kurator-kladde", name="Kuratorens kladde", status="kladde"
    )
    chosen = Initiative.objects.get(slug="sammen-om-min-vej")

    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [draft.pk, chosen.pk]}
    )
    text = response.getvalue().decode()

    assert response["Content-Disposition"].startswith(
        'attachment; filename="initiativer-'
    )
    assert text.startswith("\ufeffid;slug;url;navn;")
    assert text.count("\r\n") == 3
    assert "kurator-kladde" in text and "sammen-om-min-vej" in text


def test_curators_hold_no_permission_on_history_rows_or_the_catalogue_version():
    codenames = set(curator_group().permissions.values_list("codename", flat=True))

    assert "change_initiative" in codenames
    assert not {c for c in codenames if "historical" in c or "catalogueversion" in c}


def test_a_curator_reads_an_initiatives_history_without_history_permissions(
    client, curator
):
    initiative = Initiative.objects.get(slug="sammen-om-min-vej")
    url = reverse("admin:initiatives_initiative_history", args=[initiative.pk])

    assert client.get(url).status_code == 200


def test_a_merge_with_a_keep_that_is_no_number_says_so(client, curator):
    first = make_organisation(name="Forening A", slug="forening-a")
    second = make_organisation(name="Forening B", slug="forening-b")
    url = reverse("admin:initiatives_organisation_changelist")
    selected = {"action": "merge", "_selected_action": [first.pk, second.pk]}

    response = client.post(url, {**selected, "keep": "abc"}, follow=True)

    assert response.status_code == 200
    assert "Vælg en af de markerede." in response.text
    assert Organisation.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


def test_a_merge_keeps_every_move_in_the_history():
    keep = make_initiative(slug="beholdes", name="Beholdes")
    duplicate = make_initiative(slug="dublet", name="Dublet")
    reference = make_reference(duplicate, locator="Bilag 1, række 3")
    outcome = Outcome.objects.create(
        initiative=duplicate,
        reference=reference,
        position=1,
        text="Godt",
        kind="kvalitativ",
    )

    merge_initiatives(keep, [duplicate])

    assert outcome.history.latest().initiative_id == keep.pk
    assert reference.history.latest().initiative_id == keep.pk


def test_a_curator_can_delete_an_initiative_with_all_its_parts(client, curator):
    initiative = Initiative.objects.get(
        slug="360-grader-rundt-om-den-saarbare-boernefamilie"
    )
    delete = reverse("admin:initiatives_initiative_delete", args=[initiative.pk])

    response = client.post(delete, {"post": "yes"})

    assert response.status_code == 302
    assert not Initiative.objects.filter(pk=initiative.pk).exists()
    assert not Outcome.objects.filter(initiative_id=initiative.pk).exists()


def test_a_reference_that_results_cite_cannot_be_deleted_on_its_own():
    from django.db.models import RestrictedError

    reference = Outcome.objects.first().reference

    with pytest.raises(RestrictedError):
        reference.delete()


def failed_login(client, username: str, address: str = "203.0.113.9"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": "forkert"},
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR=f"198.51.100.1, {address}",
    )


def test_behind_the_proxy_one_clients_failures_do_not_lock_out_another(
    client, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_user("kurator2", password="Rigtig-adgangskode-9", is_staff=True)
    for _attempt in range(5):
        failed_login(client, "kurator2", address="203.0.113.66")

    response = client.post(
        reverse("admin:login"),
        {"username": "kurator2", "password": "Rigtig-adgangskode-9"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_one_address_trying_many_usernames_is_locked_out_of_each(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_user("gaet-1", password="Rigtig-adgangskode-9", is_staff=True)
    for attempt in range(20):
        failed_login(client, f"gaet-{attempt % 6}")

    # gaet-1 has failed four times, below the limit of five for one username.
    response = client.post(
        reverse("admin:login"),
        {"username": "gaet-1", "password": "Rigtig-adgangskode-9"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_forged_forwarded_address_does_not_escape_the_lock(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(20):
        failed_login(client, f"gaet-{attempt}", address="203.0.113.9")

    # The client puts a new address first each time; the proxy appends the real one.
    response = client.post(
        reverse("admin:login"),
        {"username": "hvemsomhelst", "password": "forkert"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9",
    )

    assert response.status_code == 429


def initiative_form(initiative: Initiative, **changes) -> dict:
    fields = {
        "name": initiative.name,
        "slug": initiative.slug,
        "status": initiative.status,
        "summary": initiative.summary,
        "place": initiative.place,
        "target_groups": [g.pk for g in initiative.target_groups.all()],
        **empty_inlines(),
    }
    return {**fields, **changes}


def test_a_save_on_an_older_form_is_refused_and_keeps_the_second_curators_input(
    client, curator
):
    initiative = make_initiative(slug="to-kuratorer", name="To kuratorer")
    url = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
    first_snapshot = client.get(url).context["edit_snapshot"]
    second_snapshot = client.get(url).context["edit_snapshot"]
    group = TargetGroup.objects.get(slug="hjemloese")

    first = client.post(
        url,
        initiative_form(
            initiative,
            summary="Nyt resumé fra den første.",
            target_groups=[group.pk],
            edit_snapshot=first_snapshot,
        ),
    )
    second = client.post(
        url,
        initiative_form(initiative, place="Aarhus", edit_snapshot=second_snapshot),
    )

    assert first.status_code == 302, first.context["adminform"].form.errors
    assert second.status_code == 200
    assert "er blevet gemt af en anden" in second.text
    assert "Nyt resumé fra den første." in second.text  # what changed meanwhile
    assert "målgrupper" in second.text
    assert second.context["adminform"].form["place"].value() == "Aarhus"
    initiative.refresh_from_db()
    assert initiative.summary == "Nyt resumé fra den første."
    assert initiative.place == ""
    assert list(initiative.target_groups.all()) == [group]

    # Having seen the changes, the second curator saves from the refreshed form.
    again = client.post(
        url,
        initiative_form(
            initiative,
            place="Aarhus",
            edit_snapshot=second.context["edit_snapshot"],
        ),
    )
    assert again.status_code == 302
    initiative.refresh_from_db()
    assert initiative.place == "Aarhus"
    assert initiative.summary == "Nyt resumé fra den første."


def test_a_part_added_meanwhile_also_refuses_a_save_on_an_older_form(client, curator):
    initiative = make_initiative(slug="med-del", name="Med del")
    url = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
    snapshot = client.get(url).context["edit_snapshot"]
    make_reference(initiative, locator="Bilag 9")  # saved elsewhere meanwhile

    response = client.post(
        url, initiative_form(initiative, place="Odense", edit_snapshot=snapshot)
    )

    assert response.status_code == 200
    assert "kildehenvisninger" in response.text


def test_a_save_without_the_forms_snapshot_is_refused(client, curator):
    initiative = make_initiative(slug="uden-udgangspunkt", name="Uden udgangspunkt")
    url = change_url(initiative)
    client.post(
        url, initiative_form(initiative, place="Aarhus", **opened_at(client, url))
    )

    # A form from before that save, posted without its snapshot field.
    stale = client.post(url, initiative_form(initiative, place=""))

    assert stale.status_code == 200
    assert "Formularen mangler sit udgangspunkt" in stale.text
    initiative.refresh_from_db()
    assert initiative.place == "Aarhus"


def test_a_revert_opened_before_a_newer_edit_is_refused(client, curator):
    initiative = make_initiative(slug="tilbage", name="Tilbage", summary="Først.")
    url = change_url(initiative)
    client.post(
        url, initiative_form(initiative, summary="Så.", **opened_at(client, url))
    )
    first = initiative.history.earliest()
    revert = reverse(
        "admin:initiatives_initiative_simple_history",
        args=[initiative.pk, first.history_id],
    )
    revert_form = opened_at(client, revert)
    client.post(
        url, initiative_form(initiative, summary="Til sidst.", **opened_at(client, url))
    )

    refused = client.post(
        revert, initiative_form(initiative, summary="Først.", **revert_form)
    )
    reverted = client.post(
        revert,
        initiative_form(initiative, summary="Først.", **opened_at(client, revert)),
    )

    assert refused.status_code == 200
    assert "er blevet gemt af en anden" in refused.text
    assert reverted.status_code == 302
    initiative.refresh_from_db()
    assert initiative.summary == "Først."


def test_every_admin_of_the_app_guards_against_lost_edits():
    from django.contrib import admin as django_admin

    from initiatives.curation.edits import CatalogueAdmin, LosesNoEdit
    from initiatives.models import Suggestion

    for model, model_admin in django_admin.site._registry.items():
        if model._meta.app_label == "initiatives":
            assert isinstance(model_admin, LosesNoEdit), model
        # Visitors' suggestions are not catalogue content and keep no history, which
        # would keep their senders' details past the 180 days.
        if model._meta.app_label == "initiatives" and model is not Suggestion:
            assert isinstance(model_admin, CatalogueAdmin), model


def reference_choices(page_context, inline_prefix: str) -> list[str]:
    formset = next(
        f.formset
        for f in page_context["inline_admin_formsets"]
        if f.formset.prefix == inline_prefix
    )
    field = formset.empty_form.fields["reference"]
    return [label for value, label in field.choices if value]


def test_a_results_reference_choices_are_the_initiatives_own(client, curator):
    initiative = Initiative.objects.get(slug="sammen-om-min-vej")
    own = initiative.references.count()

    page = client.get(change_url(initiative))

    for prefix in ["outcomes", "category_assignments"]:
        labels = reference_choices(page.context, prefix)
        assert len(labels) == own
        assert all(len(label) <= 60 for label in labels)


def test_on_an_add_page_no_reference_is_offered_and_the_curator_is_told_why(
    client, curator
):
    page = client.get(reverse("admin:initiatives_initiative_add"))

    assert reference_choices(page.context, "outcomes") == []
    assert "Gem først indsatsen med dens kildehenvisninger" in page.text


def test_years_in_admin_lists_have_no_thousands_separator(client, curator):
    initiative = Initiative.objects.exclude(start_year=None).first()

    page = client.get(CHANGELIST + f"?q={initiative.slug}").text

    year = str(initiative.start_year)
    assert f">{year}<" in page
    assert f">{year[0]}.{year[1:]}<" not in page


def test_create_curator_asks_for_the_password_twice(client):
    from django.core.management import CommandError, call_command

    with mock.patch("getpass.getpass", side_effect=["Lang-nok-1-kode", "Andet"]):
        with pytest.raises(CommandError):
            call_command("create_curator", "tastefejl")
    assert not User.objects.filter(username="tastefejl").exists()

    with mock.patch("getpass.getpass", side_effect=["Lang-nok-1-kode"] * 2):
        call_command("create_curator", "ens")
    assert User.objects.get(username="ens").check_password("Lang-nok-1-kode")


def test_a_curator_on_a_public_page_gets_an_edit_link(client, curator):
    initiative = Initiative.objects.get(slug="sammen-om-min-vej")

    page = client.get(initiative.get_absolute_url()).text

    assert f'href="{change_url(initiative)}"' in page


def test_an_anonymous_visitor_gets_no_edit_link(client):
    initiative = Initiative.objects.get(slug="sammen-om-min-vej")

    page = client.get(initiative.get_absolute_url()).text

    assert "/admin/" not in page


def test_the_initiative_list_sorts_by_its_number_of_source_references(client, curator):
    page = client.get(CHANGELIST)
    header = page.text.split('class="sortable column-reference_count')[1]
    column = page.context["cl"].list_display.index("reference_count")
    by_sources = client.get(f"{CHANGELIST}?o=-{column}")

    assert ">Kilder</a>" in header.split("</th>")[0]
    counts = [
        initiative.references_n for initiative in by_sources.context["cl"].result_list
    ]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] > counts[-1]

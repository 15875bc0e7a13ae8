"""The admin at the catalogue's size: every kind of admin page and the saves that
touch many initiatives, timed in-process with Django's test client as a superuser.

Run against a copy of the catalogue (it changes nothing: everything, the superuser
included, happens in one transaction that is rolled back):

    DEBUG=false SECRET_KEY=x DATABASE_URL=... .venv/bin/python bench/admin_times.py

Prints the slowest pages with their time and query count, then each save's time and
query count, and how long bringing the search texts up to date after it takes
(`--no-catch-up` leaves that out: it takes minutes at 100,000 initiatives).
"""

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalogue.settings")
os.environ.setdefault("SECRET_KEY", "bench-admin-times")

import django  # noqa: E402  (the project must be on the path first)

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)

from initiatives.models import (  # noqa: E402
    Category,
    Initiative,
    Organisation,
    SourceDocument,
    Synonym,
    TargetGroup,
)
from initiatives.search.stale import refresh_stale  # noqa: E402

SHOWN = 15
ADMIN = "/admin/initiatives"


def most(model, relation: str):
    return model.objects.annotate(n=Count(relation)).order_by("-n", "pk").first()


def pages() -> dict[str, str]:
    initiative = most(Initiative, "references")
    organisation = most(Organisation, "involvements")
    group = most(TargetGroup, "initiatives")
    category = Category.objects.get(name="Organisering")
    document = most(SourceDocument, "references")
    lists = [
        "initiative",
        "organisation",
        "targetgroup",
        "category",
        "sourcedocument",
        "sourcereference",
        "outcome",
        "synonym",
        "region",
    ]
    found = {f"list {name}": f"{ADMIN}/{name}/" for name in lists}
    found |= {f"add {name}": f"{ADMIN}/{name}/add/" for name in lists}
    found |= {f"search {name}": f"{ADMIN}/{name}/?q=sundhed" for name in lists}
    for name, obj in [
        ("initiative", initiative),
        ("organisation", organisation),
        ("targetgroup", group),
        ("category", category),
        ("sourcedocument", document),
    ]:
        found[f"change {name}"] = f"{ADMIN}/{name}/{obj.pk}/change/"
        found[f"history {name}"] = f"{ADMIN}/{name}/{obj.pk}/history/"
    filters = {
        "status": "offentliggjort",
        "evidence_level": "evalueret",
        "mangler": "kilde",
        "kategori": category.slug,
        "region": "hovedstaden",
        "organisationstype": "kommune",
        "kilde": document.slug,
        "scope": "lokal",
    }
    for key, value in filters.items():
        found[f"filter initiative {key}"] = f"{ADMIN}/initiative/?{key}={value}"
    found["filter organisation dubletter"] = f"{ADMIN}/organisation/?dubletter=ja"
    found["filter outcome document"] = (
        f"{ADMIN}/outcome/?reference__document__id__exact={document.pk}"
    )
    found["filter reference document"] = (
        f"{ADMIN}/sourcereference/?document__id__exact={document.pk}"
    )
    for model, field in [
        ("involvement", "organisation"),
        ("organisation", "parent"),
        ("outcome", "initiative"),
        ("outcome", "reference"),
        ("sourcereference", "initiative"),
    ]:
        query = urlencode(
            {
                "app_label": "initiatives",
                "model_name": model,
                "field_name": field,
                "term": "sund",
            }
        )
        found[f"autocomplete {model}.{field}"] = f"/admin/autocomplete/?{query}"
    return found


def timed(client: Client, method: str, url: str, data=None) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = getattr(client, method)(url, data, secure=True)
        seconds = time.perf_counter() - start
    return seconds, len(queries), response.status_code


def form_data(response) -> dict:
    """What the browser would post back from a change form, unchanged."""
    data = {"edit_snapshot": response.context["edit_snapshot"]}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += formset.forms
        management = formset.management_form
        data |= {
            management.add_prefix(name): management[name].value()
            for name in management.fields
        }
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value
    return data


def saves() -> list[tuple[str, object, dict]]:
    """(what, record, fields to change) for the saves curators wait on."""
    organisation = most(Organisation, "involvements")
    group = most(TargetGroup, "initiatives")
    category = Category.objects.get(name="Organisering")
    synonym = Synonym.objects.order_by("pk").first()
    initiative = most(Initiative, "references")
    return [
        ("organisation renamed", organisation, {"name": organisation.name + " X"}),
        ("target group renamed", group, {"name_en": group.name_en + " X"}),
        ("category Organisering renamed", category, {"name": "Organiseringen"}),
        ("category Organisering, definition", category, {"definition": "Ny."}),
        ("synonym changed", synonym, {"means": synonym.means + " x"}),
        ("initiative (most references)", initiative, {"place": "Aarhus"}),
    ]


def merge() -> tuple[str, dict]:
    """The second largest organisation merged into the largest, from the list."""
    keep, duplicate = Organisation.objects.annotate(n=Count("involvements")).order_by(
        "-n", "pk"
    )[:2]
    what = f"merge of organisations ({duplicate.n:,} involvements moved)"
    data = {"action": "merge", "_selected_action": [keep.pk, duplicate.pk]}
    return what, data | {"keep": keep.pk}


def main() -> None:
    setup_test_environment()  # so that responses carry their context
    catch_up = "--no-catch-up" not in sys.argv[1:]
    print(f"{Initiative.objects.count():,} initiatives on {connection.vendor}")
    with transaction.atomic():
        try:
            measure(catch_up)
        finally:
            transaction.set_rollback(True)


def measure(catch_up: bool) -> None:
    user = User.objects.create_superuser("bench-admin", password="x")
    client = Client()
    client.force_login(user)
    rows = []
    for name, url in pages().items():
        rows.append((*timed(client, "get", url), name))
    rows.sort(reverse=True)
    print(f"\nslowest admin pages (of {len(rows)})")
    for seconds, queries, status, name in rows[:SHOWN]:
        print(f"{seconds * 1000:9.0f} ms {queries:5d} queries  {status}  {name}")
    print("\nsaves; then the search texts' catch-up that follows the commit")
    for what, obj, changes in saves():
        url = f"{ADMIN}/{obj._meta.model_name}/{obj.pk}/change/"
        data = form_data(client.get(url, secure=True)) | changes
        report(what, timed(client, "post", url, data), catch_up)
    what, data = merge()
    report(what, timed(client, "post", f"{ADMIN}/organisation/", data), catch_up)


def report(what: str, measured: tuple[float, int, int], catch_up: bool) -> None:
    seconds, queries, status = measured
    line = f"{seconds * 1000:9.0f} ms {queries:5d} queries  {status}  {what}"
    if catch_up:
        start = time.perf_counter()
        made = refresh_stale()  # what follows the commit, which never comes
        after = time.perf_counter() - start
        line += f"; catch-up {after:.1f} s for {made:,} initiatives"
    print(line)


if __name__ == "__main__":
    from django.conf import settings

    # Static files' names do not matter here: no collectstatic needed.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    main()

"""The open-data pages: the data package and its changelog, the licence and how to
cite, and robots.txt."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..models import CatalogueVersion, SourceDocument
from ..site import absolute_url
from .built_files import package_response
from .changelog import changelog
from .datapackage import LICENCE, TABLE_ROWS
from .fields import TABLE_FIELDS, TABLE_TITLES


@require_safe
def data_page(request):
    tables = [
        (table, *TABLE_TITLES[table], TABLE_FIELDS[table]) for table in TABLE_ROWS
    ]
    return render(
        request,
        "initiatives/data.html",
        {
            "version": CatalogueVersion.number_and_stamp()[0],
            "tables": tables,
            "changelog": changelog(),
            "licence": LICENCE,
        },
    )


@require_safe
def data_download(request, kind: str):
    """The package for the current catalogue version, named by version and date; a
    page saying it is being built while the task worker builds it."""
    response = package_response(kind)
    if response is None:
        version = CatalogueVersion.number_and_stamp()[0]
        response = render(
            request, "initiatives/data_building.html", {"version": version}, status=503
        )
        response["Retry-After"] = "60"
        # Expected, and said on the page: no error for the log or ADMINS' mail.
        response._has_been_logged = True
    return response


@require_safe
def licence_and_citation(request):
    return render(
        request,
        "initiatives/licence.html",
        {
            "version": CatalogueVersion.number_and_stamp()[0],
            "licence": LICENCE,
            "sources": SourceDocument.objects.published().order_by("code"),
        },
    )


@require_safe
def robots_txt(request):
    sitemap = absolute_url(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /initiativer/eksport.csv",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")

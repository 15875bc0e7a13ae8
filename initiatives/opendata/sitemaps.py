"""sitemap.xml: every public page, in Danish and English, on SITE_URL."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import site
from ..models import Category, Initiative, Organisation, SourceDocument, TargetGroup


class CatalogueSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Each item is listed once per language with both alternates, so a file of 5,000
    # items holds 10,000 addresses (the limit is 50,000) and is rendered in a few MB.
    limit = 5_000

    # Django's sitemap view passes the request's scheme and host; the site's are
    # in SITE_URL.
    def get_protocol(self, protocol=None) -> str:
        return site.scheme()

    def get_domain(self, site_=None) -> str:
        return site.host()


class PageSitemap(CatalogueSitemap):
    def items(self) -> list[str]:
        return [
            "initiatives:home",
            "initiatives:initiative_list",
            "initiatives:organisation_list",
            "initiatives:targetgroup_list",
            "initiatives:category_list",
            "initiatives:sourcedocument_list",
            "initiatives:evidence_scale",
            "initiatives:export_help",
            "initiatives:data",
            "initiatives:licence",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


def records(queryset):
    class RecordSitemap(CatalogueSitemap):
        def items(self):
            return queryset.only("slug").order_by("pk")

    return RecordSitemap


SITEMAPS = {
    "sider": PageSitemap,
    "indsatser": records(Initiative.objects.published()),
    "organisationer": records(Organisation.objects.public()),
    "maalgrupper": records(TargetGroup.objects.all()),
    "kategorier": records(Category.objects.all()),
    "kilder": records(SourceDocument.objects.published()),
}


@x_robots_tag
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """Django's sitemap index (django.contrib.sitemaps.views.index), which takes the
    host from the request, with each section's files on SITE_URL instead."""
    files = []
    for section, sitemap in SITEMAPS.items():
        url = site.absolute_url(reverse("sitemap_section", args=[section]))
        pages = sitemap().paginator.num_pages
        files += [url, *(f"{url}?p={page}" for page in range(2, pages + 1))]
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": [SitemapIndexItem(url) for url in files]},
        content_type="application/xml",
    )

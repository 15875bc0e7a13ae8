"""sitemap.xml: every public page, in Danish and English."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Category, Initiative, Organisation, SourceDocument, TargetGroup


class CatalogueSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Each item is listed once per language with both alternates, so a file of 5,000
    # items holds 10,000 addresses (the limit is 50,000) and is rendered in a few MB.
    limit = 5_000


class PageSitemap(CatalogueSitemap):
    def items(self) -> list[str]:
        return [
            "initiatives:home",
            "initiatives:initiative_list",
            "initiatives:organisation_list",
            "initiatives:targetgroup_list",
            "initiatives:category_list",
            "initiatives:sourcedocument_list",
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
    "organisationer": records(Organisation.objects.all()),
    "maalgrupper": records(TargetGroup.objects.all()),
    "kategorier": records(Category.objects.all()),
    "kilder": records(SourceDocument.objects.all()),
}

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from initiatives.opendata.sitemaps import SITEMAPS, sitemap_index
from initiatives.opendata.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("initiatives.api.urls")),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    *i18n_patterns(
        path("", include("initiatives.urls")),
        prefix_default_language=False,
    ),
]

handler400 = "initiatives.faults.bad_request"
handler403 = "initiatives.faults.permission_denied"
handler404 = "initiatives.faults.page_not_found"
handler500 = "initiatives.faults.server_error"

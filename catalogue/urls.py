from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *i18n_patterns(
        path("", include("initiatives.urls")),
        prefix_default_language=False,
    ),
]

handler500 = "initiatives.faults.server_error"

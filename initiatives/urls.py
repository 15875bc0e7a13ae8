from django.urls import path, re_path

from . import views
from .opendata import views as open_data
from .opendata.feeds import InitiativeFeed
from .sources import views as reading
from .suggestions import views as suggestions

app_name = "initiatives"

urlpatterns = [
    path("", views.home, name="home"),
    path("initiativer/", views.initiative_list, name="initiative_list"),
    path("initiativer/eksport.csv", views.initiative_export, name="initiative_export"),
    path("initiativer/eksport/", views.export_help, name="export_help"),
    path("initiativer/nyt.atom", InitiativeFeed(), name="initiative_feed"),
    path(
        "initiativer/<slug:slug>/",
        views.InitiativeDetailView.as_view(),
        name="initiative_detail",
    ),
    path(
        "organisationer/",
        views.OrganisationListView.as_view(),
        name="organisation_list",
    ),
    path(
        "organisationer/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path("maalgrupper/", views.target_group_list, name="targetgroup_list"),
    path(
        "maalgrupper/<slug:slug>/", views.target_group_detail, name="targetgroup_detail"
    ),
    path("kategorier/", views.category_list, name="category_list"),
    path("kategorier/<slug:slug>/", views.category_detail, name="category_detail"),
    path("kilder/", views.sourcedocument_list, name="sourcedocument_list"),
    path(
        "kilder/<slug:slug>/",
        views.sourcedocument_detail,
        name="sourcedocument_detail",
    ),
    path("om/evidens/", views.evidence_scale, name="evidence_scale"),
    path("om/privatliv/", views.privacy, name="privacy"),
    path("foreslaa/", suggestions.suggest, name="suggest"),
    path("foreslaa/tak/", suggestions.thanks, name="suggest_thanks"),
    path("data/", open_data.data_page, name="data"),
    re_path(
        r"^data/lighedskataloget\.(?P<kind>zip|json)$",
        open_data.data_download,
        name="data_download",
    ),
    path("licens/", open_data.licence_and_citation, name="licence"),
    path(
        "kilder/<slug:slug>/tekst/",
        reading.sourcedocument_text,
        name="sourcedocument_text",
    ),
    path(
        "kilder/<slug:slug>/linje-<int:start>-<int:end>/",
        reading.passage,
        name="passage",
    ),
]

from django.urls import path

from . import reading, views

app_name = "initiatives"

urlpatterns = [
    path("", views.home, name="home"),
    path("initiativer/", views.InitiativeListView.as_view(), name="initiative_list"),
    path("initiativer/eksport.csv", views.initiative_export, name="initiative_export"),
    path("initiativer/eksport/", views.export_help, name="export_help"),
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
    path("kilder/", views.source_list, name="source_list"),
    path("kilder/<slug:slug>/", views.source_detail, name="source_detail"),
    path("kilder/<slug:slug>/tekst/", reading.source_text, name="source_text"),
    path(
        "kilder/<slug:slug>/linje-<int:start>-<int:end>/",
        reading.passage,
        name="passage",
    ),
]

from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "initiativer/<slug:slug>/",
        views.InitiativeDetailView.as_view(),
        name="initiative_detail",
    ),
]

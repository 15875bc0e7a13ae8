from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("initiativer", views.InitiativeViewSet, basename="initiative")
router.register("organisationer", views.OrganisationViewSet, basename="organisation")
router.register("maalgrupper", views.TargetGroupViewSet, basename="targetgroup")
router.register("kategorier", views.CategoryViewSet, basename="category")
router.register("kilder", views.SourceViewSet, basename="source")
router.register("resultater", views.ResultViewSet, basename="result")

urlpatterns = [
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Ending in a slash, so that an address without one is still redirected first.
    re_path(r"^[\s\S]*/$", views.not_found),
]

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.generic import DetailView

from .models import CategoryAssignment, Initiative


def home(request):
    initiatives = Initiative.objects.published().prefetch_related(
        Prefetch(
            "category_assignments",
            queryset=CategoryAssignment.objects.select_related("category"),
        )
    )
    return render(request, "initiatives/home.html", {"initiatives": initiatives})


class InitiativeDetailView(DetailView):
    queryset = Initiative.objects.published()

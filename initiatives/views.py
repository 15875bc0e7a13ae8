from django.shortcuts import render
from django.views.generic import DetailView

from .models import Initiative


def home(request):
    return render(request, "initiatives/home.html", {})


class InitiativeDetailView(DetailView):
    queryset = Initiative.objects.published()

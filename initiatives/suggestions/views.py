from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from ..models import Initiative, Suggestion
from ..site import absolute_url
from .drafts import notify_curators
from .forms import SuggestionForm, started_token
from .limits import count_one, over_limit


# Never cached, here or downstream: the form carries the visitor's CSRF token.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request: HttpRequest) -> HttpResponse:
    """The public form; nothing sent is shown anywhere until a curator has made
    catalogue content of it."""
    if request.method != "POST":
        initial = {}
        about = request.GET.get("indsats", "")
        if about:
            initial["about"] = Initiative.objects.published().filter(slug=about).first()
        form = SuggestionForm(initial=initial)
        return render_form(request, form, initial.get("about"))
    if over_limit(request):
        return render(request, "initiatives/suggest_limited.html", status=429)
    form = SuggestionForm(request.POST)
    if form.is_from_a_machine:
        # Told it worked, so that it learns nothing; nothing is kept.
        return redirect("initiatives:suggest_thanks")
    if not form.is_valid():
        if form.has_error("started", "stale"):
            form.data = form.data.copy()
            form.data["started"] = started_token()
        return render_form(request, form, form.cleaned_data.get("about"))
    suggestion = form.save()
    count_one(request)
    admin_page = reverse("admin:initiatives_suggestion_change", args=[suggestion.pk])
    notify_curators(suggestion, absolute_url(admin_page))
    return redirect("initiatives:suggest_thanks")


def render_form(request, form: SuggestionForm, about: Initiative | None):
    return render(request, "initiatives/suggest.html", {"form": form, "about": about})


@never_cache
@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "initiatives/suggest_thanks.html",
        {"keep_days": Suggestion.KEEP_CONTACT_DAYS},
    )

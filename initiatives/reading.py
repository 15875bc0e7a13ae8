"""Reading a report: its whole text, page by page, and the passage a locator cites.

Both show the text as `redaction.public_lines` gives it, with every line numbered
and anchored (`#linje-123`), so a locator's line range can be followed in one click.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from .models import Initiative, SourceDocument, SourceReference
from .redaction import public_lines

LINES_PER_PAGE = 500
CONTEXT_LINES = 5


def page_holding(number: int) -> int:
    return (number - 1) // LINES_PER_PAGE + 1


def line_url(document: SourceDocument, number: int) -> str:
    """The whole text at that line: the page holding it, scrolled to its anchor."""
    url = reverse("initiatives:sourcedocument_text", args=[document.slug])
    page = page_holding(number)
    return f"{url}{f'?side={page}' if page > 1 else ''}#linje-{number}"


def numbered_lines(lines: list[tuple], cited: range = range(0)) -> SafeString:
    """The lines as an ordered list, each numbered and anchored, the cited ones
    marked. Built here rather than in a template loop: a passage can hold several
    hundred lines, and this keeps it within its time budget."""
    items = []
    for number, text in lines:
        marked = ' class="cited"' if number in cited else ""
        items.append(
            f'<li id="linje-{number}"{marked}><a class="line-number" '
            f'href="#linje-{number}">{number}</a>'
            f'<span class="line">{escape(text)}</span></li>'
        )
    return mark_safe(f'<ol class="source-text">{"".join(items)}</ol>')


def requested_page(request, page_count: int) -> int:
    try:
        page = int(request.GET.get("side") or 1)
    except ValueError:
        raise Http404("side") from None
    if not 1 <= page <= max(page_count, 1):
        raise Http404("side")
    return page


@require_safe
def sourcedocument_text(request, slug: str):
    document = get_object_or_404(SourceDocument, slug=slug)
    line_count = document.line_count()
    page_count = page_holding(line_count) if line_count else 0
    page = requested_page(request, page_count)
    first = (page - 1) * LINES_PER_PAGE + 1
    last = min(page * LINES_PER_PAGE, line_count)
    return render(
        request,
        "initiatives/sourcedocument_text.html",
        {
            "source": document,
            "lines": numbered_lines(public_lines(document, first, last))
            if line_count
            else "",
            "first": first,
            "last": last,
            "line_count": line_count,
            "pages": [
                (
                    number,
                    (number - 1) * LINES_PER_PAGE + 1,
                    min(number * LINES_PER_PAGE, line_count),
                )
                for number in range(1, page_count + 1)
            ],
            "page": page,
        },
    )


@require_safe
def passage(request, slug: str, start: int, end: int):
    """Lines `start`..`end` highlighted, with some lines around them, and the
    published initiatives whose references cite exactly these lines."""
    document = get_object_or_404(SourceDocument, slug=slug)
    lines = public_lines(document, max(start - CONTEXT_LINES, 1), end + CONTEXT_LINES)
    if start > end or start < 1 or not lines or lines[-1][0] < end:
        raise Http404("linjer")
    references = (
        SourceReference.objects.filter(
            document=document,
            line_start=start,
            line_end=end,
            initiative__in=Initiative.objects.published(),
        )
        .select_related("initiative")
        .order_by("initiative__name", "locator")
    )
    return render(
        request,
        "initiatives/passage.html",
        {
            "source": document,
            "start": start,
            "end": end,
            "lines": numbered_lines(lines, cited=range(start, end + 1)),
            "references": references,
            "whole_text_url": line_url(document, start),
        },
    )

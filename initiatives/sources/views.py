"""Reading a report: its whole text, page by page, and the passage a locator cites.

Both show the text as `redaction.public_lines` gives it, every line anchored
(`#linje-123`) so a locator's line range can be followed in one click: as running text
(`running_text.blocks`, each paragraph's line range in the margin), or, with
`?visning=linjer`, line by line and numbered as the report's text file has it.
"""

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from ..models import Initiative, SourceDocument, SourceReference
from .redaction import public_lines
from .running_text import Block, blocks

LINES_PER_PAGE = 500
CONTEXT_LINES = 5
AS_PRINTED = "linjer"


def readable_documents(request) -> QuerySet:
    """Curators preview a draft report (and the draft initiatives citing it);
    everyone else reads only the published ones."""
    if request.user.has_perm("initiatives.view_sourcedocument"):
        return SourceDocument.objects.all()
    return SourceDocument.objects.published()


def private_if_draft(response: HttpResponse, document: SourceDocument) -> HttpResponse:
    if not document.is_published:
        patch_cache_control(response, private=True, no_store=True)
    return response


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


def running_text(lines: list[tuple], cited: range = range(0)) -> SafeString:
    """The lines as running text: each block with the range of lines it came from in
    its margin, each line's text in a span anchored at its number, the cited ones
    marked. Built in one pass, like `numbered_lines`, for the same reason."""
    page_mark = _("Side %(page)s i den trykte rapport")
    line_words = (_("linje"), pgettext("en række linjer", "linje"))
    parts = []
    for block in blocks(lines):
        if block.kind == "blank":
            parts.append(
                "".join(line_span(piece.number, "", cited) for piece in block.pieces)
            )
            continue
        if block.kind == "lines":
            text = "\n".join(
                line_span(piece.number, piece.text, cited) for piece in block.pieces
            )
        elif block.kind == "page":
            # The mark's lines (an empty line, the number) read as the page number.
            text = "".join(
                line_span(piece.number, "", cited) for piece in block.pieces
            ) + escape(page_mark % {"page": block.page})
        else:
            # The space after a line inside its span, so a cited sentence is
            # highlighted without gaps.
            text = "".join(
                line_span(
                    piece.number, piece.text + ("" if piece.runs_on else " "), cited
                )
                for piece in block.pieces
            )
        cited_block = (
            " holds-cited"
            if cited and any(piece.number in cited for piece in block.pieces)
            else ""
        )
        parts.append(
            f'<div class="block {block.kind}{cited_block}">'
            f"{margin(block, line_words)}<p>{text}</p></div>"
        )
    return mark_safe(f'<div class="running-text">{"".join(parts)}</div>')


def line_span(number: int, text: str, cited: range) -> str:
    marked = ' class="cited"' if number in cited else ""
    return f'<span id="linje-{number}"{marked}>{escape(text)}</span>'


def margin(block: Block, line_words: tuple[str, str]) -> str:
    """The block's line range, a link to its first line (a tap target of its own)."""
    if block.last > block.first:
        word, numbers = line_words[1], f"{block.first}–{block.last}"
    else:
        word, numbers = line_words[0], f"{block.first}"
    return (
        f'<a class="line-range" href="#linje-{block.first}">'
        f'<span class="visually-hidden">{escape(word)} </span>{numbers}</a>'
    )


def shown(view: str):
    return numbered_lines if view == AS_PRINTED else running_text


def requested_view(request) -> str:
    """Which view of the text: running text (""), or `AS_PRINTED`, line by line."""
    view = request.GET.get("visning", "")
    if view not in ("", AS_PRINTED):
        raise Http404("visning")
    return view


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
    document = get_object_or_404(readable_documents(request), slug=slug)
    line_count = document.line_count()
    page_count = page_holding(line_count) if line_count else 0
    page = requested_page(request, page_count)
    view = requested_view(request)
    first = (page - 1) * LINES_PER_PAGE + 1
    last = min(page * LINES_PER_PAGE, line_count)
    response = render(
        request,
        "initiatives/sourcedocument_text.html",
        {
            "source": document,
            "lines": shown(view)(public_lines(document, first, last))
            if line_count
            else "",
            "view": view,
            "as_printed": AS_PRINTED,
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
    return private_if_draft(response, document)


@require_safe
def passage(request, slug: str, start: int, end: int):
    """Lines `start`..`end` highlighted, with some lines around them, and the
    published initiatives whose references cite exactly these lines."""
    canonical = reverse(
        "initiatives:passage", kwargs={"slug": slug, "start": start, "end": end}
    )
    if request.path != canonical:  # linje-007-9: one address for each passage
        query = request.GET.urlencode()
        return redirect(f"{canonical}?{query}" if query else canonical, permanent=True)
    document = get_object_or_404(readable_documents(request), slug=slug)
    view = requested_view(request)
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
    response = render(
        request,
        "initiatives/passage.html",
        {
            "source": document,
            "start": start,
            "end": end,
            "lines": shown(view)(lines, cited=range(start, end + 1)),
            "view": view,
            "as_printed": AS_PRINTED,
            "references": references,
            "whole_text_url": line_url(document, start),
        },
    )
    return private_if_draft(response, document)

"""The catalogue in real Chromium: accessibility on each page type and a filter flow.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright's Python package;
axe-core comes from the npm package in tests/browser/, so nothing is fetched at test
time.
"""

from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from .browser.server import catalogue_server, production_server
from .conftest import PUBLIC_PAGES

# One xdist worker runs them all, with one Chromium (`--dist loadgroup`, tests/run).
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    with catalogue_server(tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture(scope="session")
def production(server, tmp_path_factory):
    """The same catalogue with DEBUG off, as visitors meet its error pages."""
    with production_server(server, tmp_path_factory.mktemp("production")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Playwright's synchronous API keeps an event loop running in the thread while it
    is open, and Django refuses database queries from a thread that has one: closed
    when the module ends, so the tests that run after it can query."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@contextmanager
def policy_watched(page):
    """Fails the test if the Content-Security-Policy blocks anything on `page`."""
    violations = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    try:
        yield page
    finally:
        page.remove_listener("console", on_console)
    assert violations == []


@pytest.fixture
def page(browser):
    """A page in a new browser context: no cookies, nothing kept."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        with policy_watched(context.new_page()) as page:
            yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def reading_tab(browser):
    """One tab for the tests that only open a page and read it, as a reader goes
    from page to page: a new context for each would fetch the styles and compile
    axe-core again, most of the test's time."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def serious_violations(page) -> list[str]:
    # Evaluated through the devtools protocol, which the page's CSP does not govern.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        f"{[node['target'] for node in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["", "/en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_type_has_no_serious_accessibility_violations(
    server, reading_tab, path, language
):
    with policy_watched(reading_tab) as page:
        response = page.goto(server + language + path)

        assert response.status == 200
        assert serious_violations(page) == []


def test_an_initiative_page_has_no_serious_accessibility_violations(server, page):
    for language in ["", "/en"]:
        page.goto(server + language + "/initiativer/")
        page.locator(".initiative-list h3 a").first.click()
        page.wait_for_url("**/initiativer/*/")

        assert serious_violations(page) == []


def result_count(page) -> int:
    heading = page.locator("#results-heading").inner_text()
    return int(heading.split()[0].replace(".", ""))


def test_a_user_narrows_the_list_with_filters_and_goes_back(server, page):
    page.goto(server + "/initiativer/")
    everything = result_count(page)

    option = page.get_by_label("Tilført ressource", exact=False).first
    offered = int(option.locator("xpath=..").inner_text().split("(")[-1].rstrip(")"))
    with page.expect_navigation():
        option.check()

    assert "kategori=tilfoert-ressource" in page.url
    assert result_count(page) == offered < everything

    with page.expect_navigation():
        page.get_by_label("Region Hovedstaden", exact=False).first.check()
    narrowed = result_count(page)
    assert narrowed <= offered
    assert (
        page.locator(".active-filters").get_by_text("Region Hovedstaden").count() == 1
    )

    page.go_back()
    assert result_count(page) == offered

    page.locator(".active-filters a", has_text="Tilført ressource").click()
    assert result_count(page) == everything


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def test_a_misspelt_search_offers_what_was_meant_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server + "/initiativer/?q=tandpleje+diabetis")

    assert page.locator(".search-suggestions").is_visible()
    assert page.locator(".search-notice").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(".search-suggestions a").first.click()
    page.wait_for_url("**q=tandpleje+diabetes**")
    assert result_count(page) > 0
    context.close()


@pytest.mark.parametrize("language", ["", "/en"])
def test_no_page_scrolls_sideways_on_a_phone(server, phone, language):
    wide = []
    for path in PUBLIC_PAGES:
        phone.goto(server + language + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append((path, width))

    assert wide == []


@pytest.mark.parametrize("language", ["", "/en"])
def test_after_a_search_on_a_phone_the_count_and_first_result_are_on_screen(
    server, phone, language
):
    phone.goto(server + language + "/initiativer/")
    phone.fill("#id_q", "navigator")
    phone.press("#id_q", "Enter")
    phone.wait_for_url("**q=navigator**")

    first_result = phone.locator(".initiative-list h3").first
    for shown in [phone.locator("#results-heading"), first_result]:
        box = shown.bounding_box()
        assert box["y"] + box["height"] <= 844
    assert result_count(phone) > 0
    assert phone.locator("#filter-panel").get_attribute("open") is None


@pytest.mark.parametrize("width", [390, 1366])
def test_chart_labels_are_whole_and_readable(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(server + "/")
    labels = page.locator(".chart .bar-label")

    sizes = labels.evaluate_all(
        "labels => labels.map(l => parseFloat(getComputedStyle(l).fontSize))"
    )
    cut = labels.evaluate_all(
        "labels => labels.filter(l => l.scrollWidth > l.clientWidth"
        " || l.textContent.includes('…')).map(l => l.textContent)"
    )

    assert min(sizes) >= 14
    assert cut == []
    assert labels.get_by_text("Koordinator- og navigatorprojekter").count() == 1
    context.close()


def test_the_filters_open_from_a_labelled_control_on_a_phone(server, phone):
    phone.goto(server + "/initiativer/")
    option = phone.get_by_label("Tilført ressource", exact=False).first
    assert not option.is_visible()

    phone.get_by_text("Filtre", exact=True).click()

    assert option.is_visible()


def test_checking_a_filter_applies_it_without_a_button(server, page):
    page.goto(server + "/initiativer/")
    everything = result_count(page)

    with page.expect_navigation():
        page.get_by_label("Region Nordjylland", exact=False).first.check()

    assert "region=nordjylland" in page.url
    assert 0 < result_count(page) < everything


def test_without_javascript_the_top_button_applies_the_filters(browser, server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(server + "/initiativer/")
    page.locator("summary", has_text="Filtre").click()
    page.get_by_label("Region Nordjylland", exact=False).first.check()
    page.get_by_role("button", name="Søg og filtrér").click()

    page.wait_for_url("**region=nordjylland**")
    context.close()


def test_no_page_asks_for_a_missing_favicon(server, page):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto(server + "/")

    assert missing == []


def test_a_curator_edits_and_publishes_and_the_public_sees_it(browser, server, page):
    log_in_as_curator(page, server)
    page.goto(server + "/admin/initiatives/initiative/?q=Tumorambulatoriet")
    page.get_by_role("link", name="Tumorambulatoriet", exact=True).click()
    page.fill("#id_summary", "Redigeret i browseren af en kurator.")
    page.select_option("#id_status", "kladde")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_have_count(1)

    public = browser.new_context().new_page()
    assert public.goto(server + "/initiativer/tumorambulatoriet/").status == 404

    page.goto(server + "/admin/initiatives/initiative/?q=Tumorambulatoriet")
    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_be_visible()

    response = public.goto(server + "/initiativer/tumorambulatoriet/")
    assert response.status == 200
    assert "Redigeret i browseren af en kurator." in public.content()
    public.context.close()


HOSTILE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'


def test_hostile_curator_text_never_runs_as_script(server, page):
    server.run_python(
        "from initiatives.models import Initiative, Organisation\n"
        "from initiatives.search import refresh_search_text\n"
        f"payload = {HOSTILE!r}\n"
        "i = Initiative.objects.create(slug='xss', name='XSS ' + payload,"
        " summary='Resume ' + payload, description=payload,"
        " status='offentliggjort')\n"
        "o = Organisation.objects.create(slug='xss-org', name='Org ' + payload,"
        " kind='andet')\n"
        "i.involvements.create(organisation=o, role='partner')\n"
        "refresh_search_text(Initiative.objects.filter(pk=i.pk))\n"
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    for path in [
        "/initiativer/xss/",
        "/initiativer/?q=xss",
        "/organisationer/xss-org/",
        "/",
    ]:
        assert page.goto(server + path).status == 200
        assert page.evaluate("window.__xss") is None, path
    page.goto(server + "/initiativer/xss/")
    assert page.locator("h1").inner_text() == "XSS " + HOSTILE
    assert dialogs == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_api_documentation_works_offline_under_the_sites_policy(
    server, page, width
):
    page.set_viewport_size({"width": width, "height": 900})
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(server) else None
        ),
    )

    page.goto(server + "/api/v1/docs/")

    expect(page.get_by_text("/api/v1/initiativer/").first).to_be_visible()
    assert outside == []


SMALL_REPORT = (
    "Lille rapport om to indsatser\n"
    "Kontakt: Kurt Kurator, kurt@example.dk, +45 12345678\n"
    "\n"
    "Indsats A: Sundhedscafé\n"
    "Caféen havde 40 besøg i 2024.\n"
    "\n"
    "Indsats B: Ledsagerordning\n"
    "Ordningen fulgte 12 patienter.\n"
)


def log_in_as_curator(page, server) -> None:
    from .browser.server import CURATOR

    page.goto(server + "/admin/")
    page.fill("#id_username", CURATOR[0])
    page.fill("#id_password", CURATOR[1])
    page.click("input[type=submit]")


def test_an_initiatives_admin_page_is_no_wider_than_the_screen(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in_as_curator(page, server)
    page.goto(server + "/admin/initiatives/initiative/?q=Sammen+om+min+vej")
    page.get_by_role("link", name="Sammen om min vej", exact=True).click()
    page.wait_for_url("**/admin/initiatives/initiative/*/change/**")

    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.goto(server + "/initiativer/sammen-om-min-vej/")
    assert page.get_by_role("link", name="Redigér i admin").count() == 1
    context.close()


def add_initiative_citing(page, server, name: str, lines: tuple[int, int]) -> None:
    page.goto(server + "/admin/initiatives/initiative/add/")
    page.fill("#id_name", name)
    page.fill("#id_summary", f"{name} fra en lille rapport.")
    page.select_option("#id_status", "offentliggjort")
    page.locator("#references-group .add-row a").click()
    page.select_option("#id_references-0-document", label="Lille rapport")
    page.fill("#id_references-0-locator", name)
    page.fill("#id_references-0-line_start", str(lines[0]))
    page.fill("#id_references-0-line_end", str(lines[1]))
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_have_count(1)


def test_a_curator_adds_a_report_ties_two_initiatives_to_it_and_the_public_reads_it(
    browser, server, page
):
    log_in_as_curator(page, server)
    page.goto(server + "/admin/initiatives/sourcedocument/add/")
    page.fill("#id_code", "005")
    page.fill("#id_slug", "lille-rapport")
    page.fill("#id_title", "Lille rapport om to indsatser")
    page.fill("#id_short_title", "Lille rapport")
    page.select_option("#id_kind", "casesamling")
    page.fill("#id_description", "En rapport, en kurator har tilføjet.")
    page.set_input_files(
        "#id_upload",
        files=[
            {
                "name": "lille.txt",
                "mimeType": "text/plain",
                "buffer": SMALL_REPORT.encode(),
            }
        ],
    )
    page.click("input[name=_continue]")

    # The text, numbered, and what the detection removes, for the curator to review.
    expect(page.locator("#linje-5")).to_contain_text("40 besøg")
    expect(page.get_by_text("kurt@example.dk").first).to_be_visible()
    # A new report is a draft: nobody but curators reads it yet.
    anonymous = browser.new_context().new_page()
    assert anonymous.goto(server + "/kilder/lille-rapport/").status == 404
    # The name the detection cannot remove is pointed out beside the contact line.
    expect(page.locator(".field-personal_data_hints")).to_contain_text("Kurator")
    page.locator("#redactions-group .add-row a").click()
    page.fill("#id_redactions-0-line_start", "2")
    page.fill("#id_redactions-0-line_end", "2")
    page.fill("#id_redactions-0-text", "Kurt Kurator")
    page.select_option("#id_redactions-0-kind", "navn")
    page.fill("#id_redactions-0-reason", "Kontaktperson, en privatperson.")
    page.select_option("#id_status", "offentliggjort")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert anonymous.goto(server + "/kilder/lille-rapport/").status == 200
    anonymous.context.close()

    add_initiative_citing(page, server, "Sundhedscafé", (4, 5))
    add_initiative_citing(page, server, "Ledsagerordning", (7, 8))

    public = browser.new_context().new_page()
    public.goto(server + "/initiativer/ledsagerordning/")
    public.locator("a.locator").first.click()
    public.wait_for_url("**/kilder/lille-rapport/linje-7-8/")
    expect(public.locator(".cited")).to_have_count(2)
    expect(public.locator("#linje-8")).to_contain_text("fulgte 12 patienter")
    text = public.content()
    assert "kurt@example.dk" not in text
    assert "12345678" not in text
    assert "Kurt Kurator" not in text
    assert "[navn fjernet]" in text
    public.get_by_role("link", name="Ledsagerordning").click()
    public.wait_for_url("**/initiativer/ledsagerordning/")
    public.goto(server + "/kilder/lille-rapport/linje-4-5/")
    expect(public.get_by_role("link", name="Sundhedscafé")).to_be_visible()
    assert serious_violations(public) == []
    public.context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_a_long_passage_reads_on_any_screen_without_serious_violations(
    browser, server, width
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(
        server + "/kilder/vive-sundhedsindsatser-paa-socialomraadet-2022/tekst/?side=8"
    )

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []
    context.close()


SUNDHEDSTEAM = "/kilder/vive-sundhedsindsatser-paa-socialomraadet-2022/linje-3749-3802/"
# Lighthouse's tap targets: a finger is 48 px across.
FINGER = 48


def small_tap_targets(page, selector: str) -> list[dict]:
    boxes = [link.bounding_box() for link in page.locator(selector).all()]
    return [box for box in boxes if box["height"] < FINGER or box["width"] < FINGER]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("view", ["", "?visning=linjer"])
def test_a_passage_reads_on_any_screen_and_a_locators_line_is_in_view(
    browser, server, width, view
):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(server + SUNDHEDSTEAM + view + "#linje-3771")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("#linje-3771").is_visible()
    assert 0 <= page.locator("#linje-3771").bounding_box()["y"] < 844
    assert serious_violations(page) == []
    context.close()


@pytest.mark.parametrize(
    "view, numbers", [("", ".line-range"), ("?visning=linjer", ".line-number")]
)
def test_every_line_number_on_a_passage_is_a_finger_wide_on_a_phone(
    server, phone, view, numbers
):
    phone.goto(server + SUNDHEDSTEAM + view)

    assert phone.locator(numbers).count() >= 10
    assert small_tap_targets(phone, numbers) == []


def test_without_javascript_the_passage_switches_to_the_reports_lines_and_back(
    browser, server
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(server + SUNDHEDSTEAM)

    expect(page.locator(".running-text")).to_contain_text("Københavns Kommunes")
    page.get_by_role("link", name="Som i rapporten, linje for linje").click()
    expect(page.locator("li.cited")).to_have_count(3802 - 3749 + 1)
    expect(page.locator("#linje-3771")).to_contain_text("af Københavns Kommu-")
    page.get_by_role("link", name="Løbende tekst").click()
    expect(page.locator(".running-text")).to_be_visible()
    context.close()


def watched_page(browser, width: int):
    """A page of its own size that records what the Content-Security-Policy blocks."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.blocked = []
    page.on(
        "console",
        lambda message: (
            page.blocked.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


SUGGESTING = {
    "": ("Ret eller tilføj", "Tak for forslaget"),
    "/en": ("Correct or add", "Thank you for the suggestion"),
}


@pytest.mark.parametrize("language", ["", "/en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_a_visitor_suggests_a_correction_from_an_initiatives_page(
    browser, server, language, width
):
    correct, thanks = SUGGESTING[language]
    page = watched_page(browser, width)
    page.goto(server + language + "/initiativer/sammen-om-min-vej/")
    page.get_by_role("link", name=correct, exact=True).click()
    page.wait_for_url("**/foreslaa/?indsats=sammen-om-min-vej")

    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.fill("#id_name", f"Sammen om min vej, {width} px {language}")
    page.fill("#id_description", "Forløbet er også prøvet i Odense.")
    page.fill("#id_described_in", "Årsrapport 2024, side 12")
    page.fill("#id_sender_email", "tester@example.org")
    trap = page.locator("#id_website").bounding_box()
    assert trap["x"] + trap["width"] <= 0  # off the screen, for machines only
    page.wait_for_timeout(1100)  # the browser server's minimum time to fill it
    page.locator(".suggestion-form button[type=submit]").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(thanks)
    assert serious_violations(page) == []
    assert page.blocked == []
    page.context.close()


def test_a_curator_turns_a_suggestion_into_a_draft_in_one_step(browser, server, page):
    server.run_python(
        "from initiatives.models import Suggestion\n"
        "Suggestion.objects.create(name='Fodpleje på herberget',"
        " description='En fodterapeut kommer hver tirsdag.', place='Esbjerg',"
        " described_in='Herbergets årsberetning 2025', sender_email='a@example.org')"
    )
    log_in_as_curator(page, server)
    page.goto(server + "/admin/initiatives/suggestion/?status__exact=ny")
    page.get_by_role("link", name="Fodpleje på herberget", exact=True).click()
    page.click("input[name=_make_draft]")

    expect(page.locator(".messagelist .success")).to_contain_text(
        "Herbergets årsberetning 2025"
    )
    assert "/admin/initiatives/initiative/" in page.url
    expect(page.locator("#id_name")).to_have_value("Fodpleje på herberget")
    expect(page.locator("#id_status")).to_have_value("kladde")
    expect(page.locator("#id_place")).to_have_value("Esbjerg")
    public = browser.new_context().new_page()
    assert public.goto(server + "/initiativer/fodpleje-pa-herberget/").status == 404
    public.context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_the_map_links_each_region_and_prints_beside_its_numbers(
    browser, server, width
):
    page = watched_page(browser, width)
    page.goto(server + "/")
    drawing = page.locator(".region-map-drawing")
    box = drawing.bounding_box()

    assert 250 <= box["width"] <= min(width, 360)
    page.emulate_media(media="print")
    assert drawing.is_visible() and page.locator(".region-counts").is_visible()
    assert not page.locator(".search-box").is_visible()
    page.emulate_media(media="screen")
    page.locator(".region-map-drawing text", has_text="Midtjylland").click()
    page.wait_for_url("**/initiativer/?region=midtjylland")
    assert page.blocked == []
    page.context.close()


@pytest.mark.parametrize(
    "path, heading",
    [
        ("/initiativer/findes-ikke/", "Siden findes ikke"),
        ("/en/organisationer/?side=99", "Page not found"),
    ],
)
def test_a_missing_page_on_a_phone_is_in_the_sites_frame_and_leads_on(
    production, phone, path, heading
):
    response = phone.goto(production + path)

    assert response.status == 404
    assert phone.locator("h1").inner_text() == heading
    assert phone.locator(".site-header nav a").count() == 6
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(phone) == []
    phone.locator("#error-q").fill("navigator")
    phone.locator("#error-q").press("Enter")
    phone.wait_for_url("**q=navigator**")
    assert result_count(phone) > 0


@pytest.mark.parametrize("language", ["", "/en"])
def test_the_menu_with_the_evidence_scale_takes_two_lines_on_a_phone(
    server, phone, language
):
    phone.goto(server + language + "/om/evidens/")
    tops = phone.locator(".site-header .nav li").evaluate_all(
        "items => items.map(item => item.getBoundingClientRect().top)"
    )

    assert len(tops) == 6
    assert len(set(tops)) <= 2


def test_the_front_pages_bar_rows_look_like_links(server, page):
    page.goto(server + "/")
    label = page.locator(".chart .bar-label").first
    link_colour = page.locator("main p a").first.evaluate(
        "a => getComputedStyle(a).color"
    )

    assert "underline" in label.evaluate("l => getComputedStyle(l).textDecorationLine")
    assert label.evaluate("l => getComputedStyle(l).color") == link_colour
    row = page.locator(".chart .bars a").first
    row.hover()
    hovered = row.evaluate("a => getComputedStyle(a).backgroundColor")
    assert hovered != "rgba(0, 0, 0, 0)"

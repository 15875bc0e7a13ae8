"""The catalogue in real Chromium: accessibility on each page type and a filter flow.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright's Python package;
axe-core comes from the npm package in tests/browser/, so nothing is fetched at test
time.
"""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .browser.server import catalogue_server

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
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        f"{[node['target'] for node in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


PAGE_TYPES = [
    "/",
    "/initiativer/",
    "/initiativer/?kategori=tilfoert-ressource&q=navigator",
    "/organisationer/",
    "/organisationer/sundhedsstyrelsen/",
    "/maalgrupper/",
    "/maalgrupper/hjemloese/",
    "/kategorier/",
    "/kategorier/dialogstoette/",
    "/kilder/",
    "/kilder/kortlaegning-inddragelse-socialt-saarbare/",
]


@pytest.mark.parametrize("language", ["", "/en"])
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_has_no_serious_accessibility_violations(
    server, page, path, language
):
    response = page.goto(server + language + path)

    assert response.status == 200
    assert serious_violations(page) == []


def test_an_initiative_page_has_no_serious_accessibility_violations(server, page):
    for language in ["", "/en"]:
        page.goto(server + language + "/initiativer/")
        page.locator(".initiative-list h3 a").first.click()

        assert "/initiativer/" in page.url and page.url.count("/") >= 5
        assert serious_violations(page) == []

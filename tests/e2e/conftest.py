import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
WIDTHS = (1280, 375)  # a laptop and a small phone
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt-get.")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page, *, fits_phone: bool = False) -> None:
    """axe-core finds nothing serious or critical on the current page at a laptop's width
    and at a phone's (and, with fits_phone, the page is no wider than the window at either).
    The viewport is put back."""
    before = page.viewport_size or {"width": 1280, "height": 900}
    axe = Axe()
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": before["height"]})
            results = axe.run(page)
            serious = [
                v for v in results.response["violations"] if v["impact"] in ("serious", "critical")
            ]
            assert not serious, f"At {width}px on {page.url}:\n{results.generate_report()}"
            if fits_phone:
                fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
                assert fits, f"{page.url} is wider than the window at {width}px"
    finally:
        page.set_viewport_size(before)

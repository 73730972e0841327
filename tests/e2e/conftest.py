import os
import re
from itertools import count
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
# Set SCREENSHOT_DIR to keep a gallery: every page checked below is saved there at each width.
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR", "")
_shot_numbers = count(1)
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


def save_screenshot(page, width: int) -> None:
    """Into SCREENSHOT_DIR (when set), named by order, page path and width."""
    if not SCREENSHOT_DIR:
        return
    folder = Path(SCREENSHOT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    # Ids and one-time tokens stay out of the file names.
    path = page.url.split("//", 1)[-1].split("/", 1)[-1]
    path = "/".join("id" if len(part) >= 20 else part for part in path.split("/"))
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    page.screenshot(
        path=folder / f"{next(_shot_numbers):03d}-{slug[:80]}-{width}.png", full_page=True
    )


def assert_accessible(page, *, fits_phone: bool = True) -> None:
    """axe-core finds nothing serious or critical on the current page at a laptop's width
    and at a phone's, and (unless fits_phone is False) the page does not scroll sideways at
    either: at 375px, no wider than 375px. The viewport is put back."""
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
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= width, f"{page.url} is {wide}px wide in a {width}px window"
            save_screenshot(page, width)
    finally:
        page.set_viewport_size(before)

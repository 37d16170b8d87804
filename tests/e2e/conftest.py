"""End-to-end tests: Playwright driving Debian's chromium (never a downloaded browser)."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("MUTU_E2E_REQUIRED"):
            pytest.fail("Debian chromium is required here: apt-get install -y chromium")
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, viewport):
    context = browser.new_context(locale="id-ID", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(browser):
    """An office desktop: the staff screens are used on one."""
    context, page = _page(browser, {"width": 1280, "height": 800})
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A small phone, as citizens use for the public pages."""
    context, page = _page(browser, {"width": 360, "height": 740})
    yield page
    context.close()


@pytest.fixture
def assert_accessible():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        # axe is injected through the DevTools protocol, which the page's CSP does not govern.
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        details = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
        assert not violations, f"axe violations on {page.url}: {details}"

    return check

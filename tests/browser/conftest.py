"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Chromium comes from Debian (`apt-get install chromium`, done by .ci/run); Playwright never
downloads a browser of its own. If Chromium is missing the launch fails: these tests never skip.
"""

import glob
import os

import pytest
from django.conf import settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test's thread; the ORM calls made by the
# fixtures below are ordinary synchronous calls, so Django's async-safety guard is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# The machine has no internet: keep Chromium from phoning home at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Indonesian is the default language; a test that wants English switches like a user does.
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


@pytest.fixture
def catalogue(live_server):
    """The live server, holding every seed fixture."""
    call_command("loaddata", *sorted(glob.glob(str(settings.BASE_DIR / "fixtures" / "*.json"))))
    return live_server


# Each violation of the policy is recorded in the page itself (before any of its scripts).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(page):
    """The page, recording console errors and Content-Security-Policy violations
    (``tests.helpers.assert_clean`` checks them)."""
    page.add_init_script(RECORD_VIOLATIONS)
    page.errors = []

    def console(message):
        # The browser asks for /favicon.ico on its own; the site has none.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            page.errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def axe_page(browser, catalogue):
    """A page on which axe-core can be injected: the policy forbids inline scripts, so this
    context alone bypasses it (the other tests check that pages keep to it)."""
    context = browser.new_context(bypass_csp=True, locale="id-ID")
    yield context.new_page()
    context.close()

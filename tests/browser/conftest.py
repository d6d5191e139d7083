"""End-to-end tests in headless Chromium (Playwright) against pytest-django's live server.

The browser is Debian's ``chromium`` package (``scripts/ensure_browser.sh`` installs it; no browser
build is ever downloaded). Each role gets its own browser context and logs in through the login form.
Every request a page makes is recorded; one that leaves this machine fails the test (weak connections:
no CDN, no web fonts from outside). A failing test leaves a screenshot of each of its pages in
``test-artifacts/browser/`` (pytest-playwright's ``--screenshot only-on-failure``).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() == "true"
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
SCREENSHOTS = REPO / "docs" / "screenshots"
DEMO_PASSWORD = "bangkit-demo-2024"
LAPTOP = {"width": 1280, "height": 800}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Non-network schemes a page may use without leaving the machine.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension", "devtools"}


def pytest_configure(config):
    # pytest-playwright's own base_url fixture, under pytest 9 (not ours to fix).
    config.addinivalue_line("filterwarnings", "ignore:Session-scoped fixtures defined as instance methods")
    # A failure keeps a picture of every page of the test (pytest-playwright's own mechanism).
    if getattr(config.option, "screenshot", None) == "off":
        config.option.screenshot = "only-on-failure"
    if getattr(config.option, "output", None) in (None, "test-results"):
        config.option.output = str(ARTIFACTS)


@pytest.hookimpl(trylast=True)  # after pytest-django's own reordering by database use
def pytest_collection_modifyitems(config, items):
    # Browser tests run last: once Playwright has started, its event loop stays in the test thread until
    # the session ends, and Django refuses ORM calls from a thread with a running loop (see ``playwright``).
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def playwright(chromium_present, django_db_setup, playwright):
    """Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls
    (SynchronousOnlyOperation) although nothing here is async. The known workaround
    (microsoft/playwright-pytest#29) is DJANGO_ALLOW_ASYNC_UNSAFE, set only while Playwright runs, so
    no other test (e.g. ``check --deploy`` in a subprocess) inherits it. The test database exists first."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield playwright
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def chromium_present():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run scripts/ensure_browser.sh (make test does)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(chromium_present, browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "id-ID", "accept_downloads": True}


@dataclass
class Visitor:
    """One person in one browser context, with every URL their pages asked for."""

    page: object
    context: object
    base_url: str
    requests: list[str] = field(default_factory=list)

    def go(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
        return response

    def external_requests(self) -> list[str]:
        found = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if (parts.hostname or "") not in LOCAL_HOSTS:
                found.append(url)
        return found


@pytest.fixture
def visitor_factory(chromium_present, new_context, live_server):
    """``visit(username)`` → a Visitor logged in through the form (or anonymous with ``None``)."""
    made: list[Visitor] = []

    def make(username: str | None, *, password: str = DEMO_PASSWORD, **context_args) -> Visitor:
        context = new_context(**{"viewport": LAPTOP, **context_args})
        page = context.new_page()
        page.set_default_timeout(15_000)
        visitor = Visitor(page=page, context=context, base_url=live_server.url)
        context.on("request", lambda request: visitor.requests.append(request.url))
        # A confirm() before an irreversible step is answered "yes"; the tests check the attribute.
        page.on("dialog", lambda dialog: dialog.accept())
        made.append(visitor)
        if username:
            login(visitor, username, password)
        return visitor

    yield make
    for visitor in made:
        outside = visitor.external_requests()
        assert not outside, f"requests to hosts other than this machine: {outside}"


def login(visitor: Visitor, username: str, password: str = DEMO_PASSWORD) -> None:
    page = visitor.page
    visitor.go("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("button", name="Keluar").is_visible()


@pytest.fixture
def demo_data(transactional_db):
    """The demo slice (regions, OPDs, one login per role, plans and cases), built by the real command."""
    from django.core.management import call_command

    call_command("seed_demo", "--quiet")


def save_screenshot(page, name: str, *, top: bool = True) -> None:
    """docs/screenshots/<name>.png, only with SAVE_SCREENSHOTS=1 (CI must not rewrite committed files).

    The visible screen only (not the whole page), at CSS pixels, so each file stays small."""
    if os.environ.get("SAVE_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if top:
        page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False, scale="css")

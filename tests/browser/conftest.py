"""Playwright with Debian's Chromium against live_server; every page checked (see harness.py)."""

import os

# Playwright's sync API runs an event loop in the test's thread, and Django refuses database
# calls from a thread with a running loop unless told it is safe: it is, the loop is Playwright's.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from pathlib import Path

import pytest

from tests.browser.harness import DESKTOP, Shots, Visitor, artifacts_dir
from tests.conftest import _missing

CHROMIUM = "/usr/bin/chromium"  # Debian's package; .ci/run installs it
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _missing(f"needs Chromium at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """The outbox row is what the browser tests read; handing it to a broker is out of scope
    here, and must not leave tasks for some other worker on a shared Redis."""
    from esafety.notify import dispatch

    monkeypatch.setattr(dispatch, "enqueue", lambda task, *args: False)


@pytest.fixture
def open_visitor(request, browser, live_server):
    """Open a fresh browser context (its own cookies: a new person) as a Visitor.

    When the test ends, anything the browser reported after the last check, or a page it loaded
    without checking, fails the test.
    """
    shots = Shots(artifacts_dir(request.node.name))
    visitors: list[Visitor] = []

    def _open(viewport: dict | None = None, **options) -> Visitor:
        # Reduced motion turns Bootstrap's transitions off, so a screenshot never catches a
        # menu half open.
        context = browser.new_context(
            viewport=viewport or DESKTOP, locale="en-GB", reduced_motion="reduce", **options
        )
        context.set_default_timeout(10_000)
        visitor = Visitor.open(context, live_server.url, shots)
        visitors.append(visitor)
        return visitor

    yield _open
    failures = []
    for visitor in visitors:
        unchecked = visitor.unchecked_pages()
        if unchecked:
            failures.append(f"pages loaded but never checked (use the Visitor): {unchecked}")
        if visitor.problems:
            found = "\n  ".join(visitor.problems)
            failures.append(f"browser problems after the last check:\n  {found}")
        visitor.context.close()
    if failures:
        pytest.fail("\n".join(failures))


@pytest.fixture
def visitor(open_visitor) -> Visitor:
    return open_visitor()

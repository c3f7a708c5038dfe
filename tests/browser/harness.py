"""What every browser test goes through: each page it sees is checked and photographed.

A test drives the browser through a `Visitor`. Every document the browser loads is counted (the
page's `load` event), and every helper that moves the browser (`visit`, `follow`, `submit`)
waits for the new page, runs axe-core on it, screenshots it and fails the test at once on an
accessibility violation, a console error, a Content-Security-Policy refusal, an uncaught script
error or a failed request to our server. A page that loaded without being checked (because a test
clicked with the raw Playwright page) fails the test when it ends, so no page escapes the checks.
"""

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page, Request, Response

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
ARTIFACTS = ROOT / "test-artifacts" / "browser"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Every rule axe has, apart from the experimental ones (axe's own default), at every impact.
AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map(n => n.target.join(' ')),
  }));
}"""


def artifacts_dir(test_name: str) -> Path:
    path = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
    if path.exists():
        for old in path.glob("*.png"):
            old.unlink()
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Shots:
    """Numbers screenshots across every browser context of one test."""

    folder: Path
    count: int = 0

    def next_path(self) -> Path:
        self.count += 1
        return self.folder / f"{self.count:02d}.png"


@dataclass
class Visitor:
    """One person's browser (a fresh context) driven through pages that are always checked."""

    context: BrowserContext
    page: Page
    base_url: str
    shots: Shots
    problems: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    checked: int = 0
    checked_urls: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, context: BrowserContext, base_url: str, shots: Shots) -> "Visitor":
        visitor = cls(context=context, page=context.new_page(), base_url=base_url, shots=shots)
        visitor._listen()
        return visitor

    def _listen(self) -> None:
        page = self.page
        page.on("load", lambda p: self.loads.append(p.url))
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _ours(self, url: str) -> bool:
        return url.startswith(self.base_url)

    def _on_console(self, message: ConsoleMessage) -> None:
        # Chromium reports a CSP refusal on the console ("Refused to ...", or "... violates the
        # following Content Security Policy directive ..." in newer versions).
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.problems.append(f"CSP violation: {text} ({message.location['url']})")
        elif message.type == "error":
            self.problems.append(f"console error: {text} ({message.location['url']})")

    def _on_response(self, response: Response) -> None:
        if self._ours(response.url) and response.status >= 400:
            kind = response.request.resource_type
            self.problems.append(f"HTTP {response.status} for {kind} {response.url}")

    def _on_request_failed(self, request: Request) -> None:
        if self._ours(request.url):
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    # Moving the browser. Each of these ends on a page that has been checked.

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def visit(self, path: str, *, status: int = 200) -> Response | None:
        response = self.page.goto(self.url(path))
        assert response is not None and response.status == status, (
            f"{path} answered {response and response.status}, expected {status}"
        )
        if status >= 400:
            # The test asked for this error page: it is not a failed request.
            self.problems = [p for p in self.problems if response.url not in p]
        self.check()
        return response

    def follow(self, target: Locator) -> None:
        """Click something that leads to another page (a link, a submit button)."""
        with self.page.expect_navigation():
            target.click()
        self.check()

    submit = follow

    def menu(self, label: str, section: str | None = None) -> Locator:
        """A page in the main menu: unfolds the phone's menu and opens the page's section first
        (a section with one page is a plain link, so it needs no section)."""
        nav = self.page.get_by_role("navigation", name="Main")
        toggler = self.page.get_by_role("button", name="Show navigation")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
        if section:
            nav.get_by_role("button", name=section, exact=True).click()
        return nav.get_by_role("link", name=label, exact=True)

    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    # The checks.

    def check(self) -> None:
        """Check the page as it is now: axe, console, requests; and keep a screenshot of it."""
        page = self.page
        page.wait_for_load_state("load")
        shot = self.shots.next_path()
        page.screenshot(path=shot, full_page=True, animations="disabled")
        self.checked = len(self.loads)
        self.checked_urls.append(page.url)
        if not page.evaluate("() => typeof window.axe === 'object'"):
            # Evaluated through the DevTools protocol, not a <script> tag, so the strict CSP
            # (no inline script) stays exactly as production serves it.
            page.evaluate(AXE_SOURCE)
        violations = page.evaluate(AXE_RUN)
        where = f"{self.path()} (screenshot {shot.relative_to(ROOT)})"
        if violations:
            lines = [f"axe found {len(violations)} violation(s) on {where}:"]
            for v in violations:
                lines.append(f"  {v['id']} [{v['impact']}] {v['help']} -- {v['helpUrl']}")
                lines.extend(f"      at {t}" for t in v["targets"])
            raise AssertionError("\n".join(lines))
        self.assert_no_problems(where)

    def assert_no_problems(self, where: str = "") -> None:
        if self.problems:
            found, self.problems = self.problems, []
            listed = "\n  ".join(found)
            raise AssertionError(f"browser problems on {where or self.page.url}:\n  {listed}")

    def unchecked_pages(self) -> list[str]:
        return self.loads[self.checked :]


def totp_code(secret: str) -> str:
    """The current code an authenticator app would show for this secret.

    allauth accepts only the current 30-second window, so near its end we wait for the next one
    rather than submit a code that expires on the way to the server.
    """
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def sign_in(visitor: Visitor, email: str, password: str) -> None:
    """Sign in through the real allauth form."""
    page = visitor.page
    if not visitor.path().startswith("/accounts/login/"):
        visitor.visit("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    visitor.submit(page.get_by_role("button", name="Sign in"))


def sign_out(visitor: Visitor) -> None:
    page = visitor.page
    button = page.get_by_role("button", name="Sign out")
    if not button.is_visible():
        # On a phone the header's menu is folded away behind the toggler.
        page.get_by_role("button", name="Show navigation").click()
    visitor.submit(button)


# The form pattern (templates/_form_errors.html, templates/_required_mark.html): every required
# control is marked "(required)" beside its label or its group's legend; a form sent back with
# errors starts with its error summary, which has the focus, and each of its links leads to a
# field on the page.
FORM_PATTERN = """() => {
  const problems = [];
  // A group of radio buttons is one field, named once.
  const named = (el) => (el.type === 'radio' || !el.id)
    ? `[name=${el.getAttribute('name')}]` : `#${el.id}`;
  for (const control of document.querySelectorAll('main [required]')) {
    const group = control.closest('fieldset');
    const label = (control.type === 'radio' && group)
      ? group.querySelector('legend')
      : (control.id && document.querySelector(`label[for="${control.id}"]`));
    if (!label) {
      problems.push(`required ${named(control)} has no label`);
    } else if (!label.querySelector('.required-mark')) {
      problems.push(`required ${named(control)} is not marked "(required)"`);
    }
  }
  const summaries = document.querySelectorAll('[data-error-summary]');
  if (summaries.length) {
    if (document.activeElement !== summaries[0]) {
      problems.push('the error summary does not have the focus');
    }
    for (const summary of summaries) {
      const form = summary.closest('form');
      if (form && form.querySelector('input:not([type=hidden]), select, textarea, button')
          .compareDocumentPosition(summary) & Node.DOCUMENT_POSITION_FOLLOWING) {
        problems.push('the error summary is not at the top of its form');
      }
      for (const link of summary.querySelectorAll('a[href^="#"]')) {
        if (!document.getElementById(decodeURIComponent(link.hash.slice(1)))) {
          problems.push(`the summary's link ${link.hash} leads to nothing`);
        }
      }
    }
  }
  return [...new Set(problems)];
}"""


def assert_form_pattern(visitor: Visitor) -> None:
    """Check the page's forms as they are now against the form pattern (see FORM_PATTERN)."""
    problems = visitor.page.evaluate(FORM_PATTERN)
    assert not problems, f"form pattern on {visitor.path()}:\n  " + "\n  ".join(problems)

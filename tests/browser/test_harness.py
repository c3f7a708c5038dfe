"""The checks every journey relies on must be able to fail: each is shown one broken page.

The broken pages are real pages of ours, served with their real Content-Security-Policy header,
with a fault spliced into the HTML on the way to the browser.
"""

import pytest

from tests.browser.harness import Visitor

pytestmark = pytest.mark.browser


def _serve_login_page_with(visitor: Visitor, fault: str) -> None:
    def splice(route):
        response = route.fetch()
        body = response.text().replace("</main>", f"{fault}</main>")
        route.fulfill(response=response, body=body)

    visitor.page.route("**/accounts/login/", splice)


def test_it_fails_a_page_with_an_accessibility_violation(visitor):
    _serve_login_page_with(visitor, '<img src="/static/img/favicon.svg">')
    with pytest.raises(AssertionError) as failure:
        visitor.visit("/accounts/login/")
    message = str(failure.value)
    assert "image-alt [critical]" in message
    assert "https://dequeuniversity.com/rules/axe/" in message
    assert "      at img" in message


def test_it_fails_a_page_whose_inline_script_the_csp_refuses(visitor):
    _serve_login_page_with(visitor, "<script>document.title = 'x'</script>")
    with pytest.raises(AssertionError, match=r"CSP violation: .*script-src 'self'"):
        visitor.visit("/accounts/login/")


def test_it_fails_a_page_with_a_missing_static_file(visitor):
    _serve_login_page_with(visitor, '<link rel="stylesheet" href="/static/css/missing.css">')
    with pytest.raises(AssertionError, match=r"HTTP 404 for stylesheet .*/static/css/missing\.css"):
        visitor.visit("/accounts/login/")


def test_it_knows_a_page_loaded_without_being_checked(visitor):
    visitor.visit("/accounts/login/")
    visitor.page.goto(visitor.url("/accounts/password/reset/"))
    assert visitor.unchecked_pages() == [visitor.url("/accounts/password/reset/")]
    visitor.check()
    assert visitor.unchecked_pages() == []

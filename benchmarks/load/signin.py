"""Signing in to a running esafety as a person does, through the sign-in pages, second factor and
all, for the load test: run.py signs each persona in once and the simulated users share that
session, since a sign-in hashes a password (half a second of a core) and a TOTP code is accepted
once, so two hundred people signing in would measure the sign-in and nothing else.

The load test plays the part of the TLS-terminating proxy production sits behind: every request
says X-Forwarded-Proto: https and names its client in X-Forwarded-For, as the proxy would, and
the Secure cookies a browser keeps for an https site are sent back over the loopback socket.
"""

import base64
import hashlib
import hmac
import re
import struct
import time

import requests

PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN_PATH = "/accounts/login/"
SECOND_FACTOR_PATH = "/accounts/2fa/authenticate/"
TIMEOUT = 15
TOTP_PERIOD = 30


class SignInFailed(Exception):
    pass


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238, as allauth computes it (allauth.mfa.totp.internal.auth.hotp_value): six digits,
    SHA-1, 30-second steps. tests/test_load.py checks the two agree."""
    counter = int(time.time() if at is None else at) // TOTP_PERIOD
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**6:06d}"


def browser_headers(base_url: str) -> dict[str, str]:
    """What the proxy and a browser add: the scheme the person used, and the origin of a form's
    page (the CSRF check of an https request compares it with the host)."""
    origin = "https://" + base_url.split("://", 1)[1].rstrip("/")
    return {**PROXY_HEADERS, "Origin": origin, "Referer": origin + "/"}


class _Browser:
    """requests, keeping the cookies itself: its cookie jar holds back Secure cookies from an
    http:// address, and a browser sends them because it speaks https to the proxy. Here the
    proxy's hop is the loopback socket, so they go back over it."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.headers = browser_headers(base_url)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(
            method,
            self.base + path,
            headers={**self.headers, "Cookie": cookie},
            allow_redirects=False,
            timeout=TIMEOUT,
            **kwargs,
        )
        self.cookies.update({c.name: c.value for c in response.cookies})
        self.cookies = {name: value for name, value in self.cookies.items() if value}
        return response


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    if not match:
        raise SignInFailed("the page has no CSRF token in its form")
    return match.group(1)


def sign_in(base_url: str, email: str, password: str, totp_secret: str = "") -> dict[str, str]:
    """Sign in and return the session's cookies. A TOTP code already used in this 30-second step
    is refused (allauth remembers it), so a refused code is tried once more in the next step."""
    browser = _Browser(base_url)
    page = browser.request("GET", LOGIN_PATH)
    _expect(page, 200, "the sign-in page")
    token = csrf_token(page.text)
    answer = browser.request(
        "POST",
        LOGIN_PATH,
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
    )
    _expect(answer, 302, f"signing in as {email}")
    if answer.headers["Location"].startswith(SECOND_FACTOR_PATH):
        if not totp_secret:
            raise SignInFailed(f"{email} is asked for a second factor but has no TOTP secret")
        for attempt in range(2):
            page = browser.request("GET", SECOND_FACTOR_PATH)
            _expect(page, 200, "the second-factor page")
            code = totp_code(totp_secret)
            answer = browser.request(
                "POST",
                SECOND_FACTOR_PATH,
                data={"code": code, "csrfmiddlewaretoken": csrf_token(page.text)},
            )
            if answer.status_code == 302 or attempt == 1:
                break
            time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.5)
        _expect(answer, 302, f"the second factor of {email}")
    # Home sends a member of one school on to that school's page; the sign-in page means no.
    home = browser.request("GET", "/")
    if home.status_code != 200 and not home.headers.get("Location", "").startswith("/s/"):
        _expect(home, 200, f"the home page after signing in as {email}")
    return browser.cookies


def _expect(response: requests.Response, status: int, what: str) -> None:
    if response.status_code != status:
        where = response.headers.get("Location", "")
        raise SignInFailed(
            f"{what}: HTTP {response.status_code}{' to ' + where if where else ''}, not {status}"
        )

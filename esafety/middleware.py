import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse

from esafety import context
from esafety.people.access import is_privileged

Handler = Callable[[HttpRequest], HttpResponse]

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    # Behind the production proxy REMOTE_ADDR is the proxy; the proxy appends the client.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives every request an id (echoed in X-Request-ID) that its audit events carry."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = context.new_request_id()
        request.request_id = request_id
        token = context.set_request(context.RequestInfo(request_id, client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            context.reset_request(token)
        response["X-Request-ID"] = request_id
        return response


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached answers 503 with a page that says nothing was saved.

    Django's bare "Server Error (500)" left a teacher who had just logged a concern not knowing
    it was lost. A request that carries a session is checked before the session and the user are
    read from the database (a failure there would be a 500 from inside another middleware): a
    stale kept connection fails its health check and is reopened, and if that fails the request
    stops at once. Everything else reads the database in its view, whose error is caught below;
    so the sign-in page, which needs no database, still shows. Every later request tries again,
    and the site recovers by itself when the database is back. The page is rendered without a
    request: no context processor may query the database.
    """

    RETRY_AFTER_SECONDS = 120

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            connection = connections[DEFAULT_DB_ALIAS]
            try:
                connection.close_if_health_check_failed()
                connection.ensure_connection()
            except (OperationalError, InterfaceError) as e:
                return self.unavailable(e)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, (OperationalError, InterfaceError)) and not _database_answers():
            return self.unavailable(exception)
        # Anything else (a lock timeout on a database that answers) is an ordinary error.
        return None

    def unavailable(self, e: Exception) -> HttpResponse:
        # The class only: a database error's text can quote a row.
        logger.error("database unreachable (%s): answered 503", type(e).__name__)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def _database_answers() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.connection is None:
        try:
            connection.ensure_connection()
        except (OperationalError, InterfaceError):
            return False
        return True
    return connection.is_usable()


class PrivilegedIdleTimeoutMiddleware:
    """Signs out a privileged user who has been idle too long.

    A DSL's screen left open in a staff room shows child-protection records to whoever walks
    past; thirty minutes is the guidance most schools' policies give.
    """

    KEY = "esafety_last_seen"
    # The clock is written at most once a minute: writing the session on every request would
    # add a query to each page and let two parallel requests overwrite each other's session.
    RESOLUTION_SECONDS = 60

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_privileged(user):
            signed_out = self.check(request)
            if signed_out is not None:
                return signed_out
        return self.get_response(request)

    @classmethod
    def check(cls, request: HttpRequest) -> HttpResponse | None:
        """Sign a privileged member out after the idle limit (the sign-in page to return to),
        else note that they were seen. For pages whose privilege is not a school's (a trust
        lead's) to call too."""
        now = time.time()
        last_seen = request.session.get(cls.KEY)
        limit = settings.ESAFETY_PRIVILEGED_IDLE_MINUTES * 60
        if last_seen is not None and now - last_seen > limit:
            logout(request)
            messages.info(
                request,
                f"You were signed out after {settings.ESAFETY_PRIVILEGED_IDLE_MINUTES} "
                "minutes without activity.",
            )
            return redirect_to_login(request.get_full_path())
        if last_seen is None or now - last_seen >= cls.RESOLUTION_SECONDS:
            request.session[cls.KEY] = now
        return None


class RequireMFAMiddleware:
    """Until a privileged user has enrolled an authenticator app, only MFA set-up and sign-out."""

    ALLOWED_URL_NAMES = (
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_logout",
        "account_reauthenticate",
        "mfa_reauthenticate",
    )

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self._allowed: set[str] | None = None

    def allowed_paths(self) -> set[str]:
        if self._allowed is None:
            self._allowed = {reverse(name) for name in self.ALLOWED_URL_NAMES}
        return self._allowed

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and is_privileged(user)
            and not request.path.startswith(settings.STATIC_URL)
            and request.path not in self.allowed_paths()
            and not _has_totp(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_esafety_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._esafety_has_totp = cached
    return cached

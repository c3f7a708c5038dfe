"""Error pages that need a view of their own."""

from django.http import HttpRequest, HttpResponseForbidden
from django.template import loader


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """A form refused for its CSRF token: the site's own page (a main landmark, plain words,
    nothing saved), never Django's technical one. The reason is not shown: it helps nobody at
    a school and tells an attacker which check failed."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))

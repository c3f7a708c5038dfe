"""What the filtering pages share: who may open them, the page context, the form-page pattern."""

from collections.abc import Callable

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from esafety.actions import submit_form
from esafety.people.access import SchoolAccess
from esafety.people.models import Role
from esafety.people.navigation import nav_for

# The online safety lead and the head keep the evidence; the DSL and deputies read it (and
# acknowledge reports and alerts); the governors read the roles and the reviews, and the named
# governor signs. Staff, the office and parents see nothing here.
KEEPERS = (Role.ONLINE_SAFETY_LEAD, Role.HEAD)
READERS = (*KEEPERS, Role.DSL, Role.DEPUTY_DSL)
GOVERNORS = (Role.GOVERNOR,)


def ctx(access: SchoolAccess, **extra) -> dict:
    return {
        "access": access,
        "nav": nav_for(access),
        "can_keep": access.has(*KEEPERS),
        # Governors open the roles and the reviews only: the tabs are for those who read it all.
        "can_read": access.has(*READERS),
        **extra,
    }


def form_page(
    request: HttpRequest,
    access: SchoolAccess,
    *,
    form: Form,
    do: Callable[[], object],
    done: str,
    then: Callable[[], str],
    template: str,
    **extra,
) -> HttpResponse:
    """Show the form; on a valid POST run the service, then go to `then()` (called after the
    service, so it may name what the service made)."""
    if request.method == "POST" and form.is_valid() and submit_form(request, form, do, done):
        return redirect(then())
    return render(request, template, ctx(access, form=form, **extra))

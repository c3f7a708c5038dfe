"""The one pattern of every action view: run one service, then tell the person what happened.

Views stay short (access helper, form, service, message or form error, redirect or render), and a
service's refusal reaches the person in the same words wherever the view lives. A domain app's
own refusal (ConcernError, PolicyError) subclasses ServiceRefusal, whose text says what to do.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest


class ServiceRefusal(Exception):
    """A service said no, in words meant for the person who asked (never a stack trace)."""


def run_service(request: HttpRequest, do: Callable[[], object], done: str) -> bool:
    """Run a service that has no form; show its refusal, or `done`, as a message."""
    try:
        do()
    except ServiceRefusal as e:
        messages.error(request, str(e))
        return False
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return False
    messages.success(request, done)
    return True


def submit_form(request: HttpRequest, form: Form, do: Callable[[], object], done: str) -> bool:
    """Run a service for a valid form. A refusal goes on the form, beside the field it is about
    (the service names it: {"next_review_due": ...}) or at its top, so the person sees it in the
    form's error summary with what they typed still there."""
    try:
        do()
    except ServiceRefusal as e:
        form.add_error(None, str(e))
        return False
    except ValidationError as e:
        for name, errors in e.error_dict.items() if hasattr(e, "error_dict") else [(None, e)]:
            form.add_error(name if name in form.fields else None, errors)
        return False
    messages.success(request, done)
    return True

"""Sign-in events come from allauth's and Django's signals; they are recorded as audit events."""

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from esafety.audit.services import audit_record


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, school=None, action="user.signed_in", obj=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, school=None, action="user.signed_out", obj=user)


@receiver(authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs) -> None:
    audit_record(actor=user, school=None, action="mfa.added", obj=user, summary=authenticator.type)


@receiver(authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs) -> None:
    audit_record(
        actor=user, school=None, action="mfa.removed", obj=user, summary=authenticator.type
    )

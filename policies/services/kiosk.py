"""The visitor kiosk's writes: the office's kiosk links, and a visitor accepting the AUP."""

import hashlib
import secrets
import uuid

from django.db import transaction
from django.utils import timezone

from esafety.audit.services import audit_record
from esafety.people.models import School, User
from policies.models import Acceptance, AcceptanceKind, KioskLink, Method, Visitor
from policies.selectors.kiosk import visitor_aup
from policies.services.common import PolicyError, clean_signature


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def kiosk_link_create(*, actor: User, school: School, label: str) -> tuple[KioskLink, str]:
    token = secrets.token_urlsafe(24)
    link = KioskLink(
        school=school, label=label.strip(), token_hash=_token_hash(token), created_by=actor
    )
    link.full_clean()
    link.save()
    audit_record(actor=actor, school=school, action="kiosk.created", obj=link, summary=link.label)
    return link, token


def kiosk_for_token(token: str) -> KioskLink | None:
    link = KioskLink.objects.select_related("school").filter(token_hash=_token_hash(token)).first()
    return link if link is not None and link.is_active else None


@transaction.atomic
def kiosk_link_revoke(*, actor: User, link: KioskLink) -> None:
    if link.revoked_at:
        return
    link.revoked_at = timezone.now()
    link.revoked_by = actor
    link.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor, school=link.school, action="kiosk.revoked", obj=link, summary=link.label
    )


@transaction.atomic
def visitor_accept(
    *,
    kiosk: KioskLink,
    name: str,
    organisation: str,
    visiting: str,
    typed_name: str,
    submission: uuid.UUID | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> Acceptance:
    kiosk = KioskLink.objects.select_for_update().get(pk=kiosk.pk)
    if submission is not None:
        # The kiosk is locked above, so a resent form waits here and then finds the first.
        done = Acceptance.objects.filter(visitor__submission=submission, school=kiosk.school)
        if done.exists():
            return done.get()
    if not kiosk.is_active:
        raise PolicyError("This kiosk link has been switched off. Please ask at reception.")
    version = visitor_aup(school=kiosk.school)
    if version is None:
        raise PolicyError("There is no visitor AUP to accept yet. Please ask at reception.")
    visitor = Visitor(
        school=kiosk.school,
        name=" ".join(name.split()),
        organisation=organisation.strip(),
        visiting=visiting.strip(),
        kiosk=kiosk,
        submission=submission,
    )
    visitor.full_clean()
    visitor.save()
    acceptance = Acceptance(
        version=version,
        school=kiosk.school,
        kind=AcceptanceKind.VISITOR,
        visitor=visitor,
        method=Method.KIOSK,
        typed_name=clean_signature(typed_name),
        ip=ip,
        user_agent=user_agent[:400],
    )
    acceptance.full_clean()
    acceptance.save()
    audit_record(
        actor=None,
        school=kiosk.school,
        action="acceptance.visitor",
        obj=version,
        summary=f"v{version.number} at kiosk {kiosk.label}",
    )
    return acceptance

"""Every write about schools, people and pupils, each with its audit event."""

import datetime
import hashlib
import secrets
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from esafety.audit.services import audit_record
from esafety.notify.models import Message
from esafety.notify.services import message_queue
from esafety.people.models import (
    STAFF_ROLES,
    Guardian,
    Invitation,
    Membership,
    Pupil,
    Role,
    School,
    SchoolClass,
    User,
)

INVITATION_DAYS = 14


@transaction.atomic
def school_create(*, actor: User | None, name: str, urn: str, **settings_: Any) -> School:
    school = School(name=name, urn=urn, **settings_)
    school.full_clean()
    school.save()
    audit_record(actor=actor, school=school, action="school.created", obj=school, summary=name)
    return school


@transaction.atomic
def user_create(
    *, actor: User | None, email: str, full_name: str = "", password: str | None = None
) -> User:
    email = User.objects.normalize_email(email).lower()
    user = User(email=email, full_name=full_name)
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(actor=actor, school=None, action="user.created", obj=user)
    return user


@transaction.atomic
def membership_add(
    *, actor: User | None, user: User, school: School, role: str, is_chair: bool = False
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, school=school, role=role, defaults={"is_chair": is_chair}
    )
    if not created and (not membership.is_active or membership.is_chair != is_chair):
        membership.is_active = True
        membership.is_chair = is_chair
        membership.full_clean()
        membership.save(update_fields=["is_active", "is_chair", "updated_at"])
        created = True
    if created:
        audit_record(
            actor=actor,
            school=school,
            action="membership.added",
            obj=membership,
            summary=f"{user.email} as {membership.get_role_display()}"
            + (" (chair)" if is_chair else ""),
        )
    return membership


@transaction.atomic
def school_class_get_or_create(
    *, actor: User | None, school: School, name: str, year_group: str = ""
) -> SchoolClass:
    school_class, created = SchoolClass.objects.get_or_create(
        school=school, name=name, defaults={"year_group": year_group}
    )
    if created:
        audit_record(
            actor=actor, school=school, action="class.created", obj=school_class, summary=name
        )
    return school_class


@transaction.atomic
def school_class_set_teacher(
    *, actor: User, school_class: SchoolClass, teacher: User | None
) -> SchoolClass:
    """Name the class teacher (the roster does not carry one): they record the class's in-class
    AUP sign-off. None leaves the class without a teacher."""
    if teacher is not None:
        is_staff = Membership.objects.filter(
            user=teacher, school=school_class.school, is_active=True, role__in=STAFF_ROLES
        ).exists()
        if not is_staff:
            raise ValidationError("The class teacher must be a member of staff at this school.")
    if school_class.teacher_id == (teacher.pk if teacher else None):
        return school_class
    school_class.teacher = teacher
    school_class.save(update_fields=["teacher", "updated_at"])
    audit_record(
        actor=actor,
        school=school_class.school,
        action="class.teacher_set",
        obj=school_class,
        summary=f"{school_class.name}: {teacher.email if teacher else 'no teacher'}",
    )
    return school_class


@transaction.atomic
def pupil_create(
    *,
    actor: User | None,
    school: School,
    mis_id: str,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    year_group: str,
    school_class: SchoolClass | None = None,
    sen: bool = False,
    looked_after: bool = False,
    cp_plan: bool = False,
    on_roll_date: datetime.date | None = None,
) -> Pupil:
    pupil = Pupil(
        school=school,
        mis_id=mis_id,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        year_group=year_group,
        school_class=school_class,
        sen=sen,
        looked_after=looked_after,
        cp_plan=cp_plan,
        on_roll_date=on_roll_date,
    )
    pupil.full_clean()
    pupil.save()
    # The audit summary names the MIS id, never the child.
    audit_record(
        actor=actor, school=school, action="pupil.created", obj=pupil, summary=f"MIS {mis_id}"
    )
    return pupil


@transaction.atomic
def guardian_add(
    *,
    actor: User | None,
    pupil: Pupil,
    email: str,
    full_name: str = "",
    relationship: str = "",
    parental_responsibility: bool = True,
) -> Guardian:
    email = User.objects.normalize_email(email).lower()
    guardian = Guardian(
        pupil=pupil,
        email=email,
        full_name=full_name,
        relationship=relationship,
        parental_responsibility=parental_responsibility,
        user=linked_parent(school=pupil.school, email=email),
    )
    guardian.full_clean()
    guardian.save()
    audit_record(
        actor=actor,
        school=pupil.school,
        action="guardian.added",
        obj=guardian,
        summary=f"for pupil MIS {pupil.mis_id}",
    )
    return guardian


def linked_parent(*, school: School, email: str) -> User | None:
    """The parent account to link a guardian row to, if that person has already accepted a
    parent invitation at this school (which proved they control the email)."""
    return User.objects.filter(
        email=email,
        memberships__school=school,
        memberships__role=Role.PARENT,
        memberships__is_active=True,
    ).first()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, actor: User | None, school: School, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and the secret token in its link.

    The token is stored only as a hash, so a database dump cannot be used to accept invitations.
    """
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    email = User.objects.normalize_email(email).lower()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        school=school,
        email=email,
        role=role,
        invited_by=actor,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=actor,
        school=school,
        action="invitation.created",
        obj=invitation,
        summary=f"{email} as {invitation.get_role_display()}",
    )
    message_queue(
        kind=Message.Kind.INVITATION,
        school=school,
        to_email=email,
        subject=f"You are invited to esafety for {school.name}",
        body=(
            f"{actor.get_full_name() if actor else 'The team that runs esafety'} has invited you "
            f"to use esafety at {school.name} as "
            f"{invitation.get_role_display().lower()}. The link below works for "
            f"{INVITATION_DAYS} days."
        ),
        link=reverse("people:invitation_accept", args=[token]),
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("school", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    if invitation.accepted_at or invitation.revoked_at:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        school=invitation.school,
        action="invitation.revoked",
        obj=invitation,
        summary=invitation.email,
    )


def account_exists(email: str) -> bool:
    return User.objects.filter(email=email.lower()).exists()


class InvitationError(Exception):
    pass


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None, full_name: str = "", password: str = ""
) -> User:
    """Accept an invitation, creating the account if there is none yet.

    A parent's acceptance links them to every pupil at the school whose roster lists their email,
    and to no other.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise InvitationError("This invitation has expired, been withdrawn or been used.")
    if user is None:
        if User.objects.filter(email=invitation.email).exists():
            raise InvitationError("An account with this email exists: sign in to accept.")
        user = user_create(
            actor=None, email=invitation.email, full_name=full_name, password=password
        )
    elif user.email.lower() != invitation.email:
        raise InvitationError(
            "This invitation was sent to a different email address from the one you are "
            "signed in with."
        )
    membership_add(actor=user, user=user, school=invitation.school, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    linked = 0
    if invitation.role == Role.PARENT:
        # iexact: the roster keeps an email as the MIS typed it.
        linked = Guardian.objects.filter(
            pupil__school=invitation.school, email__iexact=invitation.email, user__isnull=True
        ).update(user=user)
    audit_record(
        actor=user,
        school=invitation.school,
        action="invitation.accepted",
        obj=invitation,
        summary=f"linked to {linked} pupil(s)" if invitation.role == Role.PARENT else "",
    )
    return user

"""Training records: a member adds their own with its certificate; the online safety lead, the
DSL or the head checks it; a briefing held in school makes one for everyone present."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from esafety.notify.models import Message
from esafety.notify.services import message_queue
from esafety.people.models import Membership, School, User
from training.certificates import check_certificate
from training.models import Course, Session, TrainingRecord
from training.services.common import (
    TRAINEES,
    VERIFIERS,
    TrainingError,
    audit,
    require_roles,
)


def _course_of(school: School, course: Course) -> Course:
    if course.school_id != school.pk or not course.is_active:
        raise ValidationError({"course": "Choose one of the school's courses."})
    return course


def _check_day(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "The date cannot be in the future."})


@transaction.atomic
def record_add(
    *,
    actor: User,
    school: School,
    course: Course,
    completed_on: datetime.date,
    provider: str,
    certificate: UploadedFile | None = None,
) -> TrainingRecord:
    """A member of staff or a governor adds a record of their own training. It counts once
    someone who checks certificates has verified it."""
    require_roles(actor, school, TRAINEES, "add training records")
    _course_of(school, course)
    _check_day(completed_on, "completed_on")
    provider = provider.strip()
    if not provider:
        raise ValidationError({"provider": "Say who ran the course."})
    checked = check_certificate(certificate) if certificate else None
    if TrainingRecord.objects.filter(
        person=actor, course=course, completed_on=completed_on, rejected_at__isnull=True
    ).exists():
        raise TrainingError("You have a record of this course on that day already.")
    record = TrainingRecord(
        school=school,
        course=course,
        person=actor,
        completed_on=completed_on,
        provider=provider[:200],
        added_by=actor,
    )
    if checked:
        record.certificate_type = checked.content_type
        record.certificate_size = checked.size
        record.certificate_sha256 = checked.sha256
        record.certificate.save(checked.storage_name, checked.upload, save=False)
    record.full_clean(exclude=["certificate"])
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # Another request saved the same record first: this one's file is not kept.
        if checked:
            record.certificate.delete(save=False)
        raise TrainingError("You have a record of this course on that day already.") from None
    audit(
        actor,
        school,
        "training.record_added",
        record,
        f"{course.title}; {'with' if checked else 'no'} certificate",
    )
    return record


@transaction.atomic
def record_verify(*, actor: User, record: TrainingRecord) -> TrainingRecord:
    school = record.school
    require_roles(actor, school, VERIFIERS, "verify training records")
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    if record.person_id == actor.pk:
        raise TrainingError("Someone else checks your own records.")
    if record.verified_at is not None:
        raise TrainingError("This record has been verified already.")
    if record.rejected_at is not None:
        raise TrainingError("This record was not accepted; its owner adds a corrected one.")
    record.verified_at = timezone.now()
    record.verified_by = actor
    record.save(update_fields=["verified_at", "verified_by", "updated_at"])
    audit(actor, school, "training.record_verified", record, record.course.title)
    return record


@transaction.atomic
def record_reject(*, actor: User, record: TrainingRecord, reason: str) -> TrainingRecord:
    """A checker cannot accept the record, and says why: it never counts, and its owner is
    told to add a corrected one."""
    school = record.school
    require_roles(actor, school, VERIFIERS, "check training records")
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    if record.person_id == actor.pk:
        raise TrainingError("Someone else checks your own records.")
    if record.verified_at is not None or record.rejected_at is not None:
        raise TrainingError("This record has been checked already.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why, so they can put it right."})
    record.rejected_at = timezone.now()
    record.rejected_by = actor
    record.rejection_reason = reason[:300]
    record.full_clean(exclude=["certificate"])
    record.save(update_fields=["rejected_at", "rejected_by", "rejection_reason", "updated_at"])
    audit(actor, school, "training.record_rejected", record, record.course.title)
    # The reason is the checker's words about an adult's certificate; the email carries only
    # that it needs correcting, and the page says why.
    message_queue(
        kind=Message.Kind.REMINDER,
        school=school,
        recipient=record.person,
        subject=f"Your {record.course.title} record needs correcting",
        body=f"Your {record.course.title} record at {school.name} was not accepted. Open it to "
        "see why, and add a corrected one.",
        link=reverse("training:record_detail", args=[school.code, record.code]),
    )
    return record


def certificate_read(*, actor: User, record: TrainingRecord) -> None:
    """A certificate was opened: recorded, as every read of a file someone uploaded is."""
    audit(actor, record.school, "training.certificate_read", record)


@transaction.atomic
def session_record(
    *,
    actor: User,
    school: School,
    course: Course,
    held_on: datetime.date,
    presenter: str,
    attendees: Sequence[User],
) -> tuple[Session, int]:
    """A briefing or course held in school, with who was there: one record each, verified (the
    person recording it saw them there). Recording it again, or someone twice, adds nobody
    twice. Returns the session and how many records it made."""
    require_roles(actor, school, VERIFIERS, "record training held in school")
    _course_of(school, course)
    _check_day(held_on, "held_on")
    presenter = presenter.strip()
    if not presenter:
        raise ValidationError({"presenter": "Say who led it."})
    if not attendees:
        raise ValidationError({"attendees": "Tick everyone who was there."})
    # One query for them all: each must be on the staff or the board of this school.
    members = set(
        Membership.objects.filter(
            school=school, is_active=True, role__in=TRAINEES, user__in=set(attendees)
        ).values_list("user_id", flat=True)
    )
    if {p.pk for p in attendees} - members:
        raise ValidationError({"attendees": "Only the school's staff and governors."})
    session, made = Session.objects.get_or_create(
        course=course,
        held_on=held_on,
        defaults={"school": school, "presenter": presenter[:200], "recorded_by": actor},
    )
    if made:
        audit(actor, school, "training.session_recorded", session, course.title)
    already = set(
        TrainingRecord.objects.filter(
            course=course,
            completed_on=held_on,
            person__in=set(attendees),
            rejected_at__isnull=True,
        ).values_list("person_id", flat=True)
    )
    now = timezone.now()
    new = [
        TrainingRecord(
            school=school,
            course=course,
            person=person,
            completed_on=held_on,
            provider=session.presenter,
            session=session,
            added_by=actor,
            verified_at=now,
            verified_by=actor,
        )
        for person in {p.pk: p for p in attendees}.values()
        if person.pk not in already
    ]
    # The unique key drops a record another request made between the read and this insert.
    TrainingRecord.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        audit(actor, school, "training.attendance_recorded", session, f"{len(new)} new record(s)")
    return session, len(new)

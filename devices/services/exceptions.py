"""The exceptions register: which pupils may bring a phone to school, and why."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from devices.models import ExceptionReason, PhoneException
from devices.services.common import DeviceError, audit, clean_text, school_today
from esafety.people.models import Pupil, User


@transaction.atomic
def exception_grant(
    *,
    actor: User,
    pupil: Pupil,
    reason: str,
    detail: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    review_due: datetime.date,
) -> PhoneException:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date is before the start date."})
    if review_due < starts_on:
        raise ValidationError({"review_due": "The review is due before the exception starts."})
    if not pupil.on_roll:
        raise DeviceError("This pupil has left the school.")
    exception = PhoneException(
        school=pupil.school,
        pupil=pupil,
        reason=reason,
        detail=clean_text(detail),
        granted_by=actor,
        starts_on=starts_on,
        ends_on=ends_on,
        review_due=review_due,
    )
    exception.full_clean()
    exception.save()
    audit(actor, pupil.school, "phone_exception.granted", exception, exception.reason)
    return exception


@transaction.atomic
def exception_review(
    *, actor: User, exception: PhoneException, review_due: datetime.date
) -> PhoneException:
    """The exception was reviewed and stands: the next review is set."""
    if review_due <= school_today(exception.school):
        raise ValidationError({"review_due": "The next review must be after today."})
    exception.review_due = review_due
    exception.save(update_fields=["review_due", "updated_at"])
    audit(actor, exception.school, "phone_exception.reviewed", exception, f"next {review_due}")
    return exception


@transaction.atomic
def exception_end(*, actor: User, exception: PhoneException) -> PhoneException:
    """Withdraw an exception from today. A medical exception is a reasonable adjustment (a
    glucose monitor runs on the phone): it is reviewed, never withdrawn here."""
    if exception.reason == ExceptionReason.MEDICAL:
        raise DeviceError(
            "A medical exception is a reasonable adjustment and cannot be withdrawn: record its "
            "review instead, with the pupil's parents and the school nurse."
        )
    if exception.ended_on is not None:
        return exception
    exception.ended_on = school_today(exception.school)
    exception.save(update_fields=["ended_on", "updated_at"])
    audit(actor, exception.school, "phone_exception.ended", exception)
    return exception

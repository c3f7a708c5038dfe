"""The hand-in desk: a phone checked in on arrival, and handed back at the end of the day."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from devices.models import HandIn
from devices.selectors.desk import current_exception
from devices.services.common import DeviceError, audit, clean_text, school_today
from esafety.people.models import Pupil, User


@transaction.atomic
def phone_check_in(*, actor: User, pupil: Pupil, condition: str = "") -> HandIn:
    today = school_today(pupil.school)
    exception = current_exception(pupil, today)
    if exception is None:
        raise DeviceError(
            "This pupil has no exception for a phone: a phone found on them is a breach "
            "(record it as a confiscation)."
        )
    if exception.is_medical:
        raise DeviceError("This pupil's phone is a medical need: it stays with them.")
    if HandIn.objects.filter(pupil=pupil, day=today).exists():
        raise DeviceError("This pupil's phone is already in today.")
    hand_in = HandIn(
        school=pupil.school,
        pupil=pupil,
        day=today,
        checked_in_at=timezone.now(),
        checked_in_by=actor,
        condition=clean_text(condition),
    )
    try:
        with transaction.atomic():
            hand_in.save()
    except IntegrityError:
        # Two taps at once on two tablets: the first one counts.
        raise DeviceError("This pupil's phone is already in today.") from None
    audit(actor, pupil.school, "phone.checked_in", hand_in, "damaged" if condition else "")
    return hand_in


@transaction.atomic
def phone_hand_back(*, actor: User, pupil: Pupil) -> HandIn:
    today = school_today(pupil.school)
    hand_in = HandIn.objects.select_for_update().filter(pupil=pupil, day=today).first()
    if hand_in is None:
        raise DeviceError("This pupil's phone was not handed in today.")
    if hand_in.returned_at is not None:
        raise DeviceError("This pupil's phone has been handed back already.")
    hand_in.returned_at = timezone.now()
    hand_in.returned_by = actor
    hand_in.save(update_fields=["returned_at", "returned_by"])
    audit(actor, pupil.school, "phone.handed_back", hand_in)
    return hand_in

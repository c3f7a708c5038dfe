"""Keeping the course catalogue: the school changes the defaults or adds its own."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from esafety.people.models import School, User
from training.models import Course, Group, TrainingSettings, Validity
from training.services.common import KEEPERS, TrainingError, audit, require_roles, settings_for


def _fill(
    course: Course,
    *,
    title: str,
    kind: str,
    validity: str,
    months: int | None,
    within_days: int | None,
    due_month: int | None,
    due_day: int | None,
    required_for: Sequence[str],
    is_active: bool,
) -> None:
    unknown = set(required_for) - set(Group.values)
    if unknown:
        raise ValidationError({"required_for": f"Unknown groups: {', '.join(sorted(unknown))}."})
    course.title = title.strip()
    course.kind = kind
    course.validity = validity
    # Only the numbers the validity model uses are kept: a course changed from rolling to once
    # does not keep a stale number of months.
    course.months = months if validity == Validity.ROLLING else None
    course.within_days = within_days if validity == Validity.ONCE else None
    course.due_month = due_month if validity == Validity.ACADEMIC_YEAR else None
    course.due_day = due_day if validity == Validity.ACADEMIC_YEAR else None
    needed = {
        Validity.ROLLING: ("months", course.months, "How many months the course counts for."),
        Validity.ONCE: ("within_days", course.within_days, "Within how many days of starting."),
        Validity.ACADEMIC_YEAR: ("due_month", course.due_month, "The month it is due by."),
    }[Validity(validity)]
    if not needed[1]:
        raise ValidationError({needed[0]: needed[2]})
    if validity == Validity.ACADEMIC_YEAR and not course.due_day:
        raise ValidationError({"due_day": "The day of the month it is due by."})
    course.required_for = sorted(set(required_for))
    course.is_active = is_active
    course.full_clean()


def _save(course: Course) -> None:
    try:
        with transaction.atomic():
            course.save()
    except IntegrityError:
        raise ValidationError(
            {"title": "The school has a course with this title already."}
        ) from None


@transaction.atomic
def course_create(*, actor: User, school: School, **fields: Any) -> Course:
    require_roles(actor, school, KEEPERS, "change the course catalogue")
    settings_for(school=school)
    course = Course(school=school)
    if Course.objects.filter(school=school, title__iexact=fields["title"].strip()).exists():
        raise ValidationError({"title": "The school has a course with this title already."})
    _fill(course, **fields)
    _save(course)
    audit(actor, school, "training.course_created", course, course.title)
    return course


@transaction.atomic
def course_update(*, actor: User, course: Course, **fields: Any) -> Course:
    school = course.school
    require_roles(actor, school, KEEPERS, "change the course catalogue")
    course = Course.objects.select_for_update().get(pk=course.pk)
    if (
        Course.objects.filter(school=school, title__iexact=fields["title"].strip())
        .exclude(pk=course.pk)
        .exists()
    ):
        raise ValidationError({"title": "The school has a course with this title already."})
    _fill(course, **fields)
    _save(course)
    audit(actor, school, "training.course_changed", course, course.title)
    return course


@transaction.atomic
def settings_update(
    *,
    actor: User,
    school: School,
    expiring_days: int,
    safeguarding_governor: User | None,
    read_and_sign: Sequence[str],
) -> TrainingSettings:
    from training.selectors.people import people_of

    require_roles(actor, school, KEEPERS, "change the training settings")
    settings = TrainingSettings.objects.select_for_update().get(pk=settings_for(school=school).pk)
    if safeguarding_governor is not None and not any(
        p.user.pk == safeguarding_governor.pk and p.is_governor
        for p in people_of(school=school, settings=settings, only=safeguarding_governor)
    ):
        raise TrainingError("The safeguarding governor must be a governor of this school.")
    if not 1 <= expiring_days <= 180:
        raise ValidationError({"expiring_days": "Between 1 and 180 days."})
    settings.expiring_days = expiring_days
    settings.safeguarding_governor = safeguarding_governor
    settings.read_and_sign = sorted({str(code) for code in read_and_sign})
    settings.save()
    audit(
        actor,
        school,
        "training.settings_changed",
        settings,
        f"{len(settings.read_and_sign)} read-and-sign document(s)",
    )
    return settings

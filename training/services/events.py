"""Engagement events: pupils' online-safety lessons, parents' evenings, staff briefings."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from esafety.people.models import School, User
from training.models import EngagementEvent, EventKind
from training.services.common import VERIFIERS, audit, require_roles


@transaction.atomic
def event_record(
    *,
    actor: User,
    school: School,
    kind: str,
    held_on: datetime.date,
    topic: str,
    presenter: str,
    external: bool = False,
    year_groups: Sequence[str] = (),
    audience: str = "",
    attendance: int = 0,
) -> EngagementEvent:
    require_roles(actor, school, VERIFIERS, "record engagement events")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Record an event once it has happened."})
    if kind == EventKind.PUPIL_LESSON and not year_groups:
        raise ValidationError({"year_groups": "Tick the year groups the lesson was for."})
    if attendance < 0:
        raise ValidationError({"attendance": "A number of people, 0 or more."})
    event = EngagementEvent(
        school=school,
        kind=kind,
        held_on=held_on,
        topic=topic.strip(),
        presenter=presenter.strip(),
        external=external,
        year_groups=sorted(set(year_groups)) if kind == EventKind.PUPIL_LESSON else [],
        audience=audience.strip(),
        attendance=attendance,
        recorded_by=actor,
    )
    event.full_clean()
    event.save()
    audit(actor, school, "training.event_recorded", event, event.get_kind_display())
    return event

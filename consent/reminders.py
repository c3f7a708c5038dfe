"""Reminders to parents whose children still have consent decisions outstanding: a week after
they could first decide, then weekly, at most four (per academic year where the school renews
each year). Keyed rows in notify's log, so a sweep run twice sends once; a fixed number of
queries per school, then notify's batches."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone

from consent.selectors import current_form, parent_decided, purposes_of, renew_year, settings_of
from esafety.notify.services import Email, ReminderItem, reminders_send_many
from esafety.people.models import Guardian, Membership, Pupil, Role, School

FIRST_AFTER_DAYS = 7
MAX_REMINDERS = 4


def reminder_due(start: datetime.datetime, now: datetime.datetime) -> int:
    days = (now - start).days
    if days < FIRST_AFTER_DAYS:
        return 0
    return min(MAX_REMINDERS, days // 7)


def send_consent_reminders(*, school: School, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    form = current_form(school=school)
    purposes = [p for p in purposes_of(school=school) if p.needs_consent]
    if form is None or not purposes:
        return 0
    settings = settings_of(school=school)
    year = renew_year(settings=settings, school=school, today=today)
    children: dict[int, set[int]] = defaultdict(set)
    for user_id, pupil_id in Guardian.objects.filter(
        pupil__school=school,
        pupil__left_date__isnull=True,
        parental_responsibility=True,
        user__isnull=False,
    ).values_list("user_id", "pupil_id"):
        children[user_id].add(pupil_id)
    all_children = {pk for ids in children.values() for pk in ids}
    decided = parent_decided(
        pupils=Pupil.objects.filter(pk__in=all_children),
        purposes=purposes,
        year=year,
        school=school,
    )
    link = reverse("consent:mine", args=[school.code])
    start_of_year = None
    if year is not None:
        start_of_year = timezone.make_aware(
            datetime.datetime(year, school.academic_year_start_month, 1)
        )
    items = []
    for m in Membership.objects.filter(
        school=school, role=Role.PARENT, is_active=True, user__is_active=True
    ).select_related("user"):
        owed = sum(
            1
            for pupil_id in children.get(m.user_id, ())
            for p in purposes
            if (pupil_id, p.pk) not in decided
        )
        if not owed:
            continue
        start = max(filter(None, [m.created_at, form.published_at, start_of_year]))
        due = reminder_due(start, now)
        if not due:
            continue
        items.append(
            ReminderItem(
                subject=f"consent:{m.user.code}:{year if year is not None else 'any'}",
                kind="consent.decisions_outstanding",
                period=str(due),
                emails=[
                    Email(
                        recipient=m.user,
                        subject="Photo and video consent: your choices, please",
                        body=f"{school.name} asks for your photo and video consent choices. "
                        "Until you choose, the answer is no.",
                        link=link,
                    )
                ],
            )
        )
    return reminders_send_many(school=school, items=items)

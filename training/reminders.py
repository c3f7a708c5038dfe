"""Training reminders, each a keyed reminder in notify's log, so a sweep run twice sends once:

- to the person, 30 days (the school's expiring days) before a record lapses, on the day it
  lapses, then weekly while it stays lapsed;
- to a new member of staff (and the online safety lead), once, when a course they must hold
  within days of starting is due;
- a weekly summary to the online safety lead;
- to the online safety lead, in the last four weeks of a term, when a year group has not had
  its online-safety lesson.

A sweep reads the school's matrix once (a constant number of queries) and sends through
notify's batched service, so its queries grow with batches, not with the number of people.
Emails name no pupil: they say what needs attention and link to it.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from esafety.notify.services import Email, ReminderItem, reminders_send_many
from esafety.people.models import Membership, Role, School, User
from training.models import Validity
from training.selectors.engagement import engagement_status
from training.selectors.matrix import Column, build_matrix, settings_read
from training.selectors.people import Person
from training.validity import Cell, State

TERM_WARNING = datetime.timedelta(days=28)


def _leads(school: School) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            school=school, role=Role.ONLINE_SAFETY_LEAD, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def _expiry_item(
    school: School, person: Person, column: Column, cell: Cell, today: datetime.date
) -> ReminderItem:
    ends = cell.expires_on
    assert ends is not None  # only lapsing records are asked about
    days = (ends - today).days
    link = reverse("training:mine", args=[school.code])
    if days > 0:
        kind, period = "training.expiring", ends.isoformat()
        subject = f"Your {column.title} lapses on {ends:%d %B %Y}"
        body = f"Your {column.title} at {school.name} lapses on {ends:%d %B %Y}. Book it again."
    elif days > -7:
        kind, period = "training.expired", ends.isoformat()
        subject = f"Your {column.title} has lapsed"
        body = f"Your {column.title} at {school.name} lapsed on {ends:%d %B %Y}. Book it again."
    else:
        weeks = -days // 7
        kind, period = "training.expired_weekly", f"{ends.isoformat()}:{weeks}"
        subject = f"Your {column.title} has lapsed"
        body = (
            f"Your {column.title} at {school.name} lapsed on {ends:%d %B %Y}, {weeks} "
            f"week{'s' if weeks != 1 else ''} ago. Book it again."
        )
    return ReminderItem(
        subject=f"training:{column.key}:{person.user.code}",
        kind=kind,
        period=period,
        emails=[Email(recipient=person.user, subject=subject, body=body, link=link)],
    )


def _induction_item(
    school: School, person: Person, column: Column, due: datetime.date, leads: list[User]
) -> ReminderItem:
    mine = reverse("training:mine", args=[school.code])
    emails = [
        Email(
            recipient=person.user,
            subject=f"{column.title} due by {due:%d %B %Y}",
            body=f"Welcome to {school.name}. Your {column.title} is due by {due:%d %B %Y}; add "
            "the record once it is done.",
            link=mine,
        )
    ]
    emails += [
        Email(
            recipient=lead,
            subject=f"A new member of staff's {column.title} is due",
            body=f"{person.name} joined {school.name}; their {column.title} is due by "
            f"{due:%d %B %Y}.",
            link=reverse("training:matrix", args=[school.code]),
        )
        for lead in leads
        if lead.pk != person.user.pk
    ]
    return ReminderItem(
        subject=f"training:{column.key}:{person.user.code}",
        kind="training.induction_due",
        period=due.isoformat(),
        emails=emails,
    )


def send_person_reminders(*, school: School, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    settings = settings_read(school=school)
    if settings.pk is None:
        return 0  # the school has not used training yet: nothing is required of anyone
    since = timezone.localtime(settings.created_at).date()
    matrix = build_matrix(school=school, today=today, settings=settings)
    leads = _leads(school)
    items = []
    for row in matrix.rows:
        for column, cell in zip(matrix.columns, row.cells, strict=True):
            if cell is None or column.kind != "course":
                continue
            if cell.expires_on and cell.state in (State.EXPIRING, State.EXPIRED):
                items.append(_expiry_item(school, row.person, column, cell, today))
            elif (
                column.validity == Validity.ONCE
                and cell.state == State.MISSING
                and cell.due_on
                and cell.due_on >= today
                # New staff: those who joined once the school used training. The staff it had
                # when it started are not welcomed as new; the weekly summary counts theirs.
                and row.person.started_on >= since
            ):
                items.append(_induction_item(school, row.person, column, cell.due_on, leads))
    return reminders_send_many(school=school, items=items)


def send_lead_reminders(*, school: School, today: datetime.date | None = None) -> int:
    """The weekly summary and the term's missing lessons, to the online safety lead."""
    today = today or timezone.localdate()
    leads = _leads(school)
    if not leads:
        return 0
    matrix = build_matrix(school=school, today=today)
    totals = {state: sum(c[state] for c in matrix.totals) for state in State.values}
    induction_due = sum(
        1
        for row in matrix.rows
        for column, cell in zip(matrix.columns, row.cells, strict=True)
        if cell and column.validity == Validity.ONCE and cell.state == State.MISSING
    )
    year, week, _ = today.isocalendar()
    matrix_link = reverse("training:matrix", args=[school.code])
    summary = (
        f"Training at {school.name} this week: {totals[State.EXPIRED]} lapsed, "
        f"{totals[State.EXPIRING]} lapsing within {matrix.expiring_days} days, "
        f"{totals[State.MISSING]} not held ({induction_due} of them inductions)."
    )
    items = [
        ReminderItem(
            subject=f"school:{school.code}",
            kind="training.weekly_summary",
            period=f"{year}-W{week:02d}",
            emails=[
                Email(recipient=u, subject="Training this week", body=summary, link=matrix_link)
                for u in leads
            ],
        )
    ]
    status = engagement_status(school=school, today=today)
    if status.missing and today >= status.term.ends - TERM_WARNING:
        n = len(status.missing)
        body = (
            f"{n} year group{'s have' if n != 1 else ' has'} not had an online-safety lesson "
            f"this term ({status.term.label}, ending {status.term.ends:%d %B}): "
            f"{', '.join(status.missing)}."
        )
        items.append(
            ReminderItem(
                subject=f"school:{school.code}",
                kind="training.term_lesson_missing",
                period=status.term.key,
                emails=[
                    Email(
                        recipient=u,
                        subject="Online-safety lessons missing this term",
                        body=body,
                        link=reverse("training:engagement", args=[school.code]),
                    )
                    for u in leads
                ],
            )
        )
    return reminders_send_many(school=school, items=items)

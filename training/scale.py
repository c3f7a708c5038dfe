"""Training for the scale data set (manage.py seed_scale), in bulk: the default catalogue, a
record of most required courses for most of the staff and the board (some lapsing, some lapsed,
a few awaiting their check), the September briefing with its attendance, and a year of
engagement events. Every word is invented."""

import datetime

from dateutil.relativedelta import relativedelta

from esafety.contributions import accepted_documents
from esafety.people.models import Role
from esafety.scale import ScaleSchool
from training.catalogue import DEFAULT_COURSES
from training.models import (
    Course,
    EngagementEvent,
    EventKind,
    Group,
    Kind,
    Session,
    TrainingRecord,
    TrainingSettings,
    Validity,
)


def _groups(ctx: ScaleSchool, user, governor: bool) -> set[str]:
    if governor:
        return {Group.GOVERNORS} | ({Group.CHAIR} if user == ctx.people[Role.GOVERNOR] else set())
    groups = {Group.STAFF}
    if user in (ctx.people[Role.DSL], ctx.people[Role.DEPUTY_DSL]):
        groups.add(Group.DSL)
    if user == ctx.people[Role.ONLINE_SAFETY_LEAD]:
        groups.add(Group.ONLINE_SAFETY_LEAD)
    if user == ctx.people[Role.OFFICE]:
        groups.add(Group.OFFICE)
    return groups


def _completed(ctx: ScaleSchool, course: Course, today: datetime.date) -> datetime.date:
    rng = ctx.rng
    if course.validity == Validity.ROLLING:
        # Most within their months, one in eight lapsed.
        months = course.months or 12
        span = months + (months // 4 if rng.random() < 0.125 else 0)
        return today - relativedelta(days=rng.randint(1, span * 30))
    if course.validity == Validity.ACADEMIC_YEAR:
        return today - datetime.timedelta(days=rng.randint(1, 500))
    return today - datetime.timedelta(days=rng.randint(10, 1500))


def seed(ctx: ScaleSchool) -> None:
    rng, school = ctx.rng, ctx.school
    today = ctx.now.date()
    osl = ctx.people[Role.ONLINE_SAFETY_LEAD]
    staff_documents = [d for d in accepted_documents(school=school) if "staff" in d.audiences]
    settings = TrainingSettings(
        school=school, read_and_sign=[str(d.code) for d in staff_documents[:1]]
    )
    settings.created_at = settings.updated_at = ctx.start
    ctx.inserter.insert(TrainingSettings, [settings])
    courses = []
    for i, fields in enumerate(DEFAULT_COURSES, start=1):
        course = Course(school=school, order=i * 10, **fields)
        course.created_at = course.updated_at = ctx.start
        courses.append(course)
    ctx.inserter.insert(Course, courses)
    by_kind = {c.kind: c for c in courses}

    # The September briefing: the annual update for most of the staff.
    september = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 3)
    briefing = Session(
        school=school,
        course=by_kind[Kind.ANNUAL_UPDATE],
        held_on=min(september, today),
        presenter="The online safety lead",
        recorded_by=osl,
    )
    briefing.created_at = briefing.updated_at = ctx.start
    ctx.inserter.insert(Session, [briefing])

    records = []
    people = [(u, False) for u in ctx.staff] + [(u, True) for u in ctx.governors]
    for user, governor in people:
        groups = _groups(ctx, user, governor)
        for course in courses:
            if not groups & set(course.required_for) or rng.random() < 0.12:
                continue
            at_briefing = course is by_kind[Kind.ANNUAL_UPDATE] and rng.random() < 0.8
            day = briefing.held_on if at_briefing else _completed(ctx, course, today)
            unchecked = not at_briefing and rng.random() < 0.05
            moment = datetime.datetime.combine(day, datetime.time(15), tzinfo=datetime.UTC)
            record = TrainingRecord(
                school=school,
                course=course,
                person=user,
                completed_on=day,
                provider="The online safety lead" if at_briefing else "Local authority",
                session=briefing if at_briefing else None,
                added_by=osl if at_briefing else user,
                verified_at=None if unchecked else moment,
                verified_by=None if unchecked else osl,
            )
            record.created_at = record.updated_at = moment
            records.append(record)
    ctx.inserter.insert(TrainingRecord, records)
    for record in records:
        ctx.audit.add(
            school_id=school.pk,
            at=record.created_at,
            actor=osl if record.session else record.person,
            action="training.attendance_recorded" if record.session else "training.record_added",
            object_type="training.trainingrecord",
            object_code=record.code,
        )

    year_groups = sorted(
        {"Reception" if p.year == 0 else f"Year {p.year}" for p in ctx.pupils},
        key=lambda y: (y != "Reception", int(y.split()[-1]) if y != "Reception" else 0),
    )
    events = []
    for weeks_ago in range(2, 52, 6):
        day = today - datetime.timedelta(weeks=weeks_ago)
        events.append(
            EngagementEvent(
                school=school,
                kind=EventKind.PUPIL_LESSON,
                held_on=day,
                topic="Online safety lesson",
                year_groups=year_groups,
                presenter="Class teachers",
                external=weeks_ago == 20,
                recorded_by=osl,
            )
        )
    events.append(
        EngagementEvent(
            school=school,
            kind=EventKind.PARENT_EVENING,
            held_on=today - datetime.timedelta(weeks=10),
            topic="Apps, games and settings",
            audience="Parents and carers",
            presenter="The online safety lead",
            attendance=rng.randint(15, 60),
            recorded_by=osl,
        )
    )
    for event in events:
        event.created_at = event.updated_at = datetime.datetime.combine(
            event.held_on, datetime.time(18), tzinfo=datetime.UTC
        )
    ctx.inserter.insert(EngagementEvent, events)

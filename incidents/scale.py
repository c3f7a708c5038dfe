"""Concerns for the scale data set (manage.py seed_scale), in bulk: each with its pupils, its
procedure steps, its timeline, its referrals and the audit events its working leaves behind.

Written as the services would have left them, in one go: timeline entries, steps and referrals
are append-only in PostgreSQL, so each row is inserted in its final state. Every word is
invented. Two years of a school's concerns, mostly closed; the last fortnight's mostly open, a
few unacknowledged, some with a child at immediate risk.
"""

import datetime

from esafety.people.models import Role
from esafety.scale import ScaleSchool
from incidents.categories import CATEGORIES, KEPT_BY, NUDES_QUESTIONS, Category, KeptBy
from incidents.models import (
    Agency,
    Concern,
    ConcernPupil,
    ConcernStaff,
    EntryKind,
    NudesAnswer,
    ProcedureStep,
    PupilRole,
    Referral,
    ReviewMeeting,
    Status,
    StepState,
    TimelineEntry,
)
from incidents.procedure import NUDES_AGENCIES

# Roughly how often each category is logged in a school.
WEIGHTS = {
    Category.CYBERBULLYING: 30,
    Category.FILTERING: 15,
    Category.MISUSE: 14,
    Category.ONLINE_HATE: 8,
    Category.NUDES: 8,
    Category.COMMERCE: 6,
    Category.MISINFORMATION: 6,
    Category.SEXUAL_ABUSE: 4,
    Category.RADICALISATION: 3,
    Category.STAFF_CONDUCT: 3,
    Category.IIOC: 3,
}
WHAT = (
    "Unkind messages about a pupil were posted in a group chat.",
    "A pupil was seen on a blocked site during a lesson.",
    "A parent reported comments under a pupil's video.",
    "A pupil said someone they met in a game asked for photos.",
    "A pupil shared a scam link with classmates.",
)
AGENCIES = list(Agency.values)
# Batches of this many concerns are written together: large enough for COPY to pay, small enough
# that a school of 10,000 concerns does not hold every row in memory at once.
BATCH = 1000


def seed(ctx: ScaleSchool) -> None:
    rng = ctx.rng
    school = ctx.school
    dsl, deputy, head = ctx.people[Role.DSL], ctx.people[Role.DEPUTY_DSL], ctx.people[Role.HEAD]
    osl = ctx.people[Role.ONLINE_SAFETY_LEAD]
    workers = [dsl, dsl, deputy, osl]
    teachers = [u for u in ctx.staff if u not in (dsl, deputy, head, osl)] or ctx.staff
    categories = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    n = ctx.sizes.concerns
    if not ctx.pupils or not n:
        return
    moments = sorted(ctx.moment() for _ in range(n))
    for first in range(0, n, BATCH):
        _batch(
            ctx, moments[first : first + BATCH], first + 1, workers, teachers, categories, weights
        )

    def fill(count: int) -> None:
        # Reading a concern is audited (who opened a child-protection record, and when): in a
        # school's trail those reads outnumber everything else.
        ids = list(
            Concern.objects.filter(school=school).values_list("code", "category", "created_at")
        )
        labels = dict(Category.choices)
        for _ in range(count):
            code, category, created = ids[rng.randrange(len(ids))]
            at = created + (ctx.now - created) * rng.random()
            ref = Concern(code=code).reference
            ctx.audit.add(
                school_id=school.pk,
                at=at,
                actor=rng.choice(workers),
                action="concern.read",
                object_type="incidents.concern",
                object_code=code,
                summary=f"{ref} ({labels[category]})",
            )

    ctx.fill_audit.append(fill)


def _batch(ctx, moments, number, workers, teachers, categories, weights) -> None:
    rng = ctx.rng
    school = ctx.school
    chair = ctx.people[Role.GOVERNOR]
    head = ctx.people[Role.HEAD]
    recent = ctx.now - datetime.timedelta(days=14)
    concerns: list[Concern] = []
    links: list[ConcernPupil] = []
    staff_links: list[ConcernStaff] = []
    steps: list[ProcedureStep] = []
    entries: list[TimelineEntry] = []
    referrals: list[Referral] = []
    meetings: list[ReviewMeeting] = []
    answers: list[NudesAnswer] = []
    events: list[tuple] = []
    ids = ctx.inserter.ids(Concern, len(moments))
    for i, (pk, logged) in enumerate(zip(ids, moments, strict=True)):
        category = rng.choices(categories, weights)[0]
        info = CATEGORIES[category]
        reporter = rng.choice(teachers)
        if logged > recent:
            status = rng.choice(
                [Status.REPORTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.IN_PROGRESS]
            )
        else:
            r = rng.random()
            status = (
                Status.CLOSED
                if r < 0.9
                else Status.AWAITING_AGENCY
                if r < 0.95
                else Status.IN_PROGRESS
            )
        # A concern about the head goes to the chair; about anyone else, to the head.
        accused = []
        if category == Category.STAFF_CONDUCT:
            accused = [head if rng.random() < 0.2 else rng.choice(teachers)]
            if accused[0] == reporter:
                reporter = ctx.people[Role.OFFICE]
        worker = chair if accused and accused[0] == head else rng.choice(workers)
        if category == Category.STAFF_CONDUCT and worker not in (chair,):
            worker = head
        c = Concern(
            pk=pk,
            school=school,
            number=number + i,
            category=category,
            four_c=info.four_c,
            route=info.route,
            reported_by=reporter,
            occurred_at=logged - datetime.timedelta(hours=1),
            location=rng.choice(("Classroom", "Playground", "At home", "ICT suite", "By phone")),
            what_happened=rng.choice(WHAT),
            immediate_risk=info.child_protection and rng.random() < 0.1,
            status=status,
            escalation_level=0,
        )
        c.created_at = logged
        ref = c.reference
        label = f"{ref} ({info.category.label})"

        def event(at, actor, action, summary=""):
            text = label + (f": {summary}" if summary else "")  # noqa: B023
            events.append((at, actor, action, c.code, text))  # noqa: B023

        def entry(kind, author, text, at):
            e = TimelineEntry(concern_id=pk, kind=kind, author=author, text=text, at=at)  # noqa: B023
            entries.append(e)
            return e

        t = logged
        entry(EntryKind.LOGGED, reporter, "Concern logged.", t)
        event(t, reporter, "concern.logged", "immediate risk" if c.immediate_risk else "")
        pupils = rng.sample(ctx.pupils, min(len(ctx.pupils), rng.choice((1, 1, 1, 2, 2, 3))))
        for k, p in enumerate(pupils):
            role = PupilRole.AFFECTED if k == 0 else rng.choice(list(PupilRole.values))
            links.append(ConcernPupil(concern_id=pk, pupil_id=p.id, role=role))
        for u in accused:
            staff_links.append(ConcernStaff(concern_id=pk, user=u))

        ack_entry = None
        if status != Status.REPORTED:
            t = t + datetime.timedelta(minutes=rng.randint(3, 55))
            c.acknowledged_at, c.acknowledged_by = t, worker
            ack_entry = entry(EntryKind.STATUS, worker, "Acknowledged.", t)
            event(t, worker, "concern.acknowledged")
            for _ in range(rng.randint(0, 2)):
                t = t + datetime.timedelta(hours=rng.randint(1, 30))
                entry(EntryKind.NOTE, worker, "Spoke to the pupils separately; notes kept.", t)
                event(t, worker, "concern.note_added")
        kept_here = {KEPT_BY.get(s.key) for s in info.steps}
        review_entry = None
        if category == Category.NUDES and status != Status.REPORTED:
            # UKCIS advice: the initial review meeting, then the five questions. Here every
            # answer is no, so the school may handle it in school or refer all the same.
            t = t + datetime.timedelta(hours=rng.randint(1, 24))
            review_entry = entry(EntryKind.REVIEW, worker, "Initial review meeting held.", t)
            meetings.append(
                ReviewMeeting(
                    concern_id=pk,
                    held_on=t.date(),
                    attendees="DSL, deputy DSL",
                    summary="Reviewed what is known; no image was viewed.",
                    recorded_by=worker,
                    recorded_at=t,
                )
            )
            event(t, worker, "concern.review_meeting_recorded")
            for question, _text in NUDES_QUESTIONS:
                t = t + datetime.timedelta(minutes=2)
                entry(EntryKind.ANSWER, worker, f"{question}: no.", t)
                answers.append(
                    NudesAnswer(
                        concern_id=pk,
                        question=question,
                        answer=False,
                        answered_by=worker,
                        answered_at=t,
                    )
                )
                event(t, worker, "concern.referral_question_answered", question)
        referral_entry = None
        # A concern is closed only once its referral decision is recorded.
        must_decide = (
            info.child_protection
            or KeptBy.REFERRAL_DECISION in kept_here
            or category == Category.NUDES
        )
        if status in (Status.AWAITING_AGENCY, Status.CLOSED) and (
            must_decide or rng.random() < 0.6
        ):
            t = t + datetime.timedelta(hours=rng.randint(1, 48))
            referred = status == Status.AWAITING_AGENCY or rng.random() < 0.3
            agencies = NUDES_AGENCIES if category == Category.NUDES else AGENCIES
            agency = rng.choice(agencies) if referred else ""
            referral_entry = entry(
                EntryKind.REFERRAL,
                worker,
                f"Referred to {agency}." if referred else "Decided not to refer.",
                t,
            )
            referrals.append(
                Referral(
                    concern_id=pk,
                    referred=referred,
                    agency=agency,
                    referred_on=t.date() if referred else None,
                    reference=f"REF-{pk}" if referred else "",
                    reasons="A child may be at risk of harm."
                    if referred
                    else "Handled in school under the behaviour policy.",
                    recorded_by=worker,
                    recorded_at=t,
                )
            )
            event(t, worker, "concern.referral_recorded", agency or "no referral")
        closed = status == Status.CLOSED
        close_at = t + datetime.timedelta(days=rng.randint(1, 20))
        mine: list[ProcedureStep] = []
        for order, s in enumerate(info.steps):
            required = s.required or (s.required_when_staff_involved and bool(accused))
            step = ProcedureStep(
                concern_id=pk, order=order, key=s.key, label=s.label, required=required
            )
            kept = KEPT_BY.get(s.key)
            # A step kept by a record is done by it; the others are ticked by hand, about half
            # as the work goes and the rest when the concern is closed.
            record = {
                KeptBy.ACKNOWLEDGEMENT: ack_entry,
                KeptBy.REFERRAL_DECISION: referral_entry,
                KeptBy.REVIEW_MEETING: review_entry,
            }.get(kept)
            by_hand = kept is None and status != Status.REPORTED and rng.random() < 0.5
            if record is not None or by_hand:
                if record is not None:
                    step.entry, step.done_at = record, record.at
                else:
                    t = t + datetime.timedelta(minutes=rng.randint(5, 600))
                    step.done_at = t
                    step.entry = entry(EntryKind.STEP, worker, f"Done: {s.label}.", t)
                    event(t, worker, "concern.step_recorded", s.key)
                step.state, step.done_by = StepState.DONE, worker
                if not required and rng.random() < 0.3:
                    step.state, step.note = StepState.NOT_APPLICABLE, "Not needed here."
            elif closed:
                step.state, step.done_by = StepState.DONE, worker
            mine.append(step)
        if status in (Status.IN_PROGRESS, Status.AWAITING_AGENCY, Status.CLOSED):
            t = t + datetime.timedelta(minutes=rng.randint(5, 120))
            entry(EntryKind.STATUS, worker, "Status changed to in progress.", t)
            event(t, worker, "concern.status_changed", "in_progress")
        if closed:
            t = max(t, close_at)
            c.closed_at, c.closed_by = t, worker
            c.outcome = "Resolved in school; the pupils were supported."
            c.lessons_learnt = "Reminded the class about reporting routes."
            c.parents_informed = rng.random() < 0.9
            if not c.parents_informed:
                c.parents_not_informed_reason = "Informing them would put the child at risk."
            closing = entry(EntryKind.CLOSED, worker, "Closed.", t)
            # What the closing answers (were the parents told?) and what it finishes is
            # recorded by the closing entry.
            for step in mine:
                if step.entry is None:
                    step.entry, step.done_at = closing, t
            event(t, worker, "concern.closed")
        c.updated_at = max(t, logged)
        steps.extend(mine)
        concerns.append(c)

    ins = ctx.inserter
    ins.insert(Concern, concerns)
    ins.insert(ConcernPupil, links)
    ins.insert(ConcernStaff, staff_links)
    # Entries first: steps point at the entry that records them.
    ins.insert(TimelineEntry, entries)
    for step in steps:
        if step.entry is not None:
            step.entry_id = step.entry.pk
    ins.insert(ProcedureStep, steps)
    ins.insert(Referral, referrals)
    ins.insert(ReviewMeeting, meetings)
    ins.insert(NudesAnswer, answers)
    for at, actor, action, code, summary in events:
        ctx.audit.add(
            school_id=school.pk,
            at=at,
            actor=actor,
            action=action,
            object_type="incidents.concern",
            object_code=code,
            summary=summary,
        )

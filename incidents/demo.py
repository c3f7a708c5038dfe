"""Demo concerns for the fictional school, written through the services at past times so the
dashboard shows what it is for: overdue, immediate-risk, in progress, awaiting an agency, closed.
Every word here is invented."""

import contextlib
import datetime
import random
from collections.abc import Iterator
from unittest import mock

from django.utils import timezone

from esafety.people.models import Pupil, Role, School, User
from incidents import services
from incidents.categories import KEPT_BY
from incidents.models import Concern, PupilRole, StepState


@contextlib.contextmanager
def at(moment: datetime.datetime) -> Iterator[None]:
    """Run services as if it were `moment`, so records and audit events carry that time."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _log(actor, school, category, when, pupils, what, **kw) -> Concern:
    with at(when):
        return services.concern_log(
            actor=actor,
            school=school,
            category=category,
            occurred_at=when - datetime.timedelta(hours=1),
            location=kw.pop("location", "Playground"),
            what_happened=what,
            pupils=pupils,
            **kw,
        )


def _steps(concern: Concern, actor: User, when, keys=None, skip=None) -> None:
    skip = skip or {}
    with at(when):
        # The steps a record does (the acknowledgement, the referral decision) are done by it.
        for step in concern.steps.filter(state=StepState.OPEN).exclude(key__in=KEPT_BY):
            if keys is not None and step.key not in keys:
                continue
            if step.key in skip:
                services.step_complete(
                    actor=actor, concern=concern, step=step, done=False, note=skip[step.key]
                )
            else:
                services.step_complete(actor=actor, concern=concern, step=step, done=True)


def seed_concerns(*, school: School, people: dict[str, User], pupils: list[Pupil]) -> int:
    rng = random.Random(7)
    now = timezone.now()
    dsl, deputy, head = people[Role.DSL], people[Role.DEPUTY_DSL], people[Role.HEAD]
    osl, staff, office = people[Role.ONLINE_SAFETY_LEAD], people[Role.STAFF], people[Role.OFFICE]
    if not pupils:
        return 0
    # Twelve pupils when the demo has them; a smaller demo (tests seed ten) reuses some.
    p = rng.sample(pupils, min(12, len(pupils)))
    p = (p * 12)[:12]

    def involved(*pairs):
        seen: set[int] = set()
        unique = [
            (pupil, role) for pupil, role in pairs if not (pupil.pk in seen or seen.add(pupil.pk))
        ]
        return [services.InvolvedPupil(pupil, role) for pupil, role in unique]

    # Unacknowledged, and overdue: a child at immediate risk, logged 25 minutes ago.
    _log(
        staff,
        school,
        "online_sexual_abuse",
        now - datetime.timedelta(minutes=25),
        involved((p[0], PupilRole.AFFECTED)),
        "A pupil said an adult they met in an online game has asked them to meet this weekend "
        "and to keep it secret.",
        immediate_risk=True,
        told_dsl_in_person=True,
        location="Year 6 classroom",
    )
    # Unacknowledged and overdue: sharing nudes, two hours ago.
    _log(
        staff,
        school,
        "nudes",
        now - datetime.timedelta(hours=2),
        involved((p[1], PupilRole.AFFECTED), (p[2], PupilRole.ALLEGED)),
        "A pupil told me a photo of them was shared in a class group chat. I did not look at "
        "it; the phone is in the office safe.",
        location="Corridor by the library",
    )
    # Unacknowledged, not yet overdue.
    _log(
        office,
        school,
        "online_hate",
        now - datetime.timedelta(minutes=10),
        involved((p[3], PupilRole.AFFECTED), (p[4], PupilRole.ALLEGED)),
        "A parent phoned about hateful comments under a pupil's video.",
        location="Reported by phone",
    )
    # In progress: cyberbullying, acknowledged, some steps done.
    c = _log(
        staff,
        school,
        "cyberbullying",
        now - datetime.timedelta(days=3),
        involved((p[5], PupilRole.AFFECTED), (p[6], PupilRole.ALLEGED), (p[7], PupilRole.WITNESS)),
        "Unkind messages about a pupil were posted in a gaming chat over the weekend.",
    )
    with at(now - datetime.timedelta(days=3, hours=-1)):
        services.concern_acknowledge(actor=deputy, concern=c)
        services.concern_set_status(actor=deputy, concern=c, status="in_progress")
        services.concern_add_note(
            actor=deputy, concern=c, text="Spoke to both pupils separately; screenshots kept."
        )
    _steps(c, deputy, now - datetime.timedelta(days=2), keys={"record", "evidence", "identify"})
    # Filtering breach, routed to the online safety lead.
    f = _log(
        staff,
        school,
        "filtering_breach",
        now - datetime.timedelta(days=1),
        involved((p[8], PupilRole.AFFECTED)),
        "A gambling site loaded on a classroom laptop during a research task.",
        location="ICT suite",
    )
    with at(now - datetime.timedelta(hours=20)):
        services.concern_acknowledge(actor=osl, concern=f)
    _steps(f, osl, now - datetime.timedelta(hours=19), keys={"record_url", "block"})
    # Awaiting an outside agency: radicalisation, with a Prevent referral.
    r = _log(
        staff,
        school,
        "radicalisation",
        now - datetime.timedelta(days=9),
        involved((p[9], PupilRole.AFFECTED)),
        "A pupil has been repeating extremist slogans from videos they watch at home.",
    )
    with at(now - datetime.timedelta(days=9, hours=-2)):
        services.concern_acknowledge(actor=dsl, concern=r)
    _steps(r, dsl, now - datetime.timedelta(days=8))
    with at(now - datetime.timedelta(days=8)):
        services.referral_record(
            actor=dsl,
            concern=r,
            referred=True,
            agency="prevent",
            referred_on=(now - datetime.timedelta(days=8)).date(),
            reference="PRV-DEMO-0042",
            reasons="Repeated statements over several weeks; parents agree support is needed.",
        )
        services.concern_set_status(actor=dsl, concern=r, status="awaiting_agency")
    # Closed last month: misinformation.
    m = _log(
        staff,
        school,
        "misinformation",
        now - datetime.timedelta(days=35),
        involved((p[10], PupilRole.WITNESS)),
        "Several pupils were worried by a viral video claiming the school would close.",
    )
    with at(now - datetime.timedelta(days=35, hours=-3)):
        services.concern_acknowledge(actor=osl, concern=m)
    _steps(m, osl, now - datetime.timedelta(days=34))
    with at(now - datetime.timedelta(days=33)):
        services.concern_close(
            actor=osl,
            concern=m,
            outcome="Class discussion on checking sources; parents' newsletter item.",
            lessons_learnt="Add a lesson on spotting false news to the Year 5 plan.",
            parents_informed=True,
        )
    # Closed: a scam, with parents advised.
    s = _log(
        office,
        school,
        "commerce",
        now - datetime.timedelta(days=20),
        involved((p[11], PupilRole.AFFECTED)),
        "A pupil paid for fake in-game currency through a link in a message.",
    )
    with at(now - datetime.timedelta(days=20, hours=-1)):
        services.concern_acknowledge(actor=dsl, concern=s)
    _steps(s, dsl, now - datetime.timedelta(days=19))
    with at(now - datetime.timedelta(days=18)):
        services.referral_record(
            actor=dsl,
            concern=s,
            referred=False,
            reasons="No crime against the child to report; parents advised to contact the bank.",
        )
        services.concern_close(
            actor=dsl,
            concern=s,
            outcome="Money refunded by the platform; pupil given advice.",
            lessons_learnt="None new: covered by the Year 4 online-safety lesson.",
            parents_informed=True,
        )
    # Staff conduct: routed to the head only, who has picked it up.
    sc = _log(
        deputy,
        school,
        "staff_conduct",
        now - datetime.timedelta(hours=5),
        [],
        "A member of staff appears to be following pupils on a personal social media account.",
        staff=[staff],
        location="Reported in person",
    )
    with at(now - datetime.timedelta(hours=4)):
        services.concern_acknowledge(actor=head, concern=sc)
    return Concern.objects.filter(school=school).count()

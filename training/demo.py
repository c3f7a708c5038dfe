"""Demo training for the fictional school, through the services: records across the staff and
the governor (some lapsing soon, some lapsed, one awaiting its check), a briefing with its
attendance, and a term's engagement events. Every name is invented."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from esafety.contributions import accepted_documents
from esafety.people.models import Pupil, Role, School
from esafety.people.selectors import year_groups_on_roll
from training.models import Course, EventKind, Kind
from training.selectors.engagement import term_of
from training.services.common import settings_for
from training.services.courses import settings_update
from training.services.events import event_record
from training.services.records import record_add, record_verify, session_record

CERTIFICATE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _certificate() -> SimpleUploadedFile:
    return SimpleUploadedFile("certificate.pdf", CERTIFICATE, content_type="application/pdf")


def seed_training(*, school: School, people: dict, pupils: list[Pupil]) -> None:
    today = timezone.localdate()
    osl, head = people[Role.ONLINE_SAFETY_LEAD], people[Role.HEAD]
    settings = settings_for(school=school)
    courses = {c.kind: c for c in Course.objects.filter(school=school)}
    governor = people[Role.GOVERNOR]  # the chair, and the board's safeguarding governor here
    documents = [d for d in accepted_documents(school=school) if "staff" in d.audiences]
    kcsie = [d for d in documents if "keeping children safe" in d.title.lower()] or documents[:1]
    settings_update(
        actor=head,
        school=school,
        expiring_days=settings.expiring_days,
        safeguarding_governor=governor,
        read_and_sign=[str(d.code) for d in kcsie],
    )

    # The September briefing: the annual update for everyone there (the office was not).
    start = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 2)
    session_record(
        actor=osl,
        school=school,
        course=courses[Kind.ANNUAL_UPDATE],
        held_on=min(start, today),
        presenter="Owen Tallis (online safety lead)",
        attendees=[people[r] for r in (Role.HEAD, Role.DSL, Role.DEPUTY_DSL, Role.STAFF)] + [osl],
    )

    def own(user, kind, months_ago, provider, verify=True, days_later=0) -> None:
        record = record_add(
            actor=user,
            school=school,
            course=courses[kind],
            completed_on=today - relativedelta(months=months_ago, days=-days_later),
            provider=provider,
            certificate=_certificate(),
        )
        if verify:
            record_verify(actor=osl if user != osl else head, record=record)

    for role in (Role.HEAD, Role.DSL, Role.DEPUTY_DSL, Role.ONLINE_SAFETY_LEAD):
        own(people[role], Kind.INDUCTION, 30, "Local authority safeguarding team")
    # Lapses in twelve days.
    own(people[Role.DSL], Kind.DSL_FORMAL, 24, "Local authority DSL course", days_later=12)
    own(people[Role.DEPUTY_DSL], Kind.DSL_FORMAL, 26, "Local authority DSL course")  # lapsed
    own(people[Role.DSL], Kind.DSL_REFRESH, 5, "Safeguarding network")
    own(people[Role.DSL], Kind.PREVENT, 10, "Home Office Prevent e-learning")
    own(people[Role.DSL], Kind.FILTERING, 2, "The school's IT provider")
    own(osl, Kind.FILTERING, 2, "The school's IT provider")
    own(governor, Kind.GOVERNORS, 20, "Governor services")
    # Added this week, waiting for the online safety lead's check; the office's is still due.
    own(people[Role.STAFF], Kind.INDUCTION, 0, "Local authority safeguarding team", verify=False)

    # A term's engagement events.
    term = term_of(today, school.academic_year_start_month)
    groups = year_groups_on_roll(school)
    on = max(term.starts, today - datetime.timedelta(days=20))
    if groups:
        event_record(
            actor=osl,
            school=school,
            kind=EventKind.PUPIL_LESSON,
            held_on=min(on, today),
            topic="Who can see what you post",
            presenter="Class teachers",
            # The youngest year group's lesson is still to come: the page says so.
            year_groups=groups[1:] or groups,
        )
        event_record(
            actor=osl,
            school=school,
            kind=EventKind.PUPIL_LESSON,
            held_on=min(on + datetime.timedelta(days=3), today),
            topic="Staying safe in online games",
            presenter="A visiting speaker from a children's charity",
            external=True,
            year_groups=groups[-2:],
        )
    event_record(
        actor=osl,
        school=school,
        kind=EventKind.PARENT_EVENING,
        held_on=min(on + datetime.timedelta(days=7), today),
        topic="Screen time, apps and settings",
        presenter="Owen Tallis (online safety lead)",
        audience="Parents and carers of all year groups",
        attendance=34,
    )

"""Demo policies and AUPs for the fictional school, written for it here (never copied from a real
school's documents), with a realistic mix of accepted and outstanding."""

import datetime

from django.utils import timezone

from esafety.people import services as people_services
from esafety.people.models import Pupil, Role, School, User
from policies.audiences import pupil_audience
from policies.models import ApprovedBy, Audience, Kind
from policies.services.acceptances import (
    acceptance_cosign,
    acceptance_in_class,
    acceptance_record_own,
)
from policies.services.kiosk import kiosk_link_create, visitor_accept
from policies.services.library import (
    policy_create,
    version_approve,
    version_create,
    version_publish,
)

ONLINE_SAFETY = """\
## Purpose

Hollybrook Primary School wants every child to enjoy the internet safely. This policy says how
we teach online safety, how we keep our systems safe, and what we do when something goes wrong.

## Who does what

- The **designated safeguarding lead** (DSL) leads on every online-safety concern about a child.
- The **online safety lead** looks after this policy, staff training and the filtering and
  monitoring checks.
- **All staff** report concerns the same day through esafety, and tell the DSL in person at once
  when a child may be at risk.
- **Governors** check every term that the policy is working, using the anonymised report.

## Teaching

Pupils have an online-safety lesson every term and hear from an outside speaker once a year.
Parents are invited to an online-safety evening each autumn.

## Responding to concerns

Staff never view, copy or forward images that may be indecent. They secure the device and tell
the DSL. Each kind of concern has a procedure in esafety that the DSL follows and records.

## Review

This policy is reviewed every year, and sooner after a serious incident.
"""

STAFF_AUP = """\
## Staff acceptable use

1. I use school devices and accounts for school work, and keep my passwords to myself.
2. I never store pupils' personal data on personal devices or personal cloud accounts.
3. I do not connect with pupils or recent pupils on personal social media.
4. I take photos of pupils only on school devices, and only of pupils with photo consent.
5. I report any online-safety concern through esafety the same day.
"""

GOVERNOR_AUP = """\
## Governors' acceptable use

1. I use my school email account for governing board business.
2. I keep board papers confidential and delete them when I no longer need them.
3. I never share information about individual pupils outside the board.
"""

PARENT_AUP = """\
## Parents' and carers' agreement

1. I will support the school's online-safety teaching at home.
2. I will not post photos or videos of other people's children from school events online.
3. I will raise concerns about the school with the school, not on social media.
"""

PUPIL_KS1_AUP = """\
## Our online rules (Key Stage 1)

- I ask a grown-up before I use a tablet or computer.
- I only click on things my teacher says I can.
- I tell a grown-up if I see something that makes me feel sad or worried.
"""

PUPIL_KS2_AUP = """\
## Our online rules (Key Stage 2)

- I keep my passwords secret and log out when I finish.
- I am kind online, and I never share pictures of other people without asking.
- I never agree to meet someone I only know online.
- If something online worries me, I tell a trusted adult straight away.
"""

VISITOR_AUP = """\
## Visitors

- Please do not take photos or videos of pupils.
- Please keep your phone out of sight in classrooms.
- If a child tells you something worrying, tell the office before you leave.
"""

KCSIE = """\
## Keeping children safe in education: Part 1

Every member of staff reads Part 1 of the Department for Education's statutory guidance in the
edition in force, and signs here that they have read and understood it. Each new edition needs
a new signature.

Ask the designated safeguarding lead about anything in it you are unsure of.
"""


def _publish(owner: User, head: User, school: School, title, kind, audiences, body, needs=True):
    policy = policy_create(
        actor=owner,
        school=school,
        title=title,
        kind=kind,
        owner=owner,
        audiences=audiences,
        requires_acceptance=needs,
    )
    version = version_create(actor=owner, policy=policy, number="1", body=body)
    version_approve(
        actor=head,
        version=version,
        approved_by_body=ApprovedBy.HEAD,
        approved_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    return version_publish(
        actor=owner,
        version=version,
        effective_date=timezone.localdate() - datetime.timedelta(days=14),
    )


def seed_policies(*, school: School, people: dict[str, User], pupils: list[Pupil]) -> None:
    osl, head = people[Role.ONLINE_SAFETY_LEAD], people[Role.HEAD]
    _publish(
        osl,
        head,
        school,
        "Online safety policy",
        Kind.ONLINE_SAFETY,
        [Audience.STAFF, Audience.GOVERNORS, Audience.PARENTS],
        ONLINE_SAFETY,
        needs=False,
    )
    staff_aup = _publish(osl, head, school, "Staff AUP", Kind.AUP, [Audience.STAFF], STAFF_AUP)
    # Read and signed by staff each edition; the training matrix shows it as a column.
    kcsie = _publish(
        osl,
        head,
        school,
        "Keeping children safe in education: Part 1",
        Kind.OTHER,
        [Audience.STAFF],
        KCSIE,
    )
    governor_aup = _publish(
        osl, head, school, "Governors' AUP", Kind.AUP, [Audience.GOVERNORS], GOVERNOR_AUP
    )
    parent_aup = _publish(
        osl, head, school, "Parents' and carers' AUP", Kind.AUP, [Audience.PARENTS], PARENT_AUP
    )
    ks1 = _publish(
        osl, head, school, "Pupils' AUP (KS1)", Kind.AUP, [Audience.PUPILS_KS1], PUPIL_KS1_AUP
    )
    ks2 = _publish(
        osl, head, school, "Pupils' AUP (KS2)", Kind.AUP, [Audience.PUPILS_KS2], PUPIL_KS2_AUP
    )
    _publish(osl, head, school, "Visitors' AUP", Kind.AUP, [Audience.VISITORS], VISITOR_AUP)

    # Some have accepted, some have not: the figures page has something to show.
    for role in (Role.HEAD, Role.DSL, Role.ONLINE_SAFETY_LEAD):
        user = people[role]
        acceptance_record_own(actor=user, version=staff_aup, typed_name=user.full_name)
        acceptance_record_own(actor=user, version=kcsie, typed_name=user.full_name)
    governor = people[Role.GOVERNOR]
    acceptance_record_own(actor=governor, version=governor_aup, typed_name=governor.full_name)
    parent = people.get(Role.PARENT)
    if parent is not None:
        acceptance_record_own(actor=parent, version=parent_aup, typed_name=parent.full_name)
        first_child = (
            Pupil.objects.filter(guardians__user=parent, school=school).order_by("mis_id").first()
        )
        if first_child is not None:
            version = ks2 if pupil_audience(first_child) == Audience.PUPILS_KS2 else ks1
            acceptance_cosign(
                actor=parent, version=version, pupil=first_child, typed_name=parent.full_name
            )
    # Half of one class signed off in class, by its class teacher (only they may), whom the
    # office names as it would for a real school.
    ks2_pupils = [p for p in pupils if pupil_audience(p) == Audience.PUPILS_KS2]
    if ks2_pupils:
        first_class = ks2_pupils[0].school_class
        in_class = [p for p in ks2_pupils if p.school_class == first_class]
        if first_class is not None and first_class.teacher_id is None:
            people_services.school_class_set_teacher(
                actor=people[Role.OFFICE], school_class=first_class, teacher=people[Role.STAFF]
            )
        acceptance_in_class(
            actor=people[Role.STAFF], version=ks2, pupils=in_class[: len(in_class) // 2]
        )
    link, _token = kiosk_link_create(
        actor=people[Role.OFFICE], school=school, label="Main reception"
    )
    for name, org, visiting in (
        ("Robin Fairley", "County library service", "Year 4 reading morning"),
        ("Sasha Penhallow", "Penhallow Plumbing", "Site manager"),
    ):
        visitor_accept(kiosk=link, name=name, organisation=org, visiting=visiting, typed_name=name)

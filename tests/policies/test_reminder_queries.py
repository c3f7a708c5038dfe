"""The policy reminder sweep's queries grow with batches, not people (issue 8): a school of 1,000
members costs the same queries as a school of 100."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esafety.notify.models import Message, Reminder
from esafety.people.models import Guardian, Membership, Pupil, Role, School, User
from policies import reminders
from policies.models import Audience, Policy, PolicyAudience, PolicyVersion
from tests.factories import SchoolFactory, UserFactory
from tests.notify import helpers

# The fixture, shared here.
sqlite_real_variable_limit = helpers.sqlite_real_variable_limit


def _publish(school: School, owner: User, title: str, audience: str) -> PolicyVersion:
    policy = Policy.objects.create(
        school=school, title=title, kind="aup", owner=owner, requires_acceptance=True
    )
    PolicyAudience.objects.create(policy=policy, audience=audience)
    today = timezone.localdate()
    return PolicyVersion.objects.create(
        policy=policy,
        number="1",
        body="Be kind online.",
        created_by=owner,
        status="published",
        effective_date=today,
        published_at=timezone.now(),
        next_review_due=today + datetime.timedelta(days=365),
        approved_by_body="head",
        approved_by=owner,
        approved_on=today,
    )


def school_of(members: int) -> School:
    """A school whose staff and governors owe the staff AUP and whose parents owe only their
    child's co-signature: nine in ten members staff, one in ten parents with a child each."""
    school = SchoolFactory()
    head = UserFactory()
    Membership.objects.create(user=head, school=school, role=Role.HEAD)
    _publish(school, head, "Staff AUP", Audience.STAFF)
    _publish(school, head, "Pupil AUP KS2", Audience.PUPILS_KS2)
    users = User.objects.bulk_create(
        User(email=f"m{i}@{school.urn}.test", full_name=f"Member {i}") for i in range(members - 1)
    )
    parents = users[: members // 10]
    Membership.objects.bulk_create(
        Membership(user=u, school=school, role=Role.PARENT if u in parents else Role.STAFF)
        for u in users
    )
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=school,
            mis_id=f"P{i}",
            first_name="Child",
            last_name=f"Number{i}",
            date_of_birth=datetime.date(2016, 1, 1),
            year_group="Year 5",
        )
        for i in range(len(parents))
    )
    Guardian.objects.bulk_create(
        Guardian(pupil=p, email=u.email, user=u) for p, u in zip(pupils, parents, strict=True)
    )
    return school


def sweep_queries(school: School) -> int:
    with CaptureQueriesContext(connection) as queries:
        sent = reminders.send_acceptance_reminders(school=school)
    assert sent == Membership.objects.filter(school=school).count()
    return len(queries)


def test_the_acceptance_sweep_runs_the_same_queries_for_100_and_1000_members(
    sqlite_real_variable_limit,
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        small, large = school_of(100), school_of(1000)
    with time_machine.travel(start + datetime.timedelta(days=8), tick=False):
        assert sweep_queries(small) == sweep_queries(large)
        # The next run finds every reminder already issued.
        assert sweep_queries_again(small) == sweep_queries_again(large)
    assert Message.objects.filter(school=large).count() == 1000


def sweep_queries_again(school: School) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert reminders.send_acceptance_reminders(school=school) == 0
    return len(queries)


def test_the_sweep_owes_what_the_accept_page_owes(personas, publish, children):
    # The sweep reads every member's outstanding versions at once; the accept page reads one
    # member's (selectors.accept.outstanding_for). They must agree, co-signatures included.
    from policies.selectors.accept import outstanding_for
    from policies.services.acceptances import acceptance_cosign, acceptance_record_own

    a, _b, _other = children
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        staff_aup = publish([Audience.STAFF, Audience.GOVERNORS])
        publish([Audience.PARENTS], title="Parents' code")
        ks2 = publish([Audience.PUPILS_KS2], title="Pupil AUP KS2")
        publish([Audience.PUPILS_KS1], title="Pupil AUP KS1")
        acceptance_record_own(actor=personas.staff, version=staff_aup, typed_name="Sam")
        acceptance_cosign(actor=personas.parent, version=ks2, pupil=a, typed_name="Pat")
    with time_machine.travel(start + datetime.timedelta(days=8), tick=False):
        reminders.send_acceptance_reminders(school=personas.school)
    for m in Membership.objects.filter(school=personas.school).select_related("user"):
        roles = frozenset(
            Membership.objects.filter(school=personas.school, user=m.user).values_list(
                "role", flat=True
            )
        )
        owed = outstanding_for(school=personas.school, user=m.user, roles=roles)
        expected = {f"acceptance:{v.code}:{m.user.code}" for v in owed.own}
        expected |= {f"acceptance:{v.code}:{m.user.code}" for v, _child in owed.cosign}
        sent = set(
            Reminder.objects.filter(subject__endswith=f":{m.user.code}").values_list(
                "subject", flat=True
            )
        )
        assert sent == expected, m.user
    # The parent owes their own code and Ben's KS1 co-signature; Ada's is done.
    assert Message.objects.filter(recipient=personas.parent).count() == 2
    assert not Message.objects.filter(recipient=personas.staff).exists()

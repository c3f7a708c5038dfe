"""The concern rule's baked queries (the dashboard's and the list's) give each shape of access
exactly the rows the ORM gives: baking changes how fast, never what a member may see."""

import datetime

import pytest
from django.utils import timezone

from esafety.people.access import school_access
from esafety.people.models import Membership
from incidents import services
from incidents.models import PupilRole
from incidents.selectors import dashboard as dash
from incidents.selectors import lists, pupils
from incidents.selectors.visibility import concerns_for, visibility_shape
from tests.factories import PupilFactory

pytestmark = pytest.mark.postgres


def _concern_rows(access, pupil):
    now = timezone.now()
    values = {"school": access.school.pk, "user": access.user.pk}
    shape = visibility_shape(access)
    filters = ("category", "status")
    asked = {"category": "staff_conduct", "status": "reported"}
    return [
        (dash._unacknowledged_rows, shape, values),
        (dash._outstanding_rows, shape, values),
        (dash._awaiting_rows, shape, values),
        (
            dash._open_count_rows,
            (shape, True),
            {**values, "risk_due": now, "due": now - datetime.timedelta(minutes=1)},
        ),
        (lists._list_rows, (shape, (), False), values),
        (lists._list_rows, (shape, (), True), values),
        (lists._list_rows, (shape, filters, False), {**values, **asked}),
        (pupils._entries, (shape, "newest"), {**values, "pupil": pupil.pk}),
        (pupils._links, shape, {**values, "pupil": pupil.pk}),
    ]


@pytest.mark.parametrize(
    "who", ["dsl", "deputy_dsl", "online_safety_lead", "head", "chair", "office_accused"]
)
def test_every_concern_query_gives_each_role_what_the_rule_gives_them(personas, log_concern, who):
    """The baked concern queries against the ORM's, for each shape of the rule: the deputy
    (no allegations about staff), the online safety lead (their categories), the chair (the
    allegation about the head), the head (named in one), and a member named in one."""
    pupil = PupilFactory(school=personas.school)
    involved = [services.InvolvedPupil(pupil, PupilRole.AFFECTED)]
    for category in ("cyberbullying", "misuse", "commerce", "staff_conduct"):
        log_concern(category, pupils=involved)
    log_concern("staff_conduct", staff=[personas.head], pupils=[])
    log_concern("staff_conduct", staff=[personas.dsl], pupils=[])

    user = personas.office if who == "office_accused" else personas.for_role(who)
    if who == "office_accused":
        # Someone who may read every concern but one about themselves.
        Membership.objects.create(user=user, school=personas.school, role="dsl")
        user = type(user).objects.get(pk=user.pk)
    access = school_access(user, personas.school.code)
    seen = 0
    for query, shape, values in _concern_rows(access, pupil):
        baked_rows = query.rows(shape, **values)
        assert baked_rows == query.unbaked(shape, **values), query
        seen += len(baked_rows)
    assert seen
    # And the list is the rule's own answer for the real member, not only the builder's.
    listed = lists._list_rows.rows(
        (visibility_shape(access), (), False), school=access.school.pk, user=access.user.pk
    )
    assert {r["code"] for r in listed} == set(concerns_for(access).values_list("code", flat=True))
    # The shapes differ, so the plans do: a second school's DSL gets their own rows.
    other = school_access(personas.other_dsl, personas.other_school.code)
    assert (
        dash._unacknowledged_rows.rows(
            visibility_shape(other), school=other.school.pk, user=other.user.pk
        )
        == []
    )

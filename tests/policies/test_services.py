import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esafety.notify.models import Message
from esafety.notify.tasks import send_daily_digests
from policies.models import Acceptance, ApprovedBy, Audience, PolicyVersion, VersionStatus
from policies.rendering import render_markdown
from policies.selectors.accept import outstanding_for
from policies.selectors.figures import acceptance_figures
from policies.services.acceptances import (
    acceptance_cosign,
    acceptance_in_class,
    acceptance_record_own,
)
from policies.services.common import PolicyError
from policies.services.kiosk import (
    kiosk_for_token,
    kiosk_link_create,
    kiosk_link_revoke,
    visitor_accept,
)
from policies.services.library import (
    policy_update,
    version_approve,
    version_create,
    version_update_draft,
)
from policies.tasks import send_policy_reminders
from tests.policies.conftest import publish_version, teach


# Published on a fixed day: a year after 29 February is 28 February, which date.replace(year=)
# cannot say (it raises), so a test that computed the answer that way failed every leap day.
@pytest.mark.parametrize(
    ("today", "a_year_on"),
    [("2025-03-10", datetime.date(2026, 3, 10)), ("2028-02-29", datetime.date(2029, 2, 28))],
)
def test_publishing_retires_the_previous_version_and_sets_review_a_year_on(
    personas, publish, today, a_year_on
):
    with time_machine.travel(f"{today} 10:00 +00:00", tick=False):
        v1 = publish([Audience.STAFF])
        v2 = publish_version(personas, v1.policy, "2")
    v1.refresh_from_db()
    assert v1.status == VersionStatus.RETIRED
    assert v2.status == VersionStatus.PUBLISHED
    assert v2.next_review_due == a_year_on


def test_only_a_draft_is_edited_and_only_the_head_approves_as_head(personas, publish):
    v1 = publish([Audience.STAFF])
    with pytest.raises(PolicyError):
        version_update_draft(actor=personas.head, version=v1, number="1", body="Changed")
    draft = version_create(
        actor=personas.online_safety_lead, policy=v1.policy, number="2", body="New"
    )
    with pytest.raises(PolicyError, match="headteacher"):
        version_approve(
            actor=personas.online_safety_lead,
            version=draft,
            approved_by_body=ApprovedBy.HEAD,
            approved_on=timezone.localdate(),
        )
    approved = version_approve(
        actor=personas.online_safety_lead,
        version=draft,
        approved_by_body=ApprovedBy.GOVERNORS,
        approved_on=timezone.localdate(),
        note="Full governing board, autumn term",
    )
    assert approved.status == VersionStatus.APPROVED


def test_a_new_version_needs_new_acceptances(personas, publish):
    v1 = publish([Audience.STAFF])
    acceptance_record_own(actor=personas.staff, version=v1, typed_name="Sam Staff")
    assert (
        outstanding_for(
            school=personas.school, user=personas.staff, roles=frozenset({"staff"})
        ).count
        == 0
    )
    v2 = publish_version(personas, v1.policy, "2")
    outstanding = outstanding_for(
        school=personas.school, user=personas.staff, roles=frozenset({"staff"})
    )
    assert outstanding.own == [v2]
    # The old acceptance stays on record, against the old version.
    assert Acceptance.objects.filter(version=v1, user=personas.staff).count() == 1


def test_accepting_twice_records_once(personas, publish):
    v1 = publish([Audience.STAFF])
    a = acceptance_record_own(actor=personas.staff, version=v1, typed_name="Sam Staff")
    b = acceptance_record_own(actor=personas.staff, version=v1, typed_name="Sam Staff")
    assert a.pk == b.pk
    assert Acceptance.objects.count() == 1


def test_someone_outside_the_audience_cannot_accept(personas, publish):
    v1 = publish([Audience.GOVERNORS])
    with pytest.raises(PolicyError):
        acceptance_record_own(actor=personas.staff, version=v1, typed_name="Sam Staff")


def test_a_parent_cosigns_only_for_their_own_children(personas, publish, children):
    a, b, other = children
    ks2 = publish([Audience.PUPILS_KS2], title="Pupil AUP KS2")
    acceptance_cosign(actor=personas.parent, version=ks2, pupil=a, typed_name="Pat Parent")
    with pytest.raises(PolicyError, match="own children"):
        acceptance_cosign(actor=personas.parent, version=ks2, pupil=other, typed_name="Pat Parent")
    with pytest.raises(PolicyError, match="year group"):
        acceptance_cosign(actor=personas.parent, version=ks2, pupil=b, typed_name="Pat Parent")
    assert Acceptance.objects.filter(pupil=other).count() == 0


def test_the_parents_own_acceptance_and_cosign_are_separate_records(personas, publish, children):
    a, _b, _other = children
    parent_aup = publish([Audience.PARENTS], title="Parent AUP")
    ks2 = publish([Audience.PUPILS_KS2], title="Pupil AUP KS2")
    acceptance_record_own(actor=personas.parent, version=parent_aup, typed_name="Pat P")
    acceptance_cosign(actor=personas.parent, version=ks2, pupil=a, typed_name="Pat P")
    kinds = sorted(Acceptance.objects.values_list("kind", "pupil_id"))
    assert kinds == [("cosign", a.pk), ("own", None)]


def test_in_class_sign_off_records_each_pupil_once(personas, publish, children):
    a, _b, other = children
    ks2 = publish([Audience.PUPILS_KS2], title="Pupil AUP KS2")
    teach(personas.staff, a, other)
    assert acceptance_in_class(actor=personas.staff, version=ks2, pupils=[a, other]) == 2
    assert acceptance_in_class(actor=personas.staff, version=ks2, pupils=[a, other]) == 0
    assert Acceptance.objects.filter(kind="pupil").count() == 2


def test_the_kiosk_records_a_visitor_and_stops_when_revoked(personas, publish):
    publish([Audience.VISITORS], title="Visitor AUP")
    link, token = kiosk_link_create(
        actor=personas.office, school=personas.school, label="Main reception"
    )
    assert kiosk_for_token(token) == link
    acceptance = visitor_accept(
        kiosk=link,
        name="Vic Visitor",
        organisation="Library",
        visiting="Year 5",
        typed_name="Vic Visitor",
    )
    assert acceptance.visitor.name == "Vic Visitor"
    kiosk_link_revoke(actor=personas.office, link=link)
    assert kiosk_for_token(token) is None
    with pytest.raises(PolicyError):
        visitor_accept(
            kiosk=link, name="Late", organisation="", visiting="Office", typed_name="Late Visitor"
        )


def test_the_sanitiser_strips_script_and_handlers():
    html = render_markdown(
        "# Title\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        "[click](javascript:alert(3)) and <a href='https://example.org' onclick='x()'>ok</a>"
    )
    assert "<script" not in html and "alert(1)" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert "<h1>Title</h1>" in html
    assert 'href="https://example.org"' in html


def _reminders_to(user) -> int:
    return Message.objects.filter(recipient=user, subject__startswith="Please read").count()


def test_acceptance_reminders_after_7_days_then_weekly_at_most_four_times(personas, publish):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        publish([Audience.STAFF])
    for day, expected in [(3, 0), (7, 1), (8, 1), (14, 2), (21, 3), (28, 4), (35, 4), (70, 4)]:
        with time_machine.travel(start + datetime.timedelta(days=day, minutes=1), tick=False):
            send_policy_reminders()
            send_policy_reminders()  # run twice: sends once
        assert _reminders_to(personas.staff) == expected, f"day {day}"
    # Someone outside the audience gets none (someone who accepted: the next test).
    assert _reminders_to(personas.governor) == 0


def test_no_reminder_once_accepted(personas, publish):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        version = publish([Audience.STAFF])
        acceptance_record_own(actor=personas.staff, version=version, typed_name="Sam")
    with time_machine.travel(start + datetime.timedelta(days=8), tick=False):
        send_policy_reminders()
    assert _reminders_to(personas.staff) == 0
    assert _reminders_to(personas.office) == 1


def test_a_parent_is_reminded_to_cosign_their_childs_aup(personas, publish, children):
    # Only a pupils' AUP needs signing: the parent owes no acceptance of their own, only the
    # co-signature for each child, and must still be reminded.
    a, _b, _other = children
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ks2 = publish([Audience.PUPILS_KS2], title="Pupil AUP KS2")
    with time_machine.travel(start + datetime.timedelta(days=7, minutes=1), tick=False):
        send_policy_reminders()
        send_policy_reminders()
    assert _reminders_to(personas.parent) == 1
    acceptance_cosign(actor=personas.parent, version=ks2, pupil=a, typed_name="Pat")
    with time_machine.travel(start + datetime.timedelta(days=14, minutes=1), tick=False):
        send_policy_reminders()
    assert _reminders_to(personas.parent) == 1


def test_the_owner_is_told_30_days_before_review_and_overdue_is_in_the_daily_digest(
    personas, publish
):
    version = publish([Audience.STAFF], requires_acceptance=False, title="Online safety policy")
    due = version.next_review_due
    owner = personas.online_safety_lead
    with time_machine.travel(due - datetime.timedelta(days=31), tick=False):
        send_policy_reminders()
    assert Message.objects.filter(recipient=owner, subject__startswith="Review due").count() == 0
    with time_machine.travel(due - datetime.timedelta(days=30), tick=False):
        send_policy_reminders()
        send_policy_reminders()
    assert Message.objects.filter(recipient=owner, subject__startswith="Review due").count() == 1
    # Overdue, the review is a line in the head's and the lead's daily digest (one email a day,
    # with every app's lines: esafety/notify/digest.py).
    for offset in (1, 1, 2):
        with time_machine.travel(due + datetime.timedelta(days=offset), tick=False):
            send_daily_digests()
    digests = Message.objects.filter(kind="digest")
    assert set(digests.values_list("recipient", flat=True)) == {personas.head.pk, owner.pk}
    assert digests.count() == 4  # two people, two days
    assert all("1 policy review overdue" in d.body for d in digests)


def test_figures_use_the_same_queries_for_a_small_and_a_larger_school(personas, publish, children):
    from tests.factories import MembershipFactory, PupilFactory

    publish([Audience.STAFF], title="Staff AUP")
    publish([Audience.PUPILS_KS2], title="Pupil AUP KS2")
    with CaptureQueriesContext(connection) as small:
        acceptance_figures(school=personas.school, with_names=True)
    for _ in range(30):
        MembershipFactory(school=personas.school, role="staff")
        PupilFactory(school=personas.school, year_group="Year 4")
    with CaptureQueriesContext(connection) as large:
        figures = acceptance_figures(school=personas.school, with_names=True)
    assert len(large) == len(small)
    by_title = {f.version.policy.title: f.audiences[0] for f in figures}
    # Six staff personas (staff, DSL, deputy, online safety lead, head, office) and 30 more.
    assert by_title["Staff AUP"].total == 36
    assert by_title["Staff AUP"].accepted == 0
    assert len(by_title["Staff AUP"].outstanding) == 36
    # Ada, Cleo and the 30 Year 4 pupils; Ben is in Year 2.
    assert by_title["Pupil AUP KS2"].total == 32


def test_figures_count_a_cosign_or_an_in_class_sign_off_for_a_pupil(personas, publish, children):
    a, _b, other = children
    ks2 = publish([Audience.PUPILS_KS2], title="Pupil AUP KS2")
    acceptance_cosign(actor=personas.parent, version=ks2, pupil=a, typed_name="Pat")
    teach(personas.staff, other)
    acceptance_in_class(actor=personas.staff, version=ks2, pupils=[other])
    [figure] = acceptance_figures(school=personas.school, with_names=True)
    [pupils] = figure.audiences
    assert (pupils.accepted, pupils.total, pupils.outstanding) == (2, 2, [])


def test_old_versions_keep_their_acceptances(personas, publish):
    v1 = publish([Audience.STAFF])
    acceptance_record_own(actor=personas.staff, version=v1, typed_name="Sam")
    publish_version(personas, v1.policy, "2")
    assert PolicyVersion.objects.get(pk=v1.pk).acceptances.count() == 1


def test_a_policy_owner_must_belong_to_the_school(personas, publish):
    from django.core.exceptions import ValidationError

    version = publish([Audience.STAFF])
    with pytest.raises(ValidationError):
        policy_update(
            actor=personas.head,
            policy=version.policy,
            title="Staff AUP",
            owner=personas.other_dsl,
            audiences=[Audience.STAFF],
            requires_acceptance=True,
            is_public=True,
        )

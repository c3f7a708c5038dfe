"""Staff and governors accept their policies in the app; a banner asks until they do."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esafety.audit.models import AuditEvent
from policies.models import Acceptance, AcceptanceKind, Audience, Method
from policies.services.acceptances import acceptance_cosign, acceptance_record_own
from policies.services.library import (
    policy_create,
    version_approve,
    version_create,
    version_publish,
)
from tests.factories import PupilFactory
from tests.policies.conftest import publish_version

BROWSER = "Mozilla/5.0 (esafety test browser)"


def accept_url(personas) -> str:
    return reverse("policies:accept", args=[personas.school.code])


def home_url(personas) -> str:
    return reverse("people:school_home", args=[personas.school.code])


def post_accept(client, personas, version, **data):
    return client.post(
        accept_url(personas),
        {"version": version.code, "agree": "on", "typed_name": "Sam Staff", **data},
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR="203.0.113.7",
    )


def test_it_lists_what_a_staff_member_must_accept_with_its_text(personas, client_for, publish):
    version = publish([Audience.STAFF], body="Lock your screen.\n\n**Never** share a password.")
    publish([Audience.GOVERNORS], title="Governors' AUP")
    r = client_for(personas.staff).get(accept_url(personas))
    assert r.status_code == 200
    assert [item.version for item in r.context["own"]] == [version]
    assert b"<strong>Never</strong> share a password." in r.content
    assert b"Governors&#x27; AUP" not in r.content
    assert b"I have read and accept this policy" in r.content


def test_it_records_the_acceptance_with_the_typed_name_ip_and_browser(
    personas, client_for, publish
):
    version = publish([Audience.STAFF])
    client = client_for(personas.staff)
    r = post_accept(client, personas, version, typed_name="  Sam   Staff ")
    assert r.status_code == 302 and r["Location"] == accept_url(personas)
    acceptance = Acceptance.objects.get()
    assert acceptance.version == version
    assert acceptance.user == personas.staff
    assert acceptance.kind == AcceptanceKind.OWN
    assert acceptance.method == Method.ONLINE
    assert acceptance.typed_name == "Sam Staff"
    assert acceptance.ip == "203.0.113.7"
    assert acceptance.user_agent == BROWSER
    page = client.get(accept_url(personas))
    assert b"Your acceptance of Staff AUP is recorded." in page.content
    assert page.context["own"] == []
    assert [a.pk for a in page.context["done"]] == [acceptance.pk]


def test_it_records_a_double_submit_once(personas, client_for, publish):
    version = publish([Audience.STAFF])
    client = client_for(personas.staff)
    first = post_accept(client, personas, version)
    second = post_accept(client, personas, version)
    assert first.status_code == second.status_code == 302
    assert Acceptance.objects.filter(version=version, user=personas.staff).count() == 1
    assert AuditEvent.objects.filter(action="acceptance.recorded").count() == 1


def test_it_says_what_to_fix_and_saves_nothing_without_the_tick_or_a_name(
    personas, client_for, publish
):
    version = publish([Audience.STAFF])
    client = client_for(personas.staff)
    r = client.post(accept_url(personas), {"version": version.code, "typed_name": " x "})
    assert r.status_code == 200
    assert b"Tick the box to say you have read and accept it." in r.content
    assert b"Type your full name as your signature." in r.content
    assert r.context["error_anchor"] == f"own-{version.code.hex}"
    assert b"data-error-summary" in r.content
    assert not Acceptance.objects.exists()


def test_it_says_an_incomplete_resubmit_of_an_accepted_policy_is_already_recorded(
    personas, client_for, publish
):
    version = publish([Audience.STAFF])
    client = client_for(personas.staff)
    post_accept(client, personas, version)
    r = post_accept(client, personas, version, agree="")
    assert r.status_code == 302
    assert b"That acceptance is already recorded." in client.get(accept_url(personas)).content
    assert Acceptance.objects.count() == 1


def test_it_shows_the_body_only_through_the_sanitiser(personas, client_for, publish):
    publish(
        [Audience.STAFF],
        body='Read this.<script>alert("x")</script>\n\n<a href="javascript:alert(1)" '
        'onclick="steal()">link</a>',
    )
    r = client_for(personas.staff).get(accept_url(personas))
    assert b"Read this." in r.content
    assert b'alert("x")' not in r.content
    assert b"javascript:" not in r.content
    assert b"onclick" not in r.content


@pytest.mark.parametrize("which", ["draft", "not_to_accept", "other_school", "malformed"])
def test_it_answers_404_for_a_version_that_is_not_open_to_accept(
    personas, client_for, publish, which
):
    version = publish([Audience.STAFF])
    if which == "draft":
        code = version_create(
            actor=personas.online_safety_lead, policy=version.policy, number="2", body="Next"
        ).code
    elif which == "not_to_accept":
        code = publish([Audience.STAFF], title="Handbook", requires_acceptance=False).code
    elif which == "other_school":
        code = _other_school_version(personas).code
    else:
        code = "not-a-code"
    r = client_for(personas.staff).post(
        accept_url(personas), {"version": code, "agree": "on", "typed_name": "Sam Staff"}
    )
    assert r.status_code == 404
    assert not Acceptance.objects.exists()


def _other_school_version(personas):
    from esafety.people.models import Role
    from policies.models import ApprovedBy, Kind
    from tests.conftest import make_member

    head = make_member(personas.other_school, Role.HEAD, "head@birchwood.test", "Bo Head")
    policy = policy_create(
        actor=head,
        school=personas.other_school,
        title="Birchwood staff AUP",
        kind=Kind.AUP,
        owner=head,
        audiences=[Audience.STAFF],
        requires_acceptance=True,
    )
    version = version_create(actor=head, policy=policy, number="1", body="Theirs")
    version_approve(
        actor=head,
        version=version,
        approved_by_body=ApprovedBy.HEAD,
        approved_on=timezone.localdate(),
    )
    return version_publish(actor=head, version=version)


def test_it_refuses_a_policy_for_another_audience_and_says_why(personas, client_for, publish):
    version = publish([Audience.STAFF])
    client = client_for(personas.governor)
    r = post_accept(client, personas, version, typed_name="Gita Governor")
    assert r.status_code == 302
    assert not Acceptance.objects.exists()
    page = client.get(accept_url(personas))
    assert b"This policy is not one you are asked to accept." in page.content


def test_it_lets_a_governor_accept_the_governors_aup(personas, client_for, publish):
    version = publish([Audience.GOVERNORS], title="Governors' AUP")
    client = client_for(personas.governor)
    assert [i.version for i in client.get(accept_url(personas)).context["own"]] == [version]
    post_accept(client, personas, version, typed_name="Gita Governor")
    assert Acceptance.objects.get().user == personas.governor


def test_it_asks_again_for_a_new_version(personas, client_for, publish):
    v1 = publish([Audience.STAFF])
    client = client_for(personas.staff)
    post_accept(client, personas, v1)
    v2 = publish_version(personas, v1.policy, "2", body="Version two.")
    r = client.get(accept_url(personas))
    assert [i.version for i in r.context["own"]] == [v2]
    assert b"Version two." in r.content


def test_it_says_so_when_there_is_nothing_to_accept(personas, client_for):
    r = client_for(personas.parent).get(accept_url(personas))
    assert r.status_code == 200
    assert b"There is nothing for you to accept at the moment." in r.content


# The banner.


def banner(response) -> bool:
    return b'data-testid="policies-banner"' in response.content


def test_it_shows_the_banner_on_every_school_page_until_they_accept(personas, client_for, publish):
    version = publish([Audience.STAFF])
    client = client_for(personas.staff)  # signs in after the version was published
    home = client.get(home_url(personas))
    assert banner(home)
    assert b"You have 1 policy to read and accept." in home.content
    assert accept_url(personas).encode() in home.content
    other_page = client.get(reverse("policies:class_signoff", args=[personas.school.code]))
    assert banner(other_page)
    # Not on the accept page itself, where the list says it all.
    assert not banner(client.get(accept_url(personas)))
    post_accept(client, personas, version)
    assert not banner(client.get(home_url(personas)))


def test_it_shows_no_banner_to_someone_with_nothing_to_accept(personas, client_for, publish):
    publish([Audience.STAFF])
    assert not banner(client_for(personas.governor).get(home_url(personas)))


def test_it_shows_no_banner_outside_a_school_page(personas, client_for, publish):
    publish([Audience.STAFF])
    r = client_for(personas.staff).get(reverse("mfa_index"))
    assert r.status_code == 200
    assert not banner(r)


def test_it_costs_no_query_for_the_banner_on_an_ordinary_page(
    personas, client_for, publish, django_assert_num_queries
):
    url = reverse("people:pupil_list", args=[personas.school.code])
    PupilFactory.create_batch(3, school=personas.school)
    client = client_for(personas.dsl)
    client.get(url)  # the first request after sign-in starts the idle clock
    with CaptureQueriesContext(connection) as captured:
        assert not banner(client.get(url))
    nothing_to_accept = len(captured)
    publish([Audience.STAFF], title="Staff AUP")
    publish([Audience.STAFF], title="Social media policy")
    client = client_for(personas.dsl)  # signing in works the banner out
    client.get(url)
    with django_assert_num_queries(nothing_to_accept):
        r = client.get(url)
    assert banner(r)
    assert b"You have 2 policies to read and accept." in r.content


def test_it_works_the_banner_out_again_every_few_minutes_in_a_few_queries(
    personas, client_for, publish, django_assert_max_num_queries
):
    client = client_for(personas.staff)
    url = home_url(personas)
    assert not banner(client.get(url))
    publish([Audience.STAFF])  # published while the member is signed in
    with CaptureQueriesContext(connection) as captured:
        assert not banner(client.get(url))
    fresh = len(captured)
    later = timezone.now() + datetime.timedelta(minutes=6)
    # Published versions and the member's acceptances, then the session saved (in a savepoint:
    # three statements).
    with time_machine.travel(later, tick=False), django_assert_max_num_queries(fresh + 5):
        assert banner(client.get(url))


def _accept_page_queries(client, personas) -> int:
    client.get(accept_url(personas))  # the session's banner entry is written once
    with CaptureQueriesContext(connection) as captured:
        r = client.get(accept_url(personas))
    assert r.status_code == 200
    return len(captured)


def test_a_parents_accept_page_runs_the_same_queries_for_one_child_as_for_five(
    personas, client_for, publish, django_assert_num_queries
):
    # The audiences are rows the database filters on: more policies, more audiences each and
    # more children add no query to what a parent must accept, nor to what they have accepted.
    from esafety.people.models import Guardian

    def child(year: str):
        pupil = PupilFactory(school=personas.school, year_group=year)
        Guardian.objects.create(pupil=pupil, email=personas.parent.email, user=personas.parent)
        return pupil

    parents = publish([Audience.PARENTS], title="Parents' AUP")
    ks2 = publish([Audience.PUPILS_KS2], title="KS2 AUP")
    first = child("Year 5")
    acceptance_cosign(actor=personas.parent, version=ks2, pupil=first, typed_name="Pat Parent")
    client = client_for(personas.parent)
    small = _accept_page_queries(client, personas)

    acceptance_record_own(actor=personas.parent, version=parents, typed_name="Pat Parent")
    publish([Audience.PUPILS_KS1, Audience.PUPILS_KS2, Audience.PARENTS], title="Online safety")
    publish([Audience.PUPILS_KS1, Audience.STAFF], title="KS1 AUP")
    for year in ("Year 1", "Year 2", "Year 4", "Year 6"):
        child(year)
    with django_assert_num_queries(small):
        r = client.get(accept_url(personas))
    assert [item.version.policy.title for item in r.context["own"]] == ["Online safety"]
    waiting = {(item.version.policy.title, len(item.children)) for item in r.context["cosign"]}
    assert waiting == {("KS1 AUP", 2), ("KS2 AUP", 2), ("Online safety", 5)}
    assert len(r.context["done"]) == 2

"""Who sees what (issue 3): through the DSL's pages, a concern someone may not see is a 404,
exactly like one that does not exist; a role that never works concerns is a 403."""

import pytest
from django.urls import reverse

from esafety.audit.models import AuditEvent
from incidents import services
from incidents.categories import CATEGORIES, ONLINE_SAFETY_LEAD_CATEGORIES
from tests.incidents.conftest import png

CHILD_PROTECTION = sorted(c for c, info in CATEGORIES.items() if info.child_protection)
# DOMAIN.md routes these to the online safety lead; every other category is not theirs.
LEADS = ["filtering_breach", "misinformation", "misuse"]
# Staff conduct has its own rules, tested below.
NOT_THE_LEADS = sorted(c for c in CATEGORIES if c not in LEADS and c != "staff_conduct")


def detail(concern) -> str:
    return reverse("incidents:detail", args=[concern.school.code, concern.code])


def status_for(client_for, user, concern) -> int:
    return client_for(user).get(detail(concern)).status_code


def test_it_names_the_leads_categories_as_domain_md_routes_them():
    assert sorted(ONLINE_SAFETY_LEAD_CATEGORIES) == sorted(LEADS)


@pytest.mark.parametrize("category", LEADS)
def test_it_shows_the_online_safety_lead_filtering_misuse_and_misinformation(
    personas, client_for, log_concern, category
):
    concern = log_concern(category)
    assert status_for(client_for, personas.online_safety_lead, concern) == 200


@pytest.mark.parametrize("category", NOT_THE_LEADS)
def test_it_hides_every_other_category_from_the_online_safety_lead(
    personas, client_for, log_concern, category
):
    # Scams, gambling and commercial exploitation included: DOMAIN.md routes them to the DSL.
    concern = log_concern(category)
    assert status_for(client_for, personas.online_safety_lead, concern) == 404
    assert status_for(client_for, personas.dsl, concern) == 200


# Staff conduct has its own rules, tested below.
@pytest.mark.parametrize("category", [c for c in CHILD_PROTECTION if c != "staff_conduct"])
def test_it_shows_every_child_protection_category_to_the_dsl_deputy_and_head(
    personas, client_for, log_concern, category
):
    concern = log_concern(category)
    for who in (personas.dsl, personas.deputy_dsl, personas.head):
        assert status_for(client_for, who, concern) == 200, who


@pytest.mark.parametrize(
    "who,expected",
    [
        ("dsl", 200),
        ("head", 200),
        ("deputy_dsl", 404),
        ("online_safety_lead", 404),
        ("chair", 404),  # not about the head: the chair has no part in it
        ("governor", 403),
        ("staff", 403),
        ("office", 403),
        ("parent", 403),
        ("other_dsl", 404),
    ],
)
def test_it_restricts_an_allegation_about_a_member_of_staff(
    personas, client_for, log_concern, who, expected
):
    concern = log_concern("staff_conduct", staff=[personas.office], actor=personas.deputy_dsl)
    assert status_for(client_for, getattr(personas, who), concern) == expected


@pytest.mark.parametrize(
    "who,expected",
    [("chair", 200), ("dsl", 200), ("head", 404), ("deputy_dsl", 404), ("governor", 403)],
)
def test_it_routes_an_allegation_about_the_head_to_the_chair_and_dsl(
    personas, client_for, log_concern, who, expected
):
    concern = log_concern("staff_conduct", staff=[personas.head])
    assert status_for(client_for, getattr(personas, who), concern) == expected


def test_it_lets_the_chair_work_an_allegation_about_the_head(personas, client_for, log_concern):
    concern = log_concern("staff_conduct", staff=[personas.head])
    client = client_for(personas.chair)
    client.post(reverse("incidents:acknowledge", args=[personas.school.code, concern.code]))
    concern.refresh_from_db()
    assert concern.acknowledged_by == personas.chair


@pytest.mark.parametrize("who", ["dsl", "deputy_dsl", "head", "online_safety_lead"])
def test_it_hides_a_concern_from_anyone_involved_in_it(personas, client_for, log_concern, who):
    user = getattr(personas, who)
    concern = log_concern("misuse", staff=[user], files=[png()])
    client = client_for(user)
    assert client.get(detail(concern)).status_code == 404
    attachment = concern.attachments.get()
    urls = [
        reverse("incidents:attachment", args=[personas.school.code, concern.code, attachment.code]),
        reverse("incidents:close", args=[personas.school.code, concern.code]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("incidents:acknowledge", args=[personas.school.code, concern.code])
    )
    assert response.status_code == 404
    concern.refresh_from_db()
    assert concern.acknowledged_at is None
    # Nor does it appear in their list.
    dashboard = client.get(reverse("incidents:dashboard", args=[personas.school.code]))
    assert dashboard.status_code == 200
    assert concern.reference not in dashboard.content.decode()


def test_it_hides_a_concern_about_a_deputy_from_that_deputy(personas, client_for, log_concern):
    concern = log_concern("cyberbullying", staff=[personas.deputy_dsl])
    assert status_for(client_for, personas.deputy_dsl, concern) == 404
    assert status_for(client_for, personas.dsl, concern) == 200
    assert not AuditEvent.objects.filter(action="concern.read", actor=personas.deputy_dsl).exists()


@pytest.mark.parametrize("who", ["staff", "office", "governor", "parent"])
def test_it_refuses_the_dsl_pages_to_roles_that_never_see_a_concern(
    personas, client_for, log_concern, who
):
    concern = log_concern("filtering_breach")
    client = client_for(getattr(personas, who))
    assert client.get(detail(concern)).status_code == 403
    assert (
        client.get(reverse("incidents:dashboard", args=[personas.school.code])).status_code == 403
    )


def test_it_refuses_the_reporter_the_dsl_view_of_their_own_concern(
    personas, client_for, log_concern
):
    # The reporter follows the status of what they logged on their own page, never the DSL's.
    concern = log_concern("cyberbullying", actor=personas.staff)
    services.concern_add_note(actor=personas.dsl, concern=concern, text="Private DSL note.")
    response = client_for(personas.staff).get(detail(concern))
    assert response.status_code == 403
    assert b"Private DSL note." not in response.content


def test_it_refuses_a_member_of_staff_someone_elses_concern(personas, client_for, log_concern):
    concern = log_concern("cyberbullying", actor=personas.office)
    client = client_for(personas.staff)
    assert client.get(detail(concern)).status_code == 403
    response = client.post(
        reverse("incidents:acknowledge", args=[personas.school.code, concern.code])
    )
    assert response.status_code == 403


def test_it_hides_a_concern_from_another_schools_dsl(personas, client_for, log_concern):
    concern = log_concern("cyberbullying", files=[png()])
    client = client_for(personas.other_dsl)
    # Through our school's URL (not a member: 404) ...
    assert client.get(detail(concern)).status_code == 404
    # ... and through their own school's URL with our concern's code (not theirs: 404).
    theirs = reverse("incidents:detail", args=[personas.other_school.code, concern.code])
    assert client.get(theirs).status_code == 404
    note = reverse("incidents:add_note", args=[personas.other_school.code, concern.code])
    assert client.post(note, {"note-kind": "note", "note-text": "x"}).status_code == 404
    attachment = reverse(
        "incidents:attachment",
        args=[personas.other_school.code, concern.code, concern.attachments.get().code],
    )
    assert client.get(attachment).status_code == 404
    assert not concern.entries.filter(kind="note").exists()
    assert not AuditEvent.objects.filter(object_code=str(concern.code), actor=personas.other_dsl)


def test_it_lists_only_what_the_online_safety_lead_may_see(personas, client_for, log_concern):
    visible = log_concern("filtering_breach")
    hidden = log_concern("nudes")
    response = client_for(personas.online_safety_lead).get(
        reverse("incidents:dashboard", args=[personas.school.code])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert visible.reference in body
    assert hidden.reference not in body


def test_it_lists_staff_conduct_for_the_head_but_not_the_deputy(personas, client_for, log_concern):
    concern = log_concern("staff_conduct", staff=[personas.office])
    url = reverse("incidents:dashboard_list", args=[personas.school.code])
    assert concern.reference in client_for(personas.head).get(url).content.decode()
    # An error page would not list it either: the deputy's list must have loaded.
    response = client_for(personas.deputy_dsl).get(url)
    assert response.status_code == 200
    assert concern.reference not in response.content.decode()


@pytest.mark.parametrize(
    "who", ["dsl", "head", "deputy_dsl", "online_safety_lead", "chair", "staff", "governor"]
)
def test_the_codes_hidden_from_a_member_are_the_concerns_they_cannot_open(
    personas, log_concern, who
):
    # The audit log hides events about these; for the DSL and the head the list is looked up
    # by the staff link, for everyone else by subtracting concerns_for: both must give exactly
    # "every concern of the school this member cannot open".
    from esafety.people.access import school_access
    from incidents.models import Concern
    from incidents.selectors import concern_codes_hidden_from, concerns_for

    for category in ("cyberbullying", "iioc", "filtering_breach", "misinformation"):
        log_concern(category)
    for about in (personas.dsl, personas.head, personas.deputy_dsl, personas.office):
        log_concern("staff_conduct", staff=[about])
    member = personas.chair if who == "chair" else personas.for_role(who)
    access = school_access(member, personas.school.code)
    expected = set(
        Concern.objects.filter(school=personas.school)
        .exclude(pk__in=concerns_for(access).values("pk"))
        .values_list("code", flat=True)
    )
    assert set(concern_codes_hidden_from(access)) == {str(c) for c in expected}
    assert expected  # every one of them is kept from something


def test_may_open_says_what_concerns_for_says_for_every_role_category_and_staff_named(
    personas, log_concern
):
    # A new concern's alerts say whether each person alerted may open it from may_open, with no
    # query, and go to those routing.first_alerted reads in one: neither may ever disagree with
    # concerns_for, the rule of the concern's own page, nor with routing.recipients.
    from esafety.notify.models import Message
    from esafety.people.access import school_access
    from esafety.people.models import Role
    from incidents import routing
    from incidents.selectors import concerns_for, may_open
    from tests.conftest import make_member
    from tests.factories import MembershipFactory

    both = make_member(personas.school, Role.DEPUTY_DSL, "both@oakfield.test", "Bo Both")
    MembershipFactory(user=both, school=personas.school, role=Role.ONLINE_SAFETY_LEAD)
    members = [
        personas.dsl,
        personas.head,
        personas.deputy_dsl,
        personas.online_safety_lead,
        personas.chair,
        personas.staff,
        personas.office,
        personas.governor,
        both,
    ]
    accesses = [school_access(m, personas.school.code) for m in members]
    named = [[], [personas.office], [personas.head], [personas.dsl], [personas.deputy_dsl], [both]]
    checked = 0
    for category in CATEGORIES:
        for staff in named:
            if category == "staff_conduct" and not staff:
                continue
            concern = log_concern(category, staff=staff)
            about_head = routing.concern_is_about_head(concern)
            # Its alerts: each links to the concern exactly when the person alerted may open it.
            detail = reverse("incidents:detail", args=[concern.school.code, concern.code])
            alerted = Message.objects.filter(subject__contains=concern.reference)
            for message in alerted.select_related("recipient"):
                member = school_access(message.recipient, personas.school.code)
                may = concerns_for(member).filter(pk=concern.pk).exists()
                assert (message.link == detail) == may, (category, message.recipient.email)
            assert {m.recipient for m in alerted} == set(routing.recipients(concern, 0))
            for access in accesses:
                expected = concerns_for(access).filter(pk=concern.pk).exists()
                got = may_open(
                    access,
                    category=category,
                    staff_ids={u.pk for u in staff},
                    about_head=about_head,
                )
                assert got == expected, (category, [u.email for u in staff], access.user.email)
                checked += expected
    assert checked  # some may, some may not


def test_no_role_but_the_opening_roles_changes_what_a_member_may_open(personas):
    # A new concern's alerts read only these roles of each person alerted (routing.first_alerted):
    # holding any other role as well must never change what someone may open.
    import itertools

    from esafety.people.access import SchoolAccess
    from esafety.people.models import Role
    from incidents.selectors import OPENING_ROLES
    from incidents.selectors.visibility import _visible_parts

    others = [r for r in Role.values if r not in OPENING_ROLES]
    assert others
    for n in range(len(OPENING_ROLES) + 1):
        for held in itertools.combinations(sorted(OPENING_ROLES), n):
            for is_chair in (False, True):

                def parts(roles, is_chair=is_chair):
                    access = SchoolAccess(
                        school=personas.school,
                        user=personas.staff,
                        roles=frozenset(roles),
                        is_chair=is_chair,
                    )
                    return _visible_parts(access)

                for other in others:
                    assert parts({*held, other}) == parts(held), (held, other, is_chair)

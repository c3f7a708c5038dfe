"""Default deny, proven: every URL the resolver knows × every persona, against one table.

The expectations live in tests/access_table.py. A URL without a row there fails here, so no
view can ship without someone deciding who may open it.
"""

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import (
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils import timezone

from esafety.people import services
from esafety.people.models import Role, RosterImport
from incidents import services as incidents_services
from policies.models import Policy, PolicyAudience, PolicyVersion
from tests import access_table
from tests.access_table import (
    ADMIN,
    ADMIN_PREFIX,
    CHAIR,
    EMPLOYED,
    GOVERNOR,
    OTHER_PAGES,
    SCHOOL_PAGES,
    Page,
    School,
)
from tests.conftest import make_member
from tests.factories import PupilFactory, UserFactory
from tests.incidents.conftest import PNG

SCHOOL_PREFIX = "s/<uuid:school>/"
ROLES = [r.value for r in Role]
# Persona names on the personas fixture: one per role, plus those who are outsiders here.
OUTSIDERS = ["other_dsl", "nobody"]
# The DSL and the head asked about a concern that names them: it must not exist for them.
ACCUSED = {"accused_dsl": "dsl", "accused_head": "head"}


@dataclass(frozen=True)
class Route:
    route: str  # as Django reports it in ResolverMatch.route
    name: str | None  # namespaced URL name, None for the admin's unnamed patterns
    callback: Callable

    @property
    def key(self) -> str:
        return self.name or self.route

    def __str__(self) -> str:
        return self.key


def _join(prefix: str, pattern) -> str:
    # Django joins routes this way for ResolverMatch.route: a regex's leading ^ is dropped.
    part = str(pattern)
    return prefix + (part[1:] if part.startswith("^") else part)


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace and (f"{namespace}:{p.namespace}" if namespace else p.namespace)
            yield from _walk(p.url_patterns, _join(prefix, p.pattern), ns or namespace)
        else:
            assert isinstance(p, URLPattern)
            name = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
            yield Route(_join(prefix, p.pattern), name, p.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


ROUTES = all_routes()


def expectation(route: Route) -> School | Page | None:
    if route.route.startswith(SCHOOL_PREFIX):
        return SCHOOL_PAGES.get(route.key)
    if route.key in OTHER_PAGES:
        return OTHER_PAGES[route.key]
    if route.route.startswith(ADMIN_PREFIX):
        return ADMIN
    return None


def missing_row_message(route: Route) -> str:
    table = "SCHOOL_PAGES" if route.route.startswith(SCHOOL_PREFIX) else "OTHER_PAGES"
    return (
        f"{route} ({route.route}) has no expectation: add a row for it to {table} in "
        f"tests/access_table.py saying who may open it."
    )


# Values for the admin's and allauth's own URL kwargs. Ours come from the table.
DEFAULT_KWARGS = {
    "object_id": "1",
    "content_type_id": "1",
    "app_label": "auth",
    "url": "no-such-page/",
}


def build_path(route: Route, values: dict[str, str]) -> str:
    """The path for a route with its kwargs filled in, checked to resolve back to the route."""

    def value(name: str) -> str:
        if name not in values:
            raise AssertionError(
                f"{route}: no value for the URL kwarg {name!r}; name its fixture in "
                f"tests/access_table.py (objects= or kwargs=)"
            )
        return str(values[name])

    # Regex groups first: their (?P<name>...) would otherwise look like a path converter.
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), route.route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    path = "/" + path.rstrip("$")
    match = resolve(path)
    assert match.route == route.route, f"{path} resolved to {match.route}, not {route.route}"
    return path


@pytest.fixture
def objects(personas):
    """One of each object a URL can name, at the personas' school and at the other school."""

    def make(school, office):
        invitation, _token = services.invitation_create(
            actor=office, school=school, email="invitee@example.test", role=Role.STAFF
        )
        roster_import = RosterImport.objects.create(
            school=school,
            uploaded_by=office,
            file=ContentFile(b"mis_id,first_name\n", name="roster.csv"),
            original_name="roster.csv",
        )
        pupil = PupilFactory(school=school)
        # A concern every role that works concerns may see (the online safety lead sees the
        # categories that are not child protection), with evidence attached.
        concern = incidents_services.concern_log(
            actor=office,
            school=school,
            category="filtering_breach",
            occurred_at=timezone.now(),
            location="ICT suite",
            what_happened="A blocked site was reached.",
            pupils=[incidents_services.InvolvedPupil(pupil, "affected")],
            files=[SimpleUploadedFile("shot.png", PNG, content_type="image/png")],
        )
        made = {
            "pupil": pupil.code,
            "invitation": invitation.code,
            "roster_import": roster_import.code,
            **_concern_objects(concern),
            **_library_objects(school, office),
        }
        for module in access_table.APP_ROWS:
            made |= module.objects(school, office)
        return made

    other_office = UserFactory(email="office@birchwood.test")
    objs = {
        "here": make(personas.school, personas.office),
        "other": make(personas.other_school, other_office),
    }
    objs["here"]["own_concern"] = PerPersona(
        {role: _concern_logged_by(personas.for_role(role), personas.school) for role in EMPLOYED}
    )
    objs["other"]["own_concern"] = _concern_logged_by(other_office, personas.other_school)
    # Allegations: the chair is asked about the one naming the head (theirs to work), and the
    # accused DSL and head about the one naming each of them.
    about = {
        who: _concern_objects(_allegation_about(getattr(personas, who), personas))
        for who in ("dsl", "head")
    }
    asked = {"chair": about["head"], "accused_dsl": about["dsl"], "accused_head": about["head"]}
    for key in ("concern", "attachment", "entry", "step"):
        objs["here"][key] = PerPersona(
            {"default": objs["here"][key], **{who: o[key] for who, o in asked.items()}}
        )
    return objs


def _concern_objects(concern) -> dict:
    return {
        "concern": concern.code,
        "attachment": concern.attachments.get().code,
        "entry": concern.entries.get().code,
        "step": concern.steps.first().key,
    }


def _allegation_about(user, personas):
    return incidents_services.concern_log(
        actor=personas.staff,
        school=personas.school,
        category="staff_conduct",
        occurred_at=timezone.now(),
        location="",
        what_happened="Messages to a pupil from a personal account.",
        pupils=[],
        staff=[user],
        files=[SimpleUploadedFile("shot.png", PNG, content_type="image/png")],
    )


class PerPersona(dict):
    """One object for each persona (its own, keyed by role or persona name); anyone else is
    asked about the first."""

    def pick(self, role: str | None):
        return self[role] if role in self else next(iter(self.values()))


def _concern_logged_by(user, school):
    return incidents_services.concern_log(
        actor=user,
        school=school,
        category="cyberbullying",
        occurred_at=timezone.now(),
        location="",
        what_happened="Unkind messages.",
        pupils=[],
    ).code


def _library_objects(school, owner) -> dict:
    """A policy with a published, an approved and a draft version (made directly: the other
    school has no head to approve through the services)."""
    today = timezone.localdate()
    policy = Policy.objects.create(school=school, title="Staff AUP", kind="aup", owner=owner)
    PolicyAudience.objects.create(policy=policy, audience="staff")
    approval = {"approved_by_body": "head", "approved_by": owner, "approved_on": today}
    published = PolicyVersion.objects.create(
        policy=policy,
        number="1",
        body="Be kind online.",
        created_by=owner,
        status="published",
        effective_date=today,
        published_at=timezone.now(),
        next_review_due=today + datetime.timedelta(days=365),
        **approval,
    )
    approved = PolicyVersion.objects.create(
        policy=policy, number="2", body="Kinder.", created_by=owner, status="approved", **approval
    )
    draft = PolicyVersion.objects.create(policy=policy, number="3", body="Draft.", created_by=owner)
    return {
        "library_policy": policy.code,
        "library_published": published.code,
        "library_approved": approved.code,
        "library_draft": draft.code,
    }


def describe(response) -> str:
    if response.status_code in (301, 302):
        location = urlsplit(response["Location"]).path
        try:
            return f"{response.status_code} to {resolve(location).view_name}"
        except Resolver404:
            return f"{response.status_code} to {location}"
    return str(response.status_code)


def matches(response, expected: int | str) -> bool:
    if isinstance(expected, int):
        return response.status_code == expected
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"]).path
    if expected == "login":
        return location == reverse("account_login")
    assert expected.startswith("redirect:"), f"unknown expectation {expected!r}"
    try:
        return resolve(location).view_name == expected.removeprefix("redirect:")
    except Resolver404:
        return False


class Checker:
    """Requests a path as someone and keeps every mismatch, so one failure lists them all."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.clients: dict[int | None, Client] = {}

    def client(self, who) -> Client:
        # One signed-in client per persona, not a sign-in per request.
        key = who.pk if who is not None else None
        if key not in self.clients:
            client = Client()
            if who is not None:
                client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
            self.clients[key] = client
        return self.clients[key]

    def request(self, who, method: str, path: str):
        client = self.client(who)
        if method == "POST":
            # A POST may sign the persona out (account_logout): start afresh next time.
            self.clients.pop(who.pk if who is not None else None)
            return client.post(path)
        return client.get(path)

    def check(self, who, label: str, method: str, path: str, expected: int | str) -> None:
        response = self.request(who, method, path)
        if not matches(response, expected):
            self.problems.append(
                f"{method} {path} as {label}: expected {expected}, got {describe(response)}"
            )

    def check_not(self, who, label: str, method: str, path: str, refused: int | str) -> None:
        response = self.request(who, method, path)
        if matches(response, refused):
            self.problems.append(f"{method} {path} as {label}: got {describe(response)}")

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def path_for(
    route: Route, row: School | Page, school, objs: dict[str, object], role: str | None = None
) -> str:
    if isinstance(row, School):
        values = {"school": school.code}
        for kwarg, fixture in row.objects.items():
            if fixture not in objs:
                raise AssertionError(
                    f"{route}: no object {fixture!r}; build one in the objects fixture of "
                    f"tests/test_access_matrix.py"
                )
            value = objs[fixture]
            values[kwarg] = value.pick(role) if isinstance(value, PerPersona) else value
    else:
        values = {**DEFAULT_KWARGS, **row.kwargs}
    return build_path(route, values)


def test_it_has_a_row_for_every_url():
    missing = [missing_row_message(r) for r in ROUTES if expectation(r) is None]
    assert not missing, "\n".join(missing)


def test_it_has_no_row_for_a_url_that_does_not_exist(settings):
    names = {r.name for r in ROUTES}
    if not settings.ESAFETY_ADMIN_ENABLED:
        names |= {name for name in OTHER_PAGES if name.startswith("admin:")}
    stale = [name for name in [*SCHOOL_PAGES, *OTHER_PAGES] if name not in names]
    assert not stale, f"rows for URLs the resolver does not know: {stale}"


def test_it_wraps_every_school_view_in_school_view():
    unwrapped = [
        f"{r} ({r.route})"
        for r in ROUTES
        if r.route.startswith(SCHOOL_PREFIX) and not hasattr(r.callback, "school_roles")
    ]
    assert not unwrapped, f"school URLs not wrapped in access.school_view: {unwrapped}"


def test_it_grants_no_role_that_school_view_refuses():
    # school_view's roles are the outer bound; a view may narrow them further, never widen.
    for route in ROUTES:
        row = SCHOOL_PAGES.get(route.key)
        decorated = getattr(route.callback, "school_roles", None)
        if row is None or not decorated:
            continue
        # The chair passes school_view as a governor.
        roles = row.roles - {CHAIR} | ({GOVERNOR} if CHAIR in row.roles else set())
        assert roles <= decorated, f"{route}: table allows {roles - decorated}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_answers_each_persona_as_the_table_says(route, personas, objects):
    row = expectation(route)
    if row is None:
        pytest.fail(missing_row_message(route))
    checker = Checker()
    if isinstance(row, School):
        check_school_page(checker, route, row, personas, objects)
    else:
        check_other_page(checker, route, row, personas)
    checker.assert_clean()


def check_school_page(checker: Checker, route: Route, row: School, personas, objects) -> None:
    path = path_for(route, row, personas.school, objects["here"])
    for method in ("GET", "POST"):
        checker.check(None, "anonymous", method, path, "login")
        for outsider in OUTSIDERS:
            checker.check(getattr(personas, outsider), outsider, method, path, 404)
    for role in ROLES:
        user = personas.for_role(role)
        own = path_for(route, row, personas.school, objects["here"], role)
        if role in row.roles:
            # A POST-only view is only asked with GET: a POST would do what it does.
            checker.check(user, role, "GET", own, 405 if row.method == "POST" else 200)
        else:
            for method in ("GET", "POST"):
                checker.check(user, role, method, own, 403)
    # The chair of governors: where a governor may go, and where the row names the chair.
    own = path_for(route, row, personas.school, objects["here"], CHAIR)
    if CHAIR in row.roles or GOVERNOR in row.roles:
        checker.check(personas.chair, CHAIR, "GET", own, 405 if row.method == "POST" else 200)
    else:
        for method in ("GET", "POST"):
            checker.check(personas.chair, CHAIR, method, own, 403)
    # The accused: a concern about them is a 404 to every method, like one that does not exist.
    if "concern" in row.objects.values():
        for label, role in ACCUSED.items():
            if role in row.roles:
                about_them = path_for(route, row, personas.school, objects["here"], label)
                # A POST-only view answers a GET 405 before it looks anything up, for any code.
                for method in ("POST",) if row.method == "POST" else ("GET", "POST"):
                    checker.check(personas.for_role(role), label, method, about_them, 404)
    if row.objects:
        # Another school's object under this school's URL: as if it did not exist.
        elsewhere = path_for(route, row, personas.school, objects["other"])
        for role in sorted(row.roles):
            checker.check(personas.for_role(role), role, row.method, elsewhere, 404)


def check_other_page(checker: Checker, route: Route, row: Page, personas) -> None:
    path = path_for(route, row, personas.school, {})
    checker.check(None, "anonymous", "GET", path, row.anonymous)
    for name in [*ROLES, CHAIR, "other_dsl"]:
        user = getattr(personas, name)
        enrolled = Authenticator.objects.filter(user=user).exists()
        expected = row.enrolled if enrolled and row.enrolled is not None else row.signed_in
        checker.check(user, name, "GET", path, expected)


# MFA set-up and sign-out: the only pages a privileged user without MFA may reach.
MFA_SETUP_PAGES = {
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_reauthenticate",
    "account_reauthenticate",
    "account_logout",
}


@pytest.fixture
def privileged_without_mfa(personas):
    users = {
        role: make_member(personas.school, role, f"new-{role}@oakfield.test", f"New {role}")
        for role in (Role.DSL, Role.DEPUTY_DSL, Role.HEAD, Role.ONLINE_SAFETY_LEAD)
    }
    # make_member enrols privileged roles; these have not enrolled yet.
    users["chair"] = personas.chair  # opens allegations about the head
    Authenticator.objects.filter(user__in=users.values()).delete()
    users["superuser"] = UserFactory(email="root@example.test", is_superuser=True, is_staff=True)
    return users


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_sends_privileged_users_without_mfa_to_set_up(
    route, personas, objects, privileged_without_mfa
):
    row = expectation(route)
    if row is None:
        pytest.fail(missing_row_message(route))
    path = path_for(route, row, personas.school, objects["here"])
    checker = Checker()
    for label, user in privileged_without_mfa.items():
        for method in ("GET", "POST"):
            if route.name in MFA_SETUP_PAGES:
                checker.check_not(user, label, method, path, "redirect:mfa_activate_totp")
            else:
                checker.check(user, label, method, path, "redirect:mfa_activate_totp")
    checker.assert_clean()


def test_it_lists_each_persona_role_in_the_table_vocabulary():
    # The table spells roles as plain strings; a renamed role must not silently drop rows.
    assert set(access_table.EVERY_MEMBER) == set(ROLES)

"""Apps plug into the shared pages through their contributions (esafety/contributions.py), and
the shared code reads them: the menu, the home cards, the beat schedule, the governors' figures."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from esafety import contributions
from esafety.celery import app as celery_app
from esafety.people.access import school_access
from esafety.people.navigation import nav_for
from tests.access_table import SCHOOL_PAGES
from tests.incidents import conftest as incident_fixtures

# The concerns suite's fixtures, shared here.
log_concern = incident_fixtures.log_concern
pupil = incident_fixtures.pupil

ROLES = ["staff", "dsl", "deputy_dsl", "online_safety_lead", "head", "office", "governor"]


def test_every_menu_entry_takes_its_roles_from_its_pages_own_access_check():
    for c in contributions.contributions():
        for entry in c.nav:
            view = resolve(reverse(entry.url_name, args=[contributions._ANY_SCHOOL])).func
            assert contributions.page_roles(entry.url_name) == view.school_roles, entry


@pytest.mark.parametrize("role", [*ROLES, "parent", "chair"])
def test_the_menu_holds_exactly_the_pages_the_member_may_open(role, personas, client_for):
    user = personas.for_role(role)
    access = school_access(user, personas.school.code)
    items = list(nav_for(access))
    assert items[0].label == "Home"
    client = client_for(user)
    for item in items:
        assert client.get(item.url).status_code == 200, (role, item)
    # And every menu page they may open per the role × URL table is there.
    shown = {resolve(item.url).view_name for item in items}
    for c in contributions.contributions():
        for entry in c.nav:
            table_roles = SCHOOL_PAGES[entry.url_name].roles
            allowed = user_role(role) in table_roles or not table_roles
            assert (entry.url_name in shown) == allowed, (role, entry.url_name)


# Every domain app gives the governors' figures a section and the demo school its records.
DOMAIN_APPS = {"incidents", "policies", "consent", "devices", "training", "filtering"}


def user_role(role: str) -> str:
    return "governor" if role == "chair" else role


def test_the_menu_groups_pages_into_a_few_sections(personas):
    access = school_access(personas.head, personas.school.code)
    nav = nav_for(access)
    labels = [s.label for s in nav.sections]
    assert labels == [s for s in contributions.SECTIONS if s in labels]
    assert len(labels) <= len(contributions.SECTIONS) == 4
    # The head has more than a dozen pages; no section holds them all.
    assert sum(len(s.items) for s in nav.sections) >= 12
    assert max(len(s.items) for s in nav.sections) <= 6


def test_an_app_cannot_invent_a_section():
    bad = contributions.Contribution(
        app="nope", nav=(contributions.NavEntry("Everything", "Page", "people:school_home"),)
    )
    with pytest.raises(ValueError, match="section"):
        contributions.register(bad)


def test_the_heads_home_shows_what_is_waiting_like_the_dsls(personas, client_for, log_concern):
    log_concern("cyberbullying")
    home = reverse("people:school_home", args=[personas.school.code])
    for who in (personas.head, personas.dsl):
        body = client_for(who).get(home).content.decode()
        assert "1 waiting to be acknowledged" in body, who
    staff = client_for(personas.staff).get(home)
    assert staff.status_code == 200
    assert "waiting to be acknowledged" not in staff.content.decode()


@pytest.mark.parametrize("role", [*ROLES, "parent", "chair"])
def test_the_home_page_runs_the_same_queries_whatever_the_data(
    role, personas, client_for, log_concern
):
    home = reverse("people:school_home", args=[personas.school.code])
    client = client_for(personas.for_role(role))
    client.get(home)  # the session's first read
    log_concern("cyberbullying")
    with CaptureQueriesContext(connection) as small:
        assert client.get(home).status_code == 200
    for _ in range(5):
        log_concern("cyberbullying")
    with CaptureQueriesContext(connection) as large:
        assert client.get(home).status_code == 200
    assert len(large) == len(small), role


def test_beat_runs_every_apps_entries_and_each_names_a_real_task():
    schedule = dict(celery_app.conf.beat_schedule)
    assert {
        "notify-sweep-outbox",
        "notify-daily-digests",
        "people-sweep-roster-imports",
        "audit-verify-chain",
        "incidents-escalate-unacknowledged",
        "policies-reminders",
    } <= set(schedule)
    celery_app.loader.import_default_modules()
    for name, entry in schedule.items():
        assert entry["task"] in celery_app.tasks, name


def test_the_governors_figures_have_a_section_from_each_app(personas, log_concern):
    log_concern("cyberbullying")
    today = datetime.date.today()
    sections = contributions.figures(
        school=personas.school, start=today - datetime.timedelta(days=30), end=today
    )
    assert set(sections) == DOMAIN_APPS
    assert sections["incidents"].total == 1


def test_seed_demo_takes_each_apps_demo_from_its_contribution():
    demo_apps = {c.app for c in contributions.contributions() if c.demo}
    assert demo_apps == DOMAIN_APPS

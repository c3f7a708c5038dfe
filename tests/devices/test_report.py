"""Devices' section of the governors' report: counts the report can suppress, never a name."""

import datetime

from django.urls import reverse
from django.utils import timezone

from devices.report import devices_section
from devices.services import desk
from tests.factories import PupilFactory


def test_the_section_counts_hand_ins_and_the_period(personas, grant, confiscated, quarantine):
    walkers = [grant().pupil for _ in range(3)]
    desk.phone_check_in(actor=personas.office, pupil=walkers[0])
    confiscated()
    quarantine()
    today = timezone.localdate()
    figures = devices_section(
        school=personas.school, start=today - datetime.timedelta(days=7), end=today
    )
    tables = {t.key: t for t in figures.tables}
    assert tables["handin"].rows[0].counts == (1, 2)
    period = {r.label: r.counts[0] for r in tables["devices"].rows}
    assert (
        period["Devices confiscated"] == 1
        and period["Phones found without an exception (breaches)"] == 1
    )
    standing = {r.label: r.counts[0] for r in tables["devices_now"].rows}
    assert standing["Devices held as evidence"] == 1


def test_the_governors_dashboard_shows_the_section_and_no_name(personas, client_for, confiscated):
    confiscated(pupil=PupilFactory(school=personas.school, first_name="Quinby", last_name="Marsh"))
    response = client_for(personas.governor).get(
        reverse("reports:dashboard", args=[personas.school.code])
    )
    assert response.status_code == 200
    assert "devices.phones" in [s.key for s in response.context["report"].sections]
    assert b"Devices and phones" in response.content and b"Quinby" not in response.content

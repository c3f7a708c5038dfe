"""Reminders to parents with decisions outstanding (weekly, at most four, once however often the
task runs), open take-downs in the digest and on the home page, the governors' figures."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from consent.compliance import figures
from consent.models import Choice, Method
from consent.services.decisions import decision_record, decisions_record_online
from consent.services.publications import publication_record
from consent.tasks import send_consent_reminders
from esafety.contributions import figures as all_figures
from esafety.notify.models import Message
from esafety.notify.tasks import send_daily_digests
from tests.consent.conftest import child_with_guardian


def reminders(personas):
    return Message.objects.filter(recipient=personas.parent, kind="reminder")


def test_reminders_go_weekly_at_most_four_times_and_once_however_often_the_task_runs(
    personas, consent, family
):
    start = timezone.now()
    for days, expected in ((6, 0), (7, 1), (8, 1), (14, 2), (21, 3), (28, 4), (35, 4), (70, 4)):
        with time_machine.travel(start + datetime.timedelta(days=days), tick=False):
            send_consent_reminders()
            send_consent_reminders()
        assert reminders(personas).count() == expected, days
    message = reminders(personas).first()
    assert "Ada" not in message.subject + message.body and "Ben" not in message.body
    assert message.link == reverse("consent:mine", args=[personas.school.code])


def test_a_parent_who_has_decided_everything_is_not_reminded(personas, consent, family):
    consents = [p for p in consent.purposes.values() if p.needs_consent]
    for child in family:
        decisions_record_online(
            actor=personas.parent, pupil=child, choices=dict.fromkeys(consents, Choice.REFUSED)
        )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8), tick=False):
        send_consent_reminders()
    assert reminders(personas).count() == 0


def test_open_take_downs_are_in_the_office_and_heads_digest_and_home(personas, consent, client_for):
    pupil, guardian = child_with_guardian(personas.school)
    decision_record(
        actor=personas.office,
        pupil=pupil,
        purpose=consent.website,
        choice=Choice.GRANTED,
        method=Method.PAPER,
        guardian=guardian,
    )
    publication_record(
        actor=personas.staff,
        purpose=consent.website,
        pupils=[pupil],
        title="Assembly",
        channel="website",
    )
    decision_record(
        actor=personas.office,
        pupil=pupil,
        purpose=consent.website,
        choice=Choice.REFUSED,
        method=Method.PAPER,
        guardian=guardian,
    )
    send_daily_digests()
    digests = Message.objects.filter(kind="digest", body__contains="photo take-down")
    assert set(digests.values_list("recipient", flat=True)) == {
        personas.office.pk,
        personas.head.pk,
    }
    assert all("1 photo take-down still to do" in d.body for d in digests)
    home = reverse("people:school_home", args=[personas.school.code])
    assert (
        "1 photo take-down still to do." in client_for(personas.office).get(home).content.decode()
    )
    assert "take-down" not in client_for(personas.staff).get(home).content.decode()


def test_figures_count_coverage_per_purpose_and_take_downs_without_names(personas, consent):
    made = [child_with_guardian(personas.school, first_name=f"Kid{n}") for n in range(3)]
    for (pupil, guardian), choice in zip(made[:2], (Choice.GRANTED, Choice.REFUSED), strict=True):
        decision_record(
            actor=personas.office,
            pupil=pupil,
            purpose=consent.website,
            choice=choice,
            method=Method.PAPER,
            guardian=guardian,
        )
    result = figures(school=personas.school)
    website = next(c for c in result["coverage"] if c.purpose == "School website")
    assert (website.granted, website.refused, website.no_decision) == (1, 1, 1)
    display = next(c for c in result["coverage"] if c.purpose == "Displays in school")
    assert display.granted == 3
    assert result["takedowns_open"] == 0 and result["median_hours_to_removal"] is None
    today = timezone.localdate()
    section = all_figures(school=personas.school, start=today, end=today)["consent"]
    assert "Kid" not in repr(section)


def test_where_the_school_renews_each_year_the_reminders_start_again_in_september(
    personas, consent, family
):
    from consent.services.setup import settings_update

    settings_update(
        actor=personas.head, school=personas.school, own_decision_age=12, renew_each_year=True
    )
    consents = [p for p in consent.purposes.values() if p.needs_consent]
    with time_machine.travel(datetime.datetime(2027, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        for child in family:
            decisions_record_online(
                actor=personas.parent, pupil=child, choices=dict.fromkeys(consents, Choice.GRANTED)
            )
    with time_machine.travel(datetime.datetime(2027, 8, 30, 9, tzinfo=datetime.UTC), tick=False):
        send_consent_reminders()
    assert reminders(personas).count() == 0
    # The new year needs new decisions: a week into it, the first reminder, once.
    with time_machine.travel(datetime.datetime(2027, 9, 8, 9, tzinfo=datetime.UTC), tick=False):
        send_consent_reminders()
        send_consent_reminders()
    assert reminders(personas).count() == 1

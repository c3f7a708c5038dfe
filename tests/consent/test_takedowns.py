"""'May we use this?' before publishing, and withdrawal → take-down of every use, once."""

import datetime

import pytest
import time_machine

from consent.models import Channel, Choice, Method, TakeDown
from consent.services.common import ConsentError
from consent.services.decisions import decision_record, decisions_record_online, marking_set
from consent.services.publications import publication_record, reshare_record
from consent.services.takedowns import takedown_close
from esafety.audit.models import AuditEvent
from tests.consent.conftest import child_with_guardian


def granted(personas, consent, n, purpose=None, choice=Choice.GRANTED):
    made = []
    for _ in range(n):
        pupil, guardian = child_with_guardian(personas.school)
        decision_record(
            actor=personas.office,
            pupil=pupil,
            purpose=purpose or consent.website,
            choice=choice,
            method=Method.PAPER,
            guardian=guardian,
        )
        made.append((pupil, guardian))
    return made


def publish(personas, consent, pupils, channel=Channel.WEBSITE, purpose=None):
    return publication_record(
        actor=personas.staff,
        purpose=purpose or consent.website,
        pupils=pupils,
        title="Sports day",
        channel=channel,
        reference="https://example.test/sports",
    )


def test_a_use_is_refused_while_anyone_in_it_may_not_appear(personas, consent):
    ok = [p for p, _g in granted(personas, consent, 2)]
    silent, _g = child_with_guardian(personas.school)
    with pytest.raises(ConsentError, match="1 of these pupils may not appear"):
        publish(personas, consent, [*ok, silent])
    alone = [p for p, _g in granted(personas, consent, 1, choice=Choice.ALONE_ONLY)]
    with pytest.raises(ConsentError, match="only on their own"):
        publish(personas, consent, [*ok, *alone])
    assert publish(personas, consent, alone).appearances.count() == 1
    assert publish(personas, consent, ok).appearances.count() == 2


def test_a_withdrawal_opens_one_take_down_per_use_and_re_share_once(personas, consent):
    (ada, ada_guardian), (ben, _b) = granted(personas, consent, 2)
    photo = publish(personas, consent, [ada, ben])
    copy = reshare_record(actor=personas.office, original=photo, channel=Channel.SOCIAL)
    other_photo = publish(personas, consent, [ben])
    decision_record(
        actor=personas.office,
        pupil=ada,
        purpose=consent.purposes["Newsletter"],
        choice=Choice.GRANTED,
        method=Method.PAPER,
        guardian=ada_guardian,
    )
    news = publish(personas, consent, [ada], Channel.NEWSLETTER, consent.purposes["Newsletter"])

    def withdraw(choice):
        decision_record(
            actor=personas.office,
            pupil=ada,
            purpose=consent.website,
            choice=choice,
            method=Method.IN_PERSON,
            guardian=ada_guardian,
        )

    withdraw(Choice.REFUSED)
    assert {(t.publication, t.pupil) for t in TakeDown.objects.all()} == {
        (photo, ada),
        (copy, ada),
    }
    assert other_photo.takedowns.count() == news.takedowns.count() == 0
    # Saying no again, or yes and then no, opens nothing new.
    withdraw(Choice.REFUSED)
    withdraw(Choice.GRANTED)
    withdraw(Choice.REFUSED)
    assert TakeDown.objects.count() == 2
    assert AuditEvent.objects.filter(action="consent.takedown_opened").count() == 2


def test_alone_only_takes_down_the_group_photos_only(personas, consent):
    (ada, guardian), (ben, _b) = granted(personas, consent, 2)
    group = publish(personas, consent, [ada, ben])
    alone = publish(personas, consent, [ada])
    decision_record(
        actor=personas.office,
        pupil=ada,
        purpose=consent.website,
        choice=Choice.ALONE_ONLY,
        method=Method.PAPER,
        guardian=guardian,
    )
    assert list(TakeDown.objects.values_list("publication", flat=True)) == [group.pk]
    assert not alone.takedowns.exists()


def test_marking_a_pupil_takes_down_every_use_on_every_purpose(personas, consent):
    (ada, _guardian), (ben, _b) = granted(personas, consent, 2)
    display = publish(personas, consent, [ada, ben], Channel.DISPLAY, consent.display)
    website = publish(personas, consent, [ada])
    marking_set(actor=personas.dsl, pupil=ada, reason="Adopted.")
    assert {t.publication for t in TakeDown.objects.filter(pupil=ada)} == {display, website}
    assert {t.reason for t in TakeDown.objects.all()} == {"marked"}


def test_a_parent_withdrawing_online_opens_the_take_downs(personas, consent, family):
    ada, _ben = family
    decisions_record_online(actor=personas.parent, pupil=ada, choices={consent.website: "granted"})
    photo = publish(personas, consent, [ada])
    decisions_record_online(actor=personas.parent, pupil=ada, choices={consent.website: "refused"})
    assert photo.takedowns.get().pupil == ada


def test_a_take_down_is_closed_once_with_who_how_and_the_time_it_took(personas, consent):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC), tick=False):
        [(ada, guardian)] = granted(personas, consent, 1)
        publish(personas, consent, [ada])
        decision_record(
            actor=personas.office,
            pupil=ada,
            purpose=consent.website,
            choice=Choice.REFUSED,
            method=Method.PAPER,
            guardian=guardian,
        )
    takedown = TakeDown.objects.get()
    with pytest.raises(ConsentError, match="Say how"):
        takedown_close(actor=personas.office, takedown=takedown, how="  ")
    with time_machine.travel(datetime.datetime(2026, 11, 2, 15, tzinfo=datetime.UTC), tick=False):
        takedown_close(actor=personas.office, takedown=takedown, how="Deleted from the website")
    takedown.refresh_from_db()
    assert takedown.closed_by == personas.office
    assert takedown.closed_at - takedown.opened_at == datetime.timedelta(hours=6)
    with pytest.raises(ConsentError, match="already"):
        takedown_close(actor=personas.office, takedown=takedown, how="Again")


def test_what_cannot_be_recalled_is_closed_with_a_note(personas, consent):
    [(ada, _guardian)] = granted(personas, consent, 1)
    publish(personas, consent, [ada], Channel.NEWSLETTER)
    marking_set(actor=personas.head, pupil=ada, reason="Court order.")
    takedown = TakeDown.objects.get()
    takedown_close(
        actor=personas.office, takedown=takedown, how="Printed newsletter", cannot_recall=True
    )
    takedown.refresh_from_db()
    assert takedown.cannot_recall and not takedown.is_open


def test_a_re_share_is_checked_again(personas, consent):
    [(ada, guardian)] = granted(personas, consent, 1)
    photo = publish(personas, consent, [ada])
    decision_record(
        actor=personas.office,
        pupil=ada,
        purpose=consent.website,
        choice=Choice.REFUSED,
        method=Method.PAPER,
        guardian=guardian,
    )
    with pytest.raises(ConsentError):
        reshare_record(actor=personas.staff, original=photo, channel=Channel.SOCIAL)

"""The consent rules, through the services that every page uses."""

import datetime

import pytest
import time_machine

from consent import selectors
from consent.models import Choice, Method
from consent.rules import Answer, Why
from consent.services.common import ConsentError
from consent.services.decisions import decision_record, marking_set
from consent.services.setup import settings_update
from tests.consent.conftest import born_years_ago, child_with_guardian


def state(consent, pupil, purpose, today=None):
    pupil.refresh_from_db()
    return selectors.states_for(
        school=consent.school, pupils=[pupil], purposes=[purpose], today=today
    )[(pupil.pk, purpose.pk)]


def record(personas, pupil, purpose, choice, guardian=None, by_pupil=False):
    return decision_record(
        actor=personas.office,
        pupil=pupil,
        purpose=purpose,
        choice=choice,
        method=Method.PAPER,
        guardian=guardian,
        by_pupil=by_pupil,
    )


def test_no_decision_is_no_on_a_consent_purpose_and_yes_on_public_task_until_an_objection(
    personas, consent
):
    pupil, guardian = child_with_guardian(personas.school)
    assert state(consent, pupil, consent.website).answer is Answer.MAY_NOT
    assert state(consent, pupil, consent.website).why is Why.NO_DECISION
    assert state(consent, pupil, consent.display).answer is Answer.MAY
    record(personas, pupil, consent.display, Choice.REFUSED, guardian)
    assert state(consent, pupil, consent.display).why is Why.OBJECTED
    record(personas, pupil, consent.website, Choice.GRANTED, guardian)
    assert state(consent, pupil, consent.website).answer is Answer.MAY


def test_the_latest_parent_decision_stands(personas, consent):
    pupil, guardian = child_with_guardian(personas.school)
    record(personas, pupil, consent.website, Choice.GRANTED, guardian)
    record(personas, pupil, consent.website, Choice.REFUSED, guardian)
    assert state(consent, pupil, consent.website).why is Why.REFUSED
    record(personas, pupil, consent.website, Choice.ALONE_ONLY, guardian)
    assert state(consent, pupil, consent.website).answer is Answer.ALONE_ONLY


@pytest.mark.parametrize(
    ("parent", "pupil_says", "expected"),
    [
        (Choice.GRANTED, Choice.REFUSED, Answer.MAY_NOT),
        (Choice.REFUSED, Choice.GRANTED, Answer.MAY_NOT),
        (Choice.GRANTED, Choice.ALONE_ONLY, Answer.ALONE_ONLY),
        (Choice.GRANTED, Choice.GRANTED, Answer.MAY),
    ],
)
def test_the_stricter_of_parent_and_pupil_wins(personas, consent, parent, pupil_says, expected):
    pupil, guardian = child_with_guardian(personas.school, date_of_birth=born_years_ago(13))
    record(personas, pupil, consent.website, parent, guardian)
    record(personas, pupil, consent.website, pupil_says, by_pupil=True)
    assert state(consent, pupil, consent.website).answer is expected


def test_a_pupils_own_decision_alone_stands_from_the_age_of_own_decision(personas, consent):
    pupil, _g = child_with_guardian(personas.school, date_of_birth=born_years_ago(12))
    record(personas, pupil, consent.website, Choice.GRANTED, by_pupil=True)
    s = state(consent, pupil, consent.website)
    assert (s.answer, s.by) == (Answer.MAY, "pupil")


def test_a_younger_pupils_own_decision_is_refused_and_the_school_sets_the_age(personas, consent):
    pupil, _g = child_with_guardian(personas.school, date_of_birth=born_years_ago(11))
    with pytest.raises(ConsentError, match="from age 12"):
        record(personas, pupil, consent.website, Choice.GRANTED, by_pupil=True)
    settings_update(
        actor=personas.head, school=personas.school, own_decision_age=11, renew_each_year=False
    )
    record(personas, pupil, consent.website, Choice.GRANTED, by_pupil=True)
    assert state(consent, pupil, consent.website).answer is Answer.MAY


def test_the_pupils_decision_tells_the_parents_without_naming_the_child(personas, consent):
    from esafety.notify.models import Message

    pupil, guardian = child_with_guardian(personas.school, date_of_birth=born_years_ago(13))
    guardian.user = personas.parent
    guardian.save()
    record(personas, pupil, consent.website, Choice.REFUSED, by_pupil=True)
    message = Message.objects.get(recipient=personas.parent)
    assert "own photo and video consent decision" in message.body
    assert pupil.first_name not in message.subject + message.body


def test_a_marked_pupil_is_refused_on_every_purpose_whatever_anyone_chose(personas, consent):
    pupil, guardian = child_with_guardian(personas.school)
    for purpose in consent.purposes.values():
        record(personas, pupil, purpose, Choice.GRANTED, guardian)
    marking_set(actor=personas.dsl, pupil=pupil, reason="Court order.")
    states = selectors.states_for(
        school=consent.school, pupils=[pupil], purposes=list(consent.purposes.values())
    )
    assert {s.why for s in states.values()} == {Why.DO_NOT_PHOTOGRAPH}
    assert {s.label for s in states.values()} == {"Do not photograph"}


def test_only_the_dsl_and_the_head_mark_a_pupil(personas, consent):
    pupil, _g = child_with_guardian(personas.school)
    for who in (personas.office, personas.deputy_dsl, personas.staff):
        with pytest.raises(ConsentError):
            marking_set(actor=who, pupil=pupil, reason="Adopted.")
    marking_set(actor=personas.head, pupil=pupil, reason="Adopted.")


def test_the_marking_reason_goes_nowhere_but_the_marking(personas, consent):
    from esafety.audit.models import AuditEvent

    pupil, _g = child_with_guardian(personas.school)
    marking = marking_set(actor=personas.dsl, pupil=pupil, reason="Birth family SECRET-REASON.")
    assert not AuditEvent.objects.filter(summary__contains="SECRET").exists()
    office = _access(personas, personas.office)
    assert selectors.marking_reason(access=office, marking=marking) == ""
    for who in (personas.dsl, personas.head):
        assert "SECRET" in selectors.marking_reason(access=_access(personas, who), marking=marking)


def _access(personas, user):
    from esafety.people.access import school_access

    return school_access(user, personas.school.code)


def test_consent_lapses_when_a_pupil_leaves(personas, consent):
    pupil, guardian = child_with_guardian(personas.school)
    record(personas, pupil, consent.website, Choice.GRANTED, guardian)
    pupil.left_date = datetime.date.today()
    pupil.save()
    assert state(consent, pupil, consent.website).why is Why.LEFT
    assert state(consent, pupil, consent.display).why is Why.LEFT
    with pytest.raises(ConsentError, match="left"):
        record(personas, pupil, consent.website, Choice.GRANTED, guardian)


def test_renewal_lapses_consent_at_the_start_of_the_academic_year(personas, consent):
    pupil, guardian = child_with_guardian(personas.school)
    settings_update(
        actor=personas.head, school=personas.school, own_decision_age=12, renew_each_year=True
    )
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)):
        record(personas, pupil, consent.website, Choice.GRANTED, guardian)
        record(personas, pupil, consent.display, Choice.REFUSED, guardian)
    assert state(consent, pupil, consent.website, datetime.date(2026, 8, 31)).why is Why.GRANTED
    lapsed = state(consent, pupil, consent.website, datetime.date(2026, 9, 1))
    assert lapsed.why is Why.NO_DECISION
    # An objection is not a consent: it still stands in the new year.
    assert state(consent, pupil, consent.display, datetime.date(2026, 9, 1)).why is Why.OBJECTED
    with time_machine.travel(datetime.datetime(2026, 9, 2, 10, tzinfo=datetime.UTC)):
        record(personas, pupil, consent.website, Choice.GRANTED, guardian)
    assert state(consent, pupil, consent.website, datetime.date(2026, 9, 3)).why is Why.GRANTED


def test_without_renewal_consent_carries_on(personas, consent):
    pupil, guardian = child_with_guardian(personas.school)
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)):
        record(personas, pupil, consent.website, Choice.GRANTED, guardian)
    assert state(consent, pupil, consent.website, datetime.date(2027, 9, 2)).why is Why.GRANTED


def test_only_a_guardian_with_parental_responsibility_decides(personas, consent):
    pupil, guardian = child_with_guardian(personas.school)
    guardian.parental_responsibility = False
    guardian.save()
    with pytest.raises(ConsentError, match="parental responsibility"):
        record(personas, pupil, consent.website, Choice.GRANTED, guardian)
    _other, other_guardian = child_with_guardian(personas.school)
    with pytest.raises(ConsentError):
        record(personas, pupil, consent.website, Choice.GRANTED, other_guardian)


def test_alone_only_is_refused_where_the_purpose_does_not_offer_it(personas, consent):
    pupil, guardian = child_with_guardian(personas.school)
    with pytest.raises(ConsentError, match="not offered"):
        record(personas, pupil, consent.press, Choice.ALONE_ONLY, guardian)

"""The governors' coverage is counted in the database (consent/coverage.py): it must give the
answer of consent/rules.py, the one definition, on a data set that mixes every rule, and its
work must not grow with the pupils (a fixed number of queries, no row read into Python)."""

import datetime
import random

import pytest
import time_machine
from django.db.models.signals import post_init

from consent import rules
from consent.compliance import figures
from consent.coverage import _years_before, coverage_counts
from consent.models import Choice, Decision, Marking, Method
from consent.selectors import current_form, purposes_of, renew_year, settings_of, states_for
from consent.services.setup import settings_update
from esafety.people.models import Pupil
from tests.factories import GuardianFactory, PupilFactory

CHOICES = (Choice.GRANTED, Choice.ALONE_ONLY, Choice.REFUSED)


def python_answer(school, today) -> dict[int, dict[str, int]]:
    """The coverage as the Python rules give it, pupil by pupil (the figures' old reading)."""
    pupils = list(Pupil.objects.filter(school=school, left_date__isnull=True))
    purposes = list(purposes_of(school=school))
    states = states_for(school=school, pupils=pupils, purposes=purposes, today=today)
    found = {}
    for purpose in purposes:
        counts = dict.fromkeys(("granted", "alone_only", "refused", "no_decision"), 0)
        for pupil in pupils:
            s = states[(pupil.pk, purpose.pk)]
            if s.answer is rules.Answer.ALONE_ONLY:
                counts["alone_only"] += 1
            elif s.answer is rules.Answer.MAY:
                counts["granted"] += 1
            elif s.why is rules.Why.NO_DECISION:
                counts["no_decision"] += 1
            else:
                counts["refused"] += 1
        found[purpose.pk] = counts
    return found


def sql_answer(school, today) -> dict[int, dict[str, int]]:
    settings = settings_of(school=school)
    return coverage_counts(
        school=school,
        purposes=list(purposes_of(school=school)),
        today=today,
        own_age=settings.own_decision_age,
        renew_year=renew_year(settings=settings, school=school, today=today),
    )


def mixed_school(personas, consent, *, pupils: int = 40, seed: int = 7) -> None:
    """Pupils either side of the age of own decision (12), some marked, some left; parents and
    pupils deciding, changing their minds, tying on the same instant, across two academic
    years (2025-26 and 2026-27), on consent and public-task purposes."""
    rng = random.Random(seed)
    school = personas.school
    form = current_form(school=school)
    purposes = list(purposes_of(school=school))
    today = datetime.date(2026, 10, 1)
    moments = [
        datetime.datetime(2025, 10, 3, 9, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC),
        datetime.datetime(2026, 8, 31, 23, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 9, 1, 0, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 9, 20, 9, tzinfo=datetime.UTC),
    ]
    for n in range(pupils):
        age_days = rng.choice((-1, 0, 1, 400))
        born = _years_before(today, 12) + datetime.timedelta(days=age_days)
        if n % 3 == 0:
            born = _years_before(today, 9)
        pupil = PupilFactory(school=school, first_name=f"Mix{n}", date_of_birth=born)
        guardian = GuardianFactory(pupil=pupil)
        if n % 11 == 5:
            Marking.objects.create(school=school, pupil=pupil, reason="x", marked_by=personas.dsl)
        for purpose in rng.sample(purposes, k=rng.randint(0, len(purposes))):
            for _ in range(rng.randint(1, 3)):
                by_pupil = rng.random() < 0.4
                with time_machine.travel(rng.choice(moments), tick=False):
                    # Sometimes two at the same instant: the later id stands.
                    Decision.objects.bulk_create(
                        Decision(
                            school=school,
                            pupil=pupil,
                            purpose=purpose,
                            choice=rng.choice(CHOICES),
                            guardian=None if by_pupil else guardian,
                            by_pupil=by_pupil,
                            method=Method.PAPER,
                            recorded_by=personas.office,
                            form_version=form,
                        )
                        for _ in range(rng.choice((1, 1, 2)))
                    )
        if n % 13 == 4:
            Pupil.objects.filter(pk=pupil.pk).update(left_date=datetime.date(2026, 7, 20))


@pytest.mark.parametrize("renew", [False, True])
@pytest.mark.parametrize(
    "today",
    [datetime.date(2026, 8, 31), datetime.date(2026, 10, 1), datetime.date(2028, 2, 29)],
)
def test_the_coverage_counted_in_the_database_is_the_rules_answer(personas, consent, renew, today):
    mixed_school(personas, consent)
    settings_update(
        actor=personas.head,
        school=personas.school,
        own_decision_age=12,
        renew_each_year=renew,
    )
    expected = python_answer(personas.school, today)
    assert sql_answer(personas.school, today) == expected
    # The data set is mixed enough to mean something: every column is used somewhere.
    totals = {k: sum(c[k] for c in expected.values()) for k in next(iter(expected.values()))}
    assert all(totals.values()), totals


def test_a_pupil_decides_from_their_birthday_as_the_python_rule_says(personas, consent):
    school = personas.school
    form = current_form(school=school)
    today = datetime.date(2026, 10, 1)
    for born in (datetime.date(2014, 10, 1), datetime.date(2014, 10, 2)):
        pupil = PupilFactory(school=school, date_of_birth=born)
        GuardianFactory(pupil=pupil)
        Decision.objects.create(
            school=school,
            pupil=pupil,
            purpose=consent.website,
            choice=Choice.REFUSED,
            by_pupil=True,
            method=Method.IN_PERSON,
            recorded_by=personas.office,
            form_version=form,
        )
    counts = sql_answer(school, today)[consent.website.pk]
    # Twelve today: the refusal stands. Twelve tomorrow: not yet, so no decision.
    assert (counts["refused"], counts["no_decision"]) == (1, 1)
    assert counts == python_answer(school, today)[consent.website.pk]


def test_the_figures_read_no_row_into_python_and_ask_the_same_queries_at_two_sizes(
    personas, consent, django_assert_num_queries, monkeypatch
):
    made: list = []

    def count(sender, **kwargs):
        made.append(sender)

    def no_rules(**kwargs):
        raise AssertionError("the figures must not apply the rules pupil by pupil")

    monkeypatch.setattr(rules, "state", no_rules)
    post_init.connect(count, sender=Pupil)
    post_init.connect(count, sender=Decision)
    try:
        mixed_school(personas, consent, pupils=5, seed=1)
        made.clear()
        # The same queries at both sizes (the roll and the standing decisions are one each).
        with django_assert_num_queries(6):
            small = figures(school=personas.school)
        mixed_school(personas, consent, pupils=30, seed=2)
        made.clear()
        with django_assert_num_queries(6):
            large = figures(school=personas.school)
    finally:
        post_init.disconnect(count, sender=Pupil)
        post_init.disconnect(count, sender=Decision)
    assert made == []
    assert large["pupils"] > small["pupils"] > 0

"""Incidents' section of the governors' figures: counts only, never a name or a narrative."""

import datetime

import time_machine
from django.utils import timezone

from incidents import compliance, services


def test_it_counts_concerns_referrals_and_acknowledgement_times_without_names(
    personas, log_concern, pupil
):
    start = timezone.localtime().replace(year=2025, month=3, day=10, hour=10, minute=0)
    with time_machine.travel(start, tick=False):
        bullying = log_concern("cyberbullying", what_happened="Zephyrine was sent cruel messages.")
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        services.concern_acknowledge(actor=personas.dsl, concern=bullying)
        services.referral_record(
            actor=personas.dsl,
            concern=bullying,
            referred=True,
            agency="police",
            referred_on=start.date(),
        )
    with time_machine.travel(start + datetime.timedelta(days=30), tick=False):
        nudes = log_concern("nudes")
    with time_machine.travel(start + datetime.timedelta(days=30, minutes=30), tick=False):
        services.concern_acknowledge(actor=personas.dsl, concern=nudes)
        services.referral_record(
            actor=personas.dsl, concern=nudes, referred=False, reasons="Handled in school."
        )
    with time_machine.travel(start + datetime.timedelta(days=400), tick=False):
        log_concern("misuse")  # after the period: not counted

    figures = compliance.figures(
        school=personas.school, start=datetime.date(2025, 3, 1), end=datetime.date(2025, 4, 30)
    )
    assert figures.total == 2
    assert figures.by_category["Cyberbullying"] == 1
    assert figures.by_category["Sharing nudes or semi-nudes"] == 1
    assert figures.by_category["Misuse of school systems"] == 0
    assert figures.by_four_c == {"Content": 0, "Contact": 0, "Conduct": 2, "Commerce": 0}
    assert figures.by_month == {"2025-03": 1, "2025-04": 1}
    assert figures.by_status["Acknowledged"] == 2
    assert figures.referrals_by_agency["Police"] == 1
    assert figures.decisions_not_to_refer == 1
    assert figures.median_minutes_to_acknowledge == 20.0
    assert figures.open_at_end == 2
    text = repr(figures)
    assert pupil.first_name not in text and pupil.last_name not in text
    assert "cruel" not in text and personas.staff.email not in text

"""At the end of a term the governors are emailed a link to the term's report, once, however
often the task runs; the email carries no PDF, no figure and no name."""

import datetime

import time_machine

from esafety.notify.models import Message
from esafety.reports import tasks
from esafety.reports.models import ReportBuild
from tests.reports.conftest import NAMES, at


def test_the_term_report_is_built_and_sent_once_when_the_task_runs_twice(personas, logged):
    logged("cyberbullying", at(2026, 10, 8), n=6)
    logged("nudes", at(2026, 11, 8), n=1)
    with time_machine.travel(at(2027, 1, 4, 7), tick=False):
        tasks.send_term_reports()
        tasks.send_term_reports()
    # One build a school (the other school's term ended too).
    assert ReportBuild.objects.count() == 2
    build = ReportBuild.objects.get(school=personas.school)
    assert (build.start, build.end) == (datetime.date(2026, 9, 1), datetime.date(2026, 12, 31))
    assert build.term_key == "2026-09-01" and build.requested_by is None

    messages = Message.objects.filter(
        school=personas.school, subject__startswith="The governors' online-safety report"
    )
    recipients = sorted(m.recipient.email for m in messages)
    assert recipients == sorted([personas.governor.email, personas.chair.email])
    for m in messages:
        assert m.link.endswith(f"/governors/builds/{build.code}/")
        assert "not attached" in m.body
        assert not any(name in m.body or name in m.subject for name in NAMES)
        assert not any(ch.isdigit() for ch in m.body.replace("2026/27", ""))

    # Built by the worker (here, by hand) and then readable through the link.
    assert tasks.build_report(build.pk) == 1
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.DONE


def test_nothing_is_sent_in_the_middle_of_a_term(personas):
    with time_machine.travel(at(2026, 11, 20, 7), tick=False):
        assert tasks.send_term_reports() == 0
    assert not ReportBuild.objects.exists()
    assert not Message.objects.filter(subject__startswith="The governors'").exists()


def test_a_day_missed_is_made_up_within_the_fortnight(personas):
    with time_machine.travel(at(2027, 1, 12, 7), tick=False):
        assert tasks.send_term_reports() == 2  # both schools
    with time_machine.travel(at(2027, 1, 13, 7), tick=False):
        assert tasks.send_term_reports() == 0
    assert ReportBuild.objects.filter(school=personas.school).count() == 1

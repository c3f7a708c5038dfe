"""Consent's section of the governors' report: coverage per purpose as the consent figures page
counts it, take-downs opened, done and open in the period with the median time to removal,
small counts suppressed by the report so that nothing can be subtracted back, no name printed,
and a constant number of queries."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consent import compliance
from consent.models import Channel, Choice, Method, Purpose, TakeDown
from consent.report import SECTIONS, consent_section
from consent.services.decisions import decision_record, marking_set
from consent.services.publications import publication_record
from consent.services.setup import consent_setup
from consent.services.takedowns import takedown_close
from esafety.contributions import report_sections
from esafety.reports import periods, selectors
from tests.consent.conftest import child_with_guardian
from tests.reports.attacker import recovered
from tests.reports.conftest import at

AUTUMN = datetime.date(2026, 10, 1)  # the autumn term 2026: September to December
NAMES = ("Wilhelmina", "Thistlewood", "Bartholomew", "Quillfeather")


def _decide(personas, pupil, guardian, purpose, choice, actor=None):
    decision_record(
        actor=actor or personas.office,
        pupil=pupil,
        purpose=purpose,
        choice=choice,
        method=Method.PAPER,
        guardian=guardian,
    )


def _coverage(figures) -> dict[str, tuple[int, ...]]:
    table = next(t for t in figures.tables if t.key == "coverage")
    return {r.label: r.counts for r in table.rows}


def _takedowns(figures) -> dict[str, int]:
    table = next(t for t in figures.tables if t.key == "takedowns")
    return {r.keys[0]: r.counts[0] for r in table.rows}


def _section(report):
    return next(s for s in report.sections if s.key == "consent.coverage")


def test_coverage_counts_each_purpose_as_the_consent_figures_page_does(personas, consent):
    website, display = consent.website, consent.display
    pupils = [child_with_guardian(personas.school) for _ in range(6)]
    (a, ga), (b, gb), (c, gc), (d, gd), (_e, _ge), (f, gf) = pupils
    for pupil, guardian in ((a, ga), (b, gb), (f, gf)):
        _decide(personas, pupil, guardian, website, Choice.GRANTED)
    _decide(personas, c, gc, website, Choice.ALONE_ONLY)
    _decide(personas, d, gd, website, Choice.REFUSED)
    _decide(personas, d, gd, display, Choice.REFUSED)  # an objection to a public task
    marking_set(actor=personas.dsl, pupil=f, reason="Adopted.")  # no, whatever was given
    leaver, gl = child_with_guardian(personas.school)
    _decide(personas, leaver, gl, website, Choice.GRANTED)
    leaver.left_date = datetime.date(2026, 7, 20)
    leaver.save(update_fields=["left_date"])

    today = timezone.localdate()
    figures = consent_section(school=personas.school, start=today.replace(day=1), end=today)
    coverage = _coverage(figures)
    # Yes, on their own only, no, no decision; pupils on roll only (the leaver's lapsed).
    assert coverage["School website (consent)"] == (2, 1, 2, 1)
    # No decision on a public task is no objection: in use; the objection and the marking, no.
    assert coverage["Displays in school (public task)"] == (4, 0, 2, 0)
    assert coverage["Press, with names (consent)"] == (0, 0, 1, 5)
    # Every purpose the school has, each the same as on the consent figures page.
    page = compliance.figures(school=personas.school)
    assert [(c.granted, c.alone_only, c.refused, c.no_decision) for c in page["coverage"]] == list(
        coverage.values()
    )
    assert len(coverage) == Purpose.objects.filter(school=personas.school).count()
    table = next(t for t in figures.tables if t.key == "coverage")
    assert table.as_it_stands and table.row_totals and not table.column_totals


def test_a_marked_pupil_reads_as_refusals_and_is_counted_nowhere_else(personas, consent):
    """The section gives no count of pupils marked "do not photograph" (consent/report.py
    says why): a marked pupil's figures are those of a pupil refused on every purpose."""
    marked, _g = child_with_guardian(personas.school)
    marking_set(actor=personas.dsl, pupil=marked, reason="Court order.")
    other = personas.other_school
    consent_setup(school=other, actor=personas.other_dsl)
    refuser, guardian = child_with_guardian(other)
    for purpose in Purpose.objects.filter(school=other):
        _decide(personas, refuser, guardian, purpose, Choice.REFUSED, personas.other_dsl)

    today = timezone.localdate()
    here, there = (
        consent_section(school=school, start=today.replace(day=1), end=today)
        for school in (personas.school, other)
    )
    # Table by table, row by row, the same labels and counts: nothing tells them apart.
    assert [(t.key, [(r.label, r.counts) for r in t.rows]) for t in here.tables] == [
        (t.key, [(r.label, r.counts) for r in t.rows]) for t in there.tables
    ]
    assert set(_coverage(here).values()) == {(0, 0, 1, 0)}


def _use_and_withdraw(personas, consent, opened, closed=None, name=None):
    """A pupil in a website photo whose consent is withdrawn at `opened` (a take-down), done
    at `closed` when given."""
    kw = {"first_name": name[0], "last_name": name[1]} if name else {}
    pupil, guardian = child_with_guardian(personas.school, **kw)
    with time_machine.travel(opened - datetime.timedelta(days=3), tick=False):
        _decide(personas, pupil, guardian, consent.website, Choice.GRANTED)
        publication_record(
            actor=personas.staff,
            purpose=consent.website,
            pupils=[pupil],
            title="Sports day",
            channel=Channel.WEBSITE,
        )
    with time_machine.travel(opened, tick=False):
        _decide(personas, pupil, guardian, consent.website, Choice.REFUSED)
    [takedown] = TakeDown.objects.filter(pupil=pupil)
    if closed is not None:
        with time_machine.travel(closed, tick=False):
            takedown_close(actor=personas.office, takedown=takedown, how="Deleted from the site.")
    return takedown


def _autumn_takedowns(personas, consent):
    hours = datetime.timedelta(hours=1)
    # Opened last term (the summer), done this term.
    _use_and_withdraw(personas, consent, at(2026, 6, 10), at(2026, 9, 14), NAMES[:2])
    # Opened and done this term, in 2, 4, 6, 8 and 10 hours.
    for n in (2, 4, 6, 8, 10):
        start = at(2026, 10, n)
        _use_and_withdraw(personas, consent, start, start + n * hours)
    _use_and_withdraw(personas, consent, at(2026, 11, 3))  # still open
    _use_and_withdraw(personas, consent, at(2026, 12, 30), at(2027, 1, 5), NAMES[2:])


def test_take_downs_in_the_period_and_the_median_time_to_removal(personas, consent):
    _autumn_takedowns(personas, consent)
    term = periods.term_of(personas.school, AUTUMN)
    figures = consent_section(school=personas.school, start=term.start, end=term.end)
    assert _takedowns(figures) == {
        "takedowns:open_start": 1,
        "takedowns:opened": 7,
        "takedowns:done": 6,
        "takedowns:open_end": 2,
    }
    [median] = figures.medians
    # 2, 4, 6, 8, 10 hours and the summer's one (over three months): between 6 and 8.
    assert (median.value, median.n, median.unit) == (7.0, 6, "hours")
    summer = periods.previous(personas.school, term)
    last = consent_section(school=personas.school, start=summer.start, end=summer.end)
    assert _takedowns(last) == {
        "takedowns:open_start": 0,
        "takedowns:opened": 1,
        "takedowns:done": 0,
        "takedowns:open_end": 1,
    }
    assert last.medians[0].n == 0 and last.medians[0].value is None


def test_the_report_suppresses_the_section_and_nothing_can_be_subtracted_back(
    personas, consent, client_for
):
    assert SECTIONS[0].key in {s.key for s in report_sections()}
    # Eight withdrawn from the website (the take-downs), three more given it, and one of them
    # objecting to displays: one "no" in a row whose total is printed. Take-downs open at the
    # start and the end of the term, small, beside last term's and the sum between them.
    _autumn_takedowns(personas, consent)
    given = [child_with_guardian(personas.school) for _ in range(3)]
    for pupil, guardian in given:
        _decide(personas, pupil, guardian, consent.website, Choice.GRANTED)
    _decide(personas, *given[0], consent.display, Choice.REFUSED)
    term = periods.term_of(personas.school, AUTUMN)
    with time_machine.travel(at(2027, 1, 10), tick=False):
        report = selectors.report_for(school=personas.school, period=term)
    sec = _section(report)
    s = sec.suppression
    coverage = {r.label: r.cells for r in next(t for t in sec.tables if t.key == "coverage").rows}
    texts = {label: [this.text for this, _last in cells] for label, cells in coverage.items()}
    # Yes, on their own only, no, no decision, total: the one objection and the three given
    # the website are small, and the cell beside each that would give it back is withheld.
    assert texts["Displays in school (public task)"] == ["withheld", "0", "fewer than 5", "0", "11"]
    assert texts["School website (consent)"] == ["fewer than 5", "0", "withheld", "0", "11"]
    assert texts["Press, with names (consent)"] == ["0", "0", "0", "11", "11"]
    assert all(last is None for cells in coverage.values() for _this, last in cells)  # a state
    takedowns = {
        r.label: r.cells[0] for r in next(t for t in sec.tables if t.key == "takedowns").rows
    }
    assert {label: (this.text, last.text) for label, (this, last) in takedowns.items()} == {
        "Open at the start of the period": ("fewer than 5", "0"),
        "Opened in the period": ("7", "fewer than 5"),
        "Done in the period": ("6", "0"),
        "Open at the end of the period": ("fewer than 5", "fewer than 5"),
    }
    [median] = sec.medians
    assert (median.this, median.last) == ("7 hours (from 6 take-downs done)", "no take-downs done")
    shown = {k: v for k, v in s.values.items() if k not in s.hidden}
    for withheld_from in (None, 1):
        found = recovered(
            shown=shown,
            hidden=s.hidden,
            relations=s.relations,
            threshold=4,
            withheld_from=withheld_from,
        )
        assert found == {}, (withheld_from, found)
    # No name of any pupil, on the section or on the governors' dashboard.
    printed = repr((sec.tables, sec.medians, sec.listings))
    assert not [n for n in NAMES if n in printed]
    with time_machine.travel(at(2026, 12, 31), tick=False):
        page = client_for(personas.governor).get(
            reverse("reports:dashboard", args=[personas.school.code])
        )
    assert page.status_code == 200
    assert b"Photo and video consent" in page.content
    assert not [n for n in NAMES if n.encode() in page.content]


def test_the_section_issues_the_same_queries_at_two_sizes(personas, consent):
    term = periods.term_of(personas.school, AUTUMN)
    counts = []
    for n in (2, 12):
        while TakeDown.objects.filter(school=personas.school).count() < n:
            done = TakeDown.objects.count() % 2 == 0
            start = at(2026, 10, 1 + TakeDown.objects.count())
            _use_and_withdraw(
                personas, consent, start, start + datetime.timedelta(hours=3) if done else None
            )
        for _ in range(n):
            pupil, guardian = child_with_guardian(personas.school)
            _decide(personas, pupil, guardian, consent.website, Choice.GRANTED)
            _decide(personas, pupil, guardian, consent.display, Choice.REFUSED)
        with CaptureQueriesContext(connection) as queries:
            consent_section(school=personas.school, start=term.start, end=term.end)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

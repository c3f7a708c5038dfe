"""Incidents' section of the report: the figures match the concerns the test logged, small
counts are hidden, and a reader who subtracts every printed sum recovers nothing."""

import datetime

import time_machine

from esafety.reports import periods, selectors
from incidents import services
from tests.reports.attacker import recovered
from tests.reports.conftest import at

AUTUMN = datetime.date(2026, 10, 1)


def section(report, key="incidents.concerns"):
    return next(s for s in report.sections if s.key == key)


def table(sec, key):
    return next(t for t in sec.tables if t.key == key)


def figures(tab) -> dict[str, tuple[str, str | None]]:
    return {
        r.label: (r.cells[0][0].text, r.cells[0][1].text if r.cells[0][1] else None)
        for r in tab.rows
    }


def autumn_report(personas):
    period = periods.term_of(personas.school, AUTUMN)
    return selectors.report_for(school=personas.school, period=period)


def test_the_figures_match_the_concerns_logged(personas, logged):
    # This term: 6 cyberbullying (September), 5 online hate (October), 7 filtering breaches
    # (November); last term: 5 cyberbullying in May.
    bullying = logged("cyberbullying", at(2026, 9, 8), n=6, acknowledge_after=20)
    logged("online_hate", at(2026, 10, 5), n=5, acknowledge_after=40)
    logged("filtering_breach", at(2026, 11, 2), n=7)
    logged("cyberbullying", at(2026, 5, 11), n=5, acknowledge_after=5)
    with time_machine.travel(at(2026, 9, 20), tick=False):
        for concern in bullying[:5]:
            services.referral_record(
                actor=personas.dsl,
                concern=concern,
                referred=True,
                agency="social_care",
                referred_on=datetime.date(2026, 9, 20),
            )
        services.referral_record(
            actor=personas.dsl, concern=bullying[5], referred=False, reasons="Handled in school."
        )

    sec = section(autumn_report(personas))
    kinds = figures(table(sec, "by_kind"))
    assert kinds["Cyberbullying"] == ("6", "5")
    assert kinds["Online hate"] == ("5", "0")
    assert kinds["Filtering or monitoring breach"] == ("7", "0")
    assert kinds["Conduct"] == ("11", "5")  # the 4C subtotal
    assert kinds["Content"] == ("7", "0")
    assert kinds["All concerns"] == ("18", "5")
    months = figures(table(sec, "by_month"))
    assert months == {
        "Sep 2026": ("6", "5"),  # beside the first month of last term: May
        "Oct 2026": ("5", "0"),
        "Nov 2026": ("7", "0"),
        "Dec 2026": ("0", "0"),
        "All concerns": ("18", "5"),
    }
    opened = figures(table(sec, "open_closed"))
    assert opened["Open at the start of the period"] == ("5", "0")
    assert opened["Logged in the period"] == ("18", "5")
    assert opened["Open at the end of the period"] == ("23", "5")
    referrals = figures(table(sec, "referrals"))
    # One decision not to refer: hidden. The five referrals to social care would give it back
    # from the total, so they are withheld, and so is the total: with the five known to be more
    # than 4 and the one at least 1, a total of 6 would leave 5 and 1.
    assert referrals["Decided not to refer (reasons recorded)"] == ("fewer than 5", "0")
    assert referrals["Children's social care"] == ("withheld", "0")
    assert referrals["Referred"] == ("withheld", "0")
    assert referrals["All decisions"] == ("withheld", "0")
    assert referrals["Police"] == ("0", "0")
    s = sec.suppression
    shown = {k: v for k, v in s.values.items() if k not in s.hidden}
    assert recovered(shown=shown, hidden=s.hidden, relations=s.relations, threshold=4) == {}
    median = sec.medians[0]
    assert median.this == "20 minutes (from 11 concerns acknowledged)"  # six at 20, five at 40
    assert median.last == "5 minutes (from 5 concerns acknowledged)"


def test_figures_designed_to_be_subtracted_give_nothing_back(personas, logged):
    # One nudes concern (alone in its category; its 4C subtotal, Conduct, has 6 more), alone in
    # its month on the chart, inside a total; one decision not to refer beside referrals.
    logged("cyberbullying", at(2026, 9, 8), n=6)
    logged("nudes", at(2026, 12, 1), n=1)
    logged("filtering_breach", at(2026, 10, 5), n=9)
    logged("online_sexual_abuse", at(2026, 10, 6), n=2)
    logged("cyberbullying", at(2026, 6, 1), n=3)  # last term: 3, itself hidden

    sec = section(autumn_report(personas))
    s = sec.suppression
    kinds = figures(table(sec, "by_kind"))
    assert kinds["Sharing nudes or semi-nudes"] == ("fewer than 5", "0")
    assert kinds["Online child sexual abuse or exploitation (grooming)"][0] == "fewer than 5"
    assert kinds["Contact"][0] == "fewer than 5"  # the subtotal is the same two concerns
    assert kinds["Cyberbullying"][0] == "withheld"  # or Conduct less it gives nudes back
    months = figures(table(sec, "by_month"))
    assert months["Dec 2026"][0] == "fewer than 5"
    assert sum(1 for this, _ in months.values() if this in ("withheld", "fewer than 5")) >= 2
    # What the reader sees: every printed figure, every printed sum, how each hidden one reads.
    shown = {k: v for k, v in s.values.items() if k not in s.hidden}
    assert recovered(shown=shown, hidden=s.hidden, relations=s.relations, threshold=4) == {}
    # And each hidden cell reads as such wherever it is printed (table, chart, last period).
    for tab in sec.tables:
        for row in tab.rows:
            for this, last in row.cells:
                assert this.hidden or this.text not in ("fewer than 5", "withheld")
                if last is not None:
                    assert last.hidden or last.text not in ("fewer than 5", "withheld")
    chart = table(sec, "by_month").chart
    assert "fewer than 5" in chart


def test_no_median_from_a_small_count(personas, logged):
    logged("cyberbullying", at(2026, 9, 8), n=4, acknowledge_after=30)
    logged("cyberbullying", at(2026, 5, 8), n=5, acknowledge_after=3)
    sec = section(autumn_report(personas))
    median = sec.medians[0]
    assert "30" not in median.this
    assert median.this == "not shown: from fewer than 5 concerns acknowledged"
    assert median.last == "3 minutes (from 5 concerns acknowledged)"


def test_a_higher_threshold_hides_more(personas, logged, client_for):
    logged("cyberbullying", at(2026, 9, 8), n=6)
    logged("online_hate", at(2026, 9, 9), n=7)
    from esafety.reports.services import report_settings_update

    report_settings_update(
        actor=personas.governor,
        school=personas.school,
        sections=["incidents.concerns"],
        threshold=6,
    )
    report = autumn_report(personas)
    assert [s.key for s in report.sections] == ["incidents.concerns"]
    kinds = figures(table(section(report), "by_kind"))
    assert kinds["Cyberbullying"][0] == "fewer than 7"
    assert kinds["Online hate"][0] == "withheld"

"""Every installed app's section, on the demo school's year: a reader who subtracts every
printed sum recovers no hidden count, and nothing printed names anyone. The contract's rules
(docs/architecture.md, "Report sections") hold for sections this app has never seen."""

import datetime
import io

from django.core.management import call_command

from esafety.people.models import Pupil, School, User
from esafety.reports import periods, selectors
from tests.reports.attacker import recovered


def test_no_section_of_the_demo_schools_year_gives_a_hidden_count_back(db):
    call_command("seed_demo", "--pupils", "40", stdout=io.StringIO())
    school = School.objects.get(urn="999001")
    report = selectors.report_for(
        school=school, period=periods.year_of(school, datetime.date.today())
    )
    assert {"incidents.concerns", "policies.status"} <= {s.key for s in report.sections}
    names = set()
    for first, last in Pupil.objects.filter(school=school).values_list("first_name", "last_name"):
        names |= {first, last}
    for full_name in User.objects.filter(memberships__school=school).values_list(
        "full_name", flat=True
    ):
        names |= set(full_name.split())
    for section in report.sections:
        s = section.suppression
        shown = {k: v for k, v in s.values.items() if k not in s.hidden}
        for withheld_from in (None, 1):
            found = recovered(
                shown=shown,
                hidden=s.hidden,
                relations=s.relations,
                threshold=4,
                withheld_from=withheld_from,
            )
            assert found == {}, (section.key, withheld_from, found)
        printed = repr((section.tables, section.medians, section.listings, section.audit))
        assert not [n for n in names if f"'{n}" in printed or f" {n} " in printed], section.key

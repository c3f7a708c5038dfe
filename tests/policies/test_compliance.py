import dataclasses
import datetime

from policies.compliance import figures
from policies.models import Audience
from policies.services.acceptances import acceptance_record_own


def test_it_gives_the_governors_numbers_and_review_dates_without_names(personas, publish):
    version = publish([Audience.STAFF], title="Staff AUP")
    acceptance_record_own(actor=personas.staff, version=version, typed_name="Sam Staff")
    result = figures(school=personas.school, today=version.next_review_due + datetime.timedelta(1))

    [policy] = result.policies
    assert (policy.title, policy.version, policy.overdue) == ("Staff AUP", "1", True)
    [line] = result.acceptance
    # Six staff personas, one of whom accepted.
    assert (line.audience, line.accepted, line.total, line.percent) == ("Staff", 1, 6, 17)
    # Nothing in the governors' section names a person.
    text = repr(dataclasses.asdict(result))
    for user in (personas.staff, personas.office, personas.online_safety_lead, personas.head):
        assert user.full_name not in text
        assert user.email not in text

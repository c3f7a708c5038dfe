"""The decision log, and the filtering-breach concern's page showing the decisions it led to
(only to those who open the concern and read the filtering evidence)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from filtering.models import Decision
from filtering.services import decisions
from filtering.services.common import FilteringError
from incidents import services as incidents_services


def _record(personas, **kw):
    today = timezone.localdate()
    fields = dict(
        school=personas.school,
        actor=personas.online_safety_lead,
        action="block",
        target_kind="site",
        target="www.free-games.example",
        requested_by="Mr Finch, Year 5 teacher",
        requested_on=today,
        reason="Adverts with adult content.",
        risk_assessment="Low risk to teaching.",
        outcome="approved",
        decided_on=today,
    )
    return decisions.decision_record(**(fields | kw))


def test_a_decision_records_who_asked_why_and_who_decided(personas):
    decision = _record(personas)
    assert decision.decided_by == personas.online_safety_lead
    assert decision.requested_by == "Mr Finch, Year 5 teacher"


def test_a_decision_needs_a_risk_assessment(personas):
    with pytest.raises(ValidationError):
        _record(personas, risk_assessment="  ")
    assert not Decision.objects.exists()


def test_the_dsl_reads_the_log_but_does_not_write_it(personas):
    with pytest.raises(FilteringError):
        _record(personas, actor=personas.dsl)


def test_a_refused_request_is_never_applied_and_an_approved_one_once(personas):
    refused = _record(personas, outcome="refused")
    with pytest.raises(FilteringError):
        decisions.decision_applied(
            decision=refused, actor=personas.head, applied_on=timezone.localdate(), applied_by="x"
        )
    approved = _record(personas)
    decisions.decision_applied(
        decision=approved, actor=personas.head, applied_on=timezone.localdate(), applied_by="IT"
    )
    with pytest.raises(FilteringError):
        decisions.decision_applied(
            decision=approved,
            actor=personas.head,
            applied_on=timezone.localdate(),
            applied_by="IT",
        )


def _breach(personas):
    return incidents_services.concern_log(
        actor=personas.staff,
        school=personas.school,
        category="filtering_breach",
        occurred_at=timezone.now(),
        location="ICT suite",
        what_happened="A site with adult content opened.",
        pupils=[],
    )


def test_the_breach_concern_page_shows_the_decision_it_led_to(personas, client_for):
    concern = _breach(personas)
    client = client_for(personas.online_safety_lead)
    new = reverse("filtering:decision_new", args=[personas.school.code])
    form = client.get(f"{new}?concern={concern.code}")
    assert f'value="{concern.code}"' in form.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(
        new,
        {
            "action": "block",
            "target_kind": "site",
            "target": "www.adult-site.example",
            "requested_by": "The online safety lead",
            "requested_on": today,
            "reason": "Reached from the ICT suite.",
            "risk_assessment": "Blocked at once.",
            "outcome": "approved",
            "decided_on": today,
            "concern": str(concern.code),
        },
    )
    assert response.status_code == 302
    assert Decision.objects.get().concern_code == concern.code
    page = client.get(reverse("incidents:detail", args=[personas.school.code, concern.code]))
    panel = page.content.decode().split('data-testid="filtering-panel"')[1].split("</section>")[0]
    assert "www.adult-site.example" in panel
    assert "Record the filtering decision it led to" in panel
    # The DSL opens the concern and reads the evidence, but does not record decisions.
    page = client_for(personas.dsl).get(
        reverse("incidents:detail", args=[personas.school.code, concern.code])
    )
    panel = page.content.decode().split('data-testid="filtering-panel"')[1].split("</section>")[0]
    assert "www.adult-site.example" in panel
    assert "Record the filtering decision" not in panel


def test_who_may_not_open_the_concern_never_sees_the_panel(personas, client_for):
    concern = _breach(personas)
    _record(personas, concern_code=concern.code)
    url = reverse("incidents:detail", args=[personas.school.code, concern.code])
    for who in (personas.staff, personas.governor, personas.office, personas.other_dsl):
        response = client_for(who).get(url)
        assert response.status_code in (403, 404)
        assert b"www.free-games.example" not in response.content
    # The decision log itself never says which concern a decision came from.
    log = client_for(personas.head).get(reverse("filtering:decisions", args=[personas.school.code]))
    assert str(concern.code) not in log.content.decode()


def test_a_concern_of_another_category_without_decisions_has_no_panel(personas, client_for):
    concern = incidents_services.concern_log(
        actor=personas.staff,
        school=personas.school,
        category="cyberbullying",
        occurred_at=timezone.now(),
        location="",
        what_happened="Unkind messages.",
        pupils=[],
    )
    page = client_for(personas.dsl).get(
        reverse("incidents:detail", args=[personas.school.code, concern.code])
    )
    assert page.status_code == 200
    assert b'data-testid="filtering-panel"' not in page.content


def test_a_weekly_report_links_to_the_concern_logged_from_it(personas, client_for):
    import datetime

    from filtering.periods import monday_of

    concern = _breach(personas)
    client = client_for(personas.dsl)
    week = monday_of(timezone.localdate()) - datetime.timedelta(days=7)
    from filtering.models import ReportAcknowledgement
    from filtering.services import settings

    settings.settings_update(
        school=personas.school,
        actor=personas.head,
        check_cadence="termly",
        reports_from=week,
    )
    concern_url = reverse("incidents:detail", args=[personas.school.code, concern.code])
    prefix = week.isoformat()
    response = client.post(
        reverse("filtering:report_acknowledge", args=[personas.school.code]),
        {
            "prefix": prefix,
            f"{prefix}-week_start": prefix,
            f"{prefix}-note": "Searches for unsafe sites; logged.",
            # The concern's own link, pasted from its page.
            f"{prefix}-concern": f"https://esafety.example{concern_url}",
        },
    )
    assert response.status_code == 302
    ack = ReportAcknowledgement.objects.get()
    assert ack.concern_code == concern.code and ack.showed_concern
    panel = client.get(concern_url).content.decode().split('data-testid="filtering-panel"')[1]
    assert "the weekly monitoring report for the week of" in panel.split("</section>")[0]


def test_a_link_to_no_concern_of_this_school_is_refused(personas):
    import uuid

    with pytest.raises(ValidationError) as e:
        _record(personas, concern_code=uuid.uuid4())
    assert "concern" in e.value.error_dict
    # Another school's concern is no concern of this one.
    elsewhere = incidents_services.concern_log(
        actor=personas.other_dsl,
        school=personas.other_school,
        category="filtering_breach",
        occurred_at=timezone.now(),
        location="",
        what_happened="A site opened.",
        pupils=[],
    )
    with pytest.raises(ValidationError):
        _record(personas, concern_code=elsewhere.code)
    assert not Decision.objects.exists()

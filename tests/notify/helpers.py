"""Checks any test can use to prove that no email gives away a child.

Import assert_no_pupil_names_in_outbox from tests.notify.helpers and call it at the end of a test
that sends or queues email. sqlite_real_variable_limit is for tests that count a sweep's queries.
"""

import re
import sqlite3

import pytest
from django.core import mail
from django.db import connection

from esafety.notify.models import Message
from esafety.people.models import Pupil


def assert_no_pupil_names_in_outbox(school) -> int:
    """Fail if any email sent, or any message waiting in the outbox, names a pupil of the school.

    Stricter than the guard in message_queue: a first or a last name on its own counts (test
    data uses distinctive names, so this does not trip on ordinary words). Returns how many
    texts were checked, so a test can also assert that there was something to check.
    """
    names = {
        name
        for pair in Pupil.objects.filter(school=school).values_list("first_name", "last_name")
        for name in pair
        if name
    }
    assert names, "the school has no pupils: this check would prove nothing"
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b", re.IGNORECASE)
    texts = [
        (
            f"sent to {m.to}",
            "\n".join([m.subject, m.body, *(a for a, _ in getattr(m, "alternatives", []))]),
        )
        for m in mail.outbox
    ]
    texts += [
        (f"outbox message {m.pk}", f"{m.subject}\n{m.body}\n{m.link}")
        for m in Message.objects.all()
    ]
    for where, text in texts:
        found = pattern.search(text)
        assert found is None, f"the email {where} names a pupil: {found.group(0)!r}"
    return len(texts)


@pytest.fixture
def sqlite_real_variable_limit(db, monkeypatch):
    """Count a bulk write's statements as PostgreSQL runs them.

    Django 5.2 assumes SQLite's old limit of 999 values a statement and splits one bulk insert
    into a statement per 999 values (about 60 messages); SQLite since 3.32 takes 32,766. This
    uses the limit of the SQLite in hand, as Django 6.0 does (ticket #36143), so a query count
    is the code's own. PostgreSQL has no such split."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        monkeypatch.setattr(type(connection.features), "max_query_params", limit)

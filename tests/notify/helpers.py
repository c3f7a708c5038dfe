"""Checks any test can use to prove that no email gives away a child.

Import assert_no_pupil_names_in_outbox from tests.notify.helpers and call it at the end of a test
that sends or queues email.
"""

import re

from django.core import mail

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

"""Acceptances refuse UPDATE, DELETE and TRUNCATE in PostgreSQL itself."""

import pytest

from policies.models import Acceptance, Audience
from policies.services.acceptances import acceptance_record_own
from tests.append_only import assert_append_only

pytestmark = pytest.mark.postgres


def test_acceptances_are_append_only(personas, publish):
    version = publish([Audience.STAFF])
    acceptance_record_own(actor=personas.staff, version=version, typed_name="Sam Staff")
    acceptance = Acceptance.objects.get()
    assert_append_only("policies_acceptance", acceptance.pk)
    assert Acceptance.objects.filter(pk=acceptance.pk).exists()

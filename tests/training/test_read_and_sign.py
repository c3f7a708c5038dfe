"""KCSIE Part 1 is read and signed with the policy acceptance the product has, and shows as a
matrix column; a new edition needs a new acknowledgement."""

import pytest

from policies.models import Audience, Kind
from policies.services.acceptances import acceptance_record_own
from policies.services.library import policy_create
from tests.policies.conftest import publish_version
from training.selectors.matrix import build_matrix
from training.services.common import settings_for
from training.services.courses import settings_update
from training.validity import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def kcsie(personas):
    policy = policy_create(
        actor=personas.online_safety_lead,
        school=personas.school,
        title="Keeping children safe in education: Part 1",
        kind=Kind.OTHER,
        owner=personas.online_safety_lead,
        audiences=[Audience.STAFF],
        requires_acceptance=True,
    )
    publish_version(personas, policy, "2025")
    settings = settings_for(school=personas.school)
    settings_update(
        actor=personas.online_safety_lead,
        school=personas.school,
        expiring_days=settings.expiring_days,
        safeguarding_governor=None,
        read_and_sign=[str(policy.code)],
    )
    return policy


def _kcsie_cell(personas, who):
    matrix = build_matrix(school=personas.school, only=who)
    column = next(i for i, c in enumerate(matrix.columns) if c.kind == "document")
    return matrix.columns[column], matrix.rows[0].cells[column]


def test_it_is_a_column_that_turns_valid_once_accepted(personas, kcsie):
    column, cell = _kcsie_cell(personas, personas.staff)
    assert column.title.startswith("Keeping children safe")
    assert column.note == "edition 2025"
    assert cell.state == State.MISSING
    acceptance_record_own(
        actor=personas.staff, version=kcsie.versions.get(), typed_name="Sam Staff"
    )
    assert _kcsie_cell(personas, personas.staff)[1].state == State.VALID
    # A governor is not asked to sign a staff document.
    assert _kcsie_cell(personas, personas.governor)[1] is None


def test_a_new_edition_needs_a_new_acknowledgement(personas, kcsie):
    acceptance_record_own(
        actor=personas.staff, version=kcsie.versions.get(), typed_name="Sam Staff"
    )
    publish_version(personas, kcsie, "2026")
    column, cell = _kcsie_cell(personas, personas.staff)
    assert column.note == "edition 2026"
    assert cell.state == State.MISSING


def test_a_document_the_school_did_not_choose_is_not_a_column(personas, kcsie):
    settings_update(
        actor=personas.head,
        school=personas.school,
        expiring_days=30,
        safeguarding_governor=None,
        read_and_sign=[],
    )
    matrix = build_matrix(school=personas.school)
    assert all(c.kind == "course" for c in matrix.columns)

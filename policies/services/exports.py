"""Exports: a download of people's names leaves the system, so it is recorded."""

from esafety.audit.services import audit_record
from esafety.people.models import School, User


def export_record(*, actor: User, school: School, what: str, with_names: bool) -> None:
    """A download of people's names leaves the system: record who took it, and when."""
    audit_record(
        actor=actor,
        school=school,
        action=f"export.{what}",
        object_type="export",
        summary="with names" if with_names else "counts only",
    )

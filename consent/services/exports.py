"""Every print of a do-not-photograph list is in the audit trail."""

from consent.models import Purpose
from consent.services.common import audit
from esafety.people.models import User


def list_printed(*, actor: User, purpose: Purpose, pupils: int) -> None:
    audit(actor, purpose.school, "consent.list_printed", purpose, f"{pupils} pupils asked about")
